// `show network cluster` — wire-formats.md §4.10 (TechNote 217581 lines; CUCM 15 appends the
// processnode table, as in the cisco-cucm-mcp capture). IM&P nodes list the CUCM publisher too.
import type { LabDeployment, LabNode } from '../../model';
import { ctimeDate } from './format';
import { bootTime } from './node-facts';
import { immediate, type CliCommandSpec, type CliContext } from './types';

function line(self: LabNode, n: LabNode, now: number): string {
  // IM&P nodes are "Subscriber … cups" in CUCM's processnode table, their DB role is their own.
  const role = n.product === 'cucm' && n.role === 'publisher' ? 'Publisher' : 'Subscriber';
  const product = n.product === 'cucm' ? 'callmanager' : 'cups';
  const db = n.role === 'publisher' ? 'DBPub' : 'DBSub';
  let auth = 'authenticated';
  if (n !== self) {
    // Peers are reached over TCP since the later of the two boots; a node that is down is not
    // authenticated (that wording is not captured).
    auth = n.faults.down
      ? 'not authenticated'
      : `authenticated using TCP since ${ctimeDate(new Date(Math.max(bootTime(n, now), bootTime(self, now))))}`;
  }
  return `${n.host} ${n.fqdn} ${n.name} ${role} ${product} ${db} ${auth}`;
}

function members(lab: LabDeployment, node: LabNode): LabNode[] {
  const nodes: LabNode[] = [];
  if (node.product === 'imp' && node.cluster.cucmCluster) {
    const cucm = lab.cluster(node.cluster.cucmCluster);
    if (cucm) nodes.push(cucm.publisher);
  }
  nodes.push(...node.cluster.nodes);
  return nodes;
}

export function renderNetworkCluster(ctx: CliContext): string {
  const now = ctx.now.getTime();
  const nodes = members(ctx.lab, ctx.node);
  const lines = [
    ...nodes.map((n) => line(ctx.node, n, now)),
    '',
    'Server Table (processnode) Entries',
    '----------------------------------',
    ...nodes.map((n) => n.name),
  ];
  return lines.join('\n') + '\n';
}

export const networkCluster: CliCommandSpec = {
  words: ['show', 'network', 'cluster'],
  run: (ctx, args) => (args.length === 0 ? immediate(renderNetworkCluster(ctx)) : undefined),
};
