// Lab start-up at the largest documented scale (reference/topology.md §9): 30 clusters × 6 IM&P
// nodes + 30 CUCM publishers = 210 nodes, 75,000 users per cluster. Reports time-to-ready
// (target ≤ 20 s) and RSS (target ≤ 1024 MB), with a 1-cluster start as the baseline.
import { startLab } from '../lab/index';
import { report } from './report';

async function timeToReady(clusters: number, nodes: number, addressBase: string) {
  const t0 = performance.now();
  const lab = await startLab({ clusters, nodes, usersPerCluster: 75_000, addressBase, sshPort: 2222, controlPort: 0 });
  const seconds = (performance.now() - t0) / 1000;
  return { lab, seconds };
}

let ok = true;
const base = await timeToReady(1, 6, '127.28');
const baseNodes = base.lab.deployment.nodes.length;
await base.lab.stop();
report({ label: `lab time-to-ready, 1 cluster (${baseNodes} nodes)`, value: base.seconds, unit: 's' });

const big = await timeToReady(30, 6, '127.29');
const nodes = big.lab.deployment.nodes.length;
// Touch every node's state once (HA views, a counter, a user) so lazily built parts are counted.
const now = big.lab.deployment.clock.now();
for (const n of big.lab.deployment.nodes) {
  void n.ha;
  n.counters.value('Processor', '_Total', '% CPU Time', now);
  n.cluster.users.user(74_999);
}
const rssMb = process.memoryUsage().rss / 1024 / 1024;
ok = report({ label: `lab time-to-ready, 30 clusters (${nodes} nodes, 2.25 M users)`, value: big.seconds, unit: 's', target: { op: '<=', value: 20 }, baseline: { label: '1 cluster', value: Number(base.seconds.toFixed(2)) } }) && ok;
ok = report({ label: 'lab RSS at 30 clusters', value: Math.round(rssMb), unit: 'MB', target: { op: '<=', value: 1024 } }) && ok;
const t0 = performance.now();
await big.lab.stop();
report({ label: 'lab stop, 30 clusters', value: (performance.now() - t0) / 1000, unit: 's' });
process.exit(0);
