// The high-availability page (/ha): every presence redundancy group of every IM&P cluster as a
// pair — both nodes' state and reason verbatim, HA enabled, time in state, the JSM sessions each
// node carries — with Cisco's cause and recommended actions for that pair of states.
import { freshness, type Freshness } from './freshness';
import { haGroups, type HaGroup, type HaNodeCell } from './ha-groups';
import { healthRank, type Health } from './health';
import { clusterHref, eventLog, FleetIndex, natural, nodeHref, type FleetInput } from './readings';
import { one, oneOf, type RawQuery } from './query';

export interface HaNodeView extends HaNodeCell {
  href: string;
  /** When the node entered its current state: the event log's record (or at least since it first saw it so), else only when it was seen. */
  since?: number;
  sinceBasis: 'event' | 'first-seen' | 'observed';
}

export interface HaPair extends Omit<HaGroup, 'nodes'> {
  /** Anchor: "cluster/group". */
  id: string;
  clusterHref: string;
  nodes: HaNodeView[];
}

export interface HaFilter {
  cluster?: string;
  /** all groups, or only those not Normal. */
  show: 'all' | 'problems';
}

export interface HaModel {
  filter: HaFilter;
  pairs: HaPair[];
  counts: Record<Health, number>;
  sinceBasis: 'events' | 'observations';
  eventsError?: string;
  clusters: string[];
  freshness: Freshness;
}

const same = (a: string | null, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

export function haModel(input: FleetInput, q: RawQuery): HaModel {
  const idx = new FleetIndex(input);
  const filter: HaFilter = { cluster: one(q, 'cluster'), show: oneOf(q, 'show', ['all', 'problems'] as const, 'all') };
  const imp = input.inventory.clusters.filter((c) => c.product === 'imp');
  const events = eventLog(input);
  let eventsError: string | undefined;
  const pairs: HaPair[] = [];
  for (const c of imp) {
    if (filter.cluster && c.name !== filter.cluster) continue;
    for (const g of haGroups(idx, c.name)) {
      const nodes = g.nodes.map((n): HaNodeView => {
        const view: HaNodeView = { ...n, href: nodeHref(c.name, n.node), since: n.at, sinceBasis: 'observed' };
        if (events && n.state !== null && !eventsError) {
          try {
            const st = events.states({ cluster: c.name, node: n.node, kinds: ['ha'] }).find((x) => same(x.subject, g.name));
            if (st && same(n.state, st.state)) {
              view.since = st.since;
              view.sinceBasis = st.observedChange ? 'event' : 'first-seen';
            }
          } catch (err) {
            eventsError = (err as Error).message;
          }
        }
        return view;
      });
      pairs.push({ ...g, id: `${c.name}/${g.name}`, clusterHref: clusterHref(c.name), nodes });
    }
  }
  const counts: Record<Health, number> = { critical: 0, warning: 0, unknown: 0, info: 0, ok: 0 };
  for (const p of pairs) counts[p.health]++;
  const shown = pairs
    .filter((p) => filter.show === 'all' || p.health !== 'ok')
    .sort((a, b) => healthRank(a.health) - healthRank(b.health) || natural(a.cluster, b.cluster) || natural(a.name, b.name));
  return {
    filter,
    pairs: shown,
    counts,
    sinceBasis: events && !eventsError ? 'events' : 'observations',
    eventsError,
    clusters: imp.map((c) => c.name),
    freshness: freshness(input.observations, input.now, (o) => o.source === 'ha' && (!filter.cluster || o.cluster === filter.cluster)),
  };
}
