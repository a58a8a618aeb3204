// The alerting service with a controllable clock and samples: alerts go pending then firing, reach
// a webhook receiver and an Alertmanager (real HTTP servers on loopback) in their formats, are kept
// in the database's history, survive a restart with their `for` clock, and maintenance windows keep
// them quiet and become Alertmanager silences that are expired on cancel.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetricId } from '../../collectors/metrics/catalogue';
import type { DerivedValue } from '../../collectors/metrics/derived';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { alertHistory, openAlerts } from '../../db/alerts';
import { AlertingService, type AuditLike } from '../../alerts/service';
import { resolveAlerting } from '../../alerts/settings';
import type { WebhookMessage } from '../../alerts/notify';
import type { ImpulseConfig } from '../../config/schema';

const HOST = '127.140.0.1';
const inventory = {
  clusters: [
    { name: 'imp01', nodes: [{ name: 'imp01-pub' }, { name: 'imp01-sub1' }] },
    { name: 'cucm01', nodes: [{ name: 'cucm01-pub' }] },
  ],
};

interface Captured {
  method: string;
  url: string;
  body: unknown;
}

async function receiver(respond: (c: Captured) => { status: number; body?: unknown } = () => ({ status: 200 })): Promise<{ url: string; got: Captured[]; close(): Promise<void> }> {
  const got: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const c = { method: req.method ?? '', url: req.url ?? '', body: text ? JSON.parse(text) : undefined };
      got.push(c);
      const r = respond(c);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://${HOST}:${port}`, got, close: () => new Promise((r) => server.close(() => r())) };
}

