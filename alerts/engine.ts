// The alerting rule engine: evaluates the effective rules over a SampleSource and keeps each
// alert's state exactly as Prometheus does (rules/alerting.go): a new result is pending from
// activeAt, firing once it has held for `for`, resolved (inactive) when it stops; a pending alert
// that stops is dropped; a resolved one is kept 15 minutes so its resolution is re-sent.
// Notifications follow Prometheus too (needsSending, resend delay, ValidUntil-based endsAt).
import { cleanLabels, evaluate, labelKey, type SampleSource, type Vector } from './evaluate';
import type { EffectiveRule } from './catalogue';
import { renderTemplate } from './template';

export type AlertState = 'pending' | 'firing' | 'inactive';

export interface Alert {
  readonly rule: string;
  /** Identity: the alert's labels (alertname included). */
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  annotations: Record<string, string>;
  /** The condition's value at the latest evaluation that returned the alert. */
  value: number;
  state: AlertState;
  /** Epoch ms. */
  activeAt: number;
  firedAt?: number;
  resolvedAt?: number;
  lastSentAt?: number;
  validUntil?: number;
}

export interface RuleStatus {
  readonly name: string;
  health: 'unknown' | 'ok' | 'err';
  lastError?: string;
  lastEvalAt?: number;
  lastDurationMs?: number;
}

export interface Transition {
  kind: 'pending' | 'firing' | 'resolved' | 'dropped';
  alert: Alert;
}

/** What Prometheus sends to Alertmanager for one alert (POST /api/v2/alerts). */
export interface OutgoingAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

export interface EngineOptions {
  /** --rules.alert.resend-delay (default 1 m). */
  resendDelayMs?: number;
  /** The evaluation interval, for ValidUntil (default 15 s). */
  intervalMs?: number;
  /** Alerts active before a restart (from the database): their `for` clock carries on. */
  restore?: Iterable<Omit<Alert, 'annotations' | 'value'> & Partial<Pick<Alert, 'annotations' | 'value'>>>;
  /** Base URL for generatorURL (the dashboard's /alerts page). */
  generatorUrl?: (rule: EffectiveRule) => string;
}

