// The two-minute soak (`npm run soak` at a size the suite can afford): 8 nodes (2 IM&P clusters of
// 3 and their CUCM publishers) on 127.159, a quarter of them cycling through the fault kinds every
// 15 s, a real Prometheus scraping every 15 s, 20 dashboard viewers refreshing every 5 s, the fast
// sources polled every 5 s. Asserted: no leak (PerfMon sessions, SSH sessions and channels, file
// descriptors, sockets; nothing left on the lab after the product stops) and no healthy node ever
// stale, failing or missing an interval. The 30-minute, 210-node run is `npm run soak`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SoakReport } from '../../bench/soak/run';
import { root } from './security-rig';

const dir = mkdtempSync(path.join(tmpdir(), 'impulse-soak-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two-minute soak', () => {
  it('leaks nothing and keeps every healthy node fresh while faults cycle, Prometheus scrapes and viewers refresh', async () => {
    const json = path.join(dir, 'soak.json');
    const args = ['--minutes', '2', '--clusters', '2', '--nodes', '3', '--clients', '20', '--fault-fraction', '0.25', '--fault-seconds', '15', '--interval', '5', '--sample-seconds', '5', '--warmup-seconds', '30', '--settle-seconds', '20', '--address-base', '127.159', '--users', '300', '--json', json];
    const c = spawn(process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(root, 'bench/soak.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => c.once('exit', r));
    expect(code, out).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
    expect(r.nodes).toBe(8);
    expect(r.faulty).toHaveLength(2);
    expect(r.kindsCovered.length).toBeGreaterThanOrEqual(6);
    // No leak, during or after.
    expect(r.leaks, out).toEqual([]);
    expect(r.settled.perfmonPerNodeMax).toBe(1);
    expect(r.settled.nodesWithPerfmon).toBe(8);
    expect(r.afterStop).toMatchObject({ perfmonSessionsOpen: 0, sshSessionsOpen: 0, sshChannelsOpen: 0 });
    // Healthy nodes: fresh at every sample, no failed poll, no missed interval.
    expect(r.freshness.checks).toBeGreaterThan(200);
    expect(r.freshness.staleExamples).toEqual([]);
    expect(r.freshness.ratio).toBe(1);
    expect(r.healthyPollErrorExamples).toEqual([]);
    expect(r.missedIntervals.healthy).toBe(0);
    // Viewers and Prometheus were served all along.
    expect(Object.keys(r.pages.statuses)).toEqual(['200']);
    expect(r.pages.requests).toBeGreaterThan(300);
    expect(r.prometheus!.scrapes).toBeGreaterThanOrEqual(6);
    expect(r.prometheus!.up).toBe(r.prometheus!.scrapes);
  });
});
