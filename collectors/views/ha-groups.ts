// Presence redundancy groups as pairs: which groups a cluster has (the publisher's AXL view, else
// the configuration, else what `utils ha status` printed), each node's state and reason verbatim,
// and Cisco's verdict for the pair (collectors/ha-pairs.ts, the one copy of the table).
import { pairVerdict, type HaNodeView, type PairVerdict } from '../ha-pairs';
import type { HaObservation } from '../sources/ha';
import type { Health } from './health';
import { UNREACHABLE_KINDS } from './unreachable';
import { sample, type FleetIndex, type SourceState } from './readings';

export interface HaNodeCell {
  node: string;
  /** State and reason as printed, verbatim; null when no fresh output names this node. */
  state: string | null;
  reason: string | null;
  /** Whose output the line comes from: the node's own, another node's (fresher, or the node's own is unreadable), or none. */
  via: 'self' | 'peer' | 'none';
  /** The node's own HA source. */
  source: SourceState;
  /** Epoch ms of the output the line comes from. */
  at?: number;
  /** The node's own HA poll fails as if it were down (connection refused, timeout). */
  unreachable: boolean;
  /** Cisco Presence Engine\ActiveJsmSessions, when PerfMon is fresh and reports it. */
  jsmSessions: number | null;
  /** The node's PerfMon source (a fresh source without the counter: the Presence Engine is not running). */
  perfmon: SourceState;
}

export interface HaGroup {
  cluster: string;
  name: string;
  /** "Enable High Availability": the publisher's AXL view, else the configuration, else what the CLI printed. */
  haEnabled: boolean | null;
  haEnabledFrom: 'cluster' | 'configuration' | 'cli' | 'unknown';
  nodes: HaNodeCell[];
  /** Cisco's pair-state row; null for a single-node group or when neither node could be read. */
  verdict: PairVerdict | null;
  /** The verdict's severity; unknown when no node could be read, ok for a readable single-node group. */
  health: Health;
}

type Line = HaObservation['lines'][number];

const normal = (state: string | null) => (state ?? '').trim().toLowerCase() === 'normal';
const HA_NOT_ENABLED = 'high availability not enabled';

/** Groups of one IM&P cluster, in the cluster's order. */
export function haGroups(idx: FleetIndex, clusterName: string): HaGroup[] {
  const cluster = idx.cluster(clusterName);
  if (!cluster || cluster.product !== 'imp') return [];
  const members = new Map<string, { nodes: string[]; haEnabled: boolean | null; from: HaGroup['haEnabledFrom'] }>();
  const observed = idx.inventory(cluster.name, cluster.publisher).value?.groups;
  for (const g of observed ?? []) members.set(g.name, { nodes: [...g.nodes], haEnabled: g.haEnabled, from: 'cluster' });
  for (const g of cluster.groups) {
    if (!members.has(g.name)) members.set(g.name, { nodes: [...g.nodes], haEnabled: g.haEnabled ?? null, from: g.haEnabled === undefined ? 'unknown' : 'configuration' });
  }
  // Fresh lines per node, from every node's output (each prints the whole cluster).
  const own = new Map<string, { line: Line; at?: number }>();
  // A line about a node printed by another node: the latest output wins; at equal times, the output
  // of a node of the same group (its peer watches it directly).
  const printed = new Map<string, { line: Line; at?: number; peer: boolean }>();
  const printedGroups = new Map<string, Map<number, string>>();
  for (const n of cluster.nodes) {
    const r = idx.ha(cluster.name, n.name);
    if (!r.value) continue;
    if (r.value.self) own.set(n.name, { line: r.value.self, at: r.at });
    for (const l of r.value.lines) {
      const name = idx.resolveNode(cluster.name, l.node)?.name ?? l.node;
      if (name !== n.name) {
        const cand = { line: l, at: r.at, peer: n.group !== undefined && n.group === l.group };
        const prev = printed.get(name);
        if (!prev || (cand.at ?? 0) > (prev.at ?? 0) || ((cand.at ?? 0) === (prev.at ?? 0) && cand.peer && !prev.peer)) printed.set(name, cand);
      }
      if (!printedGroups.has(l.group)) printedGroups.set(l.group, new Map());
      printedGroups.get(l.group)!.set(l.index, name);
    }
  }
  for (const [group, byIndex] of printedGroups) {
    if (members.has(group)) continue;
    const nodes = [...byIndex].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    members.set(group, { nodes, haEnabled: null, from: 'unknown' });
  }
  const groups: HaGroup[] = [];
  for (const [name, m] of members) {
    const nodes = m.nodes.map((node): HaNodeCell => {
      const obs = idx.observation(cluster.name, node, 'ha');
      const r = idx.ha(cluster.name, node);
      const mine = own.get(node);
      const peer = printed.get(node);
      // The freshest output wins (each node prints the whole cluster's state); at equal times, the node's own line.
      const use = mine && peer ? ((peer.at ?? 0) > (mine.at ?? 0) ? peer : mine) : (mine ?? peer);
      const perfReading = idx.perfmon(cluster.name, node);
      const perf = perfReading.value;
      return {
        node,
        state: use?.line.state ?? null,
        reason: use?.line.reason ?? null,
        via: use === undefined ? 'none' : use === mine ? 'self' : 'peer',
        source: r.state,
        at: use?.at,
        unreachable: r.state === 'failing' && obs?.error !== undefined && UNREACHABLE_KINDS.has(obs.error.kind),
        jsmSessions: perf ? (sample(perf, 'Cisco Presence Engine', 'ActiveJsmSessions') ?? null) : null,
        perfmon: perfReading.state,
      };
    });
    let haEnabled = m.haEnabled;
    let from = m.from;
    if (haEnabled === null && nodes.some((n) => n.state !== null)) {
      haEnabled = !nodes.some((n) => (n.reason ?? '').trim().toLowerCase() === HA_NOT_ENABLED);
      from = 'cli';
    }
    let verdict: PairVerdict | null = null;
    if (nodes.length === 2 && nodes.some((n) => n.state !== null)) {
      // A node that cannot be reached is "down" for Cisco's table (rows P16, P17), whatever its peer printed for it.
      const view = (n: HaNodeCell): HaNodeView => ({ node: n.node, state: n.unreachable ? null : n.state, reason: n.unreachable ? null : n.reason });
      verdict = pairVerdict(view(nodes[0]), view(nodes[1]));
    }
    const health: Health = verdict ? verdict.severity : nodes.every((n) => n.state === null) ? 'unknown' : 'ok';
    groups.push({ cluster: cluster.name, name, haEnabled, haEnabledFrom: from, nodes, verdict, health });
  }
  return groups;
}

/** Nodes of the group not in Normal state (or unreadable): those whose health the pair's verdict sets. */
export function nodesNotNormal(g: HaGroup): string[] {
  return g.nodes.filter((n) => !normal(n.state) || n.unreachable).map((n) => n.node);
}
