// The home page's view of the runtime: inventory plus, when a collector runs, each node's latest
// status per source. Plain data only (names, addresses, states), never credentials or references.
import type { SourceName } from '../../config/schema';
import type { ImpulseRuntime } from './runtime';

export interface SourceStatus {
  source: SourceName;
  state: 'ok' | 'stale' | 'failing' | 'pending';
  /** Seconds since the latest success. */
  ageSeconds: number | null;
  /** The latest error, e.g. "timeout: …". */
  error?: string;
}

export interface NodeRow {
  name: string;
  host: string;
  role: 'publisher' | 'subscriber';
  product: 'cucm' | 'imp';
  group?: string;
  statuses: SourceStatus[];
}

export interface ClusterView {
  name: string;
  product: 'cucm' | 'imp';
  version?: string;
  publisher: string;
  cucmCluster?: string;
  peers: string[];
  discoverNodes: boolean;
  tlsMode: string;
  nodes: NodeRow[];
}

export interface Overview {
  configPath: string;
  clusters: ClusterView[];
  nodeCount: number;
  collecting: boolean;
  /** Sources with at least one observation, in display order. */
  sources: SourceName[];
  lab?: { controlUrl: string };
}

const sourceOrder: SourceName[] = ['perfmon', 'services', 'ha', 'replication', 'certificates', 'peers', 'users', 'inventory'];

export function overview(rt: ImpulseRuntime): Overview {
  const snapshot = rt.collector?.store.snapshot() ?? [];
  const byNode = new Map<string, SourceStatus[]>();
  for (const o of snapshot) {
    const key = `${o.cluster}\u0000${o.node}`;
    const state: SourceStatus['state'] = o.at === undefined && o.lastAttemptAt === undefined ? 'pending' : !o.ok ? 'failing' : o.fresh ? 'ok' : 'stale';
    const list = byNode.get(key) ?? [];
    list.push({ source: o.source, state, ageSeconds: o.ageSeconds, error: o.error && !o.ok ? `${o.error.kind}: ${o.error.message}` : undefined });
    byNode.set(key, list);
  }
  const seen = new Set(snapshot.map((o) => o.source));
  return {
    configPath: rt.configPath,
    nodeCount: rt.inventory.nodes.length,
    collecting: rt.collector !== undefined,
    sources: sourceOrder.filter((s) => seen.has(s)),
    lab: rt.lab,
    clusters: rt.inventory.clusters.map((c) => ({
      name: c.name,
      product: c.product,
      version: c.version,
      publisher: c.publisher,
      cucmCluster: c.cucmCluster,
      peers: c.peers,
      discoverNodes: c.discoverNodes,
      tlsMode: c.tls.mode,
      nodes: c.nodes.map((n) => ({
        name: n.name,
        host: n.host,
        role: n.role,
        product: n.product,
        group: n.group,
        statuses: byNode.get(`${c.name}\u0000${n.name}`) ?? [],
      })),
    })),
  };
}

export const productLabel = (p: 'cucm' | 'imp') => (p === 'cucm' ? 'CUCM' : 'IM&P');
export const roleLabel = (r: 'publisher' | 'subscriber') => (r === 'publisher' ? 'Publisher' : 'Subscriber');
