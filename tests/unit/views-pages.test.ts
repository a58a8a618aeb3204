// The page models: cluster, node, HA, replication, certificates, services and events — what each
// page shows, in what order, with which filters, and that stale data is never a current value.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/csv';
import { certificatesCsv, certificatesModel } from '../../collectors/views/certificates';
import { clusterModel } from '../../collectors/views/cluster';
import { eventsModel } from '../../collectors/views/events';
import { haModel } from '../../collectors/views/ha';
import { nodeModel } from '../../collectors/views/node';
import { queueTrend, replicationModel } from '../../collectors/views/replication';
import { servicesCsv, servicesModel } from '../../collectors/views/services';
import { certificates, failing, ha, haLines, healthy, input, inventory, memoryEvents, NOW, perfmon, replace, replication, services } from './views-fixture';

const inv = inventory();

describe('cluster page', () => {
  it('every node with its figures; a stale source shows no value; pairs and peers', () => {
    let list = healthy(inv);
    list = replace(list, 'imp01-sub1', 'perfmon', (o) => ({ ...o, value: perfmon({ cpu: 77, jsm: 10_000 }), at: NOW - 600_000, fresh: false }));
    list = replace(list, 'imp01-sub2', 'services', (o) => ({ ...o, value: services('imp', { 'Cisco XCP Router': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) }));
    const m = clusterModel(input(inv, list), 'imp01')!;
    expect(m.nodes.map((n) => n.name)).toEqual(['imp01-pub', 'imp01-sub1', 'imp01-sub2', 'imp01-sub3']);
    const [pub, sub1, sub2] = m.nodes;
    expect(pub.cpu).toMatchObject({ state: 'fresh', value: 12 });
    expect(pub.jsm?.value).toMatchObject({ sessions: 10_000, activeUsers: 10_000 });
    expect(pub.jsm?.value?.ratio).toBeCloseTo(10_000 / 37_500);
    expect(pub.replication.value).toEqual({ setupState: 2, meaning: 'Good', queue: 0 });
    expect(pub.ha?.value).toEqual({ group: 'imp01-prg1', state: 'Normal', reason: null });
    expect(pub.version.value).toBe('15.0.1.12900-15');
    expect(pub.nearestCertificate.value).toMatchObject({ unit: 'tomcat', daysLeft: 400 });
    // Stale: the state is said, the old 77 % is not given as a value.
    expect(sub1.cpu).toMatchObject({ state: 'stale', value: undefined });
    expect(sub1.collection.notCurrent).toEqual([{ source: 'perfmon', state: 'stale', kind: undefined }]);
    expect(sub2.servicesNotStarted.value).toEqual({ count: 1, names: ['Cisco XCP Router'] });
    expect(sub2.health).toBe('critical');
    expect(m.verdict).toBe('critical');
    expect(m.groups.map((g) => [g.name, g.nodes.map((n) => n.node), g.verdict?.row])).toEqual([
      ['imp01-prg1', ['imp01-pub', 'imp01-sub1'], 'P1'],
      ['imp01-prg2', ['imp01-sub2', 'imp01-sub3'], 'P1'],
    ]);
    expect(clusterModel(input(inv, list), 'nope')).toBeUndefined();
  });

  it('peers with their reachability, linked when the peer is configured', () => {
    const inv2 = inventory({}, 2);
    const list = replace(healthy(inv2), 'imp01-pub', 'peers', (o) => ({ ...o, value: { peers: [{ peer: 'imp02', publisher: 'imp02-pub', up: false, kind: 'connection', error: 'refused' }] } }));
    const m = clusterModel(input(inv2, list), 'imp01')!;
    expect(m.peers).toMatchObject({ configured: ['imp02'], state: 'fresh', rows: [{ peer: 'imp02', up: false, href: '/clusters/imp02' }] });
  });
});

describe('node page', () => {
  it('services problems first, then HA critical ones; uptime; the last error of each source; events', () => {
    let list = healthy(inv);
    list = replace(list, 'imp01-pub', 'services', (o) => ({ ...o, value: services('imp', { 'Cisco Tomcat': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) }));
    list = replace(list, 'imp01-pub', 'ha', (o) => failing(o, 'parse'));
    const events = memoryEvents([{ at: NOW - 60_000, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco Tomcat', from: 'Started', to: 'Stopped', detail: 'Component is not running', severity: 'warning' }]);
    const m = nodeModel(input(inv, list, events), 'imp01', 'imp01-pub')!;
    expect(m.services.rows[0]).toMatchObject({ name: 'Cisco Tomcat', status: 'Stopped', problem: true, critical: false, uptimeSeconds: null });
    expect(m.services.rows.slice(1, 7).every((r) => r.critical)).toBe(true);
    expect(m.services.rows.find((r) => r.name === 'Cisco XCP Router')!.uptimeSeconds).toBeCloseTo(10 * 86_400, -1);
    expect(m.services.rows.find((r) => r.name === 'Cisco XCP Message Archiver')).toMatchObject({ notActivated: true, problem: false });
    const haSource = m.sources.find((s) => s.source === 'ha')!;
    expect(haSource).toMatchObject({ state: 'failing', error: { kind: 'parse' }, failures: 1 });
    expect(m.certificates.rows.map((r) => r.unit)).toEqual(['tomcat', 'cup-xmpp', 'ipsec']);
    expect(m.events).toMatchObject({ available: true, total: 1 });
    expect(m.group?.name).toBe('imp01-prg1');
    expect(m.summary.problems.map((p) => p.kind)).toEqual(['service', 'collection']);
  });

  it('no event log: the page says so instead of an empty list', () => {
    const m = nodeModel(input(inv, healthy(inv)), 'imp01', 'imp01-sub1')!;
    expect(m.events).toMatchObject({ available: false, rows: [] });
    expect(nodeModel(input(inv, healthy(inv)), 'imp01', 'imp09-sub1')).toBeUndefined();
  });
});

describe('HA page', () => {
  const failover = () => {
    const lines = haLines('imp01', { 'imp01-sub2': ['Failed Over with Critical Services not Running', 'Critical Service Down'], 'imp01-sub3': ['Running in Backup Mode', 'Critical Service Down'] });
    let list = healthy(inv);
    for (const n of ['imp01-pub', 'imp01-sub1', 'imp01-sub2', 'imp01-sub3']) list = replace(list, n, 'ha', (o) => ({ ...o, value: ha('imp01', n, lines) }));
    list = replace(list, 'imp01-sub3', 'perfmon', (o) => ({ ...o, value: perfmon({ jsm: 20_000, activeJsm: 19_500 }) }));
    return list;
  };

  it('each group as a pair, worst first, with states and reasons verbatim, Cisco\'s row, cause and actions, and JSM sessions', () => {
    const m = haModel(input(inv, failover()), {});
    expect(m.pairs.map((p) => [p.name, p.health, p.verdict?.row])).toEqual([
      ['imp01-prg2', 'critical', 'P12'],
      ['imp01-prg1', 'ok', 'P1'],
    ]);
    const p = m.pairs[0];
    expect(p.nodes.map((n) => [n.node, n.state, n.reason, n.jsmSessions])).toEqual([
      ['imp01-sub2', 'Failed Over with Critical Services not Running', 'Critical Service Down', 10_000],
      ['imp01-sub3', 'Running in Backup Mode', 'Critical Service Down', 19_500],
    ]);
    expect(p.verdict?.node1).toBe('imp01-sub2');
    expect(p.verdict?.actions[0]).toBe('Check node 1 for any critical services that are down and try to manually start those services.');
    expect(p).toMatchObject({ haEnabled: true, haEnabledFrom: 'configuration', id: 'imp01/imp01-prg2' });
    expect(m.counts).toMatchObject({ critical: 1, ok: 1 });
    expect(haModel(input(inv, failover()), { show: 'problems' }).pairs.map((x) => x.name)).toEqual(['imp01-prg2']);
    expect(haModel(input(inv, failover()), { cluster: 'imp02' }).pairs).toEqual([]);
  });

  it('time in state from the event log when it has the change, else only when it was seen', () => {
    const events = memoryEvents([{ at: NOW - 900_000, cluster: 'imp01', node: 'imp01-sub2', kind: 'ha', subject: 'imp01-prg2', from: 'Normal', to: 'Failed Over with Critical Services not Running', detail: '', severity: 'critical' }]);
    const p = haModel(input(inv, failover(), events), {}).pairs[0];
    expect(p.nodes[0]).toMatchObject({ since: NOW - 900_000, sinceBasis: 'event' });
    expect(p.nodes[1]).toMatchObject({ since: NOW - 5_000, sinceBasis: 'observed' });
  });

  it("the freshest output wins: a failover printed by one node shows for its peer before the peer's own next poll", () => {
    let list = healthy(inv);
    const after = haLines('imp01', { 'imp01-pub': ['Failed Over with Critical Services not Running', 'Critical Service Down'], 'imp01-sub1': ['Running in Backup Mode', 'Critical Service Down'] });
    list = replace(list, 'imp01-pub', 'ha', (o) => ({ ...o, value: ha('imp01', 'imp01-pub', after), at: NOW - 1_000 }));
    list = replace(list, 'imp01-sub1', 'ha', (o) => ({ ...o, at: NOW - 20_000 }));
    const p = haModel(input(inv, list), {}).pairs[0];
    expect(p.nodes.map((n) => [n.node, n.state, n.via])).toEqual([
      ['imp01-pub', 'Failed Over with Critical Services not Running', 'self'],
      ['imp01-sub1', 'Running in Backup Mode', 'peer'],
    ]);
    expect(p.verdict?.row).toBe('P12');
  });

  it("a node whose own status cannot be read shows its peer's line for it, and is 'down' for Cisco's table", () => {
    let list = failover();
    const lines = haLines('imp01', { 'imp01-sub2': ['Running in Backup Mode', 'Peer Down'], 'imp01-sub3': ['Failed Over', 'Peer Down'] });
    list = replace(list, 'imp01-sub2', 'ha', (o) => ({ ...o, value: ha('imp01', 'imp01-sub2', lines) }));
    list = replace(list, 'imp01-sub3', 'ha', (o) => failing(o, 'timeout'));
    const p = haModel(input(inv, list), {}).pairs[0];
    expect(p.nodes[1]).toMatchObject({ node: 'imp01-sub3', via: 'peer', state: 'Failed Over', unreachable: true });
    expect(p.verdict?.row).toBe('P16');
  });
});

describe('replication page', () => {
  it('clusters with a server not 2 first; each server with Cisco\'s meaning; the node\'s own counter beside it', () => {
    const nodes = inv.clusters[1].nodes.map((n) => n.name);
    let list = replace(healthy(inv), 'imp01-pub', 'replication', (o) => ({ ...o, value: replication('imp01', nodes, { 'imp01-sub3': { setupState: 4, details: 'Setup Failed', queue: 12 } }) }));
    list = replace(list, 'imp01-sub3', 'perfmon', (o) => ({ ...o, value: perfmon({ replicate: 4, jsm: 1 }) }));
    const m = replicationModel(input(inv, list));
    expect(m.clusters.map((c) => [c.cluster, c.attention])).toEqual([
      ['imp01', true],
      ['cucm01', false],
    ]);
    expect(m.clusters[0].servers[0]).toMatchObject({ name: 'imp01-sub3', setupState: 4, meaning: 'Setup did not succeed', good: false, counter: 4, href: '/clusters/imp01/nodes/imp01-sub3' });
    expect(m.clusters[0].statusLine).toBe('BROADCAST SYNC ended at: 2026-05-01-10-00');
    expect(m.trends).toBe(false);
  });

  it('a publisher that cannot be read needs attention and shows no servers as current', () => {
    const list = replace(healthy(inv), 'cucm01-pub', 'replication', (o) => failing(o, 'timeout'));
    const c = replicationModel(input(inv, list)).clusters[0];
    expect(c).toMatchObject({ cluster: 'cucm01', attention: true, state: 'failing', servers: [] });
  });

  it('queue trend: rising and ending higher is growing; a queue that drains is not', () => {
    expect(queueTrend([{ t: 0, v: 5 }, { t: 60_000, v: 9 }, { t: 120_000, v: 30 }])).toMatchObject({ growing: true, first: 5, last: 30, spanMs: 120_000 });
    expect(queueTrend([{ t: 0, v: 50 }, { t: 60_000, v: 80 }, { t: 120_000, v: 10 }])?.growing).toBe(false);
    expect(queueTrend([{ t: 0, v: 0 }, { t: 60_000, v: 0 }])?.growing).toBe(false);
    expect(queueTrend([{ t: 0, v: 3 }])).toBeUndefined();
  });
});

describe('certificates page', () => {
  const list = () => {
    let l = healthy(inv);
    l = replace(l, 'imp01-sub1', 'certificates', (o) => ({ ...o, value: certificates('imp01-sub1', { tomcat: -3, 'cup-xmpp': 12 }) }));
    l = replace(l, 'imp01-sub2', 'certificates', (o) => ({ ...o, value: certificates('imp01-sub2', { ipsec: 5 }) }));
    return l;
  };

  it('one row per certificate (TLS and CLI merged), expired and expiring first', () => {
    const m = certificatesModel(input(inv, list()), {});
    expect(m.total).toBe(5 * 3);
    expect(m.rows.slice(0, 3).map((r) => [r.node, r.unit, r.status])).toEqual([
      ['imp01-sub1', 'tomcat', 'expired'],
      ['imp01-sub2', 'ipsec', 'critical'],
      ['imp01-sub1', 'cup-xmpp', 'warning'],
    ]);
    const tomcat = m.rows[0];
    expect(tomcat.seen).toEqual([
      { source: 'tls', port: '8443', file: undefined },
      { source: 'cli', port: undefined, file: 'tomcat.pem' },
    ]);
    expect(tomcat.verification).toBe('verified');
    expect(m.rows.find((r) => r.unit === 'ipsec')!.verification).toBe('not served');
    expect(m.counts).toEqual({ expired: 1, critical: 1, warning: 1, ok: 12 });
  });

  it('filters and sorting come from the query string; a node that cannot be read is listed, not its old certificates', () => {
    const l = replace(list(), 'imp01-sub3', 'certificates', (o) => failing({ ...o, at: NOW - 3 * 3_600_000, fresh: false }, 'timeout'));
    expect(certificatesModel(input(inv, l), { status: 'expiring' }).rows.map((r) => r.unit)).toEqual(['ipsec', 'cup-xmpp']);
    expect(certificatesModel(input(inv, l), { cluster: 'imp01', unit: 'ipsec', sort: 'node', dir: 'desc' }).rows.map((r) => r.node)).toEqual(['imp01-sub2', 'imp01-sub1', 'imp01-pub']);
    expect(certificatesModel(input(inv, l), { q: 'IMP01-SUB2' }).total).toBe(3);
    expect(certificatesModel(input(inv, l), { limit: '2' }).rows).toHaveLength(2);
    const m = certificatesModel(input(inv, l), {});
    expect(m.unreadable).toMatchObject([{ node: 'imp01-sub3', state: 'failing' }]);
    expect(m.rows.some((r) => r.node === 'imp01-sub3')).toBe(false);
    // Unknown values fall back to the defaults.
    expect(certificatesModel(input(inv, l), { sort: 'bogus', status: 'nope' }).filter).toMatchObject({ sort: 'status', status: 'all' });
  });

  it('CSV: the filtered rows, parseable, a formula-looking field defused', () => {
    const l = replace(list(), 'cucm01-pub', 'certificates', (o) => ({ ...o, value: { certificates: [{ ...certificates('cucm01-pub').certificates[0], subject: '=HYPERLINK("x"),\nO="Quoted, Inc"' }], errors: [] } }));
    const rows = parseCsv(certificatesCsv(input(inv, l), { cluster: 'cucm01' }));
    expect(rows[0]).toEqual(['cluster', 'node', 'unit', 'store', 'subject', 'issuer', 'sans', 'serial', 'not_before', 'not_after', 'days_left', 'signed', 'verification', 'seen', 'status']);
    expect(rows).toHaveLength(2);
    expect(rows[1][4]).toBe(`'=HYPERLINK("x"),, O="Quoted, Inc"`);
    expect(rows[1][10]).toBe('400');
    expect(parseCsv(certificatesCsv(input(inv, list()), { status: 'expired' })).slice(1).map((r) => [r[1], r[2], r[14]])).toEqual([['imp01-sub1', 'tomcat', 'expired']]);
  });
});

describe('services page', () => {
  const stopped = () => {
    let l = healthy(inv);
    l = replace(l, 'imp01-sub2', 'services', (o) => ({ ...o, value: services('imp', { 'Cisco XCP Router': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null }, 'Cisco Tomcat': { status: 'Stopped', reasonCode: -1069, reason: 'Commanded Out of Service', startTime: null } }) }));
    return l;
  };

  it('a matrix per cluster, HA critical services first, each cell with status and reason', () => {
    const m = servicesModel(input(inv, stopped()), {});
    const imp = m.matrices.find((x) => x.cluster === 'imp01')!;
    expect(imp.nodes.map((n) => n.name)).toEqual(['imp01-pub', 'imp01-sub1', 'imp01-sub2', 'imp01-sub3']);
    expect(imp.rows.slice(0, 6).every((r) => r.critical)).toBe(true);
    const router = imp.rows.find((r) => r.service === 'Cisco XCP Router')!;
    expect(router.cells[2]).toMatchObject({ status: 'Stopped', reason: 'Component is not running', problem: true });
    expect(imp.problems).toBe(1);
    expect(m.collapsing).toBe(false);
  });

  it('not started only: activated services not Started somewhere (not-activated ones left out); critical only', () => {
    const notStarted = servicesModel(input(inv, stopped()), { notStarted: '1' });
    expect(notStarted.matrices.find((x) => x.cluster === 'imp01')!.rows.map((r) => r.service)).toEqual(['Cisco XCP Router', 'Cisco Tomcat']);
    expect(notStarted.matrices.find((x) => x.cluster === 'cucm01')!.rows).toEqual([]);
    const critical = servicesModel(input(inv, stopped()), { critical: 'true', cluster: 'imp01' });
    expect(critical.matrices).toHaveLength(1);
    expect(critical.matrices[0].rows.map((r) => r.service).sort()).toEqual([...['Cisco Client Profile Agent', 'Cisco Presence Engine', 'Cisco SIP Proxy', 'Cisco Sync Agent', 'Cisco XCP Router', 'Cisco XCP Text Conference Manager']]);
  });

  it('many clusters without a filter: clusters where everything runs are collapsed', () => {
    const big = inventory({}, 6);
    const l = replace(healthy(big), 'imp03-sub1', 'services', (o) => ({ ...o, value: services('imp', { 'Cisco SIP Proxy': { status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null } }) }));
    const m = servicesModel(input(big, l), {});
    expect(m.collapsing).toBe(true);
    expect(m.matrices.filter((x) => !x.collapsed).map((x) => x.cluster)).toEqual(['imp03']);
    expect(servicesModel(input(big, l), { cluster: 'imp05' }).matrices[0].collapsed).toBe(false);
  });

  it('CSV: one row per node and service; with "not started", only those cells', () => {
    const all = parseCsv(servicesCsv(input(inv, stopped()), { cluster: 'imp01' }));
    expect(all[0]).toEqual(['cluster', 'node', 'service', 'status', 'reason', 'reason_code', 'ha_critical', 'uptime_seconds']);
    expect(all).toHaveLength(1 + 4 * 9);
    const ns = parseCsv(servicesCsv(input(inv, stopped()), { notStarted: '1' }));
    expect(ns.slice(1)).toEqual([
      ['imp01', 'imp01-sub2', 'Cisco XCP Router', 'Stopped', 'Component is not running', '-1019', 'yes', ''],
      ['imp01', 'imp01-sub2', 'Cisco Tomcat', 'Stopped', 'Commanded Out of Service', '-1069', 'no', ''],
    ]);
  });
});

describe('events page', () => {
  const records = Array.from({ length: 7 }, (_, i) => ({
    at: NOW - (7 - i) * 600_000,
    cluster: 'imp01',
    node: i % 2 ? 'imp01-pub' : 'imp01-sub1',
    kind: (i % 3 ? 'service' : 'ha') as 'service' | 'ha',
    subject: 'x',
    from: 'a',
    to: 'b',
    detail: '',
    severity: 'warning' as const,
  }));

  it('newest first, filtered, paged by id', () => {
    const events = memoryEvents(records);
    const m = eventsModel(input(inv, [], events), { limit: '3' });
    expect(m.rows.map((r) => r.id)).toEqual([7, 6, 5]);
    expect(m).toMatchObject({ available: true, total: 7, nextBefore: 5 });
    expect(eventsModel(input(inv, [], events), { limit: '3', before: '5' }).rows.map((r) => r.id)).toEqual([4, 3, 2]);
    expect(eventsModel(input(inv, [], events), { node: 'imp01-pub', kind: 'service' }).rows.map((r) => r.id)).toEqual([6, 2]);
    // The last hour: 6 of the 7 (one is 70 minutes old).
    expect(eventsModel(input(inv, [], events), { range: '1h' }).total).toBe(6);
    expect(m.rows[0].nodeHref).toBe('/clusters/imp01/nodes/imp01-sub1');
  });

  it('no event log, or one that fails: said plainly', () => {
    expect(eventsModel(input(inv, []), {}, 'no database')).toMatchObject({ available: false, reason: 'no database' });
    const broken = { list: () => { throw new Error('disk I/O error'); }, count: () => 0, status: () => ({ available: true }), states: () => [] };
    expect(eventsModel(input(inv, [], broken), {})).toMatchObject({ available: false, reason: 'The event log could not be read: disk I/O error' });
  });
});
