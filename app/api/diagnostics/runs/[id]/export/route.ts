// GET /api/diagnostics/runs/<id>/export?format=csv|users-csv|users-text|users-json|readiness-html
// (users-*: with the /users page's check, cluster, node and q filters).
import { exportRun } from '../../../../../../diagnostics/models/export';
import { getRuntime } from '../../../../../lib/runtime';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const d = getRuntime()?.diagnostics;
  if (!d) return new Response('diagnostics are not running\n', { status: 503 });
  const id = Number((await ctx.params).id);
  const q = new URL(request.url).searchParams;
  const get = (k: string) => q.get(k) || undefined;
  const f = exportRun(d.store, id, get('format') ?? 'csv', { check: get('check')?.toUpperCase(), cluster: get('cluster'), node: get('node'), q: get('q') });
  const headers: Record<string, string> = { 'content-type': f.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (f.filename) headers['content-disposition'] = `attachment; filename="${f.filename}"`;
  return new Response(f.body, { status: f.status, headers });
}
