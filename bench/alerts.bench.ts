// Alerting figures (issue 9):
//  1. Detection latency of the embedded default, from a lab fault to the alert at a webhook, for
//     critical-service-down (CriticalServiceDown), a node hang (ServerDown) and a replication break
//     (DBReplicationFailure), against the bound: collection interval + `for` + 2 s (for the hang the
//     poll must also time out: + the poll timeout). The same faults through real Prometheus and
//     Alertmanager (scraping the same collector) are measured in the same run, for comparison.
//  2. Evaluation cost of the whole catalogue per cycle at 210 nodes (30 IM&P clusters × 6 + 30 CUCM
//     publishers, lab in its own process), target ≤ 20 ms, beside a /metrics render of the same
//     collector in the same run (what one Prometheus scrape costs).
//
// IMPULSE_BENCH_ALERT_REPEATS (default 2) repeats each fault; IMPULSE_BENCH_ONLY=latency|cost runs one part.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as httpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { AlertingService } from '../alerts/service';
import { renderRuleFile } from '../alerts/render';
import { resolveAlerting } from '../alerts/settings';
import { createCollector, startMetricsServer } from '../collectors/index';
import { loadConfigFile } from '../config/load';
import { resolveLoaded } from '../config/resolve';
import { startLab } from '../lab/index';
import { report } from './report';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.145.0.1';
const REPEATS = Number(process.env.IMPULSE_BENCH_ALERT_REPEATS ?? 2);
const INTERVAL_S = 5;
const FOR_S = 5;
const REQUEST_TIMEOUT_S = 2;
const CLI_TIMEOUT_S = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Arrival {
  at: number;
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

async function receiver(): Promise<{ url: string; arrivals: Arrival[]; server: Server }> {
  const arrivals: Arrival[] = [];
  const server = httpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        arrivals.push({ at: Date.now(), alerts: (JSON.parse(Buffer.concat(chunks).toString()) as { alerts: Arrival['alerts'] }).alerts });
      } catch {
        // not ours
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  return { url: `http://${HOST}:${(server.address() as { port: number }).port}/`, arrivals, server };
}

async function waitFor<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * p))];

