// Each check's evaluation over hand-made data: the status, exactly the affected items, and an Error
// row (never a crash or a silent pass) for a node whose data could not be collected.
import { describe, expect, it } from 'vitest';
import { checkById, CHECKS } from '../../../diagnostics/checks/index';
import type { Datasets } from '../../../diagnostics/collect/datasets';
import type { CheckOutcome } from '../../../diagnostics/types';
import { context, failed, inventory, nodeData, ok, users } from './fixtures';
import type { ServicesObservation } from '../../../collectors/sources/services';
import type { CertificatesObservation } from '../../../collectors/sources/certificates';
import type { HaObservation } from '../../../collectors/sources/ha';

const inv = inventory(2);
const run = (id: string, data: Datasets, over = {}): CheckOutcome => checkById(id)!.evaluate(context(inv, data, over));
const labels = (o: CheckOutcome) => o.items.map((i) => `${i.status}:${i.cluster ?? ''}/${i.node ?? ''}:${i.label}`).sort();

const healthyUsers = () =>
  users([
    { cluster: 'imp01', userid: 'a1', uri: 'a.one@example.com' },
    { cluster: 'imp01', userid: 'a2', node: 'imp01-sub1', uri: 'a.two@example.com' },
    { cluster: 'imp02', userid: 'b1', uri: 'b.one@example.com' },
  ]);

describe('the catalogue', () => {
  it('has unique ids, Cisco titles for U1–U5, and declares datasets', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    expect(checkById('u1')!.title).toBe('Verify all users have a unique User ID configured.');
    expect(checkById('U3')!.title).toBe('Verify all users have a unique Directory URI configured.');
    expect(checkById('U5')!.title).toBe('Verify all users have a unique Mail ID configured.');
    for (const c of CHECKS) expect(c.needs.length).toBeGreaterThan(0);
  });
});

