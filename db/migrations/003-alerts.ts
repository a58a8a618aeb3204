// Migration 3: alerts and maintenance windows. Reserved for the alerting branch (issue 9), which defines its tables here.
import type { Migration } from './types';

export const migration: Migration = {
  version: 3,
  name: 'alerts and maintenance windows',
  up() {},
};