/** Part 1: latency, embedded and through Prometheus + Alertmanager, from one collector. */
async function latency(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-alerts-'));
  const children: ReturnType<typeof spawn>[] = [];
  const lab = await startLab({ clusters: 1, nodes: 2, usersPerCluster: 300, addressBase: '127.145', controlPort: 0, dir: path.join(dir, 'lab') });
  const direct = await receiver();
  const viaAm = await receiver();
  try {
    const file = path.join(dir, 'impulse.config.yaml');
    lab.writeConfig(file);
    const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const i = `${INTERVAL_S}s`;
    cfg.polling = { perfmon: i, ha: i, services: i, replication: i };
    cfg.limits = { requestTimeout: `${REQUEST_TIMEOUT_S}s`, cliCommandTimeout: `${CLI_TIMEOUT_S}s` };
    const f = `${FOR_S}s`;
    cfg.alerting = { evaluationInterval: i, webhooks: [{ url: direct.url }], rules: { CriticalServiceDown: { for: f }, ServerDown: { for: f }, DBReplicationFailure: { for: f } } };
    writeFileSync(file, stringify(cfg));
    const loaded = loadConfigFile(file);
    const inventory = resolveLoaded(loaded);
    const settings = resolveAlerting(loaded.config, { dir: loaded.dir, thresholds: inventory.thresholds });
    const collector = createCollector(inventory);
    await collector.start();
    const service = new AlertingService({ settings, inventory, reader: collector.engine.metrics, updates: collector.store, log: () => {}, runbookDir: path.join(root, 'docs/runbooks') });
    service.start();

    // The same collector for Prometheus + Alertmanager, with the same rules (rendered) and intervals.
    let prometheus = false;
    const metricsServer = await startMetricsServer(collector, { host: HOST, port: await freePort() });
    if (existsSync('/usr/bin/prometheus') && existsSync('/usr/bin/prometheus-alertmanager')) {
      const [amPort, promPort] = [await freePort(), await freePort()];
      writeFileSync(path.join(dir, 'rules.yml'), renderRuleFile(settings.catalogue));
      writeFileSync(
        path.join(dir, 'alertmanager.yml'),
        stringify({ route: { receiver: 'hook', group_by: ['alertname', 'cluster'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' }, receivers: [{ name: 'hook', webhook_configs: [{ url: viaAm.url, send_resolved: true }] }] }),
      );
      writeFileSync(
        path.join(dir, 'prometheus.yml'),
        stringify({
          global: { scrape_interval: i, evaluation_interval: i },
          rule_files: [path.join(dir, 'rules.yml')],
          alerting: { alertmanagers: [{ static_configs: [{ targets: [`${HOST}:${amPort}`] }] }] },
          scrape_configs: [{ job_name: 'impulse', static_configs: [{ targets: [metricsServer.url.replace('http://', '')] }] }],
        }),
      );
      const quiet = { stdio: 'ignore' as const };
      children.push(spawn('/usr/bin/prometheus-alertmanager', [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'am')}`, `--web.listen-address=${HOST}:${amPort}`, '--cluster.listen-address='], quiet));
      children.push(spawn('/usr/bin/prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=${HOST}:${promPort}`], quiet));
      prometheus = true;
    } else console.log('prometheus or prometheus-alertmanager is not installed: the comparison is skipped');

    // Warm up: every poll once, and Prometheus' first scrapes.
    await new Promise((r) => setTimeout(r, 20_000));
    const faults = [
      { kind: 'critical-service-down', alert: 'CriticalServiceDown', bound: INTERVAL_S + FOR_S + 2 },
      // A hung node is seen when its polls time out: + the poll timeout (min(request + CLI timeout, interval)).
      { kind: 'hang', alert: 'ServerDown', bound: INTERVAL_S + Math.min(REQUEST_TIMEOUT_S + CLI_TIMEOUT_S, INTERVAL_S) + FOR_S + 2 },
      { kind: 'replication-broken', alert: 'DBReplicationFailure', bound: INTERVAL_S + FOR_S + 2 },
    ];
    for (const fault of faults) {
      const embedded: number[] = [];
      const prom: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const node = 'imp01-sub1';
        const firing = (arr: Arrival[], since: number) => arr.find((a) => a.at >= since && a.alerts.some((x) => x.status === 'firing' && x.labels.alertname === fault.alert && x.labels.node === node));
        const resolved = (arr: Arrival[], since: number) => arr.find((a) => a.at >= since && a.alerts.some((x) => x.status === 'resolved' && x.labels.alertname === fault.alert && x.labels.node === node));
        const t0 = Date.now();
        const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: fault.kind, target: node }) });
        if (res.status !== 201) throw new Error(`lab refused ${fault.kind}: ${await res.text()}`);
        const id = ((await res.json()) as { id: string }).id;
        embedded.push(((await waitFor(`${fault.alert} at the webhook`, 120_000, () => firing(direct.arrivals, t0))).at - t0) / 1000);
        if (prometheus) prom.push(((await waitFor(`${fault.alert} through Alertmanager`, 120_000, () => firing(viaAm.arrivals, t0))).at - t0) / 1000);
        const cleared = Date.now();
        await fetch(`${lab.controlUrl}/v1/faults/${id}`, { method: 'DELETE' });
        // Both paths back to quiet before the next measurement.
        await waitFor(`${fault.alert} resolved`, 120_000, () => resolved(direct.arrivals, cleared));
        if (prometheus) await waitFor(`${fault.alert} resolved through Alertmanager`, 120_000, () => resolved(viaAm.arrivals, cleared));
      }
      const worst = Math.max(...embedded);
      report({ label: `${fault.kind} → ${fault.alert} at the webhook, embedded (worst of ${embedded.length}; median ${median(embedded).toFixed(1)} s)`, value: worst, unit: 's', target: { op: '<=', value: fault.bound }, ...(prometheus ? { baseline: { label: 'Prometheus + Alertmanager, same run', value: Number(Math.max(...prom).toFixed(1)) } } : {}) });
      if (prometheus) report({ label: `${fault.kind} → ${fault.alert} through Prometheus + Alertmanager (worst; median ${median(prom).toFixed(1)} s)`, value: Math.max(...prom), unit: 's' });
    }
    console.log(`  (collection interval ${INTERVAL_S} s, for ${FOR_S} s, poll timeout ${Math.min(REQUEST_TIMEOUT_S + CLI_TIMEOUT_S, INTERVAL_S)} s; Prometheus scrape and evaluation every ${INTERVAL_S} s, Alertmanager group_wait 1 s)`);
    await service.stop();
    await metricsServer.close();
    await collector.stop();
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    await lab.stop();
    direct.server.close();
    viaAm.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Part 2: one evaluation cycle of the whole catalogue at 210 nodes. */
