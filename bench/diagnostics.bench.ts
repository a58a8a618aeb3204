// Diagnostics at fleet scale (issue 8, Performance):
//
// 1. User validation of 30 clusters × 75,000 users (2.25 M) with 1 % duplicates and 1 % invalid or
//    missing directory URIs seeded: evaluation of U1–U6 (≤ 3 s, ≤ 1.5 GB RSS), beside two baselines
//    measured in the same run on the same users — the lab's own `utils users validate all`
//    implementation, and a naive Map-per-field grouping.
// 2. Fetching those users through AXL from the 210-node lab (30 IM&P clusters × 6 nodes + 30 CUCM
//    publishers), paged per publisher: reported separately.
// 3. A full troubleshooter run on that lab while the collector polls it: wall time, requests per node
//    by protocol, the most of any node's PerfMon/AXL budget used in a minute, requests the budget
//    refused, diagnostic shells per node, and missed collector intervals during the run (target 0).
//
// IMPULSE_BENCH_USERS (default 75000) scales the users per cluster; IMPULSE_BENCH_PARTS (default
// 1,2,3) chooses the parts.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../collectors/index';
import { loadConfigFile } from '../config/load';
import { resolveLoaded } from '../config/resolve';
import { CHECKS, USER_CHECK_IDS } from '../diagnostics/checks/index';
import type { CheckContext } from '../diagnostics/types';
import { startRun, type RunProgress } from '../diagnostics/run';
import { DEFAULT_DIAGNOSTICS } from '../diagnostics/settings';
import { MemoryRunStore } from '../diagnostics/store';
import { inferAddressing } from '../diagnostics/users/addressing';
import { rowUsesDirectoryUri, type UsersDataset } from '../diagnostics/users/dataset';
import { findUserProblems } from '../diagnostics/users/findings';
import { UserTable } from '../diagnostics/users/table';
import { buildDeployment } from '../lab/state/deployment';
import { duplicateOverrides, invalidUriOverrides } from '../lab/state/users';
import { validateUsers } from '../lab/ssh/commands/users-validate';
import { report } from './report';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLUSTERS = 30;
const USERS = Number(process.env.IMPULSE_BENCH_USERS ?? 75_000);
const BASE = '127.138';

let rssMax = 0;
const sampleRss = () => (rssMax = Math.max(rssMax, process.memoryUsage().rss));

