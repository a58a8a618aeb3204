// A troubleshooter run as CSV: one row per affected item (a passed check has one row without an item).
import { csvLine } from './csv';
import type { ReportCheck } from './items';

export const RUN_CSV_HEADER = ['check', 'section', 'test', 'result', 'summary', 'item_status', 'cluster', 'node', 'item', 'group', 'detail', 'fix'];

export function runCsvRows(c: ReportCheck): string {
  if (!c.items.length) return csvLine([c.checkId, c.section, c.title, c.status, c.summary, '', '', '', '', '', '', '']);
  let out = '';
  for (const i of c.items) out += csvLine([c.checkId, c.section, c.title, c.status, c.summary, i.status, i.cluster, i.node, i.label, i.group, i.detail, i.fix]);
  return out;
}
