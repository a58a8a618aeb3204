// Disk partitions (reference/peers.md §1.7: the Upgrade Readiness COP checks disk space; the
// upgrade installs into the inactive partition and copies data through the common one). The active
// and common partitions at or above thresholds.partitionUsedWarningPercent (default 90) are a Warning,
// at 95 % or more a Failure: IMPulse's thresholds (Cisco publishes none for these partitions).
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

const WATCHED = new Map([
  ['active', 'Active'],
  ['common', 'Common'],
]);
export const FAIL_PERCENT = 95;

export const platDisk: CheckDefinition = {
  id: 'PLAT-DISK',
  section: 'Platform',
  title: 'Verify the active and common partitions have enough free space.',
  description:
    'Reads the Partition % Used counters (PerfMon) of every node, or `show status` (Disk/active, Disk/logging) when no recent counter reading exists: at or above thresholds.partitionUsedWarningPercent a Warning, at or above 95 % a Failure (IMPulse\'s thresholds).',
  needs: ['partitions'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'partitions', 'PLAT-DISK');
    const items: AffectedItem[] = [...errors];
    const warn = ctx.thresholds.partitionUsedWarningPercent;
    const fail = Math.max(FAIL_PERCENT, warn);
    for (const r of ok) {
      for (const p of r.value.partitions) {
        const name = WATCHED.get(p.name.toLowerCase());
        if (!name || p.usedPercent < warn) continue;
        items.push({
          kind: 'partition',
          key: `${r.node.name}|${name}`,
          status: p.usedPercent >= fail ? 'failed' : 'warning',
          cluster: r.cluster.name,
          node: r.node.name,
          label: `${name} on ${r.node.name}`,
          detail: `${name} partition ${p.usedPercent} % used${p.freeMB !== undefined ? ` (${Math.round(p.freeMB).toLocaleString('en-US')} MB free)` : ''}.`,
          data: { partition: name, usedPercent: p.usedPercent },
        });
      }
    }
    return outcome(items, {
      pass: `The active and common partitions of every node are below ${warn} % used.`,
      summary: (f) => `${plural(f.length, 'partition')} at or above ${warn} % used`,
      problem: 'A node\'s active or common partition is nearly full: log rotation, traces, the database and an upgrade (which copies data through the common partition) need free space.',
      solution: 'Free space on the common partition: delete old traces and logs (file delete activelog …), lower the Log Partition Monitoring thresholds (Cisco Log Partition Monitoring Tool) or collect and remove core files; for an upgrade, install the Upgrade Readiness COP and read its disk space check, and remove unused COP files and locales.',
    });
  },
};
