// One node: every counter IMPulse reads from it, its services and how collecting from it goes.
import { metrics } from '../collectors/metrics/catalogue';
import { buildDashboard, row, table, timeseries } from './panels';
import { onNode, sel } from './query';

export const node = () =>
  buildDashboard({
    uid: 'impulse-node',
    title: 'Node',
    description: 'One node: platform counters, processes, JSM sessions, services, replication and collection.',
    variables: { cluster: 'single', node: 'single' },
    content: [
      row('Platform'),
      timeseries('CPU', 'Processor(_Total)\\% CPU Time.', [{ expr: sel(metrics.cpuUsageRatio, onNode), legend: 'CPU' }], { unit: 'percentunit', min: 0, max: 1, threshold: 0.9, span: 8 }),
      timeseries('Memory used', 'Memory\\% Mem Used.', [{ expr: sel(metrics.memoryUsedRatio, onNode), legend: 'memory' }], { unit: 'percentunit', min: 0, max: 1, span: 8 }),
      timeseries('Partitions used', 'Partition(<name>)\\% Used.', [{ expr: sel(metrics.partitionUsedRatio, onNode), legend: '{{partition}}' }], { unit: 'percentunit', min: 0, max: 1, span: 8 }),
      timeseries('Process CPU', 'Process(<name>)\\% CPU Time of the processes Cisco\'s high CPU troubleshooting names.', [{ expr: sel(metrics.processCpuRatio, onNode), legend: '{{process}}' }], { unit: 'percentunit', min: 0, span: 12 }),
      timeseries('Process memory', 'Process(<name>)\\VmRSS.', [{ expr: sel(metrics.processResidentBytes, onNode), legend: '{{process}}' }], { unit: 'bytes', min: 0, span: 12 }),
      row('IM and Presence'),
      timeseries('JSM sessions', 'Cisco XCP JSM session counters by kind.', [{ expr: sel(metrics.jsmSessions, onNode), legend: '{{kind}}' }], { min: 0, span: 12 }),
      timeseries('Presence Engine subscriptions', 'Cisco Presence Engine subscription counters.', [{ expr: sel(metrics.presenceEngineSubscriptions, onNode), legend: '{{counter}}' }], { min: 0, span: 12 }),
      timeseries('XCP connected sockets', 'Cisco XCP CM and WebCM connected sockets.', [{ expr: sel(metrics.xcpConnectedSockets, onNode), legend: '{{object}}' }], { min: 0, span: 12 }),
      timeseries('Replicate_State', '2 is good, 3 bad, 4 setup failed.', [{ expr: sel(metrics.replicateState, onNode), legend: 'Replicate_State' }], { min: 0, max: 4, span: 12 }),
      row('Services and collection'),
      table('Services', 'Control Center status of every service on the node (service name and status verbatim).', { expr: `${sel(metrics.serviceStatus, onNode)} == 1` }, { columns: ['service', 'status'], value: 'Current', span: 12, height: 12 }),
      table('Sources', 'impulse_target_up: whether the latest poll of each source succeeded and is fresh.', { expr: sel(metrics.targetUp, onNode) }, { columns: ['source'], value: 'Up', valueText: { '1': 'ok', '0': 'failing' }, span: 12, height: 6 }),
      timeseries('Latest poll duration', 'How long the latest poll of each source took.', [{ expr: sel(metrics.lastDuration, onNode), legend: '{{source}}' }], { unit: 's', min: 0, span: 12 }),
      timeseries('PerfMon request budget used', "SOAP requests in the last 60 s over the node's per-minute budget.", [{ expr: sel(metrics.budgetUsed, onNode), legend: 'budget' }], { unit: 'percentunit', min: 0, max: 1, threshold: 0.9, span: 12 }),
    ],
  });
