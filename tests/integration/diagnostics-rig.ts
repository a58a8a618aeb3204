// Shared by the diagnostics integration tests: a lab on its own loopback range, the configuration it
// writes, a collector engine built from it (never started, as `impulse troubleshoot` does) and a
// helper that runs chosen checks and returns their results; faults go straight to the lab.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCollector, type Collector } from '../../collectors/index';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded, type Inventory } from '../../config/resolve';
import { startRun, type RunOutcome } from '../../diagnostics/run';
import { DEFAULT_DIAGNOSTICS, type DiagnosticsSettings } from '../../diagnostics/settings';
import { MemoryRunStore } from '../../diagnostics/store';
import type { CheckResult } from '../../diagnostics/types';
import { startLab, type LabHandle } from '../../lab/index';

export interface DiagRig {
  lab: LabHandle;
  inventory: Inventory;
  collector: Collector;
  runs: MemoryRunStore;
  settings: DiagnosticsSettings;
  /** Runs the given checks (all when none) and returns the outcome. */
  run(checks?: string[], o?: { kind?: 'troubleshooter' | 'users' | 'readiness'; clusters?: string[] }): Promise<RunOutcome>;
  /** One check's result. */
  check(id: string): Promise<CheckResult>;
  fault(kind: string, target: string, params?: Record<string, unknown>): string;
  clear(id: string): void;
  stop(): Promise<void>;
}

export interface DiagRigOptions {
  addressBase: string;
  clusters?: number;
  nodes?: number;
  users?: number;
  timeScale?: number;
  requestTimeoutSeconds?: number;
  cliTimeoutSeconds?: number;
}

export async function startDiagRig(o: DiagRigOptions): Promise<DiagRig> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-diag-'));
  const lab = await startLab({ clusters: o.clusters ?? 2, nodes: o.nodes ?? 2, usersPerCluster: o.users ?? 300, addressBase: o.addressBase, controlPort: 0, timeScale: o.timeScale ?? 1, dir });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const inventory = resolveLoaded(loadConfigFile(file));
  inventory.limits.requestTimeout = o.requestTimeoutSeconds ?? 4;
  inventory.limits.cliCommandTimeout = o.cliTimeoutSeconds ?? 10;
  const collector = createCollector(inventory);
  const runs = new MemoryRunStore(50);
  const settings: DiagnosticsSettings = {
    ...DEFAULT_DIAGNOSTICS,
    replicationSampleMs: 1500,
    thresholds: {
      certificateWarningDays: inventory.thresholds.certificateWarningDays,
      certificateCriticalDays: inventory.thresholds.certificateCriticalDays,
      replicationQueueWarning: inventory.thresholds.replicationQueueWarning,
      partitionUsedWarningPercent: inventory.thresholds.partitionUsedWarningPercent,
    },
  };
  const run = async (checks?: string[], ro: { kind?: 'troubleshooter' | 'users' | 'readiness'; clusters?: string[] } = {}) =>
    startRun({ kind: ro.kind ?? 'troubleshooter', checks, clusters: ro.clusters, actor: { name: 'test' }, origin: 'cli' }, { inventory, settings, engine: collector.engine, runs }).done;
  return {
    lab,
    inventory,
    collector,
    runs,
    settings,
    run,
    async check(id) {
      const out = await run([id]);
      const r = out.results.find((x) => x.checkId === id);
      if (!r) throw new Error(`no result for ${id}: run ${out.status} ${out.error ?? ''}`);
      return r;
    },
    fault: (kind, target, params) => lab.faults.inject({ kind, target, params }).id,
    clear: (id) => void lab.faults.clear(id),
    async stop() {
      await collector.stop();
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** "status:cluster/node:label" of each item, sorted: what a test compares exactly. */
export function itemsOf(r: CheckResult, statuses: string[] = ['failed', 'warning', 'error']): string[] {
  return r.items
    .filter((i) => statuses.includes(i.status))
    .map((i) => `${i.status}:${i.cluster ?? ''}/${i.node ?? ''}:${i.label}`)
    .sort();
}
