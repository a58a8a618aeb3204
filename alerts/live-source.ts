// The embedded evaluator's samples: exactly what /metrics exposes at this moment (the collector
// registry's samples, derived from the observation store through each source's emit()), read
// once per evaluation — the evaluation is the "scrape". The registry hands them out per
// observation, the same arrays while an observation is unchanged, so what a selector picks from
// one observation is kept and reused until the next poll replaces it: a cycle costs little more
// than the observations that changed. For conditions that look back (offset, max_over_time) it
// keeps each needed series' history as runs of equal values between evaluations, trimmed to the
// longest look-back any rule needs.
import type { MetricId } from '../collectors/metrics/catalogue';
import type { DerivedValue } from '../collectors/metrics/derived';
import { labelKey, type Labels, type RangeSeries, type Sample, type SampleSource } from './evaluate';
import type { Matcher } from './language';
import { LOOKBACK_MS } from './series';

export interface SampleReader {
  samples(ids?: ReadonlySet<MetricId>): ReadonlyMap<MetricId, readonly DerivedValue[]>;
  /** The same samples, one array per observation (collectors/metrics/registry.ts). */
  sampleGroups?(ids?: ReadonlySet<MetricId>): ReadonlyMap<MetricId, ReadonlyArray<readonly DerivedValue[]>>;
}

interface Run {
  start: number;
  end: number;
  value: number;
  /** The first evaluation that no longer saw the series (Prometheus writes a staleness marker then). */
  staleAt?: number;
}

interface History {
  labels: Labels;
  runs: Run[];
}

export class LiveSource implements SampleSource {
  private readonly ids: ReadonlySet<MetricId>;
  /** Metric → look-back needed (ms) for the metrics read with an offset or a range. */
  private readonly lookback = new Map<MetricId, number>();
  private readonly history = new Map<MetricId, Map<string, History>>();
  private groups: ReadonlyMap<MetricId, ReadonlyArray<readonly DerivedValue[]>> = new Map();
  private readonly flat = new Map<MetricId, readonly DerivedValue[]>();
  /** Per group (an observation's samples of one metric), what each selector picked from it. */
  private readonly picked = new WeakMap<readonly DerivedValue[], WeakMap<readonly Matcher[], readonly Sample[]>>();
  private readonly keys = new WeakMap<Labels, string>();
  /** Per selector, the groups it read last and what it returned. */
  private readonly lastSelection = new WeakMap<readonly Matcher[], { metric: MetricId; groups: ReadonlyArray<readonly DerivedValue[]>; result: readonly Sample[] }>();
  private now = -Infinity;
  private previous = -Infinity;

  constructor(
    private readonly reader: SampleReader,
    reads: ReadonlyMap<MetricId, number>,
  ) {
    this.ids = new Set(reads.keys());
    for (const [id, seconds] of reads) if (seconds > 0) this.lookback.set(id, seconds * 1000);
  }

  /** Reads the current samples; call once per evaluation, with the evaluation's time. */
  refresh(now: number): void {
    this.previous = this.now;
    this.now = now;
    if (this.reader.sampleGroups) this.groups = this.reader.sampleGroups(this.ids);
    else this.groups = new Map([...this.reader.samples(this.ids)].map(([id, list]) => [id, [list]]));
    this.flat.clear();
    for (const [id, back] of this.lookback) this.record(id, back);
  }

  private current(metric: MetricId): readonly DerivedValue[] {
    let f = this.flat.get(metric);
    if (!f) {
      const g = this.groups.get(metric) ?? [];
      this.flat.set(metric, (f = g.length === 1 ? g[0] : g.flat()));
    }
    return f;
  }

  select(metric: MetricId, atMs: number, matchers: readonly Matcher[], test: (labels: Labels) => boolean): readonly Sample[] {
    if (atMs < this.now) return this.instant(metric, atMs).filter((s) => test(s.labels));
    const groups = this.groups.get(metric) ?? [];
    // Nothing this selector reads changed since the last cycle: the same result, the same array
    // (so what the evaluator derived from it can be reused too).
    const last = this.lastSelection.get(matchers);
    if (last && last.metric === metric && last.groups.length === groups.length && last.groups.every((g, i) => g === groups[i])) return last.result;
    const out: Sample[] = [];
    for (const g of groups) {
      let bySelector = this.picked.get(g);
      if (!bySelector) this.picked.set(g, (bySelector = new WeakMap()));
      let p = bySelector.get(matchers);
      if (!p) bySelector.set(matchers, (p = g.filter((s) => test(s.labels))));
      for (const s of p) out.push(s);
    }
    this.lastSelection.set(matchers, { metric, groups, result: out });
    return out;
  }

  instant(metric: MetricId, atMs: number): readonly Sample[] {
    if (atMs >= this.now) return this.current(metric);
    const out: Sample[] = [];
    for (const h of this.history.get(metric)?.values() ?? []) {
      const v = valueAt(h.runs, atMs);
      if (v !== undefined) out.push({ labels: h.labels, value: v });
    }
    return out;
  }

  /**
   * Each series' values within [from, to]: one value per run of equal values, which is exact for
   * max_over_time, the only range function of the condition language.
   */
  range(metric: MetricId, fromMs: number, toMs: number): readonly RangeSeries[] {
    const out: RangeSeries[] = [];
    for (const h of this.history.get(metric)?.values() ?? []) {
      const values = h.runs.filter((r) => r.start <= toMs && r.end >= fromMs).map((r) => r.value);
      if (values.length) out.push({ labels: h.labels, values });
    }
    return out;
  }

  /** Series kept for look-backs (for tests and the dashboard's cost figures). */
  historySize(): number {
    let n = 0;
    for (const m of this.history.values()) for (const h of m.values()) n += h.runs.length;
    return n;
  }

  private record(id: MetricId, back: number): void {
    let series = this.history.get(id);
    if (!series) this.history.set(id, (series = new Map()));
    const seen = new Set<string>();
    for (const s of this.current(id)) {
      let key = this.keys.get(s.labels);
      if (key === undefined) this.keys.set(s.labels, (key = labelKey(s.labels)));
      seen.add(key);
      let h = series.get(key);
      if (!h) series.set(key, (h = { labels: s.labels, runs: [] }));
      const last = h.runs[h.runs.length - 1];
      if (last && last.staleAt === undefined && last.end === this.previous && last.value === s.value) last.end = this.now;
      // A changed value starts a new run (the old one ended at the previous evaluation); a series
      // that was gone has its staleness recorded already.
      else h.runs.push({ start: this.now, end: this.now, value: s.value });
    }
    const horizon = this.now - back - LOOKBACK_MS;
    for (const [key, h] of series) {
      const last = h.runs[h.runs.length - 1];
      if (!seen.has(key) && last && last.staleAt === undefined) last.staleAt = this.now;
      while (h.runs.length && h.runs[0].end < horizon) h.runs.shift();
      if (!h.runs.length) series.delete(key);
    }
  }
}

/** The value an instant selector saw at `at`: the latest run started by then, unless stale or too old. */
function valueAt(runs: readonly Run[], at: number): number | undefined {
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i];
    if (r.start > at) continue;
    if (at <= r.end) return r.value;
    if (r.staleAt !== undefined && at >= r.staleAt) return undefined;
    return at - r.end <= LOOKBACK_MS ? r.value : undefined;
  }
  return undefined;
}
