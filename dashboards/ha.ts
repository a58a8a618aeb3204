// High availability of the presence redundancy groups: states and reasons verbatim, their history,
// and the JSM sessions that show users moving between the two nodes.
import { metrics } from '../collectors/metrics/catalogue';
import { buildDashboard, row, stat, stateTimeline, table, timeseries } from './panels';
import { inCluster, re, sel } from './query';

export const ha = () =>
  buildDashboard({
    uid: 'impulse-ha',
    title: 'High availability',
    description: 'Presence redundancy groups: utils ha status state and reason of every node, their history, and where the users are.',
    variables: { cluster: 'multi' },
    content: [
      row('Now'),
      stat('Nodes not Normal', 'Nodes whose state is not Normal (failed over, in backup mode, transitioning, failed).', { expr: `(count(${sel(metrics.haNodeState, { ...inCluster, state: { not: 'Normal' } })} == 1)) or vector(0)` }, { span: 6, warn: 1 }),
      stat('Groups with HA disabled', 'Presence redundancy groups whose Enable High Availability is off (no failover protection).', { expr: `(count(${sel(metrics.presenceGroupHaEnabled, inCluster)} == 0)) or vector(0)` }, { span: 6, warn: 1 }),
      table('State', 'utils ha status: the state of each node, verbatim.', { expr: `${sel(metrics.haNodeState, inCluster)} == 1` }, { columns: ['cluster', 'group', 'node', 'state'], value: 'Current', span: 12 }),
      table('Reason', 'utils ha status: the reason of each node, verbatim (empty for Normal).', { expr: `${sel(metrics.haNodeReason, inCluster)} == 1` }, { columns: ['cluster', 'group', 'node', 'reason'], value: 'Current', span: 12 }),
      row('History'),
      stateTimeline('State over time', 'One line per node and state while the node is in it.', [{ expr: `${sel(metrics.haNodeState, inCluster)} == 1`, legend: '{{cluster}} {{node}}: {{state}}' }], { height: 10 }),
      timeseries('Active JSM sessions', "Cisco Presence Engine\\ActiveJsmSessions per node: after a failover the failed node's users appear on its peer.", [{ expr: sel(metrics.presenceEngineActiveJsmSessions, inCluster), legend: '{{cluster}} {{node}}' }], { min: 0, span: 12 }),
      timeseries(
        'Client sessions: active and inactive (dual connections)',
        'JsmSessionsClient and JsmSessionsClientInactive: with dual connections a node shows X active and Y inactive, its peer Y and X.',
        [{ expr: sel(metrics.jsmSessions, { ...inCluster, kind: re(['client-active', 'client-inactive']) }), legend: '{{cluster}} {{node}} {{kind}}' }],
        { min: 0, span: 12 },
      ),
      table('Groups', 'Presence redundancy group membership as the publisher reports it (node 1 and node 2).', { expr: sel(metrics.presenceGroupInfo, inCluster) }, { columns: ['cluster', 'group', 'position', 'node'], value: 'Member' }),
    ],
  });
