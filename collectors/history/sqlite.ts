// The embedded history: samples of the chart series in the product database.
//
// Writes are batched: record() only appends to memory; flush() writes everything pending in one
// transaction (the service calls it every few seconds). maintain() does the rest in small slices
// so it never holds the event loop for long: closed hours of the head become one blob per series
// (history_raw), complete days become one blob of 5-minute rollups (history_rollup), and a sweep
// drops what is past retention. A write that fails (full disk, read-only dir, a corrupt file) is
// reported once and dropped: the collector keeps running and status() says why history stops.
import type { Inventory } from '../../config/resolve';
import type { ImpulseDatabase } from '../../db/database';
import { decodeRaw, decodeRawArrays, decodeRollupDayEach, encodeRaw, encodeRollupDay, type Bucket, type DecodedChunk, type Sample } from '../../db/history-codec';
import { historyTables, type HistoryTables, type SeriesKey } from '../../db/history';
import { checkQuery, DAY_MS, findNode, finishSeries, HOUR_MS, lineIntervalMs, RAW_RETENTION_MS, resolutionFor, ROLLUP_RETENTION_MS, ROLLUP_STEP_MS, seriesOfQuery, stepPlan, type StepPlan } from './plan';
import { FailureLatch } from './guard';
import type { HistoryBackend, HistoryQuery, HistoryResult, HistoryStatus, Point } from './types';

export interface SqliteHistoryOptions {
  db: ImpulseDatabase;
  /** Node products and polling intervals (series of the node's product, raw step). */
  inventory?: Inventory;
  now?: () => number;
  rawRetentionMs?: number;
  rollupRetentionMs?: number;
  /** Decoded closed hours kept for repeated chart queries, in samples (16 bytes each). */
  cacheSamples?: number;
  /** One line when history stops being written, and when it resumes. */
  log?: (line: string) => void;
}

/** Pending samples above this are dropped (a stalled flush must not grow memory without bound). */
const MAX_PENDING = 2_000_000;
/** Series visited per maintenance call by the retention sweep. */
const SWEEP_BATCH = 200;
/** ~24 MB: a dozen node pages of 24 h stay decoded while their pages refresh. */
const DEFAULT_CACHE_SAMPLES = 1_500_000;

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const keyOf = (k: SeriesKey) => `${k.cluster}\u0000${k.node}\u0000${k.series}\u0000${k.line}`;

export class SqliteHistory implements HistoryBackend {
  readonly kind = 'sqlite' as const;
  private readonly tables: HistoryTables;
  private readonly now: () => number;
  private readonly rawRetentionMs: number;
  private readonly rollupRetentionMs: number;
  /** Line key → series id, for every line in the database. */
  private readonly ids = new Map<string, number>();
  /** Ids recorded since start (the sweep never deletes a line that may still get samples). */
  private readonly live = new Set<number>();
  private pendingKeys: SeriesKey[] = [];
  private pendingT: number[] = [];
  private pendingV: number[] = [];
  /** Per series with samples in the head: the oldest hour there, and its newest sample. */
  private readonly head = new Map<number, { from: number; last: number }>();
  /** Complete days waiting for their rollup: day → series ids. */
  private readonly rollupDue = new Map<number, Set<number>>();
  private sweepCursor = 0;
  private readonly cache: ChunkCache;
  /** Failures db.write() does not absorb (e.g. the file turned out corrupt), reported once. */
  private readonly latch: FailureLatch;
  dropped = 0;

  constructor(private readonly opts: SqliteHistoryOptions) {
    this.now = opts.now ?? Date.now;
    this.rawRetentionMs = opts.rawRetentionMs ?? RAW_RETENTION_MS;
    this.rollupRetentionMs = opts.rollupRetentionMs ?? ROLLUP_RETENTION_MS;
    this.latch = new FailureLatch('history', opts.log);
    this.tables = historyTables(opts.db);
    this.cache = new ChunkCache(opts.cacheSamples ?? DEFAULT_CACHE_SAMPLES);
    this.latch.run('reading history', () => this.load(), false);
  }

