// Capacity under HA (reference/ha.md §7 rule 19; §3.6): the RTMT alert JSMSessionsExceedsThreshold
// (> 80 % of the node's JSM session capacity for 10 minutes) means the node cannot absorb its peer's
// users on failover. Read as the node's own counter "Cisco XCP JSM\JSMSessionsExceedsThreshold".
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const haJsm: CheckDefinition = {
  id: 'HA-JSM',
  section: 'High Availability',
  title: 'Verify no node exceeds its JSM session threshold.',
  description: 'Reads the JSMSessionsExceedsThreshold counter (Cisco XCP JSM) of every IM&P node: 1 means the node carries more JSM sessions than its threshold (80 % by default) and cannot absorb its peer\'s users on failover.',
  needs: ['jsm'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'jsm', 'HA-JSM');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      if (r.value.exceedsThreshold <= 0) continue;
      items.push({ kind: 'node', key: `${r.node.name}|jsm`, status: 'warning', cluster: r.cluster.name, node: r.node.name, label: r.node.name, detail: 'JSMSessionsExceedsThreshold is raised: JSM sessions exceed the threshold.' });
    }
    return outcome(items, {
      pass: 'No node exceeds its JSM session threshold.',
      summary: (f) => `${plural(f.length, 'node')} above the JSM session threshold`,
      problem: 'JSM sessions exceed the threshold (JSMSessionsExceedsThreshold). With High Availability active-active, each node must stay below half of its supported sessions to take over its peer\'s users on failover.',
      solution: 'Check the memory and CPU counters of the node; if they are over threshold, redistribute users across nodes (IM and Presence has no mechanism to distribute user load automatically), and adjust the JSMSessionsExceedsThreshold value for the High Availability configuration in RTMT (System > Tools > Alert Central > IM and Presence).',
    });
  },
};
