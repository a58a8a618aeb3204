import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../collectors/engine/budget';
import { ownsNode, shardOf } from '../../collectors/engine/shard';
import { CollectError } from '../../collectors/errors';

const fleet = Array.from({ length: 30 }, (_, c) => {
  const cluster = `imp${String(c + 1).padStart(2, '0')}`;
  return [`${cluster}-pub`, ...Array.from({ length: 5 }, (_, s) => `${cluster}-sub${s + 1}`)].map((node) => ({ cluster, node }));
}).flat();

describe('sharding', () => {
  it.each([1, 2, 3, 7])('puts every node in exactly one of %i shards', (n) => {
    for (const { cluster, node } of fleet) {
      const owners = Array.from({ length: n }, (_, i) => i + 1).filter((i) => ownsNode({ index: i, count: n }, cluster, node));
      expect(owners).toHaveLength(1);
    }
  });

  it('spreads nodes roughly evenly and answers the same every time', () => {
    const counts = [0, 0, 0];
    for (const { cluster, node } of fleet) counts[shardOf(cluster, node, 3) - 1]++;
    for (const c of counts) expect(c).toBeGreaterThan(fleet.length / 3 / 2);
    expect(fleet.map((f) => shardOf(f.cluster, f.node, 3))).toEqual(fleet.map((f) => shardOf(f.cluster, f.node, 3)));
    // Pinned values: a change of the hash would silently reshuffle every deployment.
    expect([shardOf('imp01', 'imp01-pub', 2), shardOf('cucm01', 'cucm01-pub', 2), shardOf('imp07', 'imp07-sub3', 3)]).toEqual([2, 2, 1]);
  });

  it('moves only the nodes the new shard wins when going from 3 to 4 shards', () => {
    let moved = 0;
    for (const { cluster, node } of fleet) {
      const before = shardOf(cluster, node, 3);
      const after = shardOf(cluster, node, 4);
      if (before !== after) {
        moved++;
        expect(after).toBe(4);
      }
    }
    expect(moved).toBeLessThan(fleet.length / 2);
  });
});

describe('request budget', () => {
  it('never lets more than the limit through in any 60 s window under a burst', () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const budget = new RequestBudget(50, 60_000, clock);
    const sent: number[] = [];
    // 10 minutes of a client trying 5 requests every 700 ms.
    for (let t = 0; t < 600_000; t += 700) {
      now = 1_000_000 + t;
      for (let i = 0; i < 5; i++) if (budget.tryTake()) sent.push(now);
    }
    for (let i = 0; i < sent.length; i++) {
      const inWindow = sent.filter((s) => s > sent[i] - 60_000 && s <= sent[i]).length;
      expect(inWindow).toBeLessThanOrEqual(50);
    }
    // It is a budget, not a brake: close to the limit is used.
    expect(sent.length).toBeGreaterThanOrEqual(50 * 9);
    expect(budget.stats.denied).toBeGreaterThan(0);
  });

  it('refuses with a budget CollectError naming the request and when the next slot frees', () => {
    let now = 0;
    const budget = new RequestBudget(2, 60_000, { now: () => now });
    budget.take('imp01-pub: perfmon perfmonOpenSession');
    now = 10_000;
    budget.take('imp01-pub: perfmon perfmonAddCounter');
    now = 20_000;
    let err: unknown;
    try {
      budget.take('imp01-pub: perfmon perfmonCollectSessionData');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CollectError);
    expect((err as CollectError).kind).toBe('budget');
    expect((err as Error).message).toMatch(/perfmonCollectSessionData.*2 per 60 s.*next slot in 40 s/);
    expect(budget.usedRatio()).toBe(1);
    now = 60_001;
    expect(budget.tryTake()).toBe(true);
  });
});
