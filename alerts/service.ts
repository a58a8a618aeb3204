// The alerting service of the embedded product (runtime.alerts): evaluates the catalogue on the
// collector's samples (or, with evaluation: prometheus, reads Prometheus' alerts), keeps the alert
// history in the database, notifies Alertmanagers and webhooks, and runs maintenance windows —
// suppressing their alerts here and mirroring them as Alertmanager silences.
//
// Evaluations run every `evaluationInterval`, soon after new observations arrive (at most one a
// second), and when a pending alert's `for` runs out, so an alert fires within about a second of
// the poll that shows it plus `for`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { MetricId } from '../collectors/metrics/catalogue';
import type { Inventory } from '../config/resolve';
import { alertHistory, applyAlertChanges, closeAlerts, openAlerts, pruneAlertHistory, type AlertChange, type AlertRow, type HistoryFilter } from '../db/alerts';
import type { ImpulseDatabase } from '../db/index';
import { effectiveRules, ruleByName, runbookPath, type EffectiveRule } from './catalogue';
import { labelKey } from './evaluate';
import { AlertEngine, type Alert, type Transition } from './engine';
import type { Actor, AlertingHandle, AlertingSnapshot, AlertView, HistoryView, RuleView, SilenceView, WindowResult, WindowView } from './handle';
import { requestJson } from './http';
import { LiveSource, type SampleReader } from './live-source';
import { databaseStore, describeScope, memoryStore, silenceOf, validateWindow, windowMatches, windowStatus, type MaintenanceInput, type MaintenanceStore, type MaintenanceWindow } from './maintenance';
import { AlertmanagerClient, AlertmanagerNotifier, WebhookNotifier, type TargetStatus } from './notify';
import { defaultExternalUrl, type AlertingSettings } from './settings';

export interface AuditLike {
  record(entry: { actor: Actor; action: string; target?: string; detail?: string; outcome?: 'success' | 'failure' | 'denied' }): void;
}

export interface AlertingServiceDeps {
  settings: AlertingSettings;
  inventory: Pick<Inventory, 'clusters'>;
  /** The collector's registry (its samples() are what /metrics exposes); absent when not collecting. */
  reader?: SampleReader;
  /** The observation store: an evaluation follows new observations. */
  updates?: { on(event: 'update', fn: () => void): unknown; off(event: 'update', fn: () => void): unknown };
  db?: ImpulseDatabase;
  audit?: () => AuditLike | undefined;
  log: (line: string) => void;
  /** docs/runbooks */
  runbookDir: string;
  now?: () => number;
  /** Smallest gap between evaluations triggered by observations (default 1000 ms). */
  minGapMs?: number;
  /** How often silences are synchronised with Alertmanager (default 30 s). */
  silenceSyncMs?: number;
}

/** Alerts active before a restart carry their `for` clock on if seen within this (Prometheus' outage tolerance). */
const RESTORE_WINDOW_MS = 3_600_000;
const TOUCH_EVERY_MS = 60_000;

export class AlertingService implements AlertingHandle {
  private readonly settings: AlertingSettings;
  private rules: EffectiveRule[];
  private readonly now: () => number;
  private readonly maintenance: MaintenanceStore;
  private readonly amClients: AlertmanagerClient[];
  private readonly amNotifier: AlertmanagerNotifier;
  private readonly webhooks: WebhookNotifier[];
  private readonly webhookBusy = new Set<WebhookNotifier>();
  private engine?: AlertEngine;
  private source?: LiveSource;
  private readonly episodes = new Map<string, number>();
  private windowCache?: MaintenanceWindow[];
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private cycleTimer?: ReturnType<typeof setTimeout>;
  private cycleDue = Infinity;
  private running = false;
  private again = false;
  private stopped = false;
  private lastCycleStart = -Infinity;
  private lastTouch = 0;
  private evaluatedAt?: number;
  private lastCycleMs?: number;
  private unavailable?: string;
  /** Prometheus mode: what the latest read returned. */
  private remote: { alerts: AlertView[]; rules: Map<string, { health: RuleView['health']; lastError?: string }> } = { alerts: [], rules: new Map() };
  private readonly remoteKeys = new Map<string, { key: string; state: 'pending' | 'firing' }>();
  private silenceCache: { silences: SilenceView[]; errors: string[]; fetchedAt?: number } = { silences: [], errors: [] };
  private syncing?: Promise<void>;
  private readonly onUpdate = () => this.requestCycle(this.now() + this.minGap());

