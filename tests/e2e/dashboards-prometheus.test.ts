// Every panel of every Grafana dashboard returns data from a real Prometheus scraping
// `impulse collect` over the lab (template variables substituted: an IM&P cluster and its publisher);
// and with alerting.evaluation: prometheus, the dashboard's alerting shows what Prometheus evaluates
// from the generated rule file.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabHandle } from '../../lab/index';
import { DASHBOARDS, panelQueries } from '../../dashboards/index';
import { substitute } from '../../dashboards/query';
import { freePort, Processes, until } from './alerts-helpers';
import { renderRuleFile } from '../../alerts/render';
import { AlertingService } from '../../alerts/service';
import { resolveAlerting } from '../../alerts/settings';
import type { ImpulseConfig } from '../../config/schema';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { alertHistory } from '../../db/alerts';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded } from '../../config/resolve';

const HOST = '127.141.0.1';
const hasPrometheus = existsSync('/usr/bin/prometheus');
const procs = new Processes();
let dir: string;
let lab: LabHandle;
let promUrl = '';
let alertingConfig: ImpulseConfig;
let service: AlertingService | undefined;
let db: ImpulseDatabase | undefined;

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
  // The rule file as `impulse rules --config` renders it for this configuration (CriticalServiceDown after 5 s).
  alertingConfig = parse(readFileSync(file, 'utf8')) as ImpulseConfig;
  alertingConfig.alerting = { evaluation: 'prometheus', evaluationInterval: 2, rules: { CriticalServiceDown: { for: 5 } } };
  writeFileSync(path.join(dir, 'rules.yml'), renderRuleFile(resolveAlerting(alertingConfig, { dir }).catalogue));
  writeFileSync(
    promConfig,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [path.join(dir, 'rules.yml')],
      scrape_configs: [{ job_name: 'impulse', static_configs: [{ targets: [`${HOST}:${collectPort}`] }] }],
    }),
  );
  procs.run('/usr/bin/prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=${HOST}:${promPort}`, '--log.level=warn'], 'prometheus');
  promUrl = `http://${HOST}:${promPort}`;
  await until('Prometheus', 60_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), () => procs.tail());
}, 240_000);

afterAll(async () => {
  await service?.stop();
  db?.close();
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

  it('with alerting.evaluation: prometheus, shows the alerts Prometheus evaluates and records their history', async () => {
    alertingConfig.alerting!.prometheus = { url: promUrl };
    const settings = resolveAlerting(alertingConfig, { dir });
    db = openDatabase({ dataDir: dir, file: ':memory:' });
    service = new AlertingService({ settings, inventory: resolveLoaded(loadConfigFile(path.join(dir, 'impulse.config.yaml'))), db, log: () => {}, runbookDir: path.join(dir, 'none'), minGapMs: 0 });
    service.start();
    await until('the rules read from Prometheus', 30_000, () => (service!.snapshot().rules.every((r) => r.health === 'ok') ? true : undefined));
    expect(service.snapshot()).toMatchObject({ mode: 'prometheus', unavailable: undefined });
    const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'critical-service-down', target: 'imp02-sub1' }) });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    const alert = await until('CriticalServiceDown firing in Prometheus', 60_000, () =>
      service!.snapshot().alerts.find((a) => a.alertname === 'CriticalServiceDown' && a.node === 'imp02-sub1' && a.state === 'firing'),
    );
    expect(alert).toMatchObject({ cluster: 'imp02', severity: 'critical', labels: { service: 'Cisco Presence Engine', alertname: 'CriticalServiceDown' } });
    expect(alert.summary).toBe('Cisco Presence Engine is not running on imp02-sub1 (cluster imp02)');
    expect(service.firingCounts().critical).toBeGreaterThanOrEqual(1);
    await fetch(`${lab.controlUrl}/v1/faults/${id}`, { method: 'DELETE' });
    await until('the resolution in the history', 60_000, () => alertHistory(db!).find((r) => r.alertname === 'CriticalServiceDown' && r.node === 'imp02-sub1'));
  });
});
