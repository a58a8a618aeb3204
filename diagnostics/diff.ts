// A run compared with an earlier one: the problems that are new, fixed or unchanged (an affected
// item's identity is its check and its key), and each check whose result changed. Only checks both
// runs evaluated are compared: a check missing from one run proves nothing.
import type { ItemKey, ResultRow, RunStore } from './store';

/** An affected item as the diff knows it. */
export type DiffItem = ItemKey;

export interface RunDiff {
  runId: number;
  previousId: number;
  newProblems: DiffItem[];
  fixed: DiffItem[];
  unchanged: DiffItem[];
  /** Checks whose result changed. */
  changed: Array<{ checkId: string; title: string; before: string; after: string }>;
}

export function diffItems(current: readonly ItemKey[], previous: readonly ItemKey[], checks: ReadonlySet<string>): Pick<RunDiff, 'newProblems' | 'fixed' | 'unchanged'> {
  const id = (i: ItemKey) => `${i.checkId}\u0000${i.key}`;
  const before = new Map(previous.filter((i) => checks.has(i.checkId)).map((i) => [id(i), i]));
  const after = new Map(current.filter((i) => checks.has(i.checkId)).map((i) => [id(i), i]));
  const newProblems: DiffItem[] = [];
  const unchanged: DiffItem[] = [];
  for (const [k, i] of after) (before.has(k) ? unchanged : newProblems).push(i);
  const fixed = [...before].filter(([k]) => !after.has(k)).map(([, i]) => i);
  return { newProblems, fixed, unchanged };
}

export function diffRuns(store: RunStore, runId: number, previousId: number): RunDiff {
  const now = store.results(runId);
  const then = new Map(store.results(previousId).map((r) => [r.checkId, r]));
  const both = new Set(now.filter((r) => then.has(r.checkId)).map((r) => r.checkId));
  const changed = now
    .filter((r: ResultRow) => then.has(r.checkId) && then.get(r.checkId)!.status !== r.status)
    .map((r) => ({ checkId: r.checkId, title: r.title, before: then.get(r.checkId)!.status, after: r.status }));
  return { runId, previousId, ...diffItems(store.itemKeys(runId), store.itemKeys(previousId), both), changed };
}
