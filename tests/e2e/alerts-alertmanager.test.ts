// `impulse start` with a real Alertmanager (Debian's prometheus-alertmanager) and a webhook
// receiver behind it: a lab fault becomes CriticalServiceDown at the receiver with the right labels
// and a runbook link that opens; a maintenance window on the cluster becomes an Alertmanager silence
// that holds back a second alert; cancelling it releases that alert; clearing the faults resolves.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabHandle } from '../../lab/index';
import { freePort, Processes, until, webhookReceiver } from './alerts-helpers';

const HOST = '127.142.0.1';
const AM_BIN = '/usr/bin/prometheus-alertmanager';
const available = existsSync(AM_BIN);
const procs = new Processes();
let dir: string;
let lab: LabHandle;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
let amUrl = '';
let impulseUrl = '';

interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Alerts the receiver got from Alertmanager, newest last. */
const received = (): AmAlert[] => receiver.messages.flatMap((m) => (m.body?.alerts ?? []) as AmAlert[]);

async function fault(kind: string, target: string, params?: Record<string, string>): Promise<string> {
  const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, target, params }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  if (!available) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-e2e-am-'));
  receiver = await webhookReceiver(HOST);
  const amPort = await freePort(HOST);
  amUrl = `http://${HOST}:${amPort}`;
  const amConfig = path.join(dir, 'alertmanager.yml');
  writeFileSync(
    amConfig,
    stringify({
      route: { receiver: 'hook', group_by: ['alertname', 'cluster'], group_wait: '1s', group_interval: '2s', repeat_interval: '1h' },
      receivers: [{ name: 'hook', webhook_configs: [{ url: receiver.url, send_resolved: true }] }],
    }),
  );
  procs.run(AM_BIN, [`--config.file=${amConfig}`, `--storage.path=${path.join(dir, 'am')}`, `--web.listen-address=${HOST}:${amPort}`, '--cluster.listen-address=', '--log.level=warn'], 'alertmanager');
  await until('Alertmanager', 60_000, async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined), () => procs.tail());

  lab = await startLab({ clusters: 1, nodes: 2, usersPerCluster: 300, addressBase: '127.142', controlPort: 0, dir: path.join(dir, 'lab') });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const cfg = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  cfg.polling = { perfmon: '5s', ha: '5s', services: '5s', replication: '5s' };
  cfg.limits = { requestTimeout: '3s', cliCommandTimeout: '5s' };
  cfg.server = { dataDir: path.join(dir, 'data') };
  // No sign-in (loopback only): this test is about alerting, the security tests cover sign-in.
  cfg.auth = { mode: 'none' };
  cfg.alerting = { evaluationInterval: '5s', resendDelay: '10s', alertmanagers: [{ url: amUrl }], rules: { CriticalServiceDown: { for: '5s' } } };
  writeFileSync(file, stringify(cfg));
  const impulse = procs.run(process.execPath, [path.join(__dirname, '../../bin/impulse.mjs'), 'start', '--config', file, '--listen', `${HOST}:0`], 'impulse', {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', IMPULSE_CONFIG: '' },
  });
  // Includes a production build of the dashboard when .next is missing or stale.
  impulseUrl = await until(
    'impulse start',
    280_000,
    () => {
      if (impulse.exitCode !== null) throw new Error(`impulse start exited with ${impulse.exitCode}: ${procs.output('impulse')}`);
      return /IMPulse listening on (http:\/\/\S+?)\/ /.exec(procs.output('impulse'))?.[1];
    },
    () => procs.tail(),
  );
}, 300_000);

