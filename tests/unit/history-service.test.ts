// The history service on a runtime: observations become chart points through the collector's own
// emit path and state changes become events; without a database both say why they are
// unavailable (and the collector is untouched); with an unreachable Prometheus charts say so while
// events are still recorded; stop() writes what is pending.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../config/resolve';
import { resolveInventory } from '../../config/resolve';
import { parseConfig } from '../../config/load';
import { ObservationStore } from '../../collectors/engine/store';
import { CollectorMetrics, type EngineView, type MetricsEmitter } from '../../collectors/metrics/registry';
import { allSources } from '../../collectors/sources';
import { DatabaseError, openDatabase } from '../../db/index';
import { HistoryService } from '../../server/services/history';
import type { ImpulseRuntime, RuntimeCollector } from '../../server/runtime';
import type { SourceName } from '../../config/schema';

const dir = () => mkdtempSync(path.join(tmpdir(), 'impulse-history-svc-'));

function inventory(extra = ''): Inventory {
  const cfg = parseConfig(
    `clusters:
  - name: imp01
    product: imp
    publisher: imp01-pub
    nodes: [{ name: imp01-pub }, { name: imp01-sub1 }]
    credentials: { axl: { username: a, password: env:X } }
${extra}`,
    'site.yaml',
    { dir: dir() },
  );
  return resolveInventory(cfg, { dir: dir() });
}

function collector(): RuntimeCollector {
  const store = new ObservationStore();
  const view: EngineView = { version: '0', shard: '1/1', nodeCount: () => 0, nodes: () => [], budgets: () => [], backoffs: () => [] };
  const emitters = new Map<SourceName, MetricsEmitter>(allSources.map((s) => [s.name, s as MetricsEmitter]));
  const metrics = new CollectorMetrics(store, emitters, view);
  return { store, inventory: {} as never, engine: { metrics } as never };
}

function runtime(inv: Inventory, c: RuntimeCollector, db?: ReturnType<typeof openDatabase>, dbError?: string, logs: string[] = []): ImpulseRuntime {
  return { configPath: 'x', config: {} as never, inventory: inv, dataDir: '', collector: c, db, dbError, startedAt: Date.now(), log: (l) => logs.push(l) };
}

const perfmon = (cpu: number) => ({
  samples: [
    { object: 'Processor', instance: '_Total', counter: '% CPU Time', value: cpu, extra: false },
    { object: 'Partition', instance: 'Active', counter: '% Used', value: 61, extra: false },
    { object: 'Cisco XCP JSM', counter: 'JsmClientSessionsActive', value: 900, extra: false },
  ],
  requests: 1,
  sessionOpened: false,
  rejected: [],
  pending: 0,
});
const services = (status: 'Started' | 'Stopped') => ({
  via: 'controlcenter',
  services: [{ name: 'Cisco XCP Router', status, reasonCode: status === 'Started' ? -1 : -1019, reason: status === 'Started' ? null : 'Component is not running', startTime: null }],
});

