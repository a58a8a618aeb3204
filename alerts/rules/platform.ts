// Platform and capacity: RTMT's CpuPegging, LowActivePartitionAvailableDiskSpace,
// SystemVersionMismatched and the IM and Presence JSMSessionsExceedsThreshold alert.
import { metrics } from '../../collectors/metrics/catalogue';
import { on, not, Q } from '../language';
import { MINUTE, s, type AlertRule } from '../rule';
import { L, t, V } from '../template';

const round6 = (v: number) => Number(v.toFixed(6));
const N = { cluster: 'imp01', node: 'imp01-sub1' };

export const platformRules: AlertRule[] = [
  {
    name: 'CpuPegging',
    origin: 'cisco',
    group: 'platform',
    severity: 'warning',
    for: 5 * MINUTE,
    condition: (p) => Q.metric(metrics.cpuUsageRatio).gt(round6(p.thresholds.cpuWarningPercent / 100)),
    summary: t`CPU of ${L.node} (cluster ${L.cluster}) at ${V.percent}`,
    description: t`Processor(_Total)\\% CPU Time on ${L.node} (cluster ${L.cluster}) has stayed above the threshold (thresholds.cpuWarningPercent) for 5 minutes; it is ${V.percent} now. Find the process with show process using-most cpu and follow Cisco's "High CPU and Low VM Alert Troubleshooting" steps; in a balanced HA deployment a node should stay below 35 % so that it can carry its peer's users.`,
    source: 'RTMT CpuPegging; reference/counters-certs-replication.md §1.3 (004:L52846), ha.md §6 (35 % CPU per node)',
    tests: [
      { name: 'CPU pegged', series: [s(metrics.cpuUsageRatio, N, '0.4 0.4 0.97x10')], at: 9, expect: [N] },
      { name: 'a short spike and a busy but healthy node', series: [s(metrics.cpuUsageRatio, N, '0.4 0.97x3 0.5x8'), s(metrics.cpuUsageRatio, { ...N, node: 'imp01-sub2' }, '0.85x12')], at: 9, expect: [] },
    ],
  },
  {
    name: 'LowActivePartitionAvailableDiskSpace',
    origin: 'cisco',
    group: 'platform',
    severity: 'warning',
    for: 5 * MINUTE,
    condition: (p) =>
      Q.metric(metrics.partitionUsedRatio, { partition: 'Active' })
        .subtractedFrom(1)
        .lt(round6(1 - p.thresholds.partitionUsedWarningPercent / 100)),
    summary: t`Only ${V.percent} of the active partition is free on ${L.node} (cluster ${L.cluster})`,
    description: t`Partition(Active)\\% Used on ${L.node} (cluster ${L.cluster}) leaves ${V.percent} free, below the threshold (thresholds.partitionUsedWarningPercent used). A full active partition stops logging, tracing and the database. Collect and delete old traces and logs (Cisco Unified RTMT > Trace & Log Central, or file delete activelog), and check the log partition monitoring thresholds.`,
    source: 'RTMT LowActivePartitionAvailableDiskSpace (Partition\\% Used)',
    tests: [
      {
        name: 'active partition 95 % used',
        series: [s(metrics.partitionUsedRatio, { ...N, partition: 'Active' }, '0.8 0.95x10')],
        at: 8,
        expect: [{ ...N, partition: 'Active' }],
      },
      {
        name: 'another partition full, the active one at 85 %',
        series: [s(metrics.partitionUsedRatio, { ...N, partition: 'Common' }, '0.99x10'), s(metrics.partitionUsedRatio, { ...N, partition: 'Active' }, '0.85x10')],
        at: 8,
        expect: [],
      },
    ],
  },
  {
    name: 'SystemVersionMismatched',
    origin: 'cisco',
    group: 'platform',
    severity: 'warning',
    // Nodes switch versions one after the other during an upgrade (a maintenance window covers it).
    for: 15 * MINUTE,
    condition: () => Q.metric(metrics.nodeInfo, { version: not('') }).countBy('cluster', 'version').countBy('cluster').gt(1),
    summary: t`Nodes of cluster ${L.cluster} run ${V.int} different software versions`,
    description: t`The nodes of cluster ${L.cluster} report ${V.int} different versions (show status). The publisher and the subscribers must run the same release; an upgrade is complete only when every node has switched version and IDS replication is established. Finish the upgrade or switch-version on the remaining nodes.`,
    source: 'RTMT SystemVersionMismatched; reference/counters-certs-replication.md §4.1 (fresh install and upgrade complete only with the same release)',
    tests: [
      {
        name: 'one node switched version, the others did not',
        series: [
          s(metrics.nodeInfo, { cluster: 'imp01', node: 'imp01-pub', product: 'imp', role: 'publisher', version: '15.0.1.12900-11' }, '1x30'),
          s(metrics.nodeInfo, { cluster: 'imp01', node: 'imp01-sub1', product: 'imp', role: 'subscriber', version: '15.0.1.12900-11' }, '1 1 _x28'),
          s(metrics.nodeInfo, { cluster: 'imp01', node: 'imp01-sub1', product: 'imp', role: 'subscriber', version: '15.0.1.13900-9' }, '_ _ 1x28'),
        ],
        at: 25,
        expect: [{ cluster: 'imp01' }],
      },
      {
        name: 'two clusters on different releases, each consistent',
        series: [
          s(metrics.nodeInfo, { cluster: 'imp01', node: 'imp01-pub', product: 'imp', role: 'publisher', version: '15.0.1.12900-11' }, '1x30'),
          s(metrics.nodeInfo, { cluster: 'cucm01', node: 'cucm01-pub', product: 'cucm', role: 'publisher', version: '15.0.1.12900-234' }, '1x30'),
        ],
        at: 25,
        expect: [],
      },
    ],
  },
  {
    name: 'JSMSessionsExceedsThreshold',
    origin: 'cisco',
    group: 'platform',
    severity: 'warning',
    // RTMT: the limit exceeded for 10 minutes (reference/counters-certs-replication.md §1.2).
    for: 10 * MINUTE,
    condition: (p) =>
      Q.metric(metrics.jsmSessionCapacityRatio)
        .gt(p.thresholds.jsmSessionsWarningRatio)
        // The node's own verdict (counter JSMSessionsExceedsThreshold) knows its OVA size.
        .or(Q.metric(metrics.jsmSessionCapacityRatio).and(Q.metric(metrics.jsmSessionsExceedsThreshold).eq(1), on('cluster', 'node'))),
    summary: t`JSM sessions on ${L.node} (cluster ${L.cluster}) at ${V.percent} of capacity`,
    description: t`Active JSM sessions (client + phantom + hybrid) on ${L.node} (cluster ${L.cluster}) are at ${V.percent} of the node's capacity (1.5 × the OVA's users; 37,500 for a 25K OVA, half of it per node with HA active/active), above the threshold for 10 minutes, or the node reports JSMSessionsExceedsThreshold itself. Check the node's CPU and memory counters; if they are high too, move users to other nodes: IM and Presence does not rebalance users by itself.`,
    source: 'RTMT JSMSessionsExceedsThreshold (80 % for 10 min): reference/counters-certs-replication.md §1.2 (000:L11948-12004), ha.md §3.6',
    tests: [
      {
        name: 'sessions above 80 % for 10 minutes',
        series: [s(metrics.jsmSessionCapacityRatio, N, '0.5 0.85x20')],
        at: 12,
        expect: [N],
      },
      {
        name: 'the node says it is over its threshold (a 15K OVA at 70 % of the 25K capacity)',
        series: [s(metrics.jsmSessionCapacityRatio, N, '0.7x20'), s(metrics.jsmSessionsExceedsThreshold, N, '0 1x19')],
        at: 12,
        expect: [N],
      },
      {
        name: 'above 80 % for 9 minutes only',
        series: [s(metrics.jsmSessionCapacityRatio, N, '0.5 0.85x8 0.6x10'), s(metrics.jsmSessionsExceedsThreshold, N, '0x20')],
        at: 12,
        expect: [],
      },
    ],
  },
];