class Clock {
  t = Date.parse('2025-06-01T10:00:00Z');
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

/** Samples as the registry would expose them: one critical service on imp01-pub, up or down. */
class Samples {
  up = true;
  samples(): ReadonlyMap<MetricId, readonly DerivedValue[]> {
    const status: DerivedValue[] = [{ labels: { cluster: 'imp01', node: 'imp01-pub', service: 'Cisco Presence Engine', status: 'Started' }, value: this.up ? 1 : 0 }];
    return new Map<MetricId, DerivedValue[]>([
      ['serviceStatus', status],
      // The collector itself (CollectorShardMissing would fire without it).
      ['collectorInfo', [{ labels: { version: '0.1.0', shard: '1/1' }, value: 1 }]],
      ['collectorShards', [{ labels: {}, value: 1 }]],
    ]);
  }
}

const dbDir = mkdtempSync(path.join(tmpdir(), 'impulse-alerts-svc-'));
const services: AlertingService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

function config(alerting: ImpulseConfig['alerting']): ImpulseConfig {
  return { clusters: [], alerting } as unknown as ImpulseConfig;
}

function make(opts: { db?: ImpulseDatabase; clock: Clock; samples: Samples; alerting?: ImpulseConfig['alerting']; audit?: AuditLike }) {
  const settings = resolveAlerting(config({ evaluationInterval: 15, externalUrl: 'https://impulse.example.com', externalLabels: { site: 'lab' }, ...opts.alerting }), { dir: dbDir });
  const s = new AlertingService({
    settings,
    inventory: inventory as never,
    reader: opts.samples,
    db: opts.db,
    audit: () => opts.audit,
    log: () => {},
    runbookDir: path.resolve(__dirname, '../../docs/runbooks'),
    now: opts.clock.now,
    minGapMs: 0,
    silenceSyncMs: 3_600_000,
  });
  services.push(s);
  s.start();
  return s;
}

const actor = { name: 'alice', address: '10.0.0.9' };
let hook: Awaited<ReturnType<typeof receiver>>;
let am: Awaited<ReturnType<typeof receiver>>;
let silenceSeq = 0;

beforeAll(async () => {
  hook = await receiver();
  am = await receiver((c) => (c.method === 'POST' && c.url === '/api/v2/silences' ? { status: 200, body: { silenceID: `s-${++silenceSeq}` } } : c.method === 'GET' ? { status: 200, body: [] } : { status: 200 }));
});
afterAll(async () => {
  await hook.close();
  await am.close();
});

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('the alerting service', () => {
  it('CriticalServiceDown: pending, firing after 1 minute, at the webhook and in the history, resolved', async () => {
    const db = openDatabase({ dataDir: dbDir, file: ':memory:' });
    const clock = new Clock();
    const samples = new Samples();
    hook.got.length = 0;
    const svc = make({ db, clock, samples, alerting: { webhooks: [{ url: `${hook.url}/hook` }] } });
    await svc.evaluateNow();
    expect(svc.snapshot().alerts).toEqual([]);
    samples.up = false;
    clock.advance(15_000);
    await svc.evaluateNow();
    expect(svc.snapshot().alerts.map((a) => [a.alertname, a.state])).toEqual([['CriticalServiceDown', 'pending']]);
    expect(svc.firingCounts()).toEqual({ critical: 0, warning: 0, info: 0 });
    clock.advance(60_000);
    await svc.evaluateNow();
    await settle();
    const [firing] = svc.snapshot().alerts;
    expect(firing).toMatchObject({ state: 'firing', cluster: 'imp01', node: 'imp01-pub', runbookUrl: 'https://impulse.example.com/alerts/runbooks/CriticalServiceDown' });
    expect(svc.firingCounts()).toEqual({ critical: 1, warning: 0, info: 0 });
    const msg = hook.got.at(-1)!.body as WebhookMessage;
    expect(hook.got.at(-1)!.url).toBe('/hook');
    expect(msg).toMatchObject({ version: '4', status: 'firing', groupLabels: { cluster: 'imp01' }, externalURL: 'https://impulse.example.com' });
    expect(msg.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { alertname: 'CriticalServiceDown', severity: 'critical', cluster: 'imp01', node: 'imp01-pub', service: 'Cisco Presence Engine', site: 'lab' },
      annotations: { runbook_url: 'https://impulse.example.com/alerts/runbooks/CriticalServiceDown' },
      endsAt: '0001-01-01T00:00:00Z',
    });
    // Not repeated before the repeat interval (4 h).
    const before = hook.got.length;
    clock.advance(60_000);
    await svc.evaluateNow();
    await settle();
    expect(hook.got.length).toBe(before);
    samples.up = true;
    clock.advance(15_000);
    await svc.evaluateNow();
    await settle();
    expect((hook.got.at(-1)!.body as WebhookMessage).alerts[0]).toMatchObject({ status: 'resolved', endsAt: new Date(clock.t).toISOString() });
    const [row] = alertHistory(db);
    expect(row).toMatchObject({ alertname: 'CriticalServiceDown', state: 'resolved', cluster: 'imp01', node: 'imp01-pub', firedAt: clock.t - 75_000, resolvedAt: clock.t });
    expect(svc.history({ cluster: 'cucm01' }).rows).toEqual([]);
    db.close();
  });

  it('carries a pending alert across a restart and fires it on time', async () => {
    const file = `restart-${Date.now()}.db`;
    const db = openDatabase({ dataDir: dbDir, file });
    const clock = new Clock();
    const samples = new Samples();
    samples.up = false;
    const first = make({ db, clock, samples });
    await first.evaluateNow();
    const activeAt = first.snapshot().alerts[0].activeAt;
    clock.advance(30_000);
    await first.evaluateNow();
    await first.stop();
    expect(openAlerts(db).map((r) => r.state)).toEqual(['pending']);
    clock.advance(35_000);
    const second = make({ db, clock, samples });
    await second.evaluateNow();
    expect(second.snapshot().alerts[0]).toMatchObject({ state: 'firing', activeAt });
    expect(openAlerts(db).map((r) => [r.state, r.activeAt])).toEqual([['firing', activeAt]]);
    db.close();
  });

  it('a maintenance window on the node keeps the alert quiet (not notified, not counted), and is audited', async () => {
    const clock = new Clock();
    const samples = new Samples();
    hook.got.length = 0;
    const records: Array<Parameters<AuditLike['record']>[0]> = [];
    const svc = make({ clock, samples, alerting: { webhooks: [{ url: hook.url }] }, audit: { record: (e) => records.push(e) } });
    const bad = await svc.openWindow({ cluster: 'imp01', node: 'nope', startsAt: clock.t, endsAt: clock.t - 1, reason: ' ' }, actor);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual(["cluster imp01 has no node 'nope'", 'the end must be after the start', 'the end is in the past', expect.stringMatching(/a reason is required/)]);
    const opened = await svc.openWindow({ cluster: 'imp01', node: 'imp01-pub', startsAt: clock.t, endsAt: clock.t + 2 * 3_600_000, reason: 'upgrade to 15 SU3' }, actor);
    expect(opened.ok && opened.window).toMatchObject({ status: 'active', scope: 'node imp01-pub (cluster imp01)', createdBy: 'alice', createdFrom: '10.0.0.9' });
    expect(svc.windowsPersistent()).toBe(false);
    samples.up = false;
    await svc.evaluateNow();
    clock.advance(61_000);
    await svc.evaluateNow();
    await settle();
    const [a] = svc.snapshot().alerts;
    expect(a).toMatchObject({ state: 'firing', suppressedBy: { id: 1, reason: 'upgrade to 15 SU3' } });
    expect(svc.firingCounts().critical).toBe(0);
    expect(hook.got).toEqual([]);
    expect(svc.windows()[0].suppressing).toBe(1);
    const cancelled = await svc.cancelWindow(1, { name: 'bob', address: '10.0.0.8' });
    expect(cancelled.ok && cancelled.window).toMatchObject({ status: 'cancelled', cancelledBy: 'bob' });
    await svc.evaluateNow();
    await settle();
    expect((hook.got.at(-1)?.body as WebhookMessage).alerts[0].labels.alertname).toBe('CriticalServiceDown');
    expect(records.map((r) => [r.action, r.outcome, r.actor.name])).toEqual([
      ['maintenance.open', 'failure', 'alice'],
      ['maintenance.open', 'success', 'alice'],
      ['maintenance.cancel', 'success', 'bob'],
    ]);
  });

  it("sends to Alertmanager as Prometheus does and mirrors windows as silences that are expired on cancel", async () => {
    const clock = new Clock();
    const samples = new Samples();
    am.got.length = 0;
    const svc = make({ clock, samples, alerting: { alertmanagers: [{ url: am.url }], resendDelay: 60 } });
    samples.up = false;
    await svc.evaluateNow();
    clock.advance(60_000);
    await svc.evaluateNow();
    await settle();
    const posts = am.got.filter((c) => c.url === '/api/v2/alerts');
    expect(posts).toHaveLength(1);
    const [alert] = posts[0].body as Array<{ labels: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string }>;
    expect(alert.labels).toMatchObject({ alertname: 'CriticalServiceDown', site: 'lab' });
    expect(alert.startsAt).toBe(new Date(clock.t).toISOString());
    // endsAt = now + 4 × max(resend delay, interval): Alertmanager resolves it by itself if IMPulse stops.
    expect(alert.endsAt).toBe(new Date(clock.t + 4 * 60_000).toISOString());
    expect(alert.generatorURL).toBe('https://impulse.example.com/alerts');
    const opened = await svc.openWindow({ cluster: 'imp01', startsAt: clock.t, endsAt: clock.t + 3_600_000, reason: 'reboot' }, actor);
    expect(opened.ok).toBe(true);
    const create = am.got.find((c) => c.method === 'POST' && c.url === '/api/v2/silences')!;
    expect(create.body).toMatchObject({ matchers: [{ name: 'cluster', value: 'imp01', isRegex: false, isEqual: true }], createdBy: 'alice', comment: 'IMPulse maintenance window #1: reboot' });
    expect(svc.windows()[0].silences).toEqual({ [am.url]: 's-1' });
    await svc.cancelWindow(1, actor);
    expect(am.got.some((c) => c.method === 'DELETE' && c.url === '/api/v2/silence/s-1')).toBe(true);
    expect(svc.windows()[0].silences).toEqual({});
    // Still firing after the resend delay: sent again.
    clock.advance(61_000);
    await svc.evaluateNow();
    await settle();
    expect(am.got.filter((c) => c.url === '/api/v2/alerts')).toHaveLength(2);
  });

  it('uses the address the dashboard is served at for runbook links unless alerting.externalUrl is set', async () => {
    const clock = new Clock();
    const samples = new Samples();
    samples.up = false;
    const settings = resolveAlerting(config({}), { dir: dbDir });
    const svc = new AlertingService({ settings, inventory: inventory as never, reader: samples, log: () => {}, runbookDir: '.', now: clock.now, minGapMs: 0 });
    services.push(svc);
    svc.start();
    svc.servedAt('http://127.0.0.1:40123');
    await svc.evaluateNow();
    expect(svc.snapshot().alerts[0].runbookUrl).toBe('http://127.0.0.1:40123/alerts/runbooks/CriticalServiceDown');
  });
});
