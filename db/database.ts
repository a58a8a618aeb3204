// The product's one SQLite database (one file per data dir): its connection, its versioned
// migrations and its write-health. Every table — history, events, troubleshooter runs, alerts,
// accounts, the audit log — is reached through the functions of db/; this is the only file that
// imports better-sqlite3.
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations as allMigrations } from './migrations/index';
import type { Migration } from './migrations/types';

/** The raw connection type, for db/*.ts table modules only. */
export type Sqlite = Database.Database;
export type { Migration };

export const DATABASE_FILE = 'impulse.db';

export type DatabaseErrorKind =
  /** the file is not a SQLite database, or its pages are damaged */
  | 'corrupt'
  /** the data dir or the file cannot be written (permissions, read-only file system) */
  | 'unwritable'
  /** the disk is full */
  | 'full'
  /** written by a newer IMPulse: this release does not know its schema */
  | 'newer-schema'
  /** a migration failed (the database is left at the last good version) */
  | 'migration'
  | 'io';

export class DatabaseError extends Error {
  constructor(
    readonly kind: DatabaseErrorKind,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

/** What the last write did: pages say "history unavailable" while `ok` is false. */
export interface WriteHealth {
  ok: boolean;
  /** The error of the first failed write of the current failing stretch. */
  error?: string;
  kind?: DatabaseErrorKind;
  /** Epoch ms the failing stretch began. */
  since?: number;
}

export interface ImpulseDatabase {
  readonly file: string;
  /** For db/*.ts table modules: prepared statements and transactions. */
  readonly sqlite: Sqlite;
  /** Schema version after migrations (the highest applied migration). */
  readonly schemaVersion: number;
  /**
   * Runs `fn` in one transaction. A full disk or a read-only data dir does not throw: it is
   * reported once (onWriteError) and in health(), the write is dropped, and the next successful
   * write clears the state (onWriteResumed). Other errors throw.
   */
  write<T>(what: string, fn: () => T): T | undefined;
  health(): WriteHealth;
  close(): void;
  readonly closed: boolean;
}

export interface OpenOptions {
  dataDir: string;
  /** File name inside dataDir (default impulse.db); ':memory:' for tests. */
  file?: string;
  readonly?: boolean;
  /** Migrations to apply (default: every migration of db/migrations). Tests pass a prefix. */
  migrations?: readonly Migration[];
  onWriteError?: (err: DatabaseError) => void;
  onWriteResumed?: (after: WriteHealth) => void;
  /** Clock for health timestamps (tests). */
  now?: () => number;
}

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
const UNWRITABLE_CODES = new Set(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_AUTH']);

/** Maps a SQLite or file-system error to our kind; undefined for anything else (a bug: rethrown). */
export function classify(err: unknown): DatabaseErrorKind | undefined {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (CORRUPT_CODES.has(code) || code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_FULL')) return 'full';
  if (UNWRITABLE_CODES.has(code) || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return 'unwritable';
  if (code === 'ENOSPC') return 'full';
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return 'unwritable';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return undefined;
}

const REMEDY: Record<DatabaseErrorKind, string> = {
  corrupt: 'the file is damaged or is not an IMPulse database; move it aside (IMPulse then starts a new, empty one) or restore it from a backup',
  unwritable: 'give the IMPulse user write access to the data dir (server.dataDir) and the file, or choose another data dir',
  full: 'free space on the file system of the data dir; writes resume by themselves',
  'newer-schema': 'it was written by a newer IMPulse release; run that release, or point server.dataDir at another directory',
  migration: 'the upgrade of the database schema failed; the database is unchanged since the last good version',
  io: 'an I/O error; check the file system of the data dir',
};

export function describeDatabaseError(kind: DatabaseErrorKind, file: string, err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  return `database ${file}: ${detail} — ${REMEDY[kind]}`;
}

export function openDatabase(opts: OpenOptions): ImpulseDatabase {
  const memory = opts.file === ':memory:';
  const file = memory ? ':memory:' : path.resolve(opts.dataDir, opts.file ?? DATABASE_FILE);
  const fail = (kind: DatabaseErrorKind, err: unknown): never => {
    throw new DatabaseError(kind, file, describeDatabaseError(kind, file, err), { cause: err });
  };
  if (!memory && !opts.readonly) {
    try {
      mkdirSync(opts.dataDir, { recursive: true });
      accessSync(opts.dataDir, constants.W_OK);
    } catch (err) {
      fail(classify(err) === 'full' ? 'full' : 'unwritable', err);
    }
  }
  let sqlite: Sqlite;
  try {
    sqlite = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
  } catch (err) {
    return fail(classify(err) ?? 'io', err);
  }
  let schemaVersion: number;
  try {
    if (!opts.readonly) {
      // WAL: readers never block the writer, and a crash (kill -9) loses nothing committed.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
    }
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    schemaVersion = opts.readonly ? currentVersion(sqlite) : migrate(sqlite, file, opts.migrations ?? allMigrations);
  } catch (err) {
    sqlite.close();
    if (err instanceof DatabaseError) throw err;
    return fail(classify(err) ?? 'io', err);
  }

  const now = opts.now ?? Date.now;
  let health: WriteHealth = { ok: true };
  let closed = false;
  return {
    file,
    sqlite,
    schemaVersion,
    get closed() {
      return closed;
    },
    health: () => ({ ...health }),
    write<T>(what: string, fn: () => T): T | undefined {
      if (closed) return undefined;
      try {
        const result = sqlite.transaction(fn)();
        if (!health.ok) {
          const after = health;
          health = { ok: true };
          opts.onWriteResumed?.(after);
        }
        return result;
      } catch (err) {
        const kind = classify(err);
        if (kind !== 'full' && kind !== 'unwritable' && kind !== 'io') throw err;
        // Dropped, not thrown: the collector must keep running through a full disk.
        if (health.ok) {
          const e = new DatabaseError(kind, file, describeDatabaseError(kind, file, err), { cause: err });
          health = { ok: false, error: `${what}: ${e.message}`, kind, since: now() };
          opts.onWriteError?.(e);
        }
        return undefined;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        // Folds the WAL back into the main file so a copy of impulse.db alone is complete.
        if (!opts.readonly) sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // A full disk may refuse the checkpoint; the WAL stays and is replayed at next open.
      }
      sqlite.close();
    },
  };
}

function currentVersion(sqlite: Sqlite): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration above the file's user_version, each in its own transaction. */
function migrate(sqlite: Sqlite, file: string, list: readonly Migration[]): number {
  checkMigrationList(list);
  const latest = list.length ? list[list.length - 1].version : 0;
  let version = currentVersion(sqlite);
  if (version > latest) {
    throw new DatabaseError('newer-schema', file, describeDatabaseError('newer-schema', file, new Error(`schema version ${version}, this release knows up to ${latest}`)));
  }
  sqlite.exec(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at integer not null
  )`);
  for (const m of list) {
    if (m.version <= version) continue;
    try {
      sqlite.transaction(() => {
        m.up(sqlite);
        sqlite.prepare('insert into schema_migrations (version, name, applied_at) values (?, ?, ?)').run(m.version, m.name, Date.now());
        sqlite.pragma(`user_version = ${m.version}`);
      })();
    } catch (err) {
      const kind = classify(err);
      if (kind !== undefined && kind !== 'io') throw err;
      throw new DatabaseError('migration', file, describeDatabaseError('migration', file, new Error(`migration ${m.version} (${m.name}): ${(err as Error).message}`)), { cause: err });
    }
    version = m.version;
  }
  return version;
}

function checkMigrationList(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`db/migrations: migration #${i + 1} has version ${m.version}; versions run 1, 2, 3… without gaps`);
  });
}
