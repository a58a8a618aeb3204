// A chart's data from both history back ends agree: the lab, one collector (serving /metrics and
// recording into the embedded store), and a real Prometheus scraping it. For a node's charts, the
// embedded store and Prometheus' query_range give the same series, the same lines, and the same
// values at Prometheus' timestamps (within a scrape interval's lag).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded, type Inventory } from '../../config/resolve';
import { createCollector, startMetricsServer, type Collector, type MetricsServer } from '../../collectors/index';
import { PrometheusHistory } from '../../collectors/history/prometheus';
import type { HistoryResult, Point } from '../../collectors/history/types';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { HistoryService } from '../../server/services/history';
import type { ImpulseRuntime } from '../../server/runtime';
import { startLab, type LabHandle } from '../../lab/index';
import { until } from '../helpers/net';
import { hasPrometheus, startPrometheus, type RunningPrometheus } from '../helpers/prometheus';

const HOST = '127.113.0.1';
const SCRAPE_S = 1;

let dir: string;
let lab: LabHandle;
let collector: Collector;
let metricsServer: MetricsServer;
let db: ImpulseDatabase;
let svc: HistoryService;
let rt: ImpulseRuntime;
let inventory: Inventory;
let prom: RunningPrometheus | undefined;
let promUrl = '';
const logs: string[] = [];
const context = () => [...logs, ...(prom?.logs ?? [])].slice(-30).join('');

