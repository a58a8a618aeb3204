// Cisco's pair-state table for a presence redundancy group: "Presence Redundancy Group Node
// High-Availability States, Causes, and Recommended Actions" (reference/ha.md §2, rows P1–P24;
// EN 12765–13017, KO 3653–4118). Given both nodes' state and reason, which row applies, which
// node is "node 1" (the node whose users moved), how bad it is, and Cisco's cause and actions,
// near-verbatim. The dashboard's /ha page, the troubleshooter's HA checks and the alert runbooks
// read this one table.

export type PairSeverity = 'ok' | 'info' | 'warning' | 'critical';

/** One node of the group as `utils ha status` printed it; state null when the node could not be read. */
export interface HaNodeView {
  node: string;
  state: string | null;
  reason: string | null;
}

export interface PairRow {
  /** Row of Cisco's table, "P1" … "P24". */
  row: string;
  node1: { states: readonly string[]; reasons: readonly string[] } | 'down';
  node2: { states: readonly string[]; reasons: readonly string[] };
  severity: PairSeverity;
  /** Cause, near-verbatim from the table. */
  cause: string;
  /** Recommended actions, near-verbatim, in order. */
  actions: readonly string[];
}

export interface PairVerdict {
  /** The matching row, or null when Cisco's table has no such pair. */
  row: string | null;
  severity: PairSeverity;
  /** The node whose users moved (the failed or primary node), when the row tells. */
  node1?: string;
  node2?: string;
  cause: string;
  actions: readonly string[];
}

const ANY = [] as const;
const s = (...v: string[]) => v;

