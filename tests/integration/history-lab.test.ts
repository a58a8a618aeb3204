// History and events over the lab, real sockets end to end: the collector polls the lab, the
// history service records what /metrics exports and turns faults injected through the lab's
// control API into the events an on-call engineer reads (HA failover with Cisco's reason, the
// stopped critical service, a node going unreachable and back, a certificate crossing a
// threshold, replication breaking).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceName } from '../../config/schema';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { HistoryService } from '../../server/services/history';
import type { ImpulseRuntime } from '../../server/runtime';
import type { EventRecord } from '../../collectors/history/types';
import { startRig, type LabRig } from './sources-lab';

let rig: LabRig;
let db: ImpulseDatabase;
let svc: HistoryService;
let rt: ImpulseRuntime;
const PUB = 'imp01-pub';
const SUB = 'imp01-sub1';
const started = Date.now();

beforeAll(async () => {
  // 60× simulated time: the 90 s Critical Service Down Delay passes in ~1.5 s.
  rig = await startRig({ addressBase: '127.111', clusters: 1, nodes: 2, timeScale: 60 });
  db = openDatabase({ dataDir: rig.dir });
  rt = { configPath: '', config: {} as never, inventory: rig.inventory, dataDir: rig.dir, collector: rig.collector, db, startedAt: Date.now(), log: () => {} };
  svc = new HistoryService({ flushIntervalMs: 3_600_000 });
  await svc.start(rt);
  const outcomes = await rig.poll();
  expect(outcomes.filter((o) => !o.ok).map((o) => `${o.task.id}: ${o.kind}`)).toEqual([]);
  svc.tick();
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  db?.close();
  await rig?.stop();
});

const inject = (kind: string, target: string, params?: Record<string, unknown>) => rig.control('POST', '/v1/faults', { kind, target, params });
const clear = () => rig.control('DELETE', '/v1/faults');
const events = (f: Parameters<NonNullable<ImpulseRuntime['events']>['list']>[0] = {}) => rt.events!.list({ since: started, ...f });

/** Polls and ticks until `want` finds what it looks for in the event log (simulated time moves meanwhile). */
async function until(sources: SourceName[], nodes: string[], want: (all: EventRecord[]) => boolean): Promise<EventRecord[]> {
  for (let i = 0; i < 40; i++) {
    await rig.poll(sources, nodes);
    svc.tick();
    const all = events({ limit: 1000 });
    if (want(all)) return all;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`expected events not seen; have:\n${events({ limit: 1000 }).map((e) => `${e.node} ${e.kind} ${e.subject}: ${e.from} → ${e.to}`).join('\n')}`);
}

