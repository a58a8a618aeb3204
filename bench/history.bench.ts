// Embedded history at the full mesh: 30 × (6 IM&P + 1 CUCM) = 210 nodes, ~11,400 chart lines
// (bench/history-sim.ts), at the default intervals.
//
// Figures (issue 7):
//   - database size at full retention (30 days of 5-minute rollups + 48 h of raw samples + the
//     current hour), ≤ 1 GB, beside the size the same samples would take as one row each;
//   - a node page's 24 h charts, every series, from SQLite: p50/p95, ≤ 50 ms, beside Prometheus'
//     query_range for the same charts in the same run (Debian's prometheus with the same samples
//     of the queried nodes backfilled through promtool), when it is installed;
//   - history write cost in cores at the full mesh's sample rate (≤ 0.05): observations through
//     the collector's emit path, the recorder, batched writes, compaction, rollups and the event
//     detector, over two simulated hours, beside unbatched writes (a transaction per sample).
//
// The store is written directly, not waited for: raw hours and the head from the signal model;
// rollup days from a pool of 8 day-blobs per line template and slot, encoded from the same
// model, so each row has the size a real day of that line has without encoding 30 × 11,400 days.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type ImpulseDatabase } from '../db/index';
import { historyTables } from '../db/history';
import { encodeRaw, encodeRollupDay } from '../db/history-codec';
import { SqliteHistory } from '../collectors/history/sqlite';
import { PrometheusHistory } from '../collectors/history/prometheus';
import { metrics } from '../collectors/metrics/catalogue';
import { seriesById } from '../collectors/metrics/series';
import { ObservationStore } from '../collectors/engine/store';
import { CollectorMetrics, type EngineView, type MetricsEmitter } from '../collectors/metrics/registry';
import { allSources } from '../collectors/sources';
import type { SourceName } from '../config/schema';
import { defaultThresholds } from '../config/schema';
import type { Inventory } from '../config/resolve';
import { HistoryService } from '../server/services/history';
import type { ImpulseRuntime } from '../server/runtime';
import { DAY, HOUR, fleet, linesOf, samplesOf, sourcesOf, type SimLine, type SimNode } from './history-sim';
import { hasPrometheus, startPrometheus, type RunningPrometheus } from '../tests/helpers/prometheus';
import { report } from './report';

const HOST = '127.114.0.1';
const RAW_HOURS = 48;
const ROLLUP_DAYS = 30;
const POOL = 8;
const NOW = Math.floor(Date.now() / 1000) * 1000;
const work = mkdtempSync(path.join(tmpdir(), 'impulse-bench-history-'));
const nodes = fleet();
const template = (n: SimNode) => `${n.product}-${n.publisher ? 'pub' : 'sub'}`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
let ok = true;

function mb(bytes: number): number {
  return bytes / 1024 / 1024;
}

/** Writes 30 days of a full mesh into a fresh database; returns it and the line count. */
function buildFullRetention(db: ImpulseDatabase): { lines: number; samples: number } {
  const t = historyTables(db);
  const pool = new Map<string, Buffer[]>();
  const dayNow = Math.floor(NOW / DAY) * DAY;
  const hourNow = Math.floor(NOW / HOUR) * HOUR;
  let lines = 0;
  let samples = 0;
  for (const n of nodes) {
    const ls = linesOf(n);
    db.write('bench', () => {
      ls.forEach((l, slot) => {
        const id = t.seriesId({ cluster: n.cluster, node: n.name, series: l.series, line: l.line });
        lines++;
        // Rollups: every complete day within 30 days.
        const key = `${template(n)}/${slot}`;
        let blobs = pool.get(key);
        if (!blobs) {
          blobs = [];
          for (let k = 0; k < POOL; k++) {
            const day = dayNow - (k + 3) * DAY;
            blobs.push(encodeRollupDay(day, samplesOf(l, day, day + DAY)).blob);
          }
          pool.set(key, blobs);
        }
        for (let d = 1; d <= ROLLUP_DAYS; d++) {
          const blob = blobs[(lines + d) % POOL];
          t.putRollup(id, dayNow - d * DAY, 0, blob);
        }
        // Raw: the last 48 closed hours, then the current hour in the head.
        for (let h = RAW_HOURS; h >= 1; h--) {
          const start = hourNow - h * HOUR;
          const s = samplesOf(l, start, start + HOUR);
          if (s.length === 0) continue;
          samples += s.length;
          t.putRaw(id, start, s.length, encodeRaw(s));
        }
        for (const s of samplesOf(l, hourNow, NOW)) {
          t.insertHead(id, s.t, s.v);
          samples++;
        }
      });
    });
  }
  return { lines, samples };
}

