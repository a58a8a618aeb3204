// Dashboard pages on the full mesh (30 IM&P clusters × 6 nodes + 30 CUCM publishers = 210 nodes):
// the lab runs in its own process (`impulse lab`), the product in another (`impulse start --config`,
// production build), as an operator runs them. Figures (issue 7, performance):
//
//   - overview and cluster page: server response p95 ≤ 150 ms (whole HTML document), beside the
//     same server's p95 for a static file (the floor of a request through Next) in the same run;
//     the live-refresh payload (RSC) p95 beside them;
//   - Largest Contentful Paint in headless Chromium ≤ 1.5 s, beside the not-found page's LCP (the
//     layout alone);
//   - HTML + JS transferred for the overview ≤ 300 KB compressed, beside the not-found page;
//   - 50 concurrent dashboard clients on live updates (each re-fetching the overview's payload every
//     5 s, as <LiveRefresh /> does): the collector misses 0 intervals — counted from
//     impulse_polls_missed_total over the load window, beside the same count over an equal window
//     without clients.
//
// IMPULSE_BENCH_USERS (default 10,000 per cluster: pages do not depend on it), IMPULSE_BENCH_LOAD_MINUTES
// (default 3), IMPULSE_BENCH_SAMPLES (requests per page for p95, default 200).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { report } from './report';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = '127.128';
const USERS = Number(process.env.IMPULSE_BENCH_USERS ?? 10_000);
const LOAD_MINUTES = Number(process.env.IMPULSE_BENCH_LOAD_MINUTES ?? 3);
const SAMPLES = Number(process.env.IMPULSE_BENCH_SAMPLES ?? 200);
const CLIENTS = 50;
const REFRESH_MS = 5000;

function run(args: string[], cwd: string): { proc: ChildProcess; log: () => string } {
  const proc = spawn(process.execPath, [path.join(root, 'bin', 'impulse.mjs'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  return { proc, log: () => log };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  proc.kill('SIGTERM');
  await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 20_000))]);
  if (proc.exitCode === null) proc.kill('SIGKILL');
}

