// Migration 4: accounts, revoked sessions and the audit log (security, issue 11), and the ledger of
// PerfMon sessions the collector has open on the nodes (so a crash never leaks them).
import type { Migration } from './types';

export const migration: Migration = {
  version: 4,
  name: 'accounts and the audit log',
  up(db) {
    db.exec(`
      create table accounts (
        name text primary key collate nocase,
        role text not null check (role in ('viewer', 'operator', 'admin')),
        -- argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)
        password_hash text not null,
        created_at integer not null,
        updated_at integer not null,
        password_changed_at integer not null,
        last_sign_in_at integer,
        -- bumped by a password change: sessions sealed with an older epoch are refused
        session_epoch integer not null default 0
      );

      -- Sessions signed out before their expiry (sealed cookies cannot be recalled otherwise).
      create table revoked_sessions (
        sid text primary key,
        -- epoch ms after which the cookie has expired anyway and the row can go
        until integer not null
      );

      create table audit_log (
        id integer primary key autoincrement,
        at integer not null,
        actor text not null,
        address text not null,
        action text not null,
        target text,
        detail text,
        outcome text not null check (outcome in ('success', 'failure', 'denied'))
      );
      create index audit_log_at on audit_log (at);
      create index audit_log_action on audit_log (action, at);
      create index audit_log_actor on audit_log (actor collate nocase, at);

      -- PerfMon sessions open on the nodes, by node: closed at the next start after a crash.
      create table perfmon_sessions (
        node_id text not null,
        host text not null,
        port integer not null,
        handle text not null,
        opened_at integer not null,
        primary key (node_id, handle)
      );
    `);
  },
};
