import { describe, expect, it } from 'vitest';
import { parseCoreActiveList } from '../../../collectors/parsers/core-active-list';
import { parseDiagnoseTest } from '../../../collectors/parsers/diagnose-test';
import { parseNetworkCluster } from '../../../collectors/parsers/network-cluster';
import { parseNtpStatus } from '../../../collectors/parsers/ntp-status';
import { parsePerfQuery } from '../../../collectors/parsers/perf-query';
import { expectParseError, expectUnparsed, fixture, withoutElisions } from './fixture';

describe('show network cluster', () => {
  it('reads the TechNote rows', () => {
    const r = parseNetworkCluster(fixture('network-cluster', 'technote-217581.excerpt.txt'));
    expect(r.nodes[0]).toMatchObject({ ip: '10.3.74.13', fqdn: 'IMPPUB.edgrodrilab.com', hostname: 'IMPPUB', role: 'Subscriber', product: 'cups', dbRole: 'DBPub', authenticated: true, since: null });
    expect(r.nodes[1]).toMatchObject({ product: 'callmanager', dbRole: 'DBSub', since: 'Thu Oct 28 11:24:16 2021' });
    expect(r.processNodes).toBeNull();
  });
  it('reads the processnode section', () => {
    const r = parseNetworkCluster(fixture('network-cluster', 'cucm15-processnode.reconstructed.txt'));
    expect(r.nodes.map((n) => n.role)).toEqual(['Publisher', 'Subscriber', 'Subscriber', 'Subscriber']);
    expect(r.processNodes).toEqual(['cucm01-pub.example.com', 'cucm01-sub1.example.com', 'imp01-pub.example.com', 'imp01-sub1.example.com']);
    expect(r.successful).toBe(true);
  });
  it('rejects a row missing columns', () => {
    expectParseError(() => parseNetworkCluster('10.3.74.13 IMPPUB.edgrodrilab.com IMPPUB Subscriber\n'), /show network cluster/, 1);
  });
});

describe('show perf query', () => {
  it('reads the class form (blog capture)', () => {
    const r = parsePerfQuery(withoutElisions(fixture('perf-query', 'memory-class-blog.excerpt.txt')));
    expect(r.query).toBe('class');
    expect(r.classes[0].name).toBe('Memory');
    expect(r.classes[0].values.map((v) => [v.instance, v.counter, v.value])).toEqual([
      [null, '% Mem Used', 53],
      [null, '% Page Usage', 62],
      [null, '% VM Used', 61],
      [null, 'Buffers KBytes', 545440],
      [null, 'Used VM KBytes', 5119684],
    ]);
  });
  it('reads the multi-instance guide form with the class header wrapped', () => {
    const r = parsePerfQuery(fixture('perf-query', 'replication-multi-instance-guide.txt'));
    expect(r.classes[0].name).toBe('Number of Replicates Created and State of Replication');
    expect(r.classes[0].values.map((v) => [v.instance, v.counter, v.value])).toEqual([
      ['ReplicateCount', 'Number of Replicates Created', 344],
      ['ReplicateCount', 'Replicate_State', 2],
    ]);
  });
  it('reads the counter form printed on one line', () => {
    const r = parsePerfQuery(fixture('perf-query', 'cuic-counter-one-line.txt'));
    expect(r.classes[0]).toMatchObject({ name: 'ReportingEngineInfo', counter: 'ReportsUsersLoggedin', values: [{ instance: null, counter: 'ReportsUsersLoggedin', value: 3 }] });
  });
  it('reads the counter form for single- and multi-instance classes', () => {
    expect(parsePerfQuery(fixture('perf-query', 'xcp-counter.reconstructed.txt')).classes[0].values[0]).toMatchObject({ counter: 'CmConnectedSockets', value: 1874 });
    const p = parsePerfQuery(fixture('perf-query', 'partition-counter-multi.reconstructed.txt'));
    expect(p.query).toBe('counter');
    expect(p.classes[0].values.map((v) => `${v.instance}=${v.value}`)).toEqual(['Active=67', 'Boot=27', 'Common=60', 'Inactive=66', 'Swap=1']);
  });
  it('a truncated value line or a non-numeric value costs that value only', () => {
    const text = fixture('perf-query', 'partition-counter-multi.reconstructed.txt').replace('Swap     -> % Used                         = 1', 'Swap     -> % Us');
    const r = expectUnparsed(parsePerfQuery(text, 'p.txt'), [9], /truncated/);
    expect(r.classes[0].values.map((v) => v.instance)).toEqual(['Active', 'Boot', 'Common', 'Inactive']);
    expectParseError(() => parsePerfQuery(' - Perf class (Memory) has instances and values:\n -> % Mem Used = abc\n'), /show perf query/, 2);
  });
});

