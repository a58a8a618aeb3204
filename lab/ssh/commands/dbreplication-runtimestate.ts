// `utils dbreplication runtimestate` — wire-formats.md §4.2 (CUCM 15 layout from the PCD guide).
import type { LabNode } from '../../model';
import { col, dashStamp, unixDate } from './format';
import { bootTime, dbVersion } from './node-facts';
import type { CliCommandSpec, CliContext, OutputStep } from './types';

// Column starts of the CUCM 15 table (0, 25, 43, 53, 63, 72, 87), measured on the captured header.
const WIDTHS = [25, 18, 10, 10, 9, 15] as const;

function row(cells: readonly string[]): string {
  return cells.map((c, i) => (i < WIDTHS.length ? col(c, WIDTHS[i]) : c)).join('').trimEnd();
}

/** Table rows: the other nodes of the cluster first, the viewing node last (as in the capture). */
function tableRows(self: LabNode): string[] {
  const others = self.cluster.nodes.filter((n) => n !== self);
  return [...others, self].map((n) => {
    const r = n.replication;
    const ping = n === self ? Math.min(r.pingMs, 0.05) : r.pingMs;
    return row([n.name, n.host, ping.toFixed(3), r.dbRpcDbMon, String(r.queue), r.groupId, `(${r.setupState}) ${r.detail}`]);
  });
}

function tableCount(node: LabNode): number {
  // Tables in the replicated catalogue: 753 on CUCM 15 (capture); IM&P's count is not captured.
  return node.product === 'cucm' ? 753 : 542;
}

export function renderRuntimestate(ctx: CliContext): string {
  const { node, now } = ctx;
  const db = node.service('A Cisco DB');
  if (db && db.status !== 'Started') return '\nCisco DB is not running\n';
  const cluster = node.cluster;
  if (cluster.nodes.length > 1 && cluster.nodes.every((n) => n === node || n.faults.down)) {
    return '\nRuntime state cannot be performed on a cluster with a single active node; aborting operation\n';
  }
  // The broadcast sync ran once when the publisher first came up.
  const syncEnd = new Date(bootTime(cluster.publisher, now.getTime()) + 14 * 60_000);
  const syncStart = new Date(syncEnd.getTime() - 61_000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const logName =
    `${syncStart.getUTCFullYear()}${p2(syncStart.getUTCMonth() + 1)}${p2(syncStart.getUTCDate())}_` +
    `${p2(syncStart.getUTCHours())}${p2(syncStart.getUTCMinutes())}${p2(syncStart.getUTCSeconds())}`;
  const tables = tableCount(node);
  const lines = [
    '',
    `Server Time: ${unixDate(now)}`,
    '',
    `Cluster Replication State: BROADCAST SYNC ended at: ${dashStamp(syncEnd)}`,
    `     Sync Result: SYNC COMPLETED on ${tables} tables out of ${tables}`,
    '     Sync Status: All Tables are in sync',
    `     Use CLI to see detail: 'file view activelog cm/trace/dbl/${logName}_dbl_repl_output_Broadcast.log'`,
    '',
    `DB Version: ${dbVersion(cluster)}`,
    '',
    'Repltimeout set to: 300s',
    'PROCESS option set to: 1',
    '',
    `Cluster Detailed View from ${node.name} (${cluster.nodes.length} Servers):`,
    '',
    row(['', '', 'PING', 'DB/RPC/', 'REPL.', 'Replication', 'REPLICATION SETUP']),
    row(['SERVER-NAME', 'IP ADDRESS', '(msec)', 'DbMon?', 'QUEUE', 'Group ID', '(RTMT) & Details']),
    row(['-----------', '----------', '------', '-------', '-----', '-----------', '------------------']),
    ...tableRows(node),
  ];
  return lines.join('\n') + '\n';
}

export const dbreplicationRuntimestate: CliCommandSpec = {
  words: ['utils', 'dbreplication', 'runtimestate'],
  run(ctx, args): OutputStep[] | undefined {
    // An optional node name narrows nothing in the lab; any other extra token is invalid.
    if (args.length > 1) return undefined;
    // Real nodes take a moment to query every server before printing.
    return [{ delayMs: 400, text: renderRuntimestate(ctx) }];
  },
};