/** Bytes per row of a row-per-sample table (the layout the blobs replace), measured. */
function rowPerSampleBytes(): number {
  const db = openDatabase({ dataDir: path.join(work, 'rows') });
  db.sqlite.exec('create table s (series_id integer not null, t integer not null, v real not null, primary key (series_id, t)) without rowid');
  const before = db.sqlite.pragma('page_count', { simple: true }) as number;
  const ins = db.sqlite.prepare('insert into s values (?, ?, ?)');
  const lines = linesOf(nodes[1]);
  const N = 400_000;
  db.write('bench', () => {
    let i = 0;
    for (let id = 0; i < N; id++) for (const s of samplesOf(lines[id % lines.length], NOW - HOUR, NOW)) if (i++ < N) ins.run(id, s.t, s.v);
  });
  const bytes = ((db.sqlite.pragma('page_count', { simple: true }) as number) - before) * (db.sqlite.pragma('page_size', { simple: true }) as number);
  db.close();
  return bytes / N;
}

/** Backfills the queried nodes' last 48 h into a Prometheus TSDB and starts Prometheus on it. */
async function startBackfilledPrometheus(queried: SimNode[]): Promise<RunningPrometheus | undefined> {
  if (!hasPrometheus || !existsSync('/usr/bin/promtool')) return undefined;
  const dir = path.join(work, 'prom');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'backfill.om');
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  // OpenMetrics groups samples by family; one family per catalogue metric.
  const byMetric = new Map<string, Array<{ n: SimNode; l: SimLine }>>();
  for (const n of queried) for (const l of linesOf(n)) {
    const name = metrics[seriesById.get(l.series)!.metric].name;
    byMetric.set(name, [...(byMetric.get(name) ?? []), { n, l }]);
  }
  for (const [name, list] of byMetric) {
    await write(`# TYPE ${name} gauge\n`);
    for (const { n, l } of list) {
      const split = seriesById.get(l.series)!.splitBy;
      const labels = `cluster="${n.cluster}",node="${n.name}"${split ? `,${split}="${l.line}"` : ''}`;
      let chunk = '';
      for (const s of samplesOf(l, NOW - RAW_HOURS * HOUR, NOW)) {
        chunk += `${name}{${labels}} ${s.v} ${(s.t / 1000).toFixed(3)}\n`;
        if (chunk.length > 1 << 16) {
          await write(chunk);
          chunk = '';
        }
      }
      await write(chunk);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
  const tsdb = path.join(dir, 'tsdb');
  const made = spawnSync('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, tsdb], { encoding: 'utf8' });
  if (made.status !== 0) {
    console.log(`promtool could not backfill: ${made.stderr || made.stdout}`);
    return undefined;
  }
  try {
    return await startPrometheus({ host: HOST, dir, tsdb });
  } catch (err) {
    console.log(`prometheus did not start: ${(err as Error).message}`);
    return undefined;
  }
}

/** Two simulated hours of the full mesh through the real recording path; CPU of the second hour. */
function measureWriteCost(): { cores: number; samplesPerSecond: number; events: number; unbatchedCores: number } {
  let now = Math.floor(NOW / HOUR) * HOUR + 10 * 60_000;
  const clock = { now: () => now };
  const store = new ObservationStore(clock);
  const view: EngineView = { version: '0', shard: '1/1', nodeCount: () => nodes.length, nodes: () => [], budgets: () => [], backoffs: () => [] };
  const emitters = new Map<SourceName, MetricsEmitter>(allSources.map((s) => [s.name, s as MetricsEmitter]));
  const registry = new CollectorMetrics(store, emitters, view);
  const db = openDatabase({ dataDir: path.join(work, 'write') });
  const inventory = { thresholds: { ...defaultThresholds }, clusters: [], nodes: [] } as unknown as Inventory;
  const rt: ImpulseRuntime = { configPath: '', config: {} as never, inventory, dataDir: work, collector: { store, inventory, engine: { metrics: registry } as never }, db, startedAt: now, log: (l) => console.log(`  history: ${l}`) };
  const svc = new HistoryService({ flushIntervalMs: 1e9, now: clock.now });
  // Per node: its polls (source, interval, phase) and a perfmon observation model.
  const plans = nodes.map((n) => ({ n, lines: linesOf(n), sources: sourcesOf(n).map(([s, iv], i) => ({ s: s as SourceName, iv: iv * 1000, phase: ((i * 7919 + n.name.length * 104_729) % iv) * 1000 })) }));
  const perfmonOf = (n: SimNode, lines: SimLine[], t: number) => ({ samples: perfmonSamples(n, lines, t), requests: 1, sessionOpened: false, rejected: [], pending: 0 });
  const cluster = new Map<string, SimNode[]>();
  for (const n of nodes) cluster.set(n.cluster, [...(cluster.get(n.cluster) ?? []), n]);
  let cpuUs = 0;
  void svc.start(rt);
  const end = now + 2 * HOUR;
  const measureFrom = now + HOUR;
  for (; now < end; now += 1000) {
    for (const p of plans) {
      for (const src of p.sources) {
        if ((now - src.phase) % src.iv !== 0) continue;
        const value =
          src.s === 'perfmon' ? perfmonOf(p.n, p.lines, now)
          : src.s === 'services' ? servicesValue(p.n)
          : src.s === 'ha' ? { self: { group: `${p.n.cluster}-prg`, index: 1, node: p.n.name, state: 'Normal', reason: null }, lines: [] }
          : src.s === 'replication' ? { status: 'ok', servers: cluster.get(p.n.cluster)!.map((m, i) => ({ name: m.name, ip: `10.0.0.${i}`, pingMs: 0.163, flags: 'Y/Y/Y', queue: 0, groupId: 'g_2', setupState: 2, details: 'Setup Completed' })) }
          : src.s === 'certificates' ? { certificates: [], errors: [] }
          : {};
        store.recordSuccess(p.n.cluster, p.n.name, src.s, src.iv, value, 0);
        const e = store.get(p.n.cluster, p.n.name, src.s)!;
        e.durationMs = 120;
      }
    }
    if ((now / 1000) % 5 === 0) {
      const c0 = process.cpuUsage();
      svc.tick();
      const c = process.cpuUsage(c0);
      if (now >= measureFrom) cpuUs += c.user + c.system;
    }
  }
  const events = db.sqlite.prepare('select count(*) as n from events').get() as { n: number };
  void svc.stop();
  // Unbatched: one transaction per sample, the cost batching avoids.
  const ins = db.sqlite.prepare('insert or replace into history_head (series_id, t, v) values (?, ?, ?)');
  const N = 3000;
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) db.write('bench', () => ins.run(1, NOW + i, i));
  const c = process.cpuUsage(c0);
  const perSampleUs = (c.user + c.system) / N;
  db.close();
  // The full mesh's sample rate: every line at its interval.
  const samplesPerSecond = plans.reduce((a, p) => a + p.lines.reduce((b, l) => b + 1000 / l.intervalMs, 0), 0);
  return { cores: cpuUs / 1e6 / 3600, samplesPerSecond, events: events.n, unbatchedCores: (perSampleUs * samplesPerSecond) / 1e6 };
}

const PERFMON_OF: Record<string, (l: SimLine) => { object: string; counter: string; instance?: string; scale: number }> = {
  'jsm-sessions': (l) => ({ object: 'Cisco XCP JSM', counter: ({ client: 'JsmClientSessionsActive', phantom: 'JsmPhantomSessionsActive', hybrid: 'JsmHybridSessionsActive', composed: 'JsmSessionsComposed', im: 'JsmIMSessions', 'client-active': 'JsmSessionsClient', 'client-inactive': 'JsmSessionsClientInactive' } as Record<string, string>)[l.line], scale: 1 }),
  'active-jsm-sessions': () => ({ object: 'Cisco Presence Engine', counter: 'ActiveJsmSessions', scale: 1 }),
  'presence-subscriptions': (l) => ({ object: 'Cisco Presence Engine', counter: l.line, scale: 1 }),
  'xcp-sockets': (l) => ({ object: l.line, counter: l.line === 'Cisco XCP CM' ? 'CmConnectedSockets' : 'WebCMConnectedSockets', scale: 1 }),
  cpu: () => ({ object: 'Processor', instance: '_Total', counter: '% CPU Time', scale: 100 }),
  memory: () => ({ object: 'Memory', counter: '% Mem Used', scale: 100 }),
  partitions: (l) => ({ object: 'Partition', instance: l.line, counter: '% Used', scale: 100 }),
  'process-cpu': (l) => ({ object: 'Process', instance: l.line, counter: '% CPU Time', scale: 100 }),
  'process-memory': (l) => ({ object: 'Process', instance: l.line, counter: 'VmRSS', scale: 1 / 1024 }),
  'replicate-state': () => ({ object: 'Number of Replicates Created and State of Replication', instance: 'ReplicateCount', counter: 'Replicate_State', scale: 1 }),
  'er-queue': () => ({ object: 'Enterprise Replication Perfmon Counters', instance: 'ER', counter: 'ReplicationQueueDepth', scale: 1 }),
  'db-space': () => ({ object: 'DB Local_DSN', counter: 'CcmDbSpace_Used', scale: 100 }),
};

/** What a PerfMon poll of the node returns at t: the counters behind its perfmon chart lines. */
function perfmonSamples(n: SimNode, lines: SimLine[], t: number) {
  const out: Array<{ object: string; instance?: string; counter: string; value: number; extra: boolean }> = [];
  for (const l of lines) {
    const m = PERFMON_OF[l.series]?.(l);
    if (!m) continue;
    out.push({ object: m.object, instance: m.instance, counter: m.counter, value: Math.round(l.value(t) * m.scale), extra: false });
  }
  if (n.product === 'imp') out.push({ object: 'Cisco XCP JSM', counter: 'JSMSessionsExceedsThreshold', value: 0, extra: false });
  return out;
}

const SERVICE_NAMES = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'Cisco XCP Router' : `Cisco Service ${i}`));
function servicesValue(_n: SimNode) {
  return { via: 'controlcenter', services: SERVICE_NAMES.map((name) => ({ name, status: 'Started', reasonCode: -1, reason: null, startTime: null })) };
}

