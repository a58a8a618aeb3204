// The metric catalogue: the one place metric names are written. The registry, docs/metrics.md,
// alert rules and dashboards all read them from here (reference/counters-certs-replication.md §8,
// adapted to Prometheus conventions: base units, `_total`, `_seconds`, `_info`, ratios 0–1,
// one-hot state metrics, labels `cluster` and `node` on every per-node series).
import type { SourceName } from '../../config/schema';

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface MetricDef {
  readonly name: string;
  /**
   * Latin-1 only (write 0-1, not 0–1): one character outside it makes V8 store the whole
   * /metrics body (~12 MB on a full mesh) two bytes per character. A unit test checks it.
   */
  readonly help: string;
  readonly type: MetricType;
  /** Base unit of the value ('' for counts, states and info metrics). */
  readonly unit: '' | 'seconds' | 'bytes' | 'ratio' | 'requests';
  readonly labels: readonly string[];
  /** The source that produces it, or 'engine' for the collector's own metrics. */
  readonly source: SourceName | 'engine';
  /** One-hot metrics: the label that carries the state and its known values (verbatim Cisco strings). */
  readonly oneHot?: { label: string; values: readonly string[] };
  readonly buckets?: readonly number[];
}

import { HA_REASONS, HA_STATES, SERVICE_STATUSES } from '../vocabulary';


const CN = ['cluster', 'node'] as const;
const def = <const D extends MetricDef>(d: D): D => d;

