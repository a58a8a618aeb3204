// Every source against the lab over real sockets: values match the lab's state, every node is
// fresh, the PerfMon cost stays within budget, and stop() leaves no session open on any node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import type { HaObservation } from '../../collectors/sources/ha';
import type { InventoryObservation } from '../../collectors/sources/inventory';
import type { PerfmonObservation } from '../../collectors/sources/perfmon';
import type { ReplicationObservation } from '../../collectors/sources/replication';
import type { ServicesObservation } from '../../collectors/sources/services';
import type { UsersObservation } from '../../collectors/sources/users';
import { openSessions, startRig, type LabRig } from './sources-lab';

let rig: LabRig;

beforeAll(async () => {
  rig = await startRig({ addressBase: '127.70', clusters: 2, nodes: 3 });
  const outcomes = await rig.poll();
  const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.task.id}: ${o.kind} ${(o.error as Error)?.message}`);
  expect(failed).toEqual([]);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

const dep = () => rig.lab.deployment;

describe('sources against the lab', () => {
  it('polls every node of the fleet and every source is fresh', () => {
    const nodes = dep().nodes.map((n) => n.name).sort();
    const snapshot = rig.collector.store.snapshot();
    expect([...new Set(snapshot.map((v) => v.node))].sort()).toEqual(nodes);
    for (const v of snapshot) expect({ id: `${v.node}/${v.source}`, ok: v.ok, fresh: v.fresh }).toEqual({ id: `${v.node}/${v.source}`, ok: true, fresh: true });
    const sources = new Set(snapshot.map((v) => v.source));
    expect([...sources].sort()).toEqual(['certificates', 'ha', 'inventory', 'peers', 'perfmon', 'replication', 'services', 'users']);
  });

  it('inventory: versions per node, and the publisher reports nodes and presence redundancy groups with their HA flag', () => {
    const imp = dep().cluster('imp01')!;
    const pub = rig.view('imp01-pub', 'inventory').value as InventoryObservation;
    expect(pub.version).toBe(imp.version);
    expect(pub.nodes?.map((n) => n.name).sort()).toEqual(imp.nodes.map((n) => n.name).sort());
    expect(pub.groups?.map((g) => ({ name: g.name, haEnabled: g.haEnabled, nodes: g.nodes }))).toEqual(
      imp.groups.map((g) => ({ name: g.name, haEnabled: g.haEnabled, nodes: g.nodes.map((n) => n.name) })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect((rig.view('imp01-sub2', 'inventory').value as InventoryObservation).nodes).toBeUndefined();
  });

  it('perfmon: curated counters in one session per node, values as the lab serves them', () => {
    for (const node of dep().nodes) {
      const v = rig.view(node.name, 'perfmon').value as PerfmonObservation;
      const byName = new Map(v.samples.map((s) => [`${s.object}(${s.instance ?? ''})\\${s.counter}`, s.value]));
      expect(byName.get('Processor(_Total)\\% CPU Time')).toBeGreaterThan(0);
      expect(byName.get('Memory()\\% Mem Used')).toBeGreaterThan(0);
      expect(byName.get('Number of Replicates Created and State of Replication(ReplicateCount)\\Replicate_State')).toBe(node.replication.setupState);
      if (node.product === 'imp') expect(byName.has('Cisco Presence Engine()\\ActiveJsmSessions')).toBe(true);
      else expect(byName.has('Cisco Presence Engine()\\ActiveJsmSessions')).toBe(false);
      // Discovery + open + add + two collects on the first poll, never near the 50/min budget.
      expect(v.requests).toBeLessThanOrEqual(12);
      expect(v.pending).toBe(0);
    }
  });

  it('perfmon: a second poll costs exactly one request (the session is reused)', async () => {
    const outcomes = await rig.poll(['perfmon']);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    for (const node of dep().nodes) {
      const v = rig.view(node.name, 'perfmon').value as PerfmonObservation;
      expect({ node: node.name, requests: v.requests, opened: v.sessionOpened }).toEqual({ node: node.name, requests: 1, opened: false });
    }
    const stats = await openSessions(rig);
    for (const node of dep().nodes) expect(stats[node.name]?.perfmon).toBe(1);
  });

  it('services: Control Center status and reason per service, as the node has them', () => {
    for (const node of dep().nodes) {
      const v = rig.view(node.name, 'services').value as ServicesObservation;
      expect(v.via).toBe('controlcenter');
      for (const s of node.services) {
        const got = v.services.find((x) => x.name === s.name);
        expect({ name: s.name, status: got?.status, code: got?.reasonCode }).toEqual({ name: s.name, status: s.status, code: s.reasonCode });
      }
    }
  });

  it('replication: the publisher reports every node of its cluster with setup state and queue', () => {
    for (const cluster of dep().clusters) {
      const v = rig.view(cluster.publisher.name, 'replication').value as ReplicationObservation;
      expect(v.status).toBe('ok');
      expect(v.servers.map((s) => s.name).sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
      for (const s of v.servers) {
        const n = cluster.nodes.find((x) => x.name === s.name)!;
        expect({ node: s.name, state: s.setupState, queue: s.queue }).toEqual({ node: s.name, state: n.replication.setupState, queue: n.replication.queue });
      }
    }
  });

  it('ha: each IM&P node reports its own state and reason verbatim, in its group', () => {
    for (const node of dep().nodes.filter((n) => n.product === 'imp')) {
      const v = rig.view(node.name, 'ha').value as HaObservation;
      expect(v.self?.group).toBe(node.group?.name);
      if (node.group?.haEnabled) expect(v.self?.state).toBe(node.ha?.state);
      else expect(v.self).toMatchObject({ state: 'Unknown', reason: 'High Availability Not Enabled' });
    }
  });

  it('certificates: every TLS port and the CLI inventory (own and trust store), with the lab certificates’ expiry', () => {
    for (const node of dep().nodes) {
      const v = rig.view(node.name, 'certificates').value as CertificatesObservation;
      expect(v.errors).toEqual([]);
      const tomcat = node.certificates.find((c) => c.unit === 'tomcat')!;
      const tls = v.certificates.find((c) => c.source === 'tls' && c.unit === 'tomcat')!;
      expect(tls.notAfter).toBe(Math.floor(tomcat.notAfter.getTime() / 1000) * 1000);
      expect(tls.trusted).toBe(true);
      expect(v.certificates.filter((c) => c.source === 'cli' && c.store === 'own').map((c) => c.unit).sort()).toEqual(node.certificates.map((c) => c.unit).sort());
      expect(v.certificates.filter((c) => c.store === 'trust').map((c) => `${c.unit}/${c.file}`).sort()).toEqual(node.trustCertificates.map((c) => `${c.unit}/${c.file}`).sort());
      if (node.product === 'imp') expect(v.certificates.filter((c) => c.source === 'tls').map((c) => c.unit).sort()).toEqual(['cup', 'cup-xmpp', 'cup-xmpp-s2s', 'tomcat']);
    }
  });

  it('users: the IM&P publisher runs utils users validate all (a clean lab has no duplicates)', () => {
    const v = rig.view('imp01-pub', 'users').value as UsersObservation;
    expect(v.duplicateUserIds).toEqual([]);
    expect(v.duplicateDirectoryUris).toEqual([]);
  });

  it('/metrics shows each node once in impulse_node_info and every target up', async () => {
    const text = await rig.collector.metrics();
    const info = text.split('\n').filter((l) => l.startsWith('impulse_node_info{'));
    expect(info).toHaveLength(dep().nodes.length);
    const down = text.split('\n').filter((l) => l.startsWith('impulse_target_up{') && l.endsWith(' 0'));
    expect(down).toEqual([]);
    expect(text).toContain('impulse_ha_node_state{cluster="imp01",node="imp01-pub",group=');
  });

  it('stop() closes every PerfMon session and SSH channel on every node', async () => {
    await rig.collector.stop();
    const deadline = Date.now() + 5_000;
    let open: Array<[string, unknown]> = [];
    do {
      const stats = await openSessions(rig);
      open = Object.entries(stats).filter(([, s]) => s.perfmon !== 0 || s.ssh !== 0 || s.channels !== 0);
      if (open.length === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < deadline);
    expect(open).toEqual([]);
  });
});