describe('history service', () => {
  it('records chart points through the emit path and events from state changes', async () => {
    const db = openDatabase({ dataDir: dir() });
    const c = collector();
    const rt = runtime(inventory(), c, db);
    const svc = new HistoryService({ flushIntervalMs: 60_000 });
    await svc.start(rt);
    expect(rt.history?.kind).toBe('sqlite');
    c.store.recordSuccess('imp01', 'imp01-pub', 'perfmon', 30_000, perfmon(37), 12);
    c.store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, services('Started'), 10);
    svc.tick();
    await new Promise((r) => setTimeout(r, 5));
    c.store.recordSuccess('imp01', 'imp01-pub', 'perfmon', 30_000, perfmon(45), 12);
    c.store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, services('Stopped'), 10);
    c.store.recordFailure('imp01', 'imp01-sub1', 'perfmon', 30_000, 'connection', 'ECONNREFUSED', 3);
    await svc.stop(); // writes the pending batch

    const now = Date.now();
    const res = await rt.history!.query({ cluster: 'imp01', node: 'imp01-pub', from: now - 60_000, to: now });
    const byId = new Map(res.series.map((s) => [s.id, s]));
    expect(byId.get('cpu')!.lines[0].points.map((p) => p.v)).toEqual([0.37, 0.45]);
    expect(byId.get('partitions')!.lines.map((l) => l.key)).toEqual(['Active']);
    // JSM capacity is derived by the source's emit(), not recomputed here.
    expect(byId.get('jsm-capacity')!.lines[0].points[0].v).toBeCloseTo(900 / 37_500, 12);
    expect(byId.get('target-up')!.lines.map((l) => [l.key, l.points.map((p) => p.v)])).toEqual([
      ['perfmon', [1, 1]],
      ['services', [1, 1]],
    ]);
    const sub = await rt.history!.query({ cluster: 'imp01', node: 'imp01-sub1', series: ['target-up', 'poll-duration'], from: now - 60_000, to: now });
    expect(sub.series[0].lines[0].points.map((p) => p.v)).toEqual([0]);
    expect(sub.series[1].lines[0].points.map((p) => p.v)).toEqual([0.003]);
    // The service change is an event; the baseline and the failing sub's first sight are not.
    expect(rt.events!.list({}).map((e) => `${e.node} ${e.kind} ${e.subject}: ${e.from} → ${e.to}`)).toEqual(['imp01-pub service Cisco XCP Router: Started → Stopped']);
    db.close();
  });

  it('without a database: history and events unavailable with the reason, the collector untouched', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'impulse.db'), 'not a database '.repeat(100));
    let dbError = '';
    try {
      openDatabase({ dataDir: d });
    } catch (err) {
      dbError = (err as DatabaseError).message;
    }
    expect(dbError).toMatch(/move it aside/);
    const c = collector();
    const rt = runtime(inventory(), c, undefined, dbError);
    const svc = new HistoryService();
    await svc.start(rt);
    expect(rt.history!.status()).toEqual({ available: false, reason: `history is unavailable: the database is not available (${dbError})` });
    await expect(rt.history!.query({ cluster: 'imp01', node: 'imp01-pub', from: 0, to: 1 })).rejects.toThrow(/history is unavailable/);
    expect(rt.events!.status()).toMatchObject({ available: false, reason: expect.stringMatching(/^events are not recorded: .*move it aside/) });
    expect(rt.events!.list({})).toEqual([]);
    expect(c.store.listenerCount('update')).toBe(0);
    await svc.stop();
  });

  it('with an unreachable Prometheus: charts unavailable with the reason, events still recorded', async () => {
    const db = openDatabase({ dataDir: dir() });
    const c = collector();
    const logs: string[] = [];
    const rt = runtime(inventory(`prometheus: { url: 'http://127.110.0.3:1', timeout: 2s }\n`), c, db, undefined, logs);
    const svc = new HistoryService({ flushIntervalMs: 60_000 });
    await svc.start(rt);
    expect(rt.history!.kind).toBe('prometheus');
    expect(rt.history!.status()).toMatchObject({ available: false, reason: expect.stringMatching(/Prometheus at http:\/\/127\.110\.0\.3:1 is unreachable: ECONNREFUSED/) });
    expect(logs.filter((l) => l.includes('ECONNREFUSED'))).toHaveLength(2);
    c.store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, services('Started'), 10);
    svc.tick();
    c.store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, services('Stopped'), 10);
    await svc.stop();
    expect(rt.events!.list({})).toMatchObject([{ subject: 'Cisco XCP Router', to: 'Stopped' }]);
    // Nothing was written to the embedded history in Prometheus mode.
    expect(db.sqlite.prepare('select count(*) as n from history_head').get()).toEqual({ n: 0 });
    db.close();
  });
});
