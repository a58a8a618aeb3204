// /metrics size on the full mesh (30 IM&P clusters × 6 nodes + 30 CUCM publishers = 210 nodes): one
// poll of every source against the lab, then the exposition counted per node (series with that
// node's `node` label; the collector's own cluster-level series are shown apart). The catalogue
// must keep a node within 600 series (issue 10); the largest contributor is named.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigFile } from '../config/load';
import { resolveLoaded } from '../config/resolve';
import { createCollector } from '../collectors/index';
import { startLab } from '../lab/index';
import { report } from './report';

const CLUSTERS = Number(process.env.IMPULSE_BENCH_CLUSTERS ?? 30);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-metrics-'));
  const lab = await startLab({ clusters: CLUSTERS, nodes: 6, usersPerCluster: 300, addressBase: '127.101', controlPort: 0, sshPort: 2222, dir });
  try {
    const file = path.join(dir, 'impulse.config.yaml');
    lab.writeConfig(file);
    const inventory = resolveLoaded(loadConfigFile(file));
    inventory.limits.cliCommandTimeout = 60;
    const collector = createCollector(inventory, { engine: { log: () => {} } });
    const t0 = performance.now();
    const outcomes = await collector.runOnce();
    const failed = outcomes.filter((o) => !o.ok);
    console.log(`polled ${outcomes.length} source×node tasks in ${((performance.now() - t0) / 1000).toFixed(0)} s (${failed.length} failed)`);
    const why = new Map<string, number>();
    for (const o of failed) {
      const key = `${o.task.source}: ${(o.error as Error)?.message?.replace(/\b(imp|cucm)\d\d-\S+/g, '<node>').slice(0, 160)}`;
      why.set(key, (why.get(key) ?? 0) + 1);
    }
    for (const [k, n] of why) console.log(`  ${n} × ${k}`);
    const body = await collector.metrics();
    await collector.stop();
    const perNode = new Map<string, { series: number; bytes: number }>();
    const perMetric = new Map<string, number>();
    const perNodeMetric = new Map<string, Map<string, number>>();
    let shared = 0;
    for (const line of body.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const node = /[{,]node="([^"]*)"/.exec(line)?.[1];
      if (!node) {
        shared++;
        continue;
      }
      const e = perNode.get(node) ?? { series: 0, bytes: 0 };
      e.series++;
      e.bytes += line.length + 1;
      perNode.set(node, e);
      const name = line.slice(0, line.search(/[{ ]/));
      perMetric.set(name, (perMetric.get(name) ?? 0) + 1);
      const m = perNodeMetric.get(node) ?? new Map<string, number>();
      m.set(name, (m.get(name) ?? 0) + 1);
      perNodeMetric.set(node, m);
    }
    const nodes = [...perNode.values()];
    const max = Math.max(...nodes.map((n) => n.series));
    const mean = nodes.reduce((s, n) => s + n.series, 0) / nodes.length;
    const bytes = nodes.reduce((s, n) => s + n.bytes, 0) / nodes.length;
    console.log(`${perNode.size} nodes; body ${(body.length / 1048576).toFixed(1)} MB; ${shared} series without a node label`);
    report({ label: 'series per node (largest node)', value: max, unit: 'series', target: { op: '<=', value: 600 } });
    report({ label: 'series per node (mean)', value: mean, unit: 'series' });
    report({ label: 'bytes per node (mean)', value: bytes, unit: 'bytes' });
    const top = [...perMetric].sort((a, b) => b[1] - a[1]).slice(0, 5);
    for (const [name, n] of top) report({ label: `  ${name} per node (mean)`, value: n / perNode.size, unit: 'series' });
    const [largest] = [...perNode].sort((a, b) => b[1].series - a[1].series)[0];
    console.log(`largest node: ${largest}`);
    for (const [name, n] of [...perNodeMetric.get(largest)!].sort((a, b) => b[1] - a[1]).slice(0, 8)) report({ label: `  ${name} on ${largest}`, value: n, unit: 'series' });
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
