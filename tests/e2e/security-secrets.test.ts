// Secrets never leave the process. Every secret the product reads is a sentinel value — the AXL
// and OS passwords (the lab accepts exactly those), the directory's bind password, the sign-in
// directory's service password, the /metrics token, the session key, the TLS key passphrase —
// and none of them, in plain, URL, base64 or HTTP Basic form, may appear in: the product's log,
// the /metrics body, the HTML, RSC and JSON of every route of the build (as admin, as nobody,
// read and write), error pages, the built client bundles, the CLI's output (config check,
// collect --once with failing nodes, user list), the files of the data dir (SQLite, WAL) and the
// audit CSV. The configuration view shows references instead.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabHandle } from '../../lab/index';
import { BASE, haveSlapd, startSlapd, type Slapd } from '../helpers/slapd';
import { builtRoutes, http, impulse, root, samplePaths, selfSigned, signIn, startProduct, type Product, type Res } from './security-rig';

const SENTINELS = {
  axl: 'SNTL-axl-1b7e9d4c2f',
  os: 'SNTL-os-6a2f8e13d0',
  directory: 'SNTL-dirldap-3c9a07b5e1',
  signInDirectory: 'SNTL-authldap-8d41e2f6a3',
  metrics: 'SNTL-metrics-5e0b9c37f8',
  session: 'SNTL-sessionkey-7c2e91d04b5a6f38e2d1',
  tls: 'SNTL-tlspass-2f7c1a9e64',
};
const ADMIN = { name: 'ada', password: 'ada directory password 1' };

/** Every form a secret could leak in: itself, URL-encoded, base64, and inside an HTTP Basic header. */
const forms: Array<{ what: string; text: string }> = Object.entries(SENTINELS).flatMap(([what, s]) => [
  { what, text: s },
  { what: `${what} (URL-encoded)`, text: encodeURIComponent(s) },
  { what: `${what} (base64)`, text: Buffer.from(s).toString('base64') },
  ...(what === 'axl' ? [{ what: 'axl (HTTP Basic)', text: Buffer.from(`axladmin:${s}`).toString('base64') }] : []),
]).filter((f, i, all) => all.findIndex((g) => g.text === f.text) === i);

function leaks(text: string): string[] {
  return forms.filter((f) => text.includes(f.text)).map((f) => f.what);
}

let dir: string;
let lab: LabHandle;
let ldap: Slapd;
let product: Product;
let config: string;
let ca: string;
let admin: string;
const seen: Array<{ where: string; text: string }> = [];
const record = (where: string, r: Res | string) => {
  seen.push({ where, text: typeof r === 'string' ? r : `${r.status}\n${JSON.stringify(r.headers)}\n${r.body}` });
  return r;
};
const env = { SNTL_AXL: SENTINELS.axl, SNTL_DIR: SENTINELS.directory, SNTL_METRICS: SENTINELS.metrics, SNTL_SESSION: SENTINELS.session };

