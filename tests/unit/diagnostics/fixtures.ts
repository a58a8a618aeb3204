// Small, explicit fleets for the diagnostics unit tests: an inventory of IM&P and CUCM clusters, a
// UserTable, and a CheckContext over hand-made datasets.
import type { Inventory, InventoryCluster, InventoryNode } from '../../../config/resolve';
import type { Datasets, NodeData, NodeReading } from '../../../diagnostics/collect/datasets';
import type { CheckContext } from '../../../diagnostics/types';
import { inferAddressing } from '../../../diagnostics/users/addressing';
import type { UsersDataset } from '../../../diagnostics/users/dataset';
import { UserTable } from '../../../diagnostics/users/table';

const intervals = { inventory: 86400, perfmon: 30, services: 60, replication: 60, ha: 30, certificates: 3600, peers: 300, users: 86400 };

function node(cluster: string, name: string, product: 'cucm' | 'imp', publisher: boolean, host: string, group?: string): InventoryNode {
  return {
    id: `${cluster}/${name}`,
    cluster,
    name,
    host,
    role: publisher ? 'publisher' : 'subscriber',
    product,
    ports: { https: 8443, ssh: 22 },
    group,
    polling: intervals,
    perfmon: { requestsPerMinute: 50, extraCounters: [] },
    tls: { mode: 'system' },
    ssh: { knownHosts: '', trustOnFirstUse: false },
    credentials: {},
  };
}

/** `n` sites: cucmNN (one publisher) and impNN (pub + sub1 in one group), IM&P clusters fully peered. */
export function inventory(n = 2): Inventory {
  const clusters: InventoryCluster[] = [];
  const imps = Array.from({ length: n }, (_, i) => `imp0${i + 1}`);
  for (let i = 1; i <= n; i++) {
    const cucm = `cucm0${i}`;
    const imp = `imp0${i}`;
    const base = { polling: intervals, perfmon: { requestsPerMinute: 50, extraCounters: [] }, tls: { mode: 'system' as const }, ssh: { knownHosts: '', trustOnFirstUse: false }, credentials: {}, discoverNodes: false };
    clusters.push({ ...base, name: cucm, product: 'cucm', publisher: `${cucm}-pub`, nodes: [node(cucm, `${cucm}-pub`, 'cucm', true, `10.0.${i}.2`)], groups: [], peers: [] });
    clusters.push({
      ...base,
      name: imp,
      product: 'imp',
      publisher: `${imp}-pub`,
      cucmCluster: cucm,
      nodes: [node(imp, `${imp}-pub`, 'imp', true, `10.0.${i}.10`, `${imp}-prg1`), node(imp, `${imp}-sub1`, 'imp', false, `10.0.${i}.11`, `${imp}-prg1`)],
      groups: [{ name: `${imp}-prg1`, haEnabled: true, nodes: [`${imp}-pub`, `${imp}-sub1`] }],
      peers: imps.filter((p) => p !== imp),
    });
  }
  return {
    clusters,
    nodes: clusters.flatMap((c) => c.nodes),
    limits: { perfmonRequestsPerMinute: 50, maxConcurrentPolls: 64, requestTimeout: 5, cliCommandTimeout: 10 },
    thresholds: { certificateWarningDays: 30, certificateCriticalDays: 7, jsmSessionsWarningRatio: 0.8, replicationQueueWarning: 100, partitionUsedWarningPercent: 90, cpuWarningPercent: 90 },
    ldap: [],
    server: { listen: '127.0.0.1:0', dataDir: '/tmp' },
  };
}

export interface UserSpec {
  cluster: string;
  node?: string;
  userid: string;
  uri?: string;
  mail?: string;
  im?: string;
}

/** A users dataset; IM addresses default to userid@example.com (UserID@[Default_Domain]). */
export function users(specs: UserSpec[], failed: Record<string, string> = {}): UsersDataset {
  const table = new UserTable();
  const clusters: UsersDataset['clusters'] = new Map();
  const byCluster = new Map<string, UserSpec[]>();
  for (const s of specs) byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), s]);
  for (const [c, list] of byCluster) {
    const ci = table.clusterOf(c);
    const start = table.size;
    list.forEach((s, k) => {
      table.add(
        { pkid: `${c}-${k}`, userid: s.userid, directoryUri: s.uri ?? `${s.userid}.uri@example.com`, mail: s.mail ?? s.uri ?? `${s.userid}.uri@example.com`, imAddress: s.im ?? `${s.userid}@example.com` },
        ci,
        table.nodeOf(ci, s.node ?? `${c}-pub`),
      );
    });
    clusters.set(c, { cluster: c, ok: true, assigned: list.length, unassigned: 0, remote: 0, pages: 1, addressing: inferAddressing(table, Array.from({ length: table.size - start }, (_, i) => start + i)) });
  }
  for (const [c, message] of Object.entries(failed)) clusters.set(c, { cluster: c, ok: false, error: { kind: 'connection', message }, assigned: 0, unassigned: 0, remote: 0, pages: 0 });
  return { table, clusters };
}

export const ok = <T>(value: T, at = Date.now()): NodeReading<T> => ({ ok: true, value, at, via: 'on-demand' });
export const failed = (message: string, kind = 'connection'): NodeReading<never> => ({ ok: false, error: { kind, message } });

export function nodeData<T>(entries: Record<string, NodeReading<T>>): NodeData<T> {
  return new Map(Object.entries(entries));
}

export function context(inv: Inventory, data: Datasets, over: Partial<CheckContext> = {}): CheckContext {
  return {
    inventory: inv,
    clusters: inv.clusters,
    data,
    thresholds: { certificateWarningDays: 30, certificateCriticalDays: 7, replicationQueueWarning: 100, partitionUsedWarningPercent: 90 },
    now: Date.now(),
    ...over,
  };
}
