// Migration 1: history and events. Reserved for the dashboard history branch (issue 7), which defines its tables here.
import type { Migration } from './types';

export const migration: Migration = {
  version: 1,
  name: 'history and events',
  up() {},
};
