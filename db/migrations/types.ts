import type Database from 'better-sqlite3';

/**
 * One step of the schema. Versions run 1, 2, 3… without gaps; a released migration is never
 * edited (a database that applied it would not see the change) — add the next one instead.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