beforeAll(async () => {
  if (!haveSlapd) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-sentinel-'));
  mkdirSync(path.join(dir, 'secrets'));
  lab = await startLab({
    clusters: 1,
    nodes: 2,
    usersPerCluster: 200,
    addressBase: '127.153',
    controlPort: 0,
    dir: path.join(dir, 'lab'),
    credentials: { axl: { username: 'axladmin', password: SENTINELS.axl }, os: { username: 'admin', password: SENTINELS.os } },
  });
  ldap = await startSlapd({ host: '127.153.250.1', servicePassword: SENTINELS.signInDirectory, people: { [ADMIN.name]: ADMIN.password }, groups: { 'uc-admins': [ADMIN.name] } });
  const tls = selfSigned(dir, SENTINELS.tls);
  ca = tls.pem;
  writeFileSync(path.join(dir, 'secrets/os-password'), `${SENTINELS.os}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'secrets/tls-passphrase'), SENTINELS.tls, { mode: 0o600 });
  writeFileSync(path.join(dir, 'secrets/auth-ldap'), SENTINELS.signInDirectory, { mode: 0o600 });
  config = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(config);
  const cfg = parse(readFileSync(config, 'utf8')) as { clusters: Array<Record<string, unknown>> } & Record<string, unknown>;
  for (const c of cfg.clusters) {
    delete c.allowInlineSecrets;
    c.credentials = { axl: { username: 'axladmin', password: 'env:SNTL_AXL' }, os: { username: 'admin', password: 'file:secrets/os-password' } };
  }
  cfg.polling = { perfmon: '10s', ha: '10s', services: '10s', replication: '10s' };
  cfg.ldap = [{ name: 'corp', url: `ldaps://${ldap.host}:${ldap.tlsPort}`, bindDn: `cn=impulse-svc,${BASE}`, password: 'env:SNTL_DIR', baseDn: `ou=people,${BASE}`, tls: { caBundle: ldap.caFile } }];
  cfg.server = { metricsToken: 'env:SNTL_METRICS', dataDir: 'data', tls: { certificate: tls.cert, key: tls.key, passphrase: 'file:secrets/tls-passphrase' } };
  cfg.auth = {
    mode: 'ldap',
    session: { key: 'env:SNTL_SESSION' },
    ldap: { url: `ldaps://${ldap.host}:${ldap.tlsPort}`, bindDn: `cn=impulse-svc,${BASE}`, password: 'file:secrets/auth-ldap', baseDn: `ou=people,${BASE}`, roles: { admin: [`cn=uc-admins,ou=groups,${BASE}`] }, tls: { caBundle: ldap.caFile } },
  };
  writeFileSync(config, stringify(cfg), { mode: 0o600 });
  product = await startProduct({ config, cwd: dir, env });
  admin = await signIn(product.url, ADMIN.name, ADMIN.password, ca);
}, 400_000);

afterAll(async () => {
  await product?.stop();
  await lab?.stop();
  await ldap?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveSlapd)('no secret leaves the process', () => {
  it('serves what it should with the sentinel secrets (so the secrets are in use)', async () => {
    expect(product.url).toMatch(/^https:/);
    // The collector polls the lab with the sentinel AXL and OS passwords.
    const end = Date.now() + 90_000;
    let metrics = '';
    while (Date.now() < end) {
      metrics = (await http(`${product.url}/metrics`, { headers: { authorization: `Bearer ${SENTINELS.metrics}` }, ca })).body;
      if (/impulse_target_up\{cluster="imp01",node="[^"]+",source="ha"\} 1/.test(metrics) && /source="services"\} 1/.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect(metrics).toMatch(/impulse_target_up\{cluster="imp01",node="[^"]+",source="ha"\} 1/);
    record('/metrics', metrics);
    expect((await http(`${product.url}/metrics`, { ca })).status).toBe(401);
    expect((await http(`${product.url}/account`, { cookie: admin, ca })).body).toContain('ada');
  });

  it('no route of the build shows one: every page and handler, read and write, as admin and as nobody', async () => {
    const values = { cluster: ['imp01', 'cucm01'], node: lab.manifest.nodes.map((n) => n.name), name: [ADMIN.name], id: ['1'] };
    const routes = builtRoutes();
    expect(routes.length).toBeGreaterThan(10);
    let requests = 0;
    for (const r of routes) {
      for (const p of samplePaths(r.route, values)) {
        if (p === '/api/auth/signout') continue; // would end the admin's session; done last
        for (const [who, cookie] of [['admin', admin], ['nobody', undefined]] as const) {
          record(`GET ${p} (${who})`, await http(`${product.url}${p}`, { cookie, headers: { accept: 'text/html' }, ca }));
          record(`GET ${p} RSC (${who})`, await http(`${product.url}${p}`, { cookie, headers: { rsc: '1' }, ca }));
          if (r.kind === 'route') record(`POST ${p} (${who})`, await http(`${product.url}${p}`, { method: 'POST', cookie, headers: { 'content-type': 'application/json', accept: 'application/json', origin: product.url }, body: '{}', ca }));
          requests += r.kind === 'route' ? 3 : 2;
        }
      }
    }
    expect(requests).toBeGreaterThan(40);
    // The configuration view shows the references, redacted.
    const view = (await http(`${product.url}/admin/config`, { cookie: admin, ca })).body;
    for (const ref of ['env:SNTL_AXL', 'file:secrets/os-password', 'env:SNTL_DIR', 'env:SNTL_METRICS', 'env:SNTL_SESSION', 'file:secrets/tls-passphrase', 'file:secrets/auth-ldap']) expect(view).toContain(ref);
    // The audit log as CSV (it holds the sign-ins).
    const csv = record('audit CSV', await http(`${product.url}/api/audit/export`, { cookie: admin, ca }));
    expect((csv as Res).body).toMatch(/auth\.signin/);
    // The data dir while running: the database and its write-ahead log.
    for (const f of readdirSync(path.join(dir, 'data'))) record(`data/${f} (running)`, readFileSync(path.join(dir, 'data', f), 'latin1'));
    const leaked = seen.flatMap((s) => leaks(s.text).map((w) => `${w} in ${s.where}`));
    expect(leaked).toEqual([]);
  });

  it('nor do error pages', async () => {
    const notFound = record('404', await http(`${product.url}/no/such/page`, { cookie: admin, headers: { accept: 'text/html' }, ca })) as Res;
    expect(notFound.status).toBe(404);
    // A router state Next.js cannot read: a server error (after the cache-busting redirect).
    const bad = { rsc: '1', 'next-router-state-tree': '%7B%broken' };
    const hop = await http(`${product.url}/`, { cookie: admin, headers: bad, ca });
    const target = hop.status === 307 ? String(hop.headers.location) : '/';
    const broken = record('500', await http(new URL(target, product.url).href, { cookie: admin, headers: bad, ca })) as Res;
    expect(broken.status).toBeGreaterThanOrEqual(400);
    const refused = record('refused', await http(`${product.url}/admin`, { headers: { accept: 'text/html', cookie: 'impulse-session=forged' }, ca }));
    expect((refused as Res).status).toBe(303);
    expect(seen.flatMap((s) => leaks(s.text).map((w) => `${w} in ${s.where}`))).toEqual([]);
  });

  it('nor the client bundles of the build', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const f = path.join(d, e);
        if (statSync(f).isDirectory()) walk(f);
        else files.push(f);
      }
    };
    walk(path.join(root, '.next', 'static'));
    expect(files.length).toBeGreaterThan(5);
    const leaked = files.flatMap((f) => leaks(readFileSync(f, 'latin1')).map((w) => `${w} in ${path.relative(root, f)}`));
    expect(leaked).toEqual([]);
  });

  it('nor the CLI: config check, collect --once with failing nodes, user list', async () => {
    const check = await impulse(['config', 'check', config], { cwd: dir, env });
    expect(check.out).toMatch(/^ok: /m);
    const missing = await impulse(['config', 'check', config], { cwd: dir, env: { SNTL_AXL: '', SNTL_DIR: '', SNTL_METRICS: '', SNTL_SESSION: '' } });
    expect(missing.status).toBe(1);
    expect(missing.out).toMatch(/environment variable SNTL_AXL \(from env:SNTL_AXL\) is (not set|empty)/);
    // Nodes that reject the credentials and answer garbage: errors, none with a secret in it.
    const [pub, sub] = lab.manifest.nodes.filter((n) => n.product === 'imp');
    lab.faults.inject({ kind: 'auth-fail', target: pub.name });
    lab.faults.inject({ kind: 'garbage', target: sub.name });
    const once = await impulse(['collect', '--config', config, '--once'], { cwd: dir, env });
    lab.faults.clearAll();
    expect(once.status).toBe(1);
    expect(once.out).toMatch(/FAILED auth/);
    expect(once.out).toMatch(/FAILED parse/);
    const users = await impulse(['user', 'list', '--config', config], { cwd: dir, env });
    for (const [what, out] of [['config check', check.out], ['config check (missing)', missing.out], ['collect --once', once.out], ['user list', users.out]] as const) record(what, out);
    expect(seen.flatMap((s) => leaks(s.text).map((w) => `${w} in ${s.where}`))).toEqual([]);
  });

  it('nor the log, nor any file of the data dir (SQLite file and WAL included), after a clean stop', async () => {
    record('sign-out', await http(`${product.url}/api/auth/signout`, { method: 'POST', cookie: admin, headers: { origin: product.url, accept: 'application/json' }, ca }));
    await product.stop('SIGTERM');
    record('log', product.output());
    expect(product.output()).toMatch(/stopped in/);
    const data = path.join(dir, 'data');
    const files = readdirSync(data);
    expect(files).toContain('impulse.db');
    for (const f of files) record(`data/${f}`, readFileSync(path.join(data, f), 'latin1'));
    expect(seen.flatMap((s) => leaks(s.text).map((w) => `${w} in ${s.where}`))).toEqual([]);
  });
});
