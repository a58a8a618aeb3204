// The product database: WAL, migrations in order (and only once), a database from a newer release
// refused, a damaged file or an unwritable data dir reported plainly, and a full disk turned into
// a reported, recoverable write failure instead of an exception.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, type Migration } from '../../db/index';

const dir = () => mkdtempSync(path.join(tmpdir(), 'impulse-db-'));

const steps: Migration[] = [
  { version: 1, name: 'one', up: (db) => db.exec('create table a (x integer)') },
  { version: 2, name: 'two', up: (db) => db.exec('alter table a add column y text') },
];

function errorOf(fn: () => unknown): DatabaseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatabaseError) return err;
    throw err;
  }
  throw new Error('expected a DatabaseError');
}

describe('openDatabase', () => {
  it('opens in WAL mode and applies migrations once, in order', () => {
    const d = dir();
    const first = openDatabase({ dataDir: d, migrations: steps.slice(0, 1) });
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.schemaVersion).toBe(1);
    first.sqlite.prepare('insert into a (x) values (1)').run();
    first.close();
    // An older release's file opens with the newer release and migrates, keeping its rows.
    const second = openDatabase({ dataDir: d, migrations: steps });
    expect(second.schemaVersion).toBe(2);
    expect(second.sqlite.prepare('select x, y from a').all()).toEqual([{ x: 1, y: null }]);
    expect(second.sqlite.prepare('select version, name from schema_migrations order by version').all()).toEqual([
      { version: 1, name: 'one' },
      { version: 2, name: 'two' },
    ]);
    second.close();
  });

  it('applies every migration of the product', () => {
    const db = openDatabase({ dataDir: dir() });
    expect(db.schemaVersion).toBeGreaterThanOrEqual(1);
    db.close();
  });

  it('refuses a database written by a newer release, naming both versions', () => {
    const d = dir();
    openDatabase({ dataDir: d, migrations: steps }).close();
    const err = errorOf(() => openDatabase({ dataDir: d, migrations: steps.slice(0, 1) }));
    expect(err.kind).toBe('newer-schema');
    expect(err.message).toMatch(/schema version 2, this release knows up to 1/);
  });

  it('reports a file that is not a database as corrupt, with what to do', () => {
    const d = dir();
    writeFileSync(path.join(d, 'impulse.db'), 'this is not sqlite at all '.repeat(200));
    const err = errorOf(() => openDatabase({ dataDir: d, migrations: steps }));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toContain(path.join(d, 'impulse.db'));
    expect(err.message).toMatch(/move it aside/);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unwritable data dir', () => {
    const d = dir();
    chmodSync(d, 0o500);
    const err = errorOf(() => openDatabase({ dataDir: d, migrations: steps }));
    expect(err.kind).toBe('unwritable');
  });

  it('a failed migration leaves the database at the last good version', () => {
    const d = dir();
    const broken: Migration[] = [steps[0], { version: 2, name: 'broken', up: (db) => db.exec('alter table nosuch add column z') }];
    const err = errorOf(() => openDatabase({ dataDir: d, migrations: broken }));
    expect(err.kind).toBe('migration');
    expect(err.message).toMatch(/migration 2 \(broken\)/);
    const db = openDatabase({ dataDir: d, migrations: steps });
    expect(db.schemaVersion).toBe(2);
    db.close();
  });

  it('a full disk is reported once, drops the write, and clears when space returns', () => {
    const errors: string[] = [];
    let resumed = 0;
    const db = openDatabase({ dataDir: dir(), migrations: steps, onWriteError: (e) => errors.push(e.kind), onWriteResumed: () => resumed++ });
    const pages = db.sqlite.pragma('page_count', { simple: true }) as number;
    // SQLite's own way to make a disk "full": cap the file at its current size.
    db.sqlite.pragma(`max_page_count = ${pages}`);
    const insert = db.sqlite.prepare('insert into a (x, y) values (?, ?)');
    const big = 'x'.repeat(8192);
    for (let i = 0; i < 3; i++) expect(db.write('history', () => insert.run(i, big))).toBeUndefined();
    expect(errors).toEqual(['full']);
    expect(db.health()).toMatchObject({ ok: false, kind: 'full' });
    expect(db.health().error).toMatch(/^history: /);
    db.sqlite.pragma('max_page_count = 1073741823');
    expect(db.write('history', () => insert.run(9, big).changes)).toBe(1);
    expect(db.health()).toEqual({ ok: true });
    expect(resumed).toBe(1);
    db.close();
  });

  it('rolls a failed write back as one transaction', () => {
    const db = openDatabase({ dataDir: dir(), migrations: steps });
    expect(() =>
      db.write('two rows', () => {
        db.sqlite.prepare('insert into a (x) values (1)').run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.sqlite.prepare('select count(*) n from a').get()).toEqual({ n: 0 });
    db.close();
  });
});
