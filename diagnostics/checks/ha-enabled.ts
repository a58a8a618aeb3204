// HA not active (reference/ha.md §7 rule 2): a two-node presence redundancy group with High
// Availability disabled, or a single-node group, has no failover protection — a Warning: Cisco
// recommends HA, and mixing HA and non-HA groups is "permitted … not recommended" (EN 250–257).
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';
import { HA_NOT_ENABLED } from '../../collectors/ha-pairs';

export const haEnabled: CheckDefinition = {
  id: 'HA-ENABLED',
  section: 'High Availability',
  title: 'Verify High Availability is enabled on every presence redundancy group.',
  description: 'Flags two-node presence redundancy groups whose `utils ha status` says High Availability Not Enabled, and single-node groups (no failover protection for their users).',
  needs: ['ha'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'ha', 'HA-ENABLED');
    const items: AffectedItem[] = [];
    for (const cluster of ctx.clusters.filter((c) => c.product === 'imp')) {
      const lines = ok.filter((r) => r.cluster === cluster).flatMap((r) => r.value.lines);
      if (!lines.length) {
        items.push(...errors.filter((e) => e.cluster === cluster.name));
        continue;
      }
      const groups = new Map<string, Set<string>>();
      const disabled = new Set<string>();
      for (const l of lines) {
        groups.set(l.group, (groups.get(l.group) ?? new Set()).add(l.node.toLowerCase()));
        if ((l.reason ?? '').toLowerCase() === HA_NOT_ENABLED.toLowerCase()) disabled.add(l.group);
      }
      for (const [group, nodes] of groups) {
        if (nodes.size === 1) {
          items.push({ kind: 'group', key: `${cluster.name}|${group}|single`, status: 'warning', cluster: cluster.name, label: group, detail: `Single-node group (${[...nodes][0]}): there is no High Availability failover protection for the users assigned to the node.` });
        } else if (disabled.has(group)) {
          items.push({ kind: 'group', key: `${cluster.name}|${group}|disabled`, status: 'warning', cluster: cluster.name, label: group, detail: `High Availability Not Enabled on ${[...nodes].join(' and ')}.` });
        }
      }
    }
    return outcome(items, {
      pass: 'High Availability is enabled on every presence redundancy group.',
      summary: (f) => `${plural(f.length, 'presence redundancy group')} without failover protection`,
      problem: 'A presence redundancy group has High Availability disabled or a single node: if a node fails, its users lose availability and instant messaging until it returns. Cisco recommends High Availability; mixing HA and non-HA groups is permitted but not recommended.',
      solution: 'Add a second node to single-node groups, and check Enable High Availability in the Presence Redundancy Group Configuration window (Cisco Unified CM Administration > System > Presence Redundancy Groups) once all critical services run on both nodes and database replication is set up (utils dbreplication runtimestate shows 2 for every node).',
    });
  },
};