async function evaluation(): Promise<void> {
  // The lab's users (generated from the seed), with 1 % duplicates and 1 % invalid or missing URIs per cluster.
  const lab = await buildDeployment({ clusters: CLUSTERS, nodes: 2, usersPerCluster: USERS, addressBase: BASE });
  const imps = lab.clusters.filter((c) => c.product === 'imp');
  const n = Math.round(USERS * 0.01);
  imps.forEach((c, i) => {
    const from = imps[(i + 1) % imps.length];
    c.users.addLayer('dup', duplicateOverrides(lab.seed, `dup-${c.name}`, c.users, from.users, n, 'both'));
    c.users.addLayer('invalid', invalidUriOverrides(lab.seed, `inv-${c.name}`, c.users, n));
  });
  // The table as the AXL fetch builds it (not timed here: part 2 times the fetch): flat strings of
  // their own, as users/fetch.ts keeps them.
  const flat = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
  const table = new UserTable();
  const clusters: UsersDataset['clusters'] = new Map();
  for (const c of imps) {
    const ci = table.clusterOf(c.name);
    const start = table.size;
    const nodes = c.nodes.map((x) => table.nodeOf(ci, x.name));
    const byName = new Map(c.nodes.map((x, k) => [x.name, nodes[k]]));
    for (let i = 0; i < c.users.count; i++) {
      const u = c.users.user(i);
      if (!u.homeNode) continue;
      table.add({ pkid: flat(u.pkid), userid: flat(u.userid), directoryUri: flat(u.directoryuri), mail: flat(u.mailid), imAddress: flat(`${u.userid}@${c.imDomain}`) }, ci, byName.get(u.homeNode)!);
    }
    clusters.set(c.name, { cluster: c.name, ok: true, assigned: table.size - start, unassigned: 0, remote: 0, pages: 0, addressing: inferAddressing(table, Array.from({ length: table.size - start }, (_, k) => start + k)) });
  }
  // Collect the set-up's garbage (the generated users) first: the figure is the evaluation's.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine while measuring`);
  rssMax = 0;
  const timer = setInterval(sampleRss, 50);
  const rss0 = process.memoryUsage().rss;
  // Evaluation: the six user checks over the whole fleet (findings once, items for every flagged user).
  const inventory = {
    clusters: lab.clusters.map((c) => ({ name: c.name, product: c.product, publisher: c.publisher.name, cucmCluster: c.cucmCluster, peers: [...c.peers], nodes: c.nodes.map((x) => ({ name: x.name, host: x.host, ports: { https: 8443 } })) })),
  } as unknown as CheckContext['inventory'];
  const ctx: CheckContext = { inventory, clusters: inventory.clusters, data: { users: { table, clusters } }, thresholds: { certificateWarningDays: 30, certificateCriticalDays: 7, replicationQueueWarning: 100, partitionUsedWarningPercent: 90 }, now: Date.now() };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ds = ctx.data.users!;
  ds.findings = findUserProblems(table, rowUsesDirectoryUri(ds));
  const findingsMs = performance.now() - t0;
  const results = CHECKS.filter((c) => (USER_CHECK_IDS as readonly string[]).includes(c.id)).map((c) => c.evaluate(ctx));
  const evalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const evalCpuMs = (cpu.user + cpu.system) / 1000;
  sampleRss();
  clearInterval(timer);
  const flagged = results.reduce((k, r) => k + r.items.length, 0);
  console.log(`${table.size.toLocaleString('en-US')} users in ${CLUSTERS} clusters; ${results.map((r, k) => `${USER_CHECK_IDS[k]} ${r.items.length}`).join(', ')} (${flagged.toLocaleString('en-US')} flagged)`);

  // Baseline 1: the lab's own `utils users validate all` (one publisher's scan covers its peers: the fleet).
  const b0 = performance.now();
  const labReport = await validateUsers(lab, imps[0]);
  const labMs = performance.now() - b0;
  // Baseline 2: a Map of lower-cased strings per field.
  const n0 = performance.now();
  for (const col of [table.userid, table.uri, table.mail]) {
    const m = new Map<string, number[]>();
    for (let r = 0; r < col.length; r++) {
      const k = col[r].trim().toLowerCase();
      if (!k) continue;
      const l = m.get(k);
      if (l) l.push(r);
      else m.set(k, [r]);
    }
  }
  const naiveMs = performance.now() - n0;
  console.log(`lab validate: ${labReport.duplicateUserIds.length} duplicate user IDs, ${labReport.duplicateUris.length} duplicate URIs`);
  report({ label: `user validation, ${(table.size / 1e6).toFixed(2)} M users (U1–U6, every flagged user itemised)`, value: evalMs / 1000, unit: 's', target: { op: '<=', value: 3 }, baseline: { label: "lab's utils users validate all (s)", value: Number((labMs / 1000).toFixed(2)) } });
  report({ label: '  the same evaluation in CPU time (its wall time on an idle core)', value: evalCpuMs / 1000, unit: 's CPU', target: { op: '<=', value: 3 } });
  report({ label: '  of which the findings (hashing, sorting, grouping)', value: findingsMs / 1000, unit: 's' });
  report({ label: '  of which the affected items of the six checks', value: (evalMs - findingsMs) / 1000, unit: 's' });
  report({ label: 'naive Map-per-field grouping of the same users (3 fields, no items)', value: naiveMs / 1000, unit: 's' });
  report({ label: 'RSS during the evaluation (max)', value: rssMax / 1024 / 1024, unit: 'MB', target: { op: '<=', value: 1536 } });
  report({ label: 'RSS added by the evaluation', value: (rssMax - rss0) / 1024 / 1024, unit: 'MB' });
}

