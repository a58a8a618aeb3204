// "What is wrong now": which observations make a problem, how bad, in what order, since when,
// and the overview's verdicts built from them.
import { describe, expect, it } from 'vitest';
import type { ObservationView } from '../../collectors/engine/store';
import { EventDetector } from '../../collectors/history/events';
import type { EventRecord, StateSince } from '../../collectors/history/types';
import { UnavailableEventLog } from '../../collectors/history/unavailable';
import { overviewModel } from '../../collectors/views/overview';
import { fleetProblems } from '../../collectors/views/problems';
import { FleetIndex } from '../../collectors/views/readings';
import { certificates, failing, ha, haLines, healthy, input, inventory, memoryEvents, NOW, obs, perfmon, replace, replication, services } from './views-fixture';

const inv = inventory();

/** critical-service-down on imp01-pub, after the failover: Presence Engine stopped, P12. */
function failedOver() {
  const lines = haLines('imp01', { 'imp01-pub': ['Failed Over with Critical Services not Running', 'Critical Service Down'], 'imp01-sub1': ['Running in Backup Mode', 'Critical Service Down'] });
  let list = healthy(inv);
  for (const n of ['imp01-pub', 'imp01-sub1', 'imp01-sub2', 'imp01-sub3']) list = replace(list, n, 'ha', (o) => ({ ...o, value: ha('imp01', n, lines) }));
  list = replace(list, 'imp01-pub', 'services', (o) => ({ ...o, value: services('imp', { 'Cisco Presence Engine': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) }));
  return list;
}

describe('problems', () => {
  it('a healthy fleet has none, and every node is ok', () => {
    const m = overviewModel(input(inv, healthy(inv)));
    expect(m.problems).toEqual([]);
    expect(m.totals.byHealth.ok).toBe(inv.nodes.length);
    expect(m.clusters.every((c) => c.verdict === 'ok')).toBe(true);
  });

  it('nothing collected yet is "unknown", not ok', () => {
    const m = overviewModel(input(inv, []));
    expect(m.totals.byHealth.unknown).toBe(inv.nodes.length);
    expect(m.clusters.map((c) => c.verdict)).toEqual(['unknown', 'unknown']);
  });

  it('a failover after a critical service stopped: the pair (Cisco P12) and the service, critical, HA first', () => {
    const m = overviewModel(input(inv, failedOver()));
    expect(m.problems.map((p) => [p.severity, p.kind, p.node])).toEqual([
      ['critical', 'ha', 'imp01-pub'],
      ['critical', 'service', 'imp01-pub'],
    ]);
    const [pair, svc] = m.problems;
    expect(pair.what).toBe('HA imp01-prg1: imp01-pub Failed Over with Critical Services not Running (Critical Service Down)');
    expect(pair.detail).toContain('Peer imp01-sub1 Running in Backup Mode (Critical Service Down)');
    expect(pair.detail).toContain('Cisco P12: A critical service is down on node 1.');
    expect(pair.href).toBe('/ha?cluster=imp01#imp01%2Fimp01-prg1');
    expect(svc.what).toBe('Cisco Presence Engine Stopped (HA critical service)');
    expect(svc.detail).toBe('Component is not running');
    // Both nodes of the pair are critical; the cluster's verdict is the worst of its nodes; it comes first.
    const imp = m.clusters[0];
    expect(imp.name).toBe('imp01');
    expect(imp.verdict).toBe('critical');
    expect(imp.counts).toMatchObject({ critical: 2, ok: 2 });
    expect(imp.nodes.find((n) => n.name === 'imp01-sub1')!.health).toBe('critical');
    expect(imp.nodes.find((n) => n.name === 'imp01-pub')!.label).toContain('HA imp01-prg1');
    expect(m.clusters[1]).toMatchObject({ name: 'cucm01', verdict: 'ok' });
  });

  it('a service that is not activated, or commanded out of service, is not a problem unless it is HA critical', () => {
    let list = healthy(inv);
    list = replace(list, 'imp01-sub2', 'services', (o) => ({
      ...o,
      value: services('imp', {
        'Cisco Tomcat': { status: 'Stopped', reasonCode: -1069, reason: 'Commanded Out of Service', startTime: null },
        'Cisco DRF Master': { status: 'Stopped', reasonCode: -1068, reason: 'Service Not Activated', startTime: null },
        'Cisco Sync Agent': { status: 'Stopped', reasonCode: -1069, reason: 'Commanded Out of Service', startTime: null },
      }),
    }));
    list = replace(list, 'cucm01-pub', 'services', (o) => ({ ...o, value: services('cucm', { 'Cisco Tftp': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) }));
    const { problems } = fleetProblems(new FleetIndex(input(inv, list)));
    expect(problems.map((p) => [p.severity, p.node, p.subject])).toEqual([
      ['critical', 'imp01-sub2', 'Cisco Sync Agent'],
      ['warning', 'cucm01-pub', 'Cisco Tftp'],
    ]);
  });

  it('a node that answers nothing is one "unreachable" problem (kind named), and its peer shows Cisco P17', () => {
    let list = healthy(inv);
    // Node down: the fast sources fail with connection errors; hourly and daily ones still look fresh.
    for (const s of ['perfmon', 'ha', 'services'] as const) list = replace(list, 'imp01-sub3', s, (o) => failing(o, 'connection'));
    const lines = haLines('imp01', { 'imp01-sub2': ['Running in Backup Mode', 'Peer Reboot'], 'imp01-sub3': ['Failed Over', 'Peer Reboot'] });
    for (const n of ['imp01-pub', 'imp01-sub1', 'imp01-sub2']) list = replace(list, n, 'ha', (o) => ({ ...o, value: ha('imp01', n, lines) }));
    const { problems, health } = fleetProblems(new FleetIndex(input(inv, list)));
    expect(problems.map((p) => [p.kind, p.node])).toEqual([
      ['unreachable', 'imp01-sub3'],
      ['ha', 'imp01-sub3'],
    ]);
    expect(problems[0].what).toBe('Node unreachable (connection)');
    expect(problems[0].sinceBasis).toBe('last-success');
    expect(problems[1].detail).toContain('Cisco P17');
    expect(health.get('imp01\u0000imp01-sub2')).toBe('critical');
  });

  it('one failing source among answering ones is a collection warning, not an unreachable node', () => {
    let list = healthy(inv);
    list = replace(list, 'imp01-sub1', 'perfmon', (o) => failing(o, 'timeout'));
    list = replace(list, 'imp01-sub2', 'services', (o) => failing(o, 'auth'));
    const { problems } = fleetProblems(new FleetIndex(input(inv, list)));
    expect(problems.map((p) => [p.severity, p.kind, p.node, p.what])).toEqual([
      ['warning', 'collection', 'imp01-sub1', 'perfmon collection failing (timeout)'],
      ['warning', 'collection', 'imp01-sub2', 'services collection failing (auth)'],
    ]);
  });

  it('a source whose polls are late is stale: said as a problem, its values are not used', () => {
    const list = replace(healthy(inv), 'imp01-pub', 'perfmon', (o) => ({ ...o, value: perfmon({ cpu: 99, jsm: 10 }), at: NOW - 120_000, fresh: false }));
    const { problems } = fleetProblems(new FleetIndex(input(inv, list)));
    expect(problems.map((p) => p.what)).toEqual(['perfmon data is stale (polls are late)']);
  });

  it('certificates: expired and within the critical days are critical, within the warning days a warning; TLS and CLI sightings count once', () => {
    let list = healthy(inv);
    list = replace(list, 'imp01-sub1', 'certificates', (o) => ({ ...o, value: certificates('imp01-sub1', { tomcat: -3, 'cup-xmpp': 5, ipsec: 20 }) }));
    const { problems } = fleetProblems(new FleetIndex(input(inv, list)));
    expect(problems.map((p) => [p.severity, p.subject, p.what])).toEqual([
      ['critical', 'tomcat', 'Certificate tomcat expired 2 days ago'],
      ['critical', 'cup-xmpp', 'Certificate cup-xmpp expires in 5 days'],
      ['warning', 'ipsec', 'Certificate ipsec expires in 20 days'],
    ]);
    expect(problems[0].sinceBasis).toBe('expiry');
  });

  it('capacity over the configured thresholds: CPU, a partition, JSM sessions', () => {
    const inv2 = inventory({ thresholds: { cpuWarningPercent: 80, partitionUsedWarningPercent: 85, jsmSessionsWarningRatio: 0.5 } });
    let list = healthy(inv2);
    list = replace(list, 'imp01-sub1', 'perfmon', (o) => ({ ...o, value: perfmon({ cpu: 81, partitions: { Active: 86, Common: 85 }, jsm: 20_000 }) }));
    list = replace(list, 'imp01-sub2', 'perfmon', (o) => ({ ...o, value: perfmon({ jsm: 100, exceeds: 1 }) }));
    const { problems } = fleetProblems(new FleetIndex(input(inv2, list)));
    expect(problems.map((p) => `${p.node}: ${p.what}`)).toEqual([
      'imp01-sub1: CPU 81 % (threshold 80 %)',
      'imp01-sub1: JSM sessions at 53 % of capacity (threshold 50 %)',
      'imp01-sub1: Partition Active 86 % used (threshold 85 %)',
      'imp01-sub2: JSM sessions at 0 % of capacity (threshold 50 %)',
    ]);
    expect(problems[3].detail).toContain('JSMSessionsExceedsThreshold is set');
  });

  it('replication: a server not 2 (3 critical, 0 warning), a queue over the threshold, a growing queue, a DB that is not running', () => {
    const nodes = inv.clusters[1].nodes.map((n) => n.name);
    let list = replace(healthy(inv), 'imp01-pub', 'replication', (o) => ({
      ...o,
      value: replication('imp01', nodes, { 'imp01-sub1': { setupState: 3, details: 'Out Of Sync', queue: 734 }, 'imp01-sub2': { setupState: 0, details: 'Not Setup' }, 'imp01-sub3': { queue: 40 } }),
    }));
    list = replace(list, 'cucm01-pub', 'replication', (o) => ({ ...o, value: { status: 'db-not-running', message: 'Cisco DB is not running', servers: [] } }));
    const trends = new Map([['imp01\u0000imp01-sub3', { first: 10, last: 40, spanMs: 600_000, growing: true }]]);
    const { problems } = fleetProblems(new FleetIndex(input(inv, list)), { queueTrends: trends });
    expect(problems.map((p) => [p.severity, p.node, p.what])).toEqual([
      ['critical', 'cucm01-pub', 'Replication state cannot be read: Cisco DB is not running'],
      ['critical', 'imp01-sub1', 'Replication setup state (3) Bad in the cluster; queue 734 (threshold 100)'],
      ['warning', 'imp01-sub2', 'Replication setup state (0) Not started or initializing'],
      ['warning', 'imp01-sub3', 'Replication queue growing 10 → 40 in 10 min'],
    ]);
  });

  it('an unreachable intercluster peer is a warning on the publisher', () => {
    const inv2 = inventory({}, 2);
    const list = replace(healthy(inv2), 'imp01-pub', 'peers', (o) => ({ ...o, value: { peers: [{ peer: 'imp02', publisher: 'imp02-pub', up: false, kind: 'timeout', error: 'no answer' }] } }));
    const { problems } = fleetProblems(new FleetIndex(input(inv2, list)));
    expect(problems.map((p) => [p.severity, p.node, p.what])).toEqual([['warning', 'imp01-pub', 'Intercluster peer imp02 not reachable (timeout)']]);
  });
});

describe('since when', () => {
  it('without an event log: the latest poll, said to be so', () => {
    const m = overviewModel(input(inv, failedOver()));
    expect(m.sinceBasis).toBe('observations');
    expect(m.problems[0]).toMatchObject({ sinceBasis: 'observed', since: NOW - 5_000 });
  });

  it("with an event log: the time of the change into the current state (not an older change of the same subject)", () => {
    const t0 = NOW - 3_600_000;
    const events = memoryEvents([
      { at: t0, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco Presence Engine', from: 'Started', to: 'Stopped', detail: '', severity: 'critical' },
      { at: t0 + 60_000, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco Presence Engine', from: 'Stopped', to: 'Started', detail: '', severity: 'ok' },
      { at: NOW - 600_000, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco Presence Engine', from: 'Started', to: 'Stopped', detail: '', severity: 'critical' },
      { at: NOW - 500_000, cluster: 'imp01', node: 'imp01-pub', kind: 'ha', subject: 'imp01-prg1', from: 'Normal', to: 'Failed Over with Critical Services not Running', detail: 'Critical Service Down', severity: 'critical' },
    ]);
    const m = overviewModel(input(inv, failedOver(), events));
    expect(m.sinceBasis).toBe('events');
    const byKind = Object.fromEntries(m.problems.map((p) => [p.kind, p]));
    expect(byKind.service).toMatchObject({ since: NOW - 600_000, sinceBasis: 'event' });
    expect(byKind.ha).toMatchObject({ since: NOW - 500_000, sinceBasis: 'event' });
    // Older problems first within a severity and kind order; one query per node and kind.
    expect(events.calls).toBe(2);
  });

  it('an event log that fails falls back to the poll times and says why', () => {
    const broken = { list: () => { throw new Error('database is locked'); }, count: () => 0, status: () => ({ available: true }), states: () => { throw new Error('database is locked'); } };
    const m = overviewModel(input(inv, failedOver(), broken));
    expect(m.sinceBasis).toBe('observations');
    expect(m.eventsError).toBe('database is locked');
    expect(m.problems[0].sinceBasis).toBe('observed');
  });
});

describe('since when, from the events the history branch records', () => {
  // The real detector (collectors/history/events.ts) turns successive observations into the log's
  // records; the problems must find their change in it (its subjects and state words, not ours).
  function detect(steps: { at: number; list: ObservationView[] }[]) {
    const detector = new EventDetector({ thresholds: inv.thresholds });
    const records: Omit<EventRecord, 'id'>[] = [];
    const states = new Map<string, StateSince>();
    for (const step of steps) {
      for (const o of step.list) detector.observe({ ...o, at: o.ok ? step.at : o.at, error: o.error && { ...o.error, at: step.at }, lastAttemptAt: step.at });
      const taken = detector.take();
      records.push(...taken.events);
      for (const st of taken.states) states.set(`${st.cluster}/${st.node}/${st.kind}/${st.subject}`, st);
    }
    // The log's states are the detector's (baselines included); its records the changes.
    return memoryEvents(records, [...states.values()]);
  }

  it('HA, service, replication (under the server name the publisher prints) and an unreachable node', () => {
    const t1 = NOW - 20 * 60_000;
    const t2 = NOW - 10 * 60_000;
    const nodes = inv.clusters[1].nodes.map((n) => n.name);
    // cucm01-pub's Cisco Tftp is already stopped when IMPulse first looks: "at least since" then.
    const tftp = (o: ObservationView) => ({ ...o, value: services('cucm', { 'Cisco Tftp': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) });
    let broken = replace(failedOver(), 'cucm01-pub', 'services', tftp);
    broken = replace(broken, 'imp01-pub', 'replication', (o) => ({ ...o, value: replication('imp01', nodes.map((n) => (n === 'imp01-sub2' ? 'IMP01-SUB2.example.com' : n)), { 'IMP01-SUB2.example.com': { setupState: 3, details: 'Out Of Sync' } }) }));
    // imp01-sub3 goes down at t2: everything it answered is older; its fast sources fail from then on.
    let down = broken.map((o) => (o.node === 'imp01-sub3' ? { ...o, at: t2 - 60_000, lastAttemptAt: t2 - 60_000 } : o));
    for (const s of ['perfmon', 'services', 'ha'] as const) down = replace(down, 'imp01-sub3', s, (o) => failing({ ...o, fresh: false }, 'connection', t2, 1));
    let baseline = replace(healthy(inv), 'imp01-pub', 'replication', (o) => ({ ...o, value: replication('imp01', nodes.map((n) => (n === 'imp01-sub2' ? 'IMP01-SUB2.example.com' : n))) }));
    baseline = replace(baseline, 'cucm01-pub', 'services', tftp);
    const events = detect([
      { at: NOW - 30 * 60_000, list: baseline },
      { at: t1, list: broken },
      { at: t2, list: down },
    ]);
    // Now: the failures went on every interval since t2.
    const now = down.map((o) => (o.node === 'imp01-sub3' && !o.ok ? failing(o, 'connection', NOW - 2_000, 1 + Math.floor((NOW - 2_000 - t2) / o.intervalMs)) : o));
    const m = overviewModel(input(inv, now, events));
    const since = Object.fromEntries(m.problems.map((p) => [`${p.kind} ${p.node}`, [p.sinceBasis, p.since]]));
    expect(since['ha imp01-pub']).toEqual(['event', t1]);
    expect(since['service imp01-pub']).toEqual(['event', t1]);
    expect(since['replication imp01-sub2']).toEqual(['event', t1]);
    expect(since['unreachable imp01-sub3']).toEqual(['event', t2]);
    expect(since['service cucm01-pub']).toEqual(['first-seen', NOW - 30 * 60_000]);
  });

  it('an event log that is not recording (no database) is not used', () => {
    const m = overviewModel(input(inv, failedOver(), new UnavailableEventLog('events are not recorded: the database is not available')));
    expect(m.sinceBasis).toBe('observations');
  });
});

describe('overview at fleet scale', () => {
  it('210 nodes: compact strips, problems capped at 50 unless all are asked for, clusters with problems first', () => {
    const big = inventory({}, 29);
    let list = healthy(big);
    // A bad day: a service stopped on 60 nodes.
    let n = 0;
    for (const node of big.nodes.filter((x) => x.product === 'imp').slice(0, 60)) {
      list = replace(list, node.name, 'services', (o) => ({ ...o, value: services('imp', { 'Cisco Tomcat': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) }));
      n++;
    }
    const m = overviewModel(input(big, list));
    expect(m.totals.nodes).toBe(1 + 29 * 4);
    expect(m.problems).toHaveLength(n);
    expect(m.shown).toBe(50);
    expect(overviewModel(input(big, list), { allProblems: true }).shown).toBe(n);
    expect(m.clusters[0].verdict).toBe('warning');
    expect(m.clusters.at(-1)!.verdict).toBe('ok');
    expect(m.clusters[0].nodes.map((x) => x.short)).toEqual(['pub', 'sub1', 'sub2', 'sub3']);
  });
});

describe('observation fields from other branches', () => {
  it('a parser\'s unread rows, when an observation carries them, are read defensively', async () => {
    const { parseProblems } = await import('../../collectors/views/readings');
    const o = obs('imp01', 'imp01-pub', 'services', services('imp'));
    expect(parseProblems(o)).toEqual([]);
    expect(parseProblems({ ...o, problems: [{ line: 7, raw: 'Cisco ??? [BROKEN]', reason: 'unknown status', command: 'utils service list' }, null, 'x'] } as never)).toEqual([
      { line: 7, raw: 'Cisco ??? [BROKEN]', reason: 'unknown status', command: 'utils service list' },
    ]);
  });
});
