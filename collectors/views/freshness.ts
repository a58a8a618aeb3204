// How current a page's data is: when it was last collected and how many of its sources are
// stale, failing or not polled yet. Every page shows it in its data-age banner.
import type { SourceName } from '../../config/schema';
import type { ObservationView } from '../engine/store';
import { sourceState } from './readings';

export interface Freshness {
  /** Epoch ms of the newest successful poll among the observations. */
  latestAt?: number;
  /** The page's "now" (epoch ms), so the banner can say "N s ago" as of rendering. */
  now: number;
  total: number;
  fresh: number;
  stale: number;
  failing: number;
  pending: number;
  /** The first few stale or failing (cluster, node, source), for the banner's detail. */
  examples: { cluster: string; node: string; source: SourceName; state: 'stale' | 'failing'; error?: string }[];
}

export function freshness(observations: readonly ObservationView[], now: number, filter?: (o: ObservationView) => boolean): Freshness {
  const f: Freshness = { now, total: 0, fresh: 0, stale: 0, failing: 0, pending: 0, examples: [] };
  for (const o of observations) {
    if (filter && !filter(o)) continue;
    f.total++;
    if (o.at !== undefined && (f.latestAt === undefined || o.at > f.latestAt)) f.latestAt = o.at;
    const st = sourceState(o);
    if (st === 'fresh') f.fresh++;
    else if (st === 'pending') f.pending++;
    else if (st === 'stale' || st === 'failing') {
      f[st]++;
      if (f.examples.length < 5) f.examples.push({ cluster: o.cluster, node: o.node, source: o.source, state: st, error: st === 'failing' && o.error ? `${o.error.kind}: ${o.error.message}` : undefined });
    }
  }
  return f;
}
