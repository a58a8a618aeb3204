// IDS database replication across clusters: state per node from both views, queues and pings.
import { metrics } from '../collectors/metrics/catalogue';
import { buildDashboard, row, stat, table, timeseries } from './panels';
import { inCluster, sel } from './query';

export const replication = () =>
  buildDashboard({
    uid: 'impulse-replication',
    title: 'Replication',
    description: 'IDS database replication: Replicate_State of every node, the publisher\'s utils dbreplication runtimestate view, queues and ping times.',
    variables: { cluster: 'multi' },
    content: [
      row('State'),
      stat('Nodes not in state 2', 'Replicate_State other than 2 (good): DBReplicationFailure at 3 or 4, DBReplicationTableOutofSync at 1.', { expr: `(count(${sel(metrics.replicateState, inCluster)} != 2)) or vector(0)` }, { span: 6, bad: 1 }),
      stat('Largest replication queue', 'Highest REPL. QUEUE the publishers report.', { expr: `max(${sel(metrics.replicationQueueDepth, inCluster)})` }, { span: 6, warn: 100 }),
      timeseries('Replicate_State (PerfMon, each node)', '0 not started, 1 count incorrect, 2 good, 3 bad, 4 setup failed.', [{ expr: sel(metrics.replicateState, inCluster), legend: '{{cluster}} {{node}}' }], { min: 0, max: 4, span: 12 }),
      timeseries('REPLICATION SETUP (publisher view)', 'The same states as utils dbreplication runtimestate on each publisher prints them.', [{ expr: sel(metrics.replicationSetupState, inCluster), legend: '{{cluster}} {{node}}' }], { min: 0, max: 4, span: 12 }),
      row('Queues and network'),
      timeseries('Replication queue (publisher view)', 'REPL. QUEUE per server; ReplicationQueueGrowing above 100 and rising.', [{ expr: sel(metrics.replicationQueueDepth, inCluster), legend: '{{cluster}} {{node}}' }], { min: 0, threshold: 100, span: 12 }),
      timeseries('ReplicationQueueDepth (PerfMon, each node)', 'Enterprise Replication Perfmon Counters\\ReplicationQueueDepth.', [{ expr: sel(metrics.erReplicationQueueDepth, inCluster), legend: '{{cluster}} {{node}}' }], { min: 0, span: 12 }),
      timeseries('Ping from the publisher', 'PING column of utils dbreplication runtimestate.', [{ expr: sel(metrics.replicationPing, inCluster), legend: '{{cluster}} {{node}}' }], { unit: 's', min: 0, span: 12 }),
      timeseries('Database space used', 'DB Local_DSN\\CcmDbSpace_Used.', [{ expr: sel(metrics.dbSpaceUsedRatio, inCluster), legend: '{{cluster}} {{node}}' }], { unit: 'percentunit', min: 0, max: 1, span: 12 }),
      table('Details', 'DB/RPC/DbMon? flags, group and the Details text of each row, verbatim.', { expr: sel(metrics.replicationInfo, inCluster) }, { columns: ['cluster', 'node', 'db_rpc_dbmon', 'group_id', 'detail'], value: 'Info' }),
    ],
  });
