// Replication queue (reference/counters-certs-replication.md §4.2; wire-formats §4.2): the Queue
// column of `utils dbreplication runtimestate`. A queue that grew between two readings means changes
// are not replicating; a queue above the configured threshold (thresholds.replicationQueueWarning,
// default 100) is a Warning. Both thresholds are IMPulse's: Cisco documents no queue limit.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const replQueue: CheckDefinition = {
  id: 'REPL-QUEUE',
  section: 'Database Replication',
  title: 'Verify the replication queues are empty and not growing.',
  description:
    'Compares each server\'s replication queue in the latest `utils dbreplication runtimestate` with the reading before it (the collector\'s previous poll, or a second reading a few seconds later): a growing queue Fails, a queue above thresholds.replicationQueueWarning is a Warning (IMPulse\'s thresholds).',
  needs: ['replication'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'replication', 'REPL-QUEUE');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      const prev = r.value.previous;
      for (const s of r.value.servers) {
        if (s.queue === null || s.queue === 0) continue;
        const before = prev?.queues[s.name];
        const growing = typeof before === 'number' && s.queue > before;
        const high = s.queue > ctx.thresholds.replicationQueueWarning;
        if (!growing && !high) continue;
        const secs = prev ? Math.round((r.at - prev.at) / 1000) : 0;
        items.push({
          kind: 'node',
          key: `${r.cluster.name}|${s.name}|queue`,
          status: growing ? 'failed' : 'warning',
          cluster: r.cluster.name,
          node: s.name,
          label: s.name,
          detail: growing ? `Replication queue grew from ${before} to ${s.queue} in ${secs} s.` : `Replication queue ${s.queue} (above ${ctx.thresholds.replicationQueueWarning}).`,
          data: { queue: s.queue, previous: typeof before === 'number' ? before : null },
        });
      }
    }
    return outcome(items, {
      pass: 'Every replication queue is empty or draining.',
      summary: (f) => `${plural(f.length, 'server')} with a growing or long replication queue`,
      problem: 'Changes are queuing for database replication faster than they replicate: the servers listed fall behind their publisher.',
      solution: 'Check replication with utils dbreplication runtimestate and utils dbreplication status on the publisher; check the network between the servers (the PING column) and that A Cisco DB Replicator runs on each server. Resolve the errors before upgrading or enabling High Availability.',
    });
  },
};
