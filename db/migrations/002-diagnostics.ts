// Migration 2: troubleshooter runs (diagnostics, issue 8). A run (troubleshooter, user validation or
// pre-upgrade readiness) records when, who, from where, its scope, its progress while it runs, one
// result per check, every affected item, and — for readiness — the verdicts and the manual checklist
// the engineer ticks. A run still 'running' when its process died is marked 'interrupted' at the next
// start (server/services/diagnostics.ts).
import type { Migration } from './types';

export const migration: Migration = {
  version: 2,
  name: 'troubleshooter runs',
  up(db) {
    db.exec(`
      create table diagnostic_runs (
        id integer primary key autoincrement,
        kind text not null check (kind in ('troubleshooter', 'users', 'readiness')),
        status text not null check (status in ('running', 'completed', 'failed', 'interrupted')),
        started_at integer not null,
        finished_at integer,
        actor text not null,
        actor_address text,
        origin text not null,
        pid integer,
        host text,
        scope_json text not null,
        progress_json text,
        summary_json text,
        report_json text,
        error text
      );
      create index diagnostic_runs_kind_started on diagnostic_runs (kind, started_at desc);
      create index diagnostic_runs_status on diagnostic_runs (status);

      create table diagnostic_results (
        run_id integer not null references diagnostic_runs (id) on delete cascade,
        check_id text not null,
        seq integer not null,
        section text not null,
        title text not null,
        status text not null check (status in ('passed', 'warning', 'failed', 'skipped', 'error')),
        summary text not null,
        problem text,
        solution text,
        fix_json text,
        skipped_why text,
        item_count integer not null,
        started_at integer not null,
        finished_at integer not null,
        primary key (run_id, check_id)
      );

      create table diagnostic_items (
        run_id integer not null,
        check_id text not null,
        seq integer not null,
        item_key text not null,
        kind text not null,
        status text not null,
        cluster text,
        node text,
        label text not null,
        grp text,
        detail text,
        fix_url text,
        data_json text,
        primary key (run_id, check_id, seq),
        foreign key (run_id, check_id) references diagnostic_results (run_id, check_id) on delete cascade
      );
      create index diagnostic_items_key on diagnostic_items (run_id, check_id, item_key);

      create table readiness_checklist (
        run_id integer not null references diagnostic_runs (id) on delete cascade,
        item_id text not null,
        checked integer not null default 0,
        checked_by text,
        checked_address text,
        checked_at integer,
        note text,
        primary key (run_id, item_id)
      );
    `);
  },
};
