// Fleet overview: every cluster at a glance — what is down, failed over, out of sync or expiring,
// the load that matters for capacity, and whether IMPulse itself collects everything.
import { metrics } from '../collectors/metrics/catalogue';
import { CRITICAL_SERVICES } from '../alerts/rules/services';
import { buildDashboard, row, stat, table, timeseries } from './panels';
import { inCluster, re, sel } from './query';

const orZero = (q: string) => `(${q}) or vector(0)`;

export const fleet = () =>
  buildDashboard({
    uid: 'impulse-fleet',
    title: 'Fleet overview',
    description: 'Every monitored Unified CM and IM and Presence cluster: problems first, then load and collection health.',
    variables: { cluster: 'multi' },
    content: [
      row('Problems now'),
      stat('Nodes monitored', 'Nodes in the inventory (impulse_node_info).', { expr: `count(${sel(metrics.nodeInfo, inCluster)})` }, { span: 4 }),
      stat('Targets not collected', 'Source polls whose latest attempt failed or is stale (impulse_target_up == 0).', { expr: orZero(`count(${sel(metrics.targetUp, inCluster)} == 0)`) }, { span: 4, bad: 1 }),
      stat(
        'Critical services down',
        'HA critical services and Unified CM integration services that are not Started (CriticalServiceDown).',
        { expr: orZero(`count(max by (cluster, node, service) (${sel(metrics.serviceStatus, { ...inCluster, status: 'Started', service: re(CRITICAL_SERVICES) })}) == 0)`) },
        { span: 4, bad: 1 },
      ),
      stat('HA nodes not Normal', 'Nodes of presence redundancy groups whose utils ha status state is not Normal.', { expr: orZero(`count(${sel(metrics.haNodeState, { ...inCluster, state: { not: 'Normal' } })} == 1)`) }, { span: 4, warn: 1 }),
      stat('Replication not good', 'Nodes whose Replicate_State is not 2 (good).', { expr: orZero(`count(${sel(metrics.replicateState, inCluster)} != 2)`) }, { span: 4, bad: 1 }),
      stat(
        'Certificates expiring in 30 days',
        'Own certificates (TLS ports and show cert list own, one per unit) that expire within 30 days or have expired.',
        { expr: orZero(`count((min by (cluster, node, unit) (${sel(metrics.certificateNotAfter, { ...inCluster, store: 'own' })}) - time()) < 30 * 86400)`) },
        { span: 4, warn: 1 },
      ),
      row('Load'),
      timeseries('CPU by node', 'Processor(_Total)\\% CPU Time. In balanced HA a node should stay below 35 % to carry its peer.', [{ expr: sel(metrics.cpuUsageRatio, inCluster), legend: '{{cluster}} {{node}}' }], { unit: 'percentunit', min: 0, max: 1, threshold: 0.9 }),
      timeseries(
        'JSM session capacity used',
        'Active JSM sessions (client + phantom + hybrid) over 37,500 (25K OVA); JSMSessionsExceedsThreshold at 80 % for 10 minutes.',
        [{ expr: sel(metrics.jsmSessionCapacityRatio, inCluster), legend: '{{cluster}} {{node}}' }],
        { unit: 'percentunit', min: 0, threshold: 0.8 },
      ),
      timeseries('Memory used by node', 'Memory\\% Mem Used.', [{ expr: sel(metrics.memoryUsedRatio, inCluster), legend: '{{cluster}} {{node}}' }], { unit: 'percentunit', min: 0, max: 1 }),
      timeseries('Active partition used by node', 'Partition(Active)\\% Used; LowActivePartitionAvailableDiskSpace below 10 % free.', [{ expr: sel(metrics.partitionUsedRatio, { ...inCluster, partition: 'Active' }), legend: '{{cluster}} {{node}}' }], { unit: 'percentunit', min: 0, max: 1, threshold: 0.9 }),
      row('Collection'),
      timeseries('Failed polls per minute', 'impulse_poll_errors_total by reason (timeout, connection, auth, rate-limit…).', [{ expr: orZero(`sum by (reason) (rate(${sel(metrics.pollErrors, inCluster)}[$__rate_interval])) * 60`), legend: '{{reason}}' }], { unit: 'short', min: 0 }),
      timeseries(
        'Poll duration, 95th percentile',
        'How long polls take by source, from the moment they talk to the node.',
        [{ expr: `histogram_quantile(0.95, sum by (le, source) (rate(${metrics.pollDuration.name}_bucket{cluster=~"$cluster"}[$__rate_interval])))`, legend: '{{source}}' }],
        { unit: 's', min: 0 },
      ),
      table('Nodes', 'The inventory: product, role and the version each node reports (show status).', { expr: sel(metrics.nodeInfo, inCluster) }, { columns: ['cluster', 'node', 'product', 'role', 'version'], value: 'Info', height: 10 }),
    ],
  });
