// Presence redundancy group high availability (utils ha status on each node): Cisco's SRMFailover
// and SRMFailed, and IMPulse's rules from Cisco's pair-state table and its diagnostic rules
// (reference/ha.md §2, §7).
import { metrics } from '../../collectors/metrics/catalogue';
import { SRM_DEFAULTS, TRANSITION_STATES } from '../../collectors/ha-pairs';
import { on, oneOf, Q } from '../language';
import { HOUR, MINUTE, s, type AlertRule } from '../rule';
import { L, t } from '../template';

/** Reasons of an automatic failover (rows P12, P13, P16, P17, P18; ha.md §2). */
export const AUTOMATIC_FAILOVER_REASONS = ['Critical Service Down', 'Database Failure', 'Peer Down', 'Peer Reboot', 'Peer Down During Initialization'] as const;

const G = { cluster: 'imp01', node: 'imp01-sub1', group: 'DefaultCUPSubcluster' };
const state = (st: string, values: string, node = G.node) => s(metrics.haNodeState, { ...G, node, state: st }, values);
const reason = (r: string, values: string, node = G.node) => s(metrics.haNodeReason, { ...G, node, reason: r }, values);

const inState = (states: readonly string[]) => Q.metric(metrics.haNodeState, { state: oneOf(states) }).eq(1);

/** Automatic fallback is due 30 minutes after the node is Failed Over (ha.md §3.3); 10 more are IMPulse's grace. */
const FALLBACK_OVERDUE = SRM_DEFAULTS.automaticFallbackAfter + 10 * MINUTE;

