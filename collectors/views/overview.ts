// The overview (/): per cluster one verdict (the worst of its nodes) with counts of nodes by
// health, the problems of the whole fleet worst first, and a compact strip of every node.
import { emptyCounts, healthRank, HEALTH_LABEL, worst, type Health, type Severity } from './health';
import { fleetProblems, nodeKey, type Problem, type ProblemOptions } from './problems';
import { clusterHref, FleetIndex, nodeHref, type FleetInput } from './readings';
import { freshness, type Freshness } from './freshness';

export interface StripNode {
  name: string;
  href: string;
  health: Health;
  role: 'publisher' | 'subscriber';
  /** The name without the prefix all of the cluster's nodes share ("imp01-sub2" → "sub2"). */
  short: string;
  /** One line for the tooltip and screen readers: the node's worst problem, or its health. */
  label: string;
}

export interface ClusterStrip {
  name: string;
  product: 'cucm' | 'imp';
  href: string;
  verdict: Health;
  counts: Record<Health, number>;
  problems: number;
  nodes: StripNode[];
}

export interface OverviewModel {
  collecting: boolean;
  totals: { clusters: number; nodes: number; byHealth: Record<Health, number> };
  problems: Problem[];
  /** Problems shown (the rest behind "show all"). */
  shown: number;
  problemCounts: Record<Severity, number>;
  /** Where "since" times come from. */
  sinceBasis: 'events' | 'observations';
  eventsError?: string;
  clusters: ClusterStrip[];
  freshness: Freshness;
}

export const PROBLEMS_SHOWN = 50;

export function overviewModel(input: FleetInput, opts: ProblemOptions & { allProblems?: boolean } = {}): OverviewModel {
  const idx = new FleetIndex(input);
  const { problems, sinceBasis, eventsError, health } = fleetProblems(idx, opts);
  const worstOf = new Map<string, Problem>();
  for (const p of problems) for (const n of p.nodes) if (!worstOf.has(nodeKey(p.cluster, n))) worstOf.set(nodeKey(p.cluster, n), p);
  const byHealth = emptyCounts();
  const clusters: ClusterStrip[] = input.inventory.clusters.map((c) => {
    const counts = emptyCounts();
    const prefix = commonPrefix(c.nodes.map((n) => n.name));
    const nodes = c.nodes.map((n): StripNode => {
      const h = health.get(nodeKey(c.name, n.name)) ?? 'unknown';
      counts[h]++;
      byHealth[h]++;
      const p = worstOf.get(nodeKey(c.name, n.name));
      return { name: n.name, href: nodeHref(c.name, n.name), health: h, role: n.role, short: n.name.slice(prefix.length) || n.name, label: `${n.name}: ${p ? p.what : HEALTH_LABEL[h]}` };
    });
    return {
      name: c.name,
      product: c.product,
      href: clusterHref(c.name),
      verdict: worst(nodes.map((n) => n.health), 'unknown'),
      counts,
      problems: problems.filter((p) => p.cluster === c.name).length,
      nodes,
    };
  });
  // Clusters with something wrong first (worst first), the rest in configuration order.
  const order = new Map(clusters.map((c, i) => [c.name, i]));
  clusters.sort((a, b) => {
    const ra = a.verdict === 'ok' ? 99 : healthRank(a.verdict);
    const rb = b.verdict === 'ok' ? 99 : healthRank(b.verdict);
    return ra - rb || order.get(a.name)! - order.get(b.name)!;
  });
  const problemCounts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const p of problems) problemCounts[p.severity]++;
  return {
    collecting: input.collecting,
    totals: { clusters: clusters.length, nodes: input.inventory.nodes.length, byHealth },
    problems,
    shown: opts.allProblems ? problems.length : Math.min(problems.length, PROBLEMS_SHOWN),
    problemCounts,
    sinceBasis,
    eventsError,
    clusters,
    freshness: freshness(input.observations, input.now),
  };
}

/** The shared prefix of the names up to and including its last separator ("imp01-"), or ''. */
function commonPrefix(names: string[]): string {
  if (names.length < 2) return '';
  let p = names[0];
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  const cut = Math.max(p.lastIndexOf('-'), p.lastIndexOf('.'), p.lastIndexOf('_'));
  return cut >= 0 ? p.slice(0, cut + 1) : '';
}