beforeAll(async () => {
  if (!hasPrometheus) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-e2e-history-'));
  lab = await startLab({ clusters: 1, nodes: 2, usersPerCluster: 300, addressBase: '127.112', controlPort: 0, dir });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Short intervals so a minute holds many samples (within the lab's 50 PerfMon requests a minute).
  cfg.polling = { perfmon: '3s', ha: '3s', services: '10s', replication: '5s' };
  cfg.limits = { requestTimeout: 2, cliCommandTimeout: 4 };
  writeFileSync(file, stringify(cfg));
  inventory = resolveLoaded(loadConfigFile(file));

  collector = createCollector(inventory);
  metricsServer = await startMetricsServer(collector, { host: HOST, port: 0 });
  db = openDatabase({ dataDir: path.join(dir, 'data') });
  rt = { configPath: file, config: {} as never, inventory, dataDir: dir, collector, db, startedAt: Date.now(), log: (l) => logs.push(`[history] ${l}\n`) };
  svc = new HistoryService({ flushIntervalMs: 500 });
  await svc.start(rt);
  await collector.start();

  prom = await startPrometheus({ host: HOST, dir: path.join(dir, 'prometheus'), targets: [metricsServer.url.replace('http://', '')], scrapeIntervalS: SCRAPE_S });
  promUrl = prom.url;
}, 240_000);

afterAll(async () => {
  await prom?.stop();
  await svc?.stop();
  await collector?.stop();
  await metricsServer?.close();
  db?.close();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The embedded store's value in effect at `t`: the latest point at or before it. */
function valueAt(points: Point[], t: number): number | undefined {
  let v: number | undefined;
  for (const p of points) {
    if (p.t > t) break;
    v = p.v;
  }
  return v;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe.skipIf(!hasPrometheus)('a node\'s charts from the embedded store and from Prometheus', () => {
  it('give the same series, the same lines and the same values', async () => {
    const node = 'imp01-pub';
    const prometheus = new PrometheusHistory({ url: promUrl, trust: { mode: 'system' }, timeoutMs: 10_000, inventory });
    const t0 = Date.now();
    // Let a minute of samples accumulate in both (Prometheus' first scrapes included).
    await until(
      '20 PerfMon polls in both back ends',
      120_000,
      async () => {
        if (Date.now() - t0 < 60_000) return undefined;
        const r = await prometheus.query({ cluster: 'imp01', node, series: ['cpu'], from: t0, to: Date.now() });
        return (r.series[0].lines[0]?.points.length ?? 0) >= 20 ? true : undefined;
      },
      context,
    );
    svc.tick();
    const from = t0 + 10_000;
    const to = Date.now() - 2_000;
    const q = { cluster: 'imp01', node, from, to };
    const [embedded, remote]: HistoryResult[] = await Promise.all([rt.history!.query(q), prometheus.query(q)]);
    expect(embedded.backend).toBe('sqlite');
    expect(remote.backend).toBe('prometheus');
    // Same series, in the same order, with the same step.
    expect(remote.series.map((s) => [s.id, s.stepMs])).toEqual(embedded.series.map((s) => [s.id, s.stepMs]));
    const compared: string[] = [];
    for (const e of embedded.series) {
      const r = remote.series.find((s) => s.id === e.id)!;
      // Same lines (a series the node does not have is empty in both).
      expect(r.lines.map((l) => l.key), e.id).toEqual(e.lines.map((l) => l.key));
      for (const line of e.lines) {
        const rl = r.lines.find((l) => l.key === line.key)!;
        expect(rl.labels).toEqual(line.labels);
        let matched = 0;
        for (const p of rl.points) {
          // Prometheus shows what it scraped up to one scrape interval before p.t. Before the
          // embedded store's first sample of a line there is nothing to compare (a source not
          // polled yet is exported as down, and only recorded once it is polled).
          const earlier = valueAt(line.points, p.t - 1500 * SCRAPE_S);
          if (earlier === undefined) continue;
          const candidates = [valueAt(line.points, p.t)!, earlier];
          expect(candidates.some((v) => close(v, p.v)), `${e.id}/${line.key} at ${new Date(p.t).toISOString()}: prometheus ${p.v}, embedded ${candidates.join(' or ')}`).toBe(true);
          matched++;
        }
        // A source first polled at the very end of the window (daily ones start within a minute) has nothing to compare yet.
        if (matched > 0) compared.push(`${e.id}/${line.key}`);
      }
    }
    // The charts that matter were compared, not just an empty set.
    expect(compared.length).toBeGreaterThanOrEqual(40);
    expect(compared).toEqual(expect.arrayContaining(['cpu/', 'memory/', 'jsm-sessions/client', 'partitions/Active', 'process-memory/jabberd', 'replication-setup/', 'target-up/perfmon', 'poll-duration/perfmon']));
    prometheus.close();
  });

  it('long ranges: 5-minute rollups with min ≤ avg ≤ max in both, at the same bucket times', async () => {
    const prometheus = new PrometheusHistory({ url: promUrl, trust: { mode: 'system' }, timeoutMs: 10_000, inventory });
    const now = Date.now();
    const q = { cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: now - 7 * 86_400_000, to: now };
    const [embedded, remote] = await Promise.all([rt.history!.query(q), prometheus.query(q)]);
    for (const r of [embedded, remote]) {
      expect(r.series[0].stepMs).toBe(300_000);
      const points = r.series[0].lines[0].points;
      expect(points.length).toBeGreaterThan(0);
      for (const p of points) {
        expect(p.t % 300_000).toBe(0);
        expect(p.min!).toBeLessThanOrEqual(p.v + 1e-12);
        expect(p.max!).toBeGreaterThanOrEqual(p.v - 1e-12);
      }
    }
    // The bucket of the current 5 minutes is in both.
    const last = (r: HistoryResult) => r.series[0].lines[0].points.at(-1)!.t;
    expect(Math.abs(last(embedded) - last(remote))).toBeLessThanOrEqual(300_000);
    // A chart asking for few points: the same coarser step, buckets at the same times.
    const few = { cluster: 'imp01', node: 'imp01-pub', series: ['cpu', 'partitions'], from: now - 3_600_000, to: now, maxPoints: 10 };
    const [e2, r2] = await Promise.all([rt.history!.query(few), prometheus.query(few)]);
    expect(r2.series.map((s) => [s.id, s.stepMs, s.lines.map((l) => l.key)])).toEqual(e2.series.map((s) => [s.id, 360_000, s.lines.map((l) => l.key)]));
    const times = (r: HistoryResult) => new Set(r.series[0].lines[0].points.map((p) => p.t));
    expect([...times(e2)].filter((t) => times(r2).has(t)).length).toBeGreaterThan(0);
    prometheus.close();
  });
});
