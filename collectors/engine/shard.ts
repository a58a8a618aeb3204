// Sharding: `impulse collect --shard i/n` polls only the nodes this shard owns.
//
// Rendezvous (highest-random-weight) hashing over "cluster/node": every node belongs to exactly
// one shard, the answer depends only on the names and n (stable across restarts and hosts), and
// going from n to n+1 shards moves only the nodes the new shard wins (~1/(n+1) of them).
// Cluster- and group-scoped polls run on a node (the publisher, a group member), so they follow
// the shard of that node.

export interface Shard {
  /** 1-based, as typed on the command line. */
  index: number;
  count: number;
}

/** FNV-1a, 32 bit, over UTF-16 code units; then a murmur3 finaliser to spread the bits. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 1-based shard owning node `node` of cluster `cluster` among `count` shards. */
export function shardOf(cluster: string, node: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  let best = 1;
  let bestScore = -1;
  for (let s = 1; s <= count; s++) {
    const score = hash32(`${s}\u0000${cluster}\u0000${node}`);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

export function ownsNode(shard: Shard | undefined, cluster: string, node: string): boolean {
  if (!shard || shard.count === 1) return true;
  return shardOf(cluster, node, shard.count) === shard.index;
}