describe('User Troubleshooter', () => {
  it('passes healthy users', () => {
    for (const id of ['U1', 'U2', 'U3', 'U4', 'U5', 'U6']) expect(run(id, { users: healthyUsers() }).status, id).toBe('passed');
  });

  it('U1 names every user sharing an ID with cluster, node, a fix link, and tells the same user from different users', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'jsmith', uri: 'john.smith@example.com' },
      { cluster: 'imp02', node: 'imp02-sub1', userid: 'JSmith', uri: 'john.smith@example.com' },
      { cluster: 'imp01', userid: 'kim', uri: 'kim.a@example.com' },
      { cluster: 'imp02', userid: 'kim', uri: 'kim.b@example.com' },
    ]);
    const o = run('U1', { users: ds });
    expect(o.status).toBe('failed');
    expect(labels(o)).toEqual(['failed:imp01/imp01-pub:jsmith', 'failed:imp01/imp01-pub:kim', 'failed:imp02/imp02-pub:kim', 'failed:imp02/imp02-sub1:JSmith']);
    expect(o.items.find((i) => i.label === 'jsmith')!.detail).toMatch(/same user is assigned to 2 clusters.*unassign/);
    expect(o.items.find((i) => i.label === 'kim')!.detail).toMatch(/Different users share this user ID.*rename/);
    expect(o.items[0].fix).toMatch(/^https:\/\/10\.0\.1\.2:8443\/ccmadmin\/userEdit\.do\?key=/);
    expect(o.fix!.map((f) => f.url).sort()).toEqual(['https://10.0.1.2:8443/ccmadmin/userFindList.do', 'https://10.0.2.2:8443/ccmadmin/userFindList.do']);
    expect(o.problem).toContain('Each user within the intercluster deployment must have a unique user ID.');
    expect(o.solution).toContain('unassign the user from one of the clusters');
  });

  it('a cluster whose users could not be read is an Error row, not a pass', () => {
    const ds = users([{ cluster: 'imp01', userid: 'a1', uri: 'a.one@example.com' }], { imp02: 'connect ECONNREFUSED' });
    const o = run('U1', { users: ds });
    expect(o.status).toBe('error');
    expect(labels(o)).toEqual(['error:imp02/imp02-pub:imp02-pub']);
    expect(o.items[0].detail).toContain('ECONNREFUSED');
  });

  it('U2, U3, U4, U5 and U6 each name exactly their users', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'nouri', uri: '', mail: 'nouri@example.com' },
      { cluster: 'imp02', userid: 'bad', uri: 'asdf@ASDF@asdf@ADSF@cisco', mail: 'bad@example.com' },
      { cluster: 'imp01', userid: 'u1', uri: 'Same@Example.com', mail: 'u1@example.com' },
      { cluster: 'imp02', userid: 'u2', uri: 'same@example.com', mail: 'u2@example.com' },
      { cluster: 'imp01', userid: 'm1', uri: 'm.one@example.com', mail: 'mail@example.com' },
      { cluster: 'imp02', userid: 'm2', uri: 'm.two@example.com', mail: 'MAIL@example.com' },
      { cluster: 'imp01', userid: 'c1', uri: 'c2@example.com', mail: 'c1@example.com' },
      { cluster: 'imp02', userid: 'c2', uri: 'c.two@example.com' },
    ]);
    expect(labels(run('U2', { users: ds }))).toEqual(['failed:imp01/imp01-pub:nouri']);
    expect(labels(run('U3', { users: ds }))).toEqual(['failed:imp01/imp01-pub:u1', 'failed:imp02/imp02-pub:u2']);
    expect(run('U3', { users: ds }).problem).toContain('DuplicateDirectoryURIWarning');
    expect(labels(run('U4', { users: ds }))).toEqual(['failed:imp02/imp02-pub:bad']);
    expect(labels(run('U5', { users: ds }))).toEqual(['failed:imp01/imp01-pub:m1', 'failed:imp02/imp02-pub:m2']);
    expect(labels(run('U6', { users: ds }))).toEqual(['failed:imp01/imp01-pub:c1', 'failed:imp02/imp02-pub:c2']);
  });

  it('the Solution says to fix in LDAP, naming the entry, when the value comes from LDAP', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'jsmith', uri: 'john.smith@example.com' },
      { cluster: 'imp02', userid: 'jsmith', uri: 'jane.smith@example.com' },
    ]);
    ds.ldap = { directories: [{ name: 'corp', ok: true, lookedUp: 1, found: 1 }], byUserId: new Map([['jsmith', { directory: 'corp', dn: 'uid=jsmith,ou=users,dc=example,dc=com', userId: 'jsmith', mail: 'jane.smith@example.com' }]]) };
    const o = run('U1', { users: ds });
    expect(o.solution).toContain('2 of these values come from LDAP: apply the fix in the LDAP Directory server (entry uid=jsmith,ou=users,dc=example,dc=com)');
    expect(o.items.filter((i) => i.data?.ldapDn).length).toBe(2);
  });
});

