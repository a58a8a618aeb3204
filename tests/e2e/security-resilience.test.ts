// The product keeps watching through its own failures. Against a lab in its own process
// (127.155), `impulse start`:
//   - killed with SIGKILL in the middle of writes, starts again with every acknowledged write
//     intact (WAL), a sound database, collection back within an interval, and the PerfMon
//     sessions of the killed process closed on the nodes (one per node, not two);
//   - reloads its configuration on SIGHUP and when the file changes: an invalid file is refused
//     with the exact errors of `impulse config check`, the running configuration stays; a valid
//     one removes a node (its session closed) while the others keep theirs;
//   - on a full disk and a read-only data dir: one clear error, /metrics and sign-in still work,
//     pages say history is not being saved, and saving resumes by itself;
//   - stops on SIGTERM within 10 s, even with a node that hangs, closing the sessions of every
//     node that answers.
//
// Crash-safety writers: each names how to load the database with writes that the process
// acknowledges, and how to check after the restart that every acknowledged one is there. This
// branch's writes are the audit log and the PerfMon session ledger; the history, events and
// troubleshooter rooms add theirs here (troubleshooter runs left 'running' by the crash must be
// marked interrupted by the diagnostics room at start).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labStats, startLabProcess, type LabProcess } from '../../bench/soak/processes';
import { queryAudit } from '../../db/audit';
import { openDatabase } from '../../db/index';
import { listOpenSessions } from '../../db/perfmon-sessions';
import { http, impulse, signIn, startProduct, type Product } from './security-rig';

const PW = 'the admin password 1';
const TOKEN = 'resilience-metrics-token';
const env = { RESILIENCE_TOKEN: TOKEN };
let dir: string;
let dataDir: string;
let tmpfs = false;
let lab: LabProcess;
let product: Product;
let config: string;
let base: Record<string, unknown>;
let nodes: string[];

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const metrics = async () => (await http(`${product.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).body;
const upCount = (text: string, source: string) => (text.match(new RegExp(`impulse_target_up\\{[^}]*source="${source}"\\} 1`, 'g')) ?? []).length;

function writeConfig(mutate: (c: Record<string, unknown>) => void = () => {}): void {
  const c = structuredClone(base);
  mutate(c);
  writeFileSync(config, stringify(c));
}

interface Writer {
  name: string;
  /** Starts writing; returns how many writes are acknowledged so far, and a function that stops and returns them. */
  start(url: string): { count(): number; stop(): Promise<string[]> };
  /** After the restart: what is missing of `acked`. */
  missing(acked: string[]): string[];
}

const writers: Writer[] = [
  {
    // Every sign-in attempt is an audit row, committed before the answer is sent.
    name: 'audit log (sign-in attempts)',
    start(url) {
      const acked: string[] = [];
      let stop = false;
      let i = 0;
      const worker = async () => {
        while (!stop) {
          const name = `probe-${++i}`;
          try {
            const r = await http(`${url}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', origin: url }, body: JSON.stringify({ username: name, password: 'x' }) });
            if (r.status === 401 || r.status === 429) acked.push(name);
          } catch {
            return; // the process is gone
          }
        }
      };
      const running = Promise.all(Array.from({ length: 6 }, worker));
      return {
        count: () => acked.length,
        async stop() {
          stop = true;
          await running;
          return acked;
        },
      };
    },
    missing(acked) {
      const db = openDatabase({ dataDir, readonly: true });
      try {
        const have = new Set(queryAudit(db, { action: 'auth.signin' }, { limit: 1_000_000 }).map((r) => r.actor));
        return acked.filter((a) => !have.has(a));
      } finally {
        db.close();
      }
    },
  },
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-resilience-'));
  dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  // A small file system of its own for the data dir, so a full disk and a read-only one can be made.
  tmpfs = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dataDir]).status === 0;
  lab = await startLabProcess({ clusters: 1, nodes: 2, addressBase: '127.155', dir: path.join(dir, 'lab'), users: 300 });
  config = path.join(dir, 'impulse.config.yaml');
  base = parse(readFileSync(lab.configFile, 'utf8')) as Record<string, unknown>;
  // Fast sources every 5 s; the slow ones every minute, so the first cycle (readiness) completes in seconds.
  base.polling = { perfmon: '5s', ha: '5s', services: '5s', replication: '10s', certificates: '60s', peers: '60s', users: '60s', inventory: '60s' };
  base.server = { dataDir, metricsToken: 'env:RESILIENCE_TOKEN' };
  base.auth = { mode: 'local' };
  writeConfig();
  const added = await impulse(['user', 'add', 'root', '--role', 'admin', '--config', config], { cwd: dir, input: `${PW}\n` });
  if (added.status !== 0) throw new Error(added.out);
  nodes = (base.clusters as Array<{ nodes: Array<{ name: string }> }>).flatMap((c) => c.nodes.map((n) => n.name));
  product = await startProduct({ config, cwd: dir, env });
  await until('ready', 120_000, async () => ((await http(`${product.url}/readyz`)).status === 200 ? true : undefined));
  await until('a PerfMon session on every node', 60_000, async () => ((await labStats(lab)).totals.perfmonSessionsOpen === nodes.length ? true : undefined));
}, 400_000);