  private load(): void {
    for (const s of this.tables.allSeries()) this.ids.set(keyOf(s), s.id);
    for (const { id, from, last } of this.tables.headSpans()) this.head.set(id, { from: floorTo(from, HOUR_MS), last });
    // Complete days still in raw retention whose rollup was not written (the product was stopped).
    const today = floorTo(this.now(), DAY_MS);
    for (let day = floorTo(this.now() - this.rawRetentionMs, DAY_MS); day < today; day += DAY_MS) {
      const ids = this.tables.unrolled(day, DAY_MS);
      if (ids.length) this.rollupDue.set(day, new Set(ids));
    }
  }

  /** Queues one sample (written at the next flush). Samples older than raw retention are ignored. */
  record(key: SeriesKey, t: number, v: number): void {
    if (!Number.isFinite(v) || !Number.isFinite(t)) return;
    if (this.pendingT.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pendingKeys.push(key);
    this.pendingT.push(t);
    this.pendingV.push(v);
  }

  get pending(): number {
    return this.pendingT.length;
  }

  /** Writes every pending sample in one transaction. Returns how many were written. */
  flush(): number {
    const keys = this.pendingKeys;
    const ts = this.pendingT;
    const vs = this.pendingV;
    if (ts.length === 0) return 0;
    this.pendingKeys = [];
    this.pendingT = [];
    this.pendingV = [];
    const cutoff = this.now() - this.rawRetentionMs;
    const created = new Map<string, number>();
    const touched = new Map<number, { from: number; last: number }>();
    const written = this.latch.run('writing history', () =>
      this.opts.db.write('history', () => {
        let n = 0;
        for (let i = 0; i < ts.length; i++) {
          const t = ts[i];
          if (t < cutoff) continue;
          const k = keyOf(keys[i]);
          let id = this.ids.get(k) ?? created.get(k);
          if (id === undefined) created.set(k, (id = this.tables.seriesId(keys[i])));
          this.tables.insertHead(id, t, vs[i]);
          const hour = floorTo(t, HOUR_MS);
          const h = touched.get(id);
          if (!h) touched.set(id, { from: hour, last: t });
          else {
            if (hour < h.from) h.from = hour;
            if (t > h.last) h.last = t;
          }
          n++;
        }
        return n;
      }),
    );
    if (written === undefined) {
      this.dropped += ts.length;
      return 0;
    }
    // Only now that the transaction committed do its new ids and head hours exist.
    for (const [k, id] of created) this.ids.set(k, id);
    for (const [id, h] of touched) {
      this.live.add(id);
      const cur = this.head.get(id);
      if (!cur) this.head.set(id, h);
      else {
        cur.from = Math.min(cur.from, h.from);
        cur.last = Math.max(cur.last, h.last);
      }
    }
    return written;
  }

  /**
   * Compacts closed hours, writes due rollups and sweeps retention, for about `budgetMs` of CPU,
   * each kind of work in one transaction. Returns true when no compaction or rollup is pending
   * and the sweep finished a pass.
   */
  maintain(budgetMs = 25): boolean {
    const deadline = performance.now() + budgetMs;
    const now = this.now();
    const hourNow = floorTo(now, HOUR_MS);
    if (!this.compactDue(hourNow, deadline) || performance.now() > deadline) return false;
    if (!this.rollupsDue(hourNow, deadline) || performance.now() > deadline) return false;
    const swept = this.sweep(now);
    return swept && ![...this.rollupDue.keys()].some((day) => day + DAY_MS <= hourNow) && ![...this.head.values()].some((h) => h.from < hourNow);
  }

  /** Compacts series with closed hours in the head until the deadline; false when a write failed. */
  private compactDue(hourNow: number, deadline: number): boolean {
    const done: Array<{ id: number; days: number[] }> = [];
    const ok = this.latch.run('compacting history', () =>
      this.opts.db.write('history', () => {
        for (const [id, h] of this.head) {
          if (h.from >= hourNow) continue;
          done.push({ id, days: this.compact(id, hourNow) });
          if (performance.now() > deadline) break;
        }
        return true;
      }),
    );
    if (!ok) return false;
    // Committed: the head no longer holds these hours, and their days need a rollup.
    for (const { id, days } of done) {
      for (const day of days) {
        let due = this.rollupDue.get(day);
        if (!due) this.rollupDue.set(day, (due = new Set()));
        due.add(id);
      }
      const h = this.head.get(id);
      if (h && h.last < hourNow) this.head.delete(id);
      else if (h) h.from = hourNow;
    }
    return true;
  }

