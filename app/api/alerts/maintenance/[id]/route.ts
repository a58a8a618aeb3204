// DELETE /api/alerts/maintenance/<id>: cancels a maintenance window (its Alertmanager silences expire).
import { getActor } from '../../../../lib/actor';
import { getRuntime } from '../../../../lib/runtime';

export const dynamic = 'force-dynamic';

export async function DELETE(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const alerts = getRuntime()?.alerts;
  if (!alerts) return Response.json({ error: 'alerting is not running' }, { status: 503 });
  const id = Number((await ctx.params).id);
  if (!Number.isInteger(id) || id < 1) return Response.json({ errors: ['not a maintenance window id'] }, { status: 404 });
  const result = await alerts.cancelWindow(id, await getActor(request));
  if (result.ok) return Response.json(result.window);
  return Response.json({ errors: result.errors }, { status: /^no maintenance window/.test(result.errors[0] ?? '') ? 404 : 409 });
}
