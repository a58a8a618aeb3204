// The series the node page charts, for a node of the given product: the definitions beside the
// metric catalogue (collectors/metrics/series.ts), in their order, mapped to what a chart needs.
import { seriesForProduct, SERIES_GROUPS } from '../../collectors/metrics/series';
import type { ChartMeta } from '../../collectors/views/charts';

export function chartMetas(product: 'cucm' | 'imp'): ChartMeta[] {
  return seriesForProduct(product).map((d) => ({
    id: d.id,
    title: d.title,
    unit: d.unit,
    split: d.splitBy,
    group: d.group,
    description: d.description,
    states: d.states,
  }));
}

export const CHART_GROUPS: Record<(typeof SERIES_GROUPS)[number], string> = {
  presence: 'Presence',
  platform: 'Platform',
  database: 'Database and replication',
  collection: 'Collection',
};
