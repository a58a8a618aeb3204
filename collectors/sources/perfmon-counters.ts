// The curated PerfMon counters (reference/counters-certs-replication.md §1, wire-formats §1.9)
// and how each becomes a metric. Object and counter names are verbatim; a counter a node does not
// have is rejected once by perfmonAddCounter (Error=101) and not asked for again in that session.
import type { Product } from '../../config/resolve';
import type { MetricId } from '../metrics/catalogue';

export interface CuratedCounter {
  object: string;
  counter: string;
  /** Fixed instance ('_Total'), or 'discover' for every instance the node lists (filtered by `instances`). */
  instance?: string | 'discover';
  /** Keeps only instances of interest when discovering (case-insensitive names). */
  instances?: readonly string[];
  products: readonly Product[];
  metric: MetricId;
  /** Multiplier to the base unit: percent → ratio 0.01, KB → bytes 1024. */
  scale?: number;
  /** Extra labels; `{instance}` is replaced by the instance name. */
  labels?: Record<string, string>;
}

const IMP = ['imp'] as const;
const BOTH = ['cucm', 'imp'] as const;

/** Processes whose CPU and memory an operator watches (high CPU / low VM troubleshooting, §1.3; wire-formats §1.9). */
export const PROCESSES_OF_INTEREST = ['cmoninit', 'tomcat', 'sipd', 'jabberd', 'epe', 'cpa', 'syncagent', 'srm', 'ccm', 'ctimanager', 'ctftp', 'dbmon'] as const;

export const CURATED_COUNTERS: readonly CuratedCounter[] = [
  // JSM sessions (000:L4174-4214, L11920-12004) and the Presence Engine (001:L314).
  { object: 'Cisco Presence Engine', counter: 'ActiveJsmSessions', products: IMP, metric: 'presenceEngineActiveJsmSessions' },
  { object: 'Cisco Presence Engine', counter: 'ActiveSubscriptions', products: IMP, metric: 'presenceEngineSubscriptions', labels: { counter: 'ActiveSubscriptions' } },
  { object: 'Cisco Presence Engine', counter: 'ActiveCalendarSubscriptions', products: IMP, metric: 'presenceEngineSubscriptions', labels: { counter: 'ActiveCalendarSubscriptions' } },
  { object: 'Cisco XCP JSM', counter: 'JsmClientSessionsActive', products: IMP, metric: 'jsmSessions', labels: { kind: 'client' } },
  { object: 'Cisco XCP JSM', counter: 'JsmPhantomSessionsActive', products: IMP, metric: 'jsmSessions', labels: { kind: 'phantom' } },
  { object: 'Cisco XCP JSM', counter: 'JsmHybridSessionsActive', products: IMP, metric: 'jsmSessions', labels: { kind: 'hybrid' } },
  { object: 'Cisco XCP JSM', counter: 'JsmSessionsComposed', products: IMP, metric: 'jsmSessions', labels: { kind: 'composed' } },
  { object: 'Cisco XCP JSM', counter: 'JsmIMSessions', products: IMP, metric: 'jsmSessions', labels: { kind: 'im' } },
  { object: 'Cisco XCP JSM', counter: 'JsmSessionsClient', products: IMP, metric: 'jsmSessions', labels: { kind: 'client-active' } },
  { object: 'Cisco XCP JSM', counter: 'JsmSessionsClientInactive', products: IMP, metric: 'jsmSessions', labels: { kind: 'client-inactive' } },
  { object: 'Cisco XCP JSM', counter: 'JSMSessionsExceedsThreshold', products: IMP, metric: 'jsmSessionsExceedsThreshold' },
  // XCP connection managers.
  { object: 'Cisco XCP CM', counter: 'CmConnectedSockets', products: IMP, metric: 'xcpConnectedSockets', labels: { object: 'Cisco XCP CM' } },
  { object: 'Cisco XCP WebCM', counter: 'WebCMConnectedSockets', products: IMP, metric: 'xcpConnectedSockets', labels: { object: 'Cisco XCP WebCM' } },
  // Platform.
  { object: 'Processor', counter: '% CPU Time', instance: '_Total', products: BOTH, metric: 'cpuUsageRatio', scale: 0.01 },
  { object: 'Memory', counter: '% Mem Used', products: BOTH, metric: 'memoryUsedRatio', scale: 0.01 },
  { object: 'Partition', counter: '% Used', instance: 'discover', products: BOTH, metric: 'partitionUsedRatio', scale: 0.01, labels: { partition: '{instance}' } },
  { object: 'Process', counter: '% CPU Time', instance: 'discover', instances: PROCESSES_OF_INTEREST, products: BOTH, metric: 'processCpuRatio', scale: 0.01, labels: { process: '{instance}' } },
  { object: 'Process', counter: 'VmRSS', instance: 'discover', instances: PROCESSES_OF_INTEREST, products: BOTH, metric: 'processResidentBytes', scale: 1024, labels: { process: '{instance}' } },
  // Database and replication (wire-formats §1.9; Replicate_State 2 = good).
  { object: 'Number of Replicates Created and State of Replication', counter: 'Replicate_State', instance: 'discover', products: BOTH, metric: 'replicateState' },
  { object: 'Enterprise Replication Perfmon Counters', counter: 'ReplicationQueueDepth', instance: 'discover', products: BOTH, metric: 'erReplicationQueueDepth' },
  { object: 'DB Local_DSN', counter: 'CcmDbSpace_Used', products: BOTH, metric: 'dbSpaceUsedRatio', scale: 0.01 },
];

/**
 * JSM sessions a node carries at most: 1.5 × the OVA's users (000:L11978-11995). The OVA is not
 * visible through any API, so the ratio assumes the 25K OVA (37,500 sessions), the size R14
 * clusters of 75,000 users need; JSMSessionsExceedsThreshold is the node's own verdict.
 */
export const JSM_SESSION_CAPACITY = 37_500;
export const JSM_CAPACITY_COUNTERS = ['JsmClientSessionsActive', 'JsmPhantomSessionsActive', 'JsmHybridSessionsActive'] as const;

/** Key of a (object, counter) pair, case-insensitive. */
export function counterKey(object: string, counter: string): string {
  return `${object.toLowerCase()}\u0000${counter.toLowerCase()}`;
}
