// Run settings from the configuration's `diagnostics:` block and `thresholds:` (config/schema.ts),
// with IMPulse's defaults.
import type { Inventory } from '../config/resolve';
import type { ImpulseConfig } from '../config/schema';
import type { Thresholds } from './types';

export interface DiagnosticsSettings {
  maxConcurrentNodes: number;
  axlPageSize: number;
  upgradeWindowDays: number;
  keepRuns: number;
  thresholds: Thresholds;
  /** Gap between two replication readings (REPL-QUEUE), ms. */
  replicationSampleMs: number;
}

export const DEFAULT_DIAGNOSTICS = {
  maxConcurrentNodes: 16,
  /** ~300 bytes of XML per user: 10,000 users stay far below AXL's 8 MB answer limit. */
  axlPageSize: 10_000,
  upgradeWindowDays: 14,
  keepRuns: 200,
  replicationSampleMs: 10_000,
} as const;

export function diagnosticsSettings(config: ImpulseConfig, inventory: Inventory): DiagnosticsSettings {
  const d = config.diagnostics ?? {};
  return {
    maxConcurrentNodes: d.maxConcurrentNodes ?? DEFAULT_DIAGNOSTICS.maxConcurrentNodes,
    axlPageSize: d.axlPageSize ?? DEFAULT_DIAGNOSTICS.axlPageSize,
    upgradeWindowDays: d.upgradeWindowDays ?? DEFAULT_DIAGNOSTICS.upgradeWindowDays,
    keepRuns: d.keepRuns ?? DEFAULT_DIAGNOSTICS.keepRuns,
    replicationSampleMs: DEFAULT_DIAGNOSTICS.replicationSampleMs,
    thresholds: {
      certificateWarningDays: inventory.thresholds.certificateWarningDays,
      certificateCriticalDays: inventory.thresholds.certificateCriticalDays,
      replicationQueueWarning: inventory.thresholds.replicationQueueWarning,
      partitionUsedWarningPercent: inventory.thresholds.partitionUsedWarningPercent,
    },
  };
}
