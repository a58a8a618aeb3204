// Shared pieces of the check modules: walking a dataset's readings over the run's scope, Error rows
// for nodes whose data could not be collected, and wording.
import type { InventoryCluster, InventoryNode } from '../../config/resolve';
import { datasetTargets, nodeId, type Datasets, type NodeData, type NodeDatasetName, type NodeReading } from '../collect/datasets';
import { DATASET_LABEL } from '../collect/datasets';
import type { AffectedItem, CheckContext, CheckOutcome } from '../types';
import { worstStatus } from '../types';

export interface Reading<T> {
  cluster: InventoryCluster;
  node: InventoryNode;
  value: T;
  at: number;
}

/** The node readings of a dataset within the run's scope: the good ones, and an Error item for each failed one. */
export function readings<K extends NodeDatasetName>(
  ctx: CheckContext,
  name: K,
  checkId: string,
): { ok: Array<Reading<NonNullable<Datasets[K]> extends NodeData<infer T> ? T : never>>; errors: AffectedItem[] } {
  type T = NonNullable<Datasets[K]> extends NodeData<infer V> ? V : never;
  const data = ctx.data[name] as NodeData<T> | undefined;
  const ok: Array<Reading<T>> = [];
  const errors: AffectedItem[] = [];
  for (const { cluster, node } of datasetTargets(name, ctx.clusters)) {
    const r: NodeReading<T> | undefined = data?.get(nodeId(cluster.name, node.name));
    if (!r) {
      errors.push(errorItem(checkId, cluster.name, node.name, `${DATASET_LABEL[name]} not collected`));
      continue;
    }
    if (r.ok) ok.push({ cluster, node, value: r.value, at: r.at });
    else errors.push(errorItem(checkId, cluster.name, node.name, `${DATASET_LABEL[name]}: ${r.error.kind}: ${r.error.message}`));
  }
  return { ok, errors };
}

export function errorItem(checkId: string, cluster: string, node: string | undefined, detail: string): AffectedItem {
  return { kind: node ? 'node' : 'cluster', key: `error|${cluster}|${node ?? ''}`, status: 'error', cluster, node, label: node ?? cluster, detail };
}

/**
 * The outcome from items: Passed with `passSummary` when there are none, else the worst item status
 * with the problem and solution. An outcome whose only items are errors says which data was missing.
 */
export function outcome(
  items: AffectedItem[],
  texts: { pass: string; summary: (failing: AffectedItem[]) => string; problem: string; solution: string; fix?: CheckOutcome['fix'] },
): CheckOutcome {
  const status = worstStatus(items);
  if (status === 'passed') return { status, summary: texts.pass, items: [] };
  const failing = items.filter((i) => i.status !== 'error');
  const errors = items.length - failing.length;
  if (failing.length === 0) {
    return {
      status,
      summary: `${plural(errors, 'node')} could not be checked: ${items[0].detail ?? 'no data'}${errors > 1 ? ' (and others)' : ''}`,
      problem: 'The data this test needs could not be collected from every node.',
      solution: 'Check that the nodes listed are reachable and that the configured credentials work (impulse collect --once shows each node\'s polls), then run the troubleshooter again.',
      items,
    };
  }
  const summary = texts.summary(failing) + (errors ? `; ${plural(errors, 'node')} could not be checked` : '');
  return { status, summary, problem: texts.problem, solution: texts.solution, fix: texts.fix, items };
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : pluralWord}`;
}

export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** "a, b and c". */
export function listText(values: readonly string[], max = 6): string {
  const v = values.slice(0, max);
  const more = values.length - v.length;
  if (more > 0) return `${v.join(', ')} and ${more} more`;
  return v.length <= 1 ? v.join('') : `${v.slice(0, -1).join(', ')} and ${v[v.length - 1]}`;
}

export const isImp = (c: InventoryCluster) => c.product === 'imp';