async function lab210(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-diag-'));
  const file = path.join(dir, 'impulse.config.yaml');
  const labProc = spawn(process.execPath, [path.join(root, 'bin', 'impulse.mjs'), 'lab', '--clusters', '30', '--nodes', '6', '--users', String(USERS), '--address-base', '127.139', '--control-port', '0', '--dir', dir, '--write-config', file], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let labLog = '';
  labProc.stdout.on('data', (d: Buffer) => (labLog = (labLog + d.toString()).slice(-4000)));
  labProc.stderr.on('data', (d: Buffer) => (labLog = (labLog + d.toString()).slice(-4000)));
  try {
    const t0 = Date.now();
    while (!existsSync(file)) {
      if (labProc.exitCode !== null) throw new Error(`impulse lab exited (${labProc.exitCode}):\n${labLog}`);
      if (Date.now() - t0 > 240_000) throw new Error(`impulse lab did not write ${file} within 4 minutes:\n${labLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 500));
    console.log(`210-node lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const inventory = resolveLoaded(loadConfigFile(file));
    const settings = { ...DEFAULT_DIAGNOSTICS, thresholds: { certificateWarningDays: 30, certificateCriticalDays: 7, replicationQueueWarning: 100, partitionUsedWarningPercent: 90 } };

    // 2. The users through AXL (an engine that is not started, as `impulse validate-users` does).
    if (PARTS.has('2')) {
      const collector = createCollector(inventory);
      rssMax = 0;
      const timer = setInterval(sampleRss, 200);
      const f0 = performance.now();
      const out = await startRun({ kind: 'users', actor: { name: 'bench' }, origin: 'cli' }, { inventory, settings, engine: collector.engine, runs: new MemoryRunStore() }).done;
      const ms = performance.now() - f0;
      clearInterval(timer);
      await collector.stop();
      const users = out.summary.users?.users ?? 0;
      const axl = Object.entries(out.summary.requests.byNode).filter(([, p]) => p.axl);
      console.log(`users run ${out.status}: ${users.toLocaleString('en-US')} users, ${axl.length} publishers, ${Math.max(...axl.map(([, p]) => p.axl))} AXL requests per publisher at most`);
      const notRead = out.results.flatMap((r) => r.items.filter((i) => i.status === 'error').map((i) => `${i.cluster}: ${i.detail}`));
      if (notRead.length) console.log(`not read: ${[...new Set(notRead)].slice(0, 5).join('; ')}`);
      report({ label: `fetch + validate ${(users / 1e6).toFixed(2)} M users through AXL from 30 publishers (wall)`, value: ms / 1000, unit: 's' });
      report({ label: 'users read through AXL per second', value: users / (ms / 1000), unit: 'users/s' });
      report({ label: 'RSS during the fetch (max)', value: rssMax / 1024 / 1024, unit: 'MB' });
    }

    // 3. The full troubleshooter while the collector polls the lab (the embedded mode).
    if (PARTS.has('3')) {
      const collector = createCollector(inventory);
      await collector.start();
      // Warm-up: start-up polls spread over the first minute.
      await new Promise((r) => setTimeout(r, 75_000));
      const missedBySource = async () => {
        const m = new Map<string, number>();
        for (const v of (await collector.metricsRegistry.pollsMissed.get()).values) m.set(String(v.labels.source), (m.get(String(v.labels.source)) ?? 0) + v.value);
        return m;
      };
      const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      const delta = (a: Map<string, number>, b: Map<string, number>) => [...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
      // Baseline: the collector alone on this lab for as long (at most) as the window measured after the run.
      const BASELINE_MS = 120_000;
      const base0 = await missedBySource();
      await new Promise((r) => setTimeout(r, BASELINE_MS));
      const base1 = await missedBySource();
      const baselineMissed = delta(base0, base1);
      console.log(`collector alone for ${BASELINE_MS / 1000} s: ${sum(base1) - sum(base0)} missed polls${baselineMissed.length ? ` (${baselineMissed.map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`);
      const missed0 = await missedBySource();
      const denied0 = inventory.nodes.reduce((k, n) => k + (collector.engine.budgetOf(n.cluster, n.name)?.stats.denied ?? 0), 0);
      let peakRatio = 0;
      let peakNode = '';
      const budgetTimer = setInterval(() => {
        for (const n of inventory.nodes) {
          const b = collector.engine.budgetOf(n.cluster, n.name);
          if (b && b.usedRatio() > peakRatio) [peakRatio, peakNode] = [b.usedRatio(), n.id];
        }
      }, 250);
      const t0 = performance.now();
      const handle = startRun({ kind: 'troubleshooter', actor: { name: 'bench' }, origin: 'dashboard' }, { inventory, settings, engine: collector.engine, store: collector.store, runs: new MemoryRunStore() });
      const completed = new Map<string, number>();
      handle.events.on('progress', (p: RunProgress) => {
        for (const d of p.datasets) if (d.total && d.done === d.total && !completed.has(d.name)) completed.set(d.name, (performance.now() - t0) / 1000);
      });
      const out = await handle.done;
      const ms = performance.now() - t0;
      console.log(`datasets complete at: ${[...completed].map(([k, s]) => `${k} ${s.toFixed(0)} s`).join(', ')}`);
      clearInterval(budgetTimer);
      // Intervals that fell due during the run are only known missed once their next tick passes.
      await new Promise((r) => setTimeout(r, 35_000));
      const missed1 = await missedBySource();
      const missedDuring = sum(missed1) - sum(missed0);
      if (missedDuring) console.log(`missed during the run by source: ${delta(missed0, missed1).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      const denied = inventory.nodes.reduce((k, n) => k + (collector.engine.budgetOf(n.cluster, n.name)?.stats.denied ?? 0), 0) - denied0;
      await collector.stop();
      const perNode = Object.values(out.summary.requests.byNode);
      const total = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);
      const soap = (p: Record<string, number>) => (p.axl ?? 0) + (p.controlcenter ?? 0) + (p.perfmon ?? 0);
      console.log(
        `troubleshooter run ${out.status}: ${out.results.length} checks (${Object.entries(out.summary.counts).filter(([, k]) => k).map(([s, k]) => `${k} ${s}`).join(', ')}), ${out.summary.requests.nodes} nodes; most requests to one node: ${JSON.stringify(out.summary.requests.maxPerNode)}`,
      );
      const failedChecks = out.results.filter((r) => r.status !== 'passed' && r.status !== 'skipped');
      if (failedChecks.length) console.log(`not passed: ${failedChecks.map((r) => `${r.checkId} (${r.summary})`).join('; ')}`);
      report({ label: 'full troubleshooter run on the 210-node lab, 29 checks (wall)', value: ms / 1000, unit: 's' });
      report({ label: 'requests per node (median, all protocols)', value: perNode.map(total).sort((a, b) => a - b)[Math.floor(perNode.length / 2)], unit: 'req' });
      report({ label: 'requests per node (max, all protocols)', value: Math.max(...perNode.map(total)), unit: 'req' });
      report({ label: 'SOAP requests of the run to one node (max: PerfMon/AXL/Control Center budget 50/min)', value: Math.max(...perNode.map(soap)), unit: 'req' });
      report({ label: `peak share of a node's SOAP budget used in any minute (collector + run; ${peakNode})`, value: peakRatio, unit: '', target: { op: '<=', value: 1 } });
      report({ label: 'requests refused by a node budget during the run', value: denied, unit: 'req', target: { op: '==', value: 0 } });
      report({ label: 'CLI commands of the run to one node (max; one diagnostic shell per node)', value: out.summary.requests.maxPerNode.cli ?? 0, unit: 'cmd' });
      report({ label: 'missed collector intervals during the run', value: missedDuring, unit: 'polls', target: { op: '==', value: 0 }, baseline: { label: `collector alone, ${BASELINE_MS / 1000} s`, value: sum(base1) - sum(base0) } });
    }
  } finally {
    if (labProc.exitCode === null) {
      labProc.kill('SIGTERM');
      await new Promise((r) => labProc.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const PARTS = new Set((process.env.IMPULSE_BENCH_PARTS ?? '1,2,3').split(',').map((p) => p.trim()));

async function main(): Promise<number> {
  if (PARTS.has('1')) await evaluation();
  if (PARTS.has('2') || PARTS.has('3')) await lab210();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`diagnostics bench: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
