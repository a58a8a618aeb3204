// The troubleshooter's vocabulary: sections, check results, affected items, and the contract every
// check module in diagnostics/checks/ implements. Results use Cisco's System Troubleshooter words
// (Passed / Failed / Warning with a Problem and a Solution, reference/userid-uri-troubleshooter.md
// §3.1); Skipped and Error are IMPulse's own, for a check that does not apply and for a check whose
// data could not be collected.
import type { Inventory, InventoryCluster, InventoryNode } from '../config/resolve';
import type { DatasetName, Datasets } from './collect/datasets';

/** Sections, in page order. The first two are Cisco's area names verbatim (§3.2, §3.3); the rest are IMPulse's. */
export const SECTIONS = [
  'User Troubleshooter',
  'Inter-clustering Troubleshooter',
  'High Availability',
  'Database Replication',
  'Certificates',
  'Services',
  'Platform',
] as const;
export type Section = (typeof SECTIONS)[number];

export const CHECK_STATUSES = ['passed', 'warning', 'failed', 'skipped', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** How Cisco's page words a result (Test Passed / Failed / Warning), plus Skipped and Error. */
export const STATUS_LABEL: Record<CheckStatus, string> = {
  passed: 'Passed',
  warning: 'Warning',
  failed: 'Failed',
  skipped: 'Skipped',
  error: 'Error',
};

/** What an affected item is. */
export type ItemKind = 'user' | 'node' | 'cluster' | 'peer' | 'group' | 'certificate' | 'service' | 'domain' | 'core' | 'module' | 'partition';

export interface AffectedItem {
  kind: ItemKind;
  /**
   * Stable identity of the problem within its check, for the diff between runs: the same user
   * with the same duplicate value, the same certificate of the same node, …
   */
  key: string;
  /** 'error' when the item's data could not be collected (the node's collection error is `detail`). */
  status: 'failed' | 'warning' | 'error';
  cluster?: string;
  node?: string;
  /** What to show first: a user ID, a node name, a certificate unit… */
  label: string;
  /** Groups items that belong together (the duplicated value, the presence redundancy group…). */
  group?: string;
  /** One line of detail in Cisco's words where they exist. */
  detail?: string;
  /** Deep link that fixes this item (e.g. the user's End User Configuration page). */
  fix?: string;
  /** Structured fields (user ID, directory URI, mail, LDAP entry…) for tables, CSV and the CLI report. */
  data?: Record<string, string | number | boolean | null>;
}

export interface FixLink {
  label: string;
  url: string;
}

export interface CheckOutcome {
  status: CheckStatus;
  /** One line: what was found ("3 users share a user ID with users of another cluster"). */
  summary: string;
  /** Cisco's Problem column; absent when Passed. */
  problem?: string;
  /** Cisco's Solution column (remediation steps); absent when Passed. */
  solution?: string;
  /** The `fix` links of the Solution column (per cluster). */
  fix?: FixLink[];
  /** Why a Skipped check did not apply. */
  skippedWhy?: string;
  /** Every affected item: no cap. */
  items: AffectedItem[];
}

export interface CheckResult extends CheckOutcome {
  checkId: string;
  section: Section;
  title: string;
  startedAt: number;
  finishedAt: number;
}

export interface Thresholds {
  certificateWarningDays: number;
  certificateCriticalDays: number;
  replicationQueueWarning: number;
  partitionUsedWarningPercent: number;
}

export interface CheckContext {
  inventory: Inventory;
  /** Clusters in the run's scope (config order). */
  clusters: InventoryCluster[];
  data: Datasets;
  thresholds: Thresholds;
  /** Epoch ms the run's data describes. */
  now: number;
  /** Only readiness runs: certificates must stay valid this many days (the upgrade window). */
  upgradeWindowDays?: number;
}

export interface CheckDefinition {
  /** Short, stable id (CLI --check, URLs, the database). */
  id: string;
  section: Section;
  /** Cisco's test description where one exists (e.g. "Verify all users have a unique User ID configured."). */
  title: string;
  /** What it checks and from which data; says so where a rule is IMPulse's choice rather than Cisco's. */
  description: string;
  /** Datasets it reads. */
  needs: readonly DatasetName[];
  /** Part of the pre-upgrade readiness report. */
  readiness?: boolean;
  evaluate(ctx: CheckContext): CheckOutcome;
}

/** Failed > Error > Warning > Passed: the status of a check from its items. */
export function worstStatus(items: readonly Pick<AffectedItem, 'status'>[]): CheckStatus {
  if (items.some((i) => i.status === 'failed')) return 'failed';
  if (items.some((i) => i.status === 'error')) return 'error';
  if (items.some((i) => i.status === 'warning')) return 'warning';
  return 'passed';
}

export type NodeRef = Pick<InventoryNode, 'cluster' | 'name'>;
