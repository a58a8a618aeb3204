// Collector cost on the full mesh (30 IM&P clusters × 6 nodes + 30 CUCM publishers = 210 nodes).
// The lab runs in its own process (`impulse lab`), so CPU and RSS here are the collector's.
//
// Figures (issue §7): missed intervals (0), PerfMon requests per node-minute at steady state at
// the 30 s interval (≤ 4), beside the per-object pattern of today's exporters measured in the
// same run (one perfmonCollectCounterData per object per node), collector CPU (≤ 0.25 core),
// RSS (≤ 400 MB), /metrics render time (≤ 500 ms).
//
// IMPULSE_BENCH_INTERVAL (seconds, default 30) shortens the PerfMon/HA interval to fit a quick
// run; requests per node-minute are computed per poll and scaled to the 30 s interval, so the
// figure means the same whatever interval the run used. IMPULSE_BENCH_MINUTES (default 2) is the
// measured steady-state duration after a 75 s warm-up (start-up polls).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadConfigFile } from '../config/load';
import { resolveLoaded } from '../config/resolve';
import { SoapTransport } from '../collectors/clients/http';
import { PerfmonClient } from '../collectors/clients/perfmon';
import { trustOf } from '../collectors/engine/clients';
import { createCollector } from '../collectors/index';
import { readSecret } from '../config/resolve';
import { report } from './report';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INTERVAL = Number(process.env.IMPULSE_BENCH_INTERVAL ?? 30);
const MINUTES = Number(process.env.IMPULSE_BENCH_MINUTES ?? 2);
const BASE = '127.79';
/**
 * Users per cluster: the documented maximum (75,000 × 30 = 2.25 million). The lab's `utils users
 * validate all` scans a cluster and its intercluster peers (about 8 s per publisher at this size).
 */
