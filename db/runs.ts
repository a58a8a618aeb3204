// Troubleshooter runs in the product database (tables: db/migrations/002-diagnostics.ts): create a
// run, stream its progress and each check's result and items as they finish, finish it, and read
// runs back (list, one run, paged and filtered items, the keys a diff compares). Writes go through
// db.write (one transaction each; a full disk drops the write instead of throwing).
import type { ImpulseDatabase } from './database';

export type RunKind = 'troubleshooter' | 'users' | 'readiness';
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
export type ResultStatus = 'passed' | 'warning' | 'failed' | 'skipped' | 'error';

export interface RunInsert {
  kind: RunKind;
  startedAt: number;
  actor: string;
  actorAddress?: string;
  origin: string;
  pid?: number;
  host?: string;
  scope: unknown;
}

export interface RunRow {
  id: number;
  kind: RunKind;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  actor: string;
  actorAddress: string | null;
  origin: string;
  pid: number | null;
  host: string | null;
  scope: unknown;
  progress: unknown;
  summary: unknown;
  report: unknown;
  error: string | null;
}

export interface ResultInsert {
  checkId: string;
  seq: number;
  section: string;
  title: string;
  status: ResultStatus;
  summary: string;
  problem?: string;
  solution?: string;
  fix?: unknown;
  skippedWhy?: string;
  startedAt: number;
  finishedAt: number;
  items: ItemInsert[];
}

export interface ItemInsert {
  key: string;
  kind: string;
  status: string;
  cluster?: string;
  node?: string;
  label: string;
  group?: string;
  detail?: string;
  fix?: string;
  data?: unknown;
}

export interface ResultRow extends Omit<ResultInsert, 'items' | 'problem' | 'solution' | 'skippedWhy'> {
  problem: string | null;
  solution: string | null;
  skippedWhy: string | null;
  itemCount: number;
}

export interface ItemRow extends ItemInsert {
  checkId: string;
  seq: number;
}

export interface ItemFilter {
  checkIds?: readonly string[];
  cluster?: string;
  node?: string;
  status?: string;
  /** Case-insensitive substring of the label, group, detail or data. */
  q?: string;
  offset?: number;
  limit?: number;
}

