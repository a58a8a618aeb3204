// The embedded evaluator reads exactly what /metrics exposes (the registry's samples() against
// its render()), and keeps the history offsets and ranges need, with Prometheus' staleness.
import { describe, expect, it } from 'vitest';
import type { InventoryCluster, InventoryNode } from '../../config/resolve';
import { ObservationStore } from '../../collectors/engine/store';
import { metrics, type MetricId } from '../../collectors/metrics/catalogue';
import type { DerivedValue } from '../../collectors/metrics/derived';
import { CollectorMetrics, type EngineView } from '../../collectors/metrics/registry';
import { allSources } from '../../collectors/sources';
import { LiveSource } from '../../alerts/live-source';
import { evaluate } from '../../alerts/evaluate';
import { Q } from '../../alerts/language';

const cluster = { name: 'imp01', product: 'imp' } as InventoryCluster;
const nodes = ['imp01-pub', 'imp01-sub1'];

function registry(): { store: ObservationStore; m: CollectorMetrics } {
  const store = new ObservationStore();
  const byName = new Map(allSources.map((s) => [s.name, s]));
  for (const node of nodes) {
    store.recordSuccess('imp01', node, 'services', 60_000, byName.get('services')!.schema.parse({
      via: 'controlcenter',
      services: [
        { name: 'Cisco XCP Router', status: 'Started', reasonCode: -1, reason: null, startTime: 1.7e9 },
        { name: 'Cisco Presence Engine', status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null },
      ],
    }), 5);
    store.recordSuccess('imp01', node, 'ha', 30_000, byName.get('ha')!.schema.parse({ self: { group: 'g1', index: 1, node, state: 'Normal', reason: null }, lines: [] }), 5);
    store.recordSuccess('imp01', node, 'certificates', 3_600_000, byName.get('certificates')!.schema.parse({
      certificates: [{ source: 'tls', store: 'own', unit: 'cup', port: '5061', subject: 'CN=x', issuer: 'CN=x', serial: '01', sans: [], notBefore: 1.7e12, notAfter: 1.8e12, daysLeft: 100, selfSigned: true, trusted: false }],
      errors: [],
    }), 5);
  }
  store.recordFailure('imp01', 'imp01-sub1', 'perfmon', 30_000, 'timeout', 'no answer', 30_000);
  const view: EngineView = {
    version: '0.1.0',
    shard: '2/3',
    nodeCount: () => nodes.length,
    budgets: () => [],
    backoffs: () => [],
    nodes: () => nodes.map((name) => ({ cluster, node: { name, product: 'imp', role: 'subscriber' } as InventoryNode })),
  };
  return { store, m: new CollectorMetrics(store, new Map(allSources.map((s) => [s.name, s])), view) };
}

