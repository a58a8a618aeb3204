// Severities and node health: one order for every page, so "worst first" means the same on the
// overview, the cluster page and the problem list.

export type Severity = 'critical' | 'warning' | 'info';

/** A node's health: the worst of its problems; unknown when nothing was collected from it yet. */
export type Health = 'critical' | 'warning' | 'unknown' | 'info' | 'ok';

export const HEALTH_ORDER: readonly Health[] = ['critical', 'warning', 'unknown', 'info', 'ok'];

export const healthRank = (h: Health) => HEALTH_ORDER.indexOf(h);

export function worst(list: Iterable<Health>, empty: Health = 'ok'): Health {
  let w: Health | undefined;
  for (const h of list) if (w === undefined || healthRank(h) < healthRank(w)) w = h;
  return w ?? empty;
}

export const severityRank = (s: Severity) => (s === 'critical' ? 0 : s === 'warning' ? 1 : 2);

export const HEALTH_LABEL: Record<Health, string> = {
  critical: 'Critical',
  warning: 'Warning',
  unknown: 'No data yet',
  info: 'Notice',
  ok: 'OK',
};

export function emptyCounts(): Record<Health, number> {
  return { critical: 0, warning: 0, unknown: 0, info: 0, ok: 0 };
}
