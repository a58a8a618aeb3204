// Reachability and collection: RTMT's ServerDown (from the collector's side), nodes IMPulse cannot
// collect, intercluster peers that do not answer, and a collector shard that stopped reporting.
import { metrics } from '../../collectors/metrics/catalogue';
import { on, oneOf, Q } from '../language';
import { MINUTE, s, type AlertRule } from '../rule';
import { L, t, V } from '../template';

const N = { cluster: 'cucm01', node: 'cucm01-pub' };
/** What Prometheus scrapes from shard i of n (its target adds the instance label). */
const shard = (i: number, n: number, what: 'shards' | 'info', values: string) =>
  what === 'shards'
    ? s(metrics.collectorShards, { instance: `collector-${i}-of-${n}:9464` }, values)
    : s(metrics.collectorInfo, { instance: `collector-${i}-of-${n}:9464`, version: '0.1.0', shard: `${i}/${n}` }, values);
const failing = (source: string, reason: string, values: string, node = N.node) => s(metrics.lastError, { ...N, node, source, reason }, values);

/**
 * Both SOAP sources of the node fail to connect or time out. `services` falls back to the admin
 * CLI over SSH when Control Center does not answer, so its connection failure means HTTPS and SSH
 * are both unreachable.
 */
export function serverDown(): Q {
  return Q.metric(metrics.lastError, { source: oneOf(['perfmon', 'services']), reason: oneOf(['connection', 'timeout']) })
    .eq(1)
    .countBy('cluster', 'node')
    .ge(2);
}

export const collectorRules: AlertRule[] = [
  {
    name: 'ServerDown',
    origin: 'cisco',
    group: 'collector',
    severity: 'critical',
    for: MINUTE,
    condition: serverDown,
    summary: t`${L.node} (cluster ${L.cluster}) cannot be reached`,
    description: t`${L.node} (cluster ${L.cluster}) does not answer PerfMon, Control Center or the admin CLI: connections are refused or time out. RTMT raises ServerDown when a node cannot be reached; IMPulse sees it from the collector, so check first whether the node is down (vSphere console, utils system status from another node) or the network between IMPulse and the node. An IM and Presence node's peer takes its users over after the heartbeat timeout (SRMFailover).`,
    source: 'RTMT ServerDown; HA Peer Down / Peer Reboot rows P16, P17: reference/ha.md §2',
    tests: [
      {
        name: 'the node stops answering',
        series: [failing('perfmon', 'timeout', '0 0 1x10'), failing('services', 'connection', '0 0 0 1x9')],
        at: 6,
        expect: [N],
      },
      { name: 'PerfMon times out, Control Center answers', series: [failing('perfmon', 'timeout', '0 1x10'), failing('services', 'timeout', '0x11')], at: 6, expect: [] },
    ],
  },
  {
    name: 'NodeNotCollected',
    origin: 'impulse',
    group: 'collector',
    severity: 'warning',
    for: 5 * MINUTE,
    condition: () => Q.metric(metrics.lastError).eq(1).maxBy('cluster', 'node', 'reason').unless(serverDown(), on('cluster', 'node')),
    summary: t`IMPulse cannot collect from ${L.node} (cluster ${L.cluster}): ${L.reason}`,
    description: t`The latest polls of ${L.node} (cluster ${L.cluster}) fail with ${L.reason} and have for 5 minutes, so its dashboards and alerts are blind to it. auth: the application or OS user was refused (password, role, account locked); tls: the certificate does not verify against the cluster's trust; rate-limit: PerfMon's per-minute limit; parse: an answer IMPulse cannot read; ssh-host-key: the host key changed; timeout or connection on one protocol only: that service (Cisco Tomcat, SOAP APIs, SSH) is down. The overview shows the error of each source.`,
    source: 'IMPulse collector health (impulse_last_error_info)',
    tests: [
      {
        name: 'credentials refused',
        series: [failing('perfmon', 'auth', '0 1x12', 'cucm01-sub1'), failing('services', 'auth', '0 1x12', 'cucm01-sub1')],
        at: 8,
        expect: [{ cluster: 'cucm01', node: 'cucm01-sub1', reason: 'auth' }],
      },
      {
        name: 'the node is down (ServerDown says it), and a single failed poll',
        series: [failing('perfmon', 'connection', '1x12'), failing('services', 'connection', '1x12'), failing('perfmon', 'timeout', '0 1 0x11', 'cucm01-sub1')],
        at: 8,
        expect: [],
      },
    ],
  },
  {
    name: 'InterclusterPeerUnreachable',
    origin: 'impulse',
    group: 'collector',
    severity: 'warning',
    // Peers are probed every 5 minutes: two probes in a row.
    for: 10 * MINUTE,
    condition: () => Q.metric(metrics.interclusterPeerUp).eq(0),
    summary: t`Intercluster peer ${L.peer} does not answer (from cluster ${L.cluster})`,
    description: t`The publisher of intercluster peer ${L.peer} does not answer on its HTTPS/AXL port, the port the Cisco Intercluster Sync Agent of cluster ${L.cluster} uses. Users and presence of the peer stop synchronising. Check the Intercluster Peer Status page and the InterClustering Troubleshooter, the network and DNS between the clusters, and that Cisco AXL Web Service runs on the peer.`,
    source: 'Intercluster Sync Agent: reference/counters-certs-replication.md §4.4',
    tests: [
      { name: 'peer down', series: [s(metrics.interclusterPeerUp, { cluster: 'imp01', node: 'imp01-pub', peer: 'imp02' }, '1 0x15')], at: 13, expect: [{ cluster: 'imp01', node: 'imp01-pub', peer: 'imp02' }] },
      { name: 'one failed probe', series: [s(metrics.interclusterPeerUp, { cluster: 'imp01', node: 'imp01-pub', peer: 'imp02' }, '1 0x5 1x10')], at: 13, expect: [] },
    ],
  },
  {
    name: 'CollectorShardMissing',
    origin: 'impulse',
    group: 'collector',
    severity: 'critical',
    for: 5 * MINUTE,
    condition: () =>
      Q.metric(metrics.collectorShards)
        .max()
        .minus(Q.metric(metrics.collectorInfo).countBy('shard').count())
        .gt(0)
        .or(Q.absent(metrics.collectorInfo)),
    summary: t`${V.int} IMPulse collector shard(s) missing`,
    description: t`Fewer impulse collect shards report to Prometheus than the inventory is split into (impulse_collector_shards), or none does: ${V.int} missing. The nodes of a missing shard are not polled and none of their alerts can fire. Check the impulse collect --shard i/n processes (systemd, containers) and Prometheus's scrape targets.`,
    source: 'IMPulse scaled-out collection (impulse collect --shard i/n)',
    tests: [
      {
        name: 'shard 2 of 3 stops',
        series: [1, 2, 3].flatMap((i) => [
          shard(i, 3, 'shards', i === 2 ? '3 3 stale' : '3x30'),
          shard(i, 3, 'info', i === 2 ? '1 1 stale' : '1x30'),
        ]),
        at: 12,
        expect: [{}],
      },
      {
        name: 're-sharded from 2 to 3, all reporting',
        series: [
          ...[1, 2].flatMap((i) => [shard(i, 2, 'shards', '2x5 stale'), shard(i, 2, 'info', '1x5 stale')]),
          ...[1, 2, 3].flatMap((i) => [shard(i, 3, 'shards', '_x6 3x20'), shard(i, 3, 'info', '_x6 1x20')]),
        ],
        at: 20,
        expect: [],
      },
    ],
  },
];
