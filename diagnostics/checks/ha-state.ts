// Presence redundancy group states against Cisco's pair-state table (reference/ha.md §2 rows P1–P24,
// read through collectors/ha-pairs.ts, the one copy of the table) — §7 rules 1 and 3–15: Normal/Normal
// passes; manual failover, transitions and "ready for fallback" rows are Warnings; failover, failed and
// unknown rows Fail. A node whose own `utils ha status` could not be read is taken from its peer's
// output, and counts as down (rows P16/P17) when neither has a line for it.
import { HA_NOT_ENABLED, pairVerdict, TRANSITION_STATES, type HaNodeView } from '../../collectors/ha-pairs';
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const haState: CheckDefinition = {
  id: 'HA-STATE',
  section: 'High Availability',
  title: 'Verify every presence redundancy group is in the Normal state.',
  description:
    'Reads `utils ha status` on each IM&P node and looks each two-node group with High Availability enabled up in Cisco\'s table of node states, causes and recommended actions (rows P1–P24). Transition states (Taking Over, Falling Back, …) are Warnings: Cisco calls them temporary; run again if one persists.',
  needs: ['ha'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'ha', 'HA-STATE');
    const items: AffectedItem[] = [];
    const rows = new Set<string>();
    for (const cluster of ctx.clusters.filter((c) => c.product === 'imp')) {
      const mine = ok.filter((r) => r.cluster === cluster);
      const lines = mine.flatMap((r) => r.value.lines);
      const groups = new Map<string, string[]>();
      for (const g of cluster.groups) groups.set(g.name, [...g.nodes]);
      for (const l of lines) if (!groups.has(l.group)) groups.set(l.group, []);
      for (const l of lines) {
        const g = groups.get(l.group)!;
        if (!g.some((n) => same(n, l.node))) g.push(l.node);
      }
      for (const [group, nodes] of groups) {
        if (nodes.length !== 2) continue;
        const view = (name: string): HaNodeView => {
          const own = mine.find((r) => same(r.node.name, name))?.value.self;
          const any = own ?? lines.find((l) => l.group === group && same(l.node, name));
          return { node: name, state: any?.state ?? null, reason: any?.reason ?? null };
        };
        const [a, b] = nodes.map(view);
        if ([a, b].some((n) => (n.reason ?? '').toLowerCase() === HA_NOT_ENABLED.toLowerCase())) continue; // HA-ENABLED
        if (a.state === null && b.state === null) {
          const failedNodes = errors.filter((e) => e.cluster === cluster.name && nodes.some((n) => same(n, e.node ?? '')));
          items.push(...failedNodes);
          continue;
        }
        const v = pairVerdict(a, b);
        if (v.severity === 'ok') continue;
        if (v.row) rows.add(v.row);
        const transition = [a, b].some((n) => TRANSITION_STATES.some((t) => t.toLowerCase() === (n.state ?? '').toLowerCase()));
        const states = [a, b].map((n) => `${n.node}: ${n.state ?? 'no answer'}${n.reason ? ` (${n.reason})` : ''}`).join('; ');
        items.push({
          kind: 'group',
          key: `${cluster.name}|${group}|${v.row ?? 'none'}|${v.node1 ?? ''}`,
          status: v.severity === 'critical' ? 'failed' : 'warning',
          cluster: cluster.name,
          node: v.node1,
          label: group,
          detail: `${v.row ? `${v.row}: ` : ''}${v.cause}${transition ? ' (a transition state: temporary unless it persists)' : ''} — ${states}.${v.actions.length ? ` Actions: ${v.actions.map((x, i) => `${i + 1}) ${x}`).join(' ')}` : ''}`,
          data: { row: v.row, node1: v.node1 ?? null, node2: v.node2 ?? null, stateA: a.state, reasonA: a.reason, stateB: b.state, reasonB: b.reason },
        });
      }
    }
    return outcome(items, {
      pass: 'Every presence redundancy group with High Availability is Normal/Normal.',
      summary: (f) => `${plural(f.length, 'presence redundancy group')} not in the Normal state${rows.size ? ` (${[...rows].join(', ')})` : ''}`,
      problem: `One or more presence redundancy groups are not Normal/Normal (Cisco's table: ${[...rows].join(', ') || 'a pair of states not in the table'}). While a node is not Normal, users run on a single node without failover protection, and new end users cannot be added while a node is in failover state.`,
      solution: 'Follow the recommended actions of each group\'s row (in the group\'s detail): start the critical services that are down, reboot the node if they do not start, click Recovery in the Presence Redundancy Group Configuration window (Cisco Unified CM Administration > System > Presence Redundancy Groups) when both nodes are failed, and perform a manual fallback when all critical services run again.',
    });
  },
};

/** Node names match ignoring case, and a short name matches its FQDN (the CLI prints host names). */
function same(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.split('.')[0] === y.split('.')[0];
}