  /** Moves a series' head samples before `before` into hourly blobs (merging with existing ones); returns the days touched. */
  private compact(id: number, before: number): number[] {
    const rows = this.tables.headBefore(id, before);
    const days = new Set<number>();
    let i = 0;
    while (i < rows.length) {
      const hour = floorTo(rows[i].t, HOUR_MS);
      let j = i;
      while (j < rows.length && rows[j].t < hour + HOUR_MS) j++;
      let samples: Sample[] = rows.slice(i, j);
      const existing = this.tables.rawChunk(id, hour);
      if (existing) samples = mergeSamples(decodeRaw(existing.data), samples);
      this.tables.putRaw(id, hour, samples.length, encodeRaw(samples));
      days.add(floorTo(hour, DAY_MS));
      i = j;
    }
    this.tables.deleteHeadBefore(id, before);
    return [...days];
  }

  /** Writes the rollups of complete days until the deadline; false when a write failed. */
  private rollupsDue(hourNow: number, deadline: number): boolean {
    const done: Array<{ id: number; day: number }> = [];
    const ok = this.latch.run('rolling up history', () =>
      this.opts.db.write('history', () => {
        for (const [day, ids] of this.rollupDue) {
          if (day + DAY_MS > hourNow) continue;
          for (const id of ids) {
            // Wait for the day's last hours to leave the head.
            if ((this.head.get(id)?.from ?? Infinity) < day + DAY_MS) continue;
            this.rollup(id, day);
            done.push({ id, day });
            if (performance.now() > deadline) return true;
          }
        }
        return true;
      }),
    );
    if (!ok) return false;
    for (const { id, day } of done) {
      const ids = this.rollupDue.get(day);
      ids?.delete(id);
      if (ids?.size === 0) this.rollupDue.delete(day);
    }
    return true;
  }

  /** Writes the day's 5-minute rollup blob from its raw hours. */
  private rollup(id: number, day: number): void {
    const samples: Sample[] = [];
    for (const c of this.tables.rawRange(id, day, day + DAY_MS - 1)) decodeRaw(c.data, samples);
    if (samples.length === 0) return;
    const { blob, buckets } = encodeRollupDay(day, samples);
    this.tables.putRollup(id, day, buckets, blob);
  }

  /** Drops raw hours and rollup days past retention, a slice of series at a time. */
  private sweep(now: number): boolean {
    const ids = this.latch.run('reading history', () => this.tables.seriesAfter(this.sweepCursor, SWEEP_BATCH), false);
    if (!ids) return false;
    if (ids.length === 0) {
      this.sweepCursor = 0;
      return true;
    }
    const rawBefore = now - this.rawRetentionMs - HOUR_MS + 1;
    const rollupBefore = now - this.rollupRetentionMs - DAY_MS + 1;
    const done = this.latch.run('pruning history', () =>
      this.opts.db.write('history', () => {
        for (const id of ids) {
          this.tables.prune(id, rawBefore, rollupBefore);
          if (!this.live.has(id) && !this.head.has(id) && this.tables.deleteSeriesIfEmpty(id)) this.forget(id);
        }
        return true;
      }),
    );
    if (!done) return false;
    // A short page means the pass is complete: the next call starts over.
    this.sweepCursor = ids.length < SWEEP_BATCH ? 0 : ids[ids.length - 1];
    return ids.length < SWEEP_BATCH;
  }

  private forget(id: number): void {
    for (const [k, v] of this.ids) if (v === id) this.ids.delete(k);
  }

  async query(q: HistoryQuery): Promise<HistoryResult> {
    checkQuery(q);
    const node = findNode(this.opts.inventory, q.cluster, q.node);
    const defs = seriesOfQuery(q, node);
    const resolution = resolutionFor(q, this.now(), this.rawRetentionMs);
    let rows;
    try {
      rows = this.tables.seriesOfNode(q.cluster, q.node);
    } catch (err) {
      throw new Error(`history is unavailable: ${(err as Error).message}`);
    }
    const bySeries = new Map<string, typeof rows>();
    for (const r of rows) {
      let list = bySeries.get(r.series);
      if (!list) bySeries.set(r.series, (list = []));
      list.push(r);
    }
    const series = defs.map((def) => {
      const plan = stepPlan(def, q, resolution, node);
      const byKey = new Map<string, Point[]>();
      for (const r of bySeries.get(def.id) ?? []) {
        if (resolution === 'rollup') byKey.set(r.line, this.rollupPoints(r.id, q.from, q.to, plan));
        else if (plan.aggregate) byKey.set(r.line, this.rawBuckets(r.id, q.from, q.to, plan));
        else byKey.set(r.line, this.withValueAtStart(r.id, q.from, this.rawPoints(r.id, q.from, q.to), 2 * lineIntervalMs(def, r.line, node)));
      }
      return finishSeries(def, plan.stepMs, byKey);
    });
    return { backend: 'sqlite', series };
  }

