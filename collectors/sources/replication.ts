// replication: `utils dbreplication runtimestate` on each cluster's publisher (wire-formats §4.2):
// per server, the REPLICATION SETUP value (2 = good), queue, ping, flags, group and details text.
// Replicate_State as each node's own PerfMon counter comes from the perfmon source.
import { z } from 'zod';
import { parseDbreplicationRuntimestate } from '../parsers/dbreplication-runtimestate';
import type { Source } from './types';

const COMMAND = 'utils dbreplication runtimestate';

const server = z.object({
  name: z.string(),
  ip: z.string(),
  pingMs: z.number().nullable(),
  flags: z.string(),
  queue: z.number().nullable(),
  groupId: z.string().nullable(),
  setupState: z.number().int().min(0).max(4).nullable(),
  details: z.string(),
});

export const replicationSchema = z.object({
  /** ok, or the CLI's own verdict when it cannot report (DB down, single active node), verbatim. */
  status: z.enum(['ok', 'db-not-running', 'single-active-node']),
  message: z.string().optional(),
  viewFrom: z.string().optional(),
  clusterState: z.string().nullable().optional(),
  servers: z.array(server),
});
export type ReplicationObservation = z.infer<typeof replicationSchema>;

const yn = (v: boolean | null) => (v === null ? '-' : v ? 'Y' : 'N');

export const replicationSource: Source<ReplicationObservation> = {
  name: 'replication',
  scope: 'publisher',
  products: ['cucm', 'imp'],
  lane: 'cli',
  backsOff: false,
  schema: replicationSchema,
  timeoutMs: ({ cliTimeoutMs, intervalMs }) => Math.min(2 * cliTimeoutMs, intervalMs),
  async poll(ctx) {
    const text = await ctx.clients.cli.run(COMMAND, { timeoutMs: ctx.cliTimeoutMs, signal: ctx.signal });
    const r = parseDbreplicationRuntimestate(text, ctx.node.name);
    ctx.reportProblems(COMMAND, r.unparsed);
    if (r.status !== 'ok') return { status: r.status, message: r.message, servers: [] };
    return {
      status: 'ok',
      viewFrom: r.viewFrom,
      clusterState: r.clusterReplicationState?.summary ?? null,
      servers: r.servers.map((s) => ({
        name: s.name,
        ip: s.ip,
        pingMs: s.pingMs,
        flags: s.rpc !== null || s.db !== null ? [s.db, s.rpc, s.dbMon].map(yn).join('/') : '',
        queue: s.queue,
        groupId: s.groupId,
        setupState: s.setupState,
        details: s.details,
      })),
    };
  },
  emit(obs, out) {
    const v = obs.value;
    if (!v) return;
    for (const s of v.servers) {
      // The row names the server as the publisher knows it; the cluster is the publisher's.
      const labels = { cluster: obs.cluster, node: s.name };
      if (s.setupState !== null) out('replicationSetupState', labels, s.setupState);
      if (s.queue !== null) out('replicationQueueDepth', labels, s.queue);
      if (s.pingMs !== null) out('replicationPing', labels, s.pingMs / 1000);
      out('replicationInfo', { ...labels, db_rpc_dbmon: s.flags, group_id: s.groupId ?? '', detail: s.details }, 1);
    }
  },
};