/** Rows P1–P24. `reasons: []` matches any reason (merged cells). */
export const PAIR_ROWS: readonly PairRow[] = [
  { row: 'P1', node1: { states: s('Normal'), reasons: s('Normal') }, node2: { states: s('Normal'), reasons: s('Normal') }, severity: 'ok', cause: 'Normal.', actions: [] },
  {
    row: 'P2', node1: { states: s('Failing Over'), reasons: s('On Admin Request') }, node2: { states: s('Taking Over'), reasons: s('On Admin Request') }, severity: 'info',
    cause: 'The administrator initiated a manual failover from node 1 to node 2. The manual failover is in progress.', actions: [],
  },
  {
    row: 'P3', node1: { states: s('Idle'), reasons: s('On Admin Request') }, node2: { states: s('Running in Backup Mode'), reasons: s('On Admin Request') }, severity: 'info',
    cause: 'The manual failover from node 1 to node 2 that the administrator initiated is complete.',
    actions: ['Node 1 provides no availability or Instant Messaging services while Idle: perform a manual fallback when the maintenance is done.'],
  },
  {
    row: 'P4', node1: { states: s('Taking Back'), reasons: s('On Admin Request') }, node2: { states: s('Falling Back'), reasons: s('On Admin Request') }, severity: 'info',
    cause: 'The administrator initiated a manual fallback from node 2 to node 1. The manual fallback is in progress.', actions: [],
  },
  {
    row: 'P5', node1: { states: s('Idle'), reasons: s('Initialization') }, node2: { states: s('Running in Backup Mode'), reasons: s('On Admin Request') }, severity: 'info',
    cause: 'The administrator restarts the SRM service on node 1 while node 1 is in "Idle" state.', actions: ['Perform a manual fallback to restore the presence redundancy group to Normal state.'],
  },
  {
    row: 'P6', node1: { states: s('Idle'), reasons: s('Initialization') }, node2: { states: s('Running in Backup Mode'), reasons: s('Initialization') }, severity: 'info',
    cause: 'The administrator either restarts both nodes in the presence redundancy group, or restarts the SRM service on both nodes while the presence redundancy group was in manual failover mode.',
    actions: ['Perform a manual fallback to restore the presence redundancy group to Normal state.'],
  },
  {
    row: 'P7', node1: { states: s('Idle'), reasons: s('On Admin Request') }, node2: { states: s('Running in Backup Mode'), reasons: s('Initialization') }, severity: 'info',
    cause: 'The administrator restarts the SRM service on node 2 while node 2 is running in backup mode, but before the heartbeat on node 1 times out.',
    actions: ['Perform a manual fallback to restore the presence redundancy group to Normal state.'],
  },
  {
    row: 'P8', node1: { states: s('Failing Over'), reasons: s('On Admin Request') }, node2: { states: s('Taking Over'), reasons: s('Initialization') }, severity: 'info',
    cause: 'The administrator restarts the SRM service on node 2 while node 2 is taking over, but before the heartbeat on node1 times out.', actions: [],
  },
  {
    row: 'P9', node1: { states: s('Taking Back'), reasons: s('Initialization') }, node2: { states: s('Falling Back'), reasons: s('On Admin Request') }, severity: 'info',
    cause: 'The administrator restarts the SRM service on node 1 while taking back, but before the heartbeat on node 2 times out. After the taking back process is complete, both nodes are in Normal state.', actions: [],
  },
  {
    row: 'P10', node1: { states: s('Taking Back'), reasons: s('Automatic Fallback') }, node2: { states: s('Falling Back'), reasons: s('Automatic Fallback') }, severity: 'info',
    cause: 'Automatic Fallback has been initiated from node 2 to node 1 and is currently in progress.', actions: [],
  },
  {
    row: 'P11', node1: { states: s('Failed Over'), reasons: s('Initialization or Critical Services Down') }, node2: { states: s('Running in Backup Mode'), reasons: s('Critical Service Down') }, severity: 'warning',
    cause: 'Critical services came back up on node 1 (a reboot of node 1, or the administrator started them while node 1 was in Failed Over with Critical Services Not Running state).',
    actions: ['The node is ready for the administrator to perform a manual fallback to restore the nodes in the presence redundancy group to Normal state.'],
  },
  {
    row: 'P12', node1: { states: s('Failed Over with Critical Services Not Running'), reasons: s('Critical Service Down') }, node2: { states: s('Running in Backup Mode'), reasons: s('Critical Service Down') }, severity: 'critical',
    cause: 'A critical service is down on node 1. IM and Presence Service performs an automatic failover to node 2.',
    actions: [
      'Check node 1 for any critical services that are down and try to manually start those services.',
      'If the critical services on node 1 do not start, then reboot node 1.',
      'When all the critical services are up and running after the reboot, perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.',
    ],
  },
  {
    row: 'P13', node1: { states: s('Failed Over with Critical Services Not Running'), reasons: s('Database Failure') }, node2: { states: s('Running in Backup Mode'), reasons: s('Database Failure') }, severity: 'critical',
    cause: 'A database service is down on node 1. IM and Presence Service performs an automatic failover to node 2.',
    actions: ['Reboot node 1.', 'When all the critical services are up and running after the reboot, perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.'],
  },
  {
    row: 'P14', node1: { states: s('Running in Failed Mode'), reasons: s('Start of Critical Services Failed') }, node2: { states: s('Running in Failed Mode'), reasons: s('Start of Critical Services Failed') }, severity: 'critical',
    cause: 'Critical services fail to start while a node in the presence redundancy group is taking back from the other node.',
    actions: [
      'On the node that is taking back, check for any critical services that are down. To manually start these services, click Recovery in the Presence Redundancy Group Configuration window.',
      'If the critical services do not start, reboot the node.',
      'When all the critical services are up and running after the reboot, perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.',
    ],
  },
  {
    row: 'P15', node1: { states: s('Running in Failed Mode'), reasons: s('Critical Service Down') }, node2: { states: s('Running in Failed Mode'), reasons: s('Critical Service Down') }, severity: 'critical',
    cause: 'Critical services go down on the backup node. Both nodes enter the failed state.',
    actions: ['Check the backup node for any critical services that are down, then click Recovery in the Presence Redundancy Group Configuration window.', 'If the critical services do not start, reboot the node.'],
  },
  {
    row: 'P16', node1: 'down', node2: { states: s('Running in Backup Mode'), reasons: s('Peer Down') }, severity: 'critical',
    cause: 'Node 2 has lost the heartbeat from node 1. IM and Presence Service performs an automatic failover to node 2. Node 1 is down due to loss of network connectivity or the SRM service is not running.',
    actions: [
      'If node 1 is up, check and repair the network connectivity between nodes. When you reestablish the network connection between the nodes, the node may go into a failed state. Click Recovery in the Presence Redundancy Group Configuration window to restore the nodes to the Normal state.',
      'Start the SRM service and perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.',
      '(If the node is down) Repair and power up node 1.',
      'When the node is up and all critical services are running, perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.',
    ],
  },
  {
    row: 'P17', node1: 'down', node2: { states: s('Running in Backup Mode'), reasons: s('Peer Reboot') }, severity: 'critical',
    cause: 'IM and Presence Service performs an automatic failover to node 2 because of hardware failure, power down, restart or shutdown on node 1.',
    actions: ['Repair and power up node 1.', 'When the node is up and all critical services are running, perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.'],
  },
  {
    row: 'P18', node1: { states: s('Failed Over with Critical Services Not Running', 'Failed Over'), reasons: s('Initialization') }, node2: { states: s('Backup Mode'), reasons: s('Peer Down During Initialization') }, severity: 'warning',
    cause: 'Node 2 does not see node 1 during startup.',
    actions: ['When node1 is up and all critical services are running, perform a manual fallback to restore the nodes in the presence redundancy group to the Normal state.'],
  },
  {
    row: 'P19', node1: { states: s('Running in Failed Mode'), reasons: s('Cisco Server Recovery Manager Take Over Users Failed') }, node2: { states: s('Running in Failed Mode'), reasons: s('Cisco Server Recovery Manager Take Over Users Failed') }, severity: 'critical',
    cause: 'User move fails during the taking over process.',
    actions: ['Possible database error. Click Recovery in the Presence Redundancy Group Configuration window. If the problem persists, then reboot the nodes.'],
  },
  {
    row: 'P20', node1: { states: s('Running in Failed Mode'), reasons: s('Cisco Server Recovery Manager Take Back Users Failed') }, node2: { states: s('Running in Failed Mode'), reasons: s('Cisco Server Recovery Manager Take Back Users Failed') }, severity: 'critical',
    cause: 'User move fails during falling back process.',
    actions: ['Possible database error. Click Recovery in the Presence Redundancy Group Configuration window. If the problem persists, then reboot the nodes.'],
  },
  {
    row: 'P21', node1: { states: s('Running in Failed Mode'), reasons: s('Unknown') }, node2: { states: s('Running in Failed Mode'), reasons: s('Unknown') }, severity: 'critical',
    cause: 'The SRM on a node restarts while the SRM on the other node is in a failed state, or an internal system error occurs.',
    actions: ['Click Recovery in the Presence Redundancy Group Configuration window. If the problem persists, then reboot the nodes.'],
  },
  {
    row: 'P22', node1: { states: s('Backup Activated'), reasons: s('Auto Recover Database Failure') }, node2: { states: s('Failover Affected Services'), reasons: s('Auto Recovery Database Failure.', 'Auto Recovery Database Failure') }, severity: 'warning',
    cause: 'The database goes down on the backup node. The peer node is in failover mode and can take over for all users in the presence redundancy group. Auto-recovery operation automatically occurs and all users are moved over to the primary node.',
    actions: ['Watch for both nodes to return to Normal; if both go to Running in Failed Mode, click Recovery in the Presence Redundancy Group Configuration window.'],
  },
  {
    // Node 1's reason is printed "Auto Recover Database Failure" in EN and KO, probably a copy error
    // for "Auto Recover Critical Service Down" (ha.md §2): accept both.
    row: 'P23', node1: { states: s('Backup Activated'), reasons: s('Auto Recover Database Failure', 'Auto Recover Critical Service Down') }, node2: { states: s('Failover Affected Services'), reasons: s('Auto Recover Critical Service Down') }, severity: 'warning',
    cause: 'A critical service goes down on the backup node. The peer node is in failover mode and can take over for all users in the presence redundancy group. Auto-recovery operation automatically occurs and all users are moved over to the peer node.',
    actions: ['Watch for both nodes to return to Normal; if both go to Running in Failed Mode, click Recovery in the Presence Redundancy Group Configuration window.'],
  },
  {
    row: 'P24', node1: { states: s('Unknown'), reasons: ANY }, node2: { states: s('Unknown'), reasons: ANY }, severity: 'critical',
    cause: 'Node state is unknown. A possible cause is that high availability was not enabled properly on the IM and Presence Service node.',
    actions: ['Restart the Server Recovery Manager service on both nodes in the presence redundancy group.'],
  },
];

