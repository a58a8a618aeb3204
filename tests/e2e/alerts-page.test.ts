// The issue's "done when", through a real browser: `impulse start` with the built-in lab,
// `critical-service-down` injected, CriticalServiceDown shows on /alerts pending, then firing, with
// its runbook; a maintenance window opened from the page's form keeps it quiet and is cancelled
// from the page; once the fault clears, the alert moves to the resolved history. The README
// screenshots of /alerts and a runbook are taken here (docs/screenshots/).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Processes, root, until } from './alerts-helpers';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(root, 'docs/screenshots');
const procs = new Processes();
const dir = mkdtempSync(path.join(tmpdir(), 'impulse-alerts-page-'));
let baseUrl = '';
let controlUrl = '';
let browser: Browser | undefined;
let page: Page;

const row = (state?: string) => page.locator(`section[data-cluster="imp01"] tr[data-alert="CriticalServiceDown"][data-node="imp01-sub1"]${state ? `[data-state="${state}"]` : ''}`);

/** Reloads /alerts until `ready` holds (server-rendered; the page also refreshes itself every 5 s). */
async function reloadUntil(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  await until(
    what,
    timeoutMs,
    async () => {
      await page.goto(`${baseUrl}/alerts`, { waitUntil: 'domcontentloaded' });
      return (await ready()) ? true : undefined;
    },
    () => procs.tail(),
  );
}

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.IMPULSE_CONFIG;
  // cwd is an empty directory: no ./impulse.config.yaml, so the built-in lab starts.
  const child = procs.run(
    process.execPath,
    [path.join(root, 'bin/impulse.mjs'), 'start', '--lab-clusters', '1', '--lab-nodes', '2', '--lab-address-base', '127.144', '--lab-control-port', '0', '--lab-dir', path.join(dir, 'lab'), '--listen', '127.144.0.1:0'],
    'impulse',
    { cwd: dir, env },
  );
  baseUrl = await until('impulse start', 280_000, () => {
    if (child.exitCode !== null) throw new Error(`impulse start exited with ${child.exitCode}: ${procs.output('impulse')}`);
    return /IMPulse listening on (http:\/\/\S+?)\/ /.exec(procs.output('impulse'))?.[1];
  });
  controlUrl = (/lab: control API (http:\/\/\S+)/.exec(procs.output('impulse'))?.[1] ?? '').replace(/\/$/, '');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await procs.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('/alerts with the built-in lab', () => {
  it('shows CriticalServiceDown pending, then firing, with its summary, node link and runbook', async () => {
    // Once the services have been polled the collector's view is complete; then break the node.
    await until('the first services poll', 90_000, async () => {
      const r = await fetch(`${baseUrl}/api/alerts`);
      const body = (await r.json()) as { evaluatedAt?: number; rules: Array<{ health: string }> };
      return body.evaluatedAt && body.rules.every((x) => x.health === 'ok') ? true : undefined;
    });
    const res = await fetch(`${controlUrl}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'critical-service-down', target: 'imp01-sub1' }) });
    expect(res.status).toBe(201);

    // Services are polled every 60 s by default, and CriticalServiceDown waits one minute.
    await reloadUntil('CriticalServiceDown pending', 150_000, async () => (await row('pending').count()) === 1);
    expect(await row().locator('[data-field="severity"]').innerText()).toBe('critical');
    expect(await row().locator('[data-field="state"]').innerText()).toMatch(/pending/i);

    await reloadUntil('CriticalServiceDown firing', 150_000, async () => (await row('firing').count()) === 1);
    const r = row('firing');
    expect(await r.locator('[data-field="summary"]').innerText()).toContain('Cisco Presence Engine is not running on imp01-sub1 (cluster imp01)');
    expect(await r.locator('[data-field="node"] a').getAttribute('href')).toBe('/clusters/imp01/nodes/imp01-sub1');
    expect(await r.locator('[data-field="since"] time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await page.locator('[data-count="critical"]').innerText()).toMatch(/^[1-9]\d* critical$/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts.png'), fullPage: true });

    await r.locator('a[data-field="runbook"]').click();
    await page.waitForURL(/\/alerts\/runbooks\/CriticalServiceDown$/);
    await expect(page.locator('[data-testid="runbook"] h1').innerText()).resolves.toBe('CriticalServiceDown');
    expect(await page.locator('[data-testid="runbook"] h2').allInnerTexts()).toEqual(expect.arrayContaining(['What it means', 'What users see', 'What to do', 'Confirm the fix']));
    expect(await page.locator('[data-testid="active"]').innerText()).toContain('imp01-sub1');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-runbook.png'), fullPage: true });
  });

  it('a maintenance window opened from the form keeps it quiet, and the page cancels it', async () => {
    await page.goto(`${baseUrl}/alerts`, { waitUntil: 'load' });
    // The form is a client component: wait until it is hydrated (it knows the browser's time zone).
    const form = page.locator('[data-testid="maintenance-form"][data-ready="true"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('select[name="cluster"]').selectOption('imp01');
    await form.locator('select[name="duration"]').selectOption('1h');
    await form.locator('input[name="reason"]').fill('upgrade to 15 SU3, change 4711');
    await form.locator('button[type="submit"]').click();
    await expect(form.locator('[role="status"]').innerText()).resolves.toMatch(/Maintenance window #\d+ opened for cluster imp01/);
    await reloadUntil('the alert under maintenance', 30_000, async () => (await row('firing').locator('[data-field="maintenance"]').count()) === 1);
    expect(await row('firing').locator('[data-field="maintenance"]').innerText()).toContain('upgrade to 15 SU3, change 4711');
    const win = page.locator('[data-testid="windows"] tr[data-status="active"]');
    expect(await win.count()).toBe(1);
    expect(await win.innerText()).toContain('anonymous');
    expect(await page.locator('[data-count="critical"]').innerText()).toBe('0 critical');

    await win.locator('button', { hasText: 'Cancel' }).click();
    await reloadUntil('the window cancelled', 30_000, async () => (await page.locator('[data-testid="no-windows"]').count()) === 1);
    expect(await row('firing').locator('[data-field="maintenance"]').count()).toBe(0);
  });

  it('moves the alert to the resolved history once the fault clears', async () => {
    expect((await fetch(`${controlUrl}/v1/faults`, { method: 'DELETE' })).ok).toBe(true);
    await reloadUntil('CriticalServiceDown resolved', 150_000, async () => (await row().count()) === 0 && (await page.locator('#history tr[data-history="CriticalServiceDown"]').count()) > 0);
    expect(await page.locator('#history tr[data-history="CriticalServiceDown"]').first().innerText()).toContain('imp01-sub1');
  });
});
