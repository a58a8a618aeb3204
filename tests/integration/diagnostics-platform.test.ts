// The whole troubleshooter on a healthy lab (every check Passed, Associated Users Skipped), then the
// replication, certificate, service and platform checks failing on the faulty lab, each naming
// exactly the node, server, certificate, service, partition, core file or module the fault touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsOf, startDiagRig, type DiagRig } from './diagnostics-rig';

let rig: DiagRig;

beforeAll(async () => {
  rig = await startDiagRig({ addressBase: '127.133', clusters: 2, nodes: 2, users: 300 });
});

afterAll(async () => {
  await rig?.stop();
});

describe('on the healthy lab', () => {
  it('the full troubleshooter passes every check (Associated Users is skipped: no API shows it)', async () => {
    const out = await rig.run();
    expect(out.status).toBe('completed');
    expect(out.results).toHaveLength(29);
    expect(out.results.filter((r) => r.status !== 'passed').map((r) => `${r.checkId}: ${r.status}`)).toEqual(['IC-PEER-USERS: skipped']);
    // Every node was read, a shell of diagnostics' own per node, nothing left open.
    expect(Object.keys(out.summary.requests.byNode).sort()).toEqual(rig.inventory.nodes.map((n) => n.id).sort());
    const open = () => Math.max(...rig.lab.deployment.nodes.map((n) => n.stats.sshSessionsOpen));
    for (let t = 0; t < 40 && open() > 0; t++) await new Promise((r) => setTimeout(r, 100));
    expect(open()).toBe(0);
  });

  it('a readiness run says Go for every cluster', async () => {
    const out = await rig.run(undefined, { kind: 'readiness' });
    expect(out.report!.clusters.map((c) => `${c.cluster}:${c.verdict}`)).toEqual(['cucm01:Go', 'imp01:Go', 'cucm02:Go', 'imp02:Go']);
  });
});

