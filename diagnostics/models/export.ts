// Downloads of a stored run (route /api/diagnostics/runs/<id>/export?format=…): the whole run as
// CSV, the user checks as CSV / Cisco-layout text / JSON (with the /users page's filters), and the
// readiness report as one HTML file.
import { USER_CHECK_IDS } from '../checks/index';
import type { ReadinessReport } from '../readiness';
import { RUN_CSV_HEADER, runCsvRows } from '../report/run-csv';
import { csvLine } from '../report/csv';
import type { ReportCheck } from '../report/items';
import { readinessHtml } from '../report/readiness-html';
import { USERS_CSV_HEADER, usersCsvRow, usersJson, usersValidateText } from '../report/users-report';
import type { RunStore } from '../store';
import { inCatalogueOrder } from './common';

export const EXPORT_FORMATS = ['csv', 'users-csv', 'users-text', 'users-json', 'readiness-html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  status: number;
  contentType: string;
  filename?: string;
  body: string;
}

export function exportRun(store: RunStore, id: number, format: string, f: { check?: string; cluster?: string; node?: string; q?: string }): ExportFile {
  const run = store.getRun(id);
  if (!run) return { status: 404, contentType: 'text/plain; charset=utf-8', body: `no run ${id}\n` };
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return { status: 400, contentType: 'text/plain; charset=utf-8', body: `format must be one of ${EXPORT_FORMATS.join(', ')}\n` };
  const results = inCatalogueOrder(store.results(id));
  const checks = (ids: readonly string[], filter = {}): ReportCheck[] =>
    results.filter((r) => ids.includes(r.checkId)).map((r) => ({ ...r, items: r.itemCount ? store.items(id, { checkIds: [r.checkId], ...filter }) : [] }));
  const stamp = new Date(run.startedAt).toISOString().slice(0, 16).replace(/[:T]/g, '');
  switch (format as ExportFormat) {
    case 'csv': {
      let body = csvLine(RUN_CSV_HEADER);
      for (const c of checks(results.map((r) => r.checkId))) body += runCsvRows(c);
      return { status: 200, contentType: 'text/csv; charset=utf-8', filename: `impulse-run-${id}-${stamp}.csv`, body };
    }
    case 'users-csv':
    case 'users-text':
    case 'users-json': {
      const ids = f.check && (USER_CHECK_IDS as readonly string[]).includes(f.check) ? [f.check] : [...USER_CHECK_IDS];
      const cs = checks(ids, { cluster: f.cluster, node: f.node, q: f.q });
      if (format === 'users-text') return { status: 200, contentType: 'text/plain; charset=utf-8', filename: `impulse-users-validate-${id}.txt`, body: usersValidateText(cs) };
      if (format === 'users-json') return { status: 200, contentType: 'application/json', filename: `impulse-users-${id}.json`, body: usersJson(cs, { run: id, startedAt: new Date(run.startedAt).toISOString(), filters: f }) };
      let body = csvLine(USERS_CSV_HEADER);
      for (const c of cs) for (const i of c.items) if (i.status !== 'error') body += usersCsvRow(c, i);
      return { status: 200, contentType: 'text/csv; charset=utf-8', filename: `impulse-users-${id}-${stamp}.csv`, body };
    }
    case 'readiness-html': {
      const report = run.report as ReadinessReport | null;
      if (run.kind !== 'readiness' || !report) return { status: 409, contentType: 'text/plain; charset=utf-8', body: `run ${id} is not a completed readiness run\n` };
      const body = readinessHtml({ runId: id, startedAt: run.startedAt, finishedAt: run.finishedAt, actor: run.actor, origin: run.origin, report, results: checks(results.map((r) => r.checkId)), checklist: store.checklist(id) });
      return { status: 200, contentType: 'text/html; charset=utf-8', filename: `impulse-readiness-${id}-${stamp}.html`, body };
    }
  }
}
