// PromQL for dashboard panels, written with the collectors' metric catalogue: selectors take a
// MetricDef (never a metric name typed again) and the dashboard's template variables. A checker
// parses each query with @prometheus-io/lezer-promql and lists the metrics it reads.
import { parser } from '@prometheus-io/lezer-promql';
import { catalogue, type MetricDef } from '../collectors/metrics/catalogue';

/** Template variables every query may use, with the values the tests substitute. */
export const VARIABLES = { cluster: '$cluster', node: '$node' } as const;

/** A label matcher value: exact, or a regex with =~ (variables are always regexes: "All" is .*). */
type Match = string | { re: string } | { not: string };

/** name{labels}: `sel(metrics.cpuUsageRatio, { cluster: $cluster, node: $node })`. */
export function sel(metric: MetricDef, match: Record<string, Match> = {}): string {
  const parts = Object.entries(match).map(([label, m]) => {
    if (!metric.labels.includes(label)) throw new Error(`dashboards: ${metric.name} has no label '${label}'`);
    if (typeof m === 'string') return `${label}="${m}"`;
    if ('re' in m) return `${label}=~"${m.re}"`;
    return `${label}!="${m.not}"`;
  });
  return parts.length ? `${metric.name}{${parts.join(', ')}}` : metric.name;
}

/** Matchers for the dashboard's variables. */
export const inCluster = { cluster: { re: VARIABLES.cluster } } as const;
export const onNode = { cluster: { re: VARIABLES.cluster }, node: { re: VARIABLES.node } } as const;

export function re(values: readonly string[]): { re: string } {
  return { re: values.map((v) => v.replace(/[\\^$.|?*+()[\]{}]/g, '\\\\$&')).join('|') };
}

/** Grafana's variables replaced by values PromQL accepts (for parsing and for running a query). */
export function substitute(expr: string, values: { cluster?: string; node?: string } = {}): string {
  return expr
    .replaceAll('$__rate_interval', '2m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replaceAll(VARIABLES.cluster, values.cluster ?? '.*')
    .replaceAll(VARIABLES.node, values.node ?? '.*');
}

export interface QueryCheck {
  /** Parse errors with their position, empty when the query parses. */
  errors: string[];
  /** Metric names the query selects. */
  metrics: string[];
}

/** Parses a query with lezer-promql (after substituting variables) and lists its metrics. */
export function checkQuery(expr: string): QueryCheck {
  const text = substitute(expr);
  const tree = parser.parse(text);
  const errors: string[] = [];
  const names: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: '${text.slice(Math.max(0, node.from - 10), node.to + 10)}'`);
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.push(text.slice(id.from, id.to));
      }
    },
  });
  return { errors, metrics: [...new Set(names)] };
}

/** Names a query may select: the catalogue's, and a histogram's _bucket/_sum/_count series. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set(catalogue.flatMap((d) => (d.type === 'histogram' ? [`${d.name}_bucket`, `${d.name}_sum`, `${d.name}_count`] : [d.name])));
