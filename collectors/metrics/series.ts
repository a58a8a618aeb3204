// The series the node page charts, defined once beside the metric catalogue: each names a
// catalogue metric, its title and unit, the label that splits it into lines, and the products
// that have it. The embedded recorder (what to keep), the Prometheus back end (which PromQL to
// send) and the pages (what to draw) all read this list, so a metric and its chart cannot drift.
import type { InventoryNode, Product } from '../../config/resolve';
import { defaultIntervals } from '../../config/schema';
import { metrics, type MetricId } from './catalogue';

/** How a chart formats values: counts, ratios 0–1 (shown as %), bytes, seconds, or a state code. */
export type SeriesUnit = 'count' | 'ratio' | 'bytes' | 'seconds' | 'state';

/** Sections of the node page, in display order. */
export const SERIES_GROUPS = ['presence', 'platform', 'database', 'collection'] as const;
export type SeriesGroup = (typeof SERIES_GROUPS)[number];

export interface SeriesDef {
  /** Stable id (stored in the embedded database and used in URLs); never reuse one for another meaning. */
  readonly id: string;
  readonly metric: MetricId;
  readonly title: string;
  readonly unit: SeriesUnit;
  /** The metric label whose values become the chart's lines; absent: one line. */
  readonly splitBy?: string;
  readonly products: readonly Product[];
  readonly group: SeriesGroup;
  /** One sentence for the chart's tooltip: what the operator is looking at. */
  readonly description: string;
  /** For state series: what each value means (Cisco's words). */
  readonly states?: Readonly<Record<number, string>>;
}

const IMP = ['imp'] as const;
const BOTH = ['cucm', 'imp'] as const;

/**
 * Replicate_State and the REPLICATION SETUP value of `utils dbreplication runtimestate`, 0–4
 * (RTMT performance-counter appendix; reference/peers.md §1.5, wire-formats.md §4.2).
 */
export const REPLICATION_STATES: Readonly<Record<number, string>> = {
  0: 'not started or initializing',
  1: 'replicates created but the count is incorrect',
  2: 'good',
  3: 'bad in the cluster',
  4: 'setup did not succeed',
};

