// Notifications from the embedded evaluator:
//  - Alertmanager, exactly as Prometheus' notifier sends to it: POST /api/v2/alerts with every
//    alert due (engine.toSend), in batches of 64, to every Alertmanager, from a bounded queue that
//    drops the oldest when full; a failed send is not retried (the next resend carries the state).
//  - A direct JSON webhook when no Alertmanager exists, in Alertmanager's webhook format (version
//    4), with Alertmanager's behaviour: grouped by cluster, sent when an alert starts firing or
//    resolves and again every repeat interval while it fires; a failed post is retried.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { labelKey } from './evaluate';
import type { Alert, OutgoingAlert } from './engine';
import { AlertingHttpError, requestJson } from './http';
import type { Endpoint, WebhookEndpoint } from './settings';

/** How a notification target is doing, for the dashboard (the URL never carries credentials). */
export interface TargetStatus {
  kind: 'alertmanager' | 'webhook';
  url: string;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  lastError?: string;
  /** Alerts delivered. */
  sent: number;
  /** Alerts dropped (queue full) or not delivered. */
  failed: number;
}

export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

// ---- Alertmanager v2 API -------------------------------------------------------------------------

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

const silenceSchema = z.object({
  id: z.string(),
  status: z.object({ state: z.enum(['active', 'pending', 'expired']) }),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().optional() })),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});
export type Silence = z.infer<typeof silenceSchema>;

export class AlertmanagerClient {
  constructor(readonly endpoint: Endpoint) {}

  get url(): string {
    return displayUrl(this.endpoint.url);
  }

  async postAlerts(alerts: readonly OutgoingAlert[]): Promise<void> {
    await requestJson(this.endpoint, 'POST', '/api/v2/alerts', alerts);
  }

  async createSilence(s: { matchers: SilenceMatcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string }): Promise<string> {
    const r = await requestJson(this.endpoint, 'POST', '/api/v2/silences', s);
    const parsed = z.object({ silenceID: z.string().min(1) }).safeParse(r.body);
    if (!parsed.success) throw new AlertingHttpError('http', `POST ${this.url}/api/v2/silences: the answer has no silenceID`);
    return parsed.data.silenceID;
  }

  /** Expires a silence; one that no longer exists or already expired counts as done. */
  async deleteSilence(id: string): Promise<void> {
    try {
      await requestJson(this.endpoint, 'DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof AlertingHttpError && (err.status === 404 || /already expired/i.test(err.message))) return;
      throw err;
    }
  }

  async silences(): Promise<Silence[]> {
    const r = await requestJson(this.endpoint, 'GET', '/api/v2/silences');
    const list = Array.isArray(r.body) ? r.body : [];
    // One odd entry costs that entry, not the list.
    return list.flatMap((x) => {
      const p = silenceSchema.safeParse(x);
      return p.success ? [p.data] : [];
    });
  }
}

/** Prometheus' notifier: a bounded queue, batches of 64, sent to every Alertmanager at once. */
export class AlertmanagerNotifier {
  static readonly CAPACITY = 10_000;
  static readonly BATCH = 64;
  private queue: OutgoingAlert[] = [];
  private draining?: Promise<void>;
  private readonly statuses: TargetStatus[];

  constructor(
    readonly clients: readonly AlertmanagerClient[],
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.statuses = clients.map((c) => ({ kind: 'alertmanager', url: c.url, sent: 0, failed: 0 }));
  }

  send(alerts: readonly OutgoingAlert[]): void {
    if (!alerts.length || !this.clients.length) return;
    this.queue.push(...alerts);
    const over = this.queue.length - AlertmanagerNotifier.CAPACITY;
    if (over > 0) {
      this.queue.splice(0, over);
      for (const s of this.statuses) s.failed += over;
      this.log(`alert queue full: dropped the ${over} oldest alert(s)`);
    }
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Resolves when everything queued has been sent (or failed). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, AlertmanagerNotifier.BATCH);
      await Promise.all(
        this.clients.map(async (c, i) => {
          const st = this.statuses[i];
          try {
            await c.postAlerts(batch);
            st.sent += batch.length;
            st.lastSuccessAt = this.now();
          } catch (err) {
            st.failed += batch.length;
            const first = st.lastError === undefined || (st.lastErrorAt ?? 0) < (st.lastSuccessAt ?? 0);
            st.lastErrorAt = this.now();
            st.lastError = (err as Error).message;
            if (first) this.log(`sending alerts to Alertmanager ${c.url} failed: ${st.lastError}`);
          }
        }),
      );
    }
  }

  status(): TargetStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }
}

// ---- Direct webhook (Alertmanager's webhook format) ------------------------------------------------

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** "0001-01-01T00:00:00Z" while firing, as Alertmanager sends it. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function fingerprintOf(labels: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(labelKey(labels)).digest('hex').slice(0, 16);
}