function asLines(samples: ReadonlyMap<MetricId, readonly DerivedValue[]>): string[] {
  const out: string[] = [];
  for (const [id, list] of samples) {
    const def = metrics[id];
    for (const s of list) {
      const l = def.labels.map((k) => `${k}="${(s.labels[k] ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
      out.push(`${def.name}${l ? `{${l}}` : ''} ${s.value}`);
    }
  }
  return out.sort();
}

describe("the registry's samples()", () => {
  it('are exactly the gauge samples /metrics renders', async () => {
    const { m } = registry();
    const text = await m.render();
    const gauges = new Set<string>(Object.values(metrics).filter((d) => d.type === 'gauge').map((d) => d.name));
    const rendered = text
      .split('\n')
      .filter((l) => l && !l.startsWith('#') && gauges.has(l.split(/[{ ]/)[0]))
      .sort();
    expect(asLines(m.samples())).toEqual(rendered);
    expect(rendered.length).toBeGreaterThan(50);
    expect(rendered).toContain('impulse_collector_shards 3');
    expect(rendered).toContain('impulse_certificate_verified{cluster="imp01",node="imp01-pub",unit="cup",port="5061"} 0');
  });

  it('return only the metrics asked for, and follow new polls', () => {
    const { m, store } = registry();
    const ids = new Set<MetricId>(['serviceStatus', 'lastError']);
    const first = m.samples(ids);
    expect([...first.keys()].sort()).toEqual(['lastError', 'serviceStatus']);
    expect(first.get('lastError')).toEqual([{ labels: { cluster: 'imp01', node: 'imp01-sub1', source: 'perfmon', reason: 'timeout' }, value: 1 }]);
    store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, { via: 'controlcenter', services: [{ name: 'Cisco Presence Engine', status: 'Started', reasonCode: -1, reason: null, startTime: 1.7e9 }] }, 5);
    const started = m.samples(ids).get('serviceStatus')!.filter((s) => s.labels.node === 'imp01-pub' && s.labels.status === 'Started');
    expect(started).toEqual([{ labels: { cluster: 'imp01', node: 'imp01-pub', service: 'Cisco Presence Engine', status: 'Started' }, value: 1 }]);
  });
});

describe('LiveSource', () => {
  it('selects from each observation once and reselects when a poll replaces it, with the same result as filtering everything', () => {
    const { m, store } = registry();
    const reads = new Map<MetricId, number>([['serviceStatus', 0], ['haNodeState', 0]]);
    const live = new LiveSource(m, reads);
    const plain = new LiveSource({ samples: (ids) => m.samples(ids) }, reads);
    const down = Q.metric(metrics.serviceStatus, { status: 'Started' }).eq(0).maxBy('cluster', 'node', 'service').expr;
    const check = (t: number) => {
      live.refresh(t);
      plain.refresh(t);
      const a = evaluate(down, live, t);
      expect(a).toEqual(evaluate(down, plain, t));
      return a.map((x) => x.labels.node).sort();
    };
    expect(check(1000)).toEqual(['imp01-pub', 'imp01-sub1']);
    const groups = m.sampleGroups(new Set<MetricId>(['serviceStatus'])).get('serviceStatus')!;
    expect(m.sampleGroups(new Set<MetricId>(['serviceStatus'])).get('serviceStatus')).toEqual(groups);
    expect(m.sampleGroups(new Set<MetricId>(['serviceStatus'])).get('serviceStatus')![0]).toBe(groups[0]); // the same array while unchanged
    expect(check(2000)).toEqual(['imp01-pub', 'imp01-sub1']);
    store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, { via: 'controlcenter', services: [{ name: 'Cisco Presence Engine', status: 'Started', reasonCode: -1, reason: null, startTime: 1.7e9 }] }, 5);
    expect(check(3000)).toEqual(['imp01-sub1']);
  });

  class Reader {
    queue = new Map<string, number>();
    samples(): ReadonlyMap<MetricId, readonly DerivedValue[]> {
      return new Map([['replicationQueueDepth', [...this.queue].map(([node, value]) => ({ labels: { cluster: 'c', node }, value }))]]);
    }
  }

  it('answers offsets and max_over_time from the evaluations it saw, and forgets a vanished series', () => {
    const r = new Reader();
    const src = new LiveSource(r, new Map<MetricId, number>([['replicationQueueDepth', 600]]));
    const min = 60_000;
    const at = (m: number) => m * min;
    const values = [0, 0, 10, 10, 10, 40];
    values.forEach((v, m) => {
      r.queue.set('n1', v);
      if (m < 3) r.queue.set('n2', 5);
      else r.queue.delete('n2');
      src.refresh(at(m));
    });
    const offset = (o: number) => evaluate(Q.metric(metrics.replicationQueueDepth, {}, { offset: o * 60 }).expr, src, at(5)).map((s) => [s.labels.node, s.value]);
    expect(offset(0)).toEqual([['n1', 40]]);
    expect(offset(1)).toEqual([['n1', 10]]);
    expect(offset(4)).toEqual([['n1', 0], ['n2', 5]]);
    // n2 vanished at minute 3: stale from then on.
    expect(offset(2).sort()).toEqual([['n1', 10]]);
    const growth = evaluate(Q.metric(metrics.replicationQueueDepth).minus(Q.metric(metrics.replicationQueueDepth, {}, { offset: 180 })).expr, src, at(5));
    expect(growth.map((s) => s.value)).toEqual([30]);
    const max = evaluate(Q.maxOverTime(metrics.replicationQueueDepth, 600).expr, src, at(5));
    expect(max.map((s) => [s.labels.node, s.value]).sort()).toEqual([['n1', 40], ['n2', 5]]);
    // Runs of equal values are kept once: 4 runs for n1 (0, 10, 40 and the start), 1 for n2.
    expect(src.historySize()).toBeLessThanOrEqual(4);
  });
});
