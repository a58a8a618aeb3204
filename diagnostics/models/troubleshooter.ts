// The /troubleshooter page's model: the run form's choices, the selected run (live progress while it
// runs; sections of results like Cisco's page once stored), one check's items paged, the history, and
// the diff with an earlier run. Filters live in the query string: ?run=, ?check=, ?page=, ?compare=.
import type { ImpulseRuntime } from '../../server/runtime';
import { CHECKS, USER_CHECK_IDS } from '../checks/index';
import { diffRuns, type DiffItem } from '../diff';
import type { RunProgress } from '../run';
import type { ItemRow, ResultRow } from '../store';
import { SECTIONS, STATUS_LABEL, type FixLink, type Section } from '../types';
import { diagnosticsOf, inCatalogueOrder, href, intParam, param, progressOf, runHeader, selectRun, type RunHeader, type SearchParams, type Unavailable } from './common';

export const INLINE_ITEMS = 20;
export const PAGE_SIZE = 100;

export interface ItemView {
  status: string;
  statusLabel: string;
  where: string;
  label: string;
  group?: string;
  detail?: string;
  fix?: string;
  ldap?: string;
}

export interface ResultView {
  checkId: string;
  title: string;
  status: ResultRow['status'];
  statusLabel: string;
  summary: string;
  problem: string | null;
  solution: string | null;
  fix: FixLink[];
  skippedWhy: string | null;
  itemCount: number;
  items: ItemView[];
  /** Link to every item, paged (the users page for user checks). */
  allItemsHref: string | null;
}

export interface TroubleshooterView {
  ok: true;
  historyUnavailable?: string;
  clusters: Array<{ name: string; product: string }>;
  checks: Array<{ section: Section; checks: Array<{ id: string; title: string }> }>;
  active?: { id: number; kind: string };
  run?: RunHeader;
  progress?: RunProgress;
  sections: Array<{ section: Section; results: ResultView[] }>;
  focus?: { result: ResultView; items: ItemView[]; page: number; pages: number; total: number; prevHref: string | null; nextHref: string | null };
  diff?: { previous: RunHeader; newCount: number; fixedCount: number; newProblems: ItemView[]; fixed: ItemView[]; unchanged: number; changed: Array<{ checkId: string; title: string; before: string; after: string }>; compareOptions: Array<{ id: number; label: string }> };
  history: Array<RunHeader & { href: string; result: string }>;
  csvHref?: string;
}

export function itemView(i: Pick<ItemRow, 'status' | 'cluster' | 'node' | 'label' | 'group' | 'detail' | 'fix' | 'data'>): ItemView {
  const data = (i.data ?? {}) as Record<string, unknown>;
  return {
    status: i.status,
    statusLabel: STATUS_LABEL[i.status as keyof typeof STATUS_LABEL] ?? i.status,
    where: [i.cluster, i.node].filter(Boolean).join(' / '),
    label: i.label,
    group: i.group,
    detail: i.detail,
    fix: i.fix,
    ldap: typeof data.ldapDn === 'string' ? `${data.ldapDirectory}: ${data.ldapDn}` : undefined,
  };
}

function diffItemView(i: DiffItem): ItemView {
  return itemView({ status: i.status, cluster: i.cluster ?? undefined, node: i.node ?? undefined, label: `${i.checkId}: ${i.label}`, detail: i.detail ?? undefined });
}

export function resultView(r: ResultRow, items: ItemRow[], runId: number): ResultView {
  const user = (USER_CHECK_IDS as readonly string[]).includes(r.checkId);
  return {
    checkId: r.checkId,
    title: r.title,
    status: r.status,
    statusLabel: STATUS_LABEL[r.status],
    summary: r.summary,
    problem: r.problem,
    solution: r.solution,
    fix: (r.fix as FixLink[] | null) ?? [],
    skippedWhy: r.skippedWhy,
    itemCount: r.itemCount,
    items: items.map(itemView),
    allItemsHref: r.itemCount > items.length ? (user ? href('/users', { run: runId, check: r.checkId }) : href('/troubleshooter', { run: runId, check: r.checkId })) : null,
  };
}

export function troubleshooterView(rt: ImpulseRuntime | undefined, sp: SearchParams): TroubleshooterView | Unavailable {
  const a = diagnosticsOf(rt);
  if (!a.ok) return a;
  const { d } = a;
  const store = d.store;
  const view: TroubleshooterView = {
    ok: true,
    historyUnavailable: d.historyUnavailable,
    clusters: a.rt.inventory.clusters.map((c) => ({ name: c.name, product: c.product === 'imp' ? 'IM&P' : 'CUCM' })),
    checks: SECTIONS.map((section) => ({ section, checks: CHECKS.filter((c) => c.section === section).map((c) => ({ id: c.id, title: c.title })) })),
    active: d.active(),
    sections: [],
    history: store.listRuns({ kind: 'troubleshooter', limit: 20 }).map((r) => {
      const h = runHeader(r);
      return { ...h, href: href('/troubleshooter', { run: r.id }), result: h.countsText };
    }),
  };
  const run = selectRun(store, sp, ['troubleshooter']);
  if (!run) return view;
  const results = inCatalogueOrder(store.results(run.id));
  view.run = runHeader(run, results);
  view.progress = progressOf(d, run);
  view.csvHref = `/api/diagnostics/runs/${run.id}/export?format=csv`;
  const resultViews = results.map((r) => resultView(r, r.itemCount ? store.items(run.id, { checkIds: [r.checkId], limit: INLINE_ITEMS }) : [], run.id));
  view.sections = SECTIONS.map((section) => ({ section, results: resultViews.filter((_, k) => results[k].section === section) })).filter((s) => s.results.length);

  const check = param(sp, 'check');
  const focused = check && results.find((r) => r.checkId.toLowerCase() === check.toLowerCase());
  if (focused) {
    const total = focused.itemCount;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = intParam(sp, 'page', 1, 1, pages);
    const items = store.items(run.id, { checkIds: [focused.checkId], offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }).map(itemView);
    const at = (p: number) => href('/troubleshooter', { run: run.id, check: focused.checkId, page: p });
    view.focus = { result: resultView(focused, [], run.id), items, page, pages, total, prevHref: page > 1 ? at(page - 1) : null, nextHref: page < pages ? at(page + 1) : null };
  }

  if (run.status !== 'running') {
    const compare = intParam(sp, 'compare', 0, 1) || store.previousRunId(run.id, ['troubleshooter']);
    const prev = compare ? store.getRun(compare) : undefined;
    if (prev && prev.id !== run.id) {
      const diff = diffRuns(store, run.id, prev.id);
      view.diff = {
        previous: runHeader(prev),
        newCount: diff.newProblems.length,
        fixedCount: diff.fixed.length,
        newProblems: diff.newProblems.slice(0, PAGE_SIZE).map(diffItemView),
        fixed: diff.fixed.slice(0, PAGE_SIZE).map(diffItemView),
        unchanged: diff.unchanged.length,
        changed: diff.changed,
        compareOptions: store
          .listRuns({ kind: 'troubleshooter', limit: 20, beforeId: run.id })
          .filter((r) => r.status === 'completed')
          .map((r) => ({ id: r.id, label: `#${r.id} ${runHeader(r).startedAt}` })),
      };
    }
  }
  return view;
}