const USERS = Number(process.env.IMPULSE_BENCH_USERS ?? 75_000);

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-collect-'));
  const file = path.join(dir, 'impulse.config.yaml');
  const labProc = spawn(process.execPath, [path.join(root, 'bin', 'impulse.mjs'), 'lab', '--clusters', '30', '--nodes', '6', '--users', String(USERS), '--address-base', BASE, '--control-port', '0', '--dir', dir, '--write-config', file], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let labLog = '';
  labProc.stdout.on('data', (d: Buffer) => (labLog = (labLog + d.toString()).slice(-4000)));
  labProc.stderr.on('data', (d: Buffer) => (labLog = (labLog + d.toString()).slice(-4000)));
  const stopLab = async () => {
    if (labProc.exitCode === null) {
      labProc.kill('SIGTERM');
      await new Promise((r) => labProc.once('exit', r));
    }
  };
  try {
    const t0 = Date.now();
    while (!existsSync(file)) {
      if (labProc.exitCode !== null) throw new Error(`impulse lab exited (${labProc.exitCode}):\n${labLog}`);
      if (Date.now() - t0 > 180_000) throw new Error(`impulse lab did not write ${file} within 3 minutes:\n${labLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 500));
    console.log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    cfg.polling = { ...(cfg.polling as object), perfmon: INTERVAL, ha: INTERVAL };
    writeFileSync(file, stringify(cfg));
    const inventory = resolveLoaded(loadConfigFile(file));
    const nodes = inventory.nodes.length;

    const collector = createCollector(inventory);
    let rssMax = 0;
    const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 500);
    await collector.start();

    // Warm-up: the start-up polls (sessions, discovery, certificate inventories, user validation,
    // spread over the first minute) are not steady state.
    await new Promise((r) => setTimeout(r, Math.max(75, INTERVAL + 15) * 1000));
    // Read the live counters directly (not the whole registry, which would build every series as objects).
    const snapshotRequests = async () => {
      let perfmon = 0;
      for (const v of (await collector.metricsRegistry.requests.get()).values) if (v.labels.protocol === 'perfmon' && v.labels.outcome !== 'budget') perfmon += v.value;
      let missedN = 0;
      const bySource = new Map<string, number>();
      for (const v of (await collector.metricsRegistry.pollsMissed.get()).values) {
        missedN += v.value;
        bySource.set(String(v.labels.source), (bySource.get(String(v.labels.source)) ?? 0) + v.value);
      }
      if (missedN) console.log(`missed polls by source: ${[...bySource].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      return { perfmon, missed: missedN };
    };
    // Prometheus scrapes the collector during the run (every 15 s); each scrape's render time counts.
    const renders: number[] = [];
    let size = 0;
    const scrape = async () => {
      const t = performance.now();
      size = (await collector.metrics()).length;
      renders.push(performance.now() - t);
    };
    await scrape();
    renders.length = 0; // the first scrape formats everything once; steady-state scrapes are measured
    const s0 = await snapshotRequests();
    const steady0 = performance.now();
    const cpuSteady0 = process.cpuUsage();
    const scraper = setInterval(() => void scrape(), 15_000);
    await new Promise((r) => setTimeout(r, MINUTES * 60_000));
    clearInterval(scraper);
    const s1 = await snapshotRequests();
    const steadyMin = (performance.now() - steady0) / 60_000;
    const cpuSteady = process.cpuUsage(cpuSteady0);
    const cpuCores = (cpuSteady.user + cpuSteady.system) / 1000 / (steadyMin * 60_000);

    clearInterval(rssTimer);
    const down = collector.store.snapshot().filter((v) => (v.source === 'perfmon' || v.source === 'ha') && !(v.ok && v.fresh));
    const failures = new Map<string, number>();
    for (const v of collector.store.snapshot()) if (!v.ok && v.error) failures.set(`${v.source} ${v.error.kind}`, (failures.get(`${v.source} ${v.error.kind}`) ?? 0) + 1);
    if (failures.size) console.log(`failing at the end: ${[...failures].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    await collector.stop();

    // Baseline: today's exporters' per-object pattern — one perfmonCollectCounterData per object
    // per node per cycle — counted the same way on a sample of nodes, after the collector stopped.
    const sample = inventory.nodes.filter((n) => n.cluster === 'imp01' || n.cluster === 'cucm01');
    let baselineRequests = 0;
    let baselineLimited = 0;
    for (const n of sample) {
      const transport = new SoapTransport({
        node: n.name,
        host: n.host,
        port: n.ports.https,
        trust: trustOf(n.tls),
        credentials: () => ({ username: n.credentials.axl!.username, password: readSecret(n.credentials.axl!.password) }),
        hooks: { onRequest: (e) => (baselineRequests++, e.outcome === 'rate-limit' && baselineLimited++) },
      });
      const client = new PerfmonClient(transport, { host: n.name });
      const objects = await client.listCounter().catch((err: Error) => {
        console.log(`baseline: ${n.name}: ${err.message}`);
        return [];
      });
      baselineRequests--; // listCounter is discovery; exporters configure the object list statically
      for (const o of objects) await client.collectCounterData(o.name).catch(() => undefined);
      transport.close();
    }
    const baselinePerNodeMinute = (baselineRequests / sample.length) * (60 / 30);

    const polls = (steadyMin * 60) / INTERVAL;
    const perPoll = (s1.perfmon - s0.perfmon) / nodes / polls;
    const perNodeMinute = perPoll * (60 / 30);
    console.log(`${nodes} nodes, PerfMon/HA interval ${INTERVAL} s, ${steadyMin.toFixed(1)} min measured; ${down.length} perfmon/ha targets not fresh at the end; /metrics ${(size / 1024).toFixed(0)} KiB`);
    report({ label: 'missed intervals (whole run, start-up included)', value: s1.missed, unit: 'polls', target: { op: '==', value: 0 } });
    report({ label: 'PerfMon requests per node-minute (30 s interval, steady state)', value: perNodeMinute, unit: 'req', target: { op: '<=', value: 4 }, baseline: { label: 'per-object collectCounterData', value: Number(baselinePerNodeMinute.toFixed(1)) } });
    report({ label: 'per-object baseline (same run, rate-limited answers included)', value: baselinePerNodeMinute, unit: `req (${baselineLimited} RateControl faults on ${sample.length} nodes)` });
    report({ label: 'collector CPU at steady state', value: cpuCores, unit: 'cores', target: { op: '<=', value: 0.25 } });
    report({ label: 'collector RSS (max)', value: rssMax / 1024 / 1024, unit: 'MB', target: { op: '<=', value: 400 } });
    report({ label: `/metrics render (max of ${renders.length} scrapes at steady state)`, value: Math.max(...renders), unit: 'ms', target: { op: '<=', value: 500 } });
    report({ label: '/metrics render (median)', value: renders.sort((a, b) => a - b)[Math.floor(renders.length / 2)], unit: 'ms' });
    return 0;
  } finally {
    await stopLab();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`collect bench: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
