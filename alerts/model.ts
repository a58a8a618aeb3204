// The /alerts page's model: what the alerting service reports, filtered by the query string,
// grouped by cluster and ordered the way an on-call engineer reads it (firing before pending,
// critical first, longest-standing first), with the maintenance form's choices. Pages render
// this; they compute nothing.
import type { Inventory } from '../config/resolve';
import type { AlertRow } from '../db/alerts';
import { RULES } from './catalogue';
import type { AlertingHandle, AlertingSnapshot, AlertView, HistoryView, RuleView, SilenceView, WindowView } from './handle';
import { parseMarkdown, type Block } from './markdown';
import type { TargetStatus } from './notify';

export interface AlertsQuery {
  cluster?: string;
  severity?: string;
  state?: 'firing' | 'pending';
  alertname?: string;
  /** History page: resolved before this epoch ms. */
  before?: number;
}

export interface ClusterGroup {
  /** '' for alerts without a cluster label (the collector itself). */
  cluster: string;
  alerts: AlertView[];
  counts: { critical: number; warning: number; info: number; pending: number };
}

export interface AlertsPage {
  mode: AlertingSnapshot['mode'];
  unavailable?: string;
  intervalMs: number;
  evaluatedAt?: number;
  lastCycleMs?: number;
  counts: { critical: number; warning: number; info: number; pending: number; suppressed: number };
  groups: ClusterGroup[];
  /** Alerts before filtering, to say "n hidden by the filter". */
  total: number;
  rules: RuleView[];
  targets: TargetStatus[];
  windows: { current: WindowView[]; past: WindowView[]; persistent: boolean };
  silences: { list: SilenceView[]; errors: string[]; fetchedAt?: number; alertmanagers: number };
  history: HistoryView & { next?: number };
  problems: string[];
  query: AlertsQuery;
  /** For the filters and the maintenance form. */
  choices: { clusters: Array<{ name: string; nodes: string[] }>; alertnames: string[]; severities: string[] };
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export function parseQuery(sp: Record<string, string | string[] | undefined>): AlertsQuery {
  const one = (k: string) => {
    const v = sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s && s.length <= 200 ? s : undefined;
  };
  const state = one('state');
  const before = Number(one('before'));
  return {
    cluster: one('cluster'),
    severity: one('severity'),
    state: state === 'firing' || state === 'pending' ? state : undefined,
    alertname: one('alertname'),
    before: Number.isFinite(before) && before > 0 ? before : undefined,
  };
}

export function alertsPage(alerts: AlertingHandle, inventory: Pick<Inventory, 'clusters'>, query: AlertsQuery): AlertsPage {
  const snap = alerts.snapshot();
  const matches = (a: AlertView) =>
    (!query.cluster || a.cluster === query.cluster) && (!query.severity || a.severity === query.severity) && (!query.state || a.state === query.state) && (!query.alertname || a.alertname === query.alertname);
  const shown = snap.alerts.filter(matches).sort(
    (a, b) =>
      (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) ||
      (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
      Number(Boolean(a.suppressedBy)) - Number(Boolean(b.suppressedBy)) ||
      a.activeAt - b.activeAt ||
      (a.node ?? '').localeCompare(b.node ?? ''),
  );
  const byCluster = new Map<string, AlertView[]>();
  for (const a of shown) byCluster.set(a.cluster ?? '', [...(byCluster.get(a.cluster ?? '') ?? []), a]);
  const groups = [...byCluster].map(([cluster, list]) => ({ cluster, alerts: list, counts: countOf(list) }));
  // Clusters with a firing critical alert first, then by name; alerts without a cluster last.
  groups.sort((a, b) => Number(a.cluster === '') - Number(b.cluster === '') || b.counts.critical - a.counts.critical || a.cluster.localeCompare(b.cluster));

  const windows = alerts.windows();
  const history = alerts.history({ cluster: query.cluster, severity: query.severity, alertname: query.alertname, before: query.before, limit: 50 });
  const last: AlertRow | undefined = history.rows[history.rows.length - 1];
  const all = countOf(snap.alerts);
  const sil = alerts.silences();
  return {
    mode: snap.mode,
    unavailable: snap.unavailable,
    intervalMs: snap.intervalMs,
    evaluatedAt: snap.evaluatedAt,
    lastCycleMs: snap.lastCycleMs,
    counts: { ...all, suppressed: snap.alerts.filter((a) => a.suppressedBy).length },
    groups,
    total: snap.alerts.length,
    rules: snap.rules,
    targets: snap.targets,
    windows: {
      current: windows.filter((w) => w.status === 'active' || w.status === 'scheduled'),
      past: windows.filter((w) => w.status === 'ended' || w.status === 'cancelled'),
      persistent: alerts.windowsPersistent(),
    },
    silences: { list: sil.silences, errors: sil.errors, fetchedAt: sil.fetchedAt, alertmanagers: snap.targets.filter((t) => t.kind === 'alertmanager').length },
    history: { ...history, next: history.rows.length === 50 && last?.resolvedAt ? last.resolvedAt : undefined },
    problems: snap.problems,
    query,
    choices: {
      clusters: inventory.clusters.map((c) => ({ name: c.name, nodes: c.nodes.map((n) => n.name) })),
      alertnames: RULES.map((r) => r.name),
      severities: ['critical', 'warning', 'info'],
    },
  };
}

function countOf(list: readonly AlertView[]): ClusterGroup['counts'] {
  const c = { critical: 0, warning: 0, info: 0, pending: 0 };
  for (const a of list) {
    if (a.state === 'pending') c.pending++;
    else if (!a.suppressedBy && (a.severity === 'critical' || a.severity === 'warning' || a.severity === 'info')) c[a.severity]++;
  }
  return c;
}

/** The node page of the dashboard (built by the pages branch). */
export function nodeHref(cluster: string, node: string): string {
  return `/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(node)}`;
}

/** A query string with one field changed (filters keep the others). */
export function withQuery(q: AlertsQuery, change: Partial<Record<keyof AlertsQuery, string | number | undefined>>): string {
  const merged: Record<string, string | number | undefined> = { ...q, ...change };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `/alerts?${s}` : '/alerts';
}

/** "5 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "2025-06-01 14:03 UTC": the server does not know the reader's time zone. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface RunbookPage {
  name: string;
  blocks: Block[];
  rule?: { severity: string; for: number; origin: string; promql: string; summaryText: string; health: string; lastError?: string };
  active: AlertView[];
}

/** The runbook of an alert with its rule and current alerts; undefined when there is no such alert. */
export function runbookPage(alerts: AlertingHandle, name: string): RunbookPage | undefined {
  const text = alerts.runbook(name);
  if (text === undefined) return undefined;
  const snap = alerts.snapshot();
  const rule = snap.rules.find((r) => r.name === name);
  const def = RULES.find((r) => r.name === name)!;
  return {
    name,
    blocks: parseMarkdown(text),
    rule: rule && {
      severity: rule.severity,
      for: rule.for,
      origin: def.origin === 'cisco' ? "Cisco's alert" : def.origin === 'cisco-closest' ? "Cisco's alert, closest observable signal" : "IMPulse's own alert",
      promql: rule.promql,
      summaryText: def.summary.map((p) => (typeof p === 'string' ? p : 'label' in p ? `<${p.label}>` : '<value>')).join(''),
      health: rule.health,
      lastError: rule.lastError,
    },
    active: snap.alerts.filter((a) => a.alertname === name),
  };
}
