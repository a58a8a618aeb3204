import { describe, expect, it } from 'vitest';
import { parseDbreplicationRuntimestate } from '../../../collectors/parsers/dbreplication-runtimestate';
import { expectParseError, expectUnparsed, fixture } from './fixture';

const K = 'dbreplication-runtimestate';
const ok = (text: string) => {
  const r = parseDbreplicationRuntimestate(text, 'f.txt');
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.status}`);
  return r;
};

describe('utils dbreplication runtimestate', () => {
  it('reads the CUCM 15 PCD-guide capture', () => {
    const r = ok(fixture(K, 'cucm15-pcd-guide.txt'));
    expect(r.layout).toBe('current');
    expect(r.serverTime).toBe('Tue Aug  1 15:10:52 IST 2023');
    expect(r.dbVersion).toBe('ccm15_0_0_98100_154');
    expect(r.replTimeoutSeconds).toBe(300);
    expect(r.processOption).toBe(1);
    expect(r.clusterReplicationState?.summary).toBe('BROADCAST SYNC ended at: 2023-07-17-16-47');
    expect(r.clusterReplicationState?.tables).toEqual({ done: 753, total: 753 });
    expect(r.viewFrom).toBe('cucm-55');
    expect(r.servers).toHaveLength(2);
    expect(r.servers[0]).toMatchObject({
      name: 'cucm-57',
      ip: '10.77.32.57',
      pingMs: 0.163,
      db: true,
      rpc: true,
      dbMon: true,
      queue: 0,
      groupId: '(g_3)',
      setupState: 2,
      details: 'Setup Completed',
      line: 20,
    });
    expect(r.servers[1].name).toBe('cucm-55');
  });

  it('reads the `utils dbreplication status` variant of the state block', () => {
    const r = ok(fixture(K, 'status-variant.txt'));
    expect(r.clusterReplicationState?.tables).toEqual({ done: 754, total: 754 });
    expect(r.clusterReplicationState?.lines).toContain('No Errors or Mismatches found.');
  });

  it('reads the CUCM 9 layout (RPC?, REPLICATION STATUS, DBver& TABLES, REPL. LOOP?) by its headers', () => {
    const r = ok(fixture(K, 'cucm9-layout.reconstructed.txt'));
    expect(r.layout).toBe('cucm9');
    expect(r.clusterReplicationState?.tables).toEqual({ done: 590, total: 590 });
    expect(r.info['DB and Replication Services']).toBe('ALL RUNNING');
    expect(r.servers.map((s) => [s.name, s.rpc, s.replicationStatus, s.dbVersionTables, s.loop, s.queue, s.setupState, s.details])).toEqual([
      ['CUCM9PUB', true, 'Connected', 'match', true, 0, 2, 'PUB Setup Completed'],
      ['CUCM9SUB1', true, 'Connected', 'match', true, 0, 2, 'Setup Completed'],
      ['CUCM9SUB2', true, 'Off-Line', 'match', true, null, 3, 'Out of Sync'],
    ]);
    expect(r.servers[0].db).toBeNull();
    expect(r.servers[0].groupId).toBeNull();
  });

  it('reads degraded IM&P rows with CRLF, VT100, NA values and a server name wider than its column', () => {
    const r = ok(fixture(K, 'imp-degraded-crlf.reconstructed.txt'));
    expect(r.servers.map((s) => [s.name, s.ip, s.pingMs, s.dbMon, s.queue, s.groupId, s.setupState, s.details])).toEqual([
      ['imp01-pub', '10.3.74.13', 0.031, true, 0, '(g_2)', 2, 'Setup Completed'],
      ['imp01-sub1.presence-lab.example.com', '10.3.74.14', 0.402, false, 1472, '(g_3)', 3, 'Out of Sync'],
      ['imp01-sub2', '10.3.74.15', null, false, null, '(g_4)', 4, 'Setup Failed'],
      ['imp01-sub3', '10.3.74.16', 0.388, true, 0, '(g_5)', 0, 'Initializing'],
    ]);
  });

  it('reads tab-separated rows by the header columns', () => {
    const text = fixture(K, 'cucm15-pcd-guide.txt').replace(
      'cucm-55                  10.77.32.55       0.016     Y/Y/Y     0        (g_2)          (2) Setup Completed',
      'cucm-55\t\t\t 10.77.32.55\t\t   0.016\t     Y/Y/Y\t       0\t(g_2)\t       (2) Setup Completed',
    );
    expect(ok(text).servers[1]).toMatchObject({ name: 'cucm-55', ip: '10.77.32.55', pingMs: 0.016, queue: 0, setupState: 2 });
  });

  it('types the known error texts', () => {
    expect(parseDbreplicationRuntimestate(fixture(K, 'db-not-running.txt'))).toMatchObject({ status: 'db-not-running', message: 'Cisco DB is not running' });
    expect(parseDbreplicationRuntimestate(fixture(K, 'single-active-node.txt'))).toMatchObject({ status: 'single-active-node' });
  });

  it('a truncated last row costs that row only, named with its line and raw text', () => {
    const text = fixture(K, 'cucm15-pcd-guide.txt').replace(/cucm-55 {18}10\.77\.32\.55 {7}0\.016 {5}Y\/Y\/Y.*$/m, 'cucm-55                  10.77.32.55       0.016     Y/Y');
    const r = ok(text);
    expect(r.servers.map((s) => s.name)).toEqual(['cucm-57']);
    expectUnparsed(r, [21], /truncated/);
    expect(r.unparsed[0].raw).toBe('cucm-55                  10.77.32.55       0.016     Y/Y');
  });

  it('a table with fewer rows than the announced server count keeps the rows and names the count line', () => {
    const text = fixture(K, 'cucm15-pcd-guide.txt').replace(/^cucm-55 .*$/m, '');
    const r = ok(text);
    expect(r.servers.map((s) => s.name)).toEqual(['cucm-57']);
    expectUnparsed(r, [15], /1 of the 2 announced servers: 1 missing/);
  });

  it('reads a header whose IP ADDRESS column is renamed by the values, and rejects one without SERVER-NAME', () => {
    const renamed = ok(fixture(K, 'cucm15-pcd-guide.txt').replace('IP ADDRESS', 'ADDRESS   '));
    expect(renamed.servers.map((s) => s.ip)).toEqual(['10.77.32.57', '10.77.32.55']);
    const e = expectParseError(() => parseDbreplicationRuntimestate(fixture(K, 'cucm15-pcd-guide.txt').replace('SERVER-NAME', 'HOST       ')), /dbreplication/, 18);
    expect(e.message).toMatch(/SERVER-NAME/);
  });

  it('a setup state outside 0..4 or unreadable flags cost their row only', () => {
    const a = ok(fixture(K, 'cucm15-pcd-guide.txt').replace('(2) Setup Completed\ncucm-55', '(7) Setup Completed\ncucm-55'));
    expect(a.servers.map((s) => s.name)).toEqual(['cucm-55']);
    expectUnparsed(a, [20], /outside 0\.\.4/);
    const b = ok(fixture(K, 'cucm15-pcd-guide.txt').replace('Y/Y/Y     0        (g_3)', 'Y/Q/Y     0        (g_3)'));
    expect(b.servers.map((s) => s.name)).toEqual(['cucm-55']);
    expectUnparsed(b, [20], /RPC: expected Y\/N, got "Q"/);
  });

  it('reads rows whose alignment is lost (spaces collapsed) by the values, in the layout\'s order', () => {
    const text = fixture(K, 'cucm15-pcd-guide.txt').replace(/^(cucm-5\d) +(\S+) +(\S+) +(\S+) +(\S+) +(\S+) +/gm, '$1 $2 $3 $4 $5 $6 ');
    const r = ok(text);
    expect(r.unparsed).toEqual([]);
    expect(r.servers.map((s) => [s.name, s.ip, s.pingMs, s.queue, s.groupId, s.setupState])).toEqual([
      ['cucm-57', '10.77.32.57', 0.163, 0, '(g_3)', 2],
      ['cucm-55', '10.77.32.55', 0.016, 0, '(g_2)', 2],
    ]);
  });
});
