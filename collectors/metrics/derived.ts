// prom-client metric objects whose samples are computed at scrape time from the observation
// store (not kept in label-hash maps): one refresh per scrape fills every derived metric, so a
// node that stops answering simply stops having series once its data is stale.
import type { MetricDef } from './catalogue';
import type { Labels } from './sink';

export interface DerivedValue {
  labels: Labels;
  value: number;
}

/** The part of prom-client's Metric contract the Registry uses (registerMetric, metrics(), getMetricsAsJSON()). */
export class DerivedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge';
  readonly aggregator = 'sum' as const;
  values: DerivedValue[] = [];

  constructor(
    readonly def: MetricDef,
    private readonly beforeRead: () => void,
  ) {
    if (def.type !== 'gauge') throw new Error(`derived metric ${def.name} must be a gauge`);
    this.name = def.name;
    this.help = def.help;
    this.type = 'gauge';
  }

  async get(): Promise<{ name: string; help: string; type: 'gauge'; values: DerivedValue[]; aggregator: 'sum' }> {
    this.beforeRead();
    return { name: this.name, help: this.help, type: this.type, values: this.values, aggregator: this.aggregator };
  }

  reset(): void {
    this.values = [];
  }
}
