// A configuration reload applied to a running engine: nodes that left are closed and forgotten
// (store, /metrics), new ones start, nodes whose connection settings changed start again, and
// every other node keeps its clients — and so its PerfMon session and SSH shells. The PerfMon
// session ledger: leftovers of a crashed process are closed before a new session opens.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveInventory } from '../../config/resolve';
import { configSchema } from '../../config/schema';
import { PerfmonSession, type PerfmonClient } from '../../collectors/clients/perfmon';
import { Engine } from '../../collectors/engine/collector';
import type { NodeClientHandle } from '../../collectors/engine/clients';
import { SessionLedger, type LedgerEntry, type LedgerStore } from '../../collectors/engine/session-ledger';
import { CollectError, SoapFaultError } from '../../collectors/errors';
import type { Source } from '../../collectors/sources/types';

type Cfg = Parameters<typeof configSchema.parse>[0];
const cluster = (name: string, nodes: Array<{ name: string; host?: string }>, extra: Record<string, unknown> = {}) => ({
  name,
  product: 'imp',
  publisher: nodes[0].name,
  nodes,
  credentials: { axl: { username: 'a', password: 'env:X' } },
  ...extra,
});

function inventory(cfg: Cfg) {
  return resolveInventory(configSchema.parse(cfg), { dir: '/' });
}

