// POST /api/alerts/maintenance: opens a maintenance window (or, with alertname, a silence) —
// e.g. from an upgrade script. Body: { cluster, node?, alertname?, startsAt?, endsAt? | duration, reason }.
import { parseWindowRequest } from '../../../../alerts/forms';
import { getActor } from '../../../lib/actor';
import { getRuntime } from '../../../lib/runtime';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const alerts = getRuntime()?.alerts;
  if (!alerts) return Response.json({ error: 'alerting is not running' }, { status: 503 });
  return Response.json({ windows: alerts.windows() });
}

export async function POST(request: Request): Promise<Response> {
  const alerts = getRuntime()?.alerts;
  if (!alerts) return Response.json({ error: 'alerting is not running' }, { status: 503 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ errors: ['the body is not JSON'] }, { status: 400 });
  }
  const parsed = parseWindowRequest(body, Date.now());
  if (!parsed.ok) return Response.json({ errors: parsed.errors }, { status: 400 });
  const result = await alerts.openWindow(parsed.input, await getActor(request));
  return result.ok ? Response.json(result.window, { status: 201 }) : Response.json({ errors: result.errors }, { status: 400 });
}
