// The soak: the product (this process, exactly as `impulse start` assembles it) watching a lab
// (its own process) while a tenth of the nodes cycle through every fault kind, a real Prometheus
// scrapes /metrics every 15 s and dashboard viewers refresh their page every 5 s (their own
// process). Sampled all along: healthy-node freshness, poll errors and missed intervals, open file
// descriptors and sockets of this process, SSH sessions and channels and PerfMon sessions open on
// the lab, RSS and heap; at the end, event-loop lag and page latency. Then the faults are
// cleared, the counts must settle to one PerfMon session per node, and after the product stops
// nothing may stay open on the lab.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parse, stringify } from 'yaml';
import { ensureNextBuild } from '../../cli/commands/start';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded } from '../../config/resolve';
import { openDatabase } from '../../db/index';
import { Accounts } from '../../server/security/accounts';
import { startEmbedded, type Embedded } from '../../server/embedded';
import { child, labStats, root, startLabProcess, startPrometheus, type LabProcess, type LabTotals, type PrometheusProcess } from './processes';

export interface SoakOptions {
  minutes: number;
  /** IM&P clusters (each with its CUCM cluster) and IM&P nodes per cluster: 30 × 6 = 210 nodes. */
  clusters: number;
  nodes: number;
  addressBase: string;
  clients: number;
  /** Share of nodes that cycle through the fault kinds (0 = none). */
  faultFraction: number;
  /** How long each fault stays before the next kind. */
  faultSeconds: number;
  /** Overrides the intervals of the fast sources (perfmon, ha, services, replication), seconds. */
  intervalSeconds?: number;
  sampleSeconds: number;
  warmupSeconds: number;
  /** Settling time after the faults are cleared, before the final counts. */
  settleSeconds: number;
  prometheus: boolean;
  users: number;
  log: (line: string) => void;
}

export const FAST_SOURCES = ['perfmon', 'ha', 'services', 'replication'] as const;

export interface Sample {
  /** Seconds since the product started. */
  t: number;
  fds: number;
  sockets: number;
  rssMb: number;
  heapMb: number;
  lab: LabTotals;
  /** Healthy (node, fast source) pairs not fresh at this instant. */
  staleHealthy: string[];
  faultsActive: number;
}

export interface FaultyNode {
  node: string;
  cluster: string;
  /** Each fault it had, with the error kinds the collector recorded for the node meanwhile. */
  faults: Array<{ kind: string; errorKinds: string[]; since: number }>;
}

export interface SoakReport {
  options: Omit<SoakOptions, 'log'>;
  nodes: number;
  healthyNodes: number;
  durationMinutes: number;
  samples: Sample[];
  freshness: { checks: number; stale: number; ratio: number; staleExamples: string[] };
  healthyPollErrors: number;
  healthyPollErrorExamples: string[];
  missedIntervals: { total: number; healthy: number; bySource: Record<string, number> };
  faulty: FaultyNode[];
  kindsCovered: string[];
  slopes: { rssMbPer10Min: number; heapMbPer10Min: number; fdsPer10Min: number; socketsPer10Min: number };
  eventLoopLagP99Ms: number;
  pages: { requests: number; p50: number; p95: number; p99: number; max: number; statuses: Record<string, number>; errors: string[] };
  prometheus?: { scrapes: number; up: number; lastScrapeSeconds: number };
  settled: { perfmonPerNodeMax: number; perfmonTotal: number; nodesWithPerfmon: number; sshSessions: number; sshChannels: number; fdsDelta: number; socketsDelta: number };
  afterStop: LabTotals;
  leaks: string[];
  logLines: number;
  logExamples: string[];
}

const VIEWER = 'soak-viewer';
const VIEWER_PASSWORD = 'soak viewer password';
const TOKEN = 'soak-metrics-token-0123456789';

function fdCounts(): { fds: number; sockets: number } {
  let fds = 0;
  let sockets = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    fds++;
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed meanwhile
    }
  }
  return { fds, sockets };
}