export const haRules: AlertRule[] = [
  {
    name: 'SRMFailover',
    origin: 'cisco',
    group: 'ha',
    severity: 'critical',
    for: MINUTE,
    condition: () =>
      Q.metric(metrics.haNodeReason, { reason: oneOf(AUTOMATIC_FAILOVER_REASONS) })
        .eq(1)
        .and(inState(['Running in Backup Mode', 'Backup Mode']), on('cluster', 'node', 'group')),
    summary: t`${L.node} took over its peer's users (${L.reason}, group ${L.group}, cluster ${L.cluster})`,
    description: t`The Cisco Server Recovery Manager failed presence redundancy group ${L.group} (cluster ${L.cluster}) over: ${L.node} is Running in Backup Mode with reason ${L.reason} and carries every user of the group, without redundancy. Find the cause on the peer (critical services, database, network, power) as Cisco's table says for this reason, fix it, then fall back (a manual fallback unless Enable Automatic Fallback is set).`,
    source: 'Cisco SRM failover; pair-state rows P12, P13, P16-P18 and diagnostic rules 5-8: reference/ha.md §2, §7',
    tests: [
      {
        name: 'a critical service failover (P12)',
        series: [state('Normal', '1 1 0x10'), state('Running in Backup Mode', '0 0 1x10'), reason('Critical Service Down', '0 0 1x10'), reason('Normal', '1 1 0x10')],
        at: 6,
        expect: [{ ...G, reason: 'Critical Service Down' }],
      },
      {
        name: 'a manual failover (P3) and Normal/Normal',
        series: [
          state('Running in Backup Mode', '0 0 1x10'),
          reason('On Admin Request', '0 0 1x10'),
          state('Normal', '1x12', 'imp01-sub3'),
          reason('Normal', '1x12', 'imp01-sub3'),
        ],
        at: 6,
        expect: [],
      },
    ],
  },
  {
    name: 'SRMFailed',
    origin: 'cisco',
    group: 'ha',
    severity: 'critical',
    for: MINUTE,
    condition: () => Q.metric(metrics.haNodeReason).eq(1).and(inState(['Running in Failed Mode']), on('cluster', 'node', 'group')),
    summary: t`${L.node} is Running in Failed Mode (group ${L.group}, cluster ${L.cluster})`,
    description: t`${L.node} (presence redundancy group ${L.group}, cluster ${L.cluster}) is Running in Failed Mode: an error occurred during a failover or fallback, and the group gives no redundancy; its users may have no service. The reason label says which row of Cisco's table applies; in most cases click Recovery in the Presence Redundancy Group Configuration window, then reboot the node if it does not recover.`,
    source: 'Cisco SRM failed state; pair-state rows P14, P15, P19-P21 and diagnostic rule 4: reference/ha.md §2, §7',
    tests: [
      {
        name: 'failed while taking back (P14)',
        series: [state('Running in Failed Mode', '0 1x10'), reason('Start of Critical Services Failed', '0 1x10')],
        at: 5,
        expect: [{ ...G, reason: 'Start of Critical Services Failed' }],
      },
      { name: 'taking over, then Running in Backup Mode', series: [state('Taking Over', '1 1 0x9'), state('Running in Backup Mode', '0 0 1x9'), reason('Peer Down', '1x11')], at: 5, expect: [] },
    ],
  },
  {
    name: 'HANodeStateUnknown',
    origin: 'impulse',
    group: 'ha',
    severity: 'critical',
    for: 2 * MINUTE,
    condition: () => inState(['Unknown']),
    summary: t`High availability state of ${L.node} is Unknown (group ${L.group}, cluster ${L.cluster})`,
    description: t`utils ha status on ${L.node} (presence redundancy group ${L.group}, cluster ${L.cluster}) prints the state Unknown. Cisco: a possible cause is that high availability was not enabled properly; restart the Cisco Server Recovery Manager service on both nodes of the group.`,
    source: 'Pair-state row P24 and diagnostic rule 3: reference/ha.md §1, §2, §7',
    tests: [
      { name: 'Unknown', series: [state('Unknown', '0 1x10')], at: 5, expect: [{ ...G, state: 'Unknown' }] },
      { name: 'Normal', series: [state('Unknown', '0x10'), state('Normal', '1x10')], at: 5, expect: [] },
    ],
  },
  {
    name: 'HATransitionStuck',
    origin: 'impulse',
    group: 'ha',
    severity: 'warning',
    // Transitions take about the Client Re-Login Upper Limit (537 s by default) for all clients
    // to move (ha.md §7 rule 12); ten minutes is IMPulse's limit.
    for: 10 * MINUTE,
    condition: () => inState(TRANSITION_STATES),
    summary: t`${L.node} stays in the transition state ${L.state} (group ${L.group}, cluster ${L.cluster})`,
    description: t`${L.node} (presence redundancy group ${L.group}, cluster ${L.cluster}) has stayed in the transition state ${L.state} for more than 10 minutes. Cisco calls it a temporary state; moving every user should take about the Client Re-Login Upper Limit (537 s by default, twice that with Multiple Device Messaging). Check both nodes' critical services and the Cisco Server Recovery Manager; if the transition ends in Running in Failed Mode, use Recovery.`,
    source: 'Transition states and diagnostic rule 12: reference/ha.md §1, §7',
    tests: [
      { name: 'Taking Over for 15 minutes', series: [state('Taking Over', '0 1x20')], at: 14, expect: [{ ...G, state: 'Taking Over' }] },
      { name: 'a failover that completes in 3 minutes', series: [state('Taking Over', '0 1x3 0x16'), state('Running in Backup Mode', '0x4 1x16')], at: 14, expect: [] },
    ],
  },
  {
    name: 'HAAutomaticFallbackOverdue',
    origin: 'impulse',
    group: 'ha',
    severity: 'warning',
    for: FALLBACK_OVERDUE,
    condition: () => inState(['Failed Over']),
    summary: t`${L.node} is Failed Over and its users are still on its peer (group ${L.group}, cluster ${L.cluster})`,
    description: t`${L.node} (presence redundancy group ${L.group}, cluster ${L.cluster}) is Failed Over: its critical services run again, but its users are still on the peer. With Enable Automatic Fallback set, the Cisco Server Recovery Manager falls back after 30 minutes without a missed heartbeat, so the automatic fallback is overdue; with it unset (the default), a manual fallback is required. Fall back from the Presence Redundancy Group Configuration window.`,
    source: 'Pair-state row P11, the 30-minute rule and diagnostic rule 9: reference/ha.md §2, §3.3, §7',
    tests: [
      { name: 'Failed Over for 45 minutes', series: [state('Failed Over', '0 1x50')], at: 46, expect: [{ ...G, state: 'Failed Over' }] },
      { name: 'automatic fallback after 30 minutes', series: [state('Failed Over', '0 1x31 0x18'), state('Taking Back', '0x32 1 0x17')], at: 46, expect: [] },
    ],
  },
  {
    name: 'HAManualFailoverLeftInPlace',
    origin: 'impulse',
    group: 'ha',
    severity: 'warning',
    for: 2 * HOUR,
    condition: () => inState(['Idle']),
    summary: t`${L.node} is Idle after a manual failover (group ${L.group}, cluster ${L.cluster})`,
    description: t`${L.node} (presence redundancy group ${L.group}, cluster ${L.cluster}) has been Idle for more than 2 hours: an administrator failed it over, it provides no availability or IM service, and its critical services stay stopped until a manual fallback. The group runs without redundancy. When the maintenance is done, fall back from the Presence Redundancy Group Configuration window.`,
    source: 'Pair-state rows P3, P5-P7 and diagnostic rule 11: reference/ha.md §2, §3.4, §7',
    tests: [
      { name: 'Idle for 2.5 hours', series: [state('Idle', '0 1x160')], at: 150, expect: [{ ...G, state: 'Idle' }] },
      { name: 'Idle for one hour, then fallen back', series: [state('Idle', '0 1x60 0x100'), state('Normal', '1 0x60 1x100')], at: 150, expect: [] },
    ],
  },
];