describe('Inter-clustering Troubleshooter', () => {
  const three = inventory(3);
  const run3 = (id: string, data: Datasets) => checkById(id)!.evaluate(context(three, data));
  it('IC-SCHEME names the cluster out of step (majority) or every cluster of a split mesh', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'a', uri: 'a.x@example.com' },
      { cluster: 'imp02', userid: 'b', uri: 'b.x@example.com', im: 'b.x@example.com' },
      { cluster: 'imp03', userid: 'c', uri: 'c.x@example.com' },
    ]);
    expect(labels(run3('IC-SCHEME', { users: ds, versions: new Map() }))).toEqual(['failed:imp02/:imp02']);
    const split = users([
      { cluster: 'imp01', userid: 'a', uri: 'a.x@example.com' },
      { cluster: 'imp02', userid: 'b', uri: 'b.x@example.com', im: 'b.x@example.com' },
    ]);
    expect(labels(run('IC-SCHEME', { users: split, versions: new Map() }))).toEqual(['failed:imp01/:imp01', 'failed:imp02/:imp02']);
    expect(run('IC-SCHEME', { users: healthyUsers(), versions: new Map() }).status).toBe('passed');
  });

  it('IC-DOMAIN fails DOMAIN.NOT.SET and a domain that differs from the peers', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'a', uri: 'a.x@example.com' },
      { cluster: 'imp02', userid: 'b', uri: 'b.x@example.com', im: 'b@DOMAIN.NOT.SET' },
      { cluster: 'imp03', userid: 'c', uri: 'c.x@example.com' },
    ]);
    const o = run3('IC-DOMAIN', { users: ds });
    expect(labels(o)).toEqual(['failed:imp02/:imp02']);
    expect(o.items[0].detail).toContain('DOMAIN.NOT.SET');
  });

  it('IC-DOMAIN-SYNTAX and IC-S2S', () => {
    const ds = users([
      { cluster: 'imp01', userid: 'a', uri: 'a.x@example.com', im: 'a@Abc.1om' },
      { cluster: 'imp02', userid: 'b', uri: 'b.x@example.com' },
    ]);
    expect(labels(run('IC-DOMAIN-SYNTAX', { users: ds }))).toEqual(['failed:imp01/:abc.1om']);
    const cert = (sans: string[]): CertificatesObservation => ({ certificates: [{ source: 'cli', store: 'own', unit: 'cup-xmpp-s2s', port: '', subject: 'CN=x', issuer: 'CN=x', serial: '01', sans, notBefore: 0, notAfter: Date.now() + 1e12, daysLeft: 999, selfSigned: true }], errors: [] });
    const certificates = nodeData<CertificatesObservation>({
      'imp01/imp01-pub': ok(cert(['DNS:imp01-pub', 'DNS:Abc.1om'])),
      'imp01/imp01-sub1': ok(cert(['DNS:imp01-sub1'])),
      'imp02/imp02-pub': ok(cert(['*.com'])),
      'imp02/imp02-sub1': failed('ssh: connection refused'),
      'cucm01/cucm01-pub': ok({ certificates: [], errors: [] }),
      'cucm02/cucm02-pub': ok({ certificates: [], errors: [] }),
    });
    const o = run('IC-S2S', { users: ds, certificates });
    // A node that could not be read outranks warnings: the check is incomplete.
    expect(o.status).toBe('error');
    expect(labels(o)).toEqual(['error:imp02/imp02-sub1:imp02-sub1', 'warning:imp01/imp01-sub1:cup-xmpp-s2s on imp01-sub1']);
  });

  it('IC-PEERS names unreachable peers; IC-PEER-USERS is Skipped with the counts when Associated Users is unknown', () => {
    const peers = nodeData({ 'imp01/imp01-pub': ok({ peers: [{ peer: 'imp02', publisher: 'imp02-pub', up: false, error: 'connect ECONNREFUSED' }] }), 'imp02/imp02-pub': ok({ peers: [{ peer: 'imp01', publisher: 'imp01-pub', up: true }] }) });
    expect(labels(run('IC-PEERS', { peers }))).toEqual(['failed:imp01/imp02-pub:imp02']);
    const u = run('IC-PEER-USERS', { peers, users: healthyUsers() });
    expect(u.status).toBe('skipped');
    expect(u.summary).toContain('imp01 → imp02: 1');
    const withCount = nodeData({ 'imp01/imp01-pub': ok({ peers: [{ peer: 'imp02', publisher: 'imp02-pub', up: true, associatedUsers: 7 }] }), 'imp02/imp02-pub': ok({ peers: [{ peer: 'imp01', publisher: 'imp01-pub', up: true, associatedUsers: 2 }] }) });
    expect(labels(run('IC-PEER-USERS', { peers: withCount as never, users: healthyUsers() }))).toEqual(['failed:imp01/:imp02']);
  });
});

