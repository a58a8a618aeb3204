// Child processes the soak, the security benchmark and the resilience tests drive: the lab
// (`impulse lab`, its own process so the product's counts are the product's), Prometheus, and a
// helper to wait for a line of output.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** The first match of `re` in the output (waits up to `ms`; rejects if the process exits). */
  waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function child(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; keep?: number } = {}): Child {
  const proc = spawn(cmd, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = opts.keep ?? 2_000_000;
  const add = (d: Buffer) => {
    out += d.toString();
    if (out.length > keep) out = out.slice(-keep);
  };
  proc.stdout!.on('data', add);
  proc.stderr!.on('data', add);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    output: () => out,
    waitFor(re, ms) {
      return new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => {
          const m = out.match(re);
          if (m) return resolve(m);
          if (proc.exitCode !== null || proc.signalCode !== null) return reject(new Error(`${path.basename(cmd)} exited (${proc.exitCode ?? proc.signalCode}) before ${re}:\n${out.slice(-4000)}`));
          if (Date.now() - t0 > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${re}:\n${out.slice(-4000)}`));
          setTimeout(tick, 100);
        };
        tick();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

import { freePort } from '../../tests/helpers/net';

export { freePort };

export interface LabProcess extends Child {
  controlUrl: string;
  configFile: string;
  control<T = unknown>(method: string, p: string, body?: unknown): Promise<T>;
}

/** `impulse lab` in its own process, with the configuration it writes. */
export async function startLabProcess(o: { clusters: number; nodes: number; addressBase: string; dir: string; users?: number; extra?: string[]; readyMs?: number }): Promise<LabProcess> {
  const configFile = path.join(o.dir, 'impulse.config.yaml');
  const c = child(process.execPath, [
    path.join(root, 'bin', 'impulse.mjs'),
    'lab',
    '--clusters', String(o.clusters),
    '--nodes', String(o.nodes),
    '--users', String(o.users ?? 2000),
    '--address-base', o.addressBase,
    '--control-port', '0',
    '--dir', o.dir,
    '--write-config', configFile,
    ...(o.extra ?? []),
  ], { keep: 200_000 });
  const controlUrl = (await c.waitFor(/Control API: (http:\/\/\S+)/, o.readyMs ?? 300_000))[1].replace(/\/$/, '');
  if (!existsSync(configFile)) throw new Error(`the lab did not write ${configFile}`);
  const control = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${controlUrl}${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(`lab ${method} ${p}: HTTP ${res.status} ${text}`), { status: res.status });
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { ...c, controlUrl, configFile, control };
}

export interface LabTotals {
  perfmonSessionsOpen: number;
  perfmonSessionsRefused: number;
  sshSessionsOpen: number;
  sshChannelsOpen: number;
}

export async function labStats(lab: Pick<LabProcess, 'control'>): Promise<{ totals: LabTotals; nodes: Record<string, LabTotals> }> {
  return lab.control('GET', '/v1/stats');
}

export interface PrometheusProcess extends Child {
  url: string;
  query(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
}

/** A real Prometheus scraping `target` (host:port) every `scrapeSeconds`, with a bearer token. */
export async function startPrometheus(o: { dir: string; host: string; target: string; token: string; scrapeSeconds: number }): Promise<PrometheusProcess> {
  const config = path.join(o.dir, 'prometheus.yml');
  const tokenFile = path.join(o.dir, 'prometheus-token');
  writeFileSync(tokenFile, o.token, { mode: 0o600 });
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: `${o.scrapeSeconds}s`, scrape_timeout: `${Math.min(10, o.scrapeSeconds)}s` },
      scrape_configs: [{ job_name: 'impulse', authorization: { type: 'Bearer', credentials_file: tokenFile }, static_configs: [{ targets: [o.target] }] }],
    }),
  );
  const port = await freePort(o.host);
  const url = `http://${o.host}:${port}`;
  const c = child('/usr/bin/prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(o.dir, 'tsdb')}`, `--web.listen-address=${o.host}:${port}`, '--log.level=warn'], { keep: 50_000 });
  const end = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not yet
    }
    if (c.proc.exitCode !== null) throw new Error(`prometheus exited: ${c.output()}`);
    if (Date.now() > end) throw new Error(`prometheus not ready: ${c.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    ...c,
    url,
    async query(q) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: q })}`);
      const body = (await res.json()) as { data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      return body.data?.result ?? [];
    },
  };
}
