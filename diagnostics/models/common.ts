// What the three diagnostics pages share: the runtime's diagnostics handle, a run's header, the
// query-string filters (deep links), and formatting that belongs to the model, not to JSX.
import type { ImpulseRuntime } from '../../server/runtime';
import type { DiagnosticsRuntime } from '../../server/services/diagnostics';
import type { RunProgress, RunSummary } from '../run';
import type { ResultRow, RunKind, RunRow, RunStore } from '../store';
import { CHECKS } from '../checks/index';
import { CHECK_STATUSES, STATUS_LABEL, type CheckStatus } from '../types';

export type SearchParams = Record<string, string | string[] | undefined>;

export function param(sp: SearchParams, name: string): string | undefined {
  const v = sp[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

export function intParam(sp: SearchParams, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(param(sp, name));
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

export interface Unavailable {
  ok: false;
  title: string;
  message: string;
}

/** The diagnostics handle, or why the page cannot show runs. */
export function diagnosticsOf(rt: ImpulseRuntime | undefined): { ok: true; d: DiagnosticsRuntime; rt: ImpulseRuntime } | Unavailable {
  if (!rt) return { ok: false, title: 'No configuration loaded', message: 'The dashboard runs inside impulse start: run npm start (the built-in lab) or npm start -- --config impulse.config.yaml.' };
  if (!rt.diagnostics) return { ok: false, title: 'Diagnostics are not running', message: 'The diagnostics service did not start with this IMPulse; see its log.' };
  return { ok: true, d: rt.diagnostics, rt };
}

export interface RunHeader {
  id: number;
  kind: RunKind;
  status: RunRow['status'];
  statusLabel: string;
  startedAt: string;
  finishedAt: string | null;
  duration: string | null;
  actor: string;
  address: string | null;
  origin: string;
  scope: string;
  counts: Record<CheckStatus, number> | null;
  countsText: string;
  error: string | null;
  requests: string | null;
}

export function when(ms: number | null | undefined): string | null {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : null;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 90_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const RUN_STATUS: Record<RunRow['status'], string> = { running: 'Running', completed: 'Completed', failed: 'Failed to complete', interrupted: 'Interrupted' };

export function countsText(c: Record<CheckStatus, number> | null | undefined): string {
  if (!c) return '';
  return CHECK_STATUSES.filter((s) => c[s] > 0)
    .map((s) => `${c[s]} ${STATUS_LABEL[s].toLowerCase()}`)
    .join(', ');
}

export function runHeader(r: RunRow, results?: readonly ResultRow[]): RunHeader {
  const summary = r.summary as RunSummary | null;
  const scope = r.scope as { clusters?: string[]; checks?: string[]; allClusters?: boolean } | null;
  let counts = summary?.counts ?? null;
  if (!counts && results) {
    counts = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
    for (const x of results) counts[x.status]++;
  }
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    statusLabel: RUN_STATUS[r.status],
    startedAt: when(r.startedAt)!,
    finishedAt: when(r.finishedAt),
    duration: r.finishedAt ? duration(r.finishedAt - r.startedAt) : null,
    actor: r.actor,
    address: r.actorAddress,
    origin: r.origin,
    scope: `${scope?.allClusters || !scope?.clusters ? 'all clusters' : scope.clusters.join(', ')}; ${scope?.checks?.length ?? 0} checks`,
    counts,
    countsText: countsText(counts),
    error: r.error,
    requests: summary?.requests ? `${summary.requests.total.toLocaleString('en-US')} requests to ${summary.requests.nodes} nodes` : null,
  };
}

/** The selected run (?run=), else the newest of the kinds. */
export function selectRun(store: RunStore, sp: SearchParams, kinds: readonly RunKind[]): RunRow | undefined {
  const id = intParam(sp, 'run', 0, 1);
  if (id) {
    const r = store.getRun(id);
    if (r) return r;
  }
  const newest = store.listRuns({ kind: kinds, limit: 1 })[0];
  // The list leaves the report and progress out: read the whole run.
  return newest && store.getRun(newest.id);
}

export function progressOf(d: DiagnosticsRuntime, r: RunRow): RunProgress | undefined {
  return r.status === 'running' ? d.progress(r.id) : undefined;
}

/** Results in the catalogue's order (the store keeps the order they finished in). */
export function inCatalogueOrder<T extends { checkId: string }>(results: readonly T[]): T[] {
  const at = new Map(CHECKS.map((c, i) => [c.id, i]));
  return [...results].sort((a, b) => (at.get(a.checkId) ?? 999) - (at.get(b.checkId) ?? 999));
}

/** A URL of `path` with the given query (undefined values dropped). */
export function href(path: string, q: Record<string, string | number | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `${path}?${t}` : path;
}