describe('engine.applyInventory', () => {
  it('keeps unchanged nodes with their clients, restarts changed ones, adds and removes the rest', async () => {
    const made: string[] = [];
    const closed: string[] = [];
    const clients = new Map<string, NodeClientHandle>();
    const factory = (node: { id: string }) => {
      made.push(node.id);
      const c = { close: async () => void closed.push(node.id) } as unknown as NodeClientHandle;
      clients.set(node.id, c);
      return c;
    };
    const polled: string[] = [];
    const source: Source = { name: 'perfmon', scope: 'node', products: ['imp'], lane: 'soap', backsOff: true, schema: z.unknown(), timeoutMs: () => 1000, poll: async (ctx) => (polled.push(`${ctx.node.id}@${ctx.node.host}#${ctx.cluster.peers.join(',')}`), 1), emit: () => undefined };
    const before = inventory({
      clusters: [cluster('imp01', [{ name: 'a' }, { name: 'b' }, { name: 'c' }], { peers: [] }), cluster('imp02', [{ name: 'x' }], { peers: [] })],
    });
    const engine = new Engine(before, { sources: [source], clientsFactory: factory as never });
    await engine.runOnce();
    const keptClients = clients.get('imp01/a');
    engine.metrics.pollErrors.inc({ cluster: 'imp02', node: 'x', source: 'perfmon', reason: 'timeout' });

    const after = inventory({
      clusters: [
        // a: unchanged; b: new address; c: gone; d: new; peers changed (read at poll time, no restart).
        cluster('imp01', [{ name: 'a' }, { name: 'b', host: '10.0.0.2' }, { name: 'd' }], { peers: ['imp03'] }),
        cluster('imp03', [{ name: 'y' }], { peers: [] }),
      ],
    });
    const change = await engine.applyInventory(after);
    expect(change).toEqual({ added: ['imp01/d', 'imp03/y'], removed: ['imp01/c', 'imp02/x'], replaced: ['imp01/b'], kept: ['imp01/a'], needsRestart: [] });
    expect(engine.clientsOf('imp01', 'a')).toBe(keptClients);
    expect(closed.sort()).toEqual(['imp01/b', 'imp01/c', 'imp02/x']);
    expect(engine.inventory).toBe(after);
    expect(engine.scheduler.tasks().map((t) => t.id).sort()).toEqual(['imp01/a/perfmon', 'imp01/b/perfmon', 'imp01/d/perfmon', 'imp03/y/perfmon']);
    expect(engine.store.list({ cluster: 'imp02' })).toEqual([]);
    expect(await engine.metrics.render()).not.toMatch(/node="x"/);
    polled.length = 0;
    await engine.runOnce();
    expect(polled.sort()).toEqual(['imp01/a@a#imp03', 'imp01/b@10.0.0.2#imp03', 'imp01/d@d#imp03', 'imp03/y@y#']);

    const limits = inventory({ limits: { maxConcurrentPolls: 3 }, clusters: [cluster('imp01', [{ name: 'a' }])] });
    expect((await engine.applyInventory(limits)).needsRestart).toEqual(['limits.maxConcurrentPolls']);
    await engine.stop();
  });

  it('stops within its deadline when a node does not let go of its sessions', async () => {
    const inv = inventory({ clusters: [cluster('imp01', [{ name: 'a' }])] });
    const factory = () => ({ close: () => new Promise<void>(() => undefined) }) as unknown as NodeClientHandle;
    const engine = new Engine(inv, { sources: [], clientsFactory: factory as never });
    const t = Date.now();
    expect(await engine.stop(300)).toEqual({ closed: false });
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

/** A PerfMon node in memory: handles it knows, and whether it can be reached. */
function fakeNode() {
  const open = new Set<string>();
  let n = 0;
  const state = { reachable: true, calls: [] as string[] };
  const client = {
    transport: { node: 'n1' },
    async openSession() {
      if (!state.reachable) throw new CollectError('connection', 'ECONNREFUSED');
      state.calls.push('open');
      const h = `h${++n}`;
      open.add(h);
      return h;
    },
    async closeSession(h: string) {
      if (!state.reachable) throw new CollectError('connection', 'ECONNREFUSED');
      state.calls.push(`close ${h}`);
      if (!open.delete(h)) throw new SoapFaultError('fault', 'soapenv:Server', `Invalid session handle: ${h}`, 'perfmonCloseSession');
    },
    async addCountersDetailed() {
      return { failed: [], requests: 1 };
    },
    async collectSessionData() {
      return [];
    },
  };
  return { open, state, client: client as unknown as PerfmonClient };
}

function memoryStore(rows: LedgerEntry[] = []): LedgerStore & { rows: LedgerEntry[] } {
  return {
    rows,
    load: () => [...rows],
    add: (e) => void rows.push(e),
    remove: (id, h) => {
      const i = rows.findIndex((r) => r.nodeId === id && r.handle === h);
      if (i >= 0) rows.splice(i, 1);
    },
  };
}

describe('PerfMon session ledger', () => {
  it('closes the sessions a crashed process left on the node before opening a new one', async () => {
    const node = fakeNode();
    const store = memoryStore();
    // First process: opens a session and dies without closing it.
    const first = new PerfmonSession(node.client, { ledger: new SessionLedger(store).forNode('imp01/n1', 'n1', 8443) });
    await first.ensure(['\\\\n1\\X\\y']);
    expect([...node.open]).toEqual(['h1']);
    expect(store.rows.map((r) => r.handle)).toEqual(['h1']);
    // Second process: same database.
    const second = new PerfmonSession(node.client, { ledger: new SessionLedger(store).forNode('imp01/n1', 'n1', 8443) });
    const r = await second.ensure(['\\\\n1\\X\\y']);
    expect(node.state.calls).toEqual(['open', 'close h1', 'open']);
    expect(r.requests).toBe(3); // close + open + add
    expect([...node.open]).toEqual(['h2']);
    expect(store.rows.map((x) => x.handle)).toEqual(['h2']);
    await second.close();
    expect(node.open.size).toBe(0);
    expect(store.rows).toEqual([]);
  });

  it('keeps a handle it could not close (node unreachable) and closes it once the node answers', async () => {
    const node = fakeNode();
    const store = memoryStore();
    const ledger = new SessionLedger(store);
    const s = new PerfmonSession(node.client, { ledger: ledger.forNode('imp01/n1', 'n1', 8443) });
    await s.ensure(['p']);
    node.state.reachable = false;
    await s.close();
    expect(store.rows.map((r) => r.handle)).toEqual(['h1']);
    await expect(s.ensure(['p'])).rejects.toThrow(/ECONNREFUSED/);
    node.state.reachable = true;
    await s.ensure(['p']);
    expect([...node.open]).toEqual(['h2']);
    expect(store.rows.map((r) => r.handle)).toEqual(['h2']);
  });

  it('forgets a handle the node no longer knows, and entries of nodes no longer configured there', async () => {
    const node = fakeNode();
    const store = memoryStore([
      { nodeId: 'imp01/n1', host: 'n1', port: 8443, handle: 'expired', openedAt: 1 },
      { nodeId: 'imp01/gone', host: 'g', port: 8443, handle: 'h9', openedAt: 1 },
      { nodeId: 'imp01/moved', host: 'old-address', port: 8443, handle: 'h8', openedAt: 1 },
    ]);
    const ledger = new SessionLedger(store);
    const gone = ledger.forgetExcept(new Map([['imp01/n1', { host: 'n1', port: 8443 }], ['imp01/moved', { host: 'new-address', port: 8443 }]]));
    expect(gone.map((e) => e.handle).sort()).toEqual(['h8', 'h9']);
    const s = new PerfmonSession(node.client, { ledger: ledger.forNode('imp01/n1', 'n1', 8443) });
    await s.ensure(['p']);
    expect(node.state.calls).toEqual(['close expired', 'open']);
    expect(store.rows.map((r) => r.handle)).toEqual(['h1']);
  });
});
