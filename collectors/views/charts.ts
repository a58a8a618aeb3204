// The node page's charts: a history query over the selected range, shaped into what one recharts
// chart draws — one row per time bucket with a column per line. Both history back ends (SQLite,
// Prometheus) answer the same HistoryResult, so the same shaping and the same chart serve both.
import { RANGE_MS, RANGES, type HistoryBackend, type HistoryResult, type RangeKey, type SeriesResult } from '../history/types';
import type { ValueUnit } from './format';
import { oneOf, type RawQuery } from './query';

/** What a chart needs to know about a series (collectors/metrics/series.ts defines them). */
export interface ChartMeta {
  id: string;
  title: string;
  unit: ValueUnit;
  /** The label that splits the series into lines (partition, process…), if any. */
  split?: string;
  /** Section of the node page (presence, platform, database, collection). */
  group?: string;
  /** One sentence: what the operator is looking at. */
  description?: string;
  /** For state series: what each value means. */
  states?: Readonly<Record<number, string>>;
}

export interface ChartLine {
  /** Column name in the rows (safe for recharts dataKey). */
  key: string;
  label: string;
  /** Over the range: the latest bucket's value, the lowest and highest point (for the caption and screen readers). */
  last: number | null;
  min: number | null;
  max: number | null;
}

export type ChartRow = { t: number } & Record<string, number | null>;

export interface ChartData {
  id: string;
  title: string;
  unit: ValueUnit;
  group?: string;
  description?: string;
  states?: Readonly<Record<number, string>>;
  lines: ChartLine[];
  rows: ChartRow[];
  /** Width of one bucket, ms. */
  bucketMs: number;
  from: number;
  to: number;
}

export interface ChartsModel {
  range: RangeKey;
  backend?: 'sqlite' | 'prometheus';
  /** Why no chart can be drawn (no history back end, unavailable, query failed). */
  unavailable?: string;
  charts: ChartData[];
  /** The charts by section (ChartMeta.group), sections in the order their first series comes. */
  sections: { group: string; charts: ChartData[] }[];
  /** Series with no points in the range. */
  empty: ChartMeta[];
}

/** Most points per line: enough for a 1,000-pixel chart, small enough for the live refresh payload. */
export const MAX_POINTS = 240;

export function parseRange(q: RawQuery): RangeKey {
  return oneOf(q, 'range', RANGES, '24h');
}

/**
 * Buckets every line of a series onto one time grid of at most `maxPoints` buckets (average of
 * the points in a bucket). A bucket without points is null, so the chart shows a gap rather than
 * drawing a line across time nothing was collected.
 */
export function shapeSeries(s: SeriesResult, meta: ChartMeta, from: number, to: number, maxPoints = MAX_POINTS): ChartData {
  const span = Math.max(1, to - from);
  const step = Math.max(1, s.stepMs);
  const bucketMs = Math.max(step, Math.ceil(span / maxPoints / step) * step);
  const start = Math.floor(from / bucketMs) * bucketMs;
  // Both ends are inclusive: a point at `to` has its own bucket.
  const n = Math.floor((to - start) / bucketMs) + 1;
  const lines: ChartLine[] = s.lines.map((l, i) => ({ key: `l${i}`, label: l.key || meta.title, last: null, min: null, max: null }));
  const sums = s.lines.map(() => new Float64Array(n));
  const counts = s.lines.map(() => new Uint32Array(n));
  s.lines.forEach((l, i) => {
    for (const p of l.points) {
      if (p.t < from || p.t > to || !Number.isFinite(p.v)) continue;
      const b = Math.min(n - 1, Math.floor((p.t - start) / bucketMs));
      sums[i][b] += p.v;
      counts[i][b]++;
      const lo = p.min ?? p.v;
      const hi = p.max ?? p.v;
      const line = lines[i];
      if (line.min === null || lo < line.min) line.min = lo;
      if (line.max === null || hi > line.max) line.max = hi;
    }
  });
  const rows: ChartRow[] = [];
  for (let b = 0; b < n; b++) {
    // Empty buckets are kept (the axis spans the whole range, gaps show where nothing was collected).
    const row: ChartRow = { t: start + b * bucketMs };
    s.lines.forEach((_, i) => {
      const c = counts[i][b];
      row[`l${i}`] = c ? sums[i][b] / c : null;
    });
    rows.push(row);
  }
  lines.forEach((l, i) => {
    for (let b = n - 1; b >= 0; b--) {
      if (counts[i][b]) {
        l.last = sums[i][b] / counts[i][b];
        break;
      }
    }
  });
  return { id: meta.id, title: meta.title, unit: meta.unit, group: meta.group, description: meta.description, states: meta.states, lines, rows, bucketMs, from, to };
}

export function shapeHistory(result: HistoryResult, metas: readonly ChartMeta[], from: number, to: number, range: RangeKey): ChartsModel {
  const byId = new Map(result.series.map((s) => [s.id, s]));
  const charts: ChartData[] = [];
  const empty: ChartMeta[] = [];
  for (const m of metas) {
    const s = byId.get(m.id);
    if (!s || s.lines.every((l) => l.points.length === 0)) {
      empty.push(m);
      continue;
    }
    charts.push(shapeSeries(s, m, from, to));
  }
  const sections: ChartsModel['sections'] = [];
  for (const c of charts) {
    const g = c.group ?? '';
    let sec = sections.find((x) => x.group === g);
    if (!sec) sections.push((sec = { group: g, charts: [] }));
    sec.charts.push(c);
  }
  return { range, backend: result.backend, charts, sections, empty };
}

/** Queries the node's series over the range and shapes them; never throws (the page says why charts are missing). */
export async function nodeCharts(
  history: HistoryBackend | undefined,
  q: { cluster: string; node: string; range: RangeKey; now: number; metas: readonly ChartMeta[] },
  unavailable = 'History is not available: no history back end runs (no database and no Prometheus configured).',
): Promise<ChartsModel> {
  if (!history) return { range: q.range, unavailable, charts: [], sections: [], empty: [] };
  const status = history.status();
  if (!status.available) return { range: q.range, backend: history.kind, unavailable: `History is unavailable: ${status.reason ?? 'the history back end does not answer'}.`, charts: [], sections: [], empty: [] };
  const from = q.now - RANGE_MS[q.range];
  try {
    const result = await history.query({ cluster: q.cluster, node: q.node, series: q.metas.map((m) => m.id), from, to: q.now, maxPoints: MAX_POINTS });
    return shapeHistory(result, q.metas, from, q.now, q.range);
  } catch (err) {
    return { range: q.range, backend: history.kind, unavailable: `History could not be read: ${(err as Error).message}`, charts: [], sections: [], empty: [] };
  }
}
