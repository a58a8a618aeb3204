// Real-world fidelity over real sockets (lab on 127.100.x.x): a cluster playing release 10.5 whose
// CLI prints stray CRs and tab-aligned columns collects cleanly end to end; a damaged row costs that
// row only (observation problems, impulse_parse_problems_total, a log line); a CLI command that
// never returns or floods ends with a clear error without stalling the node's other sources; the
// trust store is read; peers report their sync dependencies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/load';
import { resolveLoaded } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import { createCollector, type Collector } from '../../collectors/index';
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import type { HaObservation } from '../../collectors/sources/ha';
import type { InventoryObservation } from '../../collectors/sources/inventory';
import { forgetPeerFacts, type PeersObservation } from '../../collectors/sources/peers';
import type { ReplicationObservation } from '../../collectors/sources/replication';
import { startLab, type LabHandle } from '../../lab/index';

let lab: LabHandle;
let collector: Collector;
let dir: string;
const logs: string[] = [];

async function control(method: string, p: string, body?: unknown): Promise<{ id: string }> {
  const res = await fetch(`${lab.controlUrl}${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as { id: string };
}
const fault = (kind: string, target: string, params?: Record<string, unknown>) => control('POST', '/v1/faults', { kind, target, ...(params ? { params } : {}) });
const clear = (id: string) => control('DELETE', `/v1/faults/${id}`);

function poll(sources: SourceName[], nodes: string[]) {
  return collector.engine.scheduler.runOnce((t) => sources.includes(t.source) && nodes.includes(t.node));
}
const view = (node: string, source: SourceName) => {
  const v = collector.store.snapshot().find((e) => e.node === node && e.source === source);
  if (!v) throw new Error(`no observation ${node}/${source}`);
  return v;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-fidelity-'));
  lab = await startLab({
    clusters: 2,
    nodes: 2,
    usersPerCluster: 300,
    addressBase: '127.100',
    controlPort: 0,
    dir,
    version: '10.5',
    cli: { lineEnd: 'cr-crlf', tabs: true },
  });
  const file = path.join(dir, 'impulse.config.yaml');
  lab.writeConfig(file);
  const inventory = resolveLoaded(loadConfigFile(file));
  inventory.limits.requestTimeout = 5;
  inventory.limits.cliCommandTimeout = 4;
  inventory.limits.maxCliOutputMegabytes = 1;
  collector = createCollector(inventory, { engine: { log: (l) => logs.push(l) } });
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a lab cluster at release 10.5, CR CR LF line ends and tab-aligned output', () => {
  it('collects every source of every node cleanly: no failure, no unparsed row, no parse-problem series', async () => {
    expect(lab.manifest.clusters.find((c) => c.name === 'imp01')!.version).toMatch(/^10\.5\./);
    const first = await collector.engine.scheduler.runOnce((t) => t.source === 'inventory');
    const rest = await collector.engine.scheduler.runOnce((t) => t.source !== 'inventory');
    const failed = [...first, ...rest].filter((o) => !o.ok).map((o) => `${o.task.id}: ${(o.error as Error)?.message}`);
    expect(failed).toEqual([]);
    for (const v of collector.store.snapshot()) expect({ id: `${v.node}/${v.source}`, problems: v.problems ?? [] }).toEqual({ id: `${v.node}/${v.source}`, problems: [] });
    const inv = view('imp01-pub', 'inventory').value as InventoryObservation;
    expect(inv.version).toBe(lab.deployment.cluster('imp01')!.version);
    const repl = view('imp01-pub', 'replication').value as ReplicationObservation;
    expect(repl.servers.map((s) => [s.name, s.setupState])).toEqual([
      ['imp01-sub1', 2],
      ['imp01-pub', 2],
    ]);
    const ha = view('imp01-pub', 'ha').value as HaObservation;
    expect(ha.self).toMatchObject({ node: 'imp01-pub', state: 'Normal' });
    expect(await collector.metrics()).not.toMatch(/^impulse_parse_problems_total\{/m);
  });

  it('reads the trust store: CA and peer tomcat entries with their expiry; an expired trust entry shows as expired', async () => {
    let certs = view('imp01-pub', 'certificates').value as CertificatesObservation;
    const trust = certs.certificates.filter((c) => c.store === 'trust');
    expect(trust.map((c) => `${c.unit}/${c.file}`).sort()).toEqual(lab.deployment.node('imp01-pub')!.trustCertificates.map((c) => `${c.unit}/${c.file}`).sort());
    expect(trust.every((c) => c.daysLeft > 0)).toBe(true);
    const f = await fault('trust-cert-expired', 'imp01-pub', { days: 4 });
    await poll(['certificates'], ['imp01-pub']);
    certs = view('imp01-pub', 'certificates').value as CertificatesObservation;
    const expired = certs.certificates.filter((c) => c.store === 'trust' && c.daysLeft < 0);
    expect(expired.map((c) => [c.unit, c.file])).toEqual([['tomcat-trust', 'imp02-pub.uc02.example.com.pem']]);
    // Expired four days (and a few milliseconds) ago: whole days left, rounded down.
    expect(expired[0].daysLeft).toBe(-5);
    // The metric carries each trust unit's earliest expiry: now the expired entry's.
    const line = (await collector.metrics()).split('\n').find((l) => l.startsWith('impulse_certificate_not_after_timestamp_seconds{cluster="imp01",node="imp01-pub",unit="tomcat-trust",port="",source="cli",store="trust"}'));
    expect(Number(line?.split(' ').pop()) * 1000).toBe(expired[0].notAfter);
    await clear(f.id);
  });

  it('peers: ok with the peer\'s user count; the peer\'s Intercluster Sync Agent stopped makes it degraded, with the reason', async () => {
    await poll(['peers'], ['imp01-pub']);
    let p = (view('imp01-pub', 'peers').value as PeersObservation).peers[0];
    expect(p).toMatchObject({ peer: 'imp02', up: true, state: 'ok', peerUsers: 300, syncAgent: { local: 'Started', peer: 'Started' } });
    const f = await fault('service-stop', 'imp02-pub', { service: 'Cisco Intercluster Sync Agent' });
    forgetPeerFacts(); // each publisher is asked once per 10 s whoever needs it: this is the next round
    await poll(['peers'], ['imp01-pub']);
    p = (view('imp01-pub', 'peers').value as PeersObservation).peers[0];
    expect(p.state).toBe('degraded');
    expect(p.reasons).toEqual(['Cisco Intercluster Sync Agent is Stopped on imp02-pub']);
    expect(await collector.metrics()).toMatch(/impulse_intercluster_peer_sync_ok\{cluster="imp01",node="imp01-pub",peer="imp02"\} 0/);
    await clear(f.id);
  });
});

describe('hostile and damaged CLI output', () => {
  it('a damaged row costs that row: the other servers stay, the row is a problem of the observation, counted and logged', async () => {
    // Line 20 of the 10.5 runtimestate output (counted from its first printed line) is the first
    // server row, imp01-sub1.
    const f = await fault('cli-damage', 'imp01-pub', { command: 'utils dbreplication runtimestate', line: 20, mode: 'truncate' });
    logs.length = 0;
    const [o] = await poll(['replication'], ['imp01-pub']);
    expect(o.ok).toBe(true);
    const v = view('imp01-pub', 'replication');
    expect((v.value as ReplicationObservation).servers.map((s) => s.name)).toEqual(['imp01-pub']);
    expect(v.problems).toHaveLength(1);
    expect(v.problems![0]).toMatchObject({ command: 'utils dbreplication runtimestate' });
    expect(v.problems![0].raw).toMatch(/^imp01-sub1/);
    expect(v.problems![0].reason).toMatch(/truncated|REPLICATION SETUP/);
    expect(await collector.metrics()).toMatch(/^impulse_parse_problems_total\{cluster="imp01",node="imp01-pub",source="replication"\} 1$/m);
    expect(logs.find((l) => l.includes('imp01/imp01-pub/replication: 1 unparsed row'))).toMatch(/raw: "imp01-sub1/);
    await clear(f.id);
    await poll(['replication'], ['imp01-pub']);
    expect(view('imp01-pub', 'replication').problems).toEqual([]);
  });

  it('a command that never returns ends with a clear timeout and does not stall the node\'s other sources', async () => {
    const f = await fault('cli-stuck', 'imp01-sub1', { command: 'utils ha status' });
    const t0 = Date.now();
    const outcomes = await poll(['ha', 'services', 'perfmon', 'replication', 'certificates'], ['imp01-sub1']);
    const byId = new Map(outcomes.map((o) => [o.task.source, o]));
    expect(byId.get('ha')).toMatchObject({ ok: false, kind: 'timeout' });
    expect((byId.get('ha')!.error as Error).message).toMatch(/utils ha status'?: did not return to the admin: prompt within 4000 ms .*command abandoned and its shell closed/);
    for (const s of ['services', 'perfmon', 'certificates'] as const) expect({ s, ok: byId.get(s)?.ok }).toEqual({ s, ok: true });
    // The other sources did not wait for the stuck one beyond its own timeout.
    expect(Date.now() - t0).toBeLessThan(20_000);
    await clear(f.id);
    const [again] = await poll(['ha'], ['imp01-sub1']);
    expect(again.ok).toBe(true);
  });

  it('output beyond the limit ends that command with a clear error; the node answers the next one', async () => {
    const f = await fault('cli-flood', 'cucm01-pub', { command: 'show status' });
    const outcomes = await poll(['inventory', 'services'], ['cucm01-pub']);
    const inv = outcomes.find((o) => o.task.source === 'inventory')!;
    expect(inv).toMatchObject({ ok: false, kind: 'parse' });
    expect((inv.error as Error).message).toMatch(/output larger than 1048576 characters without returning to the admin: prompt; command abandoned/);
    expect(outcomes.find((o) => o.task.source === 'services')!.ok).toBe(true);
    await clear(f.id);
    const [ok] = await poll(['inventory'], ['cucm01-pub']);
    expect(ok.ok).toBe(true);
  });
});

describe('HA rows over SSH in the 10.5 layout', () => {
  it('P13 Database Failure, read from `utils ha status` whose long Reason wraps onto the next line', async () => {
    const f = await fault('ha-database-failure', 'imp01-pub');
    await control('POST', '/v1/clock/advance', { ms: 101_000 });
    await poll(['ha'], ['imp01-pub', 'imp01-sub1']);
    const pub = view('imp01-pub', 'ha');
    expect(pub.problems).toEqual([]);
    expect((pub.value as HaObservation).self).toMatchObject({ state: 'Failed Over with Critical Services not Running', reason: 'Database Failure' });
    expect((view('imp01-sub1', 'ha').value as HaObservation).self).toMatchObject({ state: 'Running in Backup Mode', reason: 'Database Failure' });
    const body = await collector.metrics();
    expect(body).toMatch(/impulse_ha_node_reason\{cluster="imp01",node="imp01-pub",group="imp01-prg1",reason="Database Failure"\} 1/);
    await clear(f.id);
  });
});
