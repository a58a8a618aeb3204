// History tables (migration 1): chart lines, the current hour's samples, closed hours as blobs
// and daily blobs of 5-minute rollups. Pure table access; what to keep, when to compact and how
// to answer a chart live in collectors/history/sqlite.ts. Callers wrap writes in db.write().
import type { ImpulseDatabase } from './database';

export interface SeriesKey {
  cluster: string;
  node: string;
  /** Series id (collectors/metrics/series.ts). */
  series: string;
  /** Value of the series' split label ('' when unsplit). */
  line: string;
}

export interface SeriesRow extends SeriesKey {
  id: number;
}

export interface BlobRow {
  /** Chunk start (hour) or day, epoch ms. */
  start: number;
  n: number;
  data: Uint8Array;
}

export interface HistorySize {
  /** Bytes of the database file (pages × page size). */
  fileBytes: number;
  series: number;
  headRows: number;
  rawChunks: number;
  rollupDays: number;
}

export type HistoryTables = ReturnType<typeof historyTables>;

export function historyTables(db: ImpulseDatabase) {
  const s = db.sqlite;
  const q = {
    allSeries: s.prepare('select id, cluster, node, series, line from history_series'),
    nodeSeries: s.prepare('select id, cluster, node, series, line from history_series where cluster = ? and node = ?'),
    insertSeries: s.prepare('insert or ignore into history_series (cluster, node, series, line) values (?, ?, ?, ?)'),
    seriesId: s.prepare('select id from history_series where cluster = ? and node = ? and series = ? and line = ?').pluck(),
    seriesAfter: s.prepare('select id from history_series where id > ? order by id limit ?').pluck(),
    deleteSeries: s.prepare('delete from history_series where id = ?'),
    insertHead: s.prepare('insert or replace into history_head (series_id, t, v) values (?, ?, ?)'),
    headRange: s.prepare('select t, v from history_head where series_id = ? and t >= ? and t <= ? order by t'),
    headBefore: s.prepare('select t, v from history_head where series_id = ? and t < ? order by t'),
    headLastBefore: s.prepare('select t, v from history_head where series_id = ? and t < ? order by t desc limit 1'),
    deleteHeadBefore: s.prepare('delete from history_head where series_id = ? and t < ?'),
    headSpans: s.prepare('select series_id as id, min(t) as "from", max(t) as last from history_head group by series_id'),
    rawOne: s.prepare('select start, n, data from history_raw where series_id = ? and start = ?'),
    putRaw: s.prepare('insert or replace into history_raw (series_id, start, n, data) values (?, ?, ?, ?)'),
    rawRange: s.prepare('select start, n, data from history_raw where series_id = ? and start >= ? and start <= ? order by start'),
    rawIndex: s.prepare('select start, n, length(data) as len from history_raw where series_id = ? and start >= ? and start <= ? order by start'),
    putRollup: s.prepare('insert or replace into history_rollup (series_id, day, n, data) values (?, ?, ?, ?)'),
    rollupRange: s.prepare('select day as start, n, data from history_rollup where series_id = ? and day >= ? and day <= ? order by day'),
    pruneRaw: s.prepare('delete from history_raw where series_id = ? and start < ?'),
    pruneRollup: s.prepare('delete from history_rollup where series_id = ? and day < ?'),
    hasData: s.prepare(`select exists (select 1 from history_head where series_id = ?1)
      or exists (select 1 from history_raw where series_id = ?1)
      or exists (select 1 from history_rollup where series_id = ?1)`).pluck(),
    rawStarts: s.prepare('select distinct series_id from history_raw where start >= ? and start < ?').pluck(),
    rolledUp: s.prepare('select series_id from history_rollup where day = ?').pluck(),
    counts: s.prepare(`select (select count(*) from history_series) as series, (select count(*) from history_head) as headRows,
      (select count(*) from history_raw) as rawChunks, (select count(*) from history_rollup) as rollupDays`),
  };

  return {
    allSeries: () => q.allSeries.all() as SeriesRow[],
    seriesOfNode: (cluster: string, node: string) => q.nodeSeries.all(cluster, node) as SeriesRow[],
    /** The line's id, created when new. */
    seriesId(key: SeriesKey): number {
      q.insertSeries.run(key.cluster, key.node, key.series, key.line);
      return q.seriesId.get(key.cluster, key.node, key.series, key.line) as number;
    },
    /** Up to `limit` series ids above `after`, in order (the pruning sweep's cursor). */
    seriesAfter: (after: number, limit: number) => q.seriesAfter.all(after, limit) as number[],
    insertHead: (id: number, t: number, v: number) => void q.insertHead.run(id, t, v),
    headRange: (id: number, from: number, to: number) => q.headRange.all(id, from, to) as Array<{ t: number; v: number }>,
    headBefore: (id: number, before: number) => q.headBefore.all(id, before) as Array<{ t: number; v: number }>,
    headLastBefore: (id: number, before: number) => q.headLastBefore.get(id, before) as { t: number; v: number } | undefined,
    deleteHeadBefore: (id: number, before: number) => void q.deleteHeadBefore.run(id, before),
    /** Per series with samples in the head, its oldest and newest sample time. */
    headSpans: () => q.headSpans.all() as Array<{ id: number; from: number; last: number }>,
    rawChunk: (id: number, start: number) => q.rawOne.get(id, start) as BlobRow | undefined,
    putRaw: (id: number, start: number, n: number, data: Uint8Array) => void q.putRaw.run(id, start, n, data),
    rawRange: (id: number, fromStart: number, toStart: number) => q.rawRange.all(id, fromStart, toStart) as BlobRow[],
    /** The chunks of a range without their data (start, sample count, blob length), for a cache to check. */
    rawIndex: (id: number, fromStart: number, toStart: number) => q.rawIndex.all(id, fromStart, toStart) as Array<{ start: number; n: number; len: number }>,
    putRollup: (id: number, day: number, n: number, data: Uint8Array) => void q.putRollup.run(id, day, n, data),
    rollupRange: (id: number, fromDay: number, toDay: number) => q.rollupRange.all(id, fromDay, toDay) as BlobRow[],
    /** Drops a series' raw chunks starting before `rawBefore` and rollup days before `rollupBefore`. */
    prune(id: number, rawBefore: number, rollupBefore: number): number {
      return q.pruneRaw.run(id, rawBefore).changes + q.pruneRollup.run(id, rollupBefore).changes;
    },
    /** Deletes the line when it holds no data any more; true when deleted. */
    deleteSeriesIfEmpty(id: number): boolean {
      if (q.hasData.get(id)) return false;
      q.deleteSeries.run(id);
      return true;
    },
    /** Series with raw chunks in [dayStart, dayStart + 1 day) and no rollup for that day. */
    unrolled(dayStart: number, dayMs: number): number[] {
      const done = new Set(q.rolledUp.all(dayStart) as number[]);
      return (q.rawStarts.all(dayStart, dayStart + dayMs) as number[]).filter((id) => !done.has(id));
    },
    size(): HistorySize {
      const pages = s.pragma('page_count', { simple: true }) as number;
      const pageSize = s.pragma('page_size', { simple: true }) as number;
      return { fileBytes: pages * pageSize, ...(q.counts.get() as Omit<HistorySize, 'fileBytes'>) };
    },
  };
}