  /** The closed hours of a series that overlap [from, to], decoded (from the cache when it can). */
  private chunks(id: number, from: number, to: number): DecodedChunk[] {
    const first = floorTo(from, HOUR_MS);
    // The index first: a refreshing chart finds its hours decoded and reads no blob at all.
    const index = this.tables.rawIndex(id, first, to);
    const out: DecodedChunk[] = [];
    for (const c of index) {
      const d = this.cache.get(id, c.start, c.n, c.len);
      if (!d) break;
      out.push(d);
    }
    if (out.length === index.length) return out;
    // Some hours are not decoded yet: read the range's blobs in one statement.
    out.length = 0;
    for (const c of this.tables.rawRange(id, first, to)) {
      let d = this.cache.get(id, c.start, c.n, c.data.length);
      if (!d) this.cache.put(id, c.start, c.n, c.data.length, (d = decodeRawArrays(c.data, c.n)));
      out.push(d);
    }
    return out;
  }

  /** Raw samples folded into plan.stepMs buckets (no object per sample). */
  private rawBuckets(id: number, from: number, to: number, plan: StepPlan): Point[] {
    return this.foldRaw(id, from, to, plan.stepMs).map((b) => ({ t: b.t, v: b.sum / b.n, min: b.min, max: b.max }));
  }

  /** Buckets of `step` ms over a series' raw samples in [from, to], in time order. */
  private foldRaw(id: number, from: number, to: number, step: number): Bucket[] {
    const chunks = this.chunks(id, from, to);
    const head = this.tables.headRange(id, from, to);
    // Samples come in time order (hours in order, the head after them): one pass, no lookups.
    const out: Bucket[] = [];
    let cur: Bucket | undefined;
    let ordered = true;
    const add = (t: number, v: number) => {
      const start = Math.floor(t / step) * step;
      if (cur === undefined || start !== cur.t) {
        if (cur !== undefined && start < cur.t) ordered = false;
        out.push((cur = { t: start, n: 0, min: v, max: v, sum: 0 }));
      }
      cur.n++;
      cur.sum += v;
      if (v < cur.min) cur.min = v;
      if (v > cur.max) cur.max = v;
    };
    for (const d of chunks) for (let i = 0; i < d.t.length; i++) if (d.t[i] >= from && d.t[i] <= to) add(d.t[i], d.v[i]);
    for (const r of head) add(r.t, r.v);
    if (ordered) return out;
    // A late sample merged out of order: fold again, by bucket.
    const acc = new Accumulator(step);
    for (const b of out) acc.merge(b);
    return acc.buckets();
  }

  /**
   * The value in effect at `from`, as a point at `from`, ahead of the range's points: a source
   * polled hourly has no sample inside a short range, yet its value holds there (Prometheus shows
   * it at every step, within its lookback). Only a sample younger than `freshMs` counts.
   */
  private withValueAtStart(id: number, from: number, points: Point[], freshMs: number): Point[] {
    if (points.length && points[0].t === from) return points;
    let last: Sample | undefined = this.tables.headLastBefore(id, from);
    if (!last) {
      const chunks = this.chunks(id, from - freshMs, from);
      for (let c = chunks.length - 1; c >= 0 && !last; c--) {
        const d = chunks[c];
        for (let i = d.t.length - 1; i >= 0; i--) {
          if (d.t[i] < from) {
            last = { t: d.t[i], v: d.v[i] };
            break;
          }
        }
      }
    }
    if (!last || from - last.t > freshMs) return points;
    return [{ t: from, v: last.v }, ...points];
  }

  private rawPoints(id: number, from: number, to: number): Point[] {
    const out: Sample[] = [];
    for (const d of this.chunks(id, from, to)) {
      for (let i = 0; i < d.t.length; i++) if (d.t[i] >= from && d.t[i] <= to) out.push({ t: d.t[i], v: d.v[i] });
    }
    const last = out.length ? out[out.length - 1].t : -Infinity;
    let sorted = true;
    for (const r of this.tables.headRange(id, from, to)) {
      if (r.t <= last) sorted = false;
      out.push({ t: r.t, v: r.v });
    }
    return sorted ? out : mergeSamples(out, []);
  }

