// Whether the product database is saving what it should (history, events, runs, the audit log):
// pages show this instead of pretending. The database may not have opened (runtime.dbError), or
// writes may be failing now (a full disk, a read-only data dir: db.health()). Collection and
// /metrics go on either way.
import type { ImpulseRuntime } from './runtime';

export interface StorageStatus {
  state: 'ok' | 'failing' | 'unavailable';
  /** What an operator reads: what is wrong and what still works. */
  message?: string;
  /** Epoch ms the failure began (failing). */
  since?: number;
}

export function storageStatus(rt: ImpulseRuntime | undefined): StorageStatus {
  if (!rt) return { state: 'ok' };
  if (!rt.db || rt.db.closed) {
    return { state: 'unavailable', message: `History is unavailable: the database could not be opened (${rt.dbError ?? 'unknown reason'}). Collection and /metrics continue.` };
  }
  const h = rt.db.health();
  if (h.ok) return { state: 'ok' };
  const why = h.kind === 'full' ? 'the disk of the data dir is full' : h.kind === 'unwritable' ? 'the data dir cannot be written' : 'the database cannot be written';
  return {
    state: 'failing',
    since: h.since,
    message: `History is not being saved: ${why} (${h.error}). Collection and /metrics continue; saving resumes by itself when the problem is fixed.`,
  };
}
