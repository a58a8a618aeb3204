// The presence redundancy group state machine: each implemented row of reference/ha.md §2,
// with the SRM timings of §3.2 on a simulated clock.
import { describe, expect, it } from 'vitest';
import { buildDeployment } from '../../lab/state/deployment';
import { FaultManager } from '../../lab/faults/manager';
import { frozenLab, MIN, SEC } from './lab-helpers';

describe('presence redundancy group HA', () => {
  it('starts Normal/Normal (P1); HA off and single-node groups show High Availability Not Enabled', async () => {
    const { ha } = await frozenLab({ nodes: 3, settings: { haEnabled: { 'imp01-prg1': true } } });
    expect(ha('imp01-pub')).toBe('Normal / Normal');
    expect(ha('imp01-sub1')).toBe('Normal / Normal');
    expect(ha('imp01-sub2')).toBe('Unknown / High Availability Not Enabled');
    const off = await frozenLab({ settings: { haEnabled: false } });
    expect(off.ha('imp01-pub')).toBe('Unknown / High Availability Not Enabled');
  });

  it('fails over after the Critical Service Down Delay (P12), recovers to Failed Over (P11) and falls back manually (P4 → P1)', async () => {
    const { lab, faults, advance, ha, jsm } = await frozenLab();
    const ownPub = jsm('imp01-pub')!;
    const ownSub = jsm('imp01-sub1')!;
    expect(ownPub).toBeGreaterThan(100);
    const f = faults.inject({ kind: 'critical-service-down', target: 'imp01-pub' });
    expect(lab.node('imp01-pub')!.service('Cisco Presence Engine')!.status).toBe('Stopped');
    advance(89 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
    advance(1 * SEC);
    expect(ha('imp01-pub')).toBe('Failing Over / Critical Service Down');
    expect(ha('imp01-sub1')).toBe('Taking Over / Critical Service Down');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Failed Over with Critical Services not Running / Critical Service Down');
    expect(ha('imp01-sub1')).toBe('Running in Backup Mode / Critical Service Down');
    // The backup carries both nodes' users once the moved clients have re-logged in (upper limit 537 s).
    expect(jsm('imp01-sub1')!).toBeLessThan(1.2 * ownSub);
    advance(537 * SEC);
    expect(jsm('imp01-sub1')!).toBeGreaterThan(1.8 * ownSub);
    faults.clear(f.id);
    expect(ha('imp01-pub')).toBe('Failed Over / Initialization or Critical Services Down');
    expect(ha('imp01-sub1')).toBe('Running in Backup Mode / Critical Service Down');
    advance(2 * 60 * MIN);
    expect(ha('imp01-pub')).toBe('Failed Over / Initialization or Critical Services Down'); // no automatic fallback by default
    lab.change(lab.node('imp01-pub')!, (now) => lab.group('imp01-prg1')!.ha.fallback(now));
    expect(ha('imp01-pub')).toBe('Taking Back / On Admin Request');
    expect(ha('imp01-sub1')).toBe('Falling Back / On Admin Request');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
    expect(ha('imp01-sub1')).toBe('Normal / Normal');
    expect(Math.abs(jsm('imp01-sub1')! - ownSub) / ownSub).toBeLessThan(0.5);
  });

  it('falls back automatically 30 minutes after recovery when Enable Automatic Fallback is on (P10)', async () => {
    const { faults, advance, ha } = await frozenLab({ settings: { autoFallback: true } });
    const f = faults.inject({ kind: 'service-stop', target: 'imp01-sub1', params: { service: 'Cisco SIP Proxy' } });
    advance(100 * SEC);
    expect(ha('imp01-sub1')).toBe('Failed Over with Critical Services not Running / Critical Service Down');
    advance(5 * MIN);
    faults.clear(f.id);
    expect(ha('imp01-sub1')).toBe('Failed Over / Initialization or Critical Services Down');
    advance(30 * MIN - SEC);
    expect(ha('imp01-sub1')).toBe('Failed Over / Initialization or Critical Services Down');
    advance(SEC);
    expect(ha('imp01-sub1')).toBe('Taking Back / Automatic Fallback');
    expect(ha('imp01-pub')).toBe('Falling Back / Automatic Fallback');
    advance(10 * SEC);
    expect(ha('imp01-sub1')).toBe('Normal / Normal');
  });

  it('node-down: the peer runs in backup mode with Peer Reboot after the 60 s heartbeat timeout (P17)', async () => {
    const { lab, faults, advance, ha, jsm } = await frozenLab();
    const f = faults.inject({ kind: 'node-down', target: 'imp01-sub1' });
    expect(lab.node('imp01-sub1')!.faults.down).toBe(true);
    advance(59 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
    advance(11 * SEC);
    expect(ha('imp01-pub')).toBe('Running in Backup Mode / Peer Reboot');
    expect(jsm('imp01-pub')!).toBeGreaterThan(0);
    faults.clear(f.id);
    expect(lab.node('imp01-sub1')!.faults.down).toBe(false);
    expect(ha('imp01-sub1')).toBe('Failed Over / Initialization or Critical Services Down');
    expect(ha('imp01-pub')).toBe('Running in Backup Mode / Peer Reboot');
  });

  it('partition: Peer Down (P16) while the partitioned node still answers', async () => {
    const { lab, faults, advance, ha } = await frozenLab();
    faults.inject({ kind: 'partition', target: 'imp01-pub' });
    expect(lab.node('imp01-pub')!.faults.down).toBe(false);
    advance(70 * SEC);
    expect(ha('imp01-sub1')).toBe('Running in Backup Mode / Peer Down');
    expect(ha('imp01-pub')).toBe('Failed Over / Peer Down');
  });

  it('manual failover stops the critical services (P2 → P3); fallback restarts them', async () => {
    const { lab, advance, ha } = await frozenLab();
    const g = lab.group('imp01-prg1')!;
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.failover('imp01-pub', now));
    expect(ha('imp01-pub')).toBe('Failing Over / On Admin Request');
    expect(ha('imp01-sub1')).toBe('Taking Over / On Admin Request');
    const router = lab.node('imp01-pub')!.service('Cisco XCP Router')!;
    expect(router.status).toBe('Stopped');
    expect(router.reasonCode).toBe(-1069);
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Idle / On Admin Request');
    expect(ha('imp01-sub1')).toBe('Running in Backup Mode / On Admin Request');
    advance(3 * 60 * MIN); // an admin failover never falls back by itself
    expect(ha('imp01-pub')).toBe('Idle / On Admin Request');
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.fallback(now));
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
    expect(router.status).toBe('Started');
  });

  it('critical services that cannot start during take-back fail the group (P14); Recovery restores it', async () => {
    const { lab, faults, advance, ha } = await frozenLab();
    const g = lab.group('imp01-prg1')!;
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.failover('imp01-pub', now));
    advance(10 * SEC);
    const f = faults.inject({ kind: 'service-stop', target: 'imp01-pub', params: { service: 'Cisco Presence Engine' } });
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.fallback(now));
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Running in Failed Mode / Start of Critical Services Failed');
    expect(ha('imp01-sub1')).toBe('Running in Failed Mode / Start of Critical Services Failed');
    faults.clear(f.id);
    lab.change(lab.node('imp01-pub')!, (now) => g.ha.recover(now));
    expect(ha('imp01-pub')).toBe('Initializing / Initialization');
    advance(10 * SEC);
    expect(ha('imp01-pub')).toBe('Normal / Normal');
  });

  it('a critical service down on the backup: both fail (P15) when the failed node is down too, auto-recovery (P23) when it is healthy', async () => {
    const a = await frozenLab();
    a.faults.inject({ kind: 'critical-service-down', target: 'imp01-pub' });
    a.advance(100 * SEC);
    a.faults.inject({ kind: 'critical-service-down', target: 'imp01-sub1' });
    a.advance(90 * SEC);
    expect(a.ha('imp01-pub')).toBe('Running in Failed Mode / Critical Service Down');
    expect(a.ha('imp01-sub1')).toBe('Running in Failed Mode / Critical Service Down');

    const b = await frozenLab();
    const f = b.faults.inject({ kind: 'critical-service-down', target: 'imp01-pub' });
    b.advance(100 * SEC);
    b.faults.clear(f.id); // imp01-pub: Failed Over (P11)
    b.faults.inject({ kind: 'critical-service-down', target: 'imp01-sub1', params: { service: 'Cisco SIP Proxy' } });
    b.advance(90 * SEC);
    expect(b.ha('imp01-pub')).toBe('Backup Activated / Auto Recover Database Failure');
    expect(b.ha('imp01-sub1')).toBe('Failover Affected Services / Auto Recover Critical Service Down');
    b.advance(10 * SEC);
    expect(b.ha('imp01-sub1')).toBe('Failed Over with Critical Services not Running / Critical Service Down');
    expect(b.ha('imp01-pub')).toBe('Running in Backup Mode / Critical Service Down');
  });

  it('replays transitions at their true time however late the state is read', async () => {
    const polled = await frozenLab();
    const late = await frozenLab();
    for (const l of [polled, late]) l.faults.inject({ kind: 'critical-service-down', target: 'imp01-pub' });
    for (let t = 0; t < 300; t += 7) {
      polled.advance(7 * SEC);
      polled.ha('imp01-pub');
    }
    late.advance(300 * SEC + 6 * SEC);
    expect(late.ha('imp01-pub')).toBe(polled.ha('imp01-pub'));
    const times = (l: typeof late) => l.lab.group('imp01-prg1')!.ha.history.map((h) => h.at);
    expect(times(late)).toEqual(times(polled));
  });

  it('runs timeScale times faster than real time', async () => {
    const lab = await buildDeployment({ clusters: 1, nodes: 2, usersPerCluster: 100, addressBase: '127.20', timeScale: 2000 });
    const faults = new FaultManager(lab);
    faults.inject({ kind: 'critical-service-down', target: 'imp01-pub' });
    // 90 s + 10 s simulated = 50 ms real at 2000×.
    const deadline = Date.now() + 2000;
    while (lab.node('imp01-sub1')!.ha!.state !== 'Running in Backup Mode' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(lab.node('imp01-sub1')!.ha!.state).toBe('Running in Backup Mode');
    expect(lab.clock.toReal(90_000)).toBe(45);
  });
});
