// Event tables (migration 1): one row per state change, and the last known state of every watched
// thing. Pure table access; detection lives in collectors/history/events.ts. Callers wrap writes
// in db.write().
import type { ImpulseDatabase } from './database';

export interface EventRow {
  id: number;
  at: number;
  cluster: string;
  node: string;
  kind: string;
  subject: string;
  from: string | null;
  to: string;
  detail: string;
  severity: string;
}

export interface StateRow {
  cluster: string;
  node: string;
  kind: string;
  subject: string;
  state: string;
  detail: string;
  at: number;
  /** 1 when `at` is the time of an observed change, 0 when it is the first sight. */
  changed: number;
}

export interface EventQuery {
  cluster?: string;
  node?: string;
  kinds?: readonly string[];
  since?: number;
  beforeId?: number;
  limit?: number;
}

export type EventTables = ReturnType<typeof eventTables>;

const COLUMNS = 'id, at, cluster, node, kind, subject, from_state as "from", to_state as "to", detail, severity';

function where(f: EventQuery): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.cluster !== undefined) (parts.push('cluster = ?'), params.push(f.cluster));
  if (f.node !== undefined) (parts.push('node = ?'), params.push(f.node));
  if (f.kinds !== undefined) {
    if (f.kinds.length === 0) parts.push('0');
    else (parts.push(`kind in (${f.kinds.map(() => '?').join(', ')})`), params.push(...f.kinds));
  }
  if (f.since !== undefined) (parts.push('at >= ?'), params.push(f.since));
  if (f.beforeId !== undefined) (parts.push('id < ?'), params.push(f.beforeId));
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', params };
}

export function eventTables(db: ImpulseDatabase) {
  const s = db.sqlite;
  const insert = s.prepare('insert into events (at, cluster, node, kind, subject, from_state, to_state, detail, severity) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const putState = s.prepare('insert or replace into event_state (cluster, node, kind, subject, state, detail, at, changed) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const STATE_COLUMNS = 'cluster, node, kind, subject, state, detail, at, changed';
  const prune = s.prepare('delete from events where id in (select id from events where at < ? limit ?)');
  const cache = new Map<string, ReturnType<typeof s.prepare<unknown[]>>>();
  const prepared = (sql: string) => {
    let st = cache.get(sql);
    if (!st) cache.set(sql, (st = s.prepare<unknown[]>(sql)));
    return st;
  };
  return {
    insert(e: Omit<EventRow, 'id'>): number {
      return Number(insert.run(e.at, e.cluster, e.node, e.kind, e.subject, e.from, e.to, e.detail, e.severity).lastInsertRowid);
    },
    putState: (st: StateRow) => void putState.run(st.cluster, st.node, st.kind, st.subject, st.state, st.detail, st.at, st.changed),
    /** States matching the filter (the primary key serves cluster and node). */
    states(f: Pick<EventQuery, 'cluster' | 'node' | 'kinds'> = {}): StateRow[] {
      const w = where(f);
      return prepared(`select ${STATE_COLUMNS} from event_state ${w.sql}`).all(...w.params) as StateRow[];
    },
    /** Newest first. */
    list(f: EventQuery): EventRow[] {
      const w = where(f);
      return prepared(`select ${COLUMNS} from events ${w.sql} order by id desc limit ?`).all(...w.params, f.limit ?? 100) as EventRow[];
    },
    count(f: EventQuery): number {
      const w = where(f);
      return (prepared(`select count(*) as n from events ${w.sql}`).get(...w.params) as { n: number }).n;
    },
    /** Deletes up to `limit` events older than `before`; returns how many. */
    prune: (before: number, limit = 1000) => prune.run(before, limit).changes,
  };
}
