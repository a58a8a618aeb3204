// `impulse start` with the built-in lab, seen through a real browser: the home page lists every
// lab node with its address and role, /metrics is served by the same server, and SIGTERM stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOutput } from '../helpers/child-output';

const root = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';

interface ManifestNode {
  name: string;
  cluster: string;
  product: 'cucm' | 'imp';
  role: 'publisher' | 'subscriber';
  host: string;
}

let child: ChildProcess;
let output = '';
let baseUrl: string;
let controlUrl: string;
let browser: Browser | undefined;
const labDir = mkdtempSync(path.join(tmpdir(), 'impulse-home-e2e-'));

const waitFor = (re: RegExp, ms: number) => waitForOutput(child, () => output, re, ms);

async function waitForChromium(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > end) throw new Error(`${CHROMIUM} not found (scripts/system-deps.sh installs it)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(async () => {
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.IMPULSE_CONFIG;
  // cwd is an empty directory, so no ./impulse.config.yaml is found and the lab starts.
  child = spawn(
    process.execPath,
    [
      path.join(root, 'bin/impulse.mjs'),
      'start',
      '--lab-clusters', '1',
      '--lab-nodes', '2',
      '--lab-address-base', '127.51',
      '--lab-control-port', '0',
      '--lab-dir', labDir,
      '--listen', '127.0.0.1:0',
    ],
    { cwd: labDir, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // Includes a production build of the dashboard when .next is missing or stale.
  baseUrl = (await waitFor(/IMPulse listening on (http:\/\/127\.0\.0\.1:\d+)\//, 240_000))[1];
  controlUrl = (await waitFor(/lab: control API (http:\/\/\S+)/, 5_000))[1].replace(/\/$/, '');
  await waitForChromium(120_000);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
  }
});

describe('impulse start (built-in lab) home page', () => {
  it('lists every lab node with its address, role, product and group', async () => {
    const manifest = (await (await fetch(`${controlUrl}/v1/manifest`)).json()) as { nodes: ManifestNode[]; clusters: { name: string; groups: { name: string; nodes: string[] }[] }[] };
    // One CUCM cluster (publisher) + one IM&P cluster of two nodes.
    expect(manifest.nodes).toHaveLength(3);
    const groupOf = new Map(manifest.clusters.flatMap((c) => c.groups.flatMap((g) => g.nodes.map((n) => [n, g.name] as const))));

    const page = await browser!.newPage();
    const response = await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('IMPulse');
    expect(await page.locator('[data-testid="config-path"]').innerText()).toContain('impulse.config.yaml');

    for (const node of manifest.nodes) {
      const row = page.locator(`section[data-cluster="${node.cluster}"] tr[data-node="${node.name}"]`);
      await expect(row.count()).resolves.toBe(1);
      expect(await row.locator('[data-field="host"]').innerText()).toBe(node.host);
      expect(await row.locator('[data-field="role"]').innerText()).toBe(node.role === 'publisher' ? 'Publisher' : 'Subscriber');
      expect(await row.locator('[data-field="product"]').innerText()).toBe(node.product === 'cucm' ? 'CUCM' : 'IM&P');
      if (node.product === 'imp') expect(await row.locator('[data-field="group"]').innerText()).toBe(groupOf.get(node.name));
    }
    // Nothing but the lab's nodes.
    await expect(page.locator('tr[data-node]').count()).resolves.toBe(manifest.nodes.length);
    // No credential of the lab reaches the browser.
    const manifestCreds = ((await (await fetch(`${controlUrl}/v1/manifest`)).json()) as { credentials: { axl: { password: string }; os: { password: string } } }).credentials;
    const html = await page.content();
    expect(html).not.toContain(manifestCreds.axl.password);
    expect(html).not.toContain(manifestCreds.os.password);
    await page.close();
  });

  it("shows each node's latest status per source once the collector has polled the lab", async () => {
    const page = await browser!.newPage();
    const nodes = async () => page.locator('tr[data-node]').count();
    const withOk = async () => page.locator('tr[data-node]:has(td.status.ok)').count();
    const end = Date.now() + 90_000;
    await page.goto(baseUrl);
    // Server-rendered: reload until every node has at least one source answered (bounded).
    while ((await withOk()) < (await nodes()) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 2_000));
      await page.reload();
    }
    expect(await withOk()).toBe(await nodes());
    // Status columns are named after the sources.
    const headers = await page.locator('section[data-cluster] thead th.status-col').allInnerTexts();
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) expect(['perfmon', 'services', 'ha', 'replication', 'certificates', 'peers', 'users', 'inventory']).toContain(h.toLowerCase());
    await page.close();
  });

  it('serves /metrics from the same server', async () => {
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^# HELP /m);
  });

  it('stops cleanly on SIGTERM, lab included', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    expect(code).toBe(0);
    await expect(fetch(`${controlUrl}/v1/manifest`)).rejects.toThrow();
  });
});
