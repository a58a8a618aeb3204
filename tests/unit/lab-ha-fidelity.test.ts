// HA rows the fidelity fault kinds produce (reference/ha.md §2): P13 Database Failure, P19/P20 the
// SRM's user moves failing, P21 Unknown, P22 the backup's database failing while failed over; reasons
// verbatim, timings on the simulated SRM clock.
import { describe, expect, it } from 'vitest';
import { FaultError } from '../../lab/faults/manager';
import { frozenLab, MIN, SEC } from './lab-helpers';

describe('HA rows P13, P19–P22', () => {
  it('P13: the database down on node 1 fails it over after the Critical Service Down Delay, reason Database Failure', async () => {
    const { faults, advance, ha, lab } = await frozenLab();
    const f = faults.inject({ kind: 'ha-database-failure', target: 'imp01-pub' });
    expect(lab.node('imp01-pub')!.service('A Cisco DB')!.status).toBe('Stopped');
    advance(89 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
    advance(SEC);
    expect(ha('imp01-pub')).toBe('Failing Over / Database Failure');
    expect(ha('imp01-sub1')).toBe('Taking Over / Database Failure');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Failed Over with Critical Services not Running / Database Failure');
    expect(ha('imp01-sub1')).toBe('Running in Backup Mode / Database Failure');
    // Database back (reboot, ha.md P13 action): node 1 is Failed Over, ready for a manual fallback.
    faults.clear(f.id);
    expect(ha('imp01-pub')).toBe('Failed Over / Initialization or Critical Services Down');
  });

  it('P19: the user move fails while taking over: both nodes Running in Failed Mode; clearing and Recovery restore Normal', async () => {
    const { faults, advance, ha, lab } = await frozenLab();
    const f = faults.inject({ kind: 'ha-take-over-users-failed', target: 'imp01-pub' });
    advance(90 * SEC);
    expect(ha('imp01-pub')).toBe('Failing Over / Critical Service Down');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Running in Failed Mode / Cisco Server Recovery Manager Take Over Users Failed');
    expect(ha('imp01-sub1')).toBe('Running in Failed Mode / Cisco Server Recovery Manager Take Over Users Failed');
    faults.clear(f.id);
    lab.change(lab.node('imp01-pub')!, (now) => lab.group('imp01-prg1')!.ha.recover(now));
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
  });

  it('P20: the user move fails while falling back', async () => {
    const { faults, advance, ha, lab } = await frozenLab();
    const g = lab.group('imp01-prg1')!;
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.failover('imp01-pub', now));
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Idle / On Admin Request');
    faults.inject({ kind: 'ha-take-back-users-failed', target: 'imp01-sub1' });
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.fallback(now));
    expect(ha('imp01-pub')).toBe('Taking Back / On Admin Request');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Running in Failed Mode / Cisco Server Recovery Manager Take Back Users Failed');
    expect(ha('imp01-sub1')).toBe('Running in Failed Mode / Cisco Server Recovery Manager Take Back Users Failed');
  });

  it('P21: an internal SRM error puts both nodes in Running in Failed Mode / Unknown; clearing it is the Recovery', async () => {
    const { faults, advance, ha } = await frozenLab();
    const f = faults.inject({ kind: 'ha-srm-unknown', target: 'imp01-sub1' });
    expect(ha('imp01-pub')).toBe('Running in Failed Mode / Unknown');
    expect(ha('imp01-sub1')).toBe('Running in Failed Mode / Unknown');
    faults.clear(f.id);
    expect(ha('imp01-pub')).toBe('Initializing / Initialization');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
  });

  it('P22: the backup\'s database fails while node 1 is failed over: Backup Activated / Failover Affected Services, users move back to node 1', async () => {
    const { faults, advance, ha, jsm } = await frozenLab();
    const own = jsm('imp01-pub')!;
    // Node 1 fails over on a critical service and recovers (P11): users are on node 2.
    const crit = faults.inject({ kind: 'critical-service-down', target: 'imp01-pub' });
    advance(100 * SEC);
    faults.clear(crit.id);
    expect(ha('imp01-pub')).toBe('Failed Over / Initialization or Critical Services Down');
    advance(10 * MIN);
    expect(jsm('imp01-pub')).toBe(0);
    faults.inject({ kind: 'ha-database-failure', target: 'imp01-sub1' });
    advance(90 * SEC);
    expect(ha('imp01-pub')).toBe('Backup Activated / Auto Recover Database Failure');
    expect(ha('imp01-sub1')).toBe('Failover Affected Services / Auto Recovery Database Failure.');
    advance(10 * SEC);
    expect(ha('imp01-sub1')).toBe('Failed Over with Critical Services not Running / Database Failure');
    expect(ha('imp01-pub')).toBe('Running in Backup Mode / Database Failure');
    // The users return to node 1 over the client re-login window.
    advance(537 * SEC);
    expect(jsm('imp01-pub')!).toBeGreaterThan(1.5 * own);
  });

  it('refuses the HA kinds on CUCM nodes, clusters and groups without HA', async () => {
    const { faults } = await frozenLab({ nodes: 3 });
    for (const [kind, target] of [
      ['ha-database-failure', 'cucm01-pub'],
      ['ha-srm-unknown', 'imp01'],
      ['ha-take-over-users-failed', 'imp01-sub2'],
    ]) {
      expect(() => faults.inject({ kind, target })).toThrow(FaultError);
    }
  });
});
