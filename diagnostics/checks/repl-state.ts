// IDS replication state (reference/counters-certs-replication.md §4.2; ha.md §3.5): "if database
// replication is set up and healthy, the replication setup value for each node is 2. If a value other
// than 2 is returned, you must resolve the errors before continuing" — from `utils dbreplication
// runtimestate` on each cluster's publisher, which lists every server of the cluster.
import { REPLICATION_SETUP_STATES } from '../../collectors/parsers/dbreplication-runtimestate';
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const replState: CheckDefinition = {
  id: 'REPL-STATE',
  section: 'Database Replication',
  title: 'Verify database replication is set up and healthy (state 2) on every server.',
  description: 'Runs `utils dbreplication runtimestate` on each cluster\'s publisher and fails every server whose REPLICATION SETUP value is not 2, and every publisher whose database cannot report.',
  needs: ['replication'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'replication', 'REPL-STATE');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      const v = r.value;
      if (v.status !== 'ok') {
        items.push({ kind: 'node', key: `${r.cluster.name}|${r.node.name}|${v.status}`, status: 'failed', cluster: r.cluster.name, node: r.node.name, label: r.node.name, detail: v.message ?? (v.status === 'db-not-running' ? 'The database is not running.' : 'Only one active node: replication cannot be reported.') });
        continue;
      }
      for (const s of v.servers) {
        if (s.setupState === 2) continue;
        const state = s.setupState === null ? 'no state printed' : `(${s.setupState}) ${REPLICATION_SETUP_STATES[s.setupState as keyof typeof REPLICATION_SETUP_STATES]}`;
        items.push({ kind: 'node', key: `${r.cluster.name}|${s.name}`, status: 'failed', cluster: r.cluster.name, node: s.name, label: s.name, detail: `REPLICATION SETUP ${state}${s.details ? ` — ${s.details}` : ''}; queue ${s.queue ?? '-'}.`, data: { setupState: s.setupState, queue: s.queue, details: s.details } });
      }
    }
    return outcome(items, {
      pass: 'Database replication is good (2) on every server.',
      summary: (f) => `${plural(f.length, 'server')} with database replication not in state 2`,
      problem: 'Database replication is not set up and healthy on every server: the replication setup value of each node must be 2. If a value other than 2 is returned, you must resolve the errors before continuing (enabling High Availability or upgrading).',
      solution: 'Run utils dbreplication status to check the database tables for errors or mismatches, resolve the errors, and check again with utils dbreplication runtimestate until every server shows 2. Dependent IM and Presence services delay their start-up until IDS replication is established (Cisco IM and Presence Data Monitor).',
    });
  },
};
