// POST /api/diagnostics/runs {kind, checks?, clusters?}: starts a troubleshooter, user-validation or
// readiness run (one at a time) and answers 202 with its id; 409 while another run is in progress.
import { z } from 'zod';
import { getActor } from '../../../lib/actor';
import { getRuntime } from '../../../lib/runtime';

export const dynamic = 'force-dynamic';

const body = z
  .object({
    kind: z.enum(['troubleshooter', 'users', 'readiness']),
    checks: z.array(z.string().min(1).max(40)).max(100).optional(),
    clusters: z.array(z.string().min(1).max(100)).max(1000).optional(),
  })
  .strict();

const AUDIT_ACTION = { troubleshooter: 'troubleshooter.run', users: 'users.validate', readiness: 'readiness.report' } as const;

export async function POST(request: Request): Promise<Response> {
  const d = getRuntime()?.diagnostics;
  if (!d) return Response.json({ error: 'diagnostics are not running' }, { status: 503 });
  const parsed = body.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }, { status: 400 });
  const actor = await getActor(request);
  try {
    const { id } = d.start({ ...parsed.data, actor });
    const scope = `${parsed.data.clusters?.join(', ') || 'all clusters'}; ${parsed.data.checks?.join(', ') || 'all checks'}`;
    getRuntime()?.audit?.record({ actor, action: AUDIT_ACTION[parsed.data.kind], target: `run ${id}`, detail: scope, outcome: 'success' });
    return Response.json({ id, progress: `/api/diagnostics/runs/${id}` }, { status: 202 });
  } catch (err) {
    const e = err as Error & { activeId?: number };
    if (e.name === 'RunBusyError') return Response.json({ error: e.message, activeId: e.activeId }, { status: 409 });
    if (e.name === 'RunRequestError') return Response.json({ error: e.message }, { status: 400 });
    throw err;
  }
}
