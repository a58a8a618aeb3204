// inventory (daily): each node's own `show status` (product version, host name, uptime), and on
// each publisher the cluster's view of itself through AXL: the nodes (processnode; IM&P nodes are
// tkprocessnoderole 2, CUCM nodes 1 — wire-formats §3.5) and, on IM&P, the presence redundancy
// groups with their HA-enabled flag (enterprisesubcluster / enterprisenode). The configured node
// list stays authoritative: discovered nodes are reported, and polled only for clusters the
// config lists without nodes.
import { z } from 'zod';
import type { AxlRow } from '../clients/axl';
import { ParseError } from '../errors';
import { parseShowStatus } from '../parsers/show-status';
import type { Source, SourceContext } from './types';

const discoveredNode = z.object({ name: z.string().min(1), role: z.enum(['publisher', 'subscriber']).optional(), group: z.string().optional() });
const group = z.object({ name: z.string().min(1), haEnabled: z.boolean(), nodes: z.array(z.string()) });

export const inventorySchema = z.object({
  hostName: z.string(),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  /** Publisher only: what the cluster reports (undefined on subscribers). */
  nodes: z.array(discoveredNode).optional(),
  groups: z.array(group).optional(),
});
export type InventoryObservation = z.infer<typeof inventorySchema>;

const flag = (v: string | null | undefined) => v !== null && v !== undefined && /^(t|true|1)$/i.test(v.trim());

async function discover(ctx: SourceContext): Promise<Pick<InventoryObservation, 'nodes' | 'groups'>> {
  const role = ctx.cluster.product === 'imp' ? 2 : 1;
  const rows: AxlRow[] = await ctx.clients.axl.query(`select name, nodeid from processnode where nodeid > 1 and tkprocessnoderole = ${role} order by nodeid`);
  const nodes = rows
    .map((r) => r.name)
    .filter((n): n is string => typeof n === 'string' && n.length > 0)
    .map((name) => ({ name, role: (name === ctx.cluster.publisher ? 'publisher' : 'subscriber') as 'publisher' | 'subscriber' }));
  if (ctx.cluster.product !== 'imp') return { nodes };
  // Two single-table reads (one query at a time, no join needed): groups, then their members.
  const subclusters: AxlRow[] = await ctx.clients.axl.query('select pkid, name, haenabled from enterprisesubcluster order by name');
  const members: AxlRow[] = await ctx.clients.axl.query('select name, isprimary, fksubcluster from enterprisenode order by name');
  const groups = new Map<string, { name: string; haEnabled: boolean; nodes: string[] }>();
  for (const r of subclusters) if (r.pkid && r.name) groups.set(r.pkid, { name: r.name, haEnabled: flag(r.haenabled), nodes: [] });
  const clusterNodes = new Set(nodes.map((n) => n.name));
  // Primary first ("node 1" of the group).
  for (const r of [...members].sort((a, b) => Number(flag(b.isprimary)) - Number(flag(a.isprimary)))) {
    const g = r.fksubcluster ? groups.get(r.fksubcluster) : undefined;
    if (g && r.name && clusterNodes.has(r.name)) g.nodes.push(r.name);
  }
  for (const [k, g] of groups) if (g.nodes.length === 0) groups.delete(k);
  const groupOf = new Map([...groups.values()].flatMap((g) => g.nodes.map((n) => [n, g.name] as const)));
  return { nodes: nodes.map((n) => ({ ...n, group: groupOf.get(n.name) })), groups: [...groups.values()] };
}

export const inventorySource: Source<InventoryObservation> = {
  name: 'inventory',
  scope: 'node',
  products: ['cucm', 'imp'],
  lane: 'cli-bulk',
  backsOff: false,
  schema: inventorySchema,
  timeoutMs: ({ cliTimeoutMs, requestTimeoutMs }) => cliTimeoutMs + 2 * requestTimeoutMs,
  async poll(ctx) {
    const status = parseShowStatus(await ctx.clients.cli.run('show status', { timeoutMs: ctx.cliTimeoutMs, signal: ctx.signal }), ctx.node.name);
    ctx.reportProblems('show status', status.unparsed);
    // What this source is for: without them the poll fails, naming the unreadable line.
    for (const [value, label] of [
      [status.hostName, 'Host Name'],
      [status.productVersion, 'Product Ver'],
      [status.uptime, 'Uptime'],
    ] as const) {
      if (value === null) {
        const u = status.unparsed.find((p) => p.reason.startsWith(label)) ?? status.unparsed[0];
        throw new ParseError(`show status (${ctx.node.name})`, u?.line, `${label} could not be read${u ? `: ${u.reason}` : ' (not printed)'}`);
      }
    }
    const base: InventoryObservation = { hostName: status.hostName!, version: status.productVersion!, uptimeSeconds: status.uptime!.seconds };
    if (ctx.node.name !== ctx.cluster.publisher) return base;
    return { ...base, ...(await discover(ctx)) };
  },
  emit(obs, out) {
    const v = obs.value;
    if (!v?.nodes) return;
    // Group membership and HA flag, as the publisher reports them.
    for (const g of v.groups ?? []) {
      g.nodes.forEach((n, i) => {
        out('presenceGroupInfo', { cluster: obs.cluster, node: n, group: g.name, position: String(i + 1) }, 1);
        out('presenceGroupHaEnabled', { cluster: obs.cluster, node: n, group: g.name }, g.haEnabled ? 1 : 0);
      });
    }
    for (const n of v.nodes) out('inventoryDiscoveredNode', { cluster: obs.cluster, node: n.name }, 1);
  },
};
