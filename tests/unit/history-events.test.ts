// The event detector: each kind of state change becomes one event with Cisco's words and a
// severity; the first sight of a thing is a silent baseline; an unchanged state is never an event;
// a restart remembers what it knew; and the event log filters and pages.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../collectors/engine/store';
import { EventDetector, certificateBand } from '../../collectors/history/events';
import { SqliteEventLog } from '../../collectors/history/event-log';
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import type { HaObservation } from '../../collectors/sources/ha';
import type { ReplicationObservation } from '../../collectors/sources/replication';
import type { ServicesObservation } from '../../collectors/sources/services';
import type { SourceName } from '../../config/schema';
import { openDatabase } from '../../db/index';

const thresholds = { certificateWarningDays: 30, certificateCriticalDays: 7 };
const DAY = 86_400_000;
let clock = Date.UTC(2026, 3, 1);

function ok<T>(source: SourceName, node: string, value: T, cluster = 'imp01'): Observation<T> {
  clock += 30_000;
  return { cluster, node, source, intervalMs: 30_000, value, at: clock, lastAttemptAt: clock, ok: true, failures: 0 };
}
function failed(source: SourceName, node: string, kind: string, message = `${kind} failure`): Observation {
  clock += 30_000;
  return { cluster: 'imp01', node, source, intervalMs: 30_000, lastAttemptAt: clock, ok: false, failures: 1, error: { kind: kind as never, message, at: clock } };
}

const services = (list: Array<[string, ServicesObservation['services'][number]['status'], string | null]>): ServicesObservation => ({
  via: 'controlcenter',
  services: list.map(([name, status, reason]) => ({ name, status, reasonCode: reason === 'Service Not Activated' ? -1068 : status === 'Started' ? -1 : -1019, reason, startTime: null })),
});
const ha = (node: string, state: string, reason: string | null, peerState = 'Normal', peerReason: string | null = null): HaObservation => {
  const self = { group: 'DefaultCluster', index: 1, node, state, reason };
  return { self, lines: [self, { group: 'DefaultCluster', index: 2, node: 'imp01-sub1', state: peerState, reason: peerReason }] };
};
const replication = (states: Record<string, number>, status: ReplicationObservation['status'] = 'ok'): ReplicationObservation => ({
  status,
  servers: Object.entries(states).map(([name, setupState]) => ({ name, ip: '127.0.0.1', pingMs: 0.2, flags: 'Y/Y/Y', queue: 0, groupId: 'g_2', setupState, details: setupState === 2 ? 'Setup Completed' : 'Out Of Sync' })),
});
const cert = (notAfter: number, serial = '0A'): CertificatesObservation => ({
  errors: [],
  certificates: [
    { source: 'cli', store: 'own', unit: 'tomcat', port: '', file: 'tomcat.pem', subject: 'CN=imp01-pub', issuer: 'CN=Lab CA', serial, sans: [], notBefore: notAfter - 700 * DAY, notAfter, daysLeft: 0, selfSigned: false },
    // The same certificate served on 8443 is not watched twice.
    { source: 'tls', store: 'own', unit: 'tomcat', port: '8443', subject: 'CN=imp01-pub', issuer: 'CN=Lab CA', serial, sans: [], notBefore: notAfter - 700 * DAY, notAfter, daysLeft: 0, selfSigned: false, trusted: true },
  ],
});

