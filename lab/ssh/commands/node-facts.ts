// Facts several renderers derive from a node's live state: when it booted, counter reads, DB names.
import type { LabCluster, LabNode } from '../../model';
import { stableHash } from './format';

const DAY_MS = 86_400_000;

/**
 * When the node's platform last started: the earliest start among its running services. A node
 * whose services carry no start time (never the case in a built deployment) is treated as booted
 * a stable 20–160 days ago.
 */
export function bootTime(node: LabNode, now: number): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const s of node.services) {
    if (s.startedAt !== undefined && s.startedAt < earliest) earliest = s.startedAt;
  }
  if (Number.isFinite(earliest) && earliest <= now) return earliest;
  return now - (20 + (stableHash(node.name) % 140)) * DAY_MS;
}

/** First counter (of several accepted spellings) that the node's PerfMon view answers. */
export function counter(
  node: LabNode,
  object: string,
  instance: string | undefined,
  names: readonly string[],
  at: number,
): number | undefined {
  const obj = node.counters.object(object);
  if (!obj) return undefined;
  let inst = instance;
  if (obj.multiInstance && inst !== undefined) {
    const want = inst.toLowerCase();
    inst = node.counters.instances(object).find((i) => i.toLowerCase() === want);
    if (inst === undefined) return undefined;
  }
  if (!obj.multiInstance) inst = undefined;
  for (const name of names) {
    const def = obj.counters.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!def) continue;
    const v = node.counters.value(object, inst, def.name, at);
    if (v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** `DB Version:` as runtimestate prints it: `ccm15_0_1_12900_15` for 15.0.1.12900-15. */
export function dbVersion(cluster: LabCluster): string {
  // CUCM's Informix instance is ccm<version>; IM&P's is cup<version> (IM&P DB naming inferred, not captured).
  const prefix = cluster.product === 'cucm' ? 'ccm' : 'cup';
  return prefix + cluster.version.replace(/[.-]/g, '_');
}

/** Nodes of the node's cluster that are up (not under a node-down fault). */
export function upNodes(cluster: LabCluster): LabNode[] {
  return cluster.nodes.filter((n) => !n.faults.down);
}
