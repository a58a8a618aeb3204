// `utils ha status` (IM&P) — wire-formats.md §4.3, states and reasons from reference/ha.md §1–§2, in
// the layout of the cluster's release (lab option `version`):
//   ≤ 12.5  the CLI Reference Guide 12.5(1)SU5 examples: a healthy node prints a bare
//           `State: Normal`, the others `State: … Reason: …`, and a line longer than the 80-column
//           terminal breaks after `Reason:` (the guide's third example);
//   14, 15  node lines indented with a tab and a `Reason:` on every line (what a 2024 public client
//           expects; no verbatim capture of these releases is public).
import type { LabNode, LabPresenceGroup } from '../../model';
import { atLeast, releaseOf } from '../../state/releases';
import { immediate, type CliCommandSpec, type CliContext } from './types';

function nodeLine(index: number, node: LabNode, group: LabPresenceGroup, tabbed: boolean): string {
  const head = `${tabbed ? '\t' : ''}Node ${index} Name : ${node.name}`;
  if (!group.haEnabled) return `${head} State: Unknown Reason: High Availability Not Enabled`;
  const state = node.ha?.state ?? 'Unknown';
  const reason = node.ha?.reason ?? 'Unknown';
  if (tabbed) return `${head} State: ${state} Reason: ${reason}`;
  if (state === 'Normal' && reason === 'Normal') return `${head} State: Normal`;
  const line = `${head} State: ${state} Reason: `;
  return line.length + reason.length > 80 ? `${line}\n${reason}` : `${line}${reason}`;
}

/** One block per presence redundancy group of the node's cluster, separated by a blank line. */
export function renderHaStatus(ctx: CliContext): string {
  const tabbed = atLeast(releaseOf(ctx.node.cluster.version), '14');
  const blocks = ctx.node.cluster.groups.map((g) =>
    [`Subcluster Name: ${g.name}`, ...g.nodes.map((n, i) => nodeLine(i + 1, n, g, tabbed))].join('\n'),
  );
  return blocks.join('\n\n') + '\n';
}

export const haStatus: CliCommandSpec = {
  words: ['utils', 'ha', 'status'],
  products: ['imp'],
  run: (ctx, args) => (args.length === 0 ? immediate(renderHaStatus(ctx)) : undefined),
};
