// What the checks read. Each dataset is one kind of fact per node (or the fleet's users), read from
// the collector's store when a recent enough observation exists, otherwise collected on demand
// through the node's clients (collect/collect.ts). A node whose data could not be read has an
// error reading: the checks turn it into an Error row for that node.
import type { InventoryCluster, InventoryNode } from '../../config/resolve';
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import type { HaObservation } from '../../collectors/sources/ha';
import type { PeersObservation } from '../../collectors/sources/peers';
import type { ReplicationObservation } from '../../collectors/sources/replication';
import type { ServicesObservation } from '../../collectors/sources/services';
import type { CoreActiveList } from '../../collectors/parsers/core-active-list';
import type { DiagnoseTest } from '../../collectors/parsers/diagnose-test';
import type { NtpStatus } from '../../collectors/parsers/ntp-status';
import type { UsersDataset } from '../users/dataset';

export const DATASET_NAMES = ['users', 'services', 'replication', 'ha', 'certificates', 'peers', 'versions', 'partitions', 'jsm', 'ntp', 'cores', 'diagnose'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Where a reading came from. */
export type Via = 'store' | 'on-demand';

export type NodeReading<T> =
  | { ok: true; value: T; /** epoch ms the data was taken */ at: number; via: Via }
  | { ok: false; error: { kind: string; message: string } };

/** Readings keyed by node id ("cluster/node"). */
export type NodeData<T> = Map<string, NodeReading<T>>;

export interface VersionReading {
  version: string;
}

export interface PartitionReading {
  /** Partition as PerfMon names it (Active, Common, …) — `show status` Disk/active and Disk/logging map to Active and Common. */
  partitions: Array<{ name: string; usedPercent: number; freeMB?: number; totalMB?: number }>;
}

export interface JsmReading {
  /** JSMSessionsExceedsThreshold, the node's own verdict (1 while above the RTMT threshold). */
  exceedsThreshold: number;
}

export interface ReplicationReading extends ReplicationObservation {
  /** The queue depths of the reading before this one (same publisher), when IMPulse saw one: to tell a growing queue. */
  previous?: { at: number; queues: Record<string, number | null> };
}

export interface Datasets {
  users?: UsersDataset;
  services?: NodeData<ServicesObservation>;
  replication?: NodeData<ReplicationReading>;
  ha?: NodeData<HaObservation>;
  certificates?: NodeData<CertificatesObservation>;
  peers?: NodeData<PeersObservation>;
  versions?: NodeData<VersionReading>;
  partitions?: NodeData<PartitionReading>;
  jsm?: NodeData<JsmReading>;
  ntp?: NodeData<NtpStatus>;
  cores?: NodeData<CoreActiveList>;
  diagnose?: NodeData<DiagnoseTest>;
}

export type NodeDatasetName = Exclude<DatasetName, 'users'>;

export const nodeId = (cluster: string, node: string) => `${cluster}/${node}`;

/** The nodes a node dataset covers within the given clusters. */
export function datasetTargets(name: NodeDatasetName, clusters: readonly InventoryCluster[]): Array<{ cluster: InventoryCluster; node: InventoryNode }> {
  const out: Array<{ cluster: InventoryCluster; node: InventoryNode }> = [];
  for (const cluster of clusters) {
    for (const node of cluster.nodes) {
      const isPub = node.name === cluster.publisher;
      const imp = cluster.product === 'imp';
      const take =
        name === 'replication'
          ? isPub
          : name === 'peers'
            ? isPub && imp && cluster.peers.length > 0
            : name === 'ha' || name === 'jsm'
              ? imp
              : true;
      if (take) out.push({ cluster, node });
    }
  }
  return out;
}

/** Human names of the datasets, for progress lines and the page. */
export const DATASET_LABEL: Record<DatasetName, string> = {
  users: 'end users (AXL)',
  services: 'service status',
  replication: 'database replication',
  ha: 'HA status',
  certificates: 'certificates',
  peers: 'intercluster peers',
  versions: 'software versions',
  partitions: 'disk partitions',
  jsm: 'JSM sessions',
  ntp: 'NTP status',
  cores: 'core files',
  diagnose: 'utils diagnose test',
};
