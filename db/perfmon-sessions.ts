// The PerfMon session ledger: every session the collector holds open on a node, by node. A row
// is written when a session opens and deleted when the node confirms it closed (or no longer
// knows it). What is left at start-up was opened by a process that died (kill -9, power loss):
// the collector closes those sessions on the nodes before opening new ones.
import type { ImpulseDatabase } from './database';

export interface LedgerRow {
  nodeId: string;
  host: string;
  port: number;
  handle: string;
  openedAt: number;
}

export function recordOpenSession(db: ImpulseDatabase, r: LedgerRow): void {
  db.write('PerfMon session ledger', () =>
    db.sqlite.prepare('insert or replace into perfmon_sessions (node_id, host, port, handle, opened_at) values (?, ?, ?, ?, ?)').run(r.nodeId, r.host, r.port, r.handle, r.openedAt),
  );
}

export function forgetSession(db: ImpulseDatabase, nodeId: string, handle: string): void {
  db.write('PerfMon session ledger', () => db.sqlite.prepare('delete from perfmon_sessions where node_id = ? and handle = ?').run(nodeId, handle));
}

export function listOpenSessions(db: ImpulseDatabase): LedgerRow[] {
  return (db.sqlite.prepare('select node_id, host, port, handle, opened_at from perfmon_sessions order by node_id, opened_at').all() as {
    node_id: string;
    host: string;
    port: number;
    handle: string;
    opened_at: number;
  }[]).map((r) => ({ nodeId: r.node_id, host: r.host, port: r.port, handle: r.handle, openedAt: r.opened_at }));
}