describe('history and events over the lab', () => {
  it('the first round of polls is the baseline: charts have points, the event log has nothing', async () => {
    expect(events()).toEqual([]);
    await rig.poll(['perfmon'], [PUB]);
    svc.tick();
    const now = Date.now();
    const res = await rt.history!.query({ cluster: 'imp01', node: PUB, from: started, to: now });
    const byId = new Map(res.series.map((s) => [s.id, s]));
    expect(byId.get('cpu')!.lines[0].points.length).toBeGreaterThanOrEqual(2);
    expect(byId.get('jsm-sessions')!.lines.map((l) => l.key)).toEqual(expect.arrayContaining(['client', 'phantom']));
    expect(byId.get('partitions')!.lines.map((l) => l.key)).toEqual(expect.arrayContaining(['Active', 'Common']));
    expect(byId.get('replication-setup')!.lines[0].points.at(-1)!.v).toBe(2);
    // The chart shows exactly what /metrics exports for the node right now.
    const text = await rig.collector.metrics();
    const exported = Number(/impulse_cpu_usage_ratio\{cluster="imp01",node="imp01-pub"\} (\S+)/.exec(text)![1]);
    expect(byId.get('cpu')!.lines[0].points.at(-1)!.v).toBeCloseTo(exported, 12);
  });

  it('critical-service-down: the stopped service and the HA failover of both nodes, with Cisco\'s words', async () => {
    await inject('critical-service-down', PUB);
    const all = await until(['services', 'ha'], [PUB, SUB], (ev) => ev.some((e) => e.kind === 'ha' && e.node === SUB && e.to === 'Running in Backup Mode') && ev.some((e) => e.kind === 'ha' && e.node === PUB && /^Failed Over with Critical/i.test(e.to)));
    expect(all.filter((e) => e.kind === 'service')).toMatchObject([{ node: PUB, subject: 'Cisco Presence Engine', from: 'Started', to: 'Stopped', detail: 'Component is not running', severity: 'critical' }]);
    // Each node's HA story, oldest first: from Normal through Cisco's transition states to the failover.
    const story = (node: string) => all.filter((e) => e.kind === 'ha' && e.node === node).reverse();
    const pub = story(PUB);
    expect(pub[0].from).toBe('Normal');
    expect(pub.at(-1)).toMatchObject({ to: expect.stringMatching(/^Failed Over with Critical Services not Running$/i), detail: 'Critical Service Down', severity: 'critical' });
    const sub = story(SUB);
    expect(sub[0].from).toBe('Normal');
    expect(sub.at(-1)).toMatchObject({ to: 'Running in Backup Mode' });
    // Every event continues from where the previous one left the node.
    for (const s of [pub, sub]) for (let i = 1; i < s.length; i++) expect(s[i].from).toBe(s[i - 1].to);
    // How long in this state: since the last change, as the /ha page shows it.
    const ha = rt.events!.states({ cluster: 'imp01', kinds: ['ha'] });
    expect(ha.find((x) => x.node === SUB)).toMatchObject({ state: 'Running in Backup Mode', since: sub.at(-1)!.at, observedChange: true });
    // Polling again without change adds nothing.
    const before = events({ limit: 1000 }).length;
    await rig.poll(['services', 'ha'], [PUB, SUB]);
    svc.tick();
    expect(events({ limit: 1000 })).toHaveLength(before);
    expect(events({ node: PUB, kinds: ['service'] })).toHaveLength(1);
    await clear();
  });

  it('node-down: the node goes unreachable with the error kind, and comes back', async () => {
    await inject('node-down', SUB);
    await until(['perfmon'], [SUB], (ev) => ev.some((e) => e.kind === 'reachability' && e.node === SUB && e.subject === 'perfmon' && e.from === 'ok'));
    const down = events({ node: SUB, kinds: ['reachability'] })[0];
    expect(down).toMatchObject({ cluster: 'imp01', subject: 'perfmon', from: 'ok', severity: 'critical' });
    expect(['connection', 'timeout']).toContain(down.to);
    await clear();
    await until(['perfmon'], [SUB], (ev) => ev.some((e) => e.kind === 'reachability' && e.node === SUB && e.to === 'ok'));
    const res = await rt.history!.query({ cluster: 'imp01', node: SUB, series: ['target-up'], from: started, to: Date.now() });
    const perfmonUp = res.series[0].lines.find((l) => l.key === 'perfmon')!.points.map((p) => p.v);
    expect(perfmonUp).toContain(0);
    expect(perfmonUp.at(-1)).toBe(1);
  });

  it('cert-expiring and replication-broken: a threshold crossed, a setup state that is not 2', async () => {
    await inject('cert-expiring', PUB, { unit: 'tomcat', days: 5 });
    await inject('replication-broken', SUB);
    const all = await until(['certificates', 'replication'], [PUB, SUB], (ev) => ev.some((e) => e.kind === 'certificate') && ev.some((e) => e.kind === 'replication'));
    const cert = all.find((e) => e.kind === 'certificate')!;
    expect(cert).toMatchObject({ node: PUB, subject: expect.stringMatching(/^tomcat/), from: 'valid', to: 'expiring soon', severity: 'critical' });
    expect(cert.detail).toMatch(/[45] days left/);
    expect(all.find((e) => e.kind === 'replication')).toMatchObject({ node: SUB, subject: 'replication setup', from: '2 (good)', to: '3 (bad in the cluster)', severity: 'critical' });
    await clear();
  });
});
