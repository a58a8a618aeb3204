// The readiness report as one self-contained HTML file to attach to a change ticket: inline styles,
// no script, no external resource; everything from CUCM or LDAP is escaped.
import { READINESS_CHECKLIST, overallReadiness, type ReadinessReport } from '../readiness';
import type { ChecklistRow } from '../../db/runs';
import type { ReportCheck } from './items';

export interface ReadinessHtmlInput {
  runId: number;
  startedAt: number;
  finishedAt: number | null;
  actor: string;
  origin: string;
  report: ReadinessReport;
  results: readonly ReportCheck[];
  checklist: readonly ChecklistRow[];
  /** Items shown per check (the rest counted). */
  itemsPerCheck?: number;
  generatedAt?: number;
}

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const when = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');
const MARK: Record<string, string> = { passed: '✓ Passed', warning: '! Warning', failed: '✗ Failed', skipped: '– Skipped', error: '✗ Error' };

const CSS = `
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2430;margin:2rem;max-width:1100px}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
th,td{border:1px solid #dde1e7;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f7f9}
.go{color:#1e7d3a;font-weight:700}.nogo{color:#b3261e;font-weight:700}.pending{color:#9a6100;font-weight:700}
.failed,.error{color:#b3261e}.warning{color:#9a6100}.passed{color:#1e7d3a}.skipped{color:#5b6576}
.meta{color:#5b6576;font-size:.9rem}ul{margin:.2rem 0 .2rem 1.2rem;padding:0}
`;

export function readinessHtml(i: ReadinessHtmlInput): string {
  const overall = overallReadiness(i.report, i.checklist);
  const per = i.itemsPerCheck ?? 50;
  const verdictClass = (v: string) => (v === 'Go' ? 'go' : v === 'No-Go' ? 'nogo' : 'pending');
  const clusters = i.report.clusters
    .map(
      (c) => `<tr><td>${esc(c.cluster)}</td><td>${c.product === 'imp' ? 'IM&amp;P' : 'CUCM'}</td><td class="${verdictClass(c.verdict)}">${esc(c.verdict)}</td><td>${
        c.reasons.length
          ? `<ul>${c.reasons
              .map((r) => `<li class="${esc(r.status)}"><b>${esc(r.checkId)}</b> ${esc(r.title)} — ${r.count} item${r.count === 1 ? '' : 's'}${r.examples.length ? `<ul>${r.examples.map((e) => `<li>${esc(e)}</li>`).join('')}${r.count > r.examples.length ? `<li>… and ${r.count - r.examples.length} more</li>` : ''}</ul>` : ''}</li>`)
              .join('')}</ul>`
          : 'Every readiness check passed.'
      }</td></tr>`,
    )
    .join('\n');
  const ticks = new Map(i.checklist.map((t) => [t.itemId, t]));
  const checklist = READINESS_CHECKLIST.map((item) => {
    const t = ticks.get(item.id);
    return `<tr><td>${t?.checked ? '☑' : '☐'}</td><td>${esc(item.label)}<div class="meta">${esc(item.source)}</div></td><td>${t?.checked ? `${esc(t.by)}, ${esc(when(t.at))}` : 'not confirmed'}${t?.note ? `<div>${esc(t.note)}</div>` : ''}</td></tr>`;
  }).join('\n');
  const checks = i.results
    .map((r) => {
      const items = r.items.slice(0, per);
      return `<tr><td class="${esc(r.status)}">${esc(MARK[r.status] ?? r.status)}</td><td><b>${esc(r.checkId)}</b> ${esc(r.title)}<div class="meta">${esc(r.summary)}</div></td><td>${esc(r.problem ?? '')}</td><td>${esc(r.solution ?? '')}${
        items.length
          ? `<ul>${items.map((it) => `<li class="${esc(it.status)}">${esc([it.cluster, it.node].filter(Boolean).join('/'))} ${esc(it.label)}${it.detail ? ` — ${esc(it.detail)}` : ''}</li>`).join('')}${r.items.length > per ? `<li>… and ${r.items.length - per} more (the full list is in the run on the dashboard and its CSV)</li>` : ''}</ul>`
          : ''
      }</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMPulse pre-upgrade readiness report — run ${i.runId}</title>
<style>${CSS}</style></head><body>
<h1>Pre-upgrade readiness report</h1>
<p class="meta">IMPulse run ${i.runId} · started ${esc(when(i.startedAt))} · finished ${esc(when(i.finishedAt))} · by ${esc(i.actor)} (${esc(i.origin)}) · certificates checked through a ${i.report.upgradeWindowDays}-day upgrade window · report generated ${esc(when(i.generatedAt ?? Date.now()))}</p>
<p>Overall: <span class="${verdictClass(overall.verdict)}">${esc(overall.verdict)}</span> — ${overall.confirmed} of ${overall.total} manual checklist items confirmed.</p>
<h2>Verdict per cluster</h2>
<table><thead><tr><th>Cluster</th><th>Product</th><th>Verdict</th><th>Reasons</th></tr></thead><tbody>
${clusters}
</tbody></table>
<h2>Manual checklist</h2>
<table><thead><tr><th></th><th>Item</th><th>Confirmed</th></tr></thead><tbody>
${checklist}
</tbody></table>
<h2>Checks</h2>
<table><thead><tr><th>Result</th><th>Test</th><th>Problem</th><th>Solution and affected items</th></tr></thead><tbody>
${checks}
</tbody></table>
</body></html>
`;
}
