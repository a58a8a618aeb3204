// Migration 4: accounts and the audit log. Reserved for the security branch (issue 11), which defines its tables here.
import type { Migration } from './types';

export const migration: Migration = {
  version: 4,
  name: 'accounts and the audit log',
  up() {},
};
