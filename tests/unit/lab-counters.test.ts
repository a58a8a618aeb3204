// PerfMon values of the lab: they move, rate/percent kinds are cumulative raws, and they follow
// the node's state (stopped services, replication, failover).
import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../lab/state/counters';
import { frozenLab, MIN, SEC } from './lab-helpers';

describe('lab counters', () => {
  it('gives each node ~40–50 objects with real names', async () => {
    const { lab } = await frozenLab();
    for (const name of ['imp01-pub', 'cucm01-pub']) {
      const n = lab.node(name)!.counters.objects().length;
      expect(n).toBeGreaterThanOrEqual(38);
      expect(n).toBeLessThanOrEqual(50);
    }
    const imp = lab.node('imp01-pub')!.counters;
    for (const o of ['Cisco Presence Engine', 'Cisco XCP JSM', 'Cisco XCP CM', 'Processor', 'Memory', 'Partition', 'Process', 'Number of Replicates Created and State of Replication', 'DB Local_DSN', 'Enterprise Replication Perfmon Counters']) {
      expect(imp.object(o), o).toBeDefined();
    }
    expect(lab.node('cucm01-pub')!.counters.object('Cisco CallManager')).toBeDefined();
    expect(imp.object('Cisco CallManager')).toBeUndefined();
    expect(imp.instances('Processor')).toEqual(['_Total', '0', '1', '2', '3', '4', '5']);
  });

  it('moves gauges over time and keeps counter/rate raws cumulative', async () => {
    const { lab, clock, advance } = await frozenLab();
    const c = lab.node('imp01-pub')!.counters;
    const gauges: number[] = [];
    const raws: number[] = [];
    for (let k = 0; k < 20; k++) {
      gauges.push(c.value('Memory', undefined, '% Mem Used', clock.now())!);
      raws.push(c.raw('Cisco XCP JSM', undefined, 'JsmTotalMessagePackets', clock.now())!);
      advance(5 * MIN);
    }
    expect(new Set(gauges).size).toBeGreaterThan(3);
    for (let k = 1; k < raws.length; k++) expect(raws[k]).toBeGreaterThan(raws[k - 1]);
    // Deterministic: the same read at the same time gives the same value.
    expect(c.raw('Memory', undefined, '% Mem Used', clock.now())).toBe(c.raw('Memory', undefined, '% Mem Used', clock.now()));
  });

  it('turns two percent raws into a percentage between 0 and 100 (and busy + idle = 100)', async () => {
    const { lab, clock, advance } = await frozenLab();
    const c = lab.node('imp01-pub')!.counters;
    const t1 = clock.now();
    const busy1 = c.raw('Processor', '_Total', '% CPU Time', t1)!;
    const idle1 = c.raw('Processor', '_Total', 'Idle Percentage', t1)!;
    advance(15 * SEC);
    const t2 = clock.now();
    const busy = sampleValue('percent', busy1, t1, c.raw('Processor', '_Total', '% CPU Time', t2)!, t2);
    const idle = sampleValue('percent', idle1, t1, c.raw('Processor', '_Total', 'Idle Percentage', t2)!, t2);
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThan(100);
    expect(busy + idle).toBeCloseTo(100, 6);
    expect(c.value('Processor', '_Total', '% CPU Time', t2)).toBeGreaterThan(0);
  });

  it('drops a stopped service’s objects and process instances', async () => {
    const { lab, clock, faults } = await frozenLab({ settings: { haEnabled: false } });
    const n = lab.node('imp01-pub')!;
    expect(n.counters.instances('Process')).toContain('sipd');
    const f = faults.inject({ kind: 'service-stop', target: 'imp01-pub', params: { service: 'Cisco SIP Proxy' } });
    expect(n.counters.instances('Process')).not.toContain('sipd');
    expect(n.counters.raw('Cisco SIP Proxy', undefined, 'NumSipdWorker', clock.now())).toBeUndefined();
    expect(n.counters.raw('Process', 'sipd', 'VmRSS', clock.now())).toBeUndefined();
    faults.clear(f.id);
    expect(n.counters.instances('Process')).toContain('sipd');
  });

  it('reports broken replication in Replicate_State and a growing queue', async () => {
    const { lab, clock, faults, advance } = await frozenLab();
    const n = lab.node('imp01-sub1')!;
    const q = () => n.counters.value('Enterprise Replication Perfmon Counters', undefined, 'ReplicationQueueDepth', clock.now())!;
    expect(n.counters.value('Number of Replicates Created and State of Replication', 'ReplicateCount', 'Replicate_State', clock.now())).toBe(2);
    expect(q()).toBe(0);
    faults.inject({ kind: 'replication-broken', target: 'imp01-sub1' });
    expect(n.counters.value('Number of Replicates Created and State of Replication', 'ReplicateCount', 'Replicate_State', clock.now())).toBe(3);
    expect(n.replication.detail).not.toBe('Setup Completed');
    const q1 = q();
    advance(10 * MIN);
    expect(q()).toBeGreaterThan(q1);
  });

  it('moves JSM sessions to the backup on failover, spread over the client re-login window (120–537 s)', async () => {
    const { faults, advance, jsm } = await frozenLab({ usersPerCluster: 20_000 });
    const before = [jsm('imp01-pub')!, jsm('imp01-sub1')!];
    const both = before[0] + before[1];
    faults.inject({ kind: 'node-down', target: 'imp01-pub' });
    // Heartbeat timeout 60 s + Failing Over 10 s: failed over at 70 s; nobody has re-logged in yet.
    advance(75 * SEC);
    expect(jsm('imp01-pub')).toBe(0);
    expect(jsm('imp01-sub1')!).toBeLessThan(1.15 * before[1]);
    // Lower limit passed: the first clients arrive, about half by the middle of the window.
    advance(70 * SEC + 120 * SEC + (537 - 120) * 0.5 * SEC - 75 * SEC);
    const mid = jsm('imp01-sub1')!;
    expect(mid).toBeGreaterThan(before[1] + 0.3 * before[0]);
    expect(mid).toBeLessThan(before[1] + 0.7 * before[0]);
    // Upper limit passed: every client is on the backup.
    advance(537 * SEC);
    const after = jsm('imp01-sub1')!;
    expect(after).toBeGreaterThan(0.85 * both);
    expect(after).toBeLessThan(1.15 * both);
  });
});
