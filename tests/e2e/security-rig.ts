// Shared by the security end-to-end tests: `impulse start` as a child process (as a user runs it),
// HTTP(S) requests with a cookie jar of one, sign-in, accounts through `impulse user`, and the
// routes of the built dashboard with their dynamic segments filled in.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { child, root, type Child } from '../../bench/soak/processes';
import { readBuildManifests, type BuiltRoute } from '../../server/security/manifest';

export { root };

export interface Product extends Child {
  url: string;
  setupToken?: string;
}

/** `impulse start --config <file>` on 127.0.0.1, any port; resolves once it listens. */
export async function startProduct(o: { config: string; cwd: string; env?: Record<string, string>; listen?: string; args?: string[]; readyMs?: number }): Promise<Product> {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...o.env };
  delete env.IMPULSE_CONFIG;
  const c = child(process.execPath, [path.join(root, 'bin/impulse.mjs'), 'start', '--config', o.config, '--listen', o.listen ?? '127.0.0.1:0', ...(o.args ?? [])], { cwd: o.cwd, env });
  const url = (await c.waitFor(/IMPulse listening on (https?:\/\/127\.0\.0\.1:\d+)\//, o.readyMs ?? 300_000))[1];
  await c.waitFor(/sign-in: /, 5_000);
  const token = /one-time setup token (\S+)/.exec(c.output())?.[1];
  return { ...c, url, setupToken: token };
}

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request (http or https; `ca` trusts a test certificate). Never follows redirects. */
export function http(url: string, o: { method?: string; cookie?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}): Promise<Res> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...o.headers };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const rq = send(u, { method: o.method ?? 'GET', headers, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    rq.on('error', reject);
    rq.setTimeout(60_000, () => rq.destroy(new Error(`${o.method ?? 'GET'} ${url}: no answer in 60 s`)));
    if (o.body !== undefined) rq.write(o.body);
    rq.end();
  });
}

/** Signs in through the sign-in route; returns the session cookie ("name=value"). */
export async function signIn(base: string, username: string, password: string, ca?: string): Promise<string> {
  const r = await http(`${base}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: base },
    body: JSON.stringify({ username, password }),
    ca,
  });
  const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? [])[0];
  if (r.status !== 200 || !cookie) throw new Error(`sign-in of ${username} failed: HTTP ${r.status} ${r.body}`);
  return cookie.split(';')[0];
}

/** `impulse user add <name> --role <role>` with the password on standard input. */
export function userAdd(o: { config: string; cwd: string; name: string; role: string; password: string; env?: Record<string, string> }): void {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/impulse.mjs'), 'user', 'add', o.name, '--role', o.role, '--config', o.config], {
    cwd: o.cwd,
    input: `${o.password}\n`,
    encoding: 'utf8',
    env: { ...process.env, ...o.env },
  });
  if (r.status !== 0) throw new Error(`impulse user add ${o.name}: ${r.stderr}${r.stdout}`);
}

/** Runs the CLI without blocking this process (a lab in this process must keep answering). */
export async function impulse(args: string[], o: { cwd: string; env?: Record<string, string>; input?: string }): Promise<{ status: number; out: string }> {
  const c = spawn(process.execPath, [path.join(root, 'bin/impulse.mjs'), ...args], { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  c.stdout.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr.on('data', (d: Buffer) => (out += d.toString()));
  c.stdin.end(o.input ?? '');
  const timer = setTimeout(() => c.kill('SIGKILL'), 240_000);
  const status = await new Promise<number>((r) => c.once('exit', (code) => r(code ?? -1)));
  clearTimeout(timer);
  return { status, out };
}

export function builtRoutes(): BuiltRoute[] {
  return readBuildManifests(root).routes;
}

/** Request paths for a route pattern: each dynamic segment filled from `values` (default 'x'). */
export function samplePaths(route: string, values: Record<string, string[]>): string[] {
  let paths = [''];
  for (const seg of route.split('/').filter(Boolean)) {
    const m = /^\[\[?(?:\.\.\.)?([^\]]+)\]\]?$/.exec(seg);
    const options = m ? (values[m[1]] ?? ['x']).map(encodeURIComponent) : [seg];
    paths = paths.flatMap((p) => options.slice(0, 2).map((v) => `${p}/${v}`));
  }
  return paths.map((p) => p || '/');
}

/** A self-signed certificate for 127.0.0.1, its key encrypted with `passphrase` when given. */
export function selfSigned(dir: string, passphrase?: string): { cert: string; key: string; pem: string } {
  const cert = path.join(dir, 'server.pem');
  const key = path.join(dir, 'server.key');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2', '-keyout', key, '-out', cert, ...(passphrase ? ['-passout', `pass:${passphrase}`] : ['-nodes'])],
    { stdio: 'ignore' },
  );
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}
