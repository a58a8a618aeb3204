// The series the node page charts, for a node of the given product. They are defined once, next
// to the metric catalogue (collectors/metrics/series.ts, the history branch); this maps them to
// what a chart needs. Until that module is merged there are no series to draw.
import type { ChartMeta } from '../../collectors/views/charts';

export function chartMetas(_product: 'cucm' | 'imp'): ChartMeta[] {
  return [];
}