  constructor(private readonly deps: AlertingServiceDeps) {
    this.settings = deps.settings;
    this.now = deps.now ?? Date.now;
    this.rules = effectiveRules(this.settings.catalogue);
    this.maintenance = deps.db ? databaseStore(deps.db) : memoryStore();
    this.amClients = this.settings.alertmanagers.map((e) => new AlertmanagerClient(e));
    this.amNotifier = new AlertmanagerNotifier(this.amClients, deps.log, this.now);
    const generatorUrl = `${this.settings.catalogue.externalUrl}/alerts`;
    this.webhooks = this.settings.webhooks.map(
      (e) => new WebhookNotifier(e, { externalUrl: this.settings.catalogue.externalUrl, externalLabels: this.settings.externalLabels, generatorUrl, log: deps.log, now: this.now }),
    );
    for (const i of this.settings.issues) deps.log(`alerting.${i.path.slice(1).join('.')}: ${i.message}`);
  }

  private minGap(): number {
    return this.deps.minGapMs ?? 1000;
  }

  start(): void {
    if (this.settings.evaluation === 'embedded') {
      if (!this.deps.reader) this.unavailable = 'the collector is not running (impulse start --no-collect): nothing to evaluate';
      else {
        const reads = new Map<MetricId, number>();
        for (const r of this.rules) for (const [id, back] of r.reads) reads.set(id, Math.max(reads.get(id) ?? 0, back));
        this.source = new LiveSource(this.deps.reader, reads);
        this.engine = new AlertEngine(this.rules, {
          resendDelayMs: this.settings.resendDelayMs,
          intervalMs: this.settings.intervalMs,
          restore: this.restore(),
          generatorUrl: () => `${this.settings.catalogue.externalUrl}/alerts`,
        });
        this.deps.updates?.on('update', this.onUpdate);
      }
    } else if (!this.settings.prometheus) this.unavailable = 'alerting.evaluation is prometheus but alerting.prometheus.url is not set';
    this.timers.push(setInterval(() => this.requestCycle(this.now()), this.settings.intervalMs));
    this.timers.push(setInterval(() => void this.syncSilences(), this.deps.silenceSyncMs ?? 30_000));
    this.timers.push(setInterval(() => this.prune(), 6 * 3_600_000));
    for (const t of this.timers) t.unref?.();
    this.prune();
    this.requestCycle(this.now());
    void this.syncSilences();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.updates?.off('update', this.onUpdate);
    for (const t of this.timers) clearInterval(t);
    if (this.cycleTimer) clearTimeout(this.cycleTimer);
    // Give queued notifications a moment to leave (the next process resends what is still firing).
    await Promise.race([this.amNotifier.idle(), new Promise((r) => setTimeout(r, 2000).unref?.())]);
  }

  /** Runs one cycle now (tests, benchmarks). */
  async evaluateNow(): Promise<void> {
    await this.cycle();
  }

  servedAt(url: string): void {
    if (this.settings.externalUrlConfigured) return;
    // A wildcard listen address is not reachable: name the host instead.
    const u = new URL(url);
    const external = u.hostname === '0.0.0.0' || u.hostname === '[::]' ? defaultExternalUrl(`0.0.0.0:${u.port}`) : url.replace(/\/+$/, '');
    if (external === this.settings.catalogue.externalUrl) return;
    this.settings.catalogue = { ...this.settings.catalogue, externalUrl: external };
    this.rules = effectiveRules(this.settings.catalogue);
    this.engine?.replaceRules(this.rules);
    for (const w of this.webhooks) w.setExternalUrl(this.settings.catalogue.externalUrl);
  }

