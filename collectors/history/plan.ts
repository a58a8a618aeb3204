// What both history back ends agree on: retention, the rollup step, when a chart reads raw
// points and when rollups, and which series a query covers. The embedded store and the
// Prometheus back end answer the same question with the same shape.
import type { Inventory, InventoryNode } from '../../config/resolve';
import { defaultIntervals, sourceNames, type SourceName } from '../../config/schema';
import { SERIES, seriesById, seriesIntervalMs, type SeriesDef } from '../metrics/series';
import type { HistoryQuery, Line, SeriesResult } from './types';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Raw samples at the collection interval are kept this long. */
export const RAW_RETENTION_MS = 48 * HOUR_MS;
/** 5-minute rollups (min/avg/max) are kept this long. */
export const ROLLUP_RETENTION_MS = 30 * DAY_MS;
export const ROLLUP_STEP_MS = 5 * 60_000;

export type Resolution = 'raw' | 'rollup';

/** Raw points when the whole range lies within raw retention, else rollups. */
export function resolutionFor(q: Pick<HistoryQuery, 'from' | 'to'>, now: number, rawRetentionMs = RAW_RETENTION_MS): Resolution {
  return q.to - q.from <= rawRetentionMs && q.from >= now - rawRetentionMs ? 'raw' : 'rollup';
}

export function findNode(inventory: Inventory | undefined, cluster: string, node: string): InventoryNode | undefined {
  return inventory?.clusters.find((c) => c.name === cluster)?.nodes.find((n) => n.name === node);
}

/**
 * The series a query covers, in SERIES order: the requested ones (unknown ids are an error), or
 * all; restricted to the node's product when the inventory knows the node.
 */
export function seriesOfQuery(q: HistoryQuery, node: InventoryNode | undefined): SeriesDef[] {
  let defs: SeriesDef[];
  if (q.series) {
    const unknown = q.series.filter((id) => !seriesById.has(id));
    if (unknown.length) throw new Error(`unknown series: ${unknown.join(', ')} (known: ${SERIES.map((s) => s.id).join(', ')})`);
    const wanted = new Set(q.series);
    defs = SERIES.filter((s) => wanted.has(s.id));
  } else defs = [...SERIES];
  return node ? defs.filter((d) => d.products.includes(node.product)) : defs;
}

export function checkQuery(q: HistoryQuery): void {
  if (!q.cluster || !q.node) throw new Error('history query: cluster and node are required');
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.from > q.to) throw new Error(`history query: expected from <= to (epoch ms), got ${q.from}..${q.to}`);
  if (q.maxPoints !== undefined && !(q.maxPoints >= 1)) throw new Error(`history query: maxPoints must be at least 1, got ${q.maxPoints}`);
}

/**
 * How often one line gets a sample: its source's interval. The collector's per-source series
 * (target-up, poll duration) have a line per source, each at that source's own interval.
 */
export function lineIntervalMs(def: SeriesDef, line: string, node: InventoryNode | undefined): number {
  if (def.splitBy === 'source' && (sourceNames as readonly string[]).includes(line)) {
    return (node?.polling[line as SourceName] ?? defaultIntervals[line as SourceName]) * 1000;
  }
  return seriesIntervalMs(def, node);
}

export interface StepPlan {
  /** Resolution of what is stored: the collection interval, or the 5-minute rollup. */
  nativeMs: number;
  /** Resolution of the answer: a multiple of nativeMs. */
  stepMs: number;
  /** True when several stored points make one answered point (min/avg/max over the step). */
  aggregate: boolean;
}

/**
 * The step of a series' answer: the stored resolution, coarsened to a multiple of it when the
 * range holds more than maxPoints (or than `cap`, Prometheus' per-series limit) points.
 */
export function stepPlan(def: SeriesDef, q: Pick<HistoryQuery, 'from' | 'to' | 'maxPoints'>, resolution: Resolution, node: InventoryNode | undefined, cap = Infinity): StepPlan {
  const nativeMs = resolution === 'rollup' ? ROLLUP_STEP_MS : seriesIntervalMs(def, node);
  const limit = Math.min(cap, q.maxPoints !== undefined && q.maxPoints >= 1 ? Math.floor(q.maxPoints) : Infinity);
  const per = Number.isFinite(limit) ? Math.max(1, Math.ceil((q.to - q.from) / limit / nativeMs)) : 1;
  return { nativeMs, stepMs: per * nativeMs, aggregate: per > 1 };
}

/** Lines with points, sorted by key; the label object names the split label. */
export function finishSeries(def: SeriesDef, stepMs: number, byKey: Map<string, Line['points']>): SeriesResult {
  const lines: Line[] = [];
  for (const [key, points] of byKey) {
    if (points.length === 0) continue;
    lines.push({ key, labels: def.splitBy ? { [def.splitBy]: key } : {}, points });
  }
  lines.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { id: def.id, stepMs, lines };
}
