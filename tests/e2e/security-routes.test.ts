// Sign-in and roles on the built product, as users meet them. Every route of the build (read from
// .next's manifests, not from a list) has an access rule, and each role gets exactly what its rule
// gives — read and write, with the security headers on every answer. A viewer is refused running
// the troubleshooter while an operator is let through, and /audit shows both. In Chromium: signing
// in, the navigation of each role, pages without a single Content-Security-Policy violation,
// accounts managed from /admin, the audit log filtered and exported, signing out. No sign-in on a
// public address is refused at start; TLS brings HSTS and __Host- cookies.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { navFor } from '../../app/lib/nav';
import { startLab, type LabHandle } from '../../lab/index';
import { accessFor, allows, routeTable } from '../../server/security/routes';
import type { Role } from '../../server/security/roles';
import { builtRoutes, http, impulse, root, samplePaths, selfSigned, signIn, startProduct, type Product, type Res } from './security-rig';

const CHROMIUM = '/usr/bin/chromium';
const PW = 'a long enough password';
const USERS: Record<Role, string> = { viewer: 'vera', operator: 'otto', admin: 'ada' };
let dir: string;
let lab: LabHandle;
let product: Product;
let config: string;
let browser: Browser | undefined;
const cookies: Partial<Record<Role, string>> = {};

