// ha: `utils ha status` (wire-formats §4.3; states and reasons reference/ha.md §1, §1.1), run on
// every IM&P node that belongs to a presence redundancy group.
//
// The command prints every group of the cluster, but each node exports only its own line: a node
// is then reported exactly once across shards, and a node that cannot be reached shows as
// impulse_target_up 0 while its peer's own line carries the story ("Running in Backup Mode",
// reason "Peer Down"). States and reasons stay verbatim.
import { z } from 'zod';
import { parseHaStatus } from '../parsers/ha-status';
import { emitOneHot } from '../metrics/sink';
import type { Source } from './types';

const COMMAND = 'utils ha status';

const line = z.object({ group: z.string(), index: z.number().int(), node: z.string(), state: z.string(), reason: z.string().nullable() });

export const haSchema = z.object({
  /** This node's own line, when the output has one. */
  self: line.nullable(),
  /** Every line printed (all groups of the cluster), for the dashboard. */
  lines: z.array(line),
});
export type HaObservation = z.infer<typeof haSchema>;

/** Node names match case-insensitively, and a short name matches its FQDN (CLI prints hostnames). */
function sameNode(printed: string, name: string, host: string): boolean {
  const p = printed.toLowerCase();
  return [name, host].some((n) => {
    const c = n.toLowerCase();
    return p === c || p.split('.')[0] === c.split('.')[0];
  });
}

export const haSource: Source<HaObservation> = {
  name: 'ha',
  scope: 'node',
  products: ['imp'],
  lane: 'cli',
  backsOff: false,
  schema: haSchema,
  appliesTo: (node, cluster) => node.group !== undefined || cluster.groups.length === 0 || cluster.discoverNodes,
  timeoutMs: ({ cliTimeoutMs, intervalMs }) => Math.min(2 * cliTimeoutMs, intervalMs),
  async poll(ctx) {
    const text = await ctx.clients.cli.run(COMMAND, { timeoutMs: ctx.cliTimeoutMs, signal: ctx.signal });
    const parsed = parseHaStatus(text, ctx.node.name);
    ctx.reportProblems(COMMAND, parsed.unparsed);
    const lines = parsed.subclusters.flatMap((g) => g.nodes.map((n) => ({ group: g.name, index: n.index, node: n.name, state: n.state, reason: n.reason })));
    const self = lines.find((l) => sameNode(l.node, ctx.node.name, ctx.node.host)) ?? null;
    return { self, lines };
  },
  emit(obs, out) {
    const self = obs.value?.self;
    if (!self) return;
    const labels = { cluster: obs.cluster, node: obs.node, group: self.group };
    emitOneHot(out, 'haNodeState', labels, self.state);
    // A bare "State: Normal" line carries no reason; the pair is Normal/Normal (ha.md §2 P1).
    emitOneHot(out, 'haNodeReason', labels, self.reason ?? (self.state.toLowerCase() === 'normal' ? 'Normal' : ''));
  },
};
