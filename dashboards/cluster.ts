// One cluster: its nodes, their critical services, HA, replication, load, certificates and users.
import { metrics } from '../collectors/metrics/catalogue';
import { CRITICAL_SERVICES } from '../alerts/rules/services';
import { buildDashboard, row, table, timeseries } from './panels';
import { inCluster, onNode, re, sel } from './query';

export const cluster = () =>
  buildDashboard({
    uid: 'impulse-cluster',
    title: 'Cluster',
    description: "One cluster's nodes: critical services, high availability, replication, load, certificates and users.",
    variables: { cluster: 'single', node: 'multi' },
    content: [
      row('Health'),
      table(
        'Critical services',
        'HA critical services and the Unified CM integration services on each node: Started or not (Control Center).',
        { expr: `max by (node, service) (${sel(metrics.serviceStatus, { ...onNode, status: 'Started', service: re(CRITICAL_SERVICES) })})` },
        { columns: ['node', 'service'], value: 'Status', valueText: { '1': 'Started', '0': 'Not running' }, span: 12, height: 10 },
      ),
      table('High availability state', 'utils ha status on each node of the presence redundancy groups.', { expr: `${sel(metrics.haNodeState, onNode)} == 1` }, { columns: ['group', 'node', 'state'], value: 'Current', span: 12, height: 10 }),
      timeseries('Replicate_State by node', 'Number of Replicates Created and State of Replication\\Replicate_State: 2 is good, 3 bad, 4 setup failed.', [{ expr: sel(metrics.replicateState, onNode), legend: '{{node}}' }], { min: 0, max: 4, span: 12 }),
      timeseries('Replication queue (publisher view)', 'REPL. QUEUE of utils dbreplication runtimestate on the publisher.', [{ expr: sel(metrics.replicationQueueDepth, onNode), legend: '{{node}}' }], { min: 0, span: 12 }),
      row('Load'),
      timeseries('CPU', 'Processor(_Total)\\% CPU Time.', [{ expr: sel(metrics.cpuUsageRatio, onNode), legend: '{{node}}' }], { unit: 'percentunit', min: 0, max: 1, threshold: 0.9, span: 8 }),
      timeseries('Memory used', 'Memory\\% Mem Used.', [{ expr: sel(metrics.memoryUsedRatio, onNode), legend: '{{node}}' }], { unit: 'percentunit', min: 0, max: 1, span: 8 }),
      timeseries('Active JSM sessions', 'Cisco Presence Engine\\ActiveJsmSessions: users assigned to each node (they move on failover).', [{ expr: sel(metrics.presenceEngineActiveJsmSessions, onNode), legend: '{{node}}' }], { min: 0, span: 8 }),
      row('Certificates and users'),
      table(
        'Days until certificates expire',
        'Own certificates by unit (earliest of the TLS probe and show cert list own).',
        { expr: `(min by (node, unit) (${sel(metrics.certificateNotAfter, { ...onNode, store: 'own' })}) - time()) / 86400` },
        { columns: ['node', 'unit'], value: 'Days left', span: 12, height: 10 },
      ),
      table('User validation', 'utils users validate all on the IM and Presence publisher: issues by type.', { expr: sel(metrics.userValidationIssues, inCluster) }, { columns: ['node', 'issue'], value: 'Users', span: 12, height: 10 }),
      table('Intercluster peers', "Whether each intercluster peer's publisher answers on its HTTPS/AXL port.", { expr: sel(metrics.interclusterPeerUp, inCluster) }, { columns: ['node', 'peer'], value: 'Up', valueText: { '1': 'answers', '0': 'does not answer' }, span: 12, height: 6 }),
      table('Collection', 'impulse_target_up by source: 1 when the latest poll succeeded and is fresh.', { expr: sel(metrics.targetUp, onNode) }, { columns: ['node', 'source'], value: 'Up', valueText: { '1': 'ok', '0': 'failing' }, span: 12, height: 6 }),
    ],
  });