describe('utils diagnose test', () => {
  it('reads the TechNote run', () => {
    const r = parseDiagnoseTest(fixture('diagnose-test', 'technote-215537-passed.txt'));
    expect(r.logFile).toBe('platform/log/diag1.log');
    expect(r.modules).toHaveLength(19);
    expect(r.modules[0]).toMatchObject({ action: 'test', module: 'disk_space', result: 'Passed', passed: true, text: '(available: 6463 MB, used: 12681 MB)', line: 7 });
    expect(r.modules[1]).toMatchObject({ action: 'skip', module: 'disk_files', result: null, passed: false, text: 'This module must be run directly and off hours' });
    expect(r.modules.filter((m) => m.action === 'test').every((m) => m.passed)).toBe(true);
  });
  it('reads warnings, failures, text-only results and continuation lines', () => {
    const r = parseDiagnoseTest(fixture('diagnose-test', 'failures.reconstructed.txt'));
    const by = Object.fromEntries(r.modules.map((m) => [m.module, m]));
    expect(by.validate_network).toMatchObject({ result: null, passed: false, text: 'Reverse DNS lookup failed' });
    expect(by.ntp_reachability).toMatchObject({ result: 'Warning', text: 'The NTP service is restarting, it can take about 5 minutes.' });
    expect(by.ntp_clock_drift.text).toBe('The local clock is not synchronised. None of the designated NTP servers are reachable/functioning or legitimate.');
    expect(by.ntp_stratum).toMatchObject({ result: 'Failed', passed: false });
  });
  it('a run cut before "Diagnostics Completed" keeps its results but is flagged, never "all passed"', () => {
    const text = fixture('diagnose-test', 'technote-215537-passed.txt').split('\n').slice(0, 12).join('\n');
    const r = expectUnparsed(parseDiagnoseTest(text), [12], /never printed "Diagnostics Completed"/);
    expect(r.completed).toBe(false);
    expect(r.modules).toHaveLength(6);
  });
});

describe('utils ntp status', () => {
  it('reads a synchronised node with its peers table', () => {
    const r = parseNtpStatus(fixture('ntp-status', 'synchronised.reconstructed.txt'));
    expect(r).toMatchObject({ running: true, pid: 28435, synchronised: true, server: '10.10.10.1', stratum: 2, pollingSeconds: 256, timeCorrectWithinMs: 41 });
    expect(r.peers[0]).toMatchObject({ tally: '*', remote: '10.10.10.1', refid: '.GPS.', stratum: 1, reach: '377', offsetMs: -0.159 });
    expect(r.currentTimeUtc).toBe('Fri Sep  6 20:54:50 UTC 2019');
  });
  it('reads an unsynchronised node', () => {
    const r = parseNtpStatus(fixture('ntp-status', 'unsynchronised.reconstructed.txt'));
    expect(r).toMatchObject({ synchronised: false, server: null, stratum: null, pollingSeconds: 8, notes: ['time server re-starting'] });
    expect(r.peers[0]).toMatchObject({ tally: ' ', refid: '.INIT.', stratum: 16, when: '-', reach: '0' });
  });
  it('a peer row with a missing column costs that peer only', () => {
    const text = fixture('ntp-status', 'synchronised.reconstructed.txt').replace('0.512    0.211   0.094', '0.512');
    const r = expectUnparsed(parseNtpStatus(text), [7], /truncated/);
    expect(r.synchronised).toBe(true);
    expect(r.peers.map((p) => p.remote)).not.toContain(undefined);
  });
});

describe('utils core active list', () => {
  it('reads core files and "No core files found"', () => {
    const r = parseCoreActiveList(fixture('core-active-list', 'technote-221038.reconstructed.txt'));
    expect(r.cores[0]).toMatchObject({ sizeKB: 292616, date: '2022-02-20 00:02:37', file: 'core.62556.6.ccm.1645336926', process: 'ccm', line: 5 });
    expect(r.noneFound).toBe(false);
    expect(parseCoreActiveList(fixture('core-active-list', 'none.txt'))).toEqual({ cores: [], noneFound: true, unparsed: [] });
  });
  it('a truncated row costs that row only', () => {
    const text = fixture('core-active-list', 'technote-221038.reconstructed.txt').replace('181224 KB   2022-02-18 13:44:02   core.29917.11.ccm.1645213442', '181224 KB   2022-02-18');
    const r = expectUnparsed(parseCoreActiveList(text), [6], /truncated/);
    expect(r.cores.map((c) => c.sizeKB)).toEqual([292616]);
  });
});