describe('High Availability', () => {
  const ha = (lines: Array<[string, string, string | null]>) => {
    const all = lines.map(([node, state, reason], k) => ({ group: 'imp01-prg1', index: k + 1, node, state, reason }));
    return (self: string): HaObservation => ({ self: all.find((l) => l.node === self) ?? null, lines: all });
  };
  const data = (view: (self: string) => HaObservation, down?: string) =>
    nodeData(
      Object.fromEntries(
        ['imp01-pub', 'imp01-sub1', 'imp02-pub', 'imp02-sub1'].map((n) => [
          `${n.slice(0, 5)}/${n}`,
          n === down ? failed('timeout') : n.startsWith('imp01') ? ok(view(n)) : ok(ha([['imp02-pub', 'Normal', null], ['imp02-sub1', 'Normal', null]])(n) as HaObservation),
        ]),
      ),
    );
  it('Normal/Normal passes; P12 fails naming node 1 and the row', () => {
    expect(run('HA-STATE', { ha: data(ha([['imp01-pub', 'Normal', null], ['imp01-sub1', 'Normal', null]])) }).status).toBe('passed');
    const o = run('HA-STATE', { ha: data(ha([['imp01-pub', 'Failed Over with Critical Services not Running', 'Critical Service Down'], ['imp01-sub1', 'Running in Backup Mode', 'Critical Service Down']])) });
    expect(o.status).toBe('failed');
    expect(labels(o)).toEqual(['failed:imp01/imp01-pub:imp01-prg1']);
    expect(o.items[0].detail).toMatch(/^P12: A critical service is down on node 1/);
  });
  it('a node that does not answer is taken from its peer; manual failover is a Warning; HA disabled is HA-ENABLED\'s', () => {
    const o = run('HA-STATE', { ha: data(ha([['imp01-pub', 'Idle', 'On Admin Request'], ['imp01-sub1', 'Running in Backup Mode', 'On Admin Request']]), 'imp01-pub') });
    expect(o.status).toBe('warning');
    expect(o.items[0].data?.row).toBe('P3');
    const off = data(ha([['imp01-pub', 'Unknown', 'High Availability Not Enabled'], ['imp01-sub1', 'Unknown', 'High Availability Not Enabled']]));
    expect(run('HA-STATE', { ha: off }).status).toBe('passed');
    expect(labels(run('HA-ENABLED', { ha: off }))).toEqual(['warning:imp01/:imp01-prg1']);
  });
});

