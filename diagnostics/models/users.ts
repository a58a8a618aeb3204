// The /users page's model: the user checks of the selected run (a user-validation run or a
// troubleshooter run), every flagged user paged (no 10-user cap), searchable and filtered by check,
// cluster and node from the query string, with CSV and Cisco-layout text downloads of the same view.
import type { ImpulseRuntime } from '../../server/runtime';
import { USER_CHECK_IDS } from '../checks/index';
import type { RunSummary } from '../run';
import { STATUS_LABEL } from '../types';
import { diagnosticsOf, inCatalogueOrder, href, intParam, param, progressOf, runHeader, selectRun, type RunHeader, type SearchParams, type Unavailable } from './common';
import type { RunProgress } from '../run';

export const USERS_PAGE_SIZE = 100;

export interface UserRowView {
  checkId: string;
  status: string;
  cluster: string;
  node: string;
  userId: string;
  directoryUri: string;
  mail: string;
  shared: string;
  detail: string;
  ldap?: string;
  fix?: string;
}

export interface UsersView {
  ok: true;
  historyUnavailable?: string;
  active?: { id: number; kind: string };
  run?: RunHeader;
  progress?: RunProgress;
  checks: Array<{ id: string; title: string; status: string; statusLabel: string; summary: string; count: number; href: string; selected: boolean; problem: string | null; solution: string | null }>;
  filters: { check?: string; cluster?: string; node?: string; q?: string };
  clusters: string[];
  nodes: string[];
  rows: UserRowView[];
  total: number;
  page: number;
  pages: number;
  prevHref: string | null;
  nextHref: string | null;
  csvHref?: string;
  textHref?: string;
  jsonHref?: string;
  users?: { clusters: number; users: number };
  ldap?: RunSummary['ldap'];
  history: Array<RunHeader & { href: string; result: string }>;
}

export function usersView(rt: ImpulseRuntime | undefined, sp: SearchParams): UsersView | Unavailable {
  const a = diagnosticsOf(rt);
  if (!a.ok) return a;
  const { d } = a;
  const store = d.store;
  const imp = a.rt.inventory.clusters.filter((c) => c.product === 'imp');
  const hasUserChecks = (r: { scope: unknown }) => ((r.scope as { checks?: string[] } | null)?.checks ?? []).some((c) => (USER_CHECK_IDS as readonly string[]).includes(c));
  const filters = { check: param(sp, 'check')?.toUpperCase(), cluster: param(sp, 'cluster'), node: param(sp, 'node'), q: param(sp, 'q') };
  const view: UsersView = {
    ok: true,
    historyUnavailable: d.historyUnavailable,
    active: d.active(),
    checks: [],
    filters,
    clusters: imp.map((c) => c.name),
    nodes: imp.filter((c) => !filters.cluster || c.name === filters.cluster).flatMap((c) => c.nodes.map((n) => n.name)),
    rows: [],
    total: 0,
    page: 1,
    pages: 1,
    prevHref: null,
    nextHref: null,
    history: store.listRuns({ kind: ['users', 'troubleshooter'], limit: 50 }).filter(hasUserChecks).slice(0, 20).map((r) => {
      const h = runHeader(r);
      return { ...h, href: href('/users', { run: r.id }), result: h.countsText };
    }),
  };
  // The selected run, else the newest that ran a user check (a troubleshooter run of other checks says nothing of users).
  const picked = param(sp, 'run') ? selectRun(store, sp, ['users', 'troubleshooter']) : store.listRuns({ kind: ['users', 'troubleshooter'], limit: 50 }).find(hasUserChecks);
  const run = picked && store.getRun(picked.id);
  if (!run) return view;
  const results = inCatalogueOrder(store.results(run.id).filter((r) => (USER_CHECK_IDS as readonly string[]).includes(r.checkId)));
  view.run = runHeader(run, results);
  view.progress = progressOf(d, run);
  const summary = run.summary as RunSummary | null;
  view.users = summary?.users;
  view.ldap = summary?.ldap;
  const q = { run: run.id, cluster: filters.cluster, node: filters.node, q: filters.q };
  view.checks = results.map((r) => ({
    id: r.checkId,
    title: r.title,
    status: r.status,
    statusLabel: STATUS_LABEL[r.status],
    summary: r.summary,
    count: r.itemCount,
    href: href('/users', { ...q, check: r.checkId }),
    selected: filters.check === r.checkId,
    problem: r.problem,
    solution: r.solution,
  }));
  const checkIds = filters.check && results.some((r) => r.checkId === filters.check) ? [filters.check] : results.map((r) => r.checkId);
  const f = { checkIds, cluster: filters.cluster, node: filters.node, q: filters.q };
  view.total = store.countItems(run.id, f);
  view.pages = Math.max(1, Math.ceil(view.total / USERS_PAGE_SIZE));
  view.page = intParam(sp, 'page', 1, 1, view.pages);
  view.rows = store.items(run.id, { ...f, offset: (view.page - 1) * USERS_PAGE_SIZE, limit: USERS_PAGE_SIZE }).map((i) => {
    const data = (i.data ?? {}) as Record<string, unknown>;
    const s = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
    return {
      checkId: i.checkId,
      status: i.status,
      cluster: i.cluster ?? '',
      node: i.node ?? '',
      userId: s('userId') || i.label,
      directoryUri: s('directoryUri'),
      mail: s('mail'),
      shared: i.group ?? '',
      detail: i.detail ?? '',
      ldap: s('ldapDn') ? `${s('ldapDirectory')}: ${s('ldapDn')}` : undefined,
      fix: i.fix,
    };
  });
  const at = (p: number) => href('/users', { ...q, check: filters.check, page: p });
  view.prevHref = view.page > 1 ? at(view.page - 1) : null;
  view.nextHref = view.page < view.pages ? at(view.page + 1) : null;
  const exportQ = (format: string) => href(`/api/diagnostics/runs/${run.id}/export`, { format, check: filters.check, cluster: filters.cluster, node: filters.node, q: filters.q });
  view.csvHref = exportQ('users-csv');
  view.textHref = exportQ('users-text');
  view.jsonHref = exportQ('users-json');
  return view;
}