export const metrics = {
  // ---- inventory
  nodeInfo: def({
    name: 'impulse_node_info',
    help: 'Node inventory: product (cucm|imp), role (publisher|subscriber) and software version; always 1.',
    type: 'gauge', unit: '', labels: [...CN, 'product', 'role', 'version'], source: 'inventory',
  }),
  presenceGroupInfo: def({
    name: 'impulse_presence_group_info',
    help: 'Presence redundancy group membership: one series per node of each group, position 1 or 2; always 1.',
    type: 'gauge', unit: '', labels: [...CN, 'group', 'position'], source: 'inventory',
  }),
  presenceGroupHaEnabled: def({
    name: 'impulse_presence_group_ha_enabled',
    help: 'Presence redundancy group "Enable High Availability": 1 enabled, 0 disabled (one series per node of the group).',
    type: 'gauge', unit: '', labels: [...CN, 'group'], source: 'inventory',
  }),
  inventoryDiscoveredNode: def({
    name: 'impulse_inventory_discovered_node',
    help: 'Nodes the cluster publisher reports (AXL processnode); always 1. Compare with impulse_node_info to find nodes the configuration does not list.',
    type: 'gauge', unit: '', labels: [...CN], source: 'inventory',
  }),

  // ---- perfmon (curated counters; percentages are exported as ratios 0–1)
  presenceEngineActiveJsmSessions: def({
    name: 'impulse_presence_engine_active_jsm_sessions',
    help: 'Cisco Presence Engine\\ActiveJsmSessions: active users assigned to the node.',
    type: 'gauge', unit: '', labels: [...CN], source: 'perfmon',
  }),
  jsmSessions: def({
    name: 'impulse_jsm_sessions',
    help: 'Cisco XCP JSM session counters by kind: client (JsmClientSessionsActive), phantom (JsmPhantomSessionsActive), hybrid (JsmHybridSessionsActive), composed (JsmSessionsComposed), im (JsmIMSessions), client-active (JsmSessionsClient), client-inactive (JsmSessionsClientInactive, dual connections).',
    type: 'gauge', unit: '', labels: [...CN, 'kind'], source: 'perfmon',
  }),
  jsmSessionCapacityRatio: def({
    name: 'impulse_jsm_session_capacity_used_ratio',
    help: 'Active JSM sessions (client + phantom + hybrid) over 37,500, the capacity of a 25K-OVA node (1.5 × OVA users; the OVA is not visible to a collector; halve the threshold for HA active/active). RTMT alerts above 0.8 for 10 minutes.',
    type: 'gauge', unit: 'ratio', labels: [...CN], source: 'perfmon',
  }),
  jsmSessionsExceedsThreshold: def({
    name: 'impulse_jsm_sessions_exceeds_threshold',
    help: 'Cisco XCP JSM\\JSMSessionsExceedsThreshold: 1 while the node finds its JSM sessions above its threshold.',
    type: 'gauge', unit: '', labels: [...CN], source: 'perfmon',
  }),
  presenceEngineSubscriptions: def({
    name: 'impulse_presence_engine_subscriptions',
    help: 'Cisco Presence Engine subscriptions by kind (counter name verbatim, e.g. ActiveSubscriptions, ActiveCalendarSubscriptions).',
    type: 'gauge', unit: '', labels: [...CN, 'counter'], source: 'perfmon',
  }),
  xcpConnectedSockets: def({
    name: 'impulse_xcp_connected_sockets',
    help: 'Connected sockets of the XCP connection managers (object verbatim: Cisco XCP CM, Cisco XCP WebCM).',
    type: 'gauge', unit: '', labels: [...CN, 'object'], source: 'perfmon',
  }),
  cpuUsageRatio: def({
    name: 'impulse_cpu_usage_ratio',
    help: 'Processor(_Total)\\% CPU Time as a ratio 0-1.',
    type: 'gauge', unit: 'ratio', labels: [...CN], source: 'perfmon',
  }),
  memoryUsedRatio: def({
    name: 'impulse_memory_used_ratio',
    help: 'Memory\\% Mem Used as a ratio 0-1.',
    type: 'gauge', unit: 'ratio', labels: [...CN], source: 'perfmon',
  }),
  partitionUsedRatio: def({
    name: 'impulse_partition_used_ratio',
    help: 'Partition(<name>)\\% Used as a ratio 0-1 (partition verbatim: Active, Common, Inactive, Swap, Boot...).',
    type: 'gauge', unit: 'ratio', labels: [...CN, 'partition'], source: 'perfmon',
  }),
  processCpuRatio: def({
    name: 'impulse_process_cpu_usage_ratio',
    help: 'Process(<name>)\\% CPU Time of the processes of interest, as a ratio 0-1 of one CPU.',
    type: 'gauge', unit: 'ratio', labels: [...CN, 'process'], source: 'perfmon',
  }),
  processResidentBytes: def({
    name: 'impulse_process_resident_memory_bytes',
    help: 'Process(<name>)\\VmRSS of the processes of interest, bytes.',
    type: 'gauge', unit: 'bytes', labels: [...CN, 'process'], source: 'perfmon',
  }),
  replicateState: def({
    name: 'impulse_replicate_state',
    help: 'Number of Replicates Created and State of Replication\\Replicate_State: 0 not started, 1 replicates created but count incorrect, 2 good, 3 bad, 4 setup failed.',
    type: 'gauge', unit: '', labels: [...CN], source: 'perfmon',
  }),
  erReplicationQueueDepth: def({
    name: 'impulse_er_replication_queue_depth',
    help: 'Enterprise Replication Perfmon Counters\\ReplicationQueueDepth on the node.',
    type: 'gauge', unit: '', labels: [...CN], source: 'perfmon',
  }),
  dbSpaceUsedRatio: def({
    name: 'impulse_db_space_used_ratio',
    help: 'DB Local_DSN\\CcmDbSpace_Used (percent of the database space) as a ratio 0-1.',
    type: 'gauge', unit: 'ratio', labels: [...CN], source: 'perfmon',
  }),
  perfmonValue: def({
    name: 'impulse_perfmon_value',
    help: 'Counters an operator adds (clusters[].perfmon.extraCounters), raw PerfMon value; object, instance and counter verbatim.',
    type: 'gauge', unit: '', labels: [...CN, 'object', 'instance', 'counter'], source: 'perfmon',
  }),

  // ---- services
  serviceStatus: def({
    name: 'impulse_service_status',
    help: 'Service status, one-hot over the Control Center states (Started, Stopped, Starting, Stopping, Unknown); service name verbatim.',
    type: 'gauge', unit: '', labels: [...CN, 'service', 'status'], source: 'services',
    oneHot: { label: 'status', values: SERVICE_STATUSES },
  }),
  serviceReasonCode: def({
    name: 'impulse_service_reason_code',
    help: 'Control Center ReasonCode of a service that is not Started (-1068 Service Not Activated, -1069 Commanded Out of Service, -1019 Component is not running, ...); a Started service is -1 Successful and has no series.',
    type: 'gauge', unit: '', labels: [...CN, 'service'], source: 'services',
  }),
  serviceReason: def({
    name: 'impulse_service_reason_info',
    help: 'Reason text of a service that is not Started (ReasonCodeString, or the text after [STOPPED] in utils service list); always 1.',
    type: 'gauge', unit: '', labels: [...CN, 'service', 'reason'], source: 'services',
  }),
  serviceStartTime: def({
    name: 'impulse_service_start_time_seconds',
    help: 'Unix time the service started (poll time minus Control Center UpTime); absent when not started or read through the CLI. Uptime: time() - this.',
    type: 'gauge', unit: 'seconds', labels: [...CN, 'service'], source: 'services',
  }),

  // ---- replication (utils dbreplication runtimestate on each cluster's publisher)
  replicationSetupState: def({
    name: 'impulse_replication_setup_state',
    help: 'REPLICATION SETUP (RTMT) value per server as the publisher reports it: 0 not started, 1 count incorrect, 2 good, 3 bad, 4 setup failed.',
    type: 'gauge', unit: '', labels: [...CN], source: 'replication',
  }),
  replicationQueueDepth: def({
    name: 'impulse_replication_queue_depth',
    help: 'REPL. QUEUE per server as the publisher reports it.',
    type: 'gauge', unit: '', labels: [...CN], source: 'replication',
  }),
  replicationPing: def({
    name: 'impulse_replication_ping_seconds',
    help: 'PING round trip from the publisher to the server, seconds.',
    type: 'gauge', unit: 'seconds', labels: [...CN], source: 'replication',
  }),
  replicationInfo: def({
    name: 'impulse_replication_info',
    help: 'Replication row details, verbatim: DB/RPC/DbMon? flags, Group ID and the Details text; always 1.',
    type: 'gauge', unit: '', labels: [...CN, 'db_rpc_dbmon', 'group_id', 'detail'], source: 'replication',
  }),

  // ---- HA (utils ha status)
  haNodeState: def({
    name: 'impulse_ha_node_state',
    help: 'Presence redundancy group node state, one-hot; state verbatim as utils ha status prints it (known states always present).',
    type: 'gauge', unit: '', labels: [...CN, 'group', 'state'], source: 'ha',
    oneHot: { label: 'state', values: HA_STATES },
  }),
  haNodeReason: def({
    name: 'impulse_ha_node_reason',
    help: 'Presence redundancy group node reason, one-hot; reason verbatim ("" when none is printed; known reasons always present).',
    type: 'gauge', unit: '', labels: [...CN, 'group', 'reason'], source: 'ha',
    oneHot: { label: 'reason', values: HA_REASONS },
  }),

  // ---- certificates
  certificateNotAfter: def({
    name: 'impulse_certificate_not_after_timestamp_seconds',
    help: 'Certificate expiry (notAfter), Unix seconds. source=tls: the leaf served on port; source=cli: show cert own/trust, store own or trust.',
    type: 'gauge', unit: 'seconds', labels: [...CN, 'unit', 'port', 'source', 'store'], source: 'certificates',
  }),
  certificateNotBefore: def({
    name: 'impulse_certificate_not_before_timestamp_seconds',
    help: 'Certificate start of validity (notBefore), Unix seconds.',
    type: 'gauge', unit: 'seconds', labels: [...CN, 'unit', 'port', 'source', 'store'], source: 'certificates',
  }),
  certificateInfo: def({
    name: 'impulse_certificate_info',
    help: 'Certificate identity: subject, issuer, serial, SANs (comma-separated) and whether it is self-signed; always 1.',
    type: 'gauge', unit: '', labels: [...CN, 'unit', 'port', 'source', 'store', 'subject', 'issuer', 'serial', 'sans', 'self_signed'], source: 'certificates',
  }),

  // ---- intercluster peers
  interclusterPeerUp: def({
    name: 'impulse_intercluster_peer_up',
    help: 'Intercluster peer reachability from this IM&P publisher: 1 when the peer publisher answers on its AXL/HTTPS port, 0 otherwise.',
    type: 'gauge', unit: '', labels: [...CN, 'peer'], source: 'peers',
  }),

  // ---- users (utils users validate all on the IM&P publisher)
  userValidationIssues: def({
    name: 'impulse_user_validation_issues',
    help: 'Users reported by utils users validate all, by issue type (e.g. duplicate userid, duplicate directory URI, invalid directory URI).',
    type: 'gauge', unit: '', labels: [...CN, 'issue'], source: 'users',
  }),

  // ---- the collector itself
  targetUp: def({
    name: 'impulse_target_up',
    help: '1 when the latest poll of this source on this node succeeded and is fresh (within two intervals), else 0.',
    type: 'gauge', unit: '', labels: [...CN, 'source'], source: 'engine',
  }),
  lastSuccess: def({
    name: 'impulse_last_success_timestamp_seconds',
    help: 'Unix time of the latest successful poll of this source on this node.',
    type: 'gauge', unit: 'seconds', labels: [...CN, 'source'], source: 'engine',
  }),
  lastError: def({
    name: 'impulse_last_error_info',
    help: 'The latest failed poll of this source on this node: reason (timeout, connection, tls, auth, rate-limit, fault, http, parse, ssh-host-key, config, budget, internal); 1 while the latest poll failed.',
    type: 'gauge', unit: '', labels: [...CN, 'source', 'reason'], source: 'engine',
  }),
  lastDuration: def({
    name: 'impulse_last_poll_duration_seconds',
    help: 'Duration of the latest poll of this source on this node (success or failure).',
    type: 'gauge', unit: 'seconds', labels: [...CN, 'source'], source: 'engine',
  }),
  pollDuration: def({
    name: 'impulse_poll_duration_seconds',
    help: 'Duration of polls by cluster and source, from the moment the poll starts talking to the node (waiting for a free slot is not counted). Per node: impulse_last_poll_duration_seconds (a histogram per node would multiply the series by the bucket count).',
    type: 'histogram', unit: 'seconds', labels: ['cluster', 'source'], source: 'engine',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  }),
  pollErrors: def({
    name: 'impulse_poll_errors_total',
    help: 'Failed polls by reason (timeout, connection, tls, auth, rate-limit, fault, http, parse, ssh-host-key, config, budget, internal).',
    type: 'counter', unit: '', labels: [...CN, 'source', 'reason'], source: 'engine',
  }),
  pollsMissed: def({
    name: 'impulse_polls_missed_total',
    help: 'Polls skipped because the previous poll of the same source on the node had not finished when the next was due.',
    type: 'counter', unit: '', labels: [...CN, 'source'], source: 'engine',
  }),
  pollsBackedOff: def({
    name: 'impulse_polls_backed_off_total',
    help: 'Polls skipped while the node backs off after a RateControl fault.',
    type: 'counter', unit: '', labels: [...CN, 'source'], source: 'engine',
  }),
  requests: def({
    name: 'impulse_requests_total',
    help: 'Requests to the node by protocol (perfmon, controlcenter, axl, cli, tls, ldap), operation and outcome (ok or the error reason; budget = refused before sending).',
    type: 'counter', unit: '', labels: [...CN, 'protocol', 'operation', 'outcome'], source: 'engine',
  }),
  budgetUsed: def({
    name: 'impulse_perfmon_budget_used_ratio',
    help: 'SOAP requests sent to the node in the last 60 s over its per-minute budget (clusters[].perfmon.requestsPerMinute, default 50).',
    type: 'gauge', unit: 'ratio', labels: [...CN], source: 'engine',
  }),
  budgetLimit: def({
    name: 'impulse_perfmon_budget_requests_per_minute',
    help: 'Per-minute SOAP request budget of the node.',
    type: 'gauge', unit: '', labels: [...CN], source: 'engine',
  }),
  backoff: def({
    name: 'impulse_backoff_until_timestamp_seconds',
    help: 'Unix time until which SOAP polls of the node are suspended after a RateControl fault (0 when not backing off).',
    type: 'gauge', unit: 'seconds', labels: [...CN], source: 'engine',
  }),
  // fidelity: intercluster peer sync dependencies (peers source), and degrade per row (unparsed
  // rows of otherwise successful polls).
  interclusterPeerSyncOk: def({
    name: 'impulse_intercluster_peer_sync_ok',
    help: 'Intercluster peer sync dependencies from this IM&P publisher: 1 when the peer answers TLS and AXL with a valid tomcat certificate and Cisco Intercluster Sync Agent is Started on both publishers, 0 otherwise (the reasons are on the node page).',
    type: 'gauge', unit: '', labels: [...CN, 'peer'], source: 'peers',
  }),
  parseProblems: def({
    name: 'impulse_parse_problems_total',
    help: 'Rows of a node\'s output (CLI lines, SOAP records) the parser could not read in successful polls; the other rows were kept. The rows themselves (line, raw text, reason) are on the node page and in the log.',
    type: 'counter', unit: '', labels: [...CN, 'source'], source: 'engine',
  }),

  collectorInfo: def({
    name: 'impulse_collector_info',
    help: 'This collector process: version and shard ("i/n"); always 1.',
    type: 'gauge', unit: '', labels: ['version', 'shard'], source: 'engine',
  }),
  collectorTargets: def({
    name: 'impulse_collector_targets',
    help: 'Nodes this collector (shard) polls.',
    type: 'gauge', unit: '', labels: [], source: 'engine',
  }),

  // ---- added for alerting (alerts/): a certificate that fails verification, a missing shard
  certificateVerified: def({
    name: 'impulse_certificate_verified',
    help: 'Whether the certificate served on this TLS port verified against the cluster trust (CA bundle, pinned fingerprints or system CAs): 1 verified, 0 not. Absent with tls insecure: true.',
    type: 'gauge', unit: '', labels: [...CN, 'unit', 'port'], source: 'certificates',
  }),
  collectorShards: def({
    name: 'impulse_collector_shards',
    help: 'Shards the inventory is split into (n of --shard i/n; 1 when not sharded). Fewer impulse_collector_info series than this means a shard is missing.',
    type: 'gauge', unit: '', labels: [], source: 'engine',
  }),
} as const satisfies Record<string, MetricDef>;

export type MetricId = keyof typeof metrics;
export const catalogue: readonly MetricDef[] = Object.values(metrics);
