// High Availability checks against the lab (Cisco's pair-state table through collectors/ha-pairs.ts),
// and a run's isolation from broken nodes: a powered-off node and a node that accepts connections but
// never answers are Error rows for that node only, the run ends within the configured timeouts, and
// every other node's checks are evaluated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsOf, startDiagRig, type DiagRig } from './diagnostics-rig';

let rig: DiagRig;

beforeAll(async () => {
  rig = await startDiagRig({ addressBase: '127.134', clusters: 2, nodes: 2, users: 300, requestTimeoutSeconds: 3, cliTimeoutSeconds: 5 });
});

afterAll(async () => {
  await rig?.stop();
});

/** Advances the lab's clock until the group's states are `want` (HA timers run on the simulated clock). */
async function until(group: string, want: string[]): Promise<void> {
  const g = rig.lab.deployment.group(group)!;
  for (let k = 0; k < 60; k++) {
    const states = g.nodes.map((n) => n.ha?.state ?? '');
    if (want.every((w, i) => states[i].toLowerCase() === w.toLowerCase())) return;
    rig.lab.deployment.clock.advance(15_000);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${group} never reached ${want.join('/')}: ${g.nodes.map((n) => `${n.ha?.state} (${n.ha?.reason})`).join(' / ')}`);
}

describe('High Availability', () => {
  it('HA-STATE passes Normal/Normal, then fails a critical-service failover naming the group, node 1 and row P12', async () => {
    expect((await rig.check('HA-STATE')).status).toBe('passed');
    const f = rig.fault('critical-service-down', 'imp01-pub', { service: 'Cisco Presence Engine' });
    try {
      await until('imp01-prg1', ['Failed Over with Critical Services not Running', 'Running in Backup Mode']);
      const r = await rig.check('HA-STATE');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp01/imp01-pub:imp01-prg1']);
      expect(r.items[0].data).toMatchObject({ row: 'P12', node1: 'imp01-pub', node2: 'imp01-sub1' });
      expect(r.items[0].detail).toContain('Check node 1 for any critical services that are down');
    } finally {
      rig.clear(f);
      // The group stays Failed Over until a manual fallback (automatic fallback is off by default).
      const g = rig.lab.deployment.group('imp01-prg1')!;
      await until('imp01-prg1', ['Failed Over', 'Running in Backup Mode']);
      rig.lab.deployment.change(g.nodes[0], (t) => g.ha.fallback(t));
      await until('imp01-prg1', ['Normal', 'Normal']);
    }
    expect((await rig.check('HA-STATE')).status).toBe('passed');
  });

  it('HA-ENABLED warns about the group with High Availability disabled', async () => {
    const g = rig.lab.deployment.group('imp02-prg1')!;
    g.haEnabled = false;
    try {
      const r = await rig.check('HA-ENABLED');
      expect(r.status).toBe('warning');
      expect(itemsOf(r)).toEqual(['warning:imp02/:imp02-prg1']);
      expect((await rig.check('HA-STATE')).status).toBe('passed');
    } finally {
      g.haEnabled = true;
    }
    expect((await rig.check('HA-ENABLED')).status).toBe('passed');
  });

  it('HA-JSM warns about the node above its JSM session threshold', async () => {
    expect((await rig.check('HA-JSM')).status).toBe('passed');
    const f = rig.fault('jsm-threshold', 'imp02-sub1');
    try {
      const r = await rig.check('HA-JSM');
      expect(r.status).toBe('warning');
      expect(itemsOf(r)).toEqual(['warning:imp02/imp02-sub1:imp02-sub1']);
    } finally {
      rig.clear(f);
    }
  });
});

describe('a broken node never holds the run up', () => {
  it('a powered-off node and a hung node are Error rows; every other node is evaluated; the run ends within the timeouts', async () => {
    const down = rig.fault('node-down', 'cucm02-pub');
    const hung = rig.fault('hang', 'imp02-sub1');
    try {
      const t0 = Date.now();
      const out = await rig.run(['SVC-CRITICAL', 'PLAT-NTP', 'PLAT-VERSIONS', 'REPL-STATE']);
      const took = Date.now() - t0;
      expect(out.status).toBe('completed');
      // One connect timeout (5 s) per protocol of the hung node, not one per command.
      expect(took).toBeLessThan(40_000);
      const svc = out.results.find((r) => r.checkId === 'SVC-CRITICAL')!;
      expect(svc.status).toBe('error');
      expect(itemsOf(svc)).toEqual(['error:cucm02/cucm02-pub:cucm02-pub', 'error:imp02/imp02-sub1:imp02-sub1']);
      const ntp = out.results.find((r) => r.checkId === 'PLAT-NTP')!;
      // imp02's nodes take their time from the CUCM publisher that is down: imp02-pub answers, unsynchronised.
      expect(itemsOf(ntp)).toEqual(['error:cucm02/cucm02-pub:cucm02-pub', 'error:imp02/imp02-sub1:imp02-sub1', 'failed:imp02/imp02-pub:imp02-pub']);
      const repl = out.results.find((r) => r.checkId === 'REPL-STATE')!;
      expect(itemsOf(repl)).toEqual(['error:cucm02/cucm02-pub:cucm02-pub']);
    } finally {
      rig.clear(down);
      rig.clear(hung);
    }
  });
});
