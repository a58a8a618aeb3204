// GET /api/alerts: the alerts firing and pending now, the rules' health and the maintenance
// windows, as JSON (scripts, and the dashboard's tests).
import { getRuntime } from '../../lib/runtime';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  const alerts = getRuntime()?.alerts;
  if (!alerts) return Response.json({ error: 'alerting is not running' }, { status: 503 });
  const snap = alerts.snapshot();
  return Response.json({ ...snap, windows: alerts.windows() });
}
