// A day of history for the pages e2e test, recorded before `impulse start` runs: the built-in lab's
// own PerfMon counters (a lab deployment built with the same options computes what each counter
// showed at any past time: the daily waves of users and load) sampled every 30 s over the past day,
// and written through the product's own path — the collector's emit (CollectorMetrics) into the
// history recorder and the embedded store in the data dir's database — exactly what the collector
// would have recorded had it watched the lab for that day. The node page then draws a day.
import { HistoryRecorder } from '../../collectors/history/recorder';
import { SqliteHistory } from '../../collectors/history/sqlite';
import { createCollector } from '../../collectors/index';
import type { PerfmonObservation } from '../../collectors/sources/perfmon';
import { CURATED_COUNTERS } from '../../collectors/sources/perfmon-counters';
import { resolveInventory } from '../../config/resolve';
import type { ImpulseConfig } from '../../config/schema';
import { openDatabase } from '../../db/index';
import { buildManifest } from '../../lab/manifest';
import { buildDeployment, type DeploymentOptions, type StateNode } from '../../lab/state/deployment';
import { labConfig } from '../../lab/write-config';

export interface BackfillOptions {
  /** The lab's options, as `impulse start` will get them (same names and counters). */
  lab: Pick<DeploymentOptions, 'clusters' | 'nodes' | 'addressBase'>;
  dataDir: string;
  /** Nodes to record (by name). */
  nodes: string[];
  /** Epoch ms: the day ends here. */
  until: number;
  hours?: number;
  stepMs?: number;
}

function perfmonAt(node: StateNode, t: number): PerfmonObservation {
  const samples: PerfmonObservation['samples'] = [];
  for (const c of CURATED_COUNTERS) {
    if (!c.products.includes(node.product)) continue;
    const obj = node.counters.object(c.object);
    if (!obj) continue;
    const instances = obj.multiInstance ? (c.instance && c.instance !== 'discover' ? [c.instance] : node.counters.instances(c.object, t)) : [undefined];
    for (const inst of instances) {
      if (inst !== undefined && c.instances && !c.instances.some((i) => i.toLowerCase() === inst.toLowerCase())) continue;
      const v = node.counters.value(c.object, inst, c.counter, t);
      if (v !== undefined) samples.push({ object: c.object, instance: inst, counter: c.counter, value: v, extra: false });
    }
  }
  return { samples, requests: 1, sessionOpened: false, rejected: [], pending: 0 };
}

/** Returns the number of samples written. */
export async function backfillDay(o: BackfillOptions): Promise<number> {
  const lab = await buildDeployment({ clusters: o.lab.clusters, nodes: o.lab.nodes, addressBase: o.lab.addressBase });
  const manifest = buildManifest(lab, { controlUrl: 'http://127.0.0.1:1', caFile: '/nonexistent', knownHostsFile: '/nonexistent' });
  const config = labConfig(manifest) as unknown as ImpulseConfig;
  // Only names, products and intervals matter here: no trust files are read.
  for (const c of config.clusters) delete (c as { tls?: unknown }).tls, delete (c as { ssh?: unknown }).ssh;
  const inventory = resolveInventory(config, { dir: o.dataDir });
  const db = openDatabase({ dataDir: o.dataDir });
  try {
    const store = new SqliteHistory({ db, inventory, now: () => o.until });
    const collector = createCollector(inventory);
    const recorder = new HistoryRecorder(collector.metricsRegistry, store);
    const step = o.stepMs ?? 30_000;
    const from = o.until - (o.hours ?? 24) * 3_600_000;
    let written = 0;
    for (const name of o.nodes) {
      const node = lab.nodes.find((n) => n.name === name);
      if (!node) throw new Error(`backfill: no lab node ${name}`);
      for (let t = from; t <= o.until; t += step) {
        recorder.observe({ cluster: node.cluster.name, node: node.name, source: 'perfmon', intervalMs: step, value: perfmonAt(node, t), at: t, lastAttemptAt: t, durationMs: 40, ok: true, failures: 0 });
        if (store.pending > 200_000) written += store.flush();
      }
    }
    written += store.flush();
    return written;
  } finally {
    db.close();
  }
}
