// `impulse start` as a child process for the end-to-end tests (one per test file), and headless
// Chromium (Debian's, through playwright-core) to look at it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { waitForOutput } from './child-output';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';

export interface Impulse {
  child: ChildProcess;
  baseUrl: string;
  /** The built-in lab's control API, when it runs. */
  controlUrl?: string;
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the first match of `re` in the output, or rejects after `ms` (or when the process exits). */
  waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `ms`; resolves with the exit code. */
  stop(ms?: number): Promise<number | null>;
}

export async function startImpulse(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; lab?: boolean }): Promise<Impulse> {
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...opts.env };
  delete env.IMPULSE_CONFIG;
  const child = spawn(process.execPath, [path.join(root, 'bin/impulse.mjs'), 'start', ...args], { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = (re: RegExp, ms: number) => waitForOutput(child, () => out, re, ms);
  // Includes a production build of the dashboard when .next is missing or stale.
  const baseUrl = (await waitFor(/IMPulse listening on (http:\/\/127\.0\.0\.1:\d+)\//, 300_000))[1];
  const controlUrl = opts.lab === false ? undefined : (await waitFor(/lab: control API (http:\/\/\S+)/, 5_000))[1].replace(/\/$/, '');
  return {
    child,
    baseUrl,
    controlUrl,
    output: () => out,
    waitFor,
    stop: async (ms = 20_000) => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        return null;
      }
      return code;
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  const end = Date.now() + 120_000;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > end) throw new Error(`${CHROMIUM} not found (scripts/system-deps.sh installs it)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `ms` with the last reason. */
export async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined | false>, everyMs = 500): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