  private rollupPoints(id: number, from: number, to: number, plan: StepPlan): Point[] {
    const firstDay = floorTo(from, DAY_MS);
    const stored = new Map(this.tables.rollupRange(id, firstDay, to).map((r) => [r.start, r.data]));
    const bucketFrom = floorTo(from, ROLLUP_STEP_MS);
    const out: Point[] = [];
    const acc = plan.aggregate ? new Accumulator(plan.stepMs) : undefined;
    const visit = acc ? (t: number, n: number, min: number, max: number, sum: number) => acc.merge({ t, n, min, max, sum }) : (t: number, n: number, min: number, max: number, sum: number) => void out.push({ t, v: sum / n, min, max });
    for (let day = firstDay; day <= to; day += DAY_MS) {
      const blob = stored.get(day);
      if (blob) decodeRollupDayEach(day, blob, bucketFrom, to, visit);
      // Not rolled up yet (today, yesterday until its rollup runs): from the raw samples.
      else for (const b of this.foldRaw(id, Math.max(day, bucketFrom), Math.min(day + DAY_MS - 1, to), ROLLUP_STEP_MS)) visit(b.t, b.n, b.min, b.max, b.sum);
    }
    return acc ? acc.points() : out;
  }

  status(): HistoryStatus {
    if (this.opts.db.closed) return { available: false, reason: 'the database is closed' };
    if (this.latch.failure) return { available: false, reason: this.latch.failure };
    const h = this.opts.db.health();
    if (!h.ok) return { available: false, reason: `history is not being saved: ${h.error}` };
    return { available: true };
  }


  /** Figures for the bench and the status line. */
  size() {
    return this.tables.size();
  }
}

/** Folds buckets into coarser buckets of `step` ms aligned to the epoch, in any order. */
class Accumulator {
  private readonly map = new Map<number, Bucket>();
  constructor(private readonly step: number) {}

  merge(x: Bucket): void {
    const start = Math.floor(x.t / this.step) * this.step;
    const b = this.map.get(start);
    if (!b) this.map.set(start, { t: start, n: x.n, min: x.min, max: x.max, sum: x.sum });
    else {
      b.n += x.n;
      b.sum += x.sum;
      if (x.min < b.min) b.min = x.min;
      if (x.max > b.max) b.max = x.max;
    }
  }

  buckets(): Bucket[] {
    return [...this.map.values()].sort((a, b) => a.t - b.t);
  }

  points(): Point[] {
    return this.buckets().map((b) => ({ t: b.t, v: b.sum / b.n, min: b.min, max: b.max }));
  }
}

/**
 * Decoded closed hours, least recently used first, bounded by the samples they hold. A closed
 * hour only changes when late samples are merged into it; its row's count and size then change,
 * which a lookup checks.
 */
class ChunkCache {
  private readonly map = new Map<string, { n: number; len: number; d: DecodedChunk }>();
  private held = 0;
  constructor(private readonly capacity: number) {}

  get(id: number, start: number, n: number, len: number): DecodedChunk | undefined {
    const key = `${id}:${start}`;
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    if (e.n !== n || e.len !== len) {
      this.held -= e.n;
      return undefined;
    }
    this.map.set(key, e);
    return e.d;
  }

  put(id: number, start: number, n: number, len: number, d: DecodedChunk): void {
    if (n > this.capacity) return;
    const key = `${id}:${start}`;
    const old = this.map.get(key);
    if (old) this.held -= old.n;
    this.map.set(key, { n, len, d });
    this.held += n;
    for (const [key, e] of this.map) {
      if (this.held <= this.capacity) break;
      this.map.delete(key);
      this.held -= e.n;
    }
  }
}

/** Merges two time-sorted sample lists; on equal times the later list wins. */
function mergeSamples(a: Sample[], b: Sample[]): Sample[] {
  const all = [...a, ...b].map((s, i) => ({ s, i }));
  all.sort((x, y) => x.s.t - y.s.t || x.i - y.i);
  const out: Sample[] = [];
  for (const { s } of all) {
    if (out.length && out[out.length - 1].t === s.t) out[out.length - 1] = s;
    else out.push(s);
  }
  return out;
}