describe('event detector', () => {
  it('records the first sight silently and repeated identical states never', () => {
    const d = new EventDetector({ thresholds });
    const list = services([['Cisco XCP Router', 'Started', null], ['Cisco DirSync', 'Stopped', 'Service Not Activated']]);
    d.observe(ok('services', 'imp01-pub', list));
    const first = d.take();
    expect(first.events).toEqual([]);
    // Baseline states are kept: one per service plus reachability of the source.
    expect(first.states.map((s) => `${s.kind}:${s.subject}=${s.state}`).sort()).toEqual(['reachability:services=ok', 'service:Cisco DirSync=Stopped', 'service:Cisco XCP Router=Started']);
    for (let i = 0; i < 5; i++) d.observe(ok('services', 'imp01-pub', list));
    expect(d.take()).toEqual({ events: [], states: [] });
  });

  it('service status changes, with the reason and a severity by criticality', () => {
    const d = new EventDetector({ thresholds });
    d.observe(ok('services', 'imp01-pub', services([['Cisco XCP Router', 'Started', null], ['Cisco AXL Web Service', 'Started', null], ['Cisco DirSync', 'Stopped', 'Service Not Activated']])));
    d.take();
    const o = ok('services', 'imp01-pub', services([['Cisco XCP Router', 'Stopped', 'Component is not running'], ['Cisco AXL Web Service', 'Stopping', null], ['Cisco DirSync', 'Stopped', 'Service Not Activated']]));
    d.observe(o);
    expect(d.take().events).toEqual([
      { at: o.at, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco XCP Router', from: 'Started', to: 'Stopped', detail: 'Component is not running', severity: 'critical' },
      { at: o.at, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco AXL Web Service', from: 'Started', to: 'Stopping', detail: '', severity: 'warning' },
    ]);
    d.observe(ok('services', 'imp01-pub', services([['Cisco XCP Router', 'Started', null], ['Cisco AXL Web Service', 'Started', null], ['Cisco DirSync', 'Stopped', 'Service Not Activated']])));
    expect(d.take().events.map((e) => `${e.subject}: ${e.from} → ${e.to} (${e.severity})`)).toEqual(['Cisco XCP Router: Stopped → Started (ok)', 'Cisco AXL Web Service: Stopping → Started (ok)']);
  });

  it('HA state and reason changes per node, severity from Cisco\'s pair table', () => {
    const d = new EventDetector({ thresholds });
    d.observe(ok('ha', 'imp01-pub', ha('imp01-pub', 'Normal', null)));
    d.take();
    d.observe(ok('ha', 'imp01-pub', ha('imp01-pub', 'Failed Over with Critical Services not Running', 'Critical Service Down', 'Running in Backup Mode', 'Critical Service Down')));
    expect(d.take().events).toMatchObject([{ kind: 'ha', node: 'imp01-pub', subject: 'DefaultCluster', from: 'Normal', to: 'Failed Over with Critical Services not Running', detail: 'Critical Service Down', severity: 'critical' }]);
    // Same state, new reason: a change.
    d.observe(ok('ha', 'imp01-pub', ha('imp01-pub', 'Failed Over with Critical Services not Running', 'Database Failure', 'Running in Backup Mode', 'Critical Service Down')));
    expect(d.take().events).toMatchObject([{ from: 'Failed Over with Critical Services not Running', to: 'Failed Over with Critical Services not Running', detail: 'Database Failure' }]);
    d.observe(ok('ha', 'imp01-pub', ha('imp01-pub', 'Normal', null)));
    expect(d.take().events).toMatchObject([{ to: 'Normal', detail: 'Normal', severity: 'ok' }]);
  });

  it('replication setup state per server from the publisher\'s view, and the command\'s own status', () => {
    const d = new EventDetector({ thresholds });
    d.observe(ok('replication', 'imp01-pub', replication({ 'imp01-pub': 2, 'imp01-sub1': 2 })));
    d.take();
    d.observe(ok('replication', 'imp01-pub', replication({ 'imp01-pub': 2, 'imp01-sub1': 3 })));
    expect(d.take().events).toMatchObject([{ kind: 'replication', node: 'imp01-sub1', subject: 'replication setup', from: '2 (good)', to: '3 (bad in the cluster)', detail: 'Out Of Sync', severity: 'critical' }]);
    d.observe(ok('replication', 'imp01-pub', { status: 'db-not-running', message: 'Cisco DB is not running', servers: [] }));
    expect(d.take().events).toMatchObject([{ node: 'imp01-pub', subject: 'utils dbreplication runtimestate', from: 'ok', to: 'db-not-running', severity: 'critical' }]);
  });

  it('reachability: a source going failing with its error kind, changing kind, and back', () => {
    const d = new EventDetector({ thresholds });
    d.observe(ok('perfmon', 'imp01-sub1', { samples: [] }));
    d.take();
    d.observe(failed('perfmon', 'imp01-sub1', 'connection', 'ECONNREFUSED 127.0.0.1:8443'));
    d.observe(failed('perfmon', 'imp01-sub1', 'connection', 'ECONNREFUSED again'));
    d.observe(failed('perfmon', 'imp01-sub1', 'timeout'));
    d.observe(ok('perfmon', 'imp01-sub1', { samples: [] }));
    expect(d.take().events.map((e) => `${e.subject}: ${e.from} → ${e.to} (${e.severity}) ${e.detail}`)).toEqual([
      'perfmon: ok → connection (critical) ECONNREFUSED 127.0.0.1:8443',
      'perfmon: connection → timeout (critical) timeout failure',
      'perfmon: timeout → ok (ok) ',
    ]);
    d.observe(failed('perfmon', 'imp01-sub1', 'parse'));
    expect(d.take().events).toMatchObject([{ to: 'parse', severity: 'warning' }]);
  });

  it('certificate thresholds crossed: expiring, expiring soon, expired, renewed', () => {
    const d = new EventDetector({ thresholds });
    const notAfter = clock + 31 * DAY + 3_600_000;
    d.observe(ok('certificates', 'imp01-pub', cert(notAfter)));
    d.take();
    clock += DAY; // 30 days left: crosses the warning threshold
    d.observe(ok('certificates', 'imp01-pub', cert(notAfter)));
    clock += DAY; // 29 days: same band, no event
    d.observe(ok('certificates', 'imp01-pub', cert(notAfter)));
    clock += 22 * DAY; // 7 days
    d.observe(ok('certificates', 'imp01-pub', cert(notAfter)));
    clock += 8 * DAY;
    d.observe(ok('certificates', 'imp01-pub', cert(notAfter)));
    const events = d.take().events;
    expect(events.map((e) => `${e.subject}: ${e.from} → ${e.to} (${e.severity})`)).toEqual([
      'tomcat own tomcat.pem: valid → expiring (warning)',
      'tomcat own tomcat.pem: expiring → expiring soon (critical)',
      'tomcat own tomcat.pem: expiring soon → expired (critical)',
    ]);
    expect(events[0].detail).toMatch(/30 days left \(warning at 30 days, critical at 7\)/);
    expect(events[2].detail).toMatch(/expired 1 day ago/);
    d.observe(ok('certificates', 'imp01-pub', cert(clock + 700 * DAY, '0B')));
    expect(d.take().events).toMatchObject([{ from: 'expired', to: 'valid', severity: 'ok' }]);
  });

  it('bands follow the configured thresholds', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(certificateBand(now + 40 * DAY, now, thresholds)).toBe('valid');
    expect(certificateBand(now + 40 * DAY, now, { certificateWarningDays: 60, certificateCriticalDays: 7 })).toBe('expiring');
    expect(certificateBand(now, now, thresholds)).toBe('expired');
  });

  it('remembers across a restart: a change while stopped is one event, an unchanged state none', () => {
    const db = openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'impulse-events-')) });
    const log = new SqliteEventLog(db);
    const d1 = new EventDetector({ thresholds, known: log.knownStates() });
    d1.observe(ok('services', 'imp01-pub', services([['Cisco XCP Router', 'Started', null], ['Cisco SIP Proxy', 'Started', null]])));
    const t1 = d1.take();
    log.store(t1.events, t1.states);
    const d2 = new EventDetector({ thresholds, known: log.knownStates() });
    d2.observe(ok('services', 'imp01-pub', services([['Cisco XCP Router', 'Stopped', 'Commanded Out of Service'], ['Cisco SIP Proxy', 'Started', null]])));
    const t2 = d2.take();
    expect(log.store(t2.events, t2.states)).toMatchObject([{ id: 1, subject: 'Cisco XCP Router', from: 'Started', to: 'Stopped' }]);
    // Since when each thing is in its state: the change's time, or "at least since" first sight.
    const states = log.states({ cluster: 'imp01', node: 'imp01-pub', kinds: ['service'] });
    expect(states.sort((a, b) => a.subject.localeCompare(b.subject))).toEqual([
      { cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco SIP Proxy', state: 'Started', detail: '', since: t1.states[0].since, observedChange: false },
      { cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco XCP Router', state: 'Stopped', detail: 'Commanded Out of Service', since: t2.events[0].at, observedChange: true },
    ]);
    expect(log.states({ kinds: ['reachability'] })).toMatchObject([{ subject: 'services', state: 'ok', observedChange: false }]);
    expect(log.states({ node: 'elsewhere' })).toEqual([]);
    db.close();
  });
});

