// Every schema migration, in order. One list for the whole database: each concern's tables are
// created by its own migration file, so a database from any earlier release opens and migrates.
import { migration as m001 } from './001-history';
import { migration as m002 } from './002-diagnostics';
import { migration as m003 } from './003-alerts';
import { migration as m004 } from './004-auth';
import type { Migration } from './types';

export type { Migration };

export const migrations: readonly Migration[] = [m001, m002, m003, m004];
