// `utils ha status` (IM&P) — wire-formats.md §4.3, states and reasons from reference/ha.md §1–§2.
import type { LabNode, LabPresenceGroup } from '../../model';
import { immediate, type CliCommandSpec, type CliContext } from './types';

function nodeLine(index: number, node: LabNode, group: LabPresenceGroup): string {
  const head = `Node ${index} Name : ${node.name}`;
  if (!group.haEnabled) return `${head} State: Unknown Reason: High Availability Not Enabled`;
  const state = node.ha?.state ?? 'Unknown';
  const reason = node.ha?.reason ?? 'Unknown';
  // The 12.5 guide prints a healthy pair as bare `State: Normal`, every other line with its Reason.
  if (state === 'Normal' && reason === 'Normal') return `${head} State: Normal`;
  return `${head} State: ${state} Reason: ${reason}`;
}

/** One block per presence redundancy group of the node's cluster, separated by a blank line. */
export function renderHaStatus(ctx: CliContext): string {
  const blocks = ctx.node.cluster.groups.map((g) =>
    [`Subcluster Name: ${g.name}`, ...g.nodes.map((n, i) => nodeLine(i + 1, n, g))].join('\n'),
  );
  return blocks.join('\n\n') + '\n';
}

export const haStatus: CliCommandSpec = {
  words: ['utils', 'ha', 'status'],
  products: ['imp'],
  run: (ctx, args) => (args.length === 0 ? immediate(renderHaStatus(ctx)) : undefined),
};
