// Migration 3: alerts and maintenance windows (alerting branch, issue 9).
//  - alert_history: one row per alert episode, from pending to resolved (labels as JSON), so the
//    dashboard shows resolved alerts and the evaluator carries `for` clocks across a restart.
//  - maintenance_windows: Cisco's "suspend cluster-/node-wide alerts" for upgrades — who opened
//    it, when, for which cluster or node (and optionally one alert: a silence), why, and the
//    Alertmanager silence it became on each Alertmanager.
import type { Migration } from './types';

export const migration: Migration = {
  version: 3,
  name: 'alerts and maintenance windows',
  up(db) {
    db.exec(`
      create table alert_history (
        id integer primary key,
        fingerprint text not null,
        alertname text not null,
        severity text not null,
        cluster text,
        node text,
        labels text not null,
        summary text not null,
        description text not null,
        runbook_url text not null,
        state text not null check (state in ('pending', 'firing', 'resolved')),
        value real,
        active_at integer not null,
        fired_at integer,
        resolved_at integer,
        seen_at integer not null
      );
      create index alert_history_open on alert_history (fingerprint) where state != 'resolved';
      create index alert_history_resolved on alert_history (resolved_at desc) where state = 'resolved';
      create index alert_history_cluster on alert_history (cluster, resolved_at desc);

      create table maintenance_windows (
        id integer primary key,
        cluster text not null,
        node text,
        alertname text,
        starts_at integer not null,
        ends_at integer not null,
        reason text not null,
        created_by text not null,
        created_from text not null,
        created_at integer not null,
        cancelled_at integer,
        cancelled_by text,
        silences text not null default '{}',
        check (ends_at > starts_at)
      );
      create index maintenance_windows_current on maintenance_windows (ends_at) where cancelled_at is null;
    `);
  },
};