  // ---- scheduling ----------------------------------------------------------------------------------

  /** Asks for a cycle at `at` (epoch ms); the earliest request wins, never two cycles closer than the min gap. */
  private requestCycle(at: number): void {
    if (this.stopped) return;
    const when = Math.max(at, this.lastCycleStart + this.minGap());
    if (this.cycleTimer && when >= this.cycleDue) return;
    if (this.cycleTimer) clearTimeout(this.cycleTimer);
    this.cycleDue = when;
    this.cycleTimer = setTimeout(() => {
      this.cycleTimer = undefined;
      this.cycleDue = Infinity;
      void this.cycle();
    }, Math.max(0, when - this.now()));
    this.cycleTimer.unref?.();
  }

  private async cycle(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.lastCycleStart = this.now();
    try {
      if (this.engine) this.embeddedCycle();
      else if (this.settings.evaluation === 'prometheus' && this.settings.prometheus) await this.prometheusCycle();
    } catch (err) {
      this.deps.log(`alert evaluation failed: ${(err as Error).stack ?? err}`);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.requestCycle(this.now());
      }
    }
  }

  // ---- the embedded evaluator ----------------------------------------------------------------------

  private restore(): Array<Omit<Alert, 'lastSentAt' | 'validUntil'>> {
    const db = this.deps.db;
    if (!db) return [];
    const now = this.now();
    let rows: AlertRow[];
    try {
      rows = openAlerts(db);
    } catch (err) {
      this.deps.log(`alert history unreadable, alerts start afresh: ${(err as Error).message}`);
      return [];
    }
    const keep = rows.filter((r) => now - r.seenAt <= RESTORE_WINDOW_MS && this.rules.some((x) => x.name === r.alertname));
    closeAlerts(db, rows.filter((r) => !keep.includes(r)), now);
    return keep.map((r) => {
      const fingerprint = labelKey(r.labels);
      this.episodes.set(`${fingerprint}@${r.activeAt}`, r.id);
      return {
        rule: r.alertname,
        fingerprint,
        labels: r.labels,
        annotations: { summary: r.summary, description: r.description, runbook_url: r.runbookUrl },
        value: r.value ?? NaN,
        state: r.state === 'firing' ? 'firing' : 'pending',
        activeAt: r.activeAt,
        firedAt: r.firedAt ?? undefined,
      };
    });
  }

  private embeddedCycle(): void {
    const engine = this.engine!;
    const now = this.now();
    const started = performance.now();
    this.source!.refresh(now);
    const transitions = engine.evaluate(this.source!, now);
    this.lastCycleMs = performance.now() - started;
    this.evaluatedAt = now;
    this.record(transitions, engine.alerts(), now);
    if (this.amClients.length) this.amNotifier.send(engine.outgoing(engine.toSend(now), this.settings.externalLabels));
    this.deliverWebhooks(now);
    // The next `for` deadline.
    let next = Infinity;
    for (const a of engine.alerts()) {
      if (a.state !== 'pending') continue;
      const rule = engine.rule(a.rule);
      if (rule) next = Math.min(next, a.activeAt + rule.for * 1000);
    }
    if (Number.isFinite(next)) this.requestCycle(next + 5);
  }

  private record(transitions: readonly Transition[], active: readonly Alert[], now: number): void {
    const db = this.deps.db;
    if (!db) return;
    const changes: AlertChange[] = transitions.map((t): AlertChange => {
      const a = t.alert;
      const key = `${a.fingerprint}@${a.activeAt}`;
      switch (t.kind) {
        case 'pending':
          return {
            kind: 'pending',
            key,
            alert: {
              fingerprint: a.fingerprint,
              alertname: a.rule,
              severity: a.labels.severity ?? '',
              cluster: a.labels.cluster ?? null,
              node: a.labels.node ?? null,
              labels: { ...a.labels },
              summary: a.annotations.summary ?? '',
              description: a.annotations.description ?? '',
              runbookUrl: a.annotations.runbook_url ?? '',
              value: a.value,
              activeAt: a.activeAt,
            },
          };
        case 'firing':
          return { kind: 'firing', key, at: a.firedAt ?? now };
        case 'resolved':
          return { kind: 'resolved', key, at: a.resolvedAt ?? now };
        case 'dropped':
          return { kind: 'dropped', key };
      }
    });
    let touch: { ids: number[]; at: number } | undefined;
    if (now - this.lastTouch >= TOUCH_EVERY_MS) {
      this.lastTouch = now;
      touch = {
        at: now,
        ids: active.filter((a) => a.state !== 'inactive').flatMap((a) => this.episodes.get(`${a.fingerprint}@${a.activeAt}`) ?? []),
      };
    }
    applyAlertChanges(db, changes, this.episodes, touch);
  }

  private deliverWebhooks(now: number): void {
    if (!this.webhooks.length || !this.engine) return;
    const candidates = this.engine.alerts().map((alert) => ({ alert, suppressed: this.suppressor(alert.labels, now) !== undefined }));
    for (const w of this.webhooks) {
      if (this.webhookBusy.has(w)) continue;
      this.webhookBusy.add(w);
      void w.deliver(candidates, now).finally(() => this.webhookBusy.delete(w));
    }
  }

  // ---- Prometheus mode ------------------------------------------------------------------------------

  private async prometheusCycle(): Promise<void> {
    const now = this.now();
    let body: unknown;
    try {
      body = (await requestJson(this.settings.prometheus!, 'GET', '/api/v1/rules?type=alert')).body;
    } catch (err) {
      this.unavailable = `Prometheus ${this.settings.prometheus!.url} cannot be read: ${(err as Error).message}`;
      return;
    }
    const parsed = prometheusRules.safeParse(body);
    if (!parsed.success) {
      this.unavailable = `Prometheus ${this.settings.prometheus!.url} answered GET /api/v1/rules with something else than its rules`;
      return;
    }
    this.unavailable = undefined;
    const alerts: AlertView[] = [];
    const rules = new Map<string, { health: RuleView['health']; lastError?: string }>();
    for (const g of parsed.data.data.groups) {
      for (const r of g.rules) {
        if (r.type !== 'alerting' || !ruleByName(r.name)) continue;
        rules.set(r.name, { health: r.health === 'ok' ? 'ok' : r.health === 'err' ? 'err' : 'unknown', lastError: r.lastError || undefined });
        for (const a of r.alerts) {
          if (a.state !== 'pending' && a.state !== 'firing') continue;
          const labels = { ...a.labels, alertname: a.labels.alertname ?? r.name };
          alerts.push(this.view({ rule: r.name, fingerprint: labelKey(labels), labels, annotations: a.annotations, value: Number(a.value), state: a.state, activeAt: Date.parse(a.activeAt) }, now));
        }
      }
    }
    this.remote = { alerts, rules };
    this.evaluatedAt = now;
    // History: what appeared, started firing or went away since the last read.
    const transitions: Transition[] = [];
    const seen = new Set<string>();
    for (const v of alerts) {
      seen.add(v.fingerprint);
      const before = this.remoteKeys.get(v.fingerprint);
      const alert: Alert = { rule: v.alertname, fingerprint: v.fingerprint, labels: v.labels, annotations: { summary: v.summary, description: v.description, runbook_url: v.runbookUrl }, value: v.value, state: v.state, activeAt: v.activeAt, firedAt: v.state === 'firing' ? now : undefined };
      if (!before) transitions.push({ kind: 'pending', alert });
      if (v.state === 'firing' && before?.state !== 'firing') transitions.push({ kind: 'firing', alert });
      this.remoteKeys.set(v.fingerprint, { key: `${v.fingerprint}@${v.activeAt}`, state: v.state });
    }
    for (const [fp, before] of this.remoteKeys) {
      if (seen.has(fp)) continue;
      this.remoteKeys.delete(fp);
      const activeAt = Number(before.key.slice(before.key.lastIndexOf('@') + 1));
      const alert = { rule: '', fingerprint: fp, labels: {}, annotations: {}, value: NaN, state: 'inactive', activeAt, resolvedAt: now } as Alert;
      transitions.push({ kind: before.state === 'firing' ? 'resolved' : 'dropped', alert });
    }
    this.record(transitions, [], now);
  }

  // ---- maintenance windows and silences ----------------------------------------------------------

  private currentWindows(): MaintenanceWindow[] {
    this.windowCache ??= this.maintenance.list(this.now());
    return this.windowCache;
  }

  private suppressor(labels: Readonly<Record<string, string>>, now: number): MaintenanceWindow | undefined {
    return this.currentWindows().find((w) => windowMatches(w, labels, now));
  }

  windows(): WindowView[] {
    const now = this.now();
    const active = this.activeAlerts();
    return this.maintenance.list(now).map((w) => this.windowView(w, now, active));
  }

  windowsPersistent(): boolean {
    return this.maintenance.persistent;
  }

  private windowView(w: MaintenanceWindow, now: number, active: readonly AlertView[] = this.activeAlerts()): WindowView {
    const status = windowStatus(w, now);
    return {
      ...w,
      status,
      scope: describeScope(w),
      suppressing: active.filter((a) => windowMatches(w, a.labels, now)).length,
      pendingSilences: status === 'active' || status === 'scheduled' ? this.amClients.filter((c) => !w.silences[c.endpoint.url]).map((c) => c.url) : [],
    };
  }

  async openWindow(input: MaintenanceInput, actor: Actor): Promise<WindowResult> {
    const now = this.now();
    const clean = { ...input, node: input.node || undefined, alertname: input.alertname || undefined, reason: input.reason.trim() };
    const errors = validateWindow(clean, this.deps.inventory, now);
    const action = clean.alertname ? 'alert.silence' : 'maintenance.open';
    if (errors.length) {
      this.audit({ actor, action, target: describeScope({ cluster: clean.cluster, node: clean.node ?? null, alertname: clean.alertname ?? null }), detail: errors.join('; '), outcome: 'failure' });
      return { ok: false, errors };
    }
    const row = this.maintenance.insert({
      cluster: clean.cluster,
      node: clean.node ?? null,
      alertname: clean.alertname ?? null,
      startsAt: clean.startsAt,
      endsAt: clean.endsAt,
      reason: clean.reason,
      createdBy: actor.name,
      createdFrom: actor.address,
      createdAt: now,
    });
    if (!row) return { ok: false, errors: [`the database refused the write: ${this.deps.db?.health().error ?? 'unknown error'}`] };
    this.windowCache = undefined;
    this.audit({ actor, action, target: describeScope(row), detail: `#${row.id} ${new Date(row.startsAt).toISOString()} to ${new Date(row.endsAt).toISOString()}: ${row.reason}`, outcome: 'success' });
    await this.syncSilences();
    // Notifications of the alerts it covers stop with the next evaluation.
    this.requestCycle(this.now());
    return { ok: true, window: this.windowView(this.maintenance.get(row.id) ?? row, this.now()) };
  }

  async cancelWindow(id: number, actor: Actor): Promise<WindowResult> {
    const w = this.maintenance.get(id);
    const now = this.now();
    if (!w) return { ok: false, errors: [`no maintenance window #${id}`] };
    const action = w.alertname ? 'alert.unsilence' : 'maintenance.cancel';
    if (w.cancelledAt !== null || now >= w.endsAt) return { ok: false, errors: [`maintenance window #${id} is already ${w.cancelledAt !== null ? 'cancelled' : 'over'}`] };
    if (!this.maintenance.cancel(id, actor.name, now)) return { ok: false, errors: [`the database refused the write: ${this.deps.db?.health().error ?? 'unknown error'}`] };
    this.windowCache = undefined;
    this.audit({ actor, action, target: describeScope(w), detail: `#${id}: ${w.reason}`, outcome: 'success' });
    await this.syncSilences();
    this.requestCycle(this.now());
    return { ok: true, window: this.windowView(this.maintenance.get(id)!, this.now()) };
  }

  /**
   * Alertmanager silences follow the windows: one per Alertmanager for each current or scheduled
   * window, expired when the window is cancelled; an Alertmanager that is down is retried.
   */
  private syncSilences(): Promise<void> {
    if (!this.amClients.length || this.stopped) return Promise.resolve();
    this.syncing ??= this.doSync().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    const now = this.now();
    const all = this.maintenance.list(now);
    for (const w of all) {
      const status = windowStatus(w, now);
      const silences = { ...w.silences };
      let changed = false;
      for (const c of this.amClients) {
        const key = c.endpoint.url;
        try {
          if ((status === 'active' || status === 'scheduled') && !silences[key]) {
            silences[key] = await c.createSilence(silenceOf(w));
            changed = true;
          } else if (status === 'cancelled' && silences[key]) {
            await c.deleteSilence(silences[key]);
            delete silences[key];
            changed = true;
          }
        } catch (err) {
          this.deps.log(`maintenance window #${w.id} on Alertmanager ${c.url}: ${(err as Error).message} (retried every 30 s)`);
        }
      }
      if (changed) this.maintenance.setSilences(w.id, silences);
    }
    this.windowCache = undefined;
    await this.fetchSilences(all);
  }

  private async fetchSilences(windows: readonly MaintenanceWindow[]): Promise<void> {
    const byId = new Map<string, number>();
    for (const w of windows) for (const id of Object.values(w.silences)) byId.set(id, w.id);
    const silences: SilenceView[] = [];
    const errors: string[] = [];
    await Promise.all(
      this.amClients.map(async (c) => {
        try {
          for (const s of await c.silences()) {
            if (s.status.state === 'expired') continue;
            silences.push({
              alertmanager: c.url,
              id: s.id,
              state: s.status.state,
              matchers: s.matchers.map((m) => `${m.name}${m.isEqual === false ? '!' : '='}${m.isRegex ? '~' : ''}${JSON.stringify(m.value)}`).join(', '),
              startsAt: s.startsAt,
              endsAt: s.endsAt,
              createdBy: s.createdBy,
              comment: s.comment,
              windowId: byId.get(s.id),
            });
          }
        } catch (err) {
          errors.push(`${c.url}: ${(err as Error).message}`);
        }
      }),
    );
    silences.sort((a, b) => a.endsAt.localeCompare(b.endsAt));
    this.silenceCache = { silences, errors, fetchedAt: this.now() };
  }

  silences(): { silences: SilenceView[]; errors: string[]; fetchedAt?: number } {
    return this.silenceCache;
  }

  // ---- views ---------------------------------------------------------------------------------------

  private view(a: Pick<Alert, 'rule' | 'fingerprint' | 'labels' | 'annotations' | 'value' | 'activeAt' | 'firedAt'> & { state: 'pending' | 'firing' }, now: number): AlertView {
    const w = this.suppressor(a.labels, now);
    return {
      fingerprint: a.fingerprint,
      alertname: a.rule,
      severity: a.labels.severity ?? '',
      state: a.state,
      cluster: a.labels.cluster,
      node: a.labels.node,
      labels: { ...a.labels },
      summary: a.annotations.summary ?? '',
      description: a.annotations.description ?? '',
      runbookUrl: a.annotations.runbook_url ?? '',
      runbookPath: runbookPath(a.rule),
      activeAt: a.activeAt,
      firedAt: a.firedAt,
      value: a.value,
      suppressedBy: w && { id: w.id, scope: describeScope(w), reason: w.reason },
    };
  }

  private activeAlerts(): AlertView[] {
    if (!this.engine) return this.remote.alerts.map((a) => ({ ...a, suppressedBy: this.viewSuppression(a.labels) }));
    const now = this.now();
    return this.engine
      .alerts()
      .filter((a): a is Alert & { state: 'pending' | 'firing' } => a.state !== 'inactive')
      .map((a) => this.view(a, now));
  }

  private viewSuppression(labels: Readonly<Record<string, string>>): AlertView['suppressedBy'] {
    const w = this.suppressor(labels, this.now());
    return w && { id: w.id, scope: describeScope(w), reason: w.reason };
  }

  firingCounts(): { critical: number; warning: number; info: number } {
    const counts = { critical: 0, warning: 0, info: 0 };
    for (const a of this.activeAlerts()) {
      if (a.state !== 'firing' || a.suppressedBy) continue;
      if (a.severity === 'critical' || a.severity === 'warning' || a.severity === 'info') counts[a.severity]++;
    }
    return counts;
  }

  snapshot(): AlertingSnapshot {
    const alerts = this.activeAlerts();
    const status = new Map((this.engine?.status() ?? []).map((s) => [s.name, s]));
    const rules: RuleView[] = this.rules.map((r) => {
      const remote = this.remote.rules.get(r.name);
      const st = status.get(r.name);
      return {
        name: r.name,
        group: r.rule.group,
        severity: r.severity,
        for: r.for,
        origin: r.rule.origin,
        promql: r.promql,
        health: st?.health ?? remote?.health ?? 'unknown',
        lastError: st?.lastError ?? remote?.lastError,
        runbookPath: runbookPath(r.name),
        pending: alerts.filter((a) => a.alertname === r.name && a.state === 'pending').length,
        firing: alerts.filter((a) => a.alertname === r.name && a.state === 'firing').length,
      };
    });
    const targets: TargetStatus[] = [...this.amNotifier.status(), ...this.webhooks.map((w) => w.status())];
    return {
      mode: this.settings.evaluation,
      unavailable: this.unavailable,
      intervalMs: this.settings.intervalMs,
      evaluatedAt: this.evaluatedAt,
      lastCycleMs: this.lastCycleMs,
      alerts,
      rules,
      targets,
      problems: this.settings.issues.map((i) => `alerting.${i.path.slice(1).join('.')}: ${i.message}`),
    };
  }

  history(filter: HistoryFilter = {}): HistoryView {
    const db = this.deps.db;
    if (!db) return { available: false, reason: 'the database is not available, so resolved alerts are not kept', rows: [] };
    try {
      return { available: true, rows: alertHistory(db, filter) };
    } catch (err) {
      return { available: false, reason: (err as Error).message, rows: [] };
    }
  }

  runbook(name: string): string | undefined {
    if (!ruleByName(name)) return undefined;
    try {
      return readFileSync(path.join(this.deps.runbookDir, `${name}.md`), 'utf8');
    } catch {
      return undefined;
    }
  }

  private prune(): void {
    if (this.deps.db) pruneAlertHistory(this.deps.db, this.now() - this.settings.historyRetentionMs);
  }

  private audit(entry: Parameters<AuditLike['record']>[0]): void {
    try {
      this.deps.audit?.()?.record(entry);
    } catch (err) {
      this.deps.log(`audit record failed: ${(err as Error).message}`);
    }
  }
}

/** GET /api/v1/rules?type=alert, the parts we read. */
const prometheusRules = z.object({
  status: z.literal('success'),
  data: z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        rules: z.array(
          z.object({
            name: z.string(),
            type: z.string(),
            health: z.string().optional(),
            lastError: z.string().optional(),
            alerts: z
              .array(z.object({ labels: z.record(z.string(), z.string()), annotations: z.record(z.string(), z.string()), state: z.string(), activeAt: z.string(), value: z.string() }))
              .default([]),
          }),
        ),
      }),
    ),
  }),
});
