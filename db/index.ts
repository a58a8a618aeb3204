// db/: the product's SQLite database. openDatabase() here; each concern's table functions live in
// their own file beside it (history, events, runs, alerts, accounts, audit).
export { openDatabase, DatabaseError, DATABASE_FILE, describeDatabaseError, type ImpulseDatabase, type OpenOptions, type WriteHealth, type DatabaseErrorKind } from './database';
export type { Migration } from './migrations/types';
