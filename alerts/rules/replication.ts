// IDS database replication: RTMT's DBReplicationFailure and DBReplicationTableOutofSync (the
// closest observable signal), and IMPulse's replication queue growth.
import { metrics } from '../../collectors/metrics/catalogue';
import { Q } from '../language';
import { MINUTE, s, type AlertRule } from '../rule';
import { L, t, V } from '../template';

const N = { cluster: 'imp01', node: 'imp01-sub2' };

/** Replicate_State (PerfMon, each node) or REPLICATION SETUP (runtimestate on the publisher), by node. */
function replicationState(cmp: (q: Q) => Q): Q {
  return cmp(Q.metric(metrics.replicateState)).maxBy('cluster', 'node').or(cmp(Q.metric(metrics.replicationSetupState)).maxBy('cluster', 'node'));
}

export const replicationRules: AlertRule[] = [
  {
    name: 'DBReplicationFailure',
    origin: 'cisco',
    group: 'replication',
    severity: 'critical',
    for: 2 * MINUTE,
    condition: () => replicationState((q) => q.ge(3)),
    summary: t`Database replication of ${L.node} (cluster ${L.cluster}) is broken (state ${V.int})`,
    description: t`Replication to ${L.node} (cluster ${L.cluster}) reports state ${V.int} (3 = bad, 4 = setup failed; 2 is good): changes made on the publisher no longer reach this node, and IM and Presence services that wait for IDS replication (Cisco IM and Presence Data Monitor) may not start. Run utils dbreplication runtimestate on the publisher, then repair as the runbook describes.`,
    source: 'RTMT DBReplicationFailure; Replicate_State 0-4, 2 = good: reference/counters-certs-replication.md §4.2, wire-formats §1.9',
    tests: [
      { name: 'Replicate_State 3 on a subscriber', series: [s(metrics.replicateState, N, '2 2 3x10')], at: 6, expect: [N] },
      {
        name: 'setup failed as the publisher sees it',
        series: [s(metrics.replicationSetupState, { cluster: 'imp01', node: 'imp01-sub3' }, '2 4x10'), s(metrics.replicateState, { cluster: 'imp01', node: 'imp01-sub3' }, '2x11')],
        at: 6,
        expect: [{ cluster: 'imp01', node: 'imp01-sub3' }],
      },
      { name: 'good, and a one-minute blip', series: [s(metrics.replicateState, N, '2 2 3 2x8'), s(metrics.replicationSetupState, N, '2x11')], at: 6, expect: [] },
    ],
  },
  {
    name: 'DBReplicationTableOutofSync',
    origin: 'cisco-closest',
    group: 'replication',
    severity: 'warning',
    // Setting replication up passes through state 1 for minutes on a large cluster.
    for: 30 * MINUTE,
    condition: () => replicationState((q) => q.eq(1)),
    summary: t`Replicates of ${L.node} (cluster ${L.cluster}) created but their count is incorrect`,
    description: t`Cisco raises DBReplicationTableOutofSync when utils dbreplication status finds tables that differ between nodes; that report is too heavy to poll, so IMPulse watches the closest observable signal: ${L.node} (cluster ${L.cluster}) has stayed in replication state 1 ("replicates created but count incorrect") for 30 minutes. Run utils dbreplication status on the publisher to list the tables out of sync, then utils dbreplication repair.`,
    source: 'RTMT DBReplicationTableOutofSync (not observable); closest signal Replicate_State 1: reference/counters-certs-replication.md §4.2',
    tests: [
      { name: 'stuck at state 1', series: [s(metrics.replicateState, N, '2 1x40')], at: 35, expect: [N] },
      { name: 'state 1 while replication is set up, then good', series: [s(metrics.replicateState, N, '0x5 1x20 2x15')], at: 35, expect: [] },
    ],
  },
  {
    name: 'ReplicationQueueGrowing',
    origin: 'impulse',
    group: 'replication',
    severity: 'warning',
    for: 10 * MINUTE,
    condition: (p) => {
      const queue = Q.metric(metrics.replicationQueueDepth);
      return queue.gt(p.thresholds.replicationQueueWarning).and(queue.minus(Q.metric(metrics.replicationQueueDepth, {}, { offset: 10 * MINUTE })).gt(0));
    },
    summary: t`Replication queue of ${L.node} (cluster ${L.cluster}) at ${V.int} and growing`,
    description: t`The publisher's REPL. QUEUE for ${L.node} (cluster ${L.cluster}) is ${V.int}, above the threshold (thresholds.replicationQueueWarning), and higher than 10 minutes before, for 10 minutes: changes are queued faster than the node applies them (network, a slow or overloaded node, or replication breaking). Check the node's replication state, ping time and CPU, then follow the runbook.`,
    source: 'IMPulse: utils dbreplication runtimestate REPL. QUEUE (wire-formats §4.2)',
    tests: [
      { name: 'queue growing', series: [s(metrics.replicationQueueDepth, N, '0x3 50+40x30')], at: 25, expect: [N] },
      {
        name: 'queue high but draining, and a queue growing below the threshold',
        series: [s(metrics.replicationQueueDepth, N, '900-10x30'), s(metrics.replicationQueueDepth, { ...N, node: 'imp01-sub3' }, '0+2x30')],
        at: 25,
        expect: [],
      },
    ],
  },
];
