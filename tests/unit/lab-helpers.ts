// Shared setup for the lab unit tests: a deployment on a clock that only moves when told to.
import { FaultManager } from '../../lab/faults/manager';
import { createClock } from '../../lab/state/clock';
import { buildDeployment, type DeploymentOptions } from '../../lab/state/deployment';

export async function frozenLab(opts: Partial<DeploymentOptions> = {}) {
  const realStart = Date.UTC(2026, 2, 10, 14, 0, 0);
  const clock = createClock(1, () => realStart);
  const lab = await buildDeployment({ clusters: 1, nodes: 2, usersPerCluster: 1000, addressBase: '127.20', ...opts, clock });
  const faults = new FaultManager(lab);
  const advance = (ms: number) => clock.advance(ms);
  const ha = (name: string) => {
    const v = lab.node(name)!.ha!;
    return `${v.state} / ${v.reason}`;
  };
  const jsm = (name: string) => lab.node(name)!.counters.value('Cisco Presence Engine', undefined, 'ActiveJsmSessions', clock.now());
  return { lab, clock, faults, advance, ha, jsm };
}

export const SEC = 1000;
export const MIN = 60 * SEC;
