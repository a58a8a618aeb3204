// Intercluster helpers: which IM&P clusters peer with each other (a "mesh": the clusters linked by
// clusters[].peers, in either direction) and each cluster's addressing as its users show it.
import type { InventoryCluster } from '../../config/resolve';
import type { CheckContext } from '../types';
import type { Addressing } from '../users/addressing';

/** Groups of IM&P clusters joined by peering (each group ≥ 1 cluster), in config order. */
export function peerMeshes(clusters: readonly InventoryCluster[]): InventoryCluster[][] {
  const imp = clusters.filter((c) => c.product === 'imp');
  const parent = new Map(imp.map((c) => [c.name, c.name]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const c of imp) for (const p of c.peers) if (parent.has(p)) parent.set(find(c.name), find(p));
  const groups = new Map<string, InventoryCluster[]>();
  for (const c of imp) {
    const root = find(c.name);
    groups.set(root, [...(groups.get(root) ?? []), c]);
  }
  return [...groups.values()];
}

export function addressingOf(ctx: CheckContext, cluster: string): Addressing | undefined {
  const r = ctx.data.users?.clusters.get(cluster);
  return r?.ok ? r.addressing : undefined;
}

/** The most common value (ties: the first in order). */
export function majority<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let n = 0;
  for (const v of values) {
    const k = (counts.get(v) ?? 0) + 1;
    counts.set(v, k);
    if (k > n) [best, n] = [v, k];
  }
  return best;
}
