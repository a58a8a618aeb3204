// GET /certificates/csv?<the page's filters>: the certificate list as CSV (RFC 4180).
import { certificatesCsv } from '../../../collectors/views/certificates';
import { fromSearchParams } from '../../../collectors/views/query';
import { fleetInput } from '../../lib/fleet';
import { getRuntime } from '../../lib/runtime';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Response {
  const rt = getRuntime();
  if (!rt) return new Response('no configuration loaded\n', { status: 503, headers: { 'content-type': 'text/plain' } });
  const csv = certificatesCsv(fleetInput(rt), fromSearchParams(new URL(req.url).searchParams));
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="impulse-certificates-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
