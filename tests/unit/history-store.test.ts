// The embedded history store: what a chart asks for comes back at the right resolution, hours are
// compacted and days rolled up with exact min/avg/max, retention drops what is too old, a database
// from an earlier release keeps its rows, and a full disk stops history (with the reason) without
// stopping anything else, then resumes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { migrations } from '../../db/migrations/index';
import { SqliteHistory } from '../../collectors/history/sqlite';
import { SqliteEventLog } from '../../collectors/history/event-log';
import { DAY_MS, HOUR_MS, ROLLUP_STEP_MS } from '../../collectors/history/plan';
import type { SeriesKey } from '../../db/history';

const dir = () => mkdtempSync(path.join(tmpdir(), 'impulse-history-'));
const DAY0 = Date.UTC(2026, 2, 1);

function rig(opts: { db?: ImpulseDatabase; start?: number } = {}) {
  let now = opts.start ?? DAY0;
  const logs: string[] = [];
  const db = opts.db ?? openDatabase({ dataDir: dir() });
  const h = new SqliteHistory({ db, now: () => now, log: (l) => logs.push(l) });
  return {
    db,
    h,
    logs,
    get now() {
      return now;
    },
    set now(v: number) {
      now = v;
    },
    /** Runs maintenance until it has nothing left to do. */
    settle() {
      for (let i = 0; i < 1000 && !h.maintain(1000); i++);
    },
  };
}