describe('event log', () => {
  it('lists newest first, filters by cluster, node, kind and time, and pages by id', () => {
    const db = openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'impulse-events-')) });
    const log = new SqliteEventLog(db);
    const base = Date.UTC(2026, 3, 1);
    const rows = Array.from({ length: 30 }, (_, i) => ({
      at: base + i * 60_000,
      cluster: i % 2 ? 'imp01' : 'imp02',
      node: `n${i % 3}`,
      kind: (['service', 'ha', 'reachability'] as const)[i % 3],
      subject: `s${i}`,
      from: 'a',
      to: 'b',
      detail: '',
      severity: 'warning' as const,
    }));
    log.store(rows, []);
    expect(log.list({ limit: 3 }).map((e) => e.subject)).toEqual(['s29', 's28', 's27']);
    expect(log.count({})).toBe(30);
    expect(log.list({ cluster: 'imp01', kinds: ['service'] }).every((e) => e.cluster === 'imp01' && e.kind === 'service')).toBe(true);
    expect(log.count({ cluster: 'imp01', node: 'n0' })).toBe(5);
    expect(log.count({ since: base + 25 * 60_000 })).toBe(5);
    const page1 = log.list({ limit: 10 });
    const page2 = log.list({ limit: 10, beforeId: page1[page1.length - 1].id });
    expect(page2[0].subject).toBe('s19');
    expect(log.list({ kinds: [] })).toEqual([]);
    expect(log.prune(base + 90 * DAY + 10 * 60_000)).toBe(10);
    expect(log.count({})).toBe(20);
    expect(log.status()).toEqual({ available: true });
    db.close();
    expect(log.status()).toMatchObject({ available: false });
  });
});