/** Least-squares slope of y over t (seconds), per 600 s. */
export function slopePer10Min(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, y] of points) {
    num += (t - mt) * (y - my);
    den += (t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 600;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-soak-'));
  const log = o.log;
  let lab: LabProcess | undefined;
  let embedded: Embedded | undefined;
  let prom: PrometheusProcess | undefined;
  let clientsProc: ReturnType<typeof child> | undefined;
  const productLog: string[] = [];
  try {
    log(`building the dashboard if needed…`);
    await ensureNextBuild();
    const t0 = Date.now();
    lab = await startLabProcess({ clusters: o.clusters, nodes: o.nodes, addressBase: o.addressBase, dir, users: o.users });
    log(`lab up in ${((Date.now() - t0) / 1000).toFixed(0)} s (${lab.controlUrl})`);

    const cfg = parse(readFileSync(lab.configFile, 'utf8')) as Record<string, unknown>;
    if (o.intervalSeconds) cfg.polling = Object.fromEntries(FAST_SOURCES.map((s) => [s, o.intervalSeconds]));
    const dataDir = path.join(dir, 'data');
    cfg.server = { dataDir, metricsToken: 'env:IMPULSE_SOAK_METRICS_TOKEN' };
    cfg.auth = { mode: 'local' };
    writeFileSync(lab.configFile, stringify(cfg), { mode: 0o600 });
    process.env.IMPULSE_SOAK_METRICS_TOKEN = TOKEN;
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase({ dataDir });
    const made = await new Accounts(db, undefined).create({ name: 'soak', address: 'local' }, VIEWER, 'viewer', VIEWER_PASSWORD);
    db.close();
    if (!made.ok) throw new Error(made.message);

    const loaded = loadConfigFile(lab.configFile);
    const inventory = resolveLoaded(loaded);
    embedded = await startEmbedded({ loaded, inventory, collect: true, listen: { host: '127.0.0.1', port: 0 }, dev: false, root, log: (l) => productLog.push(l), watchConfig: false });
    const started = Date.now();
    const since = () => (Date.now() - started) / 1000;
    const collector = embedded.runtime.collector!;
    log(`IMPulse on ${embedded.url}, ${inventory.nodes.length} nodes`);

    if (o.prometheus) {
      prom = await startPrometheus({ dir, host: '127.0.0.1', target: new URL(embedded.url).host, token: TOKEN, scrapeSeconds: 15 });
      log(`Prometheus on ${prom.url}, scraping every 15 s`);
    }
    clientsProc = child(process.execPath, [path.join(root, 'bin', 'run-ts.mjs'), path.join(root, 'bench', 'soak', 'clients.ts')], {
      env: { ...process.env, IMPULSE_SOAK_URL: embedded.url, IMPULSE_SOAK_CLIENTS: String(o.clients), IMPULSE_SOAK_USER: VIEWER, IMPULSE_SOAK_PASSWORD: VIEWER_PASSWORD },
      keep: 500_000,
    });

    // The faulty tenth: spread over the inventory, every node kind represented.
    const all = [...inventory.nodes].sort((a, b) => a.id.localeCompare(b.id));
    const every = o.faultFraction > 0 ? Math.max(1, Math.round(1 / o.faultFraction)) : Infinity;
    const faultyNodes = all.filter((_, i) => i % every === Math.floor(every / 2) % every);
    const faultyIds = new Set(faultyNodes.map((n) => n.id));
    const healthy = all.filter((n) => !faultyIds.has(n.id));
    const kinds = ((await lab.control<{ kinds: Array<{ kind: string }> }>('GET', '/v1/kinds')).kinds ?? []).map((k) => k.kind);
    const faulty: FaultyNode[] = faultyNodes.map((n) => ({ node: n.name, cluster: n.cluster, faults: [] }));
    const active = new Map<string, string>();
    const position = new Map(faultyNodes.map((n, i) => [n.name, i % kinds.length]));
    const covered = new Set<string>();
    const cycle = async () => {
      for (const f of faulty) {
        const id = active.get(f.node);
        if (id) await lab!.control('DELETE', `/v1/faults/${id}`).catch(() => undefined);
        active.delete(f.node);
        for (let tries = 0; tries < kinds.length; tries++) {
          const k = position.get(f.node)!;
          position.set(f.node, (k + 1) % kinds.length);
          try {
            const r = await lab!.control<{ id: string }>('POST', '/v1/faults', { kind: kinds[k], target: f.node });
            active.set(f.node, r.id);
            f.faults.push({ kind: kinds[k], errorKinds: [], since: since() });
            covered.add(kinds[k]);
            break;
          } catch {
            // This kind does not apply to this node (e.g. partition on CUCM): the next one.
          }
        }
      }
    };
    const noteErrors = () => {
      for (const f of faulty) {
        const current = f.faults.at(-1);
        if (!current) continue;
        for (const obs of collector.store.list({ cluster: f.cluster, node: f.node })) {
          if (!obs.ok && obs.error && obs.error.at >= started + current.since * 1000 && !current.errorKinds.includes(`${obs.source}: ${obs.error.kind}`)) current.errorKinds.push(`${obs.source}: ${obs.error.kind}`);
        }
      }
    };

    const samples: Sample[] = [];
    let checks = 0;
    let stale = 0;
    const staleExamples: string[] = [];
    const sample = async (): Promise<Sample> => {
      const now = collector.store.now();
      const staleHealthy: string[] = [];
      if (since() >= o.warmupSeconds) {
        for (const n of healthy) {
          for (const s of FAST_SOURCES) {
            const obs = collector.store.get(n.cluster, n.name, s);
            if (!obs) continue;
            checks++;
            if (!collector.store.isFresh(obs, now)) {
              stale++;
              staleHealthy.push(`${n.id}/${s}`);
            }
          }
        }
        if (staleExamples.length < 20) staleExamples.push(...staleHealthy.slice(0, 20 - staleExamples.length).map((x) => `${since().toFixed(0)} s ${x}`));
      }
      const mem = process.memoryUsage();
      const { fds, sockets } = fdCounts();
      const s: Sample = { t: since(), fds, sockets, rssMb: mem.rss / 2 ** 20, heapMb: mem.heapUsed / 2 ** 20, lab: (await labStats(lab!)).totals, staleHealthy, faultsActive: active.size };
      samples.push(s);
      return s;
    };

    const lag = monitorEventLoopDelay({ resolution: 10 });
    const end = started + o.minutes * 60_000;
    let nextFault = Date.now();
    let lagOn = false;
    let lastPrint = 0;
    while (Date.now() < end) {
      if (!lagOn && since() >= o.warmupSeconds) {
        lag.enable();
        lagOn = true;
        // Page latencies count from here on, like the other steady-state figures.
        clientsProc?.proc.kill('SIGUSR1');
      }
      if (faulty.length && Date.now() >= nextFault && since() >= Math.min(o.warmupSeconds, 30)) {
        await cycle();
        nextFault = Date.now() + o.faultSeconds * 1000;
      }
      noteErrors();
      const s = await sample();
      if (Date.now() - lastPrint >= 60_000 || Date.now() + o.sampleSeconds * 1000 >= end) {
        lastPrint = Date.now();
        log(`${s.t.toFixed(0).padStart(5)} s  fds ${s.fds}  sockets ${s.sockets}  rss ${s.rssMb.toFixed(0)} MB  heap ${s.heapMb.toFixed(0)} MB  lab: PerfMon sessions ${s.lab.perfmonSessionsOpen}, SSH sessions ${s.lab.sshSessionsOpen}, channels ${s.lab.sshChannelsOpen}  faults ${s.faultsActive}  stale healthy ${s.staleHealthy.length}`);
      }
      await sleep(Math.min(o.sampleSeconds * 1000, Math.max(0, end - Date.now())));
    }
    lag.disable();

    // Faults off; let every node recover, then count what is open.
    for (const id of active.values()) await lab.control('DELETE', `/v1/faults/${id}`).catch(() => undefined);
    active.clear();
    noteErrors();
    const steady = samples.filter((s) => s.t >= o.warmupSeconds);
    const base = steady[0] ?? samples[0];
    log(`faults cleared; settling ${o.settleSeconds} s`);
    await sleep(o.settleSeconds * 1000);
    const stats = await labStats(lab);
    const perNode = Object.values(stats.nodes).map((n) => n.perfmonSessionsOpen);
    const fdNow = fdCounts();
    const settled = {
      perfmonPerNodeMax: Math.max(0, ...perNode),
      perfmonTotal: stats.totals.perfmonSessionsOpen,
      nodesWithPerfmon: perNode.filter((n) => n > 0).length,
      sshSessions: stats.totals.sshSessionsOpen,
      sshChannels: stats.totals.sshChannelsOpen,
      fdsDelta: fdNow.fds - base.fds,
      socketsDelta: fdNow.sockets - base.sockets,
    };

    clientsProc.proc.kill('SIGTERM');
    await clientsProc.stop();
    const summaryLine = clientsProc
      .output()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{"type":"summary"'));
    const pages = summaryLine ? (JSON.parse(summaryLine) as SoakReport['pages']) : { requests: 0, p50: 0, p95: 0, p99: 0, max: 0, statuses: {}, errors: [`no summary from the clients: ${clientsProc.output().slice(-500)}`] };

    let prometheus: SoakReport['prometheus'];
    if (prom) {
      const range = `${Math.max(1, Math.round(since() / 60))}m`;
      const [scrapes] = await prom.query(`count_over_time(up{job="impulse"}[${range}])`);
      const [up] = await prom.query(`sum_over_time(up{job="impulse"}[${range}])`);
      const [dur] = await prom.query('scrape_duration_seconds{job="impulse"}');
      prometheus = { scrapes: Number(scrapes?.value[1] ?? 0), up: Number(up?.value[1] ?? 0), lastScrapeSeconds: Number(dur?.value[1] ?? NaN) };
    }

    // Missed intervals and healthy-node poll errors, from the collector's own counters.
    const missed = { total: 0, healthy: 0, bySource: {} as Record<string, number> };
    for (const v of (await collector.engine.metrics.pollsMissed.get()).values) {
      missed.total += v.value;
      if (!faultyIds.has(`${v.labels.cluster}/${v.labels.node}`)) missed.healthy += v.value;
      missed.bySource[String(v.labels.source)] = (missed.bySource[String(v.labels.source)] ?? 0) + v.value;
    }
    let healthyPollErrors = 0;
    const healthyPollErrorExamples: string[] = [];
    for (const v of (await collector.engine.metrics.pollErrors.get()).values) {
      if (faultyIds.has(`${v.labels.cluster}/${v.labels.node}`)) continue;
      healthyPollErrors += v.value;
      if (healthyPollErrorExamples.length < 10) healthyPollErrorExamples.push(`${v.labels.cluster}/${v.labels.node} ${v.labels.source} ${v.labels.reason} ×${v.value}`);
    }

    const durationMinutes = since() / 60;
    await embedded.stop();
    embedded = undefined;
    const afterStop = (await labStats(lab)).totals;

    const slopes = {
      rssMbPer10Min: slopePer10Min(steady.map((s) => [s.t, s.rssMb])),
      heapMbPer10Min: slopePer10Min(steady.map((s) => [s.t, s.heapMb])),
      fdsPer10Min: slopePer10Min(steady.map((s) => [s.t, s.fds])),
      socketsPer10Min: slopePer10Min(steady.map((s) => [s.t, s.sockets])),
    };
    const leaks: string[] = [];
    if (settled.perfmonPerNodeMax > 1) leaks.push(`a node holds ${settled.perfmonPerNodeMax} PerfMon sessions after the faults were cleared`);
    if (settled.perfmonTotal > inventory.nodes.length) leaks.push(`${settled.perfmonTotal} PerfMon sessions open for ${inventory.nodes.length} nodes`);
    if (settled.sshSessions > 2 * inventory.nodes.length) leaks.push(`${settled.sshSessions} SSH sessions open for ${inventory.nodes.length} nodes (at most 2 each)`);
    if (settled.sshChannels > 2 * inventory.nodes.length) leaks.push(`${settled.sshChannels} SSH channels open for ${inventory.nodes.length} nodes (at most 2 each)`);
    // Connection pools breathe with the faults: tolerate one socket per node and a few for the rest.
    if (settled.socketsDelta > inventory.nodes.length + 20) leaks.push(`${settled.socketsDelta} more sockets than after warm-up`);
    if (settled.fdsDelta > inventory.nodes.length + 40) leaks.push(`${settled.fdsDelta} more file descriptors than after warm-up`);
    if (afterStop.perfmonSessionsOpen > 0) leaks.push(`${afterStop.perfmonSessionsOpen} PerfMon sessions left open on the lab after the product stopped`);
    if (afterStop.sshSessionsOpen > 0) leaks.push(`${afterStop.sshSessionsOpen} SSH sessions left open on the lab after the product stopped`);

    return {
      options: { ...o, log: undefined } as unknown as Omit<SoakOptions, 'log'>,
      nodes: inventory.nodes.length,
      healthyNodes: healthy.length,
      durationMinutes,
      samples,
      freshness: { checks, stale, ratio: checks ? (checks - stale) / checks : 1, staleExamples },
      healthyPollErrors,
      healthyPollErrorExamples,
      missedIntervals: missed,
      faulty,
      kindsCovered: [...covered].sort(),
      slopes,
      eventLoopLagP99Ms: lagOn ? lag.percentile(99) / 1e6 : 0,
      pages,
      prometheus,
      settled,
      afterStop,
      leaks,
      logLines: productLog.length,
      logExamples: [...new Set(productLog.map((l) => l.replace(/\d+/g, 'N')))].slice(0, 12),
    };
  } finally {
    await embedded?.stop().catch(() => undefined);
    if (clientsProc) await clientsProc.stop();
    if (prom) await prom.stop();
    if (lab) await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printReport(r: SoakReport, out: (line: string) => void): void {
  const pct = (x: number) => `${(x * 100).toFixed(x === 1 ? 0 : 3)} %`;
  out(`\nSoak: ${r.durationMinutes.toFixed(1)} min, ${r.nodes} nodes (${r.healthyNodes} healthy, ${r.faulty.length} cycling through the fault kinds), ${r.options.clients} dashboard viewers, Prometheus ${r.prometheus ? 'scraping every 15 s' : 'off'}`);
  out(`healthy-node freshness: ${pct(r.freshness.ratio)} of ${r.freshness.checks} checks (node × fast source × sample)${r.freshness.stale ? `; stale: ${r.freshness.staleExamples.join(', ')}` : ''}`);
  out(`healthy-node poll errors: ${r.healthyPollErrors}${r.healthyPollErrorExamples.length ? ` (${r.healthyPollErrorExamples.join('; ')})` : ''}`);
  out(`missed intervals: ${r.missedIntervals.total} (healthy nodes ${r.missedIntervals.healthy})${Object.keys(r.missedIntervals.bySource).length ? ` by source ${JSON.stringify(r.missedIntervals.bySource)}` : ''}`);
  out(`fault kinds exercised: ${r.kindsCovered.length} (${r.kindsCovered.join(', ')})`);
  out('faulty nodes, each fault with the errors the collector recorded for the node:');
  for (const f of r.faulty) out(`  ${f.cluster}/${f.node}: ${f.faults.map((x) => `${x.kind} → ${x.errorKinds.length ? x.errorKinds.join(', ') : 'no poll error (the fault shows in the data)'}`).join(' | ')}`);
  out('over time (t s: fds, sockets, lab PerfMon sessions, SSH sessions, SSH channels, RSS MB, heap MB):');
  const every = Math.max(1, Math.ceil(r.samples.length / 30));
  for (const s of r.samples.filter((_, i) => i % every === 0 || i === r.samples.length - 1)) {
    out(`  ${s.t.toFixed(0).padStart(6)}: ${String(s.fds).padStart(4)} ${String(s.sockets).padStart(4)} ${String(s.lab.perfmonSessionsOpen).padStart(4)} ${String(s.lab.sshSessionsOpen).padStart(4)} ${String(s.lab.sshChannelsOpen).padStart(4)} ${s.rssMb.toFixed(0).padStart(5)} ${s.heapMb.toFixed(0).padStart(5)}`);
  }
  out(`slopes after warm-up, per 10 min: RSS ${r.slopes.rssMbPer10Min.toFixed(2)} MB, heap ${r.slopes.heapMbPer10Min.toFixed(2)} MB, fds ${r.slopes.fdsPer10Min.toFixed(1)}, sockets ${r.slopes.socketsPer10Min.toFixed(1)}`);
  out(`event-loop lag p99: ${r.eventLoopLagP99Ms.toFixed(1)} ms`);
  out(`pages: ${r.pages.requests} requests, p50 ${r.pages.p50.toFixed(0)} ms, p95 ${r.pages.p95.toFixed(0)} ms, p99 ${r.pages.p99.toFixed(0)} ms, max ${r.pages.max.toFixed(0)} ms, statuses ${JSON.stringify(r.pages.statuses)}${r.pages.errors.length ? `, errors ${r.pages.errors.join('; ')}` : ''}`);
  if (r.prometheus) out(`Prometheus: ${r.prometheus.up}/${r.prometheus.scrapes} scrapes up, last scrape ${(r.prometheus.lastScrapeSeconds * 1000).toFixed(0)} ms`);
  out(`after the faults were cleared: PerfMon sessions ${r.settled.perfmonTotal} on ${r.settled.nodesWithPerfmon} nodes (max ${r.settled.perfmonPerNodeMax} per node), SSH sessions ${r.settled.sshSessions}, channels ${r.settled.sshChannels}; fds ${r.settled.fdsDelta >= 0 ? '+' : ''}${r.settled.fdsDelta}, sockets ${r.settled.socketsDelta >= 0 ? '+' : ''}${r.settled.socketsDelta} since warm-up`);
  out(`after the product stopped, open on the lab: PerfMon sessions ${r.afterStop.perfmonSessionsOpen}, SSH sessions ${r.afterStop.sshSessionsOpen}, channels ${r.afterStop.sshChannelsOpen}`);
  out(`leaks: ${r.leaks.length ? r.leaks.join('; ') : 'none'}`);
  out(`product log: ${r.logLines} lines${r.logExamples.length ? ` (${r.logExamples.slice(0, 5).join(' | ')})` : ''}`);
}
