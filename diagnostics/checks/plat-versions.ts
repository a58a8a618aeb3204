// Versions consistent within a cluster (Cisco's SystemVersionMismatched alarm; reference/
// counters-certs-replication.md §4.1: "Fresh multinode install and upgrade complete only when
// publisher and subscribers run the same release"): every node's active version (`show status`
// Product Ver, or the inventory source's reading) equals its publisher's.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const platVersions: CheckDefinition = {
  id: 'PLAT-VERSIONS',
  section: 'Platform',
  title: 'Verify every node of a cluster runs the same version.',
  description: 'Compares each node\'s active software version (show status: Product Ver) with its cluster publisher\'s (SystemVersionMismatched).',
  needs: ['versions'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'versions', 'PLAT-VERSIONS');
    const items: AffectedItem[] = [...errors];
    for (const cluster of ctx.clusters) {
      const mine = ok.filter((r) => r.cluster === cluster);
      const pub = mine.find((r) => r.node.name === cluster.publisher);
      const reference = pub?.value.version ?? mostCommon(mine.map((r) => r.value.version));
      if (!reference) continue;
      for (const r of mine) {
        if (r.value.version === reference) continue;
        items.push({ kind: 'node', key: `${r.node.name}|${r.value.version}`, status: 'failed', cluster: cluster.name, node: r.node.name, label: r.node.name, detail: `Runs ${r.value.version}; ${pub ? `the publisher ${cluster.publisher}` : 'the other nodes'} run${pub ? 's' : ''} ${reference} (SystemVersionMismatched).`, data: { version: r.value.version, expected: reference } });
      }
    }
    return outcome(items, {
      pass: 'Every node runs its publisher\'s version.',
      summary: (f) => `${plural(f.length, 'node')} on a different version from ${f.length === 1 ? 'its' : 'their'} publisher (SystemVersionMismatched)`,
      problem: 'Nodes of a cluster run different versions (SystemVersionMismatched): an install or upgrade is incomplete. An upgrade completes only when the publisher and the subscribers run the same release and IDS replication is established.',
      solution: 'Finish the upgrade or switch version on the nodes listed (utils system switch-version, or Cisco Unified OS Administration > Software Upgrades > Install/Upgrade) so that every node of the cluster runs the publisher\'s version, then check database replication (utils dbreplication runtimestate).',
    });
  },
};

function mostCommon(values: string[]): string | undefined {
  const c = new Map<string, number>();
  for (const v of values) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1])[0]?.[0];
}
