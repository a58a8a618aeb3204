// Observations → chart samples. Values are not derived here: each observation goes through the
// collector's own emit path (CollectorMetrics.emitObservation: the source's emit() and the
// per-target self-metrics), and the samples of metrics a chart draws are kept, one line per
// value of the series' split label. What a chart shows is therefore what /metrics exported.
import type { SourceName } from '../../config/schema';
import type { Observation } from '../engine/store';
import { metrics, type MetricId } from '../metrics/catalogue';
import { SERIES, type SeriesDef } from '../metrics/series';
import type { MetricSink } from '../metrics/sink';
import type { SeriesKey } from '../../db/history';

/** What the recorder needs from the collector's metrics registry. */
export interface ObservationEmitter {
  emitObservation(e: Observation, out: MetricSink, withSource?: boolean): void;
}

export interface SampleSink {
  record(key: SeriesKey, t: number, v: number): void;
}

const defsByMetric = new Map<MetricId, SeriesDef[]>();
for (const d of SERIES) defsByMetric.set(d.metric, [...(defsByMetric.get(d.metric) ?? []), d]);

/** Sources whose own metrics some chart draws (the others only feed the self-metrics). */
const SOURCES_WITH_SERIES: ReadonlySet<string> = new Set(SERIES.map((d) => metrics[d.metric].source).filter((s) => s !== 'engine'));

export class HistoryRecorder {
  /** Per observation key, the success already recorded (a failed poll repeats the old value). */
  private readonly recordedAt = new Map<string, number>();

  constructor(
    private readonly emitter: ObservationEmitter,
    private readonly sink: SampleSink,
  ) {}

  observe(e: Observation): void {
    const key = `${e.cluster}\u0000${e.node}\u0000${e.source}`;
    const fresh = e.ok && e.at !== undefined && this.recordedAt.get(key) !== e.at;
    const withSource = fresh && SOURCES_WITH_SERIES.has(e.source as SourceName);
    if (fresh) this.recordedAt.set(key, e.at!);
    const out: MetricSink = (id, labels, value) => {
      const defs = defsByMetric.get(id);
      if (!defs) return;
      // Self-metrics describe the attempt; source metrics the successful poll.
      const t = metrics[id].source === 'engine' ? e.lastAttemptAt : e.at;
      if (t === undefined) return;
      for (const def of defs) {
        const line = def.splitBy ? (labels[def.splitBy] ?? '') : '';
        this.sink.record({ cluster: labels.cluster ?? e.cluster, node: labels.node ?? e.node, series: def.id, line }, t, value);
      }
    };
    this.emitter.emitObservation(e, out, withSource);
  }
}
