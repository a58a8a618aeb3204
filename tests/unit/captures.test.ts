// The capture corpus (tests/fixtures/captures): every fixture names its source and release in a
// sidecar (captures: where it was published; reconstructed ones say so), and every real capture
// added for the fidelity work is read with the facts a person reads from it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsers } from '../../collectors/parsers/index';
import type { DbreplicationRuntimestate } from '../../collectors/parsers/dbreplication-runtimestate';
import type { DiagnoseTest } from '../../collectors/parsers/diagnose-test';
import type { NetworkCluster } from '../../collectors/parsers/network-cluster';
import type { NtpStatus } from '../../collectors/parsers/ntp-status';
import { capturesDir, fixture } from './parsers/fixture';

interface Sidecar {
  source: string;
  title: string;
  release: string;
  product: string;
  kind: 'capture' | 'reconstructed';
}

const sidecar = (kind: string, file: string): Sidecar => JSON.parse(readFileSync(path.join(capturesDir, kind, file.replace(/\.[^.]+$/, '.source.json')), 'utf8')) as Sidecar;

describe('capture corpus', () => {
  it('every fixture has a sidecar naming its source and release; reconstructed ones are labelled as such', () => {
    let captures = 0;
    for (const kind of readdirSync(capturesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
      for (const file of readdirSync(path.join(capturesDir, kind)).filter((f) => !f.endsWith('.source.json') && !f.endsWith('.md'))) {
        const side = path.join(capturesDir, kind, file.replace(/\.[^.]+$/, '.source.json'));
        expect(existsSync(side), `${kind}/${file} has no sidecar`).toBe(true);
        const s = sidecar(kind, file);
        expect(s.kind, `${kind}/${file}`).toBe(file.includes('.reconstructed.') ? 'reconstructed' : 'capture');
        expect(s.release, `${kind}/${file}`).toBeTruthy();
        if (s.kind === 'capture') {
          expect(s.source, `${kind}/${file}`).toMatch(/https:\/\/|reference\/wire-formats\.md/);
          captures++;
        }
      }
    }
    expect(captures).toBeGreaterThanOrEqual(40);
  });
});

const K = 'dbreplication-runtimestate';
const repl = (file: string) => {
  const r = parsers[K].parse(fixture(K, file), file) as DbreplicationRuntimestate;
  if (r.status !== 'ok') throw new Error(`${file}: ${r.status}`);
  return r;
};
const servers = (r: Extract<DbreplicationRuntimestate, { status: 'ok' }>) => r.servers.map((s) => [s.name, s.ip, s.setupState, s.queue, s.details]);

describe('utils dbreplication runtimestate, releases 8.6 to 15', () => {
  it('CUCM 9.0.1 (admin guide 15): RPC?/REPLICATION STATUS layout, publisher and subscriber good', () => {
    const r = repl('admin-guide-15-cucm-9.0.1.txt');
    expect(r).toMatchObject({ layout: 'cucm9', dbVersion: 'ccm9_0_1_10000_9000', viewFrom: 'PUB', serverCount: 2, unparsed: [] });
    expect(r.info['DDB and Replication Services']).toBe('ALL RUNNING');
    expect(r.clusterReplicationState?.tables).toEqual({ done: 257, total: 257 });
    expect(servers(r)).toEqual([
      ['server1', '100.10.10.17', 2, 0, 'PUB Setup Completed'],
      ['server2', '100.10.10.14', 2, 0, 'Setup Completed'],
    ]);
    expect(r.servers.map((s) => [s.rpc, s.replicationStatus, s.dbVersionTables, s.loop])).toEqual([
      [true, 'Connected', 'match', true],
      [true, 'Connected', 'match', true],
    ]);
  });

  it('CUCM 9.0.1 with its last row cut after REPL. QUEUE: three servers read, the cut row named', () => {
    const r = repl('admin-guide-15-cucm-9.0.1-cut-row.txt');
    expect(r.servers.map((s) => s.name)).toEqual(['server1', 'server2', 'server3']);
    expect(r.unparsed.map((u) => [u.line, u.raw.trim()])).toEqual([
      [22, 'server4     100.10.10.204  0.248  Yes  Connected   0'],
      [15, 'Cluster Detailed View from newserver100 (2 Servers):'],
    ]);
    expect(r.unparsed[0].reason).toMatch(/no REPLICATION SETUP value \(truncated output\?\)/);
  });

  it('CUCM 10.0.1: the table without DB/RPC/DbMon? and REPL. QUEUE, tab-separated values', () => {
    const r = repl('admin-guide-15-cucm-10.0.1.txt');
    expect(r.unparsed).toEqual([]);
    expect(r.serverTime).toBe('Mon Jun 1 12:00:00 EDT 2013');
    expect(r.servers.map((s) => [s.name, s.ip, s.pingMs, s.rpc, s.groupId, s.setupState])).toEqual([
      ['uc10-pub', '192.0.2.95', 0.04, true, '(g_2)', 2],
      ['uc10-sub1', '192.0.2.96', 0.282, true, '(g_3)', 2],
    ]);
  });

  it('IM and Presence 8.6.3: rows wider than their columns, a queue of 128 on the subscriber', () => {
    const r = repl('admin-guide-15-imp-8.6.3.txt');
    expect(r.unparsed).toEqual([]);
    expect(r.info['DB and Replication Services']).toBe('ALL RUNNING');
    expect(r.clusterReplicationState?.tables).toEqual({ done: 269, total: 269 });
    expect(servers(r)).toEqual([
      ['gwydla020218', '10.53.46.130', 2, 0, 'PUB Setup Completed'],
      ['gwydla020220', '10.53.46.133', 2, 128, 'Setup Completed'],
    ]);
  });

  it('CUCM 8.6.4 after a repair: "tables processed out of"', () => {
    const r = repl('admin-guide-15-cucm-8.6.4-repair.txt');
    expect(r.clusterReplicationState?.tables).toEqual({ done: 269, total: 269 });
    expect(r.dbVersion).toBe('ccm8_6_4_98000_192');
    expect(r.servers).toHaveLength(2);
  });

  it('CUCM 10.5.2 (TechNote 215013), line breaks lost: every field and both servers', () => {
    const r = repl('technote-215013-cucm-10.5.2.txt');
    expect(r).toMatchObject({ layout: 'current', dbVersion: 'ccm10_5_2_15900_8', replTimeoutSeconds: 300, processOption: 1, viewFrom: 'CUCM10', unparsed: [] });
    expect(r.clusterReplicationState?.tables).toEqual({ done: 681, total: 681 });
    expect(r.servers.map((s) => [s.name, s.ip, s.pingMs, s.db, s.rpc, s.dbMon, s.queue, s.groupId, s.setupState])).toEqual([
      ['CUCM10', '10.1.89.20', 0.013, true, true, true, 0, '(g_2)', 2],
      ['CUCMv10SUB', '10.1.89.30', 0.23, true, true, true, 0, '(g_3)', 2],
    ]);
  });

  it('IM and Presence (TechNote 214737), anonymised addresses, line breaks lost', () => {
    const r = repl('technote-214737-imp-10.5.txt');
    expect(servers(r)).toEqual([
      ['IMP01', 'x.x.x.1', 2, 0, 'Setup Completed'],
      ['IMP02', 'x.x.x.2', 2, 0, 'Setup Completed'],
    ]);
  });

  it('CUCM 10.5 (TechNote 211393): the document\'s elision is named, the table read', () => {
    const r = repl('technote-211393-cucm-10.5.txt');
    expect(r.servers.map((s) => [s.name, s.setupState])).toEqual([
      ['cucm105pub', 2],
      ['cucm105sub1', 2],
    ]);
    expect(r.unparsed.map((u) => u.raw.trim())).toEqual(['<output omitted for brevity>']);
  });

  it('CUCM 15 (PCD guide) and 14/15 health-check variant read as before', () => {
    expect(servers(repl('cucm15-pcd-guide.txt'))).toEqual([
      ['cucm-57', '10.77.32.57', 2, 0, 'Setup Completed'],
      ['cucm-55', '10.77.32.55', 2, 0, 'Setup Completed'],
    ]);
    expect(repl('status-variant.txt').clusterReplicationState?.tables).toEqual({ done: 754, total: 754 });
  });
});

describe('show network cluster, utils ntp status, utils diagnose test (TechNotes 215013, 211393)', () => {
  it('publisher and subscriber views of a CUCM 10.5.2 cluster, line breaks lost', () => {
    const pub = parsers['network-cluster'].parse(fixture('network-cluster', 'technote-215013-publisher.txt')) as NetworkCluster;
    expect(pub.nodes.map((n) => [n.ip, n.hostname, n.role, n.product, n.dbRole, n.authenticated, n.since])).toEqual([
      ['10.1.89.30', 'CUCMv10SUB', 'Subscriber', 'callmanager', 'DBSub', true, 'Mon Jul 1 13:44:09 2019'],
      ['10.1.89.20', 'CUCM10', 'Publisher', 'callmanager', 'DBPub', true, null],
    ]);
    expect(pub.processNodes).toEqual(['10.1.89.20', '10.1.89.30']);
    const sub = parsers['network-cluster'].parse(fixture('network-cluster', 'technote-215013-subscriber.txt')) as NetworkCluster;
    expect(sub.nodes.map((n) => n.since)).toEqual([null, 'Mon Jul 1 13:44:19 2019']);
    expect(sub.processNodes).toBeNull();
  });

  it('NTP: the publisher synchronised at stratum 3, the subscriber "synchronized" (US spelling) to the publisher', () => {
    const pub = parsers['ntp-status'].parse(fixture('ntp-status', 'technote-215013-publisher.txt')) as NtpStatus;
    expect(pub).toMatchObject({ running: true, pid: 8609, synchronised: true, server: '10.1.89.1', stratum: 3, timeCorrectWithinMs: 32, pollingSeconds: 1024, unparsed: [] });
    expect(pub.peers).toEqual([expect.objectContaining({ tally: '*', remote: '10.1.89.1', refid: 'LOCAL(1)', stratum: 2, reach: '377', offsetMs: 2.591 })]);
    const sub = parsers['ntp-status'].parse(fixture('ntp-status', 'technote-215013-subscriber.txt')) as NtpStatus;
    expect(sub).toMatchObject({ synchronised: true, server: '10.1.89.20', stratum: 4, unparsed: [] });
    expect(sub.peers[0]).toMatchObject({ remote: '10.1.89.20', stratum: 3, offsetMs: -1.793 });
  });

  it('diagnose test: 19 modules, every test passed, four skipped; a single-module run', () => {
    const r = parsers['diagnose-test'].parse(fixture('diagnose-test', 'technote-215013.txt')) as DiagnoseTest;
    expect(r.completed).toBe(true);
    expect(r.unparsed).toEqual([]);
    expect(r.modules).toHaveLength(19);
    expect(r.modules.filter((m) => m.action === 'skip').map((m) => m.module)).toEqual(['disk_files', 'tomcat_heapdump', 'sdl_fragmentation', 'sdi_fragmentation']);
    expect(r.modules.filter((m) => m.action === 'test').every((m) => m.passed)).toBe(true);
    expect(r.modules[0]).toMatchObject({ module: 'disk_space', text: '(available: 1753 MB, used: 12413 MB)' });
    const one = parsers['diagnose-test'].parse(fixture('diagnose-test', 'technote-211393-module.txt')) as DiagnoseTest;
    expect(one.modules).toEqual([expect.objectContaining({ module: 'validate_network', result: 'Passed' })]);
  });
});
