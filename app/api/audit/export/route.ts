// GET /api/audit/export?<the /audit filters>: the filtered audit log as CSV (admin).
import { auditCsv, parseAuditQuery } from '../../../../server/security/audit-view';
import { getRuntime } from '../../../lib/runtime';
import { forbidUnless } from '../../../lib/viewer';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const denied = await forbidUnless('admin', req);
  if (denied) return denied;
  const rt = getRuntime();
  if (!rt?.db || rt.db.closed) return Response.json({ error: `the audit log is unavailable: ${rt?.dbError ?? 'the database is not open'}` }, { status: 503 });
  const q = parseAuditQuery(Object.fromEntries(new URL(req.url).searchParams));
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return new Response(auditCsv(rt, q.filter), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="impulse-audit-${stamp}.csv"`, 'cache-control': 'no-store' },
  });
}
