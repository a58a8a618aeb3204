// `impulse start` with the built-in lab, seen through a real browser: the overview lists every lab
// node in its cluster's strip, each cluster page gives every node's address and role, the nodes
// turn from "no data yet" to a health once polled, /metrics is served by the same server, and
// SIGTERM stops everything.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchChromium, startImpulse, type Impulse } from '../helpers/impulse-start';

interface ManifestNode {
  name: string;
  cluster: string;
  product: 'cucm' | 'imp';
  role: 'publisher' | 'subscriber';
  host: string;
}

let impulse: Impulse;
let browser: Browser | undefined;
const labDir = mkdtempSync(path.join(tmpdir(), 'impulse-home-e2e-'));

beforeAll(async () => {
  // cwd is an empty directory, so no ./impulse.config.yaml is found and the lab starts.
  impulse = await startImpulse(['--lab-clusters', '1', '--lab-nodes', '2', '--lab-address-base', '127.51', '--lab-control-port', '0', '--lab-dir', labDir, '--listen', '127.0.0.1:0'], { cwd: labDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (impulse?.child.exitCode === null) impulse.child.kill('SIGKILL');
});

describe('impulse start (built-in lab) overview', () => {
  it('lists every lab node in its cluster, with its address, role and group on the cluster page', async () => {
    const manifest = (await (await fetch(`${impulse.controlUrl}/v1/manifest`)).json()) as {
      nodes: ManifestNode[];
      clusters: { name: string; groups: { name: string; nodes: string[] }[] }[];
      credentials: { axl: { password: string }; os: { password: string } };
    };
    // One CUCM cluster (publisher) + one IM&P cluster of two nodes.
    expect(manifest.nodes).toHaveLength(3);

    const page = await browser!.newPage();
    const response = await page.goto(impulse.baseUrl, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('IMPulse');
    expect(await page.locator('[data-testid="config-path"]').innerText()).toContain('impulse.config.yaml');
    for (const node of manifest.nodes) {
      await expect(page.locator(`li[data-cluster="${node.cluster}"] a[data-node="${node.name}"]`).count()).resolves.toBe(1);
    }
    // Nothing but the lab's nodes.
    await expect(page.locator('a[data-node]').count()).resolves.toBe(manifest.nodes.length);

    const groupOf = new Map(manifest.clusters.flatMap((c) => c.groups.flatMap((g) => g.nodes.map((n) => [n, g.name] as const))));
    for (const cluster of manifest.clusters) {
      await page.goto(`${impulse.baseUrl}/clusters/${cluster.name}`, { waitUntil: 'domcontentloaded' });
      for (const node of manifest.nodes.filter((n) => n.cluster === cluster.name)) {
        const row = page.locator(`[data-testid="cluster-nodes"] tr[data-node="${node.name}"]`);
        expect(await row.locator('th').innerText()).toContain(node.host);
        expect(await row.innerText()).toContain(node.role === 'publisher' ? 'Publisher' : 'Subscriber');
      }
      for (const [n, g] of groupOf) if (manifest.nodes.find((x) => x.name === n)?.cluster === cluster.name) expect(await page.locator(`article[data-group="${g}"] [data-node="${n}"]`).count()).toBe(1);
    }
    // No credential of the lab reaches the browser.
    const html = await page.content();
    expect(html).not.toContain(manifest.credentials.axl.password);
    expect(html).not.toContain(manifest.credentials.os.password);
    await page.close();
  });

  it("turns every node's health from 'no data yet' to a verdict once the collector has polled the lab", async () => {
    const page = await browser!.newPage();
    await page.goto(impulse.baseUrl);
    // The page refreshes itself (live refresh): wait for it, without reloading.
    await eventually('every node polled', 90_000, async () => (await page.locator('a[data-node]').count()) === 3 && (await page.locator('a[data-node][data-health="unknown"]').count()) === 0);
    for (const h of await page.locator('a[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-health')))) expect(['ok', 'info', 'warning', 'critical']).toContain(h);
    expect(await page.locator('[data-testid="data-age"]').innerText()).toMatch(/Data collected up to/);
    await page.close();
  });

  it('serves /metrics from the same server', async () => {
    const res = await fetch(`${impulse.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^# HELP /m);
  });

  it('stops cleanly on SIGTERM, lab included', async () => {
    expect(await impulse.stop()).toBe(0);
    await expect(fetch(`${impulse.controlUrl}/v1/manifest`)).rejects.toThrow();
  });
});
