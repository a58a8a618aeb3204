// GET /services/csv?<the page's filters>: one row per node and service (RFC 4180).
import { fromSearchParams } from '../../../collectors/views/query';
import { servicesCsv } from '../../../collectors/views/services';
import { fleetInput } from '../../lib/fleet';
import { getRuntime } from '../../lib/runtime';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Response {
  const rt = getRuntime();
  if (!rt) return new Response('no configuration loaded\n', { status: 503, headers: { 'content-type': 'text/plain' } });
  const csv = servicesCsv(fleetInput(rt), fromSearchParams(new URL(req.url).searchParams));
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="impulse-services-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
