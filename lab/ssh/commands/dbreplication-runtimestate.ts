// `utils dbreplication runtimestate` — wire-formats.md §4.2, in the layout of the cluster's release
// (lab option `version`):
//   15         the PCD guide 14 capture (CUCM 15): BROADCAST SYNC block, SERVER-NAME 25 columns wide;
//   12.5, 14   the same block and table with SERVER-NAME 20 wide (dCloud CUCM 14 capture);
//   10.5, 11.5 the "Replication status command" block (TechNote 215013, CUCM 10.5.2), narrower
//              Group ID column;
//   9.1        the CUCM 9 table (RPC?, REPLICATION STATUS, DBver& TABLES, REPL. LOOP?) and its
//              "DDB and Replication Services" prelude (Cisco CUCM administration guide example).
import type { LabNode } from '../../model';
import { atLeast, releaseOf, type Release } from '../../state/releases';
import { col, dashStamp, unixDate } from './format';
import { bootTime, dbVersion } from './node-facts';
import type { CliCommandSpec, CliContext, OutputStep } from './types';

// Column widths measured on each capture's header (CUCM 15: starts 0, 25, 43, 53, 63, 72, 87).
const WIDTHS: Record<'15' | '14' | '10.5' | '9.1', readonly number[]> = {
  '15': [25, 18, 10, 10, 9, 15],
  '14': [20, 18, 10, 10, 9, 15],
  '10.5': [20, 18, 10, 10, 9, 12],
  '9.1': [12, 13, 7, 5, 12, 6, 7, 6],
};

function widthsOf(release: Release): readonly number[] {
  if (release === '15') return WIDTHS['15'];
  if (atLeast(release, '12.5')) return WIDTHS['14'];
  if (atLeast(release, '10.5')) return WIDTHS['10.5'];
  return WIDTHS['9.1'];
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i < widths.length ? col(c, widths[i]) : c)).join('').trimEnd();
}

/** Table rows: the other nodes of the cluster first, the viewing node last (as in the capture). */
function tableRows(self: LabNode, release: Release): string[] {
  const widths = widthsOf(release);
  const others = self.cluster.nodes.filter((n) => n !== self);
  return [...others, self].map((n) => {
    const r = n.replication;
    const ping = n === self ? Math.min(r.pingMs, 0.05) : r.pingMs;
    if (!atLeast(release, '10.5')) {
      // CUCM 9: RPC? from the RPC flag, REPLICATION STATUS, DBver& TABLES, REPL. LOOP?.
      const [, rpc] = r.dbRpcDbMon.split('/');
      const status = r.setupState === 2 ? 'Connected' : r.setupState === 0 ? 'Connecting' : 'Off-Line';
      const detail = n === self.cluster.publisher && r.setupState === 2 ? `PUB ${r.detail}` : r.detail;
      return row([n.name, n.host, ping.toFixed(3), rpc === 'N' ? 'No' : 'Yes', status, String(r.queue), 'match', 'Yes', `(${r.setupState}) ${detail}`], widths);
    }
    return row([n.name, n.host, ping.toFixed(3), r.dbRpcDbMon, String(r.queue), r.groupId, `(${r.setupState}) ${r.detail}`], widths);
  });
}

function tableHeader(release: Release): string[] {
  const w = widthsOf(release);
  if (!atLeast(release, '10.5')) {
    return [
      row(['', '', 'PING', '', 'REPLICATION', 'REPL.', 'DBver&', 'REPL.', 'REPLICATION SETUP'], w),
      row(['SERVER-NAME', 'IP ADDRESS', '(msec)', 'RPC?', 'STATUS', 'QUEUE', 'TABLES', 'LOOP?', '(RTMT) & details'], w),
      row(['-----------', '------------', '------', '----', '-----------', '-----', '------', '-----', '-----------------'], w),
    ];
  }
  return [
    row(['', '', 'PING', 'DB/RPC/', 'REPL.', 'Replication', 'REPLICATION SETUP'], w),
    row(['SERVER-NAME', 'IP ADDRESS', '(msec)', 'DbMon?', 'QUEUE', 'Group ID', '(RTMT) & Details'], w),
    row(['-----------', '----------', '------', '-------', '-----', '-----------', '------------------'], w),
  ];
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
  const release = releaseOf(cluster.version);
  const view = [`Cluster Detailed View from ${node.name} (${cluster.nodes.length} Servers):`, '', ...tableHeader(release), ...tableRows(node, release)];
  if (!atLeast(release, '10.5')) {
    const lines = [
      '',
      'DDB and Replication Services: ALL RUNNING',
      '',
      'DB CLI Status: No other dbreplication CLI is running...',
      '',
      `Cluster Replication State: BROADCAST SYNC Completed on ${cluster.nodes.length - 1} servers at: ${dashStamp(syncEnd)}`,
      `     Last Sync Result: SYNC COMPLETED ${tables} tables sync'ed out of ${tables}`,
      '     Sync Errors: NO ERRORS',
      '',
      `DB Version: ${dbVersion(cluster)}`,
      `Number of replicated tables: ${tables}`,
      'Repltimeout set to: 300s',
      '',
      ...view,
    ];
    return lines.join('\n') + '\n';
  }
  const stateBlock = atLeast(release, '12.5')
    ? [
        `Cluster Replication State: BROADCAST SYNC ended at: ${dashStamp(syncEnd)}`,
        `     Sync Result: SYNC COMPLETED on ${tables} tables out of ${tables}`,
        '     Sync Status: All Tables are in sync',
        `     Use CLI to see detail: 'file view activelog cm/trace/dbl/${logName}_dbl_repl_output_Broadcast.log'`,
      ]
    : [
        `Cluster Replication State: Replication status command started at: ${dashStamp(syncStart)}`,
        `     Replication status command COMPLETED ${tables} tables checked out of ${tables}`,
        '     Last Completed Table: devicenumplanmapremdestmap',
        '     No Errors or Mismatches found.',
        '',
        `     Use 'file view activelog cm/trace/dbl/sdi/ReplicationStatus.${logName.replace(/^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/, '$1_$2_$3_$4_$5_$6')}.out' to see the details`,
      ];
  const lines = ['', `Server Time: ${unixDate(now)}`, '', ...stateBlock, '', `DB Version: ${dbVersion(cluster)}`, '', 'Repltimeout set to: 300s', 'PROCESS option set to: 1', '', ...view];
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
