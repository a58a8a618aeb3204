// The dashboard's pages in headless Chromium against `impulse start` with the built-in lab (one
// start for the file, lab clock 10× so the HA failover after a critical service stops takes 9 s):
// navigation without console errors, deep links that restore filters, CSV downloads that parse,
// keyboard navigation, live refresh without layout shift, and the done-when scenario —
// critical-service-down injected on an IM&P publisher from the Lab panel shows on /ha with Cisco's
// reason and advice, on the overview as a problem and on /events as transitions, while the node
// page draws a day of history. The README screenshots are taken here (docs/screenshots/).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/csv';
import { eventually, launchChromium, startImpulse, type Impulse } from '../helpers/impulse-start';
import { backfillDay } from './pages-history';

const root = path.resolve(__dirname, '../..');
const SCREENSHOTS = path.join(root, 'docs/screenshots');
// Four IM&P nodes per cluster: the lab's 75,000 users per cluster then fit the nodes' JSM capacity.
const LAB = { clusters: 2, nodes: 4, addressBase: '127.124' };
const TIME_SCALE = 10;
/** Collection intervals of the lab's configuration (config/schema.ts defaultIntervals), ms. */
const HA_INTERVAL = 30_000;
const SERVICES_INTERVAL = 60_000;
/** SRM Critical Service Down Delay, simulated (ha-pairs.ts SRM_DEFAULTS), in real ms at the lab's time scale. */
const FAILOVER_DELAY = (90_000 / TIME_SCALE) | 0;
/** A poll's own time, the history service's 5 s flush and the page's 5 s live refresh. */
const SLACK = 20_000;

let impulse: Impulse;
let browser: Browser;
const dir = mkdtempSync(path.join(tmpdir(), 'impulse-pages-e2e-'));
const consoleErrors: string[] = [];

