// GET /api/diagnostics/runs/<id>: the run's progress (live while it runs): what the troubleshooter
// page polls to show sections progressing and checks appearing as they finish.
import { getRuntime } from '../../../../lib/runtime';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const d = getRuntime()?.diagnostics;
  if (!d) return Response.json({ error: 'diagnostics are not running' }, { status: 503 });
  const id = Number((await ctx.params).id);
  const run = Number.isInteger(id) ? d.store.getRun(id) : undefined;
  if (!run) return Response.json({ error: 'no such run' }, { status: 404 });
  return Response.json({ id, kind: run.kind, status: run.status, progress: d.progress(id) ?? null }, { headers: { 'cache-control': 'no-store' } });
}
