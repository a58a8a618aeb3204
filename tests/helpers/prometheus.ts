// Debian's prometheus, started by a test or a benchmark on a free port of its loopback range with
// its own data dir: scraping the given targets, or serving a TSDB backfilled beforehand.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort, until } from './net';

export const PROMETHEUS = '/usr/bin/prometheus';
export const hasPrometheus = existsSync(PROMETHEUS);

export interface RunningPrometheus {
  url: string;
  /** Its last output lines (warnings and errors). */
  logs: string[];
  stop(): Promise<void>;
}

export async function startPrometheus(o: { host: string; dir: string; targets?: string[]; scrapeIntervalS?: number; tsdb?: string }): Promise<RunningPrometheus> {
  mkdirSync(o.dir, { recursive: true });
  const port = await freePort(o.host);
  const config = path.join(o.dir, 'prometheus.yml');
  const interval = `${o.scrapeIntervalS ?? 1}s`;
  writeFileSync(config, stringify({ global: { scrape_interval: interval, evaluation_interval: interval }, scrape_configs: o.targets?.length ? [{ job_name: 'impulse', static_configs: [{ targets: o.targets }] }] : [] }));
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${o.tsdb ?? path.join(o.dir, 'tsdb')}`, '--storage.tsdb.retention.time=30d', `--web.listen-address=${o.host}:${port}`, '--log.level=warn'];
  const child = spawn(PROMETHEUS, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const keep = (d: Buffer) => {
    logs.push(d.toString());
    if (logs.length > 200) logs.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://${o.host}:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    await until('prometheus ready', 60_000, async () => (child.exitCode === null ? ((await fetch(`${url}/-/ready`)).ok ? true : undefined) : Promise.reject(new Error(`prometheus exited ${child.exitCode}`))), () => logs.join(''));
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, logs, stop };
}
