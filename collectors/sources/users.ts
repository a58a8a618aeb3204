// users (daily): `utils users validate all` on each IM&P publisher (wire-formats §4.9): duplicate
// user IDs, users without or with an invalid directory URI, and duplicate directory URIs, as the
// IM&P Data Monitor finds them across this cluster and its intercluster peers.
import { z } from 'zod';
import { parseUsersValidate } from '../parsers/users-validate';
import type { Source } from './types';

export const usersSchema = z.object({
  duplicateUserIds: z.array(z.object({ userId: z.string(), nodes: z.array(z.string()) })),
  noDirectoryUri: z.number().int().nonnegative(),
  invalidDirectoryUris: z.array(z.object({ node: z.string(), userId: z.string(), directoryUri: z.string() })),
  duplicateDirectoryUris: z.array(z.object({ directoryUri: z.string(), users: z.array(z.object({ node: z.string(), userId: z.string() })) })),
});
export type UsersObservation = z.infer<typeof usersSchema>;

/** Lists kept in the store are capped; the counts in metrics are exact. */
const KEEP = 1000;

export const usersSource: Source<UsersObservation & { counts?: Record<string, number> }> = {
  name: 'users',
  scope: 'publisher',
  products: ['imp'],
  lane: 'cli-bulk',
  backsOff: false,
  schema: usersSchema.extend({ counts: z.record(z.string(), z.number()).optional() }),
  timeoutMs: ({ cliTimeoutMs }) => 5 * cliTimeoutMs,
  async poll(ctx) {
    const text = await ctx.clients.cli.run('utils users validate all', { timeoutMs: 5 * ctx.cliTimeoutMs, signal: ctx.signal });
    const r = parseUsersValidate(text, ctx.node.name);
    ctx.reportProblems('utils users validate all', r.unparsed);
    return {
      duplicateUserIds: r.duplicateUserIds.slice(0, KEEP).map((d) => ({ userId: d.userId, nodes: d.nodes })),
      noDirectoryUri: r.noDirectoryUri.length,
      invalidDirectoryUris: r.invalidDirectoryUri.slice(0, KEEP).map((d) => ({ node: d.node, userId: d.userId, directoryUri: d.directoryUri })),
      duplicateDirectoryUris: r.duplicateDirectoryUris.slice(0, KEEP).map((d) => ({ directoryUri: d.directoryUri, users: d.users })),
      counts: {
        'duplicate userid': r.duplicateUserIds.length,
        'no directory uri': r.noDirectoryUri.length,
        'invalid directory uri': r.invalidDirectoryUri.length,
        'duplicate directory uri': r.duplicateDirectoryUris.length,
      },
    };
  },
  emit(obs, out) {
    for (const [issue, n] of Object.entries(obs.value?.counts ?? {})) out('userValidationIssues', { cluster: obs.cluster, node: obs.node, issue }, n);
  },
};
