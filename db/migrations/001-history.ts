// Migration 1: history and events (issue 7).
//
// History is shaped for its two targets — a node's 24 h of every chart in ≤ 50 ms, and the full
// mesh (210 nodes, ~11,000 chart lines) at full retention in ≤ 1 GB:
//   history_series  one row per chart line (cluster, node, series id, split label value), so the
//                   sample tables key on a small integer; its unique index finds a node's lines;
//   history_head    the samples of the current hour, one small row each (WITHOUT ROWID: rows are
//                   clustered by series then time, and the key is the row);
//   history_raw     closed hours, one blob per series and hour (db/history-codec.ts, 2–4 bytes a
//                   sample), kept 48 h;
//   history_rollup  one blob per series and UTC day of 5-minute min/avg/max buckets, kept 30 days.
// The blob tables keep rowids: their rows (0.3–2 KB) are too large for WITHOUT ROWID pages.
//
// Events: one row per state change; event_state holds the last known state of every watched
// thing and since when (changed = 1: the time of an observed change; 0: first seen), so a restart
// neither repeats nor misses a change, and pages can say "since".
import type { Migration } from './types';

export const migration: Migration = {
  version: 1,
  name: 'history and events',
  up(db) {
    db.exec(`
      create table history_series (
        id integer primary key,
        cluster text not null,
        node text not null,
        series text not null,
        line text not null,
        unique (cluster, node, series, line)
      );
      create table history_head (
        series_id integer not null,
        t integer not null,
        v real not null,
        primary key (series_id, t)
      ) without rowid;
      create table history_raw (
        series_id integer not null,
        start integer not null,
        n integer not null,
        data blob not null,
        primary key (series_id, start)
      );
      create table history_rollup (
        series_id integer not null,
        day integer not null,
        n integer not null,
        data blob not null,
        primary key (series_id, day)
      );
      create table events (
        id integer primary key autoincrement,
        at integer not null,
        cluster text not null,
        node text not null,
        kind text not null,
        subject text not null,
        from_state text,
        to_state text not null,
        detail text not null,
        severity text not null
      );
      create index events_node on events (cluster, node, id);
      create index events_at on events (at);
      create table event_state (
        cluster text not null,
        node text not null,
        kind text not null,
        subject text not null,
        state text not null,
        detail text not null,
        at integer not null,
        changed integer not null,
        primary key (cluster, node, kind, subject)
      ) without rowid;
    `);
  },
};
