// Every panel of every Grafana dashboard returns data from a real Prometheus scraping
// `impulse collect` over the lab (template variables substituted: an IM&P cluster and its publisher).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabHandle } from '../../lab/index';
import { DASHBOARDS, panelQueries } from '../../dashboards/index';
import { substitute } from '../../dashboards/query';
import { freePort, Processes, until } from './alerts-helpers';

const HOST = '127.141.0.1';
const hasPrometheus = existsSync('/usr/bin/prometheus');
const procs = new Processes();
let dir: string;
let lab: LabHandle;
let promUrl = '';

async function query(promql: string): Promise<unknown[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
  return body.data.result;
}

beforeAll(async () => {
  if (!hasPrometheus) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-e2e-dash-'));
  lab = await startLab({ clusters: 2, nodes: 2, usersPerCluster: 300, addressBase: '127.141', controlPort: 0, dir });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Every source early and often, so each panel has data within a minute.
  cfg.polling = { perfmon: '5s', ha: '5s', services: '5s', replication: '5s', peers: '10s', certificates: '20s', users: '20s', inventory: '20s' };
  cfg.limits = { requestTimeout: '3s', cliCommandTimeout: '5s' };
  writeFileSync(file, stringify(cfg));
  const [collectPort, promPort] = [await freePort(HOST), await freePort(HOST)];
  procs.run(process.execPath, ['bin/impulse.mjs', 'collect', '--config', file, '--listen', `${HOST}:${collectPort}`], 'collect');
  await until('the collector', 60_000, async () => ((await fetch(`http://${HOST}:${collectPort}/metrics`)).ok ? true : undefined), () => procs.tail());
  const promConfig = path.join(dir, 'prometheus.yml');
  writeFileSync(promConfig, stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: [{ job_name: 'impulse', static_configs: [{ targets: [`${HOST}:${collectPort}`] }] }] }));
  procs.run('/usr/bin/prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=${HOST}:${promPort}`, '--log.level=warn'], 'prometheus');
  promUrl = `http://${HOST}:${promPort}`;
  await until('Prometheus', 60_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), () => procs.tail());
}, 240_000);

afterAll(async () => {
  await procs.stopAll();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasPrometheus)('Grafana dashboards against Prometheus scraping the lab', () => {
  it('every panel query returns data', async () => {
    const values = { cluster: 'imp01', node: 'imp01-pub' };
    const all = DASHBOARDS.flatMap((d) => panelQueries(d.build()).map((q) => ({ dashboard: d.file, ...q, promql: substitute(q.expr, values) })));
    expect(all.length).toBeGreaterThan(50);
    const missing = async () => {
      const out: string[] = [];
      for (const q of all) if ((await query(q.promql)).length === 0) out.push(`${q.dashboard} / ${q.panel}: ${q.promql}`);
      return out;
    };
    // Sources poll at different intervals: wait (bounded) until every panel has data, then report.
    await until('data for every panel', 150_000, async () => ((await missing()).length === 0 ? true : undefined)).catch(() => undefined);
    const empty = await missing();
    expect(empty).toEqual([]);
  });
});
