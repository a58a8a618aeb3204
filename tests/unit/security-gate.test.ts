// The HTTP gate over a real socket, with the real sign-in core and a stand-in for Next.js: every
// response carries the security headers, each role gets exactly what the route table gives it,
// refused changes are audited, forged identity headers never reach the app, cross-site posts and
// oversized bodies are refused, a route without a rule is refused to everyone, and a server
// action needs what the pages that define it need.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load';
import { resolveInventory } from '../../config/resolve';
import { queryAudit } from '../../db/audit';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import type { ImpulseRuntime } from '../../server/runtime';
import { Gate, IDENTITY_HEADERS } from '../../server/security/gate';
import { routePattern, type BuiltApp } from '../../server/security/manifest';
import { routeTable } from '../../server/security/routes';
import { AuditService } from '../../server/services/audit';
import { SecurityCore } from '../../server/services/security';

const HOST = '127.150.0.1';
const PW = 'correct horse battery staple';
let server: Server;
let base: string;
let db: ImpulseDatabase;
let rt: ImpulseRuntime;
const seen: Array<{ path: string; headers: IncomingMessage['headers'] }> = [];
const cookies: Record<string, string> = {};
let lab = true;
const logs: string[] = [];

const built: BuiltApp = {
  source: 'test',
  routes: ['/', '/troubleshooter', '/admin', '/signin', '/api/troubleshooter/run', '/api/auth/signin', '/api/brand-new', '/lab', '/clusters/[cluster]'].map((route) => ({
    route,
    kind: route.startsWith('/api/') ? 'route' : 'page',
    pattern: routePattern(route),
  })),
  actions: new Map([['adminAction', ['/admin']]]),
};

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-gate-'));
  const loaded = parseConfigText(
    `clusters:\n  - { name: imp01, product: imp, publisher: p, allowInlineSecrets: true, credentials: { axl: { username: a, password: inline-pw } } }\nserver: { dataDir: ${dir} }\nauth: { mode: local }\n`,
    path.join(dir, 'impulse.config.yaml'),
    { checkFiles: false },
  );
  db = openDatabase({ dataDir: dir });
  rt = { configPath: loaded.file, config: loaded.config, inventory: resolveInventory(loaded.config, { dir }), dataDir: dir, db, startedAt: Date.now(), log: (l) => logs.push(l) };
  new AuditService({ log: (l) => logs.push(l) }).start(rt);
  const core = new SecurityCore(rt);
  rt.security = core;
  for (const [name, role] of [['vera', 'viewer'], ['otto', 'operator'], ['ada', 'admin']] as const) {
    await core.accounts!.create({ name: 'test', address: 'local' }, name, role, PW);
    const r = await core.signIn({ username: name, password: PW, address: HOST });
    if (!r.ok) throw new Error('sign-in failed');
    cookies[role] = r.cookie.split(';')[0];
  }
  const gate = new Gate({
    table: routeTable,
    built,
    security: () => core,
    audit: () => rt.audit,
    lab: () => lab,
    ready: () => true,
    headers: { tls: false, dev: false },
    log: (l) => logs.push(l),
  });
  const next = async (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ path: req.url ?? '', headers: { ...req.headers } });
    // A handler that records its own entry, like the troubleshooter will.
    if (req.url === '/api/troubleshooter/run?self=1') rt.audit!.record({ actor: { name: 'handler', address: 'x' }, action: 'troubleshooter.run', target: 'imp01' });
    res.writeHead(req.url?.startsWith('/api/troubleshooter/run?fail') ? 500 : 200, { 'content-type': 'text/plain' }).end('from next');
  };
  server = createServer((req, res) => void gate.handle(req, res, { next, metrics: (_q, s) => void s.writeHead(200).end('metrics') }));
  await new Promise<void>((r) => server.listen(0, HOST, r));
  base = `http://${HOST}:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  db.close();
});

type Who = 'anonymous' | 'viewer' | 'operator' | 'admin';
async function send(who: Who, method: string, p: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const headers: Record<string, string> = { ...(who === 'anonymous' ? {} : { cookie: cookies[who] }), ...init.headers };
  if (method !== 'GET' && method !== 'HEAD' && !('origin' in headers)) headers.origin = base;
  return fetch(`${base}${p}`, { method, headers, body: init.body ?? (method === 'GET' || method === 'HEAD' ? undefined : ''), redirect: 'manual' });
}

const gateDenied = (r: Response) => r.headers.get('x-impulse-denied');

describe('the gate', () => {
  it('puts the security headers on every response: pages, refusals, health, metrics, errors', async () => {
    for (const [who, p] of [['admin', '/'], ['anonymous', '/'], ['anonymous', '/healthz'], ['anonymous', '/metrics'], ['viewer', '/admin'], ['admin', '/%2e%2e/x']] as const) {
      const r = await send(who, 'GET', p, { headers: { accept: 'text/html' } });
      expect(r.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('same-origin');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(r.headers.get('strict-transport-security')).toBeNull(); // plain HTTP: no HSTS
    }
    const page = await send('admin', 'GET', '/');
    const csp = page.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(seen.at(-1)!.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
    const again = await send('admin', 'GET', '/');
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
    expect((await send('anonymous', 'GET', '/healthz')).status).toBe(200);
    expect(await (await send('anonymous', 'GET', '/readyz')).text()).toBe('ready\n');
  });

  it('sends a signed-out browser to /signin, and answers 401 to everything else', async () => {
    const page = await send('anonymous', 'GET', '/troubleshooter?x=1', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Ftroubleshooter%3Fx%3D1');
    const rsc = await send('anonymous', 'GET', '/troubleshooter', { headers: { accept: 'text/html', rsc: '1' } });
    expect(rsc.status).toBe(401);
    expect((await send('anonymous', 'GET', '/api/troubleshooter/run')).status).toBe(401);
    expect((await send('anonymous', 'GET', '/signin')).status).toBe(200);
  });

  it('lets each role do exactly what the table says, and audits the refusals', async () => {
    const matrix: Array<[Who, string, string, boolean]> = [
      ['viewer', 'GET', '/', true],
      ['viewer', 'GET', '/clusters/imp01', true],
      ['viewer', 'POST', '/api/troubleshooter/run', false],
      ['operator', 'POST', '/api/troubleshooter/run', true],
      ['operator', 'GET', '/admin', false],
      ['admin', 'GET', '/admin', true],
      ['admin', 'POST', '/api/troubleshooter/run', true],
      ['anonymous', 'POST', '/api/troubleshooter/run', false],
    ];
    for (const [who, method, p, ok] of matrix) {
      const r = await send(who, method, p);
      expect(gateDenied(r) === null, `${who} ${method} ${p} → ${r.status}`).toBe(ok);
      if (!ok) expect([401, 403]).toContain(r.status);
    }
    const denied = queryAudit(db, { outcome: 'denied' }, { limit: 20 });
    expect(denied.some((r) => r.actor === 'vera' && r.action === 'troubleshooter.run' && r.target === '/api/troubleshooter/run')).toBe(true);
    expect(denied.some((r) => r.actor === 'otto' && r.action === 'access.denied' && r.target === '/admin')).toBe(true);
    expect(denied.some((r) => r.actor === 'anonymous' && r.action === 'troubleshooter.run')).toBe(true);
  });

  it('records a change the handler did not record itself, and only once when it did', async () => {
    const before = queryAudit(db, { action: 'troubleshooter.run', outcome: 'success' }, { limit: 50 }).length;
    await send('operator', 'POST', '/api/troubleshooter/run?self=1');
    await send('operator', 'POST', '/api/troubleshooter/run');
    await send('operator', 'POST', '/api/troubleshooter/run?fail=1');
    await new Promise((r) => setTimeout(r, 50));
    const rows = queryAudit(db, { action: 'troubleshooter.run' }, { limit: 3 });
    expect(rows.map((r) => [r.actor, r.outcome])).toEqual([
      ['otto', 'failure'],
      ['otto', 'success'],
      ['handler', 'success'],
    ]);
    expect(rows[0].detail).toBe('POST /api/troubleshooter/run → HTTP 500');
    expect(queryAudit(db, { action: 'troubleshooter.run', outcome: 'success' }, { limit: 50 }).length).toBe(before + 2);
  });

  it('passes the identity in headers only it sets; forged ones never reach the app', async () => {
    await send('viewer', 'GET', '/', { headers: { [IDENTITY_HEADERS.user]: 'ada', [IDENTITY_HEADERS.role]: 'admin', [IDENTITY_HEADERS.token]: 'guess', 'x-middleware-subrequest': 'middleware' } });
    const h = seen.at(-1)!.headers;
    expect(h[IDENTITY_HEADERS.user]).toBe('vera');
    expect(h[IDENTITY_HEADERS.role]).toBe('viewer');
    expect(h[IDENTITY_HEADERS.token]).toBe((rt.security as SecurityCore).gateToken);
    expect(h['x-middleware-subrequest']).toBeUndefined();
    const forged = await send('anonymous', 'GET', '/admin', { headers: { [IDENTITY_HEADERS.user]: 'ada', [IDENTITY_HEADERS.role]: 'admin' } });
    expect(forged.status).toBe(401);
  });

  it('refuses state changes from other sites (Origin, Referer, Sec-Fetch-Site)', async () => {
    const evil = await send('operator', 'POST', '/api/troubleshooter/run', { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(await evil.text()).toMatch(/origin https:\/\/evil\.example is not this server/);
    expect((await send('operator', 'POST', '/api/troubleshooter/run', { headers: { origin: 'null' } })).status).toBe(403);
    const viaReferer = await fetch(`${base}/api/troubleshooter/run`, { method: 'POST', headers: { cookie: cookies.operator, referer: 'https://evil.example/page' }, body: '' });
    expect(viaReferer.status).toBe(403);
    const crossSite = await fetch(`${base}/api/troubleshooter/run`, { method: 'POST', headers: { cookie: cookies.operator, 'sec-fetch-site': 'cross-site' }, body: '' });
    expect(crossSite.status).toBe(403);
    // A script without a browser (no Origin, no Sec-Fetch-Site) is no cross-site request.
    const script = await fetch(`${base}/api/troubleshooter/run`, { method: 'POST', headers: { cookie: cookies.operator }, body: '' });
    expect(script.status).toBe(200);
    expect(queryAudit(db, { text: 'evil.example' }, { limit: 5 }).every((r) => r.outcome === 'denied')).toBe(true);
  });

  it('refuses bodies that are too large or of unknown length', async () => {
    const big = await send('operator', 'POST', '/api/troubleshooter/run', { body: 'x'.repeat(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    const signin = await send('anonymous', 'POST', '/api/auth/signin', { body: 'x'.repeat(17 * 1024) });
    expect(signin.status).toBe(413);
    const chunked = await new Promise<number>((resolve) => {
      const rq = httpRequest(`${base}/api/troubleshooter/run`, { method: 'POST', headers: { cookie: cookies.operator, origin: base, 'transfer-encoding': 'chunked' } }, (res) => resolve(res.statusCode ?? 0));
      rq.write('abc');
      rq.end();
    });
    expect(chunked).toBe(411);
  });

  it('refuses a route of the build that has no rule, to every role, and says so in the log', async () => {
    for (const who of ['viewer', 'admin'] as const) {
      const r = await send(who, 'GET', '/api/brand-new');
      expect(r.status).toBe(403);
      expect(await r.text()).toMatch(/no access rule/);
    }
    expect(logs.join('\n')).toMatch(/route \/api\/brand-new has no access rule in server\/security\/routes\.ts/);
    // A path that is no route at all is Next.js's not-found page, for signed-in users.
    expect((await send('viewer', 'GET', '/no/such/page')).status).toBe(200);
    expect((await send('viewer', 'POST', '/no/such/page')).status).toBe(404);
  });

  it('applies the strictest rule of the pages that define a server action', async () => {
    const onHome = await send('operator', 'POST', '/', { headers: { 'next-action': 'adminAction' } });
    expect(onHome.status).toBe(403);
    expect((await send('admin', 'POST', '/', { headers: { 'next-action': 'adminAction' } })).status).toBe(200);
    expect((await send('operator', 'POST', '/', { headers: { 'next-action': 'unknownAction' } })).status).toBe(200); // Next.js refuses unknown ids
  });

  it('audits server actions on pages, not plain page posts (those only render the page)', async () => {
    const count = () => queryAudit(db, { action: 'request.change', outcome: 'success' }, { limit: 500 }).length;
    const before = count();
    await send('operator', 'POST', '/');
    await new Promise((r) => setTimeout(r, 30));
    expect(count()).toBe(before);
    await send('admin', 'POST', '/', { headers: { 'next-action': 'adminAction' } });
    await new Promise((r) => setTimeout(r, 30));
    expect(count()).toBe(before + 1);
  });

  it('hides lab routes when no lab runs, and refuses methods it does not know', async () => {
    lab = false;
    expect((await send('admin', 'GET', '/lab')).status).toBe(404);
    lab = true;
    expect((await send('admin', 'GET', '/lab')).status).toBe(200);
    expect((await send('admin', 'PROPFIND', '/')).status).toBe(405);
    expect((await send('admin', 'GET', '/api/auth/signin')).status).toBe(405);
    expect((await send('admin', 'POST', '/metrics')).status).toBe(200); // /metrics answers its own methods
  });
});