export interface ChecklistRow {
  itemId: string;
  checked: boolean;
  by: string | null;
  address: string | null;
  at: number | null;
  note: string | null;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = (s: unknown): unknown => (typeof s === 'string' ? JSON.parse(s) : null);

export function createRun(db: ImpulseDatabase, r: RunInsert): number | undefined {
  return db.write('troubleshooter run', () => {
    const info = db.sqlite
      .prepare(
        `insert into diagnostic_runs (kind, status, started_at, actor, actor_address, origin, pid, host, scope_json)
         values (?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.kind, r.startedAt, r.actor, r.actorAddress ?? null, r.origin, r.pid ?? null, r.host ?? null, JSON.stringify(r.scope));
    return Number(info.lastInsertRowid);
  });
}

export function updateRunProgress(db: ImpulseDatabase, id: number, progress: unknown): void {
  db.write('troubleshooter progress', () => {
    db.sqlite.prepare(`update diagnostic_runs set progress_json = ? where id = ? and status = 'running'`).run(JSON.stringify(progress), id);
  });
}

export function saveResult(db: ImpulseDatabase, runId: number, r: ResultInsert): void {
  db.write('troubleshooter result', () => {
    db.sqlite.prepare('delete from diagnostic_results where run_id = ? and check_id = ?').run(runId, r.checkId);
    db.sqlite
      .prepare(
        `insert into diagnostic_results (run_id, check_id, seq, section, title, status, summary, problem, solution, fix_json, skipped_why, item_count, started_at, finished_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, r.checkId, r.seq, r.section, r.title, r.status, r.summary, r.problem ?? null, r.solution ?? null, json(r.fix), r.skippedWhy ?? null, r.items.length, r.startedAt, r.finishedAt);
    const ins = db.sqlite.prepare(
      `insert into diagnostic_items (run_id, check_id, seq, item_key, kind, status, cluster, node, label, grp, detail, fix_url, data_json)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    r.items.forEach((i, k) => ins.run(runId, r.checkId, k, i.key, i.kind, i.status, i.cluster ?? null, i.node ?? null, i.label, i.group ?? null, i.detail ?? null, i.fix ?? null, json(i.data)));
  });
}

export function finishRun(db: ImpulseDatabase, id: number, f: { status: RunStatus; finishedAt: number; summary?: unknown; report?: unknown; progress?: unknown; error?: string }): void {
  db.write('troubleshooter run end', () => {
    db.sqlite
      .prepare(`update diagnostic_runs set status = ?, finished_at = ?, summary_json = ?, report_json = coalesce(?, report_json), progress_json = coalesce(?, progress_json), error = ? where id = ?`)
      .run(f.status, f.finishedAt, json(f.summary), json(f.report), json(f.progress), f.error ?? null, id);
  });
}

export function updateRunReport(db: ImpulseDatabase, id: number, report: unknown): void {
  db.write('readiness report', () => {
    db.sqlite.prepare('update diagnostic_runs set report_json = ? where id = ?').run(JSON.stringify(report), id);
  });
}

/**
 * Marks as interrupted every run left 'running' by a process that is gone (a crash or kill -9):
 * `alive(pid, host)` says whether the recording process still runs (a CLI run beside the server is
 * not interrupted). Returns the ids marked.
 */
export function markInterruptedRuns(db: ImpulseDatabase, alive: (pid: number | null, host: string | null) => boolean, now: number): number[] {
  const rows = db.sqlite.prepare(`select id, pid, host from diagnostic_runs where status = 'running'`).all() as Array<{ id: number; pid: number | null; host: string | null }>;
  const gone = rows.filter((r) => !alive(r.pid, r.host)).map((r) => r.id);
  if (!gone.length) return [];
  db.write('interrupted runs', () => {
    const st = db.sqlite.prepare(`update diagnostic_runs set status = 'interrupted', finished_at = ?, error = coalesce(error, ?) where id = ? and status = 'running'`);
    for (const id of gone) st.run(now, 'the run was cut short: the process that ran it stopped before it finished', id);
  });
  return gone;
}

/** Deletes all but the newest `keep` runs (with their results, items and checklist). */
export function pruneRuns(db: ImpulseDatabase, keep: number): number {
  return (
    db.write('prune runs', () => {
      const cut = db.sqlite.prepare(`select id from diagnostic_runs order by id desc limit 1 offset ?`).get(keep - 1) as { id: number } | undefined;
      if (!cut) return 0;
      return db.sqlite.prepare(`delete from diagnostic_runs where id < ? and status != 'running'`).run(cut.id).changes;
    }) ?? 0
  );
}

function toRun(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as number,
    kind: r.kind as RunKind,
    status: r.status as RunStatus,
    startedAt: r.started_at as number,
    finishedAt: (r.finished_at as number | null) ?? null,
    actor: r.actor as string,
    actorAddress: (r.actor_address as string | null) ?? null,
    origin: r.origin as string,
    pid: (r.pid as number | null) ?? null,
    host: (r.host as string | null) ?? null,
    scope: parse(r.scope_json),
    progress: parse(r.progress_json),
    summary: parse(r.summary_json),
    report: parse(r.report_json),
    error: (r.error as string | null) ?? null,
  };
}

export function listRuns(db: ImpulseDatabase, o: { kind?: RunKind | readonly RunKind[]; limit?: number; beforeId?: number } = {}): RunRow[] {
  const kinds = o.kind === undefined ? undefined : Array.isArray(o.kind) ? o.kind : [o.kind];
  const where: string[] = [];
  const args: unknown[] = [];
  if (kinds) {
    where.push(`kind in (${kinds.map(() => '?').join(',')})`);
    args.push(...kinds);
  }
  if (o.beforeId !== undefined) {
    where.push('id < ?');
    args.push(o.beforeId);
  }
  const sql = `select id, kind, status, started_at, finished_at, actor, actor_address, origin, pid, host, scope_json, null as progress_json, summary_json, null as report_json, error
    from diagnostic_runs ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`;
  return (db.sqlite.prepare(sql).all(...args, o.limit ?? 50) as Record<string, unknown>[]).map(toRun);
}

export function getRun(db: ImpulseDatabase, id: number): RunRow | undefined {
  const r = db.sqlite.prepare('select * from diagnostic_runs where id = ?').get(id) as Record<string, unknown> | undefined;
  return r && toRun(r);
}

/** The newest completed run of the same kind before `id` (for the diff). */
export function previousRunId(db: ImpulseDatabase, id: number, kinds: readonly RunKind[]): number | undefined {
  const r = db.sqlite
    .prepare(`select id from diagnostic_runs where id < ? and status = 'completed' and kind in (${kinds.map(() => '?').join(',')}) order by id desc limit 1`)
    .get(id, ...kinds) as { id: number } | undefined;
  return r?.id;
}

export function getResults(db: ImpulseDatabase, runId: number): ResultRow[] {
  const rows = db.sqlite.prepare('select * from diagnostic_results where run_id = ? order by seq').all(runId) as Record<string, unknown>[];
  return rows.map((r) => ({
    checkId: r.check_id as string,
    seq: r.seq as number,
    section: r.section as string,
    title: r.title as string,
    status: r.status as ResultStatus,
    summary: r.summary as string,
    problem: (r.problem as string | null) ?? null,
    solution: (r.solution as string | null) ?? null,
    fix: parse(r.fix_json),
    skippedWhy: (r.skipped_why as string | null) ?? null,
    itemCount: r.item_count as number,
    startedAt: r.started_at as number,
    finishedAt: r.finished_at as number,
  }));
}

function itemWhere(runId: number, f: ItemFilter): { sql: string; args: unknown[] } {
  const where = ['run_id = ?'];
  const args: unknown[] = [runId];
  if (f.checkIds?.length) {
    where.push(`check_id in (${f.checkIds.map(() => '?').join(',')})`);
    args.push(...f.checkIds);
  }
  if (f.cluster) {
    where.push('cluster = ?');
    args.push(f.cluster);
  }
  if (f.node) {
    where.push('node = ?');
    args.push(f.node);
  }
  if (f.status) {
    where.push('status = ?');
    args.push(f.status);
  }
  if (f.q) {
    // instr on lower-case text: no LIKE wildcards to escape in what the user typed.
    where.push(`(instr(lower(label), ?) > 0 or instr(lower(coalesce(grp, '')), ?) > 0 or instr(lower(coalesce(detail, '')), ?) > 0 or instr(lower(coalesce(data_json, '')), ?) > 0)`);
    const q = f.q.toLowerCase();
    args.push(q, q, q, q);
  }
  return { sql: where.join(' and '), args };
}

export function countItems(db: ImpulseDatabase, runId: number, f: ItemFilter = {}): number {
  const w = itemWhere(runId, f);
  return (db.sqlite.prepare(`select count(*) as n from diagnostic_items where ${w.sql}`).get(...w.args) as { n: number }).n;
}

export function getItems(db: ImpulseDatabase, runId: number, f: ItemFilter = {}): ItemRow[] {
  const w = itemWhere(runId, f);
  const rows = db.sqlite
    .prepare(`select * from diagnostic_items where ${w.sql} order by check_id, seq limit ? offset ?`)
    .all(...w.args, f.limit ?? -1, f.offset ?? 0) as Record<string, unknown>[];
  return rows.map((r) => ({
    checkId: r.check_id as string,
    seq: r.seq as number,
    key: r.item_key as string,
    kind: r.kind as string,
    status: r.status as string,
    cluster: (r.cluster as string | null) ?? undefined,
    node: (r.node as string | null) ?? undefined,
    label: r.label as string,
    group: (r.grp as string | null) ?? undefined,
    detail: (r.detail as string | null) ?? undefined,
    fix: (r.fix_url as string | null) ?? undefined,
    data: parse(r.data_json) ?? undefined,
  }));
}

/** Every item's identity and what to show for it (the diff between two runs). */
export function getItemKeys(db: ImpulseDatabase, runId: number): Array<{ checkId: string; key: string; status: string; label: string; cluster: string | null; node: string | null; detail: string | null }> {
  return db.sqlite
    .prepare('select check_id as checkId, item_key as key, status, label, cluster, node, detail from diagnostic_items where run_id = ?')
    .all(runId) as Array<{ checkId: string; key: string; status: string; label: string; cluster: string | null; node: string | null; detail: string | null }>;
}

export function tickChecklist(db: ImpulseDatabase, runId: number, t: { itemId: string; checked: boolean; by: string; address?: string; at: number; note?: string }): boolean {
  return (
    db.write('readiness checklist', () => {
      db.sqlite
        .prepare(
          `insert into readiness_checklist (run_id, item_id, checked, checked_by, checked_address, checked_at, note) values (?, ?, ?, ?, ?, ?, ?)
           on conflict (run_id, item_id) do update set checked = excluded.checked, checked_by = excluded.checked_by, checked_address = excluded.checked_address, checked_at = excluded.checked_at, note = coalesce(excluded.note, note)`,
        )
        .run(runId, t.itemId, t.checked ? 1 : 0, t.by, t.address ?? null, t.at, t.note ?? null);
      return true;
    }) ?? false
  );
}

export function getChecklist(db: ImpulseDatabase, runId: number): ChecklistRow[] {
  return (db.sqlite.prepare('select * from readiness_checklist where run_id = ? order by item_id').all(runId) as Record<string, unknown>[]).map((r) => ({
    itemId: r.item_id as string,
    checked: r.checked === 1,
    by: (r.checked_by as string | null) ?? null,
    address: (r.checked_address as string | null) ?? null,
    at: (r.checked_at as number | null) ?? null,
    note: (r.note as string | null) ?? null,
  }));
}