describe('on the faulty lab', () => {
  it('REPL-STATE names the server whose replication is broken; REPL-QUEUE sees its queue grow', async () => {
    const f = rig.fault('replication-broken', 'imp01-sub1', { perMinute: 600 });
    try {
      const out = await rig.run(['REPL-STATE', 'REPL-QUEUE']);
      const state = out.results.find((r) => r.checkId === 'REPL-STATE')!;
      expect(state.status).toBe('failed');
      expect(itemsOf(state)).toEqual(['failed:imp01/imp01-sub1:imp01-sub1']);
      expect(state.items[0].detail).toContain('(3) Replication is bad');
      const queue = out.results.find((r) => r.checkId === 'REPL-QUEUE')!;
      expect(queue.status).toBe('failed');
      expect(itemsOf(queue)).toEqual(['failed:imp01/imp01-sub1:imp01-sub1']);
      expect(queue.items[0].detail).toMatch(/grew from \d+ to \d+/);
    } finally {
      rig.clear(f);
    }
  });

  it('CERT-EXPIRED names the expired certificate (once, though both the CLI and the TLS port show it)', async () => {
    const f = rig.fault('cert-expired', 'imp01-sub1', { unit: 'cup' });
    try {
      const r = await rig.check('CERT-EXPIRED');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp01/imp01-sub1:cup on imp01-sub1']);
    } finally {
      rig.clear(f);
    }
  });

  it('CERT-EXPIRING warns about the certificate expiring within 30 days', async () => {
    const f = rig.fault('cert-expiring', 'imp02-pub');
    try {
      const r = await rig.check('CERT-EXPIRING');
      expect(r.status).toBe('warning');
      expect(itemsOf(r)).toEqual(['warning:imp02/imp02-pub:cup-xmpp on imp02-pub']);
    } finally {
      rig.clear(f);
    }
  });

  it('CERT-TRUST names the self-signed certificate that does not verify', async () => {
    const f = rig.fault('cert-self-signed', 'cucm01-pub');
    try {
      const r = await rig.check('CERT-TRUST');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:cucm01/cucm01-pub:tomcat on cucm01-pub']);
    } finally {
      rig.clear(f);
    }
  });

  it('SVC-CRITICAL names the critical services stopped on IM&P and CUCM', async () => {
    const a = rig.fault('service-stop', 'imp02-sub1', { service: 'Cisco SIP Proxy' });
    const b = rig.fault('service-stop', 'cucm02-pub');
    try {
      const r = await rig.check('SVC-CRITICAL');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:cucm02/cucm02-pub:Cisco CallManager', 'failed:imp02/imp02-sub1:Cisco SIP Proxy']);
    } finally {
      rig.clear(a);
      rig.clear(b);
    }
  });

  it('SVC-DATA-MONITOR names the node where the Data Monitor is stopped', async () => {
    const f = rig.fault('service-stop', 'imp01-pub', { service: 'Cisco IM and Presence Data Monitor' });
    try {
      const r = await rig.check('SVC-DATA-MONITOR');
      expect(itemsOf(r)).toEqual(['failed:imp01/imp01-pub:Cisco IM and Presence Data Monitor']);
    } finally {
      rig.clear(f);
    }
  });

  it('PLAT-DISK names the full partition; PLAT-DIAGNOSE the disk_space module that fails with it', async () => {
    const f = rig.fault('partition-full', 'imp01-pub', { partition: 'Common', percent: 97 });
    const g = rig.fault('partition-full', 'cucm01-pub', { partition: 'Active', percent: 96 });
    try {
      const out = await rig.run(['PLAT-DISK', 'PLAT-DIAGNOSE']);
      const disk = out.results.find((r) => r.checkId === 'PLAT-DISK')!;
      expect(disk.status).toBe('failed');
      expect(itemsOf(disk)).toEqual(['failed:cucm01/cucm01-pub:Active on cucm01-pub', 'failed:imp01/imp01-pub:Common on imp01-pub']);
      const diag = out.results.find((r) => r.checkId === 'PLAT-DIAGNOSE')!;
      expect(itemsOf(diag)).toEqual(['failed:cucm01/cucm01-pub:disk_space on cucm01-pub']);
    } finally {
      rig.clear(f);
      rig.clear(g);
    }
  });

  it('PLAT-NTP names the unsynchronised node; PLAT-DIAGNOSE its NTP warnings', async () => {
    const f = rig.fault('ntp-unreachable', 'imp02-sub1');
    try {
      const out = await rig.run(['PLAT-NTP', 'PLAT-DIAGNOSE']);
      expect(itemsOf(out.results.find((r) => r.checkId === 'PLAT-NTP')!)).toEqual(['failed:imp02/imp02-sub1:imp02-sub1']);
      const diag = out.results.find((r) => r.checkId === 'PLAT-DIAGNOSE')!;
      expect(diag.status).toBe('warning');
      expect(itemsOf(diag)).toEqual(['warning:imp02/imp02-sub1:ntp_clock_drift on imp02-sub1', 'warning:imp02/imp02-sub1:ntp_reachability on imp02-sub1']);
    } finally {
      rig.clear(f);
    }
  });

  it('PLAT-CORES names the core file', async () => {
    const f = rig.fault('core-dump', 'cucm02-pub');
    try {
      const r = await rig.check('PLAT-CORES');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual([expect.stringMatching(/^failed:cucm02\/cucm02-pub:core\.\d+\.6\.ccm\.\d+$/)]);
    } finally {
      rig.clear(f);
    }
  });

  it('PLAT-VERSIONS names the node on another version (SystemVersionMismatched)', async () => {
    const f = rig.fault('version-mismatch', 'imp02-sub1');
    try {
      const r = await rig.check('PLAT-VERSIONS');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp02/imp02-sub1:imp02-sub1']);
      expect(r.items[0].detail).toContain('14.0.1.13900-8');
    } finally {
      rig.clear(f);
    }
  });

  it('a readiness run with problems is No-Go for exactly the clusters they are in', async () => {
    const f = rig.fault('replication-broken', 'imp02-sub1');
    const g = rig.fault('cert-expiring', 'cucm01-pub', { days: 5 });
    try {
      const out = await rig.run(undefined, { kind: 'readiness' });
      expect(out.report!.clusters.map((c) => `${c.cluster}:${c.verdict}`)).toEqual(['cucm01:No-Go', 'imp01:Go', 'cucm02:Go', 'imp02:No-Go']);
      expect(out.report!.clusters[3].reasons.map((r) => r.checkId)).toContain('REPL-STATE');
      expect(out.report!.clusters[0].reasons.map((r) => r.checkId)).toEqual(['CERT-EXPIRING']);
    } finally {
      rig.clear(f);
      rig.clear(g);
    }
  });
});