/** The reason `utils ha status` prints for a group whose HA is off (wire-formats §4.3). */
export const HA_NOT_ENABLED = 'High Availability Not Enabled';

const norm = (v: string | null | undefined) => (v ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

function matches(side: { states: readonly string[]; reasons: readonly string[] }, n: HaNodeView): boolean {
  if (n.state === null) return false;
  if (!side.states.some((st) => norm(st) === norm(n.state))) return false;
  // A bare "State: Normal" line carries no reason (wire-formats §4.3): it reads as Normal.
  const reason = n.reason ?? (norm(n.state) === 'normal' ? 'Normal' : '');
  return side.reasons.length === 0 || side.reasons.some((r) => norm(r) === norm(reason));
}

function symmetric(r: PairRow): boolean {
  if (r.node1 === 'down') return false;
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => norm(v) === norm(y[i]));
  return same(r.node1.states, r.node2.states) && same(r.node1.reasons, r.node2.reasons);
}

/** Transition and failure states, for severity when no row matches. */
const FAILED = new Set(['running in failed mode', 'failed over with critical services not running', 'unknown']);
const DEGRADED = new Set(['running in backup mode', 'backup mode', 'failed over', 'idle', 'backup activated', 'failover affected services']);

/**
 * Which row of Cisco's table a group's pair of nodes is in. Either node may be "node 1"; both
 * orders are tried. A node whose state could not be read (null) is "down" for rows P16/P17.
 */
