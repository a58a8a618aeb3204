// A real Prometheus scrapes two `impulse collect --shard i/2` processes over one lab fleet:
// PromQL sees every node exactly once, and a fault injected in the lab shows within two intervals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabHandle } from '../../lab/index';
import { freePort, until as waitUntil } from '../helpers/net';

const HOST = '127.73.0.1';
const INTERVAL_S = 5;
const SCRAPE_S = 1;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hasPrometheus = existsSync('/usr/bin/prometheus');

let dir: string;
let lab: LabHandle;
const children: ChildProcess[] = [];
let promUrl = '';
const logs: string[] = [];

function run(cmd: string, args: string[], name: string): ChildProcess {
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    logs.push(`[${name}] ${d.toString()}`);
    if (logs.length > 400) logs.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  children.push(child);
  return child;
}

/** Waits for a probe, printing the processes' last output when it times out. */
const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) => waitUntil(what, timeoutMs, probe, () => logs.slice(-30).join(''));

async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
  return body.data.result;
}

beforeAll(async () => {
  if (!hasPrometheus) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-e2e-prom-'));
  lab = await startLab({ clusters: 2, nodes: 3, usersPerCluster: 300, addressBase: '127.73', controlPort: 0, dir });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  // Short intervals so the fault shows within seconds (the product defaults are 30 s and 60 s).
  const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  cfg.polling = { perfmon: INTERVAL_S, ha: INTERVAL_S, services: INTERVAL_S, replication: INTERVAL_S };
  cfg.limits = { requestTimeout: 2, cliCommandTimeout: 4 };
  writeFileSync(file, stringify(cfg));

  const ports = [await freePort(HOST), await freePort(HOST), await freePort(HOST)];
  for (const i of [1, 2]) run(process.execPath, ['bin/impulse.mjs', 'collect', '--config', file, '--shard', `${i}/2`, '--listen', `${HOST}:${ports[i - 1]}`], `collect ${i}/2`);
  for (const p of ports.slice(0, 2)) await until(`collector on ${p}`, 60_000, async () => ((await fetch(`http://${HOST}:${p}/metrics`)).ok ? true : undefined));

  const promConfig = path.join(dir, 'prometheus.yml');
  writeFileSync(
    promConfig,
    stringify({
      global: { scrape_interval: `${SCRAPE_S}s`, evaluation_interval: `${SCRAPE_S}s` },
      scrape_configs: [{ job_name: 'impulse', static_configs: [{ targets: ports.slice(0, 2).map((p) => `${HOST}:${p}`) }] }],
    }),
  );
  run('/usr/bin/prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=${HOST}:${ports[2]}`, '--log.level=warn'], 'prometheus');
  promUrl = `http://${HOST}:${ports[2]}`;
  await until('prometheus ready', 60_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined));
}, 240_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasPrometheus)('Prometheus over two collector shards', () => {
  it('sees every node exactly once, split between the two shards', async () => {
    const nodes = lab.deployment.nodes.map((n) => n.name).sort();
    const seen = await until('every node in impulse_node_info', 60_000, async () => {
      const r = await query('count by (cluster, node) (impulse_node_info)');
      return r.length === nodes.length ? r : undefined;
    });
    expect(seen.map((s) => s.metric.node).sort()).toEqual(nodes);
    expect(seen.every((s) => s.value[1] === '1')).toBe(true);
    // No node is polled by both shards, and both shards poll something.
    const perShard = await query('count by (instance) (impulse_node_info)');
    expect(perShard).toHaveLength(2);
    expect(perShard.reduce((a, s) => a + Number(s.value[1]), 0)).toBe(nodes.length);
    const dup = await query('count by (cluster, node) (count by (cluster, node, instance) (impulse_target_up{source="perfmon"})) > 1');
    expect(dup).toEqual([]);
    const up = await until('every perfmon target up', 60_000, async () => {
      const r = await query('impulse_target_up{source="perfmon"} == 1');
      return r.length === nodes.length ? r : undefined;
    });
    expect(up).toHaveLength(nodes.length);
  });

  it('shows a node-down fault within two intervals, with the reason', async () => {
    const node = 'imp01-sub1';
    const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'node-down', target: node }) });
    expect(res.ok).toBe(true);
    const injected = Date.now();
    await until('the fault in Prometheus', 2 * INTERVAL_S * 1000 + 3 * SCRAPE_S * 1000, async () => {
      const r = await query(`impulse_last_error_info{node="${node}",source="perfmon",reason="connection"} == 1`);
      return r.length === 1 ? r : undefined;
    });
    const elapsed = (Date.now() - injected) / 1000;
    expect(elapsed).toBeLessThanOrEqual(2 * INTERVAL_S + 3 * SCRAPE_S);
    const healthy = await query(`impulse_target_up{source="perfmon",node!="${node}"} == 1`);
    expect(healthy).toHaveLength(lab.deployment.nodes.length - 1);
  });
});