afterAll(async () => {
  await product?.stop('SIGKILL');
  await lab?.stop();
  if (tmpfs) spawnSync('umount', ['-l', dataDir]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('after kill -9 mid-write: every acknowledged write is there, the database is sound, collection resumes, no PerfMon session leaks', async () => {
    const load = writers.map((w) => w.start(product.url));
    // Mid-write: every writer has had some writes acknowledged, and more are in flight.
    await until('writes under way', 60_000, async () => (load.every((l) => l.count() >= 20) ? true : undefined));
    product.proc.kill('SIGKILL');
    const acked = await Promise.all(load.map((l) => l.stop()));
    await product.stop();
    // The killed process's sessions are still open on the nodes, and recorded in the ledger.
    expect((await labStats(lab)).totals.perfmonSessionsOpen).toBe(nodes.length);
    const db = openDatabase({ dataDir, readonly: true });
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const left = listOpenSessions(db).map((r) => r.handle);
    db.close();
    expect(left).toHaveLength(nodes.length);

    product = await startProduct({ config, cwd: dir, env });
    const restarted = Date.now();
    expect(product.output()).toMatch(new RegExp(`${nodes.length} PerfMon sessions were left open by an earlier run \\(not stopped cleanly\\); closing them on the nodes`));
    writers.forEach((w, i) => expect(w.missing(acked[i]), w.name).toEqual([]));
    const check = openDatabase({ dataDir, readonly: true });
    expect(check.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    // Collection is back within an interval (5 s, plus the first poll's spread).
    await until('every node polled again', 15_000, async () => (upCount(await metrics(), 'perfmon') === nodes.length ? true : undefined));
    expect(Date.now() - restarted).toBeLessThan(15_000);
    await until('ready', 60_000, async () => ((await http(`${product.url}/readyz`)).status === 200 ? true : undefined));
    // One session per node: the old ones were closed, not left beside the new ones.
    const stats = await labStats(lab);
    expect(Object.values(stats.nodes).map((n) => n.perfmonSessionsOpen)).toEqual(nodes.map(() => 1));
    const after = openDatabase({ dataDir, readonly: true });
    const now = listOpenSessions(after).map((r) => r.handle);
    after.close();
    expect(now).toHaveLength(nodes.length);
    expect(now.some((h) => left.includes(h))).toBe(false);
  });
});

describe('configuration reload', () => {
  it('refuses an invalid file with the errors of config check, and keeps running the old configuration', async () => {
    writeConfig((c) => {
      c.polling = { perfmon: 'fast' };
      (c.clusters as Array<Record<string, unknown>>)[1].publisher = 'no-such-node';
    });
    const expected = (await impulse(['config', 'check', config], { cwd: dir, env }))
      .out.split('\n')
      .filter((l) => /:\d+:\d+: /.test(l))
      .map((l) => l.slice(l.indexOf(':')));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(expected.join('\n')).toMatch(/polling\.perfmon: expected a duration/);
    expect(expected.join('\n')).toMatch(/publisher 'no-such-node' is not one of this cluster's nodes/);
    product.proc.kill('SIGHUP');
    await product.waitFor(/configuration reload \(SIGHUP\) rejected; the running configuration stays/, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const line of expected) expect(product.output()).toContain(line);
    expect((await http(`${product.url}/healthz`)).status).toBe(200);
    await until('still polling every node', 15_000, async () => (upCount(await metrics(), 'perfmon') === nodes.length ? true : undefined));
  });

  it('applies a valid file when it changes on disk: the removed node\'s session closes, the others keep theirs', async () => {
    const db0 = openDatabase({ dataDir, readonly: true });
    const handles = new Map(listOpenSessions(db0).map((r) => [r.nodeId, r.handle]));
    db0.close();
    const imp = (base.clusters as Array<{ name: string; nodes: Array<{ name: string }>; presenceRedundancyGroups?: Array<{ nodes: string[] }> }>).find((c) => c.name.startsWith('imp'))!;
    const drop = imp.nodes[imp.nodes.length - 1].name;
    writeConfig((c) => {
      const ic = (c.clusters as typeof imp[]).find((x) => x.name === imp.name)!;
      ic.nodes = ic.nodes.filter((n) => n.name !== drop);
      ic.presenceRedundancyGroups = ic.presenceRedundancyGroups?.map((g) => ({ ...g, nodes: g.nodes.filter((n) => n !== drop) }));
      c.thresholds = { certificateWarningDays: 45 };
    });
    // No signal: the file watch picks it up.
    await product.waitFor(/configuration reloaded \(file change\): 0 nodes added, 1 removed, 0 restarted with new settings, \d+ unchanged/, 15_000);
    const stats = await labStats(lab);
    expect(stats.nodes[drop].perfmonSessionsOpen).toBe(0);
    for (const n of nodes.filter((x) => x !== drop)) expect(stats.nodes[n].perfmonSessionsOpen, n).toBe(1);
    await new Promise((r) => setTimeout(r, 6000));
    const db1 = openDatabase({ dataDir, readonly: true });
    const after = new Map(listOpenSessions(db1).map((r) => [r.nodeId, r.handle]));
    const reloads = queryAudit(db1, { action: 'config.reload' }, { limit: 5 }).map((r) => `${r.outcome}: ${r.detail}`);
    db1.close();
    for (const [id, h] of after) expect(h, id).toBe(handles.get(id));
    expect([...after.keys()].some((id) => id.endsWith(`/${drop}`))).toBe(false);
    expect(reloads[0]).toMatch(/^success: file change: 0 nodes added, 1 removed/);
    expect(reloads[1]).toMatch(/^failure: SIGHUP: rejected, \d+ issues: .*polling\.perfmon/);
    expect(upCount(await metrics(), 'perfmon')).toBe(nodes.length - 1);
    nodes = nodes.filter((n) => n !== drop);
  });
});

describe('a full disk and a read-only data dir', () => {
  it.skipIf(!existsSync('/usr/bin/mount') && !existsSync('/bin/mount'))('says so once, keeps collecting and serving, and saves again when space returns', async () => {
    if (!tmpfs) {
      console.warn('skipped: cannot mount a small file system for the data dir (needs root)');
      return;
    }
    const admin = await signIn(product.url, 'root', PW);
    const filler = path.join(dataDir, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M', 'count=64'], { stdio: 'ignore' });
    } catch {
      // dd stops at "No space left on device": that is the point
    }
    // Writes: sign-in attempts (audit rows) until one fails.
    for (let i = 0; i < 400 && !/database writes are failing/.test(product.output()); i++) {
      await http(`${product.url}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', origin: product.url }, body: JSON.stringify({ username: `fill-${i}-${'x'.repeat(60)}`, password: 'x' }) });
    }
    await product.waitFor(/database writes are failing, history and records are not saved until this is fixed: .*disk of the data dir|free space on the file system/, 10_000);
    expect(product.output().match(/database writes are failing/g)).toHaveLength(1);
    expect(product.output()).toMatch(/audit \(not saved: the database cannot be written \(full\)\)/);
    // Collection, /metrics and signing in go on; pages say history is not being saved.
    expect(upCount(await metrics(), 'perfmon')).toBe(nodes.length);
    expect((await http(`${product.url}/healthz`)).status).toBe(200);
    const home = await http(`${product.url}/`, { cookie: admin });
    expect(home.body).toMatch(/data-testid="storage-banner"[^>]*>History is not being saved: the disk of the data dir is full/);
    expect((await signIn(product.url, 'root', PW)).length).toBeGreaterThan(10);
    rmSync(filler);
    await http(`${product.url}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', origin: product.url }, body: JSON.stringify({ username: 'after-space-returns', password: 'x' }) });
    await product.waitFor(/database writes work again/, 10_000);
    expect((await http(`${product.url}/`, { cookie: admin })).body).not.toMatch(/storage-banner/);

  });

  it('runs without a database on a read-only data dir: says so, keeps collecting and serving /metrics', async () => {
    if (!tmpfs) {
      console.warn('skipped: cannot mount a read-only file system for the data dir (needs root)');
      return;
    }
    const ro = path.join(dir, 'ro-data');
    mkdirSync(ro);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', ro]).status).toBe(0);
    const file = path.join(dir, 'ro.config.yaml');
    writeFileSync(file, stringify({ ...base, server: { dataDir: ro, metricsToken: 'env:RESILIENCE_TOKEN' }, auth: { mode: 'none' } }));
    const p = await startProduct({ config: file, cwd: dir, env });
    try {
      expect(p.output()).toMatch(/database: unavailable \(database .*impulse\.db: .* give the IMPulse user write access to the data dir/);
      expect(p.output()).toMatch(/running without it \(collection and \/metrics continue, history is unavailable\)/);
      await until('polling', 20_000, async () => (((await http(`${p.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).body.match(/source="perfmon"\} 1/g) ?? []).length > 0 ? true : undefined));
      const home = await http(`${p.url}/`);
      expect(home.status).toBe(200);
      expect(home.body).toMatch(/History is unavailable: the database could not be opened/);
      expect((await http(`${p.url}/readyz`)).status).toBe(503);
      expect((await http(`${p.url}/healthz`)).status).toBe(200);
    } finally {
      await p.stop();
      spawnSync('umount', ['-l', ro]);
    }
  });
});

describe('graceful shutdown', () => {
  it('stops on SIGTERM within 10 s with a hung node, closing every answering node\'s sessions and the database', async () => {
    const hung = nodes[nodes.length - 1];
    await lab.control('POST', '/v1/faults', { kind: 'hang', target: hung });
    const t = Date.now();
    const code = await product.stop('SIGTERM');
    const took = Date.now() - t;
    expect(code).toBe(0);
    expect(took).toBeLessThan(10_000);
    expect(product.output()).toMatch(/impulse start: stopped in \d+\.\d s/);
    const stats = await labStats(lab);
    for (const n of nodes.filter((x) => x !== hung)) expect(stats.nodes[n].perfmonSessionsOpen, n).toBe(0);
    expect(stats.totals.sshSessionsOpen).toBe(0);
    // The hung node's session could not be closed: it stays in the ledger for the next start.
    const db = openDatabase({ dataDir, readonly: true });
    expect(listOpenSessions(db).map((r) => r.nodeId.split('/')[1])).toEqual([hung]);
    db.close();
    const wal = path.join(dataDir, 'impulse.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    await lab.control('DELETE', '/v1/faults');
  });
});
