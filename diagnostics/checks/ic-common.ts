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

/** The value more than half of `values` share, or undefined when none does (a tie cannot say which side is out of step). */
export function majority<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [v, n] of counts) if (n * 2 > values.length) return v;
  return undefined;
}
