// The cluster page (/clusters/[cluster]): every node's figures, the presence redundancy groups as
// pairs, the intercluster peers and their reachability, and the cluster's problems.
import { freshness, type Freshness } from './freshness';
import { haGroups, type HaGroup } from './ha-groups';
import { emptyCounts, worst, type Health } from './health';
import { nodeSummary, type NodeSummary } from './node-summary';
import { fleetProblems, nodeKey, type Problem, type ProblemOptions } from './problems';
import { clusterHref, FleetIndex, type FleetInput, type SourceState } from './readings';

export interface PeerRow {
  peer: string;
  publisher: string;
  up: boolean;
  error?: string;
  kind?: string;
  /** Link to the peer cluster when it is in the configuration. */
  href?: string;
}

export interface ClusterModel {
  name: string;
  product: 'cucm' | 'imp';
  /** The version the publisher reports, else the configured one. */
  version?: string;
  publisher: string;
  cucmCluster?: string;
  discoverNodes: boolean;
  tlsMode: string;
  verdict: Health;
  counts: Record<Health, number>;
  nodes: NodeSummary[];
  groups: HaGroup[];
  peers: { configured: string[]; state: SourceState; at?: number; rows: PeerRow[] };
  problems: Problem[];
  sinceBasis: 'events' | 'observations';
  freshness: Freshness;
}

export function clusterModel(input: FleetInput, name: string, opts: ProblemOptions = {}): ClusterModel | undefined {
  const idx = new FleetIndex(input);
  const c = idx.cluster(name);
  if (!c) return undefined;
  const { problems, sinceBasis, health } = fleetProblems(idx, { ...opts, cluster: c.name });
  const counts = emptyCounts();
  const nodes = c.nodes.map((n) => {
    const h = health.get(nodeKey(c.name, n.name)) ?? 'unknown';
    counts[h]++;
    return nodeSummary(idx, n, h, problems.filter((p) => p.nodes.includes(n.name)));
  });
  const peers = idx.peers(c.name);
  const rows: PeerRow[] = (peers.value?.peers ?? []).map((p) => ({ ...p, href: idx.cluster(p.peer) ? clusterHref(p.peer) : undefined }));
  return {
    name: c.name,
    product: c.product,
    version: idx.inventory(c.name, c.publisher).value?.version ?? c.version,
    publisher: c.publisher,
    cucmCluster: c.cucmCluster,
    discoverNodes: c.discoverNodes,
    tlsMode: c.tls.mode,
    verdict: worst(nodes.map((n) => n.health), 'unknown'),
    counts,
    nodes,
    groups: haGroups(idx, c.name),
    peers: { configured: c.peers, state: c.peers.length ? peers.state : 'absent', at: peers.at, rows },
    problems,
    sinceBasis,
    freshness: freshness(input.observations, input.now, (o) => o.cluster === c.name),
  };
}
