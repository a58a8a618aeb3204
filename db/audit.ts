// The audit log: who did what, when, from where, and how it ended. Written by the audit service
// (server/services/audit.ts), read by /audit and its CSV export, pruned after the retention.
import type { ImpulseDatabase } from './database';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditRow {
  id: number;
  /** Epoch ms. */
  at: number;
  actor: string;
  address: string;
  action: string;
  target: string | null;
  detail: string | null;
  outcome: AuditOutcome;
}

export interface AuditFilter {
  /** Exact actor name (case-insensitive). */
  actor?: string;
  /** An action or an action prefix ending in '.', e.g. 'auth.' or 'auth.signin'. */
  action?: string;
  outcome?: AuditOutcome;
  /** Substring of target or detail. */
  text?: string;
  /** Epoch ms, inclusive / exclusive. */
  from?: number;
  to?: number;
}

export function insertAudit(db: ImpulseDatabase, e: Omit<AuditRow, 'id'>): number | undefined {
  return db.write('audit log', () =>
    Number(
      db.sqlite
        .prepare('insert into audit_log (at, actor, address, action, target, detail, outcome) values (?, ?, ?, ?, ?, ?, ?)')
        .run(e.at, e.actor, e.address, e.action, e.target, e.detail, e.outcome).lastInsertRowid,
    ),
  );
}

function where(f: AuditFilter): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.actor) {
    parts.push('actor = ? collate nocase');
    args.push(f.actor);
  }
  if (f.action) {
    if (f.action.endsWith('.')) {
      parts.push('substr(action, 1, ?) = ?');
      args.push(f.action.length, f.action);
    } else {
      parts.push('action = ?');
      args.push(f.action);
    }
  }
  if (f.outcome) {
    parts.push('outcome = ?');
    args.push(f.outcome);
  }
  if (f.text) {
    parts.push("(instr(lower(coalesce(target, '')), lower(?)) > 0 or instr(lower(coalesce(detail, '')), lower(?)) > 0)");
    args.push(f.text, f.text);
  }
  if (f.from !== undefined) {
    parts.push('at >= ?');
    args.push(f.from);
  }
  if (f.to !== undefined) {
    parts.push('at < ?');
    args.push(f.to);
  }
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', args };
}

/** Newest first; `beforeId` pages backwards (keyset pagination, stable while new rows arrive). */
export function queryAudit(db: ImpulseDatabase, f: AuditFilter, page: { limit: number; beforeId?: number }): AuditRow[] {
  const w = where(f);
  const sql = `select * from audit_log ${w.sql}${page.beforeId !== undefined ? `${w.sql ? ' and' : ' where'} id < ?` : ''} order by id desc limit ?`;
  const args = [...w.args, ...(page.beforeId !== undefined ? [page.beforeId] : []), page.limit];
  return db.sqlite.prepare(sql).all(...args) as AuditRow[];
}

export function countAudit(db: ImpulseDatabase, f: AuditFilter): number {
  const w = where(f);
  return (db.sqlite.prepare(`select count(*) as n from audit_log ${w.sql}`).get(...w.args) as { n: number }).n;
}

/** Every row matching, newest first, without holding them all in memory (CSV export). */
export function* iterateAudit(db: ImpulseDatabase, f: AuditFilter): Generator<AuditRow> {
  const w = where(f);
  yield* db.sqlite.prepare(`select * from audit_log ${w.sql} order by id desc`).iterate(...w.args) as Iterable<AuditRow>;
}

/** The actions and actors present, for the page's filter choices. */
export function auditFacets(db: ImpulseDatabase): { actions: string[]; actors: string[] } {
  const actions = (db.sqlite.prepare('select distinct action from audit_log order by action').all() as { action: string }[]).map((r) => r.action);
  const actors = (db.sqlite.prepare('select distinct actor from audit_log order by actor collate nocase limit 500').all() as { actor: string }[]).map((r) => r.actor);
  return { actions, actors };
}

/** Deletes entries older than `before` (epoch ms); returns how many went. */
export function pruneAudit(db: ImpulseDatabase, before: number): number {
  return db.write('prune audit log', () => db.sqlite.prepare('delete from audit_log where at < ?').run(before).changes) ?? 0;
}