describe('replication, services, certificates, platform', () => {
  it('REPL-STATE and REPL-QUEUE', () => {
    const servers = (state: number, queue: number) => [
      { name: 'imp01-pub', ip: '10.0.1.10', pingMs: 0.01, flags: 'Y/Y/Y', queue: 0, groupId: '(g_3)', setupState: 2, details: 'Setup Completed' },
      { name: 'imp01-sub1', ip: '10.0.1.11', pingMs: 0.2, flags: 'Y/Y/Y', queue, groupId: '(g_4)', setupState: state, details: state === 2 ? 'Setup Completed' : 'Out Of Sync' },
    ];
    const rep = (state: number, queue: number, previous?: number) =>
      nodeData({
        'imp01/imp01-pub': ok({ status: 'ok' as const, servers: servers(state, queue), ...(previous !== undefined ? { previous: { at: Date.now() - 60_000, queues: { 'imp01-sub1': previous } } } : {}) }),
        'imp02/imp02-pub': ok({ status: 'ok' as const, servers: [] }),
        'cucm01/cucm01-pub': ok({ status: 'ok' as const, servers: [] }),
        'cucm02/cucm02-pub': failed('timed out', 'timeout'),
      });
    const s = run('REPL-STATE', { replication: rep(3, 40) });
    expect(labels(s)).toEqual(['error:cucm02/cucm02-pub:cucm02-pub', 'failed:imp01/imp01-sub1:imp01-sub1']);
    expect(s.status).toBe('failed');
    expect(labels(run('REPL-QUEUE', { replication: rep(3, 40, 25) }))).toContain('failed:imp01/imp01-sub1:imp01-sub1');
    expect(run('REPL-QUEUE', { replication: rep(2, 20, 30) }).items.filter((i) => i.status !== 'error')).toEqual([]);
  });

  it('SVC-CRITICAL ignores services not activated, names the stopped ones', () => {
    const svc = (stopped: string[], notActivated: string[] = []): ServicesObservation => ({
      via: 'controlcenter',
      services: ['A Cisco DB', 'Cisco Tomcat', 'Cisco Client Profile Agent', 'Cisco Sync Agent', 'Cisco XCP Router', 'Cisco SIP Proxy', 'Cisco Presence Engine', 'Cisco XCP Text Conference Manager', 'Cisco CallManager', 'Cisco Tftp', 'Cisco CTIManager', 'Cisco AXL Web Service', 'Cisco DirSync', 'Cisco IM and Presence Data Monitor'].map((name) => ({
        name,
        status: stopped.includes(name) || notActivated.includes(name) ? ('Stopped' as const) : ('Started' as const),
        reasonCode: notActivated.includes(name) ? -1068 : stopped.includes(name) ? -1019 : -1,
        reason: notActivated.includes(name) ? 'Service Not Activated' : stopped.includes(name) ? 'Component is not running' : null,
        startTime: null,
      })),
    });
    const services = nodeData({
      'imp01/imp01-pub': ok(svc(['Cisco Presence Engine'], ['Cisco XCP Text Conference Manager'])),
      'imp01/imp01-sub1': ok(svc([])),
      'imp02/imp02-pub': ok(svc([])),
      'imp02/imp02-sub1': ok(svc([])),
      'cucm01/cucm01-pub': ok(svc(['Cisco CallManager'])),
      'cucm02/cucm02-pub': ok(svc([])),
    });
    expect(labels(run('SVC-CRITICAL', { services }))).toEqual(['failed:cucm01/cucm01-pub:Cisco CallManager', 'failed:imp01/imp01-pub:Cisco Presence Engine']);
  });

  it('CERT-EXPIRED, CERT-EXPIRING (warning window, critical window, upgrade window) and CERT-TRUST', () => {
    const now = Date.now();
    const c = (unit: string, days: number, extra: Partial<CertificatesObservation['certificates'][number]> = {}) => ({
      source: 'cli' as const, store: 'own' as const, unit, port: '', subject: `CN=${unit}`, issuer: 'CN=CA', serial: unit, sans: [], notBefore: now - 1e10, notAfter: now + days * 86_400_000, daysLeft: days, selfSigned: false, ...extra,
    });
    const certificates = nodeData<CertificatesObservation>({
      'imp01/imp01-pub': ok({ certificates: [c('cup-xmpp', 10), c('tomcat', -2), c('ipsec', 3), c('cup', 400), c('tomcat', 400, { source: 'tls', port: '8443', serial: 'tls1', trusted: false, selfSigned: true })], errors: [] }),
    });
    const at = { certificates };
    expect(labels(run('CERT-EXPIRED', at)).filter((l) => !l.startsWith('error'))).toEqual(['failed:imp01/imp01-pub:tomcat on imp01-pub']);
    expect(labels(run('CERT-EXPIRING', at)).filter((l) => !l.startsWith('error'))).toEqual(['failed:imp01/imp01-pub:ipsec on imp01-pub', 'warning:imp01/imp01-pub:cup-xmpp on imp01-pub']);
    expect(labels(run('CERT-EXPIRING', at, { upgradeWindowDays: 14 })).filter((l) => !l.startsWith('error'))).toEqual(['failed:imp01/imp01-pub:cup-xmpp on imp01-pub', 'failed:imp01/imp01-pub:ipsec on imp01-pub']);
    expect(labels(run('CERT-TRUST', at)).filter((l) => !l.startsWith('error'))).toEqual(['failed:imp01/imp01-pub:tomcat on imp01-pub']);
  });

  it('PLAT-VERSIONS, PLAT-CORES, PLAT-NTP, PLAT-DISK, PLAT-DIAGNOSE', () => {
    const versions = nodeData({ 'imp01/imp01-pub': ok({ version: '15.0.1.12900-15' }), 'imp01/imp01-sub1': ok({ version: '14.0.1.13900-8' }), 'imp02/imp02-pub': ok({ version: '15.0.1.12900-15' }), 'imp02/imp02-sub1': ok({ version: '15.0.1.12900-15' }), 'cucm01/cucm01-pub': ok({ version: '15' }), 'cucm02/cucm02-pub': ok({ version: '15' }) });
    expect(labels(run('PLAT-VERSIONS', { versions }))).toEqual(['failed:imp01/imp01-sub1:imp01-sub1']);
    const now = Date.now();
    const cores = nodeData({ 'imp01/imp01-pub': ok({ noneFound: false, cores: [{ sizeKB: 2048, date: '2020-01-01 00:00:00', file: `core.1.6.jabberd.${Math.floor(now / 1000) - 3600}`, process: 'jabberd', line: 3 }, { sizeKB: 1024, date: '2020-01-01 00:00:00', file: 'core.2.6.ccm.1577836800', process: 'ccm', line: 4 }], unparsed: [] }) });
    expect(labels(run('PLAT-CORES', { cores })).filter((l) => !l.startsWith('error'))).toEqual([`failed:imp01/imp01-pub:core.1.6.jabberd.${Math.floor(now / 1000) - 3600}`, 'warning:imp01/imp01-pub:core.2.6.ccm.1577836800']);
    const ntp = nodeData({ 'imp01/imp01-pub': ok({ running: true, pid: 1, synchronised: false, server: null, stratum: null, timeCorrectWithinMs: null, pollingSeconds: 8, peers: [], currentTimeUtc: null, notes: ['time server re-starting'], unparsed: [] }) });
    expect(labels(run('PLAT-NTP', { ntp })).filter((l) => !l.startsWith('error'))).toEqual(['failed:imp01/imp01-pub:imp01-pub']);
    const partitions = nodeData({ 'imp01/imp01-pub': ok({ partitions: [{ name: 'Active', usedPercent: 91 }, { name: 'Common', usedPercent: 97 }, { name: 'Boot', usedPercent: 99 }] }) });
    expect(labels(run('PLAT-DISK', { partitions })).filter((l) => !l.startsWith('error'))).toEqual(['failed:imp01/imp01-pub:Common on imp01-pub', 'warning:imp01/imp01-pub:Active on imp01-pub']);
    const diagnose = nodeData({ 'imp01/imp01-pub': ok({ logFile: null, modules: [{ action: 'test' as const, module: 'disk_space', result: 'Passed' as const, passed: true, text: '', line: 1 }, { action: 'test' as const, module: 'ntp_reachability', result: 'Warning' as const, passed: false, text: 'None of the designated NTP servers are reachable', line: 2 }, { action: 'skip' as const, module: 'disk_files', result: null, passed: false, text: 'This module must be run directly and off hours', line: 3 }], completed: true, unparsed: [] }) });
    expect(labels(run('PLAT-DIAGNOSE', { diagnose })).filter((l) => !l.startsWith('error'))).toEqual(['warning:imp01/imp01-pub:ntp_reachability on imp01-pub']);
  });
});

describe('the README section', () => {
  it('lists every check of the catalogue', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/diagnostics.md', import.meta.url), 'utf8');
    for (const c of CHECKS) expect(doc, c.id).toContain(`| \`${c.id}\` | ${c.section} |`);
  });
});