function writeConfig(file: string, extra: Record<string, unknown>): void {
  const cfg = parse(readFileSync(path.join(dir, 'lab.config.yaml'), 'utf8')) as Record<string, unknown>;
  writeFileSync(file, stringify({ ...cfg, ...extra }));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-routes-'));
  lab = await startLab({ clusters: 1, nodes: 2, usersPerCluster: 200, addressBase: '127.154', controlPort: 0, dir: path.join(dir, 'lab') });
  lab.writeConfig(path.join(dir, 'lab.config.yaml'));
  config = path.join(dir, 'impulse.config.yaml');
  writeConfig(config, { server: { dataDir: 'data' }, auth: { mode: 'local' } });
  for (const [role, name] of Object.entries(USERS)) {
    const r = await impulse(['user', 'add', name, '--role', role, '--config', config], { cwd: dir, input: `${PW}\n` });
    if (r.status !== 0) throw new Error(r.out);
  }
  product = await startProduct({ config, cwd: dir });
  for (const [role, name] of Object.entries(USERS) as [Role, string][]) cookies[role] = await signIn(product.url, name, PW);
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Who = Role | 'anonymous';
const WHO: Who[] = ['anonymous', 'viewer', 'operator', 'admin'];

/** Whether the gate let the request through (a handler's own 4xx still counts as through). */
function through(r: Res): boolean {
  if (r.headers['x-impulse-denied'] !== undefined) return false;
  if (r.status === 303 && String(r.headers.location).startsWith('/signin')) return false;
  if (r.status === 405 && r.body === 'method not allowed\n') return false;
  // A lab-only route of a product that runs no lab is refused to everyone.
  if (r.status === 404 && r.body.startsWith('not found: the built-in lab is not running')) return false;
  return true;
}

describe('routes and roles', () => {
  it('every route of the build has an access rule', () => {
    const routes = builtRoutes();
    expect(routes.map((r) => r.route)).toContain('/admin');
    const missing = routes.filter((r) => !routeTable.ruleForRoute(r.route)).map((r) => `${r.kind} ${r.route}`);
    // A new page or route handler needs a line in server/security/routes.ts.
    expect(missing).toEqual([]);
  });

  it('gives each role exactly what its rule says on every route, read and write, with the security headers', async () => {
    const values = { cluster: ['imp01'], node: ['imp01-pub'], name: ['nobody-here'], id: ['1'] };
    const wrong: string[] = [];
    let checked = 0;
    for (const r of builtRoutes()) {
      const rule = routeTable.ruleForRoute(r.route)!;
      for (const p of samplePaths(r.route, values)) {
        for (const method of ['GET', 'POST'] as const) {
          if (method === 'POST' && p === '/api/auth/signout') continue; // it would end the session; below
          for (const who of WHO) {
            const role = who === 'anonymous' ? undefined : who;
            const res = await http(`${product.url}${p}`, {
              method,
              cookie: role ? cookies[role] : undefined,
              headers: method === 'POST' ? { 'content-type': 'application/json', accept: 'application/json', origin: product.url } : { accept: 'text/html' },
              body: method === 'POST' ? '{}' : undefined,
            });
            // This product runs no lab: a lab-only route is refused to everyone.
            const expected = !rule.labOnly && allows(accessFor(rule, method), role);
            if (through(res) !== expected) wrong.push(`${who} ${method} ${p}: HTTP ${res.status}, expected ${expected ? 'through' : 'refused'} (rule ${rule.route})`);
            for (const h of ['x-content-type-options', 'referrer-policy', 'content-security-policy', 'x-frame-options']) if (!res.headers[h]) wrong.push(`${who} ${method} ${p}: no ${h}`);
            if (res.headers['strict-transport-security']) wrong.push(`${p}: HSTS over plain HTTP`);
            if (String(res.headers['content-type']).startsWith('text/html') && res.status === 200) {
              const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
              if (!nonce || !res.body.includes(`nonce="${nonce}"`)) wrong.push(`${who} GET ${p}: scripts without the policy's nonce`);
              if (/<script(?![^>]*nonce=)[^>]*>/.test(res.body)) wrong.push(`${who} GET ${p}: a script tag without a nonce`);
            }
            checked++;
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses a viewer running the troubleshooter, lets an operator through, and /audit shows both', async () => {
    const run = (role: Role) => http(`${product.url}/api/troubleshooter/run`, { method: 'POST', cookie: cookies[role], headers: { 'content-type': 'application/json', origin: product.url }, body: '{"cluster":"imp01"}' });
    const viewer = await run('viewer');
    expect(viewer.status).toBe(403);
    expect(JSON.parse(viewer.body).error).toMatch(/needs the operator role; vera is a viewer/);
    const operator = await run('operator');
    expect(through(operator)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const csv = await http(`${product.url}/api/audit/export?action=troubleshooter.run`, { cookie: cookies.admin });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csv.body.trim().split('\r\n').slice(1);
    expect(rows.some((l) => /,vera,127\.0\.0\.1,troubleshooter\.run,\/api\/troubleshooter\/run,.*,denied$/.test(l))).toBe(true);
    expect(rows.some((l) => /,otto,127\.0\.0\.1,troubleshooter\.run,/.test(l) && !l.endsWith(',denied'))).toBe(true);
    // A cross-site page cannot make an operator's browser do it.
    const csrf = await http(`${product.url}/api/troubleshooter/run`, { method: 'POST', cookie: cookies.operator, headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(csrf.status).toBe(403);
  });

  it('signs out for real: the old cookie no longer works', async () => {
    const c = await signIn(product.url, USERS.viewer, PW);
    expect((await http(`${product.url}/account`, { cookie: c })).status).toBe(200);
    const out = await http(`${product.url}/api/auth/signout`, { method: 'POST', cookie: c, headers: { origin: product.url } });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    const after = await http(`${product.url}/account`, { cookie: c, headers: { accept: 'text/html' } });
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/signin?next=%2Faccount');
  });
});

describe('in the browser', () => {
  const violations: string[] = [];
  async function page(role?: Role): Promise<Page> {
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const ctx = await browser.newContext();
    if (role) await ctx.addCookies([{ name: cookies[role]!.split('=')[0], value: cookies[role]!.split('=').slice(1).join('='), url: product.url }]);
    const p = await ctx.newPage();
    p.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/.test(m.text())) violations.push(`${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => violations.push(`${p.url()}: ${e.message}`));
    return p;
  }

  it('signs in through the form, with one message for an unknown user and a wrong password', async () => {
    const p = await page();
    await p.goto(`${product.url}/audit`);
    expect(new URL(p.url()).pathname).toBe('/signin');
    await p.fill('input[name=username]', 'nobody');
    await p.fill('input[name=password]', 'whatever it is');
    await p.click('button[type=submit]');
    const unknown = await p.locator('[data-testid=signin-message]').innerText();
    await p.fill('input[name=username]', USERS.admin);
    await p.fill('input[name=password]', 'not the password');
    await p.click('button[type=submit]');
    expect(await p.locator('[data-testid=signin-message]').innerText()).toBe(unknown);
    expect(unknown).toBe('The user name or password is not right.');
    await p.screenshot({ path: path.join(root, 'docs/screenshots/signin.png') });
    await p.fill('input[name=username]', USERS.admin);
    await p.fill('input[name=password]', PW);
    await p.click('button[type=submit]');
    await p.waitForURL(/\/audit/);
    expect(await p.locator('[data-testid=user-name]').innerText()).toBe(USERS.admin);
    await p.context().close();
  });

  it('shows each role its own navigation, and refuses pages beyond the role', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const p = await page(role);
      await p.goto(`${product.url}/`);
      const links = await p.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links, role).toEqual(navFor(role, false).map((i) => i.href)); // a configured deployment: no lab
      expect(await p.locator('[data-testid=user-role]').textContent()).toBe(role);
      if (role !== 'admin') {
        const r = await p.goto(`${product.url}/admin`);
        expect(r?.status()).toBe(403);
        expect(await p.locator('h1').innerText()).toBe('Not allowed');
      }
      await p.context().close();
    }
  });

  it('renders every page with no Content-Security-Policy violation and no script error', async () => {
    violations.length = 0;
    const p = await page('admin');
    // A configured deployment: lab-only pages are not there (the gate answers 404 for them).
    const pages = builtRoutes()
      .filter((r) => r.kind === 'page' && !r.route.startsWith('/_') && !routeTable.ruleForRoute(r.route)?.labOnly)
      .flatMap((r) => samplePaths(r.route, { cluster: ['imp01'], node: ['imp01-pub'], id: ['1'] }));
    expect(pages).toContain('/audit');
    for (const u of [...pages, '/no/such/page']) {
      await p.goto(`${product.url}${u}`);
      await p.waitForLoadState('networkidle');
    }
    // Live refresh on the overview: RSC requests under the same policy.
    await p.goto(`${product.url}/`);
    await p.waitForTimeout(6000);
    expect(violations.filter((v) => !/\/no\/such\/page: Failed to load resource: the server responded with a status of 404/.test(v))).toEqual([]);
    await p.context().close();
  });

  it('lets an admin add an account, change its role, and read and export the audit log', async () => {
    const p = await page('admin');
    await p.goto(`${product.url}/admin`);
    await p.fill('form[action="/api/admin/accounts"] input[name=name]', 'nina');
    await p.selectOption('form[action="/api/admin/accounts"] select[name=role]', 'operator');
    await p.fill('form[action="/api/admin/accounts"] input[name=password]', 'a first password here');
    await p.fill('form[action="/api/admin/accounts"] input[name=confirm]', 'a first password here');
    await p.click('form[action="/api/admin/accounts"] button[type=submit]');
    await p.waitForLoadState('networkidle');
    expect(p.url(), await p.content()).toMatch(/\/admin\?done=/);
    expect(await p.locator('tr[data-account=nina]').count()).toBe(1);
    await p.selectOption('tr[data-account=nina] select[name=role]', 'viewer');
    await p.click('tr[data-account=nina] form:has(select) button');
    await p.waitForURL(/done=nina/);
    expect(await p.locator('tr[data-account=nina] select[name=role]').inputValue()).toBe('viewer');
    await p.screenshot({ path: path.join(root, 'docs/screenshots/admin.png'), fullPage: true });
    // A password that breaks the rule is refused with the rule.
    await p.fill('tr[data-account=nina] input[name=password]', 'short-one');
    await p.fill('tr[data-account=nina] input[name=confirm]', 'short-one');
    await p.locator('tr[data-account=nina] input[name=password]').evaluate((el) => el.removeAttribute('minlength'));
    await p.locator('tr[data-account=nina] input[name=confirm]').evaluate((el) => el.removeAttribute('minlength'));
    await p.click('tr[data-account=nina] form:has(input[name=password]) button');
    await p.waitForURL(/error=/);
    expect(await p.locator('[data-testid=admin-error]').innerText()).toBe('a password needs at least 12 characters');

    await p.goto(`${product.url}/audit?action=account.`);
    const actions = await p.locator('tr[data-action]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-action')} ${r.getAttribute('data-actor')} ${r.getAttribute('data-outcome')}`));
    // Newest first: the refused reset, the role change, the creation.
    expect(actions.slice(0, 3)).toEqual(['account.password ada failure', 'account.role ada success', 'account.create ada success']);
    expect(actions.some((a) => /^account\.create cli:\S+ success$/.test(a))).toBe(true);
    await p.setViewportSize({ width: 1360, height: 900 });
    await p.goto(`${product.url}/audit`);
    await p.screenshot({ path: path.join(root, 'docs/screenshots/audit.png') });
    await p.selectOption('select[name=outcome]', 'denied');
    await p.click('form[action="/audit"] button[type=submit]');
    await p.waitForURL(/outcome=denied/);
    const outcomes = await p.locator('tr[data-outcome]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(['denied']));
    const href = await p.locator('[data-testid=audit-export]').getAttribute('href');
    expect(href).toBe('/api/audit/export?outcome=denied');
    const csv = await http(`${product.url}${href}`, { cookie: cookies.admin });
    expect(csv.body.split('\r\n')[0]).toBe('time (UTC),actor,address,action,target,detail,outcome');
    expect(csv.body.trim().split('\r\n').slice(1).every((l) => l.endsWith(',denied'))).toBe(true);
    await p.context().close();
  });
});

describe('starting up', () => {
  it('refuses auth.mode none on a non-loopback address, naming the setting', async () => {
    const file = path.join(dir, 'none.config.yaml');
    writeConfig(file, { server: { dataDir: 'data-none', listen: '0.0.0.0:3000' }, auth: { mode: 'none' } });
    const r = await impulse(['start', '--config', file], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/auth\.mode: auth\.mode: none \(no sign-in\) is only allowed while listening on loopback/);
    // A --listen override on every interface is refused the same way, before anything starts.
    writeConfig(file, { server: { dataDir: 'data-none' }, auth: { mode: 'none' } });
    const o = await impulse(['start', '--config', file, '--listen', '0.0.0.0:0'], { cwd: dir });
    expect(o.status).toBe(1);
    expect(o.out).toMatch(/impulse start: auth\.mode: none \(no sign-in\) is only allowed while listening on loopback .* --listen 0\.0\.0\.0:0 is 0\.0\.0\.0:0/);
  });

  it('serves TLS from server.tls with HSTS and Secure __Host- cookies, and prints the first-admin setup token', async () => {
    const tls = selfSigned(dir);
    const file = path.join(dir, 'tls.config.yaml');
    writeConfig(file, { server: { dataDir: 'data-tls', tls: { certificate: tls.cert, key: tls.key } }, auth: { mode: 'local' } });
    const p = await startProduct({ config: file, cwd: dir });
    try {
      expect(p.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(p.setupToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      const home = await http(`${p.url}/signin`, { ca: tls.pem });
      expect(home.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(String(home.headers['content-security-policy'])).toMatch(/upgrade-insecure-requests/);
      const setup = await http(`${p.url}/api/auth/setup`, {
        method: 'POST',
        ca: tls.pem,
        headers: { 'content-type': 'application/json', accept: 'application/json', origin: p.url },
        body: JSON.stringify({ token: p.setupToken, username: 'root', password: PW }),
      });
      expect(setup.status).toBe(200);
      expect(String(setup.headers['set-cookie'])).toMatch(/^__Host-impulse-session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
      const again = await http(`${p.url}/api/auth/setup`, { method: 'POST', ca: tls.pem, headers: { 'content-type': 'application/json', accept: 'application/json', origin: p.url }, body: JSON.stringify({ token: p.setupToken, username: 'root2', password: PW }) });
      expect(again.status).toBe(409);
      await expect(http(p.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
    } finally {
      await p.stop();
    }
  });
});
