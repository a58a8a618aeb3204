// The pre-upgrade readiness report: a Go / No-Go verdict per cluster from the checks that matter
// before an upgrade (the checks marked `readiness`), with the reasons, and the manual items Cisco
// lists that no API shows, as a checklist the engineer ticks (reference/peers.md §1.7: the Upgrade
// Readiness COP and Cisco's manual pre-upgrade checklist).
import type { ChecklistRow } from '../db/runs';
import type { CheckStatus, Section } from './types';

export interface ReadinessReason {
  checkId: string;
  title: string;
  section: Section | string;
  status: 'failed' | 'error' | 'warning';
  /** Affected items of this cluster for the check. */
  count: number;
  /** The first few, as "label — detail". */
  examples: string[];
}

export interface ClusterVerdict {
  cluster: string;
  product: 'cucm' | 'imp';
  verdict: 'Go' | 'No-Go';
  /** Failures (and checks that could not be evaluated) first, then warnings. */
  reasons: ReadinessReason[];
}

export interface ReadinessReport {
  upgradeWindowDays: number;
  clusters: ClusterVerdict[];
}

export interface ChecklistItem {
  id: string;
  label: string;
  /** Where Cisco says it. */
  source: string;
}

/** The manual items of Cisco's pre-upgrade checklist that no API shows (peers.md §1.7). */
export const READINESS_CHECKLIST: readonly ChecklistItem[] = [
  { id: 'drs-backup', label: 'Take a fresh Disaster Recovery System (DRS) backup of every cluster and confirm it completed (Backup > History).', source: 'Upgrade Guide 12.5(1): manual pre-upgrade checklist' },
  {
    id: 'cop-file',
    label: 'Install the Upgrade Readiness COP (ciscocm.preUpgradeCheck-000XX.cop.sgn) on every node and review its report (file view install PreUpgradeReport.txt).',
    source: 'Upgrade Guide 12.5(1): Upgrade Readiness COP',
  },
  { id: 'record-counts', label: 'Record the device counts and the number of assigned IM and Presence users (System > Presence Topology) to compare after the upgrade.', source: 'Upgrade Guide 12.5(1): manual pre-upgrade checklist' },
  { id: 'ha-sync-agent', label: 'Disable High Availability on the presence redundancy groups and stop the IM and Presence Sync Agent before the upgrade; re-enable them after it.', source: 'Upgrade Guide 12.5(1): manual pre-upgrade checklist' },
  {
    id: 'reports',
    label: 'Run the Database Status report (Cisco Unified Reporting) and generate the Serviceability reports CallActivitiesRep and PerformanceRep.',
    source: 'Upgrade Guide 12.5(1): manual pre-upgrade checklist',
  },
  { id: 'connectivity', label: 'Check connectivity: DNS, NTP, between the nodes, and to the SFTP server that holds the upgrade file.', source: 'Upgrade Guide 12.5(1): manual pre-upgrade checklist' },
];

export interface ResultForReadiness {
  checkId: string;
  title: string;
  section: string;
  status: CheckStatus;
  items: Array<{ status: string; cluster?: string; label: string; detail?: string }>;
}

const EXAMPLES = 5;

export function readinessVerdicts(
  clusters: ReadonlyArray<{ name: string; product: 'cucm' | 'imp' }>,
  results: readonly ResultForReadiness[],
  upgradeWindowDays: number,
): ReadinessReport {
  const out: ClusterVerdict[] = clusters.map((c) => ({ cluster: c.name, product: c.product, verdict: 'Go', reasons: [] }));
  const byName = new Map(out.map((v) => [v.cluster, v]));
  for (const r of results) {
    if (r.status === 'passed' || r.status === 'skipped') continue;
    const per = new Map<string, Array<{ status: string; label: string; detail?: string }>>();
    for (const i of r.items) {
      // An item without a cluster concerns every cluster in scope.
      for (const name of i.cluster ? [i.cluster] : [...byName.keys()]) per.set(name, [...(per.get(name) ?? []), i]);
    }
    for (const [name, items] of per) {
      const v = byName.get(name);
      if (!v) continue;
      const worst = items.some((i) => i.status === 'failed') ? 'failed' : items.some((i) => i.status === 'error') ? 'error' : 'warning';
      v.reasons.push({
        checkId: r.checkId,
        title: r.title,
        section: r.section,
        status: worst,
        count: items.length,
        examples: items.slice(0, EXAMPLES).map((i) => (i.detail ? `${i.label} — ${i.detail}` : i.label)),
      });
      if (worst !== 'warning') v.verdict = 'No-Go';
    }
  }
  const rank = { failed: 0, error: 1, warning: 2 } as const;
  for (const v of out) v.reasons.sort((a, b) => rank[a.status] - rank[b.status]);
  return { upgradeWindowDays, clusters: out };
}

/** The report's overall state: No-Go while any cluster is; Go once every checklist item is ticked. */
export function overallReadiness(report: ReadinessReport, ticks: readonly ChecklistRow[]): { verdict: 'Go' | 'No-Go' | 'Checklist pending'; confirmed: number; total: number } {
  const confirmed = READINESS_CHECKLIST.filter((i) => ticks.some((t) => t.itemId === i.id && t.checked)).length;
  const total = READINESS_CHECKLIST.length;
  if (report.clusters.some((c) => c.verdict === 'No-Go')) return { verdict: 'No-Go', confirmed, total };
  return { verdict: confirmed === total ? 'Go' : 'Checklist pending', confirmed, total };
}
