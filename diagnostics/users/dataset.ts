// The fleet's end users as the checks read them: the UserTable, each IM&P cluster's reading (or why
// it could not be read), each cluster's addressing, and — after the checks flag users — what the
// configured LDAP directories say about them.
import type { Addressing } from './addressing';
import type { UserFindings } from './findings';
import type { UserTable } from './table';

export interface ClusterUsersReading {
  cluster: string;
  ok: boolean;
  error?: { kind: string; message: string };
  /** Users homed on this cluster's IM&P nodes (the rows in the table). */
  assigned: number;
  /** Users with no IM&P node (not enabled for IM and Presence): not validated, as in `utils users validate`. */
  unassigned: number;
  /** Rows homed on nodes of other clusters (intercluster copies), skipped: their own cluster reports them. */
  remote: number;
  /** Epoch ms the read finished. */
  at?: number;
  /** AXL pages read. */
  pages: number;
  addressing?: Addressing;
}

/** What an LDAP directory holds for a flagged user. */
export interface LdapEntry {
  directory: string;
  dn: string;
  userId?: string;
  mail?: string;
}

export interface LdapCrossCheck {
  /** Directories consulted, and the error of each one that could not be read. */
  directories: Array<{ name: string; ok: boolean; error?: string; lookedUp: number; found: number }>;
  /** Entry found for a user ID (lower case). */
  byUserId: Map<string, LdapEntry>;
}

export interface UsersDataset {
  table: UserTable;
  clusters: Map<string, ClusterUsersReading>;
  /** Computed once (diagnostics/users/findings.ts) and shared by the user checks. */
  findings?: UserFindings;
  ldap?: LdapCrossCheck;
}

/** Whether a row's cluster is addressed by the Directory URI scheme. */
export function rowUsesDirectoryUri(ds: UsersDataset): (row: number) => boolean {
  const byIndex = ds.table.clusters.map((c) => ds.clusters.get(c)?.addressing?.scheme === 'Directory URI');
  return (row) => byIndex[ds.table.cluster[row]] ?? false;
}