/** Prometheus keeps resolved alerts this long, re-sending them (rules/alerting.go resolvedRetention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export class AlertEngine {
  private readonly active = new Map<string, Map<string, Alert>>();
  private readonly statuses = new Map<string, RuleStatus>();
  private readonly byName = new Map<string, EffectiveRule>();
  private readonly labelsCache = new WeakMap<object, { rule: EffectiveRule; series: Record<string, string>; labels: Record<string, string>; fp: string }>();
  readonly resendDelayMs: number;
  readonly intervalMs: number;

  constructor(
    private rules: readonly EffectiveRule[],
    private readonly opts: EngineOptions = {},
  ) {
    this.resendDelayMs = opts.resendDelayMs ?? 60_000;
    this.intervalMs = opts.intervalMs ?? 15_000;
    for (const r of rules) {
      this.byName.set(r.name, r);
      this.active.set(r.name, new Map());
      this.statuses.set(r.name, { name: r.name, health: 'unknown' });
    }
    for (const a of opts.restore ?? []) {
      const m = this.active.get(a.rule);
      if (!m || a.state === 'inactive') continue;
      m.set(a.fingerprint, { ...a, annotations: a.annotations ?? {}, value: a.value ?? NaN, lastSentAt: undefined, validUntil: undefined });
    }
  }

  /** Evaluates every rule at `ts` (epoch ms) and returns the state changes. */
  evaluate(src: SampleSource, ts: number): Transition[] {
    const changes: Transition[] = [];
    // Sub-expressions several rules share (the certificates' days left, ServerDown) are computed once.
    const memo = new Map<string, Vector>();
    for (const rule of this.rules) this.evaluateRule(rule, src, ts, changes, memo);
    return changes;
  }

  private evaluateRule(rule: EffectiveRule, src: SampleSource, ts: number, changes: Transition[], memo: Map<string, Vector>): void {
    const status = this.statuses.get(rule.name)!;
    const started = performance.now();
    const active = this.active.get(rule.name)!;
    let result;
    try {
      result = evaluate(rule.expr, src, ts, memo);
      // Labels: the series' (metric name dropped, empty values dropped), the rule's, the alert name.
      const seen = new Set<string>();
      const fresh: Array<{ fp: string; labels: Record<string, string>; series: Record<string, string>; value: number }> = [];
      for (const s of result) {
        // The same series (labels object) as last time: its alert labels are known.
        let known = this.labelsCache.get(s.labels);
        if (!known || known.rule !== rule) {
          const series = cleanLabels(s.labels);
          const labels = cleanLabels({ ...series, ...rule.labels, alertname: rule.name });
          this.labelsCache.set(s.labels, (known = { rule, series, labels, fp: labelKey(labels) }));
        }
        if (seen.has(known.fp)) throw new Error('vector contains metrics with the same labelset after applying alert labels');
        seen.add(known.fp);
        fresh.push({ fp: known.fp, labels: known.labels, series: known.series, value: s.value });
      }
      for (const f of fresh) {
        const existing = active.get(f.fp);
        const annotate = () => ({
          summary: renderTemplate(rule.summary, f.series, f.value),
          description: renderTemplate(rule.description, f.series, f.value),
          runbook_url: rule.runbookUrl,
        });
        if (existing && existing.state !== 'inactive') {
          // Re-rendered only when the value or the rule (its runbook URL) changed.
          if (!Object.is(existing.value, f.value) || existing.annotations.runbook_url !== rule.runbookUrl) existing.annotations = annotate();
          existing.value = f.value;
          continue;
        }
        const annotations = annotate();
        const alert: Alert = { rule: rule.name, fingerprint: f.fp, labels: f.labels, annotations, value: f.value, state: 'pending', activeAt: ts };
        active.set(f.fp, alert);
        changes.push({ kind: 'pending', alert });
      }
      for (const [fp, a] of active) {
        if (!seen.has(fp)) {
          if (a.state === 'pending' || (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
            active.delete(fp);
            if (a.state === 'pending') changes.push({ kind: 'dropped', alert: a });
          }
          if (a.state !== 'inactive' && active.has(fp)) {
            a.state = 'inactive';
            a.resolvedAt = ts;
            changes.push({ kind: 'resolved', alert: a });
          }
          continue;
        }
        if (a.state === 'pending' && ts - a.activeAt >= rule.for * 1000) {
          a.state = 'firing';
          a.firedAt = ts;
          changes.push({ kind: 'firing', alert: a });
        }
      }
      status.health = 'ok';
      status.lastError = undefined;
    } catch (err) {
      // Like Prometheus: the rule is unhealthy and its alerts stay as they were.
      status.health = 'err';
      status.lastError = err instanceof Error ? err.message : String(err);
    }
    status.lastEvalAt = ts;
    status.lastDurationMs = performance.now() - started;
  }

  /**
   * Alerts to send to Alertmanager now (Prometheus' needsSending): firing ones at most every
   * resend delay, resolved ones once after they resolve and then every resend delay while kept.
   */
  toSend(ts: number): Alert[] {
    const out: Alert[] = [];
    const delta = Math.max(this.resendDelayMs, this.intervalMs);
    for (const m of this.active.values()) {
      for (const a of m.values()) {
        if (a.state === 'pending') continue;
        const resolvedSinceSent = a.resolvedAt !== undefined && (a.lastSentAt === undefined || a.resolvedAt > a.lastSentAt);
        if (!resolvedSinceSent && a.lastSentAt !== undefined && !(a.lastSentAt + this.resendDelayMs < ts)) continue;
        a.lastSentAt = ts;
        // Allow for two evaluation or Alertmanager send failures.
        a.validUntil = ts + 4 * delta;
        out.push({ ...a });
      }
    }
    return out;
  }

  /** The Alertmanager payload of alerts returned by toSend(). */
  outgoing(alerts: readonly Alert[], externalLabels: Readonly<Record<string, string>> = {}): OutgoingAlert[] {
    return alerts.map((a) => {
      const rule = this.byName.get(a.rule);
      return {
        // External labels never override an alert's own (Prometheus adds them only where absent).
        labels: { ...externalLabels, ...a.labels },
        annotations: { ...a.annotations },
        startsAt: new Date(a.firedAt ?? a.activeAt).toISOString(),
        endsAt: new Date(a.resolvedAt ?? a.validUntil ?? a.activeAt).toISOString(),
        generatorURL: rule && this.opts.generatorUrl ? this.opts.generatorUrl(rule) : '',
      };
    });
  }

  /** Every pending, firing and recently resolved alert. */
  alerts(): Alert[] {
    return [...this.active.values()].flatMap((m) => [...m.values()]);
  }

  status(): RuleStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s }));
  }

  rule(name: string): EffectiveRule | undefined {
    return this.byName.get(name);
  }

  /** Swaps in new definitions of the same rules (e.g. the runbook base URL once the server is bound). */
  replaceRules(rules: readonly EffectiveRule[]): void {
    const names = (l: readonly EffectiveRule[]) => l.map((r) => r.name).join('\u0000');
    if (names(rules) !== names(this.rules)) throw new Error('replaceRules: the rules must be the same, in the same order');
    this.rules = rules;
    for (const r of rules) this.byName.set(r.name, r);
  }
}
