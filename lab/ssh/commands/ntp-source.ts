// Who a node takes its time from, and whether it can reach it. VOS nodes other than the CUCM
// publisher use the CUCM publisher as their NTP server; the CUCM publisher uses an external one.
import type { LabDeployment, LabNode } from '../../model';

export interface NtpSource {
  /** Address printed in the peers table and the "synchronised to" line. */
  address: string;
  /** Stratum of the server itself (the node is one more). */
  stratum: number;
  reachable: boolean;
}

/** The external server the lab's CUCM publishers use (a TEST-NET-1 address: nothing answers it). */
export const EXTERNAL_NTP = '192.0.2.123';

function cucmPublisher(lab: LabDeployment, node: LabNode): LabNode | undefined {
  if (node.product === 'cucm') return node.cluster.publisher;
  return node.cluster.cucmCluster ? lab.cluster(node.cluster.cucmCluster)?.publisher : undefined;
}

export function ntpSource(lab: LabDeployment, node: LabNode): NtpSource {
  const pub = cucmPublisher(lab, node);
  if (!pub || pub === node) return { address: EXTERNAL_NTP, stratum: 1, reachable: node.ntpReachable };
  return { address: pub.host, stratum: 2, reachable: !pub.faults.down && node.ntpReachable };
}
