// `impulse lab` as a user runs it: one lab process, driven through `impulse lab fault …` and
// the control API; faults reach the state and the front-ends; SIGTERM stops it cleanly.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/impulse.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'lab-control-'));
const manifestFile = path.join(dir, 'manifest.json');
const configFile = path.join(dir, 'impulse.config.yaml');

let lab: ChildProcess;
let output = '';
let controlUrl = '';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, 'lab', 'fault', ...args, '--manifest', manifestFile], { cwd: root, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function api<T = any>(p: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const r = await fetch(controlUrl + p, init);
  return { status: r.status, body: (await r.json()) as T };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(2000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  lab = spawn(
    process.execPath,
    [bin, 'lab', '--clusters', '2', '--nodes', '2', '--users', '2000', '--address-base', '127.24', '--control-port', '0', '--ssh-port', '2222', '--time-scale', '100', '--manifest', manifestFile, '--write-config', configFile, '--dir', dir],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  lab.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  lab.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await until('the lab to start', async () => /Lab ready in/.test(output) || lab.exitCode !== null, 90_000);
  const m = /Control API: (http:\/\/\S+)/.exec(output);
  if (!m) throw new Error(`the lab did not start:\n${output}`);
  controlUrl = m[1];
}, 120_000);

afterAll(async () => {
  if (lab && lab.exitCode === null) lab.kill('SIGKILL');
});

describe('impulse lab + control API', () => {
  it('prints the clusters and writes a manifest and a configuration the product accepts', async () => {
    expect(output).toMatch(/imp01\s+IM&P\s+15\.0\.1\.12900-15\s+imp01-pub 127\.24\.1\.10, imp01-sub1 127\.24\.1\.11/);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.controlUrl).toBe(controlUrl);
    expect((await api('/v1/manifest')).body).toEqual(manifest);
    expect(manifest.nodes).toHaveLength(6);
    const cfg = loadConfig(configFile);
    expect(cfg.clusters.find((c) => c.name === 'imp02')?.peers).toEqual(['imp01']);
    expect(readFileSync(manifest.caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(readFileSync(manifest.knownHostsFile, 'utf8')).toMatch(/^\[127\.24\.1\.2\]:2222,\[cucm01-pub\]:2222,\S+ ssh-ed25519 /);
  });

  it('injects a critical-service fault with the CLI and the group fails over', async () => {
    const r = await cli('critical-service-down', 'imp01-pub', '--param', 'service=Cisco XCP Router');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^f\d+$/);
    const list = await cli('list');
    expect(list.stdout).toMatch(new RegExp(`${r.stdout.trim()}\\s+critical-service-down\\s+imp01-pub\\s+service=Cisco XCP Router`));
    // 90 s + 10 s simulated at 100× ≈ 1 s.
    await until('failover', async () => (await api('/v1/state')).body.nodes.find((n: any) => n.name === 'imp01-sub1').ha.state === 'Running in Backup Mode');
    const state = (await api('/v1/state')).body;
    const pub = state.nodes.find((n: any) => n.name === 'imp01-pub');
    expect(pub.ha).toEqual({ state: 'Failed Over with Critical Services not Running', reason: 'Critical Service Down' });
    expect(pub.services.find((s: any) => s.name === 'Cisco XCP Router')).toMatchObject({ status: 'Stopped', reasonCode: -1019 });
    expect((await cli('clear', r.stdout.trim())).stdout).toBe(`cleared ${r.stdout.trim()}\n`);
    const after = (await api('/v1/state')).body.nodes.find((n: any) => n.name === 'imp01-pub');
    expect(after.ha).toEqual({ state: 'Failed Over', reason: 'Initialization or Critical Services Down' });
    const fb = await api('/v1/groups/imp01-prg1/fallback', { method: 'POST' });
    expect(fb.status).toBe(200);
    expect(fb.body.nodes[0].ha.state).toBe('Taking Back');
  });

  it('node-down closes the node’s listeners and clearing reopens them', async () => {
    expect(await accepts('127.24.1.2', 8443)).toBe(true);
    const r = await cli('node-down', 'cucm01-pub');
    expect(r.code).toBe(0);
    await until('listeners to close', async () => !(await accepts('127.24.1.2', 8443)));
    expect(await accepts('127.24.1.2', 2222)).toBe(false);
    expect((await cli('clear')).stdout).toMatch(/^cleared 1 fault\n$/);
    await until('listeners to reopen', async () => await accepts('127.24.1.2', 8443));
  });

  it('answers bad requests with errors that say what is wrong', async () => {
    const unknownKind = await cli('meltdown', 'imp01-pub');
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toMatch(/unknown fault kind 'meltdown'/);
    const unknownTarget = await cli('hang', 'imp07-pub');
    expect(unknownTarget.code).toBe(1);
    expect(unknownTarget.stderr).toMatch(/unknown target 'imp07-pub'/);
    const badParam = await cli('slow', 'imp01-pub', '--param', 'ms=fast');
    expect(badParam.code).toBe(1);
    expect(badParam.stderr).toMatch(/slow params: ms: /);
    const body = await api('/v1/faults', { method: 'POST', body: '{"kind":"hang"}' });
    expect(body.status).toBe(400);
    expect(body.body.error).toMatch(/target/);
    expect((await api('/v1/faults/f999', { method: 'DELETE' })).status).toBe(404);
    expect((await api('/v1/groups/imp01-prg1/recover', { method: 'POST' })).status).toBe(409);
    expect((await api('/v1/nowhere')).status).toBe(404);
  });

  it('reports per-node stats, and flag faults through the API', async () => {
    const stats = (await api('/v1/stats')).body;
    expect(Object.keys(stats.nodes)).toHaveLength(6);
    expect(stats.nodes['imp01-pub']).toHaveProperty('perfmonSessionsOpen');
    const f = await api('/v1/faults', { method: 'POST', body: JSON.stringify({ kind: 'rate-limit', target: 'imp02', params: { limit: 5 } }) });
    expect(f.status).toBe(201);
    expect(f.body.nodes).toEqual(['imp02-pub', 'imp02-sub1']);
    const state = (await api('/v1/state')).body;
    expect(state.nodes.find((n: any) => n.name === 'imp02-sub1').faults.rateLimit).toBe(5);
    expect((await api(`/v1/faults/${f.body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api('/v1/faults')).body.faults).toEqual([]);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => lab.once('exit', (code) => r(code)));
    lab.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/Lab stopped\./);
    expect(await accepts('127.24.1.10', 8443)).toBe(false);
  });
});
