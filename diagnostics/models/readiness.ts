// The /readiness page's model: the selected readiness run's Go / No-Go per cluster with the reasons,
// the manual checklist with who ticked what, the overall state, the checks, history, and the HTML
// export of the same report.
import type { ImpulseRuntime } from '../../server/runtime';
import { overallReadiness, READINESS_CHECKLIST, type ReadinessReport } from '../readiness';
import type { RunProgress } from '../run';
import { diagnosticsOf, inCatalogueOrder, href, progressOf, runHeader, selectRun, when, type RunHeader, type SearchParams, type Unavailable } from './common';
import { resultView, type ResultView } from './troubleshooter';

export interface ReadinessView {
  ok: true;
  historyUnavailable?: string;
  active?: { id: number; kind: string };
  clusters: Array<{ name: string; product: string }>;
  upgradeWindowDays: number;
  run?: RunHeader;
  progress?: RunProgress;
  report?: ReadinessReport;
  overall?: { verdict: string; confirmed: number; total: number };
  checklist: Array<{ id: string; label: string; source: string; checked: boolean; by: string | null; at: string | null; note: string | null }>;
  results: ResultView[];
  htmlHref?: string;
  history: Array<RunHeader & { href: string; result: string }>;
}

export function readinessView(rt: ImpulseRuntime | undefined, sp: SearchParams): ReadinessView | Unavailable {
  const a = diagnosticsOf(rt);
  if (!a.ok) return a;
  const { d } = a;
  const store = d.store;
  const view: ReadinessView = {
    ok: true,
    historyUnavailable: d.historyUnavailable,
    active: d.active(),
    clusters: a.rt.inventory.clusters.map((c) => ({ name: c.name, product: c.product === 'imp' ? 'IM&P' : 'CUCM' })),
    upgradeWindowDays: d.settings.upgradeWindowDays,
    checklist: [],
    results: [],
    history: store.listRuns({ kind: 'readiness', limit: 20 }).map((r) => {
      const full = store.getRun(r.id);
      const rep = full?.report as ReadinessReport | null;
      const verdict = !rep ? r.status : rep.clusters.some((c) => c.verdict === 'No-Go') ? 'No-Go' : 'Go';
      return { ...runHeader(r), href: href('/readiness', { run: r.id }), result: verdict };
    }),
  };
  const run = selectRun(store, sp, ['readiness']);
  if (!run) return view;
  const results = inCatalogueOrder(store.results(run.id));
  view.run = runHeader(run, results);
  view.progress = progressOf(d, run);
  view.report = (run.report as ReadinessReport | null) ?? undefined;
  const ticks = store.checklist(run.id);
  view.checklist = READINESS_CHECKLIST.map((i) => {
    const t = ticks.find((x) => x.itemId === i.id);
    return { ...i, checked: t?.checked ?? false, by: t?.by ?? null, at: when(t?.at), note: t?.note ?? null };
  });
  if (view.report) view.overall = overallReadiness(view.report, ticks);
  view.results = results.map((r) => resultView(r, r.status === 'passed' ? [] : store.items(run.id, { checkIds: [r.checkId], limit: 10 }), run.id));
  if (run.status === 'completed') view.htmlHref = `/api/diagnostics/runs/${run.id}/export?format=readiness-html`;
  return view;
}
