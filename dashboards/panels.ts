// Building blocks of IMPulse's Grafana dashboards (@grafana/grafana-foundation-sdk): a dashboard
// with the Prometheus data source and cluster/node variables, and the panel kinds we use, all
// reading the data source variable so one JSON works with any Prometheus.
import { BigValueColorMode, GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type DataSourceRef,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { metrics } from '../collectors/metrics/catalogue';
import { sel, VARIABLES } from './query';

export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
export const TAG = 'impulse';

type AnyPanel = TimeseriesPanel | StatPanel | TablePanel | StateTimelinePanel;

export interface Target {
  expr: string;
  legend?: string;
  /** Tables and stats of the current state read one instant. */
  instant?: boolean;
}

function query(t: Target, refId: string): DataqueryBuilder {
  const q = new DataqueryBuilder().expr(t.expr).refId(refId).datasource(DATASOURCE);
  if (t.legend) q.legendFormat(t.legend);
  if (t.instant) q.instant().format(PromQueryFormat.Table);
  else q.range();
  return q;
}

function withTargets<P extends AnyPanel>(p: P, targets: readonly Target[]): P {
  targets.forEach((t, i) => p.withTarget(query(t, String.fromCharCode(65 + i))));
  return p;
}

export interface Size {
  span?: number;
  height?: number;
}

export function timeseries(title: string, description: string, targets: readonly Target[], o: Size & { unit?: string; min?: number; max?: number; threshold?: number } = {}): TimeseriesPanel {
  const p = new TimeseriesPanel().title(title).description(description).datasource(DATASOURCE).span(o.span ?? 12).height(o.height ?? 8).unit(o.unit ?? 'short');
  if (o.min !== undefined) p.min(o.min);
  if (o.max !== undefined) p.max(o.max);
  if (o.threshold !== undefined) {
    p.thresholds(thresholds([{ value: o.threshold, color: 'red' }]));
    p.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Line));
  }
  return withTargets(p, targets);
}

export function stat(title: string, description: string, target: Target, o: Size & { unit?: string; warn?: number; bad?: number } = {}): StatPanel {
  const steps: Array<{ value: number; color: string }> = [];
  if (o.warn !== undefined) steps.push({ value: o.warn, color: 'orange' });
  if (o.bad !== undefined) steps.push({ value: o.bad, color: 'red' });
  const p = new StatPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .span(o.span ?? 4)
    .height(o.height ?? 4)
    .unit(o.unit ?? 'short')
    .thresholds(thresholds(steps))
    .colorMode(BigValueColorMode.Background);
  return withTargets(p, [{ ...target, instant: true }]);
}

/** A table of an instant query; `columns` keeps and orders the labels shown (plus the value). */
export function table(title: string, description: string, target: Target, o: Size & { columns: string[]; value?: string; unit?: string; valueText?: Record<string, string> } = { columns: [] }): TablePanel {
  const p = new TablePanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .span(o.span ?? 24)
    .height(o.height ?? 8)
    .unit(o.unit ?? 'short');
  const indexByName: Record<string, number> = {};
  const renameByName: Record<string, string> = {};
  const excludeByName: Record<string, boolean> = { Time: true, __name__: true, job: true, instance: true };
  o.columns.forEach((c, i) => (indexByName[c] = i));
  indexByName.Value = o.columns.length;
  if (o.value) renameByName.Value = o.value;
  p.withTransformation({ id: 'organize', options: { indexByName, renameByName, excludeByName, includeByName: {} } });
  if (o.valueText) {
    p.mappings([{ type: MappingType.ValueToText, options: Object.fromEntries(Object.entries(o.valueText).map(([v, text], i) => [v, { text, index: i }])) }]);
  }
  return withTargets(p, [{ ...target, instant: true }]);
}

export function stateTimeline(title: string, description: string, targets: readonly Target[], o: Size = {}): StateTimelinePanel {
  const p = new StateTimelinePanel().title(title).description(description).datasource(DATASOURCE).span(o.span ?? 24).height(o.height ?? 8);
  return withTargets(p, targets);
}

/** Green below the first step (Grafana's base step has the value null). */
function thresholds(steps: ReadonlyArray<{ value: number; color: string }>): ThresholdsConfigBuilder {
  const all: Threshold[] = [{ value: null as unknown as number, color: 'green' }, ...steps];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(all);
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** Which variables it has: cluster (multi unless `singleCluster`) and node. */
  variables: { cluster: 'multi' | 'single'; node?: 'multi' | 'single' };
  /** Panels and rows, in order (a RowBuilder starts a new row). */
  content: ReadonlyArray<AnyPanel | RowBuilder>;
}

/** Builds one dashboard and numbers its panels (Grafana needs unique ids for links and repeats). */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const d = new DashboardBuilder(`IMPulse / ${spec.title}`)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG, 'cisco', 'im-and-presence'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .link(new DashboardLinkBuilder('IMPulse dashboards').type(DashboardLinkType.Dashboards).tags([TAG]).asDropdown(true).includeVars(true).keepTime(true))
    // Grafana's built-in annotations (alerts and manual annotations), as a new dashboard has them.
    .annotation(new AnnotationQueryBuilder().name('Annotations & Alerts').datasource({ type: 'grafana', uid: '-- Grafana --' }).enable(true).hide(true).iconColor('rgba(0, 211, 255, 1)').builtIn(1).type('dashboard'))
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'));
  const nodeInfo = metrics.nodeInfo;
  d.withVariable(
    new QueryVariableBuilder('cluster')
      .label('Cluster')
      .datasource(DATASOURCE)
      .query(`label_values(${nodeInfo.name}, cluster)`)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(spec.variables.cluster === 'multi')
      .includeAll(spec.variables.cluster === 'multi')
      .allValue('.*'),
  );
  if (spec.variables.node) {
    d.withVariable(
      new QueryVariableBuilder('node')
        .label('Node')
        .datasource(DATASOURCE)
        .query(`label_values(${sel(nodeInfo, { cluster: { re: VARIABLES.cluster } })}, node)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(spec.variables.node === 'multi')
        .includeAll(spec.variables.node === 'multi')
        .allValue('.*'),
    );
  }
  let open: RowBuilder | undefined;
  const rows: RowBuilder[] = [];
  for (const item of spec.content) {
    if (item instanceof RowBuilder) {
      open = item;
      rows.push(item);
    } else if (open) open.withPanel(item);
    else d.withPanel(item);
  }
  for (const r of rows) d.withRow(r);
  const built = d.build();
  // Ids in order, and a layout that wraps a panel that does not fit the rest of the line (the
  // builder's own placement lets it overflow the 24 columns).
  let id = 1;
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  const place = (g: { x: number; y: number; w: number; h: number }) => {
    if (x + g.w > 24) {
      x = 0;
      y += lineHeight;
      lineHeight = 0;
    }
    g.x = x;
    g.y = y;
    x += g.w;
    lineHeight = Math.max(lineHeight, g.h);
  };
  for (const p of built.panels ?? []) {
    p.id = id++;
    const inner = (p as { panels?: Array<{ id?: number; gridPos?: { x: number; y: number; w: number; h: number } }> }).panels;
    if (p.type === 'row') {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
      p.gridPos = { x: 0, y, w: 24, h: 1 };
      y += 1;
      for (const q of inner ?? []) {
        q.id = id++;
        if (q.gridPos) place(q.gridPos);
      }
    } else if (p.gridPos) place(p.gridPos as { x: number; y: number; w: number; h: number });
  }
  return built;
}