async function cost210(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-alerts-210-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'impulse.config.yaml');
  const lab = spawn(process.execPath, [path.join(root, 'bin', 'impulse.mjs'), 'lab', '--clusters', '30', '--nodes', '6', '--users', '2000', '--address-base', '127.146', '--control-port', '0', '--dir', dir, '--write-config', file], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let labErr = '';
  lab.stderr!.on('data', (d: Buffer) => (labErr = (labErr + d.toString()).slice(-2000)));
  try {
    const t0 = Date.now();
    while (!existsSync(file)) {
      if (lab.exitCode !== null) throw new Error(`impulse lab exited (${lab.exitCode}): ${labErr}`);
      if (Date.now() - t0 > 180_000) throw new Error('impulse lab did not start within 3 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 500));
    const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // Every source early (the daily and hourly ones too), so every rule has its series.
    cfg.polling = { perfmon: '30s', ha: '30s', services: '60s', replication: '60s', peers: '60s', certificates: '60s', users: '60s', inventory: '60s' };
    writeFileSync(file, stringify(cfg));
    const loaded = loadConfigFile(file);
    const inventory = resolveLoaded(loaded);
    const collector = createCollector(inventory);
    await collector.start();
    console.log(`  ${inventory.nodes.length} nodes; warming up (every source polled once)…`);
    await new Promise((r) => setTimeout(r, 80_000));
    const settings = resolveAlerting(loaded.config, { dir: loaded.dir, thresholds: inventory.thresholds });
    const service = new AlertingService({ settings, inventory, reader: collector.engine.metrics, log: () => {}, runbookDir: path.join(root, 'docs/runbooks'), minGapMs: 0 });
    service.start();
    const series = [...collector.engine.metrics.samples().values()].reduce((n, l) => n + l.length, 0);
    const cycles: number[] = [];
    const cpu: number[] = [];
    for (let k = 0; k < 60; k++) {
      const c0 = process.cpuUsage();
      await service.evaluateNow();
      const c = process.cpuUsage(c0);
      cycles.push(service.snapshot().lastCycleMs ?? NaN);
      cpu.push((c.user + c.system) / 1000);
      await new Promise((r) => setTimeout(r, 500)); // polls go on: observations change between cycles
    }
    const renders: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      await collector.metrics();
      renders.push(performance.now() - t);
    }
    const snap = service.snapshot();
    const failing = snap.rules.filter((r) => r.health !== 'ok').map((r) => r.name);
    console.log(`  ${series} series on /metrics; ${snap.rules.length} rules; ${snap.alerts.length} alerts pending or firing in the lab${failing.length ? `; unhealthy rules: ${failing.join(', ')}` : ''}`);
    report({ label: `evaluation of the catalogue at ${inventory.nodes.length} nodes, per cycle (median of ${cycles.length})`, value: median(cycles), unit: 'ms', target: { op: '<=', value: 20 }, baseline: { label: '/metrics render, same collector (median)', value: Number(median(renders).toFixed(1)) } });
    report({ label: 'evaluation cycle, 95th percentile', value: percentile(cycles, 0.95), unit: 'ms' });
    report({ label: 'evaluation cycle, worst', value: Math.max(...cycles), unit: 'ms' });
    report({ label: 'CPU time of an evaluation cycle (median; GC threads included)', value: median(cpu), unit: 'ms' });
    console.log(`  (load average ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores during the run: wall times include waiting for a core)`);
    await service.stop();
    await collector.stop();
  } finally {
    if (lab.exitCode === null) {
      lab.kill('SIGTERM');
      await new Promise((r) => lab.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const only = process.env.IMPULSE_BENCH_ONLY;
  if (only !== 'cost') await latency();
  if (only !== 'latency') await cost210();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