async function until<T>(what: string, ms: number, f: () => Promise<T | undefined>, every = 1000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${Math.round(ms / 1000)} s`);
    await new Promise((r) => setTimeout(r, every));
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function timeGets(url: string, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

async function missedPolls(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^impulse_polls_missed_total\{[^}]*\} (\d+(?:\.\d+)?)$/gm)) n += Number(m[1]);
  return n;
}

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks (100 Hz)
}

async function lcpOf(browser: Browser, url: string): Promise<{ lcp: number; transferred: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const sizes: Promise<number>[] = [];
  page.on('requestfinished', (r) => {
    if (['document', 'script'].includes(r.resourceType())) sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  await page.goto(url, { waitUntil: 'load' });
  const lcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          const last = entries[entries.length - 1] as PerformanceEntry & { renderTime: number; loadTime: number };
          resolve(last.renderTime || last.loadTime || last.startTime);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(-1), 5000);
      }),
  );
  const transferred = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await page.close();
  return { lcp, transferred };
}

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-pages-'));
  const file = path.join(dir, 'impulse.config.yaml');
  const lab = run(['lab', '--clusters', '30', '--nodes', '6', '--users', String(USERS), '--address-base', BASE, '--control-port', '0', '--dir', path.join(dir, 'lab'), '--write-config', file], dir);
  let product: ReturnType<typeof run> | undefined;
  let browser: Browser | undefined;
  try {
    const t0 = Date.now();
    await until('impulse lab writes its configuration', 240_000, async () => (existsSync(file) ? true : lab.proc.exitCode !== null ? Promise.reject(new Error(lab.log())) : undefined), 250);
    await new Promise((r) => setTimeout(r, 500));
    // The pages without sign-in (loopback only): the security bench measures the gate itself.
    appendFileSync(file, '\nauth:\n  mode: none\n');
    console.log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    product = run(['start', '--config', file, '--listen', '127.0.0.1:0'], dir);
    const p = product;
    const baseUrl = await until('impulse start listens', 600_000, async () => {
      if (p.proc.exitCode !== null) throw new Error(`impulse start exited:\n${p.log()}`);
      return /IMPulse listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(p.log())?.[1];
    });
    console.log(`impulse start up in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${baseUrl}`);
    // Every node collected from at least once (hourly and daily sources start within a minute).
    await until('every node polled', 300_000, async () => {
      const html = await (await fetch(`${baseUrl}/`)).text();
      const chips = html.match(/data-node="[^"]+" data-health="[a-z]+"/g) ?? [];
      return chips.length === 210 && !chips.some((c) => c.endsWith('"unknown"')) && !/not polled yet/.test(html) ? true : undefined;
    }, 5000);
    console.log(`all 210 nodes polled after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // ---- server response times (sequential, warm)
    const icon = /href="(\/icon\.svg[^"]*)"/.exec(await (await fetch(`${baseUrl}/`)).text())?.[1] ?? '/icon.svg';
    await timeGets(`${baseUrl}/`, 10);
    await timeGets(`${baseUrl}/clusters/imp07`, 10);
    const staticTimes = await timeGets(`${baseUrl}${icon.replace(/&amp;/g, '&')}`, SAMPLES);
    const overview = await timeGets(`${baseUrl}/`, SAMPLES);
    const cluster = await timeGets(`${baseUrl}/clusters/imp07`, SAMPLES);
    const staticP95 = Number(pct(staticTimes, 95).toFixed(2));

    // ---- the browser: LCP and bytes, and the live-refresh request as the page sends it
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage();
    const refreshReq = page.waitForRequest((r) => r.headers()['rsc'] === '1', { timeout: 20_000 });
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
    const headers = (await refreshReq).headers();
    await page.close();
    const rscHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (k === 'rsc' || k.startsWith('next-')) rscHeaders[k] = v;
    const rsc = await timeGets(`${baseUrl}/`, SAMPLES, rscHeaders);
    const lcps = { overview: [] as number[], cluster: [] as number[], notFound: [] as number[] };
    const bytes = { overview: 0, notFound: 0 };
    for (let i = 0; i < 5; i++) {
      const o = await lcpOf(browser, `${baseUrl}/`);
      lcps.overview.push(o.lcp);
      bytes.overview = o.transferred;
      lcps.cluster.push((await lcpOf(browser, `${baseUrl}/clusters/imp07`)).lcp);
      const nf = await lcpOf(browser, `${baseUrl}/clusters/no-such-cluster`);
      lcps.notFound.push(nf.lcp);
      bytes.notFound = nf.transferred;
    }
    const median = (xs: number[]) => pct(xs, 50);

    // ---- 50 live clients: baseline window without them, then the load window
    const window = LOAD_MINUTES * 60_000;
    const pid = p.proc.pid!;
    const m0 = await missedPolls(baseUrl);
    const c0 = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, window));
    const m1 = await missedPolls(baseUrl);
    const c1 = cpuSeconds(pid);
    const loadTimes: number[] = [];
    let failures = 0;
    const end = Date.now() + window;
    const client = async (k: number) => {
      await new Promise((r) => setTimeout(r, (k * REFRESH_MS) / CLIENTS));
      while (Date.now() < end) {
        const t = performance.now();
        try {
          const res = await fetch(`${baseUrl}/`, { headers: rscHeaders });
          await res.arrayBuffer();
          if (!res.ok) failures++;
          loadTimes.push(performance.now() - t);
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, REFRESH_MS - (performance.now() - t))));
      }
    };
    const m2 = await missedPolls(baseUrl);
    const c2 = cpuSeconds(pid);
    await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
    const m3 = await missedPolls(baseUrl);
    const c3 = cpuSeconds(pid);

    console.log(`210 nodes; ${SAMPLES} sequential requests per page; static file ${icon}`);
    report({ label: 'overview server response p95', value: pct(overview, 95), unit: 'ms', target: { op: '<=', value: 150 }, baseline: { label: 'static file p95', value: staticP95 } });
    report({ label: 'overview server response p50', value: pct(overview, 50), unit: 'ms' });
    report({ label: 'cluster page (imp07, 7 nodes) server response p95', value: pct(cluster, 95), unit: 'ms', target: { op: '<=', value: 150 }, baseline: { label: 'static file p95', value: staticP95 } });
    report({ label: 'overview live-refresh payload (RSC) p95', value: pct(rsc, 95), unit: 'ms', baseline: { label: 'static file p95', value: staticP95 } });
    report({ label: 'overview LCP (median of 5)', value: median(lcps.overview), unit: 'ms', target: { op: '<=', value: 1500 }, baseline: { label: 'not-found page LCP', value: Number(median(lcps.notFound).toFixed(1)) } });
    report({ label: 'cluster page LCP (median of 5)', value: median(lcps.cluster), unit: 'ms', target: { op: '<=', value: 1500 }, baseline: { label: 'not-found page LCP', value: Number(median(lcps.notFound).toFixed(1)) } });
    report({ label: 'overview HTML + JS transferred (compressed)', value: bytes.overview / 1024, unit: 'KB', target: { op: '<=', value: 300 }, baseline: { label: 'not-found page KB', value: Number((bytes.notFound / 1024).toFixed(1)) } });
    report({ label: `missed collector intervals with ${CLIENTS} live clients (${LOAD_MINUTES} min)`, value: m3 - m2, unit: 'polls', target: { op: '==', value: 0 }, baseline: { label: `missed without clients (${LOAD_MINUTES} min)`, value: m1 - m0 } });
    report({ label: `live refresh p95 under ${CLIENTS} clients (${loadTimes.length} refreshes, ${failures} failed)`, value: pct(loadTimes, 95), unit: 'ms', baseline: { label: 'idle RSC p95', value: Number(pct(rsc, 95).toFixed(2)) } });
    report({ label: `impulse start CPU with ${CLIENTS} live clients`, value: (c3 - c2) / (window / 1000), unit: 'cores', baseline: { label: 'without clients', value: Number(((c1 - c0) / (window / 1000)).toFixed(3)) } });
    return 0;
  } finally {
    await browser?.close();
    if (product) await stop(product.proc);
    await stop(lab.proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`pages bench: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
