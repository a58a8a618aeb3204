// Services: RTMT's CriticalServiceDown, from Control Center's service status (or `utils service
// list` when Control Center is down).
import { metrics } from '../../collectors/metrics/catalogue';
import { HA_CRITICAL_SERVICES } from '../../collectors/ha-pairs';
import { on, oneOf, Q } from '../language';
import { MINUTE, s, type AlertRule } from '../rule';
import { L, t } from '../template';

/**
 * Services whose failure stops IM and Presence: the HA critical services (reference/ha.md §3.1)
 * and the database; on Unified CM, the services IM&P's integration needs
 * (reference/counters-certs-replication.md §5.1, "CUCM-side … must run on CUCM for the integration").
 */
export const CRITICAL_SERVICES = [
  ...HA_CRITICAL_SERVICES,
  'A Cisco DB',
  'Cisco CallManager',
  'Cisco CTIManager',
  'Cisco Tftp',
  'Cisco AXL Web Service',
] as const;

/** Control Center ReasonCode -1068 "Service Not Activated": stopped on purpose (wire-formats §2.5). */
const NOT_ACTIVATED = -1068;

const C = { cluster: 'imp01', node: 'imp01-pub' };
const status = (service: string, values: string, node = C.node) => s(metrics.serviceStatus, { cluster: C.cluster, node, service, status: 'Started' }, values);

export const serviceRules: AlertRule[] = [
  {
    name: 'CriticalServiceDown',
    origin: 'cisco',
    group: 'services',
    severity: 'critical',
    // RTMT raises it on the first poll; one minute keeps a `utils service restart` from paging.
    for: MINUTE,
    condition: () =>
      Q.metric(metrics.serviceStatus, { status: 'Started', service: oneOf(CRITICAL_SERVICES) })
        .eq(0)
        // Not activated in Service Activation: stopped on purpose.
        .unless(Q.metric(metrics.serviceReasonCode).eq(NOT_ACTIVATED), on('cluster', 'node', 'service'))
        // Idle after a manual failover: SRM keeps the critical services stopped until the fallback
        // (reference/ha.md §3.4); HAManualFailoverLeftInPlace covers that node.
        .unless(Q.metric(metrics.haNodeState, { state: 'Idle' }).eq(1), on('cluster', 'node'))
        .maxBy('cluster', 'node', 'service'),
    summary: t`${L.service} is not running on ${L.node} (cluster ${L.cluster})`,
    description: t`Control Center reports ${L.service} on ${L.node} (cluster ${L.cluster}) as not Started. On IM and Presence a critical service that stays down makes the Cisco Server Recovery Manager fail the node over to its peer after the Critical Service Down Delay (90 s by default). Start the service (Cisco Unified Serviceability > Tools > Control Center, or utils service start), then check the presence redundancy group.`,
    source: 'RTMT CriticalServiceDown; critical services: reference/ha.md §3.1, counters-certs-replication.md §5.1',
    tests: [
      {
        name: 'a critical service stops',
        series: [status('Cisco Presence Engine', '1 1 0x10'), status('Cisco XCP Router', '1x12')],
        at: 5,
        expect: [{ cluster: 'imp01', node: 'imp01-pub', service: 'Cisco Presence Engine' }],
      },
      {
        name: 'a non-critical service stopped, a critical one not activated, a node Idle after a manual failover',
        series: [
          status('Cisco XCP Directory Service', '1 1 0x10'),
          status('Cisco XCP Text Conference Manager', '0x12', 'imp01-sub1'),
          s(metrics.serviceReasonCode, { cluster: 'imp01', node: 'imp01-sub1', service: 'Cisco XCP Text Conference Manager' }, '-1068x12'),
          status('Cisco Presence Engine', '1 1 0x10', 'imp01-sub2'),
          s(metrics.haNodeState, { cluster: 'imp01', node: 'imp01-sub2', group: 'Subcluster-2', state: 'Idle' }, '0 1x11'),
        ],
        at: 8,
        expect: [],
      },
      {
        name: 'a restart shorter than a minute',
        series: [status('Cisco XCP Router', '1 1 0 1x10')],
        at: 5,
        expect: [],
      },
    ],
  },
];
