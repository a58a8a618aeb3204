import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveInventory } from '../../config/resolve';
import { configSchema } from '../../config/schema';
import type { RequestHooks } from '../../collectors/clients/hooks';
import { Engine } from '../../collectors/engine/collector';
import type { NodeClientHandle } from '../../collectors/engine/clients';
import { CollectError } from '../../collectors/errors';
import type { Source } from '../../collectors/sources/types';

const config = configSchema.parse({
  clusters: [
    { name: 'cucm01', product: 'cucm', publisher: 'cucm01-pub', nodes: [{ name: 'cucm01-pub' }], credentials: { axl: { username: 'a', password: 'env:X' } } },
    {
      name: 'imp01',
      product: 'imp',
      publisher: 'imp01-pub',
      cucmCluster: 'cucm01',
      nodes: [{ name: 'imp01-pub' }, { name: 'imp01-sub1' }, { name: 'imp01-sub2' }],
      presenceRedundancyGroups: [{ name: 'g1', nodes: ['imp01-pub', 'imp01-sub1'] }, { name: 'g2', nodes: ['imp01-sub2'] }],
      credentials: { axl: { username: 'a', password: 'env:X' } },
    },
  ],
});

/** A fake node: every "request" goes through the engine's hooks, as the real clients do. */
function fakeClients(hooksSeen: Map<string, RequestHooks>) {
  return (node: { name: string }, _c: unknown, hooks: RequestHooks) => {
    hooksSeen.set(node.name, hooks);
    return { close: async () => undefined } as unknown as NodeClientHandle;
  };
}

function source(name: Source['name'], scope: Source['scope'], poll: Source['poll'], products: Source['products'] = ['cucm', 'imp']): Source {
  return { name, scope, products, lane: 'soap', backsOff: true, schema: z.unknown(), timeoutMs: () => 1000, poll, emit: () => undefined };
}

describe('engine', () => {
  it('creates one task per source and node in scope, only for the shard’s nodes', () => {
    const sources = [source('perfmon', 'node', async () => 1), source('replication', 'publisher', async () => 1), source('ha', 'node', async () => 1, ['imp'])];
    const inv = resolveInventory(config, { dir: '/' });
    const all = new Engine(inv, { sources, clientsFactory: fakeClients(new Map()) });
    expect(all.scheduler.tasks().map((t) => t.id).sort()).toEqual([
      'cucm01/cucm01-pub/perfmon',
      'cucm01/cucm01-pub/replication',
      'imp01/imp01-pub/ha',
      'imp01/imp01-pub/perfmon',
      'imp01/imp01-pub/replication',
      'imp01/imp01-sub1/ha',
      'imp01/imp01-sub1/perfmon',
      'imp01/imp01-sub2/ha',
      'imp01/imp01-sub2/perfmon',
    ]);
    const shards = [1, 2].map((index) => new Engine(resolveInventory(config, { dir: '/' }), { sources, shard: { index, count: 2 }, clientsFactory: fakeClients(new Map()) }));
    const ids = shards.flatMap((e) => e.scheduler.tasks().map((t) => t.id)).sort();
    expect(ids).toEqual(all.scheduler.tasks().map((t) => t.id).sort());
  });

  it('gates every SOAP request by the node budget and records budget refusals as their own reason', async () => {
    const hooks = new Map<string, RequestHooks>();
    const inv = resolveInventory(config, { dir: '/' });
    inv.nodes.forEach((n) => (n.perfmon.requestsPerMinute = 5));
    const poll: Source['poll'] = async (ctx) => {
      const h = hooks.get(ctx.node.name)!;
      // A burst of eight SOAP requests in one poll: the sixth must never go out.
      for (let i = 0; i < 8; i++) await h.beforeRequest!({ node: ctx.node.name, protocol: 'perfmon', operation: 'perfmonCollectSessionData' });
      return 1;
    };
    const engine = new Engine(inv, { sources: [source('perfmon', 'node', poll)], clientsFactory: fakeClients(hooks) });
    const outcomes = await engine.runOnce();
    expect(outcomes).toHaveLength(4);
    for (const o of outcomes) expect({ ok: o.ok, kind: o.kind }).toEqual({ ok: false, kind: 'budget' });
    for (const n of inv.nodes) expect(engine.budgetOf(n.cluster, n.name)!.used()).toBe(5);
    const v = engine.store.get('imp01', 'imp01-sub1', 'perfmon')!;
    expect(v.error).toMatchObject({ kind: 'budget' });
    expect(v.error!.message).toMatch(/5 per 60 s/);
    // CLI requests are not SOAP and are never refused by the PerfMon budget.
    await hooks.get('imp01-pub')!.beforeRequest!({ node: 'imp01-pub', protocol: 'cli', operation: 'utils ha status' });
    const text = await engine.metrics.render();
    expect(text).toContain('impulse_poll_errors_total{cluster="imp01",node="imp01-sub1",source="perfmon",reason="budget"} 1');
    expect(text).toContain('impulse_perfmon_budget_used_ratio{cluster="imp01",node="imp01-sub1"} 1');
  });

  it('keeps the error kind of a failed poll and the value of the last success', async () => {
    let fail = false;
    const inv = resolveInventory(config, { dir: '/' });
    const engine = new Engine(inv, {
      sources: [
        source('services', 'node', async (ctx) => {
          if (fail && ctx.node.name === 'imp01-sub2') throw new CollectError('auth', `${ctx.node.name}: soapGetServiceStatus: HTTP 401 (credentials rejected)`);
          return { n: ctx.node.name };
        }),
      ],
      clientsFactory: fakeClients(new Map()),
    });
    await engine.runOnce();
    fail = true;
    await engine.runOnce();
    const bad = engine.store.snapshot().find((v) => v.node === 'imp01-sub2')!;
    expect(bad).toMatchObject({ ok: false, fresh: true, value: { n: 'imp01-sub2' }, error: { kind: 'auth' } });
    expect(engine.store.snapshot().filter((v) => v.ok)).toHaveLength(3);
  });
});
