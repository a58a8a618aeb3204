// Fault injection on the lab state: targets, params, combination of overlapping faults, and
// undo on clear.
import { describe, expect, it } from 'vitest';
import { FaultError } from '../../lab/faults/manager';
import { frozenLab, MIN } from './lab-helpers';

describe('lab faults', () => {
  it('applies a node fault to every node of a cluster target and combines overlapping flags', async () => {
    const { lab, faults } = await frozenLab();
    let events = 0;
    lab.node('imp01-sub1')!.events.on('faults', () => events++);
    const a = faults.inject({ kind: 'slow', target: 'imp01', params: { ms: 500 } });
    const b = faults.inject({ kind: 'slow', target: 'imp01-sub1', params: { ms: '2000' } });
    const c = faults.inject({ kind: 'rate-limit', target: 'imp01-sub1', params: { limit: 5 } });
    faults.inject({ kind: 'rate-limit', target: 'imp01', params: {} });
    expect(a.nodes).toEqual(['imp01-pub', 'imp01-sub1']);
    expect(lab.node('imp01-pub')!.faults.slowMs).toBe(500);
    expect(lab.node('imp01-sub1')!.faults.slowMs).toBe(2000);
    expect(lab.node('imp01-sub1')!.faults.rateLimit).toBe(0);
    faults.clear(b.id);
    expect(lab.node('imp01-sub1')!.faults.slowMs).toBe(500);
    expect(faults.clearAll()).toBe(3);
    expect(lab.node('imp01-sub1')!.faults).toMatchObject({ slowMs: 0, rateLimit: undefined, hang: false });
    expect(lab.node('cucm01-pub')!.faults.slowMs).toBe(0);
    expect(events).toBe(8); // 4 injections + 4 clears touched imp01-sub1
    expect(c.id).toBe('f3');
  });

  it('rejects unknown kinds, targets and params with a status and a message', async () => {
    const { faults } = await frozenLab();
    const fail = (req: Parameters<typeof faults.inject>[0]) => {
      try {
        faults.inject(req);
      } catch (e) {
        expect(e).toBeInstanceOf(FaultError);
        return `${(e as FaultError).status} ${(e as Error).message}`;
      }
      throw new Error('expected a FaultError');
    };
    expect(fail({ kind: 'flood', target: 'imp01-pub' })).toMatch(/^400 unknown fault kind 'flood'/);
    expect(fail({ kind: 'hang', target: 'imp99' })).toMatch(/^404 unknown target 'imp99'/);
    expect(fail({ kind: 'slow', target: 'imp01-pub', params: { ms: 'soon' } })).toMatch(/^400 slow params: ms:/);
    expect(fail({ kind: 'hang', target: 'imp01-pub', params: { extra: 1 } })).toMatch(/^400 hang params:/);
    expect(fail({ kind: 'critical-service-down', target: 'cucm01-pub' })).toMatch(/^400 critical-service-down applies to IM&P/);
    expect(fail({ kind: 'critical-service-down', target: 'imp01-pub', params: { service: 'Cisco Tomcat' } })).toMatch(/is not an HA critical service/);
    expect(fail({ kind: 'service-stop', target: 'imp01-pub', params: { service: 'Cisco CallManager' } })).toMatch(/has no service 'Cisco CallManager'/);
    expect(fail({ kind: 'partition', target: 'imp01' })).toMatch(/one node/);
    expect(faults.list()).toEqual([]);
  });

  it('stopping Cisco XCP Router stops the XCP services with it; clearing starts them again', async () => {
    const { lab, faults, advance } = await frozenLab({ settings: { haEnabled: false } });
    const n = lab.node('imp01-pub')!;
    const f = faults.inject({ kind: 'service-stop', target: 'imp01-pub' });
    expect(f.detail).toBe('Cisco XCP Router stopped');
    for (const s of ['Cisco XCP Router', 'Cisco XCP Connection Manager', 'Cisco XCP Text Conference Manager']) {
      expect(n.service(s)).toMatchObject({ status: 'Stopped', reasonCode: -1019 });
    }
    expect(n.service('Cisco XCP Config Manager')!.status).toBe('Started');
    expect(n.service('Cisco XCP Directory Service')).toMatchObject({ status: 'Stopped', reasonCode: -1068 }); // not activated, untouched
    advance(MIN);
    faults.clear(f.id);
    expect(n.service('Cisco XCP Connection Manager')!.status).toBe('Started');
    expect(n.service('Cisco XCP Router')!.startedAt).toBe(lab.clock.now());
    expect(n.service('Cisco XCP Directory Service')!.status).toBe('Stopped');
  });

  it('keeps subscribers’ publisher-only services Commanded Out of Service and feature services Not Activated', async () => {
    const { lab } = await frozenLab();
    expect(lab.node('imp01-sub1')!.service('Cisco DRF Master')).toMatchObject({ status: 'Stopped', reasonCode: -1069, activated: false });
    expect(lab.node('imp01-pub')!.service('Cisco DRF Master')!.status).toBe('Started');
    expect(lab.node('imp01-sub1')!.service('Cisco Serviceability Reporter')!.reasonCode).toBe(-1068);
    const platform = lab.node('cucm01-pub')!.services.filter((s) => s.group === 'platform').map((s) => s.name);
    expect(platform).toEqual(['System SSH', 'Cluster Manager', 'Name Service Cache', 'Entropy Monitoring Daemon', 'Cisco SCSI Watchdog', 'Service Manager']);
    expect(lab.node('cucm01-pub')!.service('Cisco CallManager')!.critical).toBe(false);
    expect(lab.node('imp01-pub')!.services.filter((s) => s.critical).map((s) => s.name).sort()).toEqual(
      ['Cisco Client Profile Agent', 'Cisco Presence Engine', 'Cisco SIP Proxy', 'Cisco Sync Agent', 'Cisco XCP Router', 'Cisco XCP Text Conference Manager'].sort(),
    );
  });
});

describe('node-down', () => {
  it('brings the node back as from a reboot: services restarted, uptime from the clear time', async () => {
    const { lab, faults, advance } = await frozenLab();
    const n = lab.node('cucm01-pub')!;
    const f = faults.inject({ kind: 'node-down', target: 'cucm01' });
    expect(n.faults.down).toBe(true);
    advance(5 * MIN);
    faults.clear(f.id);
    expect(n.faults.down).toBe(false);
    expect(n.service('Cisco CallManager')!.startedAt).toBe(lab.clock.now());
    expect(n.service('Cisco DirSync')!.startedAt).toBe(lab.clock.now());
  });
});