/** An alert the webhook may be told about. */
export interface WebhookCandidate {
  alert: Alert;
  /** Under a maintenance window or silence: not notified. */
  suppressed: boolean;
}

interface Notified {
  state: 'firing' | 'resolved';
  at: number;
}

export class WebhookNotifier {
  private readonly notified = new Map<string, Notified>();
  private retryAfter = 0;
  private readonly st: TargetStatus;

  constructor(
    readonly endpoint: WebhookEndpoint,
    private opts: { externalUrl: string; externalLabels: Readonly<Record<string, string>>; generatorUrl: string; log: (line: string) => void; now?: () => number },
  ) {
    this.st = { kind: 'webhook', url: displayUrl(endpoint.url), sent: 0, failed: 0 };
  }

  /** What is due at `ts`: alerts that started firing, resolved, or fire past the repeat interval. */
  due(candidates: readonly WebhookCandidate[], ts: number): Array<{ key: string; alert: WebhookAlert }> {
    const out: Array<{ key: string; alert: WebhookAlert }> = [];
    for (const { alert: a, suppressed } of candidates) {
      const n = this.notified.get(a.fingerprint);
      if (a.state === 'firing') {
        if (suppressed) continue;
        if (n?.state === 'firing' && ts - n.at < this.endpoint.repeatIntervalMs) continue;
        out.push({ key: a.fingerprint, alert: this.toWebhook(a, 'firing') });
      } else if (a.state === 'inactive' && n?.state === 'firing' && !suppressed) {
        out.push({ key: a.fingerprint, alert: this.toWebhook(a, 'resolved') });
      }
    }
    return out;
  }

  /** Posts what is due, one message per cluster; a failure is retried at the next call after 10 s. */
  async deliver(candidates: readonly WebhookCandidate[], ts: number): Promise<void> {
    const present = new Set(candidates.map((c) => c.alert.fingerprint));
    for (const [fp, n] of this.notified) if (!present.has(fp) && ts - n.at > 3_600_000) this.notified.delete(fp);
    if (ts < this.retryAfter) return;
    const groups = new Map<string, Array<{ key: string; alert: WebhookAlert }>>();
    for (const d of this.due(candidates, ts)) {
      const cluster = d.alert.labels.cluster ?? '';
      groups.set(cluster, [...(groups.get(cluster) ?? []), d]);
    }
    for (const [cluster, items] of groups) {
      const message = this.message(
        cluster,
        items.map((d) => d.alert),
      );
      try {
        await requestJson(this.endpoint, 'POST', '', message);
        for (const d of items) this.notified.set(d.key, { state: d.alert.status, at: ts });
        this.st.sent += items.length;
        this.st.lastSuccessAt = this.opts.now?.() ?? Date.now();
      } catch (err) {
        this.st.failed += items.length;
        const first = this.st.lastError === undefined || (this.st.lastErrorAt ?? 0) < (this.st.lastSuccessAt ?? 0);
        this.st.lastErrorAt = this.opts.now?.() ?? Date.now();
        this.st.lastError = (err as Error).message;
        if (first) this.opts.log(`posting alerts to webhook ${this.st.url} failed: ${this.st.lastError}`);
        this.retryAfter = ts + 10_000;
        return;
      }
    }
  }

  message(cluster: string, alerts: WebhookAlert[]): WebhookMessage {
    const common = (pick: (a: WebhookAlert) => Record<string, string>) => {
      const [first, ...rest] = alerts.map(pick);
      return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((r) => r[k] === v)));
    };
    const groupLabels: Record<string, string> = cluster ? { cluster } : {};
    return {
      version: '4',
      groupKey: `{}:{${cluster ? `cluster=${JSON.stringify(cluster)}` : ''}}`,
      truncatedAlerts: 0,
      status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      receiver: 'impulse-webhook',
      groupLabels,
      commonLabels: common((a) => a.labels),
      commonAnnotations: common((a) => a.annotations),
      externalURL: this.opts.externalUrl,
      alerts,
    };
  }

  private toWebhook(a: Alert, status: 'firing' | 'resolved'): WebhookAlert {
    const labels = { ...this.opts.externalLabels, ...a.labels };
    return {
      status,
      labels,
      annotations: { ...a.annotations },
      startsAt: new Date(a.firedAt ?? a.activeAt).toISOString(),
      endsAt: status === 'resolved' && a.resolvedAt !== undefined ? new Date(a.resolvedAt).toISOString() : ZERO_TIME,
      generatorURL: this.opts.generatorUrl,
      fingerprint: fingerprintOf(labels),
    };
  }

  status(): TargetStatus {
    return { ...this.st };
  }

  setExternalUrl(url: string): void {
    this.opts = { ...this.opts, externalUrl: url, generatorUrl: `${url}/alerts` };
  }
}
