// PerfMon sessions against the lab over real sockets: a node holds a bounded number of sessions;
// a collector that dies without closing its sessions leaks them there, and the session ledger
// (kept in the product database) closes them at the next start so they never pile up. A reload
// that removes a node closes its session; the other nodes keep theirs. The lab control API
// listens on loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded, type Inventory } from '../../config/resolve';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { forgetSession, listOpenSessions, recordOpenSession } from '../../db/perfmon-sessions';
import { createCollector, type Collector } from '../../collectors/index';
import { SessionLedger } from '../../collectors/engine/session-ledger';
import { startControlApi } from '../../lab/faults/control-api';
import { FaultManager } from '../../lab/faults/manager';
import { startLab, type LabHandle } from '../../lab/index';

let lab: LabHandle;
let dir: string;
let db: ImpulseDatabase;
let inventory: Inventory;
const MAX = 3;

function perfmonOpen(): Record<string, number> {
  return Object.fromEntries(lab.deployment.nodes.map((n) => [n.name, n.stats.perfmonSessionsOpen]));
}

function ledgerOf(d: ImpulseDatabase) {
  return new SessionLedger({
    load: () => listOpenSessions(d),
    add: (e) => recordOpenSession(d, e),
    remove: (id, h) => forgetSession(d, id, h),
  });
}

function collector(ledger?: SessionLedger, inv = inventory): Collector {
  const i = structuredClone(inv);
  i.limits.requestTimeout = 3;
  return createCollector(i, { engine: { ledger } });
}

const pollPerfmon = (c: Collector) => c.engine.scheduler.runOnce((t) => t.source === 'perfmon');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-ledger-'));
  lab = await startLab({ clusters: 1, nodes: 2, usersPerCluster: 100, addressBase: '127.151', controlPort: 0, dir, perfmonMaxSessions: MAX, perfmonRateLimit: 1000 });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  inventory = resolveLoaded(loadConfigFile(file));
  db = openDatabase({ dataDir: path.join(dir, 'data') });
});

afterAll(async () => {
  db?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('PerfMon sessions across crashes', () => {
  it('without a ledger, each crashed collector leaves a session per node until the node refuses new ones', async () => {
    for (let i = 0; i < MAX + 1; i++) await pollPerfmon(collector()); // never stopped: a kill -9
    expect(Object.values(perfmonOpen()).every((n) => n === MAX)).toBe(true);
    const refused = lab.deployment.nodes.reduce((n, x) => n + x.stats.perfmonSessionsRefused, 0);
    expect(refused).toBe(lab.deployment.nodes.length);
    const probe = collector();
    const [failed] = await probe.engine.scheduler.runOnce((t) => t.source === 'perfmon' && t.node === lab.deployment.nodes[0].name);
    expect(failed.ok).toBe(false);
    expect(String((failed.error as Error).message)).toMatch(/Exceeded the maximum number of PerfMon sessions \(3\)/);
    // The lab's idle expiry would free them in 30 min: a fresh lab for the next test.
    await lab.stop();
    lab = await startLab({ clusters: 1, nodes: 2, usersPerCluster: 100, addressBase: '127.151', controlPort: 0, dir, perfmonMaxSessions: MAX, perfmonRateLimit: 1000 });
    lab.writeConfig(path.join(dir, 'impulse.config.yaml'));
  });

  it('with the ledger, the next start closes what the crashed one left: one session per node, however many crashes', async () => {
      // (The lab's rate limit is raised: six collectors in a few seconds exceed 50 requests a minute.)
    for (let i = 0; i < MAX + 2; i++) {
      const c = collector(ledgerOf(db));
      const outcomes = await pollPerfmon(c);
      expect(outcomes.every((o) => o.ok), JSON.stringify(outcomes.map((o) => o.error && String(o.error)))).toBe(true);
      expect(Object.values(perfmonOpen())).toEqual(lab.deployment.nodes.map(() => 1));
      expect(listOpenSessions(db)).toHaveLength(lab.deployment.nodes.length);
      // …and the process dies here, without stop().
    }
    const last = collector(ledgerOf(db));
    await pollPerfmon(last);
    await last.stop(); // a clean stop closes them and empties the ledger
    expect(Object.values(perfmonOpen()).every((n) => n === 0)).toBe(true);
    expect(listOpenSessions(db)).toEqual([]);
  });

  it('a reload that removes a node closes its session; the other nodes keep theirs', async () => {
    const c = collector(ledgerOf(db));
    await pollPerfmon(c);
    const [keep, drop] = lab.deployment.nodes.filter((n) => n.cluster.product === 'imp');
    const keptClients = c.engine.clientsOf('imp01', keep.name)!;
    const handleBefore = listOpenSessions(db).find((r) => r.nodeId.endsWith(`/${keep.name}`))!.handle;
    const next = structuredClone(c.inventory);
    const imp = next.clusters.find((x) => x.name === 'imp01')!;
    imp.nodes = imp.nodes.filter((n) => n.name !== drop.name);
    imp.groups = imp.groups.map((g) => ({ ...g, nodes: g.nodes.filter((n) => n !== drop.name) }));
    next.nodes = next.clusters.flatMap((x) => x.nodes);
    const change = await c.engine.applyInventory(next);
    expect(change.removed).toEqual([`imp01/${drop.name}`]);
    expect(drop.stats.perfmonSessionsOpen).toBe(0);
    await pollPerfmon(c);
    expect(c.engine.clientsOf('imp01', keep.name)).toBe(keptClients);
    expect(keptClients.perfmonSession.openCount).toBe(1);
    expect(keep.stats.perfmonSessionsOpen).toBe(1);
    expect(listOpenSessions(db).find((r) => r.nodeId.endsWith(`/${keep.name}`))!.handle).toBe(handleBefore);
    await c.stop();
  });
});

describe('lab control API', () => {
  it('refuses to listen anywhere but loopback', async () => {
    const faults = new FaultManager(lab.deployment);
    await expect(startControlApi({ lab: lab.deployment, faults, manifest: () => undefined, host: '0.0.0.0', port: 0 })).rejects.toThrow(/loopback only/);
    await expect(startControlApi({ lab: lab.deployment, faults, manifest: () => undefined, host: '10.1.2.3', port: 0 })).rejects.toThrow(/loopback only/);
    const api = await startControlApi({ lab: lab.deployment, faults, manifest: () => undefined, host: '127.151.200.1', port: 0 });
    expect((await fetch(`${api.url}/v1/kinds`)).status).toBe(200);
    await api.close();
  });
});
