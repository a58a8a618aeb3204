// Issue 8's "Done when", through a real browser: `impulse start` with the built-in lab; duplicate users
// across two clusters and an expiring certificate seeded through the lab's control API; the
// troubleshooter run from /troubleshooter shows U1/U3 Failed naming every affected user with its
// cluster and node and Cisco's fix text, the certificate check Warning, everything else Passed (the
// Associated Users check is Skipped: no API shows that panel); `impulse validate-users` prints the
// same users in Cisco's report layout; `impulse readiness` exits 2 naming the reasons; after the
// faults are cleared a new run shows them as fixed in the diff. Screenshots for the README.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOutput } from '../helpers/child-output';

const root = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(root, 'docs/screenshots');

let child: ChildProcess;
let output = '';
let baseUrl: string;
let controlUrl: string;
let browser: Browser | undefined;
const labDir = mkdtempSync(path.join(tmpdir(), 'impulse-diag-e2e-'));

interface AlteredUser {
  index: number;
  userid: string;
  directoryuri: string;
  homeNode: string;
}

const waitFor = (re: RegExp, ms: number) => waitForOutput(child, () => output, re, ms);

async function control<T>(method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${controlUrl}${p}`, { method, headers: body ? { 'content-type': 'application/json' } : undefined, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs the impulse CLI against the lab's configuration (same data dir as the server: cwd). */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/impulse.mjs'), ...args, '--config', path.join(labDir, 'impulse.config.yaml')], { cwd: labDir, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the troubleshooter from the page and waits until its results are shown. */
async function runFromPage(page: Page): Promise<number> {
  await page.goto(`${baseUrl}/troubleshooter`, { waitUntil: 'domcontentloaded' });
  const before = await page.locator('[data-testid="run"]').getAttribute('data-run').catch(() => null);
  await page.locator('[data-testid="run-button"]').click();
  await page.waitForFunction((prev) => {
    const el = document.querySelector('[data-testid="run"]');
    return el && el.getAttribute('data-run') !== prev;
  }, before, { timeout: 60_000 });
  const id = Number(await page.locator('[data-testid="run"]').getAttribute('data-run'));
  // The live progress shows, then the stored results replace it.
  await page.waitForSelector(`[data-testid="run"][data-run="${id}"][data-run-status="completed"]`, { timeout: 240_000 });
  await page.waitForSelector('tr[data-check="PLAT-VERSIONS"]', { timeout: 30_000 });
  return id;
}

const status = (page: Page, check: string) => page.locator(`tr[data-check="${check}"]`).first().getAttribute('data-status');

beforeAll(async () => {
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.IMPULSE_CONFIG;
  child = spawn(
    process.execPath,
    [path.join(root, 'bin/impulse.mjs'), 'start', '--lab-clusters', '2', '--lab-nodes', '4', '--lab-address-base', '127.136', '--lab-control-port', '0', '--lab-dir', labDir, '--listen', '127.0.0.1:0'],
    { cwd: labDir, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  baseUrl = (await waitFor(/IMPulse listening on (http:\/\/127\.0\.0\.1:\d+)\//, 280_000))[1];
  controlUrl = (await waitFor(/lab: control API (http:\/\/\S+)/, 5_000))[1].replace(/\/$/, '');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(labDir, { recursive: true, force: true });
});

describe('the troubleshooter, user validation and readiness on the lab', () => {
  let altered: AlteredUser[];
  let firstRun: number;

  it('a healthy lab passes every check', async () => {
    const page = await browser!.newPage();
    await runFromPage(page);
    const rows = await page.locator('tr[data-check]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-check')}:${tr.getAttribute('data-status')}`));
    expect(rows.length).toBe(29);
    // 75,000 users per cluster on four nodes: each node stays within its JSM session threshold.
    expect(rows.filter((r) => !r.endsWith(':passed'))).toEqual(['IC-PEER-USERS:skipped']);
    await page.close();
  });

  it('with duplicate users and an expiring certificate: U1/U3 Failed naming every user, the certificate Warning, everything else Passed', async () => {
    await control('POST', '/v1/faults', { kind: 'duplicate-users', target: 'imp02', params: { count: 6, field: 'both', from: 'imp01', mailid: 'keep' } });
    await control('POST', '/v1/faults', { kind: 'cert-expiring', target: 'imp01-pub' });
    altered = (await control<{ users: AlteredUser[] }>('GET', '/v1/clusters/imp02/anomalies')).users;
    expect(altered).toHaveLength(6);

    const page = await browser!.newPage({ viewport: { width: 1440, height: 1000 } });
    firstRun = await runFromPage(page);
    const rows = await page.locator('tr[data-check]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-check')}:${tr.getAttribute('data-status')}`));
    expect(rows.filter((r) => !r.endsWith(':passed')).sort()).toEqual(['CERT-EXPIRING:warning', 'IC-PEER-USERS:skipped', 'U1:failed', 'U3:failed']);

    const flagged: string[] = [];
    for (const check of ['U1', 'U3']) {
      const row = page.locator(`tr[data-check="${check}"]`);
      const itemsRow = page.locator(`tr[data-items-for="${check}"]`);
      await itemsRow.locator('details summary').click();
      const items = await itemsRow.locator('tr[data-item]').evaluateAll((trs) => trs.map((tr) => ({ user: tr.getAttribute('data-item')!, where: tr.getAttribute('data-where')! })));
      // Each of the three duplicated values is held by an imp02 user and the imp01 user it was taken from.
      expect(items).toHaveLength(6);
      expect(items.filter((i) => i.where.startsWith('imp01 / ')).length).toBe(3);
      expect(items.filter((i) => i.where.startsWith('imp02 / ')).length).toBe(3);
      flagged.push(...items.filter((i) => i.where.startsWith('imp02 / ')).map((i) => `${i.user} on ${i.where}`));
      const solution = await row.locator('td').nth(3).innerText();
      expect(solution).toContain('unassign the user from one of the clusters');
      expect(solution).toContain(check === 'U1' ? 'rename the UserID value for one of the users' : 'rename the Directory URI value for one of the users');
      expect(await row.locator('td').nth(3).locator('a', { hasText: 'fix: End User Configuration' }).count()).toBe(2);
      expect(await itemsRow.locator('a', { hasText: /^fix$/ }).first().getAttribute('href')).toMatch(/\/ccmadmin\/userEdit\.do\?key=/);
    }
    // Every user the fault altered is named, with its cluster and home node, by U1 or U3.
    expect(flagged.sort()).toEqual(altered.map((u) => `${u.userid} on imp02 / ${u.homeNode}`).sort());
    const cert = page.locator('tr[data-items-for="CERT-EXPIRING"]');
    await cert.locator('details summary').click();
    expect(await cert.locator('tr[data-item]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-where')}:${tr.getAttribute('data-item')}`))).toEqual(['imp01 / imp01-pub:cup-xmpp on imp01-pub']);
    // The picture for the README: the failed user checks with their affected users.
    await page.locator('tr[data-check="U1"]').evaluate((tr) => tr.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS, 'troubleshooter.png'), fullPage: false });

    // /users lists the same users, filterable, with the CSV of the same view.
    await page.goto(`${baseUrl}/users?run=${firstRun}&check=U1`);
    const users = await page.locator('[data-testid="users-table"] tr[data-user]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-cluster')}:${tr.getAttribute('data-user')}`));
    expect(users).toHaveLength(6);
    await page.screenshot({ path: path.join(SHOTS, 'users.png'), fullPage: false });
    const csv = await (await fetch(`${baseUrl}/api/diagnostics/runs/${firstRun}/export?format=users-csv&check=U1`)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(7);
    await page.close();
  });

  it('impulse validate-users prints the same users in the layout of utils users validate all', () => {
    const r = cli('validate-users');
    expect(r.status).toBe(2);
    const text = r.stdout;
    expect(text).toMatch(/^Users with Duplicate User IDs\n-{45}\n/);
    expect(text).toContain('\nUsers with No Directory URI Configured\n' + '-'.repeat(53) + '\n');
    expect(text).toContain('\nUsers with Duplicate Directory URIs\n' + '-'.repeat(53) + ' \n');
    const idSection = text.slice(0, text.indexOf('Users with No Directory URI'));
    const uriSection = text.slice(text.indexOf('Users with Duplicate Directory URIs'));
    for (const u of altered) {
      const asId = idSection.includes(` User ID: ${u.userid}\n`);
      const asUri = uriSection.toLowerCase().includes(`directory uri: ${u.directoryuri.toLowerCase()}\n`);
      expect(asId || asUri, u.userid).toBe(true);
      if (asId) expect(idSection).toMatch(new RegExp(` User ID: ${u.userid}\\n  Node Name\\n(  \\S+\\n){2}`));
      if (asUri) expect(uriSection).toContain(` ${u.homeNode.padEnd(12)}${u.userid}\n`);
    }
    expect(idSection.match(/ User ID: /g)).toHaveLength(3);
    expect(uriSection.match(/Directory URI: /g)).toHaveLength(3);
  });

  it('impulse readiness exits 2 naming the reasons; the HTML report is written', async () => {
    const html = path.join(labDir, 'readiness.html');
    const r = cli('readiness', '--html', html);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/No-Go\s+imp01\n\s+reason : U1 Verify all users have a unique User ID configured\. \(3\)/);
    expect(r.stdout).toMatch(/No-Go\s+imp02/);
    expect(r.stdout).toContain('U3 Verify all users have a unique Directory URI configured.');
    expect(r.stdout).toContain('CERT-EXPIRING Verify no certificate expires soon.');
    expect(r.stdout).toMatch(/Go\s+cucm01/);
    expect(readFileSync(html, 'utf8')).toContain('Pre-upgrade readiness report');
    // The CLI's runs are recorded as cli:<user> and shown on the dashboard.
    const page = await browser!.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${baseUrl}/readiness`);
    expect(await page.locator('[data-verdict="No-Go"]').count()).toBe(2);
    expect(await page.locator('[data-testid="run"]').innerText()).toMatch(/by cli:/);
    // The engineer ticks a manual item; it is saved with the run.
    await page.locator('[data-item="drs-backup"] input').check();
    await page.waitForFunction(() => document.querySelector('[data-item="drs-backup"]')?.textContent?.includes('confirmed by anonymous'), undefined, { timeout: 15_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'readiness.png'), fullPage: false });
    await page.close();
  });

  it('after the faults are cleared a new run shows them as fixed in the diff', async () => {
    await control('DELETE', '/v1/faults');
    const page = await browser!.newPage();
    const second = await runFromPage(page);
    expect(second).toBeGreaterThan(firstRun);
    for (const check of ['U1', 'U3', 'CERT-EXPIRING']) expect(await status(page, check), check).toBe('passed');
    // The diff is against the previous troubleshooter run (the faulty one).
    await page.goto(`${baseUrl}/troubleshooter?run=${second}&compare=${firstRun}`);
    expect(await page.locator('[data-testid="diff-new"]').innerText()).toBe('0 new problems');
    expect(await page.locator('[data-testid="diff-fixed"]').innerText()).toBe('13 fixed');
    const fixed = await page.locator('[data-testid="diff-fixed-items"] tr[data-item]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item')));
    for (const u of altered) expect(fixed.some((f) => f === `U1: ${u.userid}` || f === `U3: ${u.userid}`), u.userid).toBe(true);
    expect(fixed).toContain('CERT-EXPIRING: cup-xmpp on imp01-pub');
    expect(await page.locator('[data-changed="U1"]').innerText()).toContain('failed → passed');
    await page.close();
  });

  it('no credential of the lab reaches the pages', async () => {
    const manifest = (await control<{ credentials: { axl: { password: string }; os: { password: string } } }>('GET', '/v1/manifest')).credentials;
    for (const p of ['/troubleshooter', '/users', '/readiness']) {
      const html = await (await fetch(`${baseUrl}${p}`)).text();
      expect(html).not.toContain(manifest.axl.password);
      expect(html).not.toContain(manifest.os.password);
    }
    expect(existsSync(path.join(labDir, 'data', 'impulse.db'))).toBe(true);
  });
});