const cpu = (node = 'imp01-pub'): SeriesKey => ({ cluster: 'imp01', node, series: 'cpu', line: '' });
const part = (line: string): SeriesKey => ({ cluster: 'imp01', node: 'imp01-pub', series: 'partitions', line });
const count = (db: ImpulseDatabase, table: string) => (db.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

/** Feeds one sample every `every` ms over [from, to) with value f(t), flushing and maintaining as the service would. */
function feed(r: ReturnType<typeof rig>, key: SeriesKey, from: number, to: number, f: (t: number) => number, every = 30_000) {
  for (let t = from; t < to; t += every) {
    r.now = t;
    r.h.record(key, t, f(t));
    if ((t - from) % (10 * every) === 0) {
      r.h.flush();
      r.h.maintain(50);
    }
  }
  r.now = to;
  r.h.flush();
}

describe('embedded history store', () => {
  it('answers a chart with the points recorded, one line per split label value, in SERIES order', async () => {
    const r = rig();
    for (let i = 0; i < 10; i++) {
      const t = DAY0 + i * 30_000;
      r.h.record(part('Active'), t, 0.5 + i * 0.01);
      r.h.record(part('Common'), t, 0.41);
      r.h.record(cpu(), t, 0.1 * (i % 3));
    }
    r.now = DAY0 + 10 * 30_000;
    expect(r.h.flush()).toBe(30);
    const res = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', from: DAY0, to: r.now });
    expect(res.backend).toBe('sqlite');
    expect(res.series.map((s) => s.id)).toEqual(expect.arrayContaining(['cpu', 'partitions']));
    expect(res.series.findIndex((s) => s.id === 'cpu')).toBeLessThan(res.series.findIndex((s) => s.id === 'partitions'));
    const partitions = res.series.find((s) => s.id === 'partitions')!;
    expect(partitions.stepMs).toBe(30_000);
    expect(partitions.lines.map((l) => l.key)).toEqual(['Active', 'Common']);
    expect(partitions.lines[0].labels).toEqual({ partition: 'Active' });
    expect(partitions.lines[0].points).toHaveLength(10);
    expect(partitions.lines[0].points[3]).toEqual({ t: DAY0 + 90_000, v: 0.53 });
    // A series without samples in range has no lines; another node sees nothing of this one.
    expect(res.series.find((s) => s.id === 'memory')?.lines).toEqual([]);
    const other = await r.h.query({ cluster: 'imp01', node: 'imp01-sub1', from: DAY0, to: r.now });
    expect(other.series.every((s) => s.lines.length === 0)).toBe(true);
    const only = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0 + 60_000, to: DAY0 + 120_000 });
    expect(only.series.map((s) => s.id)).toEqual(['cpu']);
    expect(only.series[0].lines[0].points.map((p) => p.t)).toEqual([DAY0 + 60_000, DAY0 + 90_000, DAY0 + 120_000]);
    await expect(r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['nope'], from: 0, to: 1 })).rejects.toThrow(/unknown series: nope/);
  });

  it('shows the value in effect at the start of a range, while it is fresh for its source', async () => {
    const r = rig();
    const up = (source: string): SeriesKey => ({ cluster: 'imp01', node: 'imp01-pub', series: 'target-up', line: source });
    // Certificates are polled hourly, PerfMon every 30 s; both last answered at DAY0.
    r.h.record(up('certificates'), DAY0, 1);
    r.h.record(up('perfmon'), DAY0, 1);
    r.now = DAY0 + 20 * 60_000;
    r.h.flush();
    const from = DAY0 + 10 * 60_000;
    const res = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['target-up'], from, to: r.now });
    // The hourly source still holds at `from`; PerfMon's 10-minute-old sample is stale there.
    expect(res.series[0].lines).toEqual([{ key: 'certificates', labels: { source: 'certificates' }, points: [{ t: from, v: 1 }] }]);
    // Also from a compacted hour.
    r.now = DAY0 + HOUR_MS + 20 * 60_000;
    r.settle();
    const later = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['target-up'], from: DAY0 + HOUR_MS, to: r.now });
    expect(later.series[0].lines.map((l) => [l.key, l.points])).toEqual([['certificates', [{ t: DAY0 + HOUR_MS, v: 1 }]]]);
  });

  it('compacts closed hours into one blob per series and hour, answering the same points', async () => {
    const r = rig();
    feed(r, cpu(), DAY0, DAY0 + 3 * HOUR_MS + 600_000, (t) => ((t / 30_000) % 50) / 100);
    const before = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: r.now });
    r.settle();
    expect(count(r.db, 'history_raw')).toBe(3);
    // Only the current hour's samples stay in the head.
    expect(count(r.db, 'history_head')).toBe(20);
    const after = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: r.now });
    expect(after).toEqual(before);
    expect(after.series[0].lines[0].points).toHaveLength(3 * 120 + 20);
  });

  it('rolls complete days up into exact 5-minute min/avg/max, and reads rollups beyond 48 hours', async () => {
    const r = rig();
    const f = (t: number) => Math.round(1000 + 400 * Math.sin(t / 3_600_000) + ((t / 30_000) % 7)) ;
    feed(r, cpu(), DAY0, DAY0 + 2 * DAY_MS + HOUR_MS, f);
    r.settle();
    expect(count(r.db, 'history_rollup')).toBe(2);
    const res = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: DAY0 + 7 * DAY_MS });
    const s = res.series[0];
    expect(s.stepMs).toBe(ROLLUP_STEP_MS);
    const points = s.lines[0].points;
    // Two rolled-up days and the current hour computed from raw samples.
    expect(points).toHaveLength(2 * 288 + 12);
    for (const p of [points[0], points[100], points[300], points[2 * 288 + 5]]) {
      const values: number[] = [];
      for (let t = p.t; t < p.t + ROLLUP_STEP_MS; t += 30_000) values.push(f(t));
      expect(p.min).toBe(Math.min(...values));
      expect(p.max).toBe(Math.max(...values));
      expect(p.v).toBeCloseTo(values.reduce((a, v) => a + v, 0) / values.length, 10);
    }
    // Within 48 h the same question gets raw points.
    const raw = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: r.now - DAY_MS, to: r.now });
    expect(raw.series[0].stepMs).toBe(30_000);
    expect(raw.series[0].lines[0].points[0].min).toBeUndefined();
  });

  it('maxPoints folds points into min/avg/max steps, a multiple of the stored resolution', async () => {
    const r = rig();
    const f = (t: number) => Math.round(50 + 40 * Math.sin(t / 600_000));
    feed(r, cpu(), DAY0, DAY0 + 3 * DAY_MS, f);
    r.settle();
    // 24 h in at most 96 points: 15-minute steps (30 raw samples each).
    const day = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: r.now - DAY_MS, to: r.now, maxPoints: 96 });
    expect(day.series[0].stepMs).toBe(15 * 60_000);
    const points = day.series[0].lines[0].points;
    expect(points.length).toBeLessThanOrEqual(97);
    const p = points[10];
    const values: number[] = [];
    for (let t = p.t; t < p.t + 15 * 60_000; t += 30_000) values.push(f(t));
    expect(p).toEqual({ t: p.t, v: expect.closeTo(values.reduce((a, v) => a + v, 0) / values.length, 10), min: Math.min(...values), max: Math.max(...values) });
    expect(p.t % (15 * 60_000)).toBe(0);
    // 7 days of rollups in at most 200 points: 55-minute steps built from the 5-minute buckets.
    const week = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: r.now - 7 * DAY_MS, to: r.now, maxPoints: 200 });
    expect(week.series[0].stepMs).toBe(55 * 60_000);
    const w = week.series[0].lines[0].points[5];
    const wv: number[] = [];
    for (let t = w.t; t < w.t + 55 * 60_000; t += 30_000) wv.push(f(t));
    expect(w).toEqual({ t: w.t, v: expect.closeTo(wv.reduce((a, v) => a + v, 0) / wv.length, 10), min: Math.min(...wv), max: Math.max(...wv) });
    // Fewer points in the range than asked: unchanged.
    const hour = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: r.now - HOUR_MS, to: r.now, maxPoints: 1000 });
    expect(hour.series[0].stepMs).toBe(30_000);
    expect(hour.series[0].lines[0].points[0].min).toBeUndefined();
    await expect(r.h.query({ cluster: 'imp01', node: 'imp01-pub', from: 0, to: 1, maxPoints: 0 })).rejects.toThrow(/maxPoints must be at least 1/);
  });

  it('keeps raw hours 48 h and rollups 30 days, pruning continuously', async () => {
    const r = rig();
    feed(r, cpu(), DAY0, DAY0 + 3 * DAY_MS, () => 0.25, 60_000);
    r.settle();
    expect(count(r.db, 'history_raw')).toBeLessThanOrEqual(49);
    const rawStarts = r.db.sqlite.prepare('select min(start) as s from history_raw').get() as { s: number };
    expect(rawStarts.s).toBeGreaterThanOrEqual(r.now - 49 * HOUR_MS);
    expect(count(r.db, 'history_rollup')).toBe(3);
    // 30 days later (no samples meanwhile) every rollup is past retention; the line is dropped.
    r.now = DAY0 + 34 * DAY_MS;
    r.settle();
    expect(count(r.db, 'history_raw')).toBe(0);
    expect(count(r.db, 'history_rollup')).toBe(0);
    const res = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: r.now });
    expect(res.series[0].lines).toEqual([]);
    // Samples older than raw retention are not stored at all.
    r.h.record(cpu(), r.now - 3 * DAY_MS, 1);
    r.h.flush();
    expect(count(r.db, 'history_head')).toBe(0);
  });

  it('merges samples that arrive late for an hour already compacted', async () => {
    const r = rig();
    feed(r, cpu(), DAY0, DAY0 + 2 * HOUR_MS, () => 0.5);
    r.settle();
    // Read once, so the closed hour sits decoded in the cache when it changes.
    const q = { cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: DAY0 + 60_000 };
    expect((await r.h.query(q)).series[0].lines[0].points).toHaveLength(3);
    r.h.record(cpu(), DAY0 + 15_000, 0.9);
    r.h.flush();
    // Before compaction the late sample sits in the head, after later hours: still folded in place.
    const folded = await r.h.query({ ...q, maxPoints: 1 });
    expect(folded.series[0].lines[0].points).toEqual([
      { t: DAY0, v: expect.closeTo((0.5 + 0.9 + 0.5) / 3, 12), min: 0.5, max: 0.9 },
      { t: DAY0 + 60_000, v: 0.5, min: 0.5, max: 0.5 },
    ]);
    r.settle();
    const res = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: DAY0 + 60_000 });
    expect(res.series[0].lines[0].points).toEqual([
      { t: DAY0, v: 0.5 },
      { t: DAY0 + 15_000, v: 0.9 },
      { t: DAY0 + 30_000, v: 0.5 },
      { t: DAY0 + 60_000, v: 0.5 },
    ]);
  });

  it('picks up after a restart: head hours compacted, missing rollups written', async () => {
    const d = dir();
    const first = rig({ db: openDatabase({ dataDir: d }) });
    feed(first, cpu(), DAY0, DAY0 + DAY_MS + 2 * HOUR_MS, () => 3);
    first.db.close();
    // Restarted a day later: the leftover head and the unrolled day are found and finished.
    const second = rig({ db: openDatabase({ dataDir: d }), start: DAY0 + 2 * DAY_MS });
    second.settle();
    expect(count(second.db, 'history_head')).toBe(0);
    expect(count(second.db, 'history_rollup')).toBe(2);
    const res = await second.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0 - 5 * DAY_MS, to: second.now });
    expect(res.series[0].lines[0].points).toHaveLength(288 + 24);
    second.db.close();
  });

  it('opens a database of an earlier schema version with rows and migrates it, keeping them', async () => {
    const d = dir();
    // An earlier release: only the history migration existed.
    const old = openDatabase({ dataDir: d, migrations: migrations.slice(0, 1) });
    expect(old.schemaVersion).toBe(1);
    const r1 = rig({ db: old });
    feed(r1, cpu(), DAY0, DAY0 + 600_000, () => 0.2);
    const log = new SqliteEventLog(old);
    log.store([{ at: DAY0, cluster: 'imp01', node: 'imp01-pub', kind: 'service', subject: 'Cisco XCP Router', from: 'Started', to: 'Stopped', detail: 'Component is not running', severity: 'critical' }], []);
    old.close();

    const db = openDatabase({ dataDir: d });
    expect(db.schemaVersion).toBe(migrations.length);
    const r2 = rig({ db, start: DAY0 + 600_000 });
    const res = await r2.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: r2.now });
    expect(res.series[0].lines[0].points).toHaveLength(20);
    expect(new SqliteEventLog(db).list({})).toMatchObject([{ subject: 'Cisco XCP Router', to: 'Stopped' }]);
    db.close();
  });

  it('a full disk makes history unavailable with the reason, drops the batch, and resumes by itself', async () => {
    const r = rig();
    r.h.record(cpu(), DAY0, 0.1);
    r.h.flush();
    expect(r.h.status()).toEqual({ available: true });
    const pages = r.db.sqlite.pragma('page_count', { simple: true }) as number;
    r.db.sqlite.pragma(`max_page_count = ${pages}`);
    // Enough new lines that the batch needs new pages.
    for (let i = 0; i < 2000; i++) r.h.record({ ...cpu(`node-${i}`) }, DAY0 + 30_000, i);
    expect(r.h.flush()).toBe(0);
    const st = r.h.status();
    expect(st.available).toBe(false);
    expect(st.reason).toMatch(/full|free space/i);
    r.db.sqlite.pragma('max_page_count = 1073741823');
    r.now = DAY0 + 60_000;
    r.h.record(cpu(), DAY0 + 60_000, 0.3);
    expect(r.h.flush()).toBe(1);
    expect(r.h.status()).toEqual({ available: true });
    const res = await r.h.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu'], from: DAY0, to: r.now });
    expect(res.series[0].lines[0].points.map((p) => p.v)).toEqual([0.1, 0.3]);
  });

  it('reports a database that breaks under it once, and keeps going', async () => {
    const r = rig();
    r.h.record(cpu(), DAY0, 0.1);
    r.h.flush();
    r.db.sqlite.exec('drop table history_head');
    r.h.record(cpu(), DAY0 + 1000, 0.2);
    r.h.record(cpu(), DAY0 + 2000, 0.2);
    expect(r.h.flush()).toBe(0);
    r.h.record(cpu(), DAY0 + 3000, 0.2);
    expect(r.h.flush()).toBe(0);
    expect(r.h.status()).toMatchObject({ available: false, reason: expect.stringMatching(/writing history: .*history_head/) });
    expect(r.logs.filter((l) => l.startsWith('history is not being saved'))).toHaveLength(1);
  });
});
