// Each admin CLI command of the lab, over SSH, against the layouts of reference/wire-formats.md §4
// and the live state it must reflect. Address base 127.41.
import { X509Certificate } from 'node:crypto';
import ssh2, { type ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd, LabNode } from '../../lab/model';
import { startSshFrontEnd } from '../../lab/ssh/server';
import { buildDeployment, type LabState } from '../../lab/state/deployment';
import type { NodeReplication } from '../../lab/state/replication';

const { Client } = ssh2;

let lab: LabState;
const frontEnds: FrontEnd[] = [];
const sessions = new Map<string, { stream: ClientChannel; buf: () => string; end: () => void; wait: (from: number) => Promise<string> }>();

beforeAll(async () => {
  lab = await buildDeployment({ clusters: 2, nodes: 3, usersPerCluster: 300, addressBase: '127.41', sshPort: 2222 });
  for (const n of lab.nodes) frontEnds.push(await startSshFrontEnd(n, lab));
});

afterAll(async () => {
  for (const s of sessions.values()) s.end();
  for (const f of frontEnds) await f.close();
});

function node(name: string): LabNode {
  const n = lab.node(name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

async function session(n: LabNode) {
  const existing = sessions.get(n.name);
  if (existing) return existing;
  const c = new Client();
  await new Promise<void>((resolve, reject) => {
    c.on('keyboard-interactive', (_a, _b, _c, _p, finish) => finish([lab.credentials.os.password]));
    c.once('ready', () => resolve());
    c.on('error', reject);
    c.connect({ host: n.host, port: n.ports.ssh, username: lab.credentials.os.username, tryKeyboard: true });
  });
  const stream = await new Promise<ClientChannel>((resolve, reject) => c.shell({ term: 'vt100', rows: 24, cols: 200 }, (e, s) => (e ? reject(e) : resolve(s))));
  let buf = '';
  let waiter: (() => void) | undefined;
  stream.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    waiter?.();
  });
  const wait = (from: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no prompt; got ${JSON.stringify(buf.slice(from))}`)), 30_000);
      const check = (): void => {
        if (/admin:$/.test(buf.slice(from))) {
          clearTimeout(t);
          waiter = undefined;
          resolve(buf.slice(from));
        }
      };
      waiter = check;
      check();
    });
  const s = { stream, buf: () => buf, end: () => c.end(), wait };
  await wait(0);
  sessions.set(n.name, s);
  await cli(n, 'set cli pagination off');
  return s;
}

/** Command output as a client sees it after cleaning: CRLF → LF, VT100 and the prompt removed, echo dropped. */
async function cli(n: LabNode, command: string): Promise<string> {
  const s = await session(n);
  const from = s.buf().length;
  s.stream.write(`${command}\n`);
  const raw = await s.wait(from);
  expect(raw.startsWith(`${command}\r\n`)).toBe(true);
  // eslint-disable-next-line no-control-regex
  return raw.slice(command.length + 2).replace(/\x1b\[\?1h\x1b=/g, '').replace(/\r?admin:$/, '').replace(/\r\n/g, '\n');
}

describe('utils dbreplication runtimestate (§4.2)', () => {
  it('prints the CUCM 15 table with every node of the cluster, the viewing node last', async () => {
    const pub = node('imp01-pub');
    const out = await cli(pub, 'utils dbreplication runtimestate');
    const lines = out.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toMatch(/^Server Time: (Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
    expect(out).toMatch(/\nCluster Replication State: BROADCAST SYNC ended at: \d{4}-\d\d-\d\d-\d\d-\d\d\n {5}Sync Result: SYNC COMPLETED on (\d+) tables out of \1\n {5}Sync Status: All Tables are in sync\n/);
    expect(out).toContain(`\nDB Version: cup${pub.cluster.version.replace(/[.-]/g, '_')}\n\nRepltimeout set to: 300s\nPROCESS option set to: 1\n\nCluster Detailed View from imp01-pub (3 Servers):\n\n`);
    // Header block verbatim from the PCD guide capture.
    expect(out).toContain(
      [
        '                                           PING      DB/RPC/   REPL.    Replication    REPLICATION SETUP',
        'SERVER-NAME              IP ADDRESS        (msec)    DbMon?    QUEUE    Group ID       (RTMT) & Details',
        '-----------              ----------        ------    -------   -----    -----------    ------------------',
      ].join('\n'),
    );
    const rows = lines.filter((l) => /^imp01-/.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['imp01-sub1', 'imp01-sub2', 'imp01-pub']);
    for (const r of rows) {
      const n = node(r.split(/\s+/)[0]);
      expect(r.slice(25, 43).trim()).toBe(n.host);
      expect(r.slice(53, 63).trim()).toBe('Y/Y/Y');
      expect(r.slice(72, 87).trim()).toBe(n.replication.groupId);
      expect(r.slice(87)).toBe('(2) Setup Completed');
    }
  });

  it('a subscriber prints the same table from its own view, and a broken node shows its state', async () => {
    const sub = node('imp01-sub2');
    (sub.replication as NodeReplication).break({ since: lab.clock.now() - 10 * 60_000, state: 3, perMinute: 5 });
    try {
      const out = await cli(node('imp01-sub1'), 'utils dbreplication runtimestate');
      expect(out).toContain('Cluster Detailed View from imp01-sub1 (3 Servers):');
      const row = out.split('\n').find((l) => l.startsWith('imp01-sub2 ')) ?? '';
      expect(row.slice(87)).toBe('(3) Out Of Sync');
      expect(Number(row.slice(63, 72).trim())).toBeGreaterThanOrEqual(75);
    } finally {
      (sub.replication as NodeReplication).repair();
    }
  });
});

describe('utils ha status (§4.3)', () => {
  it('prints one block per presence redundancy group with the nodes in order (release 15: tab-indented, Reason on every line)', async () => {
    const out = await cli(node('imp01-sub2'), 'utils ha status');
    const c = node('imp01-pub').cluster;
    const expected = c.groups
      .map((g) =>
        [
          `Subcluster Name: ${g.name}`,
          ...g.nodes.map((n, i) => {
            if (!g.haEnabled) return `\tNode ${i + 1} Name : ${n.name} State: Unknown Reason: High Availability Not Enabled`;
            return `\tNode ${i + 1} Name : ${n.name} State: ${n.ha?.state} Reason: ${n.ha?.reason}`;
          }),
        ].join('\n'),
      )
      .join('\n\n');
    expect(out).toBe(`${expected}\n\n`);
    expect(out).toMatch(/^Subcluster Name: \S+\n\tNode 1 Name : imp01-pub State: Normal Reason: Normal\n\tNode 2 Name : imp01-sub1 State: Normal Reason: Normal\n/);
  });

  it('a group with HA disabled shows State: Unknown Reason: High Availability Not Enabled', async () => {
    const g = node('imp01-pub').group;
    if (!g) throw new Error('imp01-pub has no group');
    g.haEnabled = false;
    try {
      const out = await cli(node('imp01-pub'), 'utils ha status');
      expect(out).toContain('\tNode 1 Name : imp01-pub State: Unknown Reason: High Availability Not Enabled\n\tNode 2 Name : imp01-sub1 State: Unknown Reason: High Availability Not Enabled\n');
    } finally {
      g.haEnabled = true;
    }
  });
});

describe('utils service list (§4.5)', () => {
  it('prints platform services, the Service Manager lines, the rest, and the primary flag after a pause', async () => {
    const n = node('imp01-sub1');
    const started = Date.now();
    const out = await cli(n, 'utils service list');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('Requesting service status, please wait...');
    expect(lines[1]).toBe('System SSH [STARTED]');
    const sm = lines.indexOf('Service Manager is running');
    expect(lines.slice(sm, sm + 3)).toEqual(['Service Manager is running', 'Getting list of all services', '>> Return code = 0']);
    for (const l of lines.slice(1, sm)) expect(l).toMatch(/^\S.* \[(STARTED|STOPPED)\]( Service (Not )?Activated)?$/);
    for (const l of lines.slice(sm + 3, -2)) expect(l).toMatch(/^\S.*\S\[(STARTED|STOPPED|STARTING|STOPPING|UNKNOWN)\](  .+)?$/);
    expect(out).toContain('Cisco XCP Router[STARTED]\n');
    expect(lines.slice(-2)).toEqual(['Primary Node =false', 'Command successful']);
    expect(lines.length).toBe(n.services.length + 6);
  });

  it('a stopped service shows STOPPED with its reason, and leaves a core file', async () => {
    const n = node('imp02-sub1');
    const svc = n.service('Cisco Presence Engine');
    if (!svc) throw new Error('no Presence Engine');
    const saved = { status: svc.status, reasonCode: svc.reasonCode };
    svc.status = 'Stopped';
    svc.reasonCode = -1019;
    try {
      expect(await cli(n, 'utils service list')).toContain('\nCisco Presence Engine[STOPPED]  Component is not running\n');
      const cores = await cli(n, 'utils core active list');
      expect(cores).toMatch(/\nSize {9}Date {12}Core File Name\n=+\n\d+ KB {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {3}core\.\d+\.6\.presenceengine\.\d+\n/);
    } finally {
      Object.assign(svc, saved);
    }
    expect(await cli(n, 'utils core active list')).toBe('\nNo core files found\n\n');
  });
});

describe('show status (§4.6)', () => {
  it('prints the reconstructed layout with values from the counters', async () => {
    const n = node('cucm01-pub');
    const out = await cli(n, 'show status');
    expect(out).toMatch(
      new RegExp(
        [
          '^',
          'Host Name          : cucm01-pub',
          'Date               : \\w{3} \\w{3} \\d\\d, \\d{4} \\d\\d:\\d\\d:\\d\\d',
          'Time Zone          : .+',
          'Locale             : en_US\\.UTF-8',
          `Product Ver        : ${n.cluster.version.replace(/\./g, '\\.')}`,
          'Unified OS Version : [\\d.]+-\\d+',
          '',
          'Uptime:',
          ' \\d\\d:\\d\\d:\\d\\d up .+,  1 user,  load average: [\\d.]+, [\\d.]+, [\\d.]+',
          '',
          'CPU Idle:   \\d\\d\\.\\d\\d%  System:   \\d\\d\\.\\d\\d%    User:   \\d\\d\\.\\d\\d%',
          'IOWAIT:   \\d\\d\\.\\d\\d%     IRQ:   \\d\\d\\.\\d\\d%    Soft:   \\d\\d\\.\\d\\d%',
          '',
          'Memory Total: +\\d+K',
          ' {8}Free: +\\d+K',
          ' {8}Used: +\\d+K',
          ' {6}Cached: +\\d+K',
          ' {6}Shared: +\\d+K',
          ' {5}Buffers: +\\d+K',
          '',
          ' {24}Total {12}Free {12}Used',
          'Disk/active +\\d+K +\\d+K +\\d+K \\(\\d+%\\)',
          'Disk/inactive +\\d+K +\\d+K +\\d+K \\(\\d+%\\)',
          'Disk/logging +\\d+K +\\d+K +\\d+K \\(\\d+%\\)',
          '',
        ].join('\\n'),
      ),
    );
    // Right-aligned columns end where the capture's do (K at 29, 45, 61).
    const active = out.split('\n').find((l) => l.startsWith('Disk/active')) ?? '';
    expect([active[28], active[44], active[60]]).toEqual(['K', 'K', 'K']);
    const memTotal = Number(/Memory Total: +(\d+)K/.exec(out)?.[1]);
    expect(memTotal).toBe(n.counters.value('Memory', undefined, 'Total KBytes', lab.clock.now()));
    const totalMb = n.counters.value('Partition', 'Active', 'Total Mbytes', lab.clock.now()) ?? 0;
    expect(Number(/Disk\/active +(\d+)K/.exec(out)?.[1])).toBe(totalMb * 1024);
  });
});

describe('certificates (§4.4)', () => {
  it('show cert list own: one line per own certificate, self-signed or CA-signed', async () => {
    const n = node('imp01-pub');
    const out = await cli(n, 'show cert list own');
    const expected = n.certificates.map((c) => `${c.unit}/${c.file}: ${c.signedBy ? `Certificate Signed by ${c.signedBy}` : 'Self-signed certificate generated by system'}`);
    expect(out).toBe(`${expected.join('\n')}\n\n`);
    expect(out).toMatch(/^tomcat\/tomcat\.pem: /m);
    expect(out).toMatch(/^cup-xmpp\/cup-xmpp\.pem: /m);
  });

  it('show cert own <unit> and <unit>/<file>.pem print the dump and the real PEM', async () => {
    const n = node('imp01-pub');
    const cert = n.certificates.find((c) => c.unit === 'cup-xmpp');
    if (!cert) throw new Error('no cup-xmpp');
    for (const arg of ['cup-xmpp', 'cup-xmpp/cup-xmpp.pem']) {
      const out = await cli(n, `show cert own ${arg}`);
      expect(out).toContain(`  Issuer Name: ${cert.issuer}\n`);
      expect(out).toContain(`  Subject Name: ${cert.subject}\n`);
      expect(out).toMatch(/\n {2}Validity From: \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}\n {11}To: {3}\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}\n/);
      const pem = out.slice(out.indexOf('-----BEGIN CERTIFICATE-----'), out.indexOf('-----END CERTIFICATE-----') + 25);
      const x509 = new X509Certificate(pem);
      expect(new Date(x509.validTo).getTime()).toBe(Math.floor(cert.notAfter.getTime() / 1000) * 1000);
      expect(x509.serialNumber.toLowerCase()).toBe(cert.serialHex.toLowerCase());
      // The "To:" line carries the same expiry the PEM does (paramiko-tool token layout).
      const to = /To: +\w{3} (\w{3}) (\d\d) (\d\d:\d\d:\d\d) UTC (\d{4})/.exec(out);
      expect(new Date(`${to?.[1]} ${to?.[2]} ${to?.[4]} ${to?.[3]} UTC`).getTime()).toBe(Math.floor(cert.notAfter.getTime() / 1000) * 1000);
    }
  });
});

describe('utils users validate (§4.9)', () => {
  it('reports nothing under the headings for a clean directory', async () => {
    const out = await cli(node('imp01-pub'), 'utils users validate all');
    expect(out).toBe(
      [
        'Users with Duplicate User IDs',
        '-'.repeat(45),
        '',
        'Users with No Directory URI Configured',
        '-'.repeat(53),
        '',
        'Users with Invalid Directory URI Configured',
        '-'.repeat(53),
        '',
        'Users with Duplicate Directory URIs',
        `${'-'.repeat(53)} `,
        '',
        '',
      ].join('\n'),
    );
    expect(await cli(node('imp01-pub'), 'utils users validate userid')).toBe(`Users with Duplicate User IDs\n${'-'.repeat(45)}\n\n`);
  });

  it('lists duplicate user IDs and URIs across peers, missing and invalid URIs, grouped as Cisco prints them', async () => {
    const c1 = node('imp01-pub').cluster;
    const c2 = node('imp02-pub').cluster;
    const a = c1.users.user(3);
    const b = c2.users.user(7);
    const d1 = c1.users as unknown as { addLayer(id: string, o: Map<number, object>): void; removeLayer(id: string): boolean };
    const d2 = c2.users as unknown as typeof d1;
    d2.addLayer('t1', new Map([[7, { userid: a.userid }], [8, { directoryuri: a.directoryuri.toUpperCase() }]]));
    d1.addLayer('t1', new Map([[10, { directoryuri: '' }], [11, { directoryuri: 'asdf@ASDF@asdf@ADSF@cisco' }]]));
    try {
      const out = await cli(node('imp01-sub1'), 'utils users validate all');
      const b8 = c2.users.user(8);
      expect(out).toContain(`Users with Duplicate User IDs\n${'-'.repeat(45)}\n User ID: ${a.userid}\n  Node Name\n  ${a.homeNode}\n  ${b.homeNode}\n`);
      const u10 = c1.users.user(10);
      expect(out).toContain(`Users with No Directory URI Configured\n${'-'.repeat(53)}\n Node Name: ${u10.homeNode}\n User ID\n ${u10.userid}\n`);
      const u11 = c1.users.user(11);
      expect(out).toContain(` Node Name: ${u11.homeNode}\n ${'User ID'.padEnd(Math.max(10, u11.userid.length + 2))}Directory URI\n ${u11.userid.padEnd(Math.max(10, u11.userid.length + 2))}asdf@ASDF@asdf@ADSF@cisco\n`);
      expect(out).toMatch(new RegExp(`Directory URI: ${a.directoryuri.replace(/\./g, '\\.')}\\n Node Name +User ID\\n ${a.homeNode} +${a.userid}\\n ${b8.homeNode} +${b8.userid}\\n`));
      const uri = await cli(node('imp01-sub1'), 'utils users validate uri');
      expect(uri.startsWith('Users with No Directory URI Configured\n')).toBe(true);
      expect(uri).not.toContain('Duplicate User IDs');
    } finally {
      d1.removeLayer('t1');
      d2.removeLayer('t1');
    }
  });

  it('is an IM&P command only', async () => {
    expect(await cli(node('cucm01-pub'), 'utils users validate all')).toBe('No valid command entered\n\n');
  });
});

describe('show network cluster (§4.10)', () => {
  it('lists the CUCM publisher and every IM&P node, then the processnode table', async () => {
    const out = await cli(node('imp02-sub2'), 'show network cluster');
    const lines = out.split('\n');
    const cucm = node('cucm02-pub');
    expect(lines[0]).toMatch(new RegExp(`^${cucm.host} ${cucm.fqdn} cucm02-pub Publisher callmanager DBPub authenticated using TCP since \\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4}$`));
    expect(lines[1]).toMatch(/^127\.41\.2\.10 imp02-pub\.\S+ imp02-pub Subscriber cups DBPub authenticated using TCP since /);
    expect(lines[3]).toBe(`${node('imp02-sub2').host} ${node('imp02-sub2').fqdn} imp02-sub2 Subscriber cups DBSub authenticated`);
    expect(lines.slice(4)).toEqual(['', 'Server Table (processnode) Entries', '----------------------------------', 'cucm02-pub', 'imp02-pub', 'imp02-sub1', 'imp02-sub2', '', '']);
  });
});

describe('show perf query (§4.8)', () => {
  it('query class prints every counter of the class, instance column for multi-instance classes', async () => {
    const n = node('imp01-pub');
    const out = await cli(n, 'show perf query class Memory');
    expect(out.startsWith('==>query class :\n\n - Perf class (Memory) has instances and values:\n')).toBe(true);
    const total = n.counters.value('Memory', undefined, 'Total KBytes', lab.clock.now());
    expect(out).toContain(`                    -> Total KBytes                   = ${total}\n`);
    const repl = await cli(n, 'show perf query class "Number of Replicates Created and State of Replication"');
    expect(repl).toMatch(/\n\S+ +-> Replicate_State {16}= 2\n/);
  });

  it('query counter filters the class to that counter (quoted names, case and blanks tolerated)', async () => {
    const n = node('imp01-pub');
    const value = n.counters.value('Cisco Presence Engine', undefined, 'ActiveJsmSessions', lab.clock.now()) ?? -1;
    const out = await cli(n, 'show perf query counter "Cisco Presence Engine" ActiveJsmSessions');
    expect(out).toBe(`==>query counter :\n\n - Perf class (Cisco Presence Engine) has instances and values:\n                    -> ActiveJsmSessions              = ${Math.round(value)}\n\n`);
    expect(await cli(n, 'show perf query counter "Cisco Presence Engine" Active JsmSessions')).toContain('-> ActiveJsmSessions ');
    expect(await cli(n, 'show perf query counter "No Such Class" x')).toContain('Invalid class name: No Such Class');
  });
});

describe('utils ntp status and utils diagnose test (§4.7, §4.10)', () => {
  it('ntp: synchronised to the CUCM publisher, unsynchronised while it is down', async () => {
    const n = node('imp01-sub1');
    const pub = node('cucm01-pub');
    const ok = await cli(n, 'utils ntp status');
    expect(ok).toMatch(/^ntpd \(pid \d+\) is running\.\.\.\n\n {5}remote {11}refid {6}st t when poll reach {3}delay {3}offset {2}jitter\n={78}\n\*/);
    expect(ok).toContain(`synchronised to NTP server (${pub.host}) at stratum 3\n`);
    expect(ok).toMatch(/\nCurrent time in UTC is : \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n/);
    pub.faults.down = true;
    try {
      const bad = await cli(n, 'utils ntp status');
      expect(bad).toContain('\nunsynchronised\n  time server re-starting\n   polling server every 8 s\n');
    } finally {
      pub.faults.down = false;
    }
  });

  it('diagnose test runs for seconds and reports NTP problems while the time source is down', async () => {
    const n = node('imp01-sub2');
    const pub = node('cucm01-pub');
    pub.faults.down = true;
    const started = Date.now();
    let out: string;
    try {
      out = await cli(n, 'utils diagnose test');
    } finally {
      pub.faults.down = false;
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(out).toMatch(/^\nLog file: platform\/log\/diag(\d+)\.log\n\nStarting diagnostic test\(s\)\n===========================\ntest - disk_space {10}: Passed \(available: \d+ MB, used: \d+ MB\)\nskip - disk_files {10}: This module must be run directly and off hours\n/);
    expect(out).toContain('test - tomcat              : Passed\n');
    expect(out).toContain('test - ntp_clock_drift     : Warning The local clock is not synchronised.\nNone of the designated NTP servers are reachable/functioning or legitimate.\n');
    expect(out).toMatch(/\nDiagnostics Completed\n\n The final output will be in Log file: platform\/log\/diag\d+\.log\n\n Please use 'file view activelog platform\/log\/diag\d+\.log' command to see the output\n\n$/);
  });
});