async function open(p: string, viewport = { width: 1400, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${p}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${p}: ${e.message}`));
  const res = await page.goto(`${impulse.baseUrl}${p}`, { waitUntil: 'domcontentloaded' });
  expect(res?.status(), p).toBe(200);
  return page;
}

/** Keys reach a client component only once React has hydrated it (React tags hydrated elements). */
async function hydrated(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactProps'));
  }, selector);
}

async function download(page: Page, selector: string): Promise<string[][]> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return parseCsv(readFileSync((await d.path())!, 'utf8'));
}

beforeAll(async () => {
  // The past day of the lab's counters for imp01-pub, recorded through the product's own history
  // path before it starts (tests/e2e/pages-history.ts): the node page must draw a day.
  await backfillDay({ lab: LAB, dataDir: path.join(dir, 'data'), nodes: ['imp01-pub'], until: Date.now() - 30_000 });
  impulse = await startImpulse(
    [
      '--lab-clusters', String(LAB.clusters),
      '--lab-nodes', String(LAB.nodes),
      '--lab-address-base', LAB.addressBase,
      '--lab-control-port', '0',
      '--lab-time-scale', String(TIME_SCALE),
      '--lab-dir', path.join(dir, 'lab'),
      '--listen', '127.0.0.1:0',
    ],
    { cwd: dir },
  );
  browser = await launchChromium();
  // Every node polled at least once (the hourly and daily sources start within a minute).
  const page = await open('/');
  await eventually('every node polled', 120_000, async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    const chips = await page.locator('a[data-health]').count();
    const unknown = await page.locator('a[data-health="unknown"]').count();
    const certs = await page.locator('[data-testid="data-age"]').innerText();
    return chips === 10 && unknown === 0 && !/not polled yet/.test(certs);
  }, 2_000);
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  if (impulse) await impulse.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard pages (built-in lab)', () => {
  it('the overview shows the fleet healthy, with a strip per cluster and the navigation of every page', async () => {
    const page = await open('/');
    expect(await page.locator('[data-testid="node-count"]').innerText()).toBe('10');
    expect(await page.locator('[data-testid="problems"]').innerText()).toContain('Nothing is wrong: 10 of 10 nodes report healthy');
    expect(await page.locator('li[data-cluster]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-cluster'), e.getAttribute('data-verdict')]))).toEqual([
      ['cucm01', 'ok'],
      ['imp01', 'ok'],
      ['cucm02', 'ok'],
      ['imp02', 'ok'],
    ]);
    // Every page of the product is in the navigation; the Lab panel because the lab runs.
    const nav = await page.locator('nav[aria-label="Main"] a').allInnerTexts();
    expect(nav).toEqual(['Overview', 'Replication', 'High availability', 'Certificates', 'Services', 'Events', 'Alerts', 'Troubleshooter', 'Users', 'Readiness', 'Lab', 'Audit log', 'Accounts']);
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Overview');
    await page.close();
  });

  it('every page renders from the lab, each with its data age', async () => {
    for (const [p, marker] of [
      ['/clusters/imp01', '[data-testid="cluster-nodes"] tr[data-node="imp01-sub1"]'],
      ['/clusters/imp01/nodes/imp01-sub1', '[data-testid="node-services"] tr[data-service="Cisco XCP Router"][data-status="Started"]'],
      ['/replication', 'section[data-cluster="imp01"] tr[data-server="imp01-sub1"][data-setup-state="2"]'],
      ['/ha', 'article[data-group="imp01-prg1"][data-health="ok"]'],
      ['/certificates', '[data-testid="certificates"] tr[data-node="imp02-pub"][data-unit="tomcat"]'],
      ['/services', '[data-testid="services-matrix"] tr[data-service="Cisco Presence Engine"] td[data-node="imp02-sub1"][data-status="Started"]'],
      ['/events', '[data-testid="event-count"], [data-testid="events-unavailable"], .empty-state'],
      ['/lab', '[data-testid="inject-form"]'],
    ] as const) {
      const page = await open(p);
      await page.waitForSelector(marker, { timeout: 10_000 });
      if (p !== '/events' && p !== '/lab') expect(await page.locator('[data-testid="data-age"]').innerText(), p).toMatch(/Data collected up to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      await page.close();
    }
    // The cluster page says each node's address and role; the node page its sources.
    const cluster = await open('/clusters/imp01');
    expect(await cluster.locator('[data-testid="cluster-nodes"] tr[data-node="imp01-pub"]').innerText()).toMatch(/127\.124\.\d+\.\d+[\s\S]*Publisher/);
    await cluster.close();
  });

  it('deep links restore filters, and changing a filter updates the URL', async () => {
    const certs = await open('/certificates?cluster=imp01&unit=tomcat&sort=node&dir=desc');
    expect(await certs.locator('select[name="cluster"]').inputValue()).toBe('imp01');
    expect(await certs.locator('select[name="unit"]').inputValue()).toBe('tomcat');
    expect(await certs.locator('[data-testid="certificates"] tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-cluster')}/${r.getAttribute('data-node')}/${r.getAttribute('data-unit')}`))).toEqual(['imp01/imp01-sub3/tomcat', 'imp01/imp01-sub2/tomcat', 'imp01/imp01-sub1/tomcat', 'imp01/imp01-pub/tomcat']);
    expect(await certs.locator('th[aria-sort="descending"]').innerText()).toMatch(/Node/i);
    await certs.close();

    const svc = await open('/services?cluster=imp01&critical=1');
    expect(await svc.locator('input[name="critical"]').isChecked()).toBe(true);
    expect((await svc.locator('[data-testid="services-matrix"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-service')))).sort()).toEqual([
      'Cisco Client Profile Agent', 'Cisco Presence Engine', 'Cisco SIP Proxy', 'Cisco Sync Agent', 'Cisco XCP Router', 'Cisco XCP Text Conference Manager',
    ]);
    // A filter changed in the page goes into the URL (client-side, no reload).
    await svc.locator('input[name="notStarted"]').check();
    await svc.waitForURL(/notStarted=1/);
    expect(new URL(svc.url()).searchParams.get('cluster')).toBe('imp01');
    await svc.waitForSelector('text=No service matches these filters on this cluster');
    await svc.close();

    const ev = await open('/events?kind=ha&range=1h&cluster=imp01');
    expect([await ev.locator('select[name="kind"]').inputValue(), await ev.locator('select[name="range"]').inputValue(), await ev.locator('select[name="cluster"]').inputValue()]).toEqual(['ha', '1h', 'imp01']);
    await ev.close();

    const node = await open('/clusters/imp01/nodes/imp01-pub?range=6h');
    expect(await node.locator('.range-links a[aria-current="true"]').innerText()).toBe('6h');
    await node.close();
  });

  it('CSV downloads parse and hold the rows the page lists', async () => {
    const certs = await open('/certificates?cluster=imp02');
    const rows = await download(certs, '[data-testid="certificates-csv"]');
    expect(rows[0]).toEqual(['cluster', 'node', 'unit', 'store', 'subject', 'issuer', 'sans', 'serial', 'not_before', 'not_after', 'days_left', 'signed', 'verification', 'seen', 'status']);
    const listed = await certs.locator('[data-testid="certificates"] tbody tr').evaluateAll((trs) => trs.map((r) => `${r.getAttribute('data-node')}/${r.getAttribute('data-unit')}`));
    expect(rows.slice(1).map((r) => `${r[1]}/${r[2]}`)).toEqual(listed);
    expect(rows.slice(1).every((r) => r[0] === 'imp02' && /^\d{4}-\d\d-\d\dT/.test(r[9]) && Number.isInteger(Number(r[10])))).toBe(true);
    await certs.close();

    const svc = await open('/services?cluster=cucm01');
    const srows = await download(svc, '[data-testid="services-csv"]');
    expect(srows[0]).toEqual(['cluster', 'node', 'service', 'status', 'reason', 'reason_code', 'ha_critical', 'uptime_seconds']);
    const cells = await svc.locator('[data-testid="services-matrix"] td[data-status]').count();
    expect(srows.length - 1).toBe(cells);
    expect(srows.find((r) => r[2] === 'Cisco CallManager')).toEqual(expect.arrayContaining(['cucm01', 'cucm01-pub', 'Cisco CallManager', 'Started']));
    await svc.close();
  });

  it('keyboard: arrows move through a table and Enter opens a row; filters and sorting work from the keyboard', async () => {
    const page = await open('/certificates?cluster=imp01&sort=node');
    const region = page.locator('[role="region"][aria-label^="Certificates"]');
    await hydrated(page, '[role="region"][aria-label^="Certificates"]');
    await region.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-node'));
    const expected = await page.locator('[data-testid="certificates"] tbody tr').nth(1).getAttribute('data-node');
    expect(second).toBe(expected);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/clusters/imp01/nodes/${expected}#certificates$`));

    await page.goto(`${impulse.baseUrl}/certificates?cluster=imp01`);
    await page.locator('a[data-sort="daysLeft"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=daysLeft/);
    await hydrated(page, 'form.filters');
    await page.locator('select[name="status"]').focus();
    await page.keyboard.press('ArrowDown'); // All → Expired
    await page.waitForURL(/status=expired/);
    await page.waitForSelector('text=No certificate matches these filters');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('daysLeft');
    expect(new URL(page.url()).searchParams.get('status')).toBe('expired');
    await page.close();
  });

  it('live refresh re-renders in place: same elements, no layout shift', async () => {
    const page = await open('/');
    await page.evaluate(() => {
      const w = window as unknown as { shifts: { value: number; sources: string[] }[] };
      w.shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[]) {
          if (!e.hadRecentInput) w.shifts.push({ value: e.value, sources: (e.sources ?? []).map((x) => (x.node as Element | undefined)?.outerHTML?.slice(0, 100) ?? '?') });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const strip = await page.$('li[data-cluster="imp01"]');
    const before = await page.locator('[data-testid="data-age"]').innerText();
    // Two refreshes (every 5 s): the server components' payload is fetched and merged.
    for (let i = 0; i < 2; i++) await page.waitForRequest((r) => r.headers()['rsc'] === '1', { timeout: 15_000 });
    await eventually('data age updated', 15_000, async () => (await page.locator('[data-testid="data-age"]').innerText()) !== before);
    expect(await strip!.evaluate((e) => e.isConnected)).toBe(true);
    // Nothing moves when the same data is re-rendered (a new problem row would be a content change; the fleet is steady here).
    const shifts = await page.evaluate(() => (window as unknown as { shifts: { value: number; sources: string[] }[] }).shifts);
    expect(shifts.reduce((a, x) => a + x.value, 0), JSON.stringify(shifts)).toBeLessThan(0.001);
    await page.close();
  });

  it('done when: critical-service-down injected on an IM&P publisher from the Lab panel shows on /ha, the overview, /events and the node page', async () => {
    // Inject through the page (the form posts to the server, which calls the lab's control API).
    const lab = await open('/lab');
    await lab.selectOption('select[name="kind"]', 'critical-service-down');
    await lab.selectOption('select[name="target"]', 'imp01-pub');
    await Promise.all([lab.waitForURL(/\/lab\?done=/), lab.click('[data-testid="inject-form"] button[type="submit"]')]);
    const injectedAt = Date.now();
    expect(await lab.locator('[data-testid="lab-result"]').innerText()).toMatch(/^Injected critical-service-down on imp01-pub \(f\d+\): Cisco Presence Engine stopped/);
    expect(await lab.locator('[data-testid="active-faults"] tr[data-kind="critical-service-down"]').getAttribute('data-target')).toBe('imp01-pub');
    // The lab's credentials never reach the browser.
    const manifest = (await (await fetch(`${impulse.controlUrl}/v1/manifest`)).json()) as { credentials: { axl: { password: string }; os: { password: string } } };
    const html = await lab.content();
    expect(html).not.toContain(manifest.credentials.axl.password);
    expect(html).not.toContain(manifest.credentials.os.password);
    await lab.close();

    // /ha, left open: live refresh brings the failover in, with Cisco's reason and advice.
    const ha = await open('/ha');
    const pair = ha.locator('article[data-group="imp01-prg1"]');
    await ha.waitForSelector('article[data-group="imp01-prg1"][data-health="critical"] [data-row="P12"]', { timeout: FAILOVER_DELAY + 2 * HA_INTERVAL + SLACK });
    const haSeen = Date.now() - injectedAt;
    const text = await pair.innerText();
    expect(text).toMatch(/Failed Over with Critical Services not Running/i);
    expect(text).toContain('Reason: Critical Service Down');
    expect(text).toContain('Running in Backup Mode');
    expect(text).toContain('Cisco P12: A critical service is down on node 1. IM and Presence Service performs an automatic failover to node 2.');
    expect(text).toContain('Check node 1 for any critical services that are down and try to manually start those services.');
    expect(haSeen).toBeLessThanOrEqual(FAILOVER_DELAY + 2 * HA_INTERVAL + SLACK);
    await ha.screenshot({ path: path.join(SCREENSHOTS, 'ha.png'), fullPage: true });
    await ha.close();

    // The overview lists it (and the stopped service, within two services intervals) as problems, worst first.
    const overview = await open('/');
    await overview.waitForSelector('tr[data-problem="ha"][data-node="imp01-pub"]', { timeout: 10_000 });
    await overview.waitForSelector('tr[data-problem="service"][data-node="imp01-pub"]', { timeout: Math.max(0, 2 * SERVICES_INTERVAL + SLACK - (Date.now() - injectedAt)) });
    const first = await overview.locator('[data-testid="problems"] tbody tr').first().innerText();
    expect(first).toMatch(/Critical[\s\S]*imp01[\s\S]*imp01-pub[\s\S]*HA imp01-prg1: imp01-pub Failed Over with Critical Services not Running \(Critical Service Down\)/i);
    expect(await overview.locator('li[data-cluster="imp01"]').getAttribute('data-verdict')).toBe('critical');
    expect(await overview.locator('li[data-cluster]').first().getAttribute('data-cluster')).toBe('imp01');
    // "Since": from the event log once the transition is recorded.
    await eventually('since from the event log', 30_000, async () => (await overview.locator('tr[data-problem="ha"] [data-basis="event"]').count()) > 0);
    await overview.screenshot({ path: path.join(SCREENSHOTS, 'overview.png'), fullPage: true });
    await overview.close();

    // /events: the transitions, newest first.
    const events = await open('/events?cluster=imp01&range=1h');
    await eventually('transitions in the event log', 30_000, async () => {
      await events.reload({ waitUntil: 'domcontentloaded' });
      return (await events.locator('tr[data-kind="ha"][data-node="imp01-pub"]').count()) > 0 && (await events.locator('tr[data-kind="service"][data-node="imp01-pub"]').count()) > 0;
    });
    expect(await events.locator('tr[data-kind="ha"][data-node="imp01-pub"]').first().innerText()).toMatch(/imp01-prg1[\s\S]*→ Failed Over with Critical Services not Running/i);
    expect(await events.locator('tr[data-kind="ha"][data-node="imp01-sub1"]').first().innerText()).toMatch(/Normal → Running in Backup Mode/);
    expect(await events.locator('tr[data-kind="service"][data-node="imp01-pub"]').first().innerText()).toMatch(/Cisco Presence Engine[\s\S]*Started → Stopped[\s\S]*Component is not running/);
    await events.close();

    // The node page: the problem, and a day of history drawn (the backfilled day plus what was collected since).
    const node = await open('/clusters/imp01/nodes/imp01-pub?range=24h', { width: 1400, height: 2300 });
    await node.waitForSelector('figure[data-series="cpu"] svg path.recharts-curve', { timeout: 15_000 });
    expect(await node.locator('[data-testid="history-unavailable"]').count()).toBe(0);
    const points = Number(await node.locator('figure[data-series="cpu"]').getAttribute('data-points'));
    expect(points).toBeGreaterThan(200); // of 241 buckets in 24 h: the whole day, not the last minutes
    expect(await node.locator('figure[data-series="active-jsm-sessions"]').count()).toBe(1);
    expect(await node.locator('#node-problems ~ * tr[data-problem="ha"], section:has(#node-problems) tr[data-problem="ha"]').count()).toBeGreaterThan(0);
    await node.screenshot({ path: path.join(SCREENSHOTS, 'node.png') });
    await node.close();
  });

  it('the Lab panel clears the fault; the lab refuses a cross-site post', async () => {
    const lab = await open('/lab');
    await Promise.all([lab.waitForURL(/\/lab\?done=Cleared/), lab.click('[data-testid="active-faults"] tr[data-kind="critical-service-down"] button')]);
    expect(await lab.locator('[data-testid="active-faults"]').count()).toBe(0);
    await lab.close();
    const res = await fetch(`${impulse.baseUrl}/lab/actions`, { method: 'POST', headers: { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=clear-all', redirect: 'manual' });
    expect(res.status).toBe(403);
  });

  it('no page logged a console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});

mkdirSync(SCREENSHOTS, { recursive: true });