async function main(): Promise<number> {
  // Wall times on a shared machine include waiting for a core: say how busy it was.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
  try {
    // ---- size at full retention
    const t0 = performance.now();
    const db = openDatabase({ dataDir: path.join(work, 'full') });
    const { lines, samples } = buildFullRetention(db);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const size = historyTables(db).size();
    const fileBytes = statSync(db.file).size;
    console.log(`built ${lines} lines on ${nodes.length} nodes: ${size.rollupDays} rollup days, ${size.rawChunks} raw hours, ${size.headRows} head rows (${samples} raw samples) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const rowBytes = rowPerSampleBytes();
    const rollupBuckets = lines * ROLLUP_DAYS * 288;
    const rowLayout = rowBytes * samples + rowBytes * 2 * rollupBuckets;
    ok = report({ label: `database size at full retention (${nodes.length} nodes, ${lines} lines, 30 d rollups + 48 h raw)`, value: mb(fileBytes), unit: 'MB', target: { op: '<=', value: 1024 }, baseline: { label: 'row-per-sample layout (MB, estimated from measured row size)', value: Math.round(mb(rowLayout)) } }) && ok;

    // ---- a node page's 24 h, all series
    const tOpen = performance.now();
    const history = new SqliteHistory({ db, now: () => NOW });
    report({ label: 'history store open (ids, head spans, rollups due)', value: performance.now() - tOpen, unit: 'ms' });
    const queried = nodes.filter((n, i) => n.product === 'imp' && i % 11 === 3).slice(0, 12);
    // Full resolution (every raw point: 2,880 a line) and what a chart of 720 px asks for; each
    // node queried once cold (nothing decoded yet) and once more as its page refreshes.
    const variants = [{ label: 'every raw point', maxPoints: undefined }, { label: 'maxPoints 720', maxPoints: 720 }] as const;
    const sqliteTimes = new Map<string, { cold: number[]; refresh: number[] }>();
    for (const v of variants) {
      const h = new SqliteHistory({ db, now: () => NOW });
      const times = { cold: [] as number[], refresh: [] as number[] };
      const cpu = { cold: [] as number[], refresh: [] as number[] };
      let points = 0;
      for (const n of queried) {
        for (const kind of ['cold', 'refresh'] as const) {
          const q0 = performance.now();
          const c0 = process.cpuUsage();
          const r = await h.query({ cluster: n.cluster, node: n.name, from: NOW - 24 * HOUR, to: NOW, maxPoints: v.maxPoints });
          const c = process.cpuUsage(c0);
          times[kind].push(performance.now() - q0);
          cpu[kind].push((c.user + c.system) / 1000);
          if (kind === 'cold') points += r.series.reduce((a, s) => a + s.lines.reduce((b, l) => b + l.points.length, 0), 0);
        }
      }
      sqliteTimes.set(v.label, times);
      console.log(`24 h of ${queried.length} IM&P nodes, ${v.label}: ${Math.round(points / queried.length)} points per node page; CPU per query p50 cold ${pct(cpu.cold, 50).toFixed(1)} ms, refresh ${pct(cpu.refresh, 50).toFixed(1)} ms (wall time includes waiting for a core on a loaded machine)`);
    }
    const long: Record<string, number[]> = { '7d': [], '30d': [], '7d maxPoints 720': [], '30d maxPoints 720': [] };
    for (const n of queried.slice(0, 4)) {
      for (const [k, days, maxPoints] of [['7d', 7, undefined], ['30d', 30, undefined], ['7d maxPoints 720', 7, 720], ['30d maxPoints 720', 30, 720]] as const) {
        const q0 = performance.now();
        await history.query({ cluster: n.cluster, node: n.name, from: NOW - days * DAY, to: NOW, maxPoints });
        long[k].push(performance.now() - q0);
      }
    }

    const promTimes = new Map<string, number[]>(variants.map((v) => [v.label, []]));
    const prom = await startBackfilledPrometheus(queried.slice(0, 3));
    if (prom) {
      const backend = new PrometheusHistory({ url: prom.url, trust: { mode: 'system' }, timeoutMs: 60_000, now: () => NOW });
      for (const v of variants) {
        for (let pass = 0; pass < 3; pass++) {
          for (const n of queried.slice(0, 3)) {
            const q0 = performance.now();
            const r = await backend.query({ cluster: n.cluster, node: n.name, from: NOW - 24 * HOUR, to: NOW, maxPoints: v.maxPoints });
            promTimes.get(v.label)!.push(performance.now() - q0);
            if (pass === 0 && r.series.every((s) => s.lines.length === 0)) throw new Error('the backfilled Prometheus returned no data');
          }
        }
      }
      backend.close();
      await prom.stop();
    } else console.log('prometheus or promtool not installed: no Prometheus baseline in this run');
    for (const v of variants) {
      const times = sqliteTimes.get(v.label)!;
      const pt = promTimes.get(v.label)!;
      for (const kind of ['cold', 'refresh'] as const) {
        for (const p of [50, 95]) {
          ok = report({
            label: `node page 24 h, all series, ${v.label}, ${kind}, SQLite p${p}`,
            value: pct(times[kind], p),
            unit: 'ms',
            target: { op: '<=', value: 50 },
            baseline: pt.length ? { label: `Prometheus query_range p${p} (ms, same charts)`, value: Number(pct(pt, p).toFixed(1)) } : undefined,
          }) && ok;
        }
      }
    }
    console.log(`machine load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} after the queries`);
    for (const [k, times] of Object.entries(long)) report({ label: `node page ${k} (5-minute rollups), SQLite median`, value: pct(times, 50), unit: 'ms' });
    db.close();

    // ---- write cost
    const w = measureWriteCost();
    ok = report({ label: `history write cost at the full mesh's rate (${Math.round(w.samplesPerSecond)} samples/s; recorder, events, compaction)`, value: w.cores * 1000, unit: 'millicores', target: { op: '<=', value: 50 }, baseline: { label: 'one transaction per sample, millicores', value: Number((w.unbatchedCores * 1000).toFixed(2)) } }) && ok;
    console.log(`  (${w.events} events recorded by the detector over two simulated hours: the baseline is silent)`);
    // Daily rollups: one day of every line, timed here (they run once a day).
    const dayLines = nodes.flatMap((n) => linesOf(n));
    const r0 = process.cpuUsage();
    const day = Math.floor(NOW / DAY) * DAY - DAY;
    for (const l of dayLines.slice(0, 1000)) encodeRollupDay(day, samplesOf(l, day, day + DAY));
    const r = process.cpuUsage(r0);
    const perLine = (r.user + r.system) / 1e6 / 1000;
    report({ label: 'daily rollup of every line, amortised over the day', value: ((perLine * dayLines.length) / 86_400) * 1000, unit: 'millicores' });
    if (!ok) console.log('some figures missed their targets');
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
