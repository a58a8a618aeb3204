// Security costs: a sign-in at the chosen argon2id parameters (target ≤ 150 ms; baseline: the
// library's default parameters, in the same run), what the HTTP gate adds to a request (target
// ≤ 1 ms; baseline: the same request to the same server without the gate), and 50 dashboard
// viewers refreshing every 5 s against the 210-node lab (page p99 ≤ 500 ms, 0 missed intervals).
// IMPULSE_BENCH_MINUTES (default 3) is the measured time of the last part; IMPULSE_BENCH_SKIP_FLEET=1 skips it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { parseConfigText } from '../config/load';
import { resolveInventory } from '../config/resolve';
import { openDatabase } from '../db/index';
import type { ImpulseRuntime } from '../server/runtime';
import { Gate } from '../server/security/gate';
import { routePattern } from '../server/security/manifest';
import { ARGON2_PARAMS } from '../server/security/passwords';
import { routeTable } from '../server/security/routes';
import { AuditService } from '../server/services/audit';
import { SecurityCore } from '../server/services/security';
import { report } from './report';
import { runSoak } from './soak/run';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => sorted(xs)[Math.ceil(xs.length * 0.95) - 1];
const PW = 'a benchmark password';

async function signInFigures(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-bench-sec-'));
  const loaded = parseConfigText(`clusters:\n  - { name: imp01, product: imp, publisher: p, credentials: { axl: { username: a, password: env:X } } }\nserver: { dataDir: ${dir} }\nauth: { mode: local }\n`, path.join(dir, 'c.yaml'), { checkFiles: false });
  const db = openDatabase({ dataDir: dir });
  const rt: ImpulseRuntime = { configPath: loaded.file, config: loaded.config, inventory: resolveInventory(loaded.config, { dir }), dataDir: dir, db, startedAt: Date.now(), log: () => {} };
  new AuditService({ log: () => {} }).start(rt);
  const core = new SecurityCore(rt);
  await core.accounts!.create({ name: 'bench', address: 'local' }, 'alice', 'viewer', PW);
  const defaults = await hash(PW);
  const base: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    await verify(defaults, PW);
    base.push(performance.now() - t);
    t = performance.now();
    const r = await core.signIn({ username: 'alice', password: PW, address: `10.0.0.${i}` });
    full.push(performance.now() - t);
    if (!r.ok) throw new Error('sign-in failed');
  }
  console.log(`argon2id m=${ARGON2_PARAMS.memoryCost / 1024} MiB, t=${ARGON2_PARAMS.timeCost}, p=${ARGON2_PARAMS.parallelism}; 15 sign-ins (median, p95 ${p95(full).toFixed(0)} ms)`);
  report({ label: 'sign-in (verify, session seal, audit row)', value: median(full), unit: 'ms', target: { op: '<=', value: 150 }, baseline: { label: 'argon2 verify at the library defaults (19 MiB, t=2)', value: Number(median(base).toFixed(1)) } });

  // The gate over a real socket: a signed-in viewer's page request, with and without it.
  const cookie = ((await core.signIn({ username: 'alice', password: PW, address: '127.0.0.1' })) as { cookie: string }).cookie.split(';')[0];
  const gate = new Gate({
    table: routeTable,
    built: { source: 'bench', routes: ['/', '/audit', '/clusters/[cluster]', '/api/troubleshooter/run'].map((route) => ({ route, kind: 'page' as const, pattern: routePattern(route) })), actions: new Map() },
    security: () => core,
    audit: () => rt.audit,
    lab: () => false,
    ready: () => true,
    headers: { tls: false, dev: false },
    log: () => {},
  });
  const page = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>page</html>');
    return Promise.resolve();
  };
  const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> => {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.150.9.1', r));
    return { server, url: `http://127.150.9.1:${(server.address() as AddressInfo).port}/clusters/imp01` };
  };
  const gated = await serve((req, res) => void gate.handle(req, res, { next: page }));
  const plain = await serve((req, res) => void page(req, res));
  const run = async (url: string, n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = await fetch(url, { headers: { cookie, accept: 'text/html' } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      times.push(performance.now() - t);
    }
    return times;
  };
  await run(gated.url, 300);
  await run(plain.url, 300);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 5; round++) {
    a.push(...(await run(gated.url, 400)));
    b.push(...(await run(plain.url, 400)));
  }
  // The gate's own work, without the socket's noise: the same request object through gate.handle.
  const req = () => ({ method: 'GET', url: '/clusters/imp01', headers: { cookie, accept: 'text/html', host: '127.0.0.1:3000' }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;
  const res = () => ({ setHeader() {}, writeHead() { return this; }, end() {}, once() {} }) as unknown as ServerResponse;
  const next = () => Promise.resolve();
  for (let i = 0; i < 2000; i++) await gate.handle(req(), res(), { next });
  const N = 20_000;
  const t = performance.now();
  for (let i = 0; i < N; i++) await gate.handle(req(), res(), { next });
  const inProcess = (performance.now() - t) / N;
  report({ label: 'role check per request (the gate: headers, nonce, rule, session, identity)', value: inProcess, unit: 'ms', target: { op: '<=', value: 1 }, baseline: { label: 'the same request over HTTP without the gate, median ms', value: Number(median(b).toFixed(3)) } });
  report({ label: 'request over HTTP through the gate, median', value: median(a), unit: 'ms', baseline: { label: 'without the gate, median', value: Number(median(b).toFixed(3)) } });
  gated.server.close();
  plain.server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

async function fleetFigures(): Promise<void> {
  const minutes = Number(process.env.IMPULSE_BENCH_MINUTES ?? 3);
  const r = await runSoak({
    minutes: minutes + 1.5,
    clusters: 30,
    nodes: 6,
    addressBase: '127.158',
    clients: 50,
    faultFraction: 0,
    faultSeconds: 60,
    sampleSeconds: 15,
    warmupSeconds: 90,
    settleSeconds: 5,
    prometheus: true,
    users: 2000,
    log: (l) => console.log(l),
  });
  console.log(`${r.nodes} nodes, 50 viewers refreshing every 5 s for ${r.durationMinutes.toFixed(1)} min (${r.pages.requests} requests), Prometheus ${r.prometheus?.up}/${r.prometheus?.scrapes} scrapes up`);
  report({ label: '50 concurrent viewers, page p99', value: r.pages.p99, unit: 'ms', target: { op: '<=', value: 500 }, baseline: { label: 'p50', value: Number(r.pages.p50.toFixed(1)) } });
  report({ label: 'missed collector intervals at 210 nodes with 50 viewers', value: r.missedIntervals.total, unit: 'polls', target: { op: '==', value: 0 } });
  report({ label: 'event-loop lag p99 under that load', value: r.eventLoopLagP99Ms, unit: 'ms' });
}

await signInFigures();
if (process.env.IMPULSE_BENCH_SKIP_FLEET !== '1') await fleetFigures();
process.exit(0);
