// Test series in promtool's notation, as a SampleSource for the native evaluator: the rule tests
// and the parity test feed the same series to `promtool test rules` and to alerts/engine.ts.
// Semantics of Prometheus 2.x: one sample per interval from time 0 (the Unix epoch), an instant
// selector sees the latest sample at most 5 minutes old (both ends included), a staleness marker
// hides the series until its next sample, range selectors include both ends.
import { metrics, type MetricId } from '../collectors/metrics/catalogue';
import { cleanLabels, type Labels, type RangeSeries, type Sample, type SampleSource } from './evaluate';
import type { SeriesSpec } from './rule';

export const LOOKBACK_MS = 5 * 60_000;

/** One value per step: a number, undefined (missing, `_`) or 'stale'. */
export type Step = number | undefined | 'stale';

export class SeriesNotationError extends Error {
  override name = 'SeriesNotationError';
}

const NUM = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
const EXPANDING = new RegExp(`^(${NUM})(?:([+-])(${NUM.replace('[-+]?', '')}))?x(\\d+)$`);

/** Expands promtool's value notation ("1 1 0x10", "0+5x3", "_x2", "stale"). */
export function expandValues(text: string): Step[] {
  const out: Step[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    if (tok === '_') out.push(undefined);
    else if (tok === 'stale') out.push('stale');
    else if (/^_x\d+$/.test(tok)) for (let i = 0; i < Number(tok.slice(2)); i++) out.push(undefined);
    else if (new RegExp(`^${NUM}$`).test(tok)) out.push(Number(tok));
    else {
      const m = EXPANDING.exec(tok);
      if (!m) throw new SeriesNotationError(`'${tok}' is not promtool series notation (a number, a+bxn, a-bxn, axn, _, _xn or stale)`);
      const a = Number(m[1]);
      const b = m[2] ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
      for (let i = 0; i <= Number(m[4]); i++) out.push(a + i * b);
    }
  }
  return out;
}

/** The promtool series selector of a spec: name{label="value",…}. */
export function seriesSelector(spec: SeriesSpec): string {
  const labels = Object.entries(spec.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return labels.length ? `${spec.metric.name}{${labels.join(', ')}}` : spec.metric.name;
}

interface Points {
  labels: Labels;
  steps: Step[];
}

export class SeriesSource implements SampleSource {
  private readonly byMetric = new Map<MetricId, Points[]>();

  constructor(
    specs: readonly SeriesSpec[],
    private readonly intervalMs = 60_000,
  ) {
    const idOf = new Map<string, MetricId>(Object.entries(metrics).map(([id, d]) => [d.name, id as MetricId]));
    for (const spec of specs) {
      const id = idOf.get(spec.metric.name);
      if (!id) throw new SeriesNotationError(`${spec.metric.name} is not a catalogue metric`);
      const list = this.byMetric.get(id) ?? [];
      list.push({ labels: cleanLabels(spec.labels), steps: expandValues(spec.values) });
      this.byMetric.set(id, list);
    }
  }

  instant(metric: MetricId, atMs: number): Sample[] {
    const out: Sample[] = [];
    for (const s of this.byMetric.get(metric) ?? []) {
      // The latest step at or before atMs that has a sample.
      let i = Math.min(Math.floor(atMs / this.intervalMs), s.steps.length - 1);
      while (i >= 0 && s.steps[i] === undefined) i--;
      if (i < 0 || atMs < 0) continue;
      const v = s.steps[i];
      if (v === 'stale' || v === undefined || atMs - i * this.intervalMs > LOOKBACK_MS) continue;
      out.push({ labels: s.labels, value: v });
    }
    return out;
  }

  range(metric: MetricId, fromMs: number, toMs: number): RangeSeries[] {
    const out: RangeSeries[] = [];
    for (const s of this.byMetric.get(metric) ?? []) {
      const values: number[] = [];
      for (let i = Math.max(0, Math.ceil(fromMs / this.intervalMs)); i < s.steps.length && i * this.intervalMs <= toMs; i++) {
        const v = s.steps[i];
        if (typeof v === 'number') values.push(v);
      }
      if (values.length) out.push({ labels: s.labels, values });
    }
    return out;
  }
}
