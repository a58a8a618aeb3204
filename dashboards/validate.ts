// What Grafana needs to import a dashboard JSON (classic dashboard model, schemaVersion 36+), as a
// zod schema: a uid Grafana accepts, unique panel ids, panels on the 24-column grid without
// overlaps, every target with a unique refId and a Prometheus expression on the data source
// variable, and template variables that panels may reference. Grafana's own importer is not
// available to the tests; this checks the parts an import rejects or silently breaks.
import { z } from 'zod';

const gridPos = z.object({ h: z.number().int().min(1), w: z.number().int().min(1).max(24), x: z.number().int().min(0).max(23), y: z.number().int().min(0) }).refine((g) => g.x + g.w <= 24, 'a panel extends past the 24 columns of the grid');
const datasource = z.object({ type: z.literal('prometheus'), uid: z.literal('${datasource}') });
const target = z.object({ refId: z.string().regex(/^[A-Z]$/), expr: z.string().min(1), datasource });

const panel = z.object({
  id: z.number().int().positive(),
  type: z.enum(['timeseries', 'stat', 'table', 'state-timeline']),
  title: z.string().min(1),
  description: z.string().min(1),
  gridPos,
  datasource,
  targets: z.array(target).min(1),
});
const rowPanel = z.object({ id: z.number().int().positive(), type: z.literal('row'), title: z.string().min(1), gridPos, collapsed: z.boolean().optional(), panels: z.array(panel) });

const variable = z.discriminatedUnion('type', [
  z.object({ type: z.literal('datasource'), name: z.literal('datasource'), query: z.literal('prometheus') }).passthrough(),
  z.object({ type: z.literal('query'), name: z.string().regex(/^\w+$/), query: z.string().min(1), datasource }).passthrough(),
]);

export const dashboardSchema = z
  .object({
    uid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a uid of at most 40 letters, digits, - or _'),
    title: z.string().min(1),
    schemaVersion: z.number().int().min(36),
    tags: z.array(z.string()),
    time: z.object({ from: z.string(), to: z.string() }),
    panels: z.array(z.union([rowPanel, panel])).min(1),
    templating: z.object({ list: z.array(variable).min(2) }),
  })
  .passthrough()
  .superRefine((d, ctx) => {
    const all = d.panels.flatMap((p) => ('panels' in p && p.type === 'row' ? [p, ...p.panels] : [p]));
    const ids = all.map((p) => p.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: `panel ids repeat: ${ids.join(', ')}` });
    const boxes = all.map((p) => ({ t: p.title, ...p.gridPos }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) ctx.addIssue({ code: 'custom', message: `panels '${a.t}' and '${b.t}' overlap` });
      }
    const vars = new Set(d.templating.list.map((v) => v.name));
    for (const p of all) {
      if (!('targets' in p)) continue;
      const refs = p.targets.map((t) => t.refId);
      if (new Set(refs).size !== refs.length) ctx.addIssue({ code: 'custom', message: `panel '${p.title}' repeats a refId` });
      for (const t of p.targets) for (const m of t.expr.matchAll(/\$(\w+)/g)) if (!m[1].startsWith('__') && !vars.has(m[1])) ctx.addIssue({ code: 'custom', message: `panel '${p.title}' uses $${m[1]}, which is not a variable` });
    }
  });