export const SERIES: readonly SeriesDef[] = [
  // ---- presence (IM&P)
  { id: 'jsm-sessions', metric: 'jsmSessions', title: 'JSM sessions', unit: 'count', splitBy: 'kind', products: IMP, group: 'presence', description: 'Cisco XCP JSM session counters by kind (client, phantom, hybrid, composed, IM, client active/inactive).' },
  { id: 'jsm-capacity', metric: 'jsmSessionCapacityRatio', title: 'JSM session capacity used', unit: 'ratio', products: IMP, group: 'presence', description: 'Active JSM sessions (client + phantom + hybrid) over 37,500, the capacity of a 25K-OVA node; RTMT alerts above 80 %.' },
  { id: 'active-jsm-sessions', metric: 'presenceEngineActiveJsmSessions', title: 'Users assigned (Presence Engine)', unit: 'count', products: IMP, group: 'presence', description: 'Cisco Presence Engine ActiveJsmSessions: active users assigned to the node.' },
  { id: 'presence-subscriptions', metric: 'presenceEngineSubscriptions', title: 'Presence Engine subscriptions', unit: 'count', splitBy: 'counter', products: IMP, group: 'presence', description: 'Cisco Presence Engine ActiveSubscriptions and ActiveCalendarSubscriptions.' },
  { id: 'xcp-sockets', metric: 'xcpConnectedSockets', title: 'XCP connected sockets', unit: 'count', splitBy: 'object', products: IMP, group: 'presence', description: 'Sockets connected to the XCP connection managers (Cisco XCP CM, Cisco XCP WebCM).' },
  // ---- platform
  { id: 'cpu', metric: 'cpuUsageRatio', title: 'CPU', unit: 'ratio', products: BOTH, group: 'platform', description: 'Processor(_Total) % CPU Time.' },
  { id: 'memory', metric: 'memoryUsedRatio', title: 'Memory used', unit: 'ratio', products: BOTH, group: 'platform', description: 'Memory % Mem Used.' },
  { id: 'partitions', metric: 'partitionUsedRatio', title: 'Partitions used', unit: 'ratio', splitBy: 'partition', products: BOTH, group: 'platform', description: 'Partition % Used per partition (Active, Common, Inactive, Swap, Boot…).' },
  { id: 'process-cpu', metric: 'processCpuRatio', title: 'Process CPU', unit: 'ratio', splitBy: 'process', products: BOTH, group: 'platform', description: 'Process % CPU Time of the processes of interest, as a share of one CPU.' },
  { id: 'process-memory', metric: 'processResidentBytes', title: 'Process resident memory', unit: 'bytes', splitBy: 'process', products: BOTH, group: 'platform', description: 'Process VmRSS of the processes of interest.' },
  // ---- database and replication
  { id: 'replicate-state', metric: 'replicateState', title: 'Replicate_State (this node)', unit: 'state', products: BOTH, group: 'database', description: 'Number of Replicates Created and State of Replication\\Replicate_State on the node; 2 is good.', states: REPLICATION_STATES },
  { id: 'replication-setup', metric: 'replicationSetupState', title: 'Replication setup (publisher\'s view)', unit: 'state', products: BOTH, group: 'database', description: 'REPLICATION SETUP value for this server in utils dbreplication runtimestate on the publisher; 2 is good.', states: REPLICATION_STATES },
  { id: 'replication-queue', metric: 'replicationQueueDepth', title: 'Replication queue (publisher\'s view)', unit: 'count', products: BOTH, group: 'database', description: 'REPL. QUEUE for this server in utils dbreplication runtimestate on the publisher.' },
  { id: 'replication-ping', metric: 'replicationPing', title: 'Replication ping (publisher\'s view)', unit: 'seconds', products: BOTH, group: 'database', description: 'PING round trip from the publisher to this server.' },
  { id: 'er-queue', metric: 'erReplicationQueueDepth', title: 'ER replication queue depth', unit: 'count', products: BOTH, group: 'database', description: 'Enterprise Replication Perfmon Counters ReplicationQueueDepth on the node.' },
  { id: 'db-space', metric: 'dbSpaceUsedRatio', title: 'Database space used', unit: 'ratio', products: BOTH, group: 'database', description: 'DB Local_DSN CcmDbSpace_Used.' },
  // ---- the collection itself
  { id: 'target-up', metric: 'targetUp', title: 'Collection up', unit: 'state', splitBy: 'source', products: BOTH, group: 'collection', description: '1 while the latest poll of the source on this node succeeded, 0 while it fails.', states: { 0: 'failing', 1: 'up' } },
  { id: 'poll-duration', metric: 'lastDuration', title: 'Poll duration', unit: 'seconds', splitBy: 'source', products: BOTH, group: 'collection', description: 'How long each poll of the source on this node took (success or failure).' },
];

export const seriesById: ReadonlyMap<string, SeriesDef> = new Map(SERIES.map((s) => [s.id, s]));

/** The series of a node of this product, in display order. */
export function seriesForProduct(product: Product): SeriesDef[] {
  return SERIES.filter((s) => s.products.includes(product));
}

/** Catalogue ids the series read (what the recorder keeps from each observation). */
export const SERIES_METRICS: ReadonlySet<MetricId> = new Set(SERIES.map((s) => s.metric));

/**
 * How often a series gets a sample on a node: the interval of the source that produces its metric
 * (the collector's own per-source metrics follow PerfMon, the busiest source), ms.
 */
export function seriesIntervalMs(def: SeriesDef, node?: Pick<InventoryNode, 'polling'>): number {
  const source = metrics[def.metric].source;
  const name = source === 'engine' ? 'perfmon' : source;
  return (node?.polling[name] ?? defaultIntervals[name]) * 1000;
}
