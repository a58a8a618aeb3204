// maintenance_windows (migration 3): Cisco's "suspend cluster-/node-wide alerts" for upgrades,
// opened by an operator with a start, an end and a reason, and the Alertmanager silences each
// one became. A window with an alert name is a silence of that one alert.
import type { ImpulseDatabase } from './database';

export interface MaintenanceWindowRow {
  id: number;
  cluster: string;
  /** null: the whole cluster. */
  node: string | null;
  /** null: every alert of the scope. */
  alertname: string | null;
  /** Epoch ms. */
  startsAt: number;
  endsAt: number;
  reason: string;
  createdBy: string;
  createdFrom: string;
  createdAt: number;
  cancelledAt: number | null;
  cancelledBy: string | null;
  /** Alertmanager URL → silence id. */
  silences: Record<string, string>;
}

export type NewMaintenanceWindow = Pick<MaintenanceWindowRow, 'cluster' | 'node' | 'alertname' | 'startsAt' | 'endsAt' | 'reason' | 'createdBy' | 'createdFrom' | 'createdAt'>;

interface Raw {
  id: number;
  cluster: string;
  node: string | null;
  alertname: string | null;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  created_from: string;
  created_at: number;
  cancelled_at: number | null;
  cancelled_by: string | null;
  silences: string;
}

function toRow(r: Raw): MaintenanceWindowRow {
  return {
    id: r.id,
    cluster: r.cluster,
    node: r.node,
    alertname: r.alertname,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    createdBy: r.created_by,
    createdFrom: r.created_from,
    createdAt: r.created_at,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    silences: JSON.parse(r.silences) as Record<string, string>,
  };
}

/** Stores a new window; undefined when the database refuses the write. */
export function insertMaintenanceWindow(db: ImpulseDatabase, w: NewMaintenanceWindow): MaintenanceWindowRow | undefined {
  return db.write('maintenance window', () => {
    const info = db.sqlite
      .prepare(
        `insert into maintenance_windows (cluster, node, alertname, starts_at, ends_at, reason, created_by, created_from, created_at)
         values (@cluster, @node, @alertname, @startsAt, @endsAt, @reason, @createdBy, @createdFrom, @createdAt)`,
      )
      .run(w);
    return getMaintenanceWindow(db, Number(info.lastInsertRowid))!;
  });
}

export function getMaintenanceWindow(db: ImpulseDatabase, id: number): MaintenanceWindowRow | undefined {
  const r = db.sqlite.prepare('select * from maintenance_windows where id = ?').get(id) as Raw | undefined;
  return r && toRow(r);
}

/** Marks a window cancelled (it stays in the list, for the record); false when not found or already cancelled. */
export function cancelMaintenanceWindow(db: ImpulseDatabase, id: number, by: string, at: number): boolean {
  return db.write('maintenance window', () => db.sqlite.prepare('update maintenance_windows set cancelled_at = ?, cancelled_by = ? where id = ? and cancelled_at is null').run(at, by, id).changes === 1) ?? false;
}

export function setMaintenanceSilences(db: ImpulseDatabase, id: number, silences: Record<string, string>): void {
  db.write('maintenance window', () => db.sqlite.prepare('update maintenance_windows set silences = ? where id = ?').run(JSON.stringify(silences), id));
}

/**
 * Windows not yet over (current and scheduled, cancelled or not, ending after `since`), plus the
 * last `recent` that ended or were cancelled before, newest first.
 */
export function listMaintenanceWindows(db: ImpulseDatabase, opts: { since: number; recent?: number }): MaintenanceWindowRow[] {
  const current = db.sqlite.prepare('select * from maintenance_windows where ends_at > ? and cancelled_at is null order by starts_at, id').all(opts.since) as Raw[];
  const past = db.sqlite
    .prepare('select * from maintenance_windows where ends_at <= ? or cancelled_at is not null order by coalesce(cancelled_at, ends_at) desc, id desc limit ?')
    .all(opts.since, opts.recent ?? 20) as Raw[];
  return [...current, ...past].map(toRow);
}

/** Cancelled windows whose Alertmanager silences are not deleted yet (an Alertmanager was down). */
export function cancelledWithSilences(db: ImpulseDatabase): MaintenanceWindowRow[] {
  return (db.sqlite.prepare(`select * from maintenance_windows where silences != '{}' and cancelled_at is not null`).all() as Raw[]).map(toRow);
}
