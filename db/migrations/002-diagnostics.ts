// Migration 2: troubleshooter runs. Reserved for the diagnostics branch (issue 8), which defines its tables here.
import type { Migration } from './types';

export const migration: Migration = {
  version: 2,
  name: 'troubleshooter runs',
  up() {},
};
