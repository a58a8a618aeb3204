// POST /api/diagnostics/runs/<id>/checklist {itemId, checked, note?}: the engineer ticks (or unticks)
// a manual item of a readiness run; recorded with who and when.
import { z } from 'zod';
import { READINESS_CHECKLIST } from '../../../../../../diagnostics/readiness';
import { getActor } from '../../../../../lib/actor';
import { getRuntime } from '../../../../../lib/runtime';

export const dynamic = 'force-dynamic';

const body = z.object({ itemId: z.string().min(1).max(60), checked: z.boolean(), note: z.string().max(1000).optional() }).strict();

export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const d = getRuntime()?.diagnostics;
  if (!d) return Response.json({ error: 'diagnostics are not running' }, { status: 503 });
  const id = Number((await ctx.params).id);
  const run = Number.isInteger(id) ? d.store.getRun(id) : undefined;
  if (!run || run.kind !== 'readiness') return Response.json({ error: 'no such readiness run' }, { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }, { status: 400 });
  if (!READINESS_CHECKLIST.some((i) => i.id === parsed.data.itemId)) return Response.json({ error: `unknown checklist item ${parsed.data.itemId}` }, { status: 400 });
  const actor = await getActor(request);
  const ok = d.store.tick(id, { ...parsed.data, by: actor.name, address: actor.address, at: Date.now() });
  if (!ok) return Response.json({ error: 'the tick could not be recorded (database writes are failing)' }, { status: 503 });
  getRuntime()?.audit?.record({ actor, action: 'readiness.checklist', target: `run ${id}`, detail: `${parsed.data.itemId} ${parsed.data.checked ? 'ticked' : 'unticked'}`, outcome: 'success' });
  return Response.json({ ok: true, itemId: parsed.data.itemId, checked: parsed.data.checked, by: actor.name });
}
