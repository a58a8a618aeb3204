// Maintenance windows: Cisco's "suspend cluster-/node-wide alerts" while an operator upgrades or
// reboots (RTMT's per-node alert suspension). A window covers a cluster or one node, from a start
// to an end, with a reason; with an alert name it silences that one alert. In the embedded mode it
// suppresses matching alerts' notifications; with Alertmanager it becomes a silence there
// (POST /api/v2/silences) that is expired when the window is cancelled.
import type { Inventory } from '../config/resolve';
import {
  cancelMaintenanceWindow,
  getMaintenanceWindow,
  insertMaintenanceWindow,
  listMaintenanceWindows,
  setMaintenanceSilences,
  type MaintenanceWindowRow,
  type NewMaintenanceWindow,
} from '../db/maintenance';
import type { ImpulseDatabase } from '../db/index';
import { ruleByName } from './catalogue';
import type { SilenceMatcher } from './notify';

export type MaintenanceWindow = MaintenanceWindowRow;
export type WindowStatus = 'scheduled' | 'active' | 'ended' | 'cancelled';

export interface MaintenanceInput {
  cluster: string;
  node?: string;
  alertname?: string;
  /** Epoch ms. */
  startsAt: number;
  endsAt: number;
  reason: string;
}

/** Longest window: a major upgrade of a large cluster takes days, not months. */
export const MAX_WINDOW_MS = 14 * 86_400_000;

export function windowStatus(w: MaintenanceWindow, now: number): WindowStatus {
  if (w.cancelledAt !== null) return 'cancelled';
  if (now >= w.endsAt) return 'ended';
  return now < w.startsAt ? 'scheduled' : 'active';
}

/** Whether a window suppresses an alert with these labels at `now`. */
export function windowMatches(w: MaintenanceWindow, labels: Readonly<Record<string, string>>, now: number): boolean {
  if (windowStatus(w, now) !== 'active') return false;
  if (labels.cluster !== w.cluster) return false;
  if (w.node !== null && labels.node !== w.node) return false;
  return w.alertname === null || labels.alertname === w.alertname;
}

/** What is wrong with a requested window, in words for the form; [] when it can be opened. */
export function validateWindow(input: MaintenanceInput, inventory: Pick<Inventory, 'clusters'>, now: number): string[] {
  const errors: string[] = [];
  const cluster = inventory.clusters.find((c) => c.name === input.cluster);
  if (!cluster) errors.push(`no cluster named '${input.cluster}' (clusters: ${inventory.clusters.map((c) => c.name).join(', ')})`);
  else if (input.node && !cluster.nodes.some((n) => n.name === input.node)) errors.push(`cluster ${input.cluster} has no node '${input.node}'`);
  if (input.alertname && !ruleByName(input.alertname)) errors.push(`no alert is named '${input.alertname}'`);
  if (!Number.isFinite(input.startsAt) || !Number.isFinite(input.endsAt)) errors.push('the start and the end must be dates and times');
  else {
    if (input.endsAt <= input.startsAt) errors.push('the end must be after the start');
    if (input.endsAt <= now) errors.push('the end is in the past');
    if (input.endsAt - input.startsAt > MAX_WINDOW_MS) errors.push(`a window lasts at most ${MAX_WINDOW_MS / 86_400_000} days`);
    if (input.startsAt > now + 365 * 86_400_000) errors.push('the start is more than a year ahead');
  }
  const reason = input.reason.trim();
  if (!reason) errors.push('a reason is required (what is being done, e.g. "upgrade to 15 SU2, change 4711")');
  else if (reason.length > 500) errors.push('the reason is longer than 500 characters');
  return errors;
}

/** The Alertmanager silence a window becomes. */
export function silenceOf(w: MaintenanceWindow): { matchers: SilenceMatcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string } {
  const eq = (name: string, value: string): SilenceMatcher => ({ name, value, isRegex: false, isEqual: true });
  const matchers = [eq('cluster', w.cluster)];
  if (w.node !== null) matchers.push(eq('node', w.node));
  if (w.alertname !== null) matchers.push(eq('alertname', w.alertname));
  return {
    matchers,
    startsAt: new Date(w.startsAt).toISOString(),
    endsAt: new Date(w.endsAt).toISOString(),
    createdBy: w.createdBy,
    comment: `IMPulse ${w.alertname ? 'silence' : 'maintenance window'} #${w.id}: ${w.reason}`,
  };
}

export function describeScope(w: Pick<MaintenanceWindow, 'cluster' | 'node' | 'alertname'>): string {
  const where = w.node ? `node ${w.node} (cluster ${w.cluster})` : `cluster ${w.cluster}`;
  return w.alertname ? `${w.alertname} on ${where}` : where;
}

/** Where windows live: the product database, or memory when it could not be opened. */
export interface MaintenanceStore {
  readonly persistent: boolean;
  insert(w: NewMaintenanceWindow): MaintenanceWindow | undefined;
  get(id: number): MaintenanceWindow | undefined;
  cancel(id: number, by: string, at: number): boolean;
  setSilences(id: number, silences: Record<string, string>): void;
  list(now: number): MaintenanceWindow[];
}

export function databaseStore(db: ImpulseDatabase): MaintenanceStore {
  return {
    persistent: true,
    insert: (w) => insertMaintenanceWindow(db, w),
    get: (id) => getMaintenanceWindow(db, id),
    cancel: (id, by, at) => cancelMaintenanceWindow(db, id, by, at),
    setSilences: (id, s) => setMaintenanceSilences(db, id, s),
    list: (now) => listMaintenanceWindows(db, { since: now }),
  };
}

export function memoryStore(): MaintenanceStore {
  const rows = new Map<number, MaintenanceWindow>();
  let next = 1;
  return {
    persistent: false,
    insert(w) {
      const row: MaintenanceWindow = { ...w, id: next++, cancelledAt: null, cancelledBy: null, silences: {} };
      rows.set(row.id, row);
      return { ...row };
    },
    get: (id) => {
      const r = rows.get(id);
      return r && { ...r, silences: { ...r.silences } };
    },
    cancel(id, by, at) {
      const r = rows.get(id);
      if (!r || r.cancelledAt !== null) return false;
      r.cancelledAt = at;
      r.cancelledBy = by;
      return true;
    },
    setSilences(id, s) {
      const r = rows.get(id);
      if (r) r.silences = { ...s };
    },
    list(now) {
      const all = [...rows.values()].map((r) => ({ ...r, silences: { ...r.silences } }));
      const current = all.filter((r) => r.endsAt > now && r.cancelledAt === null).sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);
      const past = all
        .filter((r) => !(r.endsAt > now && r.cancelledAt === null))
        .sort((a, b) => (b.cancelledAt ?? b.endsAt) - (a.cancelledAt ?? a.endsAt) || b.id - a.id)
        .slice(0, 20);
      return [...current, ...past];
    },
  };
}