afterAll(async () => {
  await procs.stopAll();
  await lab?.stop();
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('alerts through a real Alertmanager', () => {
  it('a critical service down reaches the receiver with its labels and a runbook link that opens', async () => {
    await fault('critical-service-down', 'imp01-sub1');
    const alert = await until(
      'CriticalServiceDown at the receiver',
      60_000,
      () => received().find((a) => a.status === 'firing' && a.labels.alertname === 'CriticalServiceDown' && a.labels.node === 'imp01-sub1'),
      () => `${procs.tail()}\nreceived: ${JSON.stringify(received())}`,
    );
    expect(alert.labels).toMatchObject({ severity: 'critical', cluster: 'imp01', node: 'imp01-sub1', service: 'Cisco Presence Engine' });
    expect(alert.annotations.summary).toBe('Cisco Presence Engine is not running on imp01-sub1 (cluster imp01)');
    expect(alert.annotations.runbook_url).toBe(`${impulseUrl}/alerts/runbooks/CriticalServiceDown`);
    const page = await fetch(alert.annotations.runbook_url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Confirm the fix');
  });

  it('a maintenance window on the cluster becomes a silence that holds back the next alert, and its cancellation releases it', async () => {
    const opened = await fetch(`${impulseUrl}/api/alerts/maintenance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cluster: 'imp01', duration: '1h', reason: 'upgrade to 15 SU3 (e2e)' }),
    });
    expect(opened.status).toBe(201);
    const window = (await opened.json()) as { id: number; silences: Record<string, string>; status: string };
    expect(window.status).toBe('active');
    const silenceId = window.silences[amUrl];
    expect(silenceId).toBeTruthy();
    const silence = (await (await fetch(`${amUrl}/api/v2/silence/${silenceId}`)).json()) as { status: { state: string }; matchers: Array<{ name: string; value: string }>; comment: string };
    expect(silence.status.state).toBe('active');
    expect(silence.matchers).toEqual([expect.objectContaining({ name: 'cluster', value: 'imp01', isEqual: true })]);
    expect(silence.comment).toBe(`IMPulse maintenance window #${window.id}: upgrade to 15 SU3 (e2e)`);

    // A second critical service goes down in the silenced cluster: Alertmanager has it, suppressed.
    const before = receiver.messages.length;
    await fault('service-stop', 'imp01-pub', { service: 'Cisco SIP Proxy' });
    await until(
      'the second alert suppressed in Alertmanager',
      60_000,
      async () => {
        const alerts = (await (await fetch(`${amUrl}/api/v2/alerts?filter=node%3D%22imp01-pub%22&filter=alertname%3D%22CriticalServiceDown%22`)).json()) as Array<{ status: { state: string; silencedBy: string[] } }>;
        return alerts.find((a) => a.status.state === 'suppressed' && a.status.silencedBy.includes(silenceId));
      },
      () => procs.tail(),
    );
    await new Promise((r) => setTimeout(r, 5000)); // more than group_wait + group_interval
    expect(receiver.messages.slice(before).flatMap((m) => m.body.alerts as AmAlert[]).filter((a) => a.labels.node === 'imp01-pub')).toEqual([]);

    const cancelled = await fetch(`${impulseUrl}/api/alerts/maintenance/${window.id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(((await (await fetch(`${amUrl}/api/v2/silence/${silenceId}`)).json()) as { status: { state: string } }).status.state).toBe('expired');
    const released = await until('the held alert after the window', 60_000, () => received().find((a) => a.status === 'firing' && a.labels.node === 'imp01-pub'), () => procs.tail());
    expect(released.labels).toMatchObject({ alertname: 'CriticalServiceDown', service: 'Cisco SIP Proxy' });
  });

  it('clearing the faults resolves the alert at the receiver', async () => {
    const res = await fetch(`${lab.controlUrl}/v1/faults`, { method: 'DELETE' });
    expect(res.ok).toBe(true);
    const resolved = await until(
      'CriticalServiceDown resolved',
      60_000,
      () => received().find((a) => a.status === 'resolved' && a.labels.alertname === 'CriticalServiceDown' && a.labels.node === 'imp01-sub1'),
      () => procs.tail(),
    );
    expect(resolved.labels.cluster).toBe('imp01');
    // Both nodes' services were cleared; each resolves on its own next poll, so wait for both.
    await until(
      'CriticalServiceDown resolved on imp01-pub too',
      60_000,
      () => received().find((a) => a.status === 'resolved' && a.labels.alertname === 'CriticalServiceDown' && a.labels.node === 'imp01-pub'),
      () => procs.tail(),
    );
    const active = await until(
      'no CriticalServiceDown left active in IMPulse',
      30_000,
      async () => {
        const history = (await (await fetch(`${impulseUrl}/api/alerts`)).json()) as { alerts: Array<{ alertname: string; node?: string }> };
        const left = history.alerts.filter((a) => a.alertname === 'CriticalServiceDown');
        return left.length === 0 ? left : undefined;
      },
      () => procs.tail(),
    );
    expect(active).toEqual([]);
  });
});
