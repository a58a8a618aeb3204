// NTP (reference/peers.md §1.7: the Upgrade Readiness COP tests NTP; wire-formats §4.10 `utils ntp
// status`): every node's ntpd must run and be synchronised.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const platNtp: CheckDefinition = {
  id: 'PLAT-NTP',
  section: 'Platform',
  title: 'Verify every node is synchronised to an NTP server.',
  description: 'Runs `utils ntp status` on every node: ntpd must be running and "synchronised to NTP server".',
  needs: ['ntp'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'ntp', 'PLAT-NTP');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      const v = r.value;
      if (v.running && v.synchronised) continue;
      const peers = v.peers.map((p) => `${p.remote} (reach ${p.reach}, stratum ${p.stratum ?? '-'})`).join(', ');
      items.push({
        kind: 'node',
        key: `${r.node.name}|ntp`,
        status: 'failed',
        cluster: r.cluster.name,
        node: r.node.name,
        label: r.node.name,
        detail: v.running ? `unsynchronised${v.notes.length ? ` (${v.notes.join('; ')})` : ''}${peers ? `; NTP servers: ${peers}` : ''}.` : 'ntpd is not running.',
      });
    }
    return outcome(items, {
      pass: 'Every node is synchronised to an NTP server.',
      summary: (f) => `${plural(f.length, 'node')} not synchronised to NTP`,
      problem: 'A node is not synchronised to its NTP server. Clocks that drift apart break database replication, certificate validity checks and Single Sign-On, and an upgrade\'s pre-checks fail.',
      solution: 'Check that the NTP servers are reachable from the node (utils network ping <server>) and legitimate (utils ntp server list): VOS subscribers take their time from the CUCM publisher, which needs a reachable external NTP server; then utils ntp restart and check again with utils ntp status.',
    });
  },
};
