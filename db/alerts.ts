// alert_history (migration 3): one row per alert episode. The embedded evaluator writes each
// cycle's changes in one transaction; the dashboard reads resolved alerts; a restart reads the
// open ones back so `for` clocks and "since" times carry on.
import type { ImpulseDatabase, Sqlite } from './database';

export type AlertRowState = 'pending' | 'firing' | 'resolved';

export interface AlertRow {
  id: number;
  fingerprint: string;
  alertname: string;
  severity: string;
  cluster: string | null;
  node: string | null;
  labels: Record<string, string>;
  summary: string;
  description: string;
  runbookUrl: string;
  state: AlertRowState;
  value: number | null;
  /** Epoch ms. */
  activeAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  seenAt: number;
}

/** What the evaluator reports in one cycle; `key` identifies the episode (fingerprint and activeAt). */
export type AlertChange =
  | { kind: 'pending'; key: string; alert: Omit<AlertRow, 'id' | 'state' | 'firedAt' | 'resolvedAt' | 'seenAt'> }
  | { kind: 'firing'; key: string; at: number }
  | { kind: 'resolved'; key: string; at: number }
  | { kind: 'dropped'; key: string };

interface RawRow {
  id: number;
  fingerprint: string;
  alertname: string;
  severity: string;
  cluster: string | null;
  node: string | null;
  labels: string;
  summary: string;
  description: string;
  runbook_url: string;
  state: AlertRowState;
  value: number | null;
  active_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  seen_at: number;
}

function toRow(r: RawRow): AlertRow {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    alertname: r.alertname,
    severity: r.severity,
    cluster: r.cluster,
    node: r.node,
    labels: JSON.parse(r.labels) as Record<string, string>,
    summary: r.summary,
    description: r.description,
    runbookUrl: r.runbook_url,
    state: r.state,
    value: r.value,
    activeAt: r.active_at,
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
    seenAt: r.seen_at,
  };
}

const statements = new WeakMap<Sqlite, ReturnType<typeof prepare>>();

function prepare(sqlite: Sqlite) {
  return {
    insert: sqlite.prepare(
      `insert into alert_history (fingerprint, alertname, severity, cluster, node, labels, summary, description, runbook_url, state, value, active_at, seen_at)
       values (@fingerprint, @alertname, @severity, @cluster, @node, @labels, @summary, @description, @runbookUrl, 'pending', @value, @activeAt, @activeAt)`,
    ),
    firing: sqlite.prepare(`update alert_history set state = 'firing', fired_at = ?, seen_at = max(seen_at, ?) where id = ?`),
    resolved: sqlite.prepare(`update alert_history set state = 'resolved', resolved_at = ? where id = ?`),
    drop: sqlite.prepare(`delete from alert_history where id = ? and state = 'pending'`),
    touch: sqlite.prepare(`update alert_history set seen_at = ? where id = ? and state != 'resolved'`),
    open: sqlite.prepare(`select * from alert_history where state != 'resolved' order by active_at`),
    prune: sqlite.prepare(`delete from alert_history where state = 'resolved' and resolved_at < ?`),
    closeOpen: sqlite.prepare(`update alert_history set state = 'resolved', resolved_at = ? where state = 'firing' and id = ?`),
  };
}

function stmts(db: ImpulseDatabase) {
  let s = statements.get(db.sqlite);
  if (!s) statements.set(db.sqlite, (s = prepare(db.sqlite)));
  return s;
}

/**
 * Writes one evaluation cycle's changes in one transaction. `ids` maps each episode key to its
 * row; it is updated here (a resolved or dropped episode leaves it). Returns false when the database refused the write (full disk,
 * read-only): the caller keeps alerting, the history misses this cycle.
 */
export function applyAlertChanges(db: ImpulseDatabase, changes: readonly AlertChange[], ids: Map<string, number>, touch: { ids: number[]; at: number } | undefined): boolean {
  if (changes.length === 0 && !touch?.ids.length) return true;
  const s = stmts(db);
  const done = db.write('alert history', () => {
    for (const c of changes) {
      if (c.kind === 'pending') {
        const a = c.alert;
        const info = s.insert.run({ ...a, labels: JSON.stringify(a.labels), value: Number.isFinite(a.value) ? a.value : null });
        ids.set(c.key, Number(info.lastInsertRowid));
        continue;
      }
      const id = ids.get(c.key);
      if (id === undefined) continue;
      if (c.kind === 'firing') s.firing.run(c.at, c.at, id);
      else if (c.kind === 'resolved') s.resolved.run(c.at, id);
      else s.drop.run(id);
      if (c.kind !== 'firing') ids.delete(c.key);
    }
    if (touch) for (const id of touch.ids) s.touch.run(touch.at, id);
    return true;
  });
  return done === true;
}

/** Pending and firing alerts as the last run left them (restored after a restart). */
export function openAlerts(db: ImpulseDatabase): AlertRow[] {
  return (stmts(db).open.all() as RawRow[]).map(toRow);
}

/** Closes open rows the evaluator did not restore (firing → resolved at `at`, pending → removed). */
export function closeAlerts(db: ImpulseDatabase, rows: ReadonlyArray<Pick<AlertRow, 'id' | 'state'>>, at: number): void {
  if (!rows.length) return;
  const s = stmts(db);
  db.write('alert history', () => {
    for (const r of rows) {
      if (r.state === 'firing') s.closeOpen.run(at, r.id);
      else s.drop.run(r.id);
    }
  });
}

export interface HistoryFilter {
  cluster?: string;
  node?: string;
  severity?: string;
  alertname?: string;
  /** Resolved before this epoch ms (paging). */
  before?: number;
  limit?: number;
}

/** Resolved alerts, newest first. */
export function alertHistory(db: ImpulseDatabase, f: HistoryFilter = {}): AlertRow[] {
  const where = [`state = 'resolved'`];
  const args: Array<string | number> = [];
  for (const [col, v] of [
    ['cluster', f.cluster],
    ['node', f.node],
    ['severity', f.severity],
    ['alertname', f.alertname],
  ] as const) {
    if (v === undefined) continue;
    where.push(`${col} = ?`);
    args.push(v);
  }
  if (f.before !== undefined) {
    where.push('resolved_at < ?');
    args.push(f.before);
  }
  const limit = Math.max(1, Math.min(1000, f.limit ?? 100));
  const rows = db.sqlite.prepare(`select * from alert_history where ${where.join(' and ')} order by resolved_at desc, id desc limit ${limit}`).all(...args) as RawRow[];
  return rows.map(toRow);
}

/** Deletes resolved alerts older than `before` (epoch ms); returns how many. */
export function pruneAlertHistory(db: ImpulseDatabase, before: number): number {
  return db.write('alert history retention', () => stmts(db).prune.run(before).changes) ?? 0;
}