export function pairVerdict(a: HaNodeView, b: HaNodeView): PairVerdict {
  const notEnabled = [a, b].some((n) => norm(n.reason) === norm(HA_NOT_ENABLED));
  if (notEnabled) {
    return {
      row: null,
      severity: 'warning',
      cause: 'High availability is not enabled for this presence redundancy group: no failover protection.',
      actions: ['Enable High Availability in the Presence Redundancy Group Configuration window (Cisco recommends it); do not mix HA and non-HA groups.'],
    };
  }
  for (const r of PAIR_ROWS) {
    for (const [n1, n2] of [[a, b], [b, a]] as const) {
      const first = r.node1 === 'down' ? n1.state === null : matches(r.node1, n1);
      if (!first || !matches(r.node2, n2)) continue;
      // In a symmetric row (P1, P14, P15, P19–P21, P24) neither node is "node 1".
      if (symmetric(r)) return { row: r.row, severity: r.severity, cause: r.cause, actions: r.actions };
      return { row: r.row, severity: r.severity, node1: n1.node, node2: n2.node, cause: r.cause, actions: r.actions };
    }
  }
  const states = [a, b].map((n) => norm(n.state));
  const severity: PairSeverity = states.some((st) => FAILED.has(st)) ? 'critical' : states.some((st) => st === '' || DEGRADED.has(st)) ? 'warning' : states.every((st) => st === 'normal') ? 'ok' : 'warning';
  return {
    row: null,
    severity,
    cause: 'This pair of states is not in Cisco\'s table of presence redundancy group states. It may be a transition seen between two polls; if it persists, check both nodes\' critical services and the Cisco Server Recovery Manager.',
    actions: [],
  };
}

/** States Cisco calls temporary (transition) states (ha.md §1; rule 12 of §7). */
export const TRANSITION_STATES = ['Initializing', 'Taking Over', 'Failing Over', 'Taking Back', 'Falling Back'] as const;

/**
 * HA critical services (ha.md §3.1): must run on each node for HA; Cisco XCP Authentication Service
 * only when "Enable Monitoring of XCP Authentication Service" is set (not visible to a collector).
 */
export const HA_CRITICAL_SERVICES = [
  'Cisco Client Profile Agent',
  'Cisco Sync Agent',
  'Cisco XCP Router',
  'Cisco SIP Proxy',
  'Cisco Presence Engine',
  'Cisco XCP Text Conference Manager',
] as const;

/** SRM timings, defaults (ha.md §3.2, §7 notation): seconds. */
export const SRM_DEFAULTS = {
  heartbeatTimeout: 60,
  initializationKeepAliveTimeout: 120,
  criticalServiceDownDelay: 90,
  clientReLoginLowerLimit: 120,
  clientReLoginUpperLimit: 537,
  /** Automatic fallback happens after 30 minutes in Failed Over (§3.3). */
  automaticFallbackAfter: 30 * 60,
} as const;
