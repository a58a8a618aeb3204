// The rule catalogue on real collected data: the collector polls the lab over real sockets, the
// embedded evaluator reads its samples, and each lab fault fires the alert an operator expects —
// with Cisco's names and the right labels — then resolves when the fault is cleared. A healthy lab
// fires nothing critical.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '../../collectors/index';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded } from '../../config/resolve';
import { startLab, type LabHandle } from '../../lab/index';
import type { AlertView } from '../../alerts/handle';
import { AlertingService } from '../../alerts/service';
import { resolveAlerting } from '../../alerts/settings';

let dir: string;
let lab: LabHandle;
let collector: Collector;
let service: AlertingService;
const faults: string[] = [];

async function inject(kind: string, target: string, params?: Record<string, string | number>): Promise<void> {
  const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, target, params }) });
  if (res.status !== 201) throw new Error(`${kind} ${target}: ${res.status} ${await res.text()}`);
  faults.push(((await res.json()) as { id: string }).id);
}

async function firing(what: string, match: (a: AlertView) => boolean, timeoutMs = 60_000): Promise<AlertView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const a = service.snapshot().alerts.find((x) => x.state === 'firing' && match(x));
    if (a) return a;
    if (Date.now() > end) throw new Error(`${what} did not fire; active: ${JSON.stringify(service.snapshot().alerts.map((x) => [x.alertname, x.state, x.labels]))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-alerts-lab-'));
  // HA timings run 10× faster: a failover after Critical Service Down Delay (90 s) takes 9 s.
  lab = await startLab({ clusters: 2, nodes: 2, usersPerCluster: 300, addressBase: '127.147', controlPort: 0, timeScale: 10, dir });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  cfg.polling = { perfmon: '2s', ha: '2s', services: '2s', replication: '2s', certificates: '4s', users: '4s', peers: '4s', inventory: '30s' };
  cfg.limits = { requestTimeout: '1s', cliCommandTimeout: '2s' };
  const soon = { for: '2s' };
  cfg.alerting = { rules: { CriticalServiceDown: soon, ServerDown: soon, DBReplicationFailure: soon, SRMFailover: soon } };
  writeFileSync(file, stringify(cfg));
  const loaded = loadConfigFile(file);
  const inventory = resolveLoaded(loaded);
  collector = createCollector(inventory, { engine: { firstSpreadMs: 500 } });
  await collector.start();
  service = new AlertingService({
    settings: resolveAlerting(loaded.config, { dir: loaded.dir, thresholds: inventory.thresholds }),
    inventory,
    reader: collector.engine.metrics,
    updates: collector.store,
    log: () => {},
    runbookDir: path.resolve(__dirname, '../../docs/runbooks'),
    minGapMs: 250,
  });
  service.start();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await collector?.stop();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the rule catalogue on the lab', () => {
  it('fires nothing critical on a healthy lab, and every rule evaluates', async () => {
    // Let every source poll a few times.
    await new Promise((r) => setTimeout(r, 8000));
    const snap = service.snapshot();
    expect(snap.rules.filter((r) => r.health !== 'ok')).toEqual([]);
    expect(snap.alerts.filter((a) => a.severity === 'critical')).toEqual([]);
  });

  it('fires the alert each fault calls for, with its labels', async () => {
    await inject('critical-service-down', 'imp01-sub1');
    await inject('node-down', 'imp02-sub1');
    await inject('replication-broken', 'cucm01-pub');
    await inject('cert-expired', 'imp01-pub', { unit: 'cup-xmpp', days: 3 });
    await inject('duplicate-users', 'imp01', { count: 5, field: 'userid' });
    await inject('invalid-uris', 'imp02', { count: 4 });

    const csd = await firing('CriticalServiceDown', (a) => a.alertname === 'CriticalServiceDown' && a.node === 'imp01-sub1');
    expect(csd.labels).toMatchObject({ cluster: 'imp01', service: 'Cisco Presence Engine', severity: 'critical' });
    const down = await firing('ServerDown', (a) => a.alertname === 'ServerDown' && a.node === 'imp02-sub1');
    expect(down.labels).toMatchObject({ cluster: 'imp02', severity: 'critical' });
    // The peers take the users over: after the critical-service delay on imp01, after the heartbeat timeout on imp02.
    expect((await firing('SRMFailover imp01', (a) => a.alertname === 'SRMFailover' && a.cluster === 'imp01')).labels).toMatchObject({ node: 'imp01-pub', reason: 'Critical Service Down' });
    expect((await firing('SRMFailover imp02', (a) => a.alertname === 'SRMFailover' && a.cluster === 'imp02')).labels).toMatchObject({ node: 'imp02-pub', reason: 'Peer Reboot' });
    const repl = await firing('DBReplicationFailure', (a) => a.alertname === 'DBReplicationFailure' && a.node === 'cucm01-pub');
    expect(repl.value).toBeGreaterThanOrEqual(3);
    const cert = await firing('CertificateExpired', (a) => a.alertname === 'CertificateExpired' && a.node === 'imp01-pub');
    expect(cert.labels.unit).toBe('cup-xmpp');
    expect(cert.summary).toMatch(/^Certificate cup-xmpp of imp01-pub \(cluster imp01\) expired 3\.\d days ago$/);
    // The Data Monitor's report covers the cluster and its intercluster peers: both see the duplicates.
    const dup = await firing('DuplicateUserid', (a) => a.alertname === 'DuplicateUserid' && a.cluster === 'imp01');
    expect(dup.labels).toMatchObject({ node: 'imp01-pub', severity: 'critical' });
    expect(dup.value).toBe(5);
    const uris = await firing('InvalidDirectoryURIWarning', (a) => a.alertname === 'InvalidDirectoryURIWarning' && a.cluster === 'imp02');
    expect(uris.labels).toMatchObject({ node: 'imp02-pub', severity: 'warning' });
    expect(uris.value).toBe(4);
    // The node that is down is not also reported as "not collected".
    expect(service.snapshot().alerts.filter((a) => a.alertname === 'NodeNotCollected' && a.node === 'imp02-sub1')).toEqual([]);
    expect(service.firingCounts().critical).toBeGreaterThanOrEqual(6);
  });

  it('resolves them when the faults are cleared', async () => {
    const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'DELETE' });
    expect(res.ok).toBe(true);
    const end = Date.now() + 60_000;
    const gone = (name: string, node: string) => !service.snapshot().alerts.some((a) => a.alertname === name && a.node === node);
    while (!(gone('CriticalServiceDown', 'imp01-sub1') && gone('ServerDown', 'imp02-sub1') && gone('DBReplicationFailure', 'cucm01-pub') && gone('CertificateExpired', 'imp01-pub'))) {
      if (Date.now() > end) throw new Error(`still active: ${JSON.stringify(service.snapshot().alerts.map((a) => [a.alertname, a.node]))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
