// `utils dbreplication runtimestate` (reference/wire-formats.md §4.2; counters-certs-replication.md
// §4.2: "if database replication is set up and healthy, the replication setup value for each node
// is 2"). Reads the CUCM 10+ table (`DB/RPC/ DbMon?`, `Group ID`) and the CUCM 9 table (`RPC?`,
// `REPLICATION STATUS`, `DBver& TABLES`, `REPL. LOOP?`) by their headers. A row that cannot be read,
// or fewer rows than the "(N Servers)" count, is a ParseError: never a shorter, healthy-looking table.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { columnsFromRule, findColumn, splitRow } from './cli-table';
import { inputName, int, readCli, type CliLine } from './cli-text';

const COMMAND = 'utils dbreplication runtimestate';

/** Replicate_State meanings, verbatim from the PCD guide (§4.2). */
export const REPLICATION_SETUP_STATES = {
  0: 'Replication not started',
  1: 'Replicates created, but count is incorrect',
  2: 'Replication is good',
  3: 'Replication is bad',
  4: 'Replication setup failed',
} as const;

const flag = z.boolean().nullable();

export const replicationServerSchema = z.object({
  /** SERVER-NAME as printed. */
  name: z.string().min(1),
  ip: z.string().min(1),
  /** PING (msec); null when printed as NA / -. */
  pingMs: z.number().nonnegative().nullable(),
  /** CUCM 10+: DB/RPC/DbMon? flags. CUCM 9: `RPC?` fills `rpc` only. */
  db: flag,
  rpc: flag,
  dbMon: flag,
  /** CUCM 9 `REPLICATION STATUS` (e.g. Connected, Off-Line), verbatim. */
  replicationStatus: z.string().nullable(),
  /** CUCM 9 `DBver& TABLES` (e.g. match), verbatim. */
  dbVersionTables: z.string().nullable(),
  /** CUCM 9 `REPL. LOOP?`. */
  loop: flag,
  /** REPL. QUEUE; null when printed as NA / -- . */
  queue: z.number().int().nonnegative().nullable(),
  /** Replication Group ID as printed, e.g. "(g_3)". */
  groupId: z.string().nullable(),
  /** REPLICATION SETUP (RTMT) number: 0..4 (2 = good); null when printed as "(-)". */
  setupState: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullable(),
  /** Text after the number, e.g. "Setup Completed". */
  details: z.string(),
  /** Columns this parser does not know, by header text. */
  extra: z.record(z.string(), z.string()),
  line: z.number().int().positive(),
});

const okSchema = z.object({
  status: z.literal('ok'),
  layout: z.enum(['current', 'cucm9']),
  serverTime: z.string().nullable(),
  clusterReplicationState: z
    .object({
      summary: z.string(),
      lines: z.array(z.string()),
      /** "SYNC COMPLETED on 753 tables out of 753" / "Checked 754 tables out of 754" / "681 tables checked out of 681". */
      tables: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
    })
    .nullable(),
  dbVersion: z.string().nullable(),
  replTimeoutSeconds: z.number().int().nullable(),
  processOption: z.number().int().nullable(),
  /** Other "Label: value" lines before the table, verbatim. */
  info: z.record(z.string(), z.string()),
  viewFrom: z.string(),
  serverCount: z.number().int().positive(),
  servers: z.array(replicationServerSchema).min(1),
});

const dbDownSchema = z.object({ status: z.literal('db-not-running'), message: z.string(), line: z.number().int() });
const singleNodeSchema = z.object({ status: z.literal('single-active-node'), message: z.string(), line: z.number().int() });

export const dbreplicationRuntimestateSchema = z.discriminatedUnion('status', [okSchema, dbDownSchema, singleNodeSchema]);
export type DbreplicationRuntimestate = z.infer<typeof dbreplicationRuntimestateSchema>;
export type ReplicationServer = z.infer<typeof replicationServerSchema>;

const NULL_MARKS = new Set(['', 'NA', 'N/A', '-', '--', '(-)']);

function yesNo(v: string, input: string, line: number, what: string): boolean | null {
  if (NULL_MARKS.has(v)) return null;
  if (/^(Y|Yes)$/i.test(v)) return true;
  if (/^(N|No)$/i.test(v)) return false;
  throw new ParseError(input, line, `${what}: expected Y/N, got "${v}"`);
}

export function parseDbreplicationRuntimestate(text: string, source?: string): DbreplicationRuntimestate {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /utils\s+dbreplication\s+runtimestate/);
  for (const l of lines) {
    const t = l.text.trim();
    if (/^Cisco DB is not running/i.test(t)) return checked(dbreplicationRuntimestateSchema, { status: 'db-not-running', message: t, line: l.line }, input);
    if (/Runtime state cannot be performed on a cluster with a single active node/i.test(t))
      return checked(dbreplicationRuntimestateSchema, { status: 'single-active-node', message: t, line: l.line }, input);
  }
  if (!lines.some((l) => l.text.trim())) throw new ParseError(input, undefined, 'empty output');

  let serverTime: string | null = null;
  let dbVersion: string | null = null;
  let replTimeoutSeconds: number | null = null;
  let processOption: number | null = null;
  let crs: { summary: string; lines: string[]; tables: { done: number; total: number } | null } | null = null;
  const info: Record<string, string> = {};
  let i = 0;
  let view: { from: string; count: number; line: number } | undefined;
  for (; i < lines.length && !view; i++) {
    const { text: raw, line } = lines[i];
    const t = raw.trim();
    if (!t) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Cluster Detailed View from (\S+) \((\d+) Servers?\):$/.exec(t))) {
      view = { from: m[1], count: Number(m[2]), line };
    } else if ((m = /^Server Time:\s*(.+)$/.exec(t))) serverTime = m[1];
    else if ((m = /^DB Version:\s*(\S+)$/.exec(t))) dbVersion = m[1];
    else if ((m = /^Repltimeout set to:\s*(\d+)s$/.exec(t))) replTimeoutSeconds = Number(m[1]);
    else if ((m = /^PROCESS option set to:\s*(\d+)$/.exec(t))) processOption = Number(m[1]);
    else if ((m = /^Cluster Replication State:\s*(.*)$/.exec(t))) {
      const block: string[] = [];
      // The block is the indented lines that follow (blank lines inside it included).
      while (i + 1 < lines.length && (lines[i + 1].text === '' || /^\s/.test(lines[i + 1].text))) {
        i++;
        if (lines[i].text.trim()) block.push(lines[i].text.trim());
      }
      const all = [m[1], ...block].join(' ');
      const tm =
        /COMPLETED on (\d+) tables out of (\d+)/i.exec(all) ??
        /Checked (\d+) tables out of (\d+)/i.exec(all) ??
        /(\d+) tables checked out of (\d+)/i.exec(all);
      crs = { summary: m[1], lines: block, tables: tm ? { done: Number(tm[1]), total: Number(tm[2]) } : null };
    } else if ((m = /^([A-Za-z][A-Za-z0-9 .&/()-]*?):\s*(.+)$/.exec(t))) info[m[1]] = m[2];
    else throw new ParseError(input, line, `unexpected line before the replication table: "${t}"`);
  }
  if (!view) throw new ParseError(input, lines[lines.length - 1]?.line, 'no "Cluster Detailed View from … (N Servers):" table found');

  // Header lines, then the rule of dashes.
  const header: CliLine[] = [];
  let rule: CliLine | undefined;
  for (; i < lines.length; i++) {
    const t = lines[i].text;
    if (!t.trim()) {
      if (header.length) break;
      continue;
    }
    if (/^[-\s]+$/.test(t) && t.includes('---')) {
      rule = lines[i++];
      break;
    }
    header.push(lines[i]);
  }
  if (!rule || !header.length) throw new ParseError(input, lines[Math.min(i, lines.length - 1)]?.line, 'replication table header or its rule of dashes is missing');
  const cols = columnsFromRule(rule.text, header.map((h) => h.text));
  const col = {
    name: findColumn(cols, /^SERVER-NAME$/i),
    ip: findColumn(cols, /^IP ADDRESS$/i),
    ping: findColumn(cols, /^PING\b/i),
    flags: findColumn(cols, /^DB\/RPC\/\s*DbMon\?$/i),
    rpc: findColumn(cols, /^RPC\?$/i),
    status: findColumn(cols, /^REPLICATION STATUS$/i),
    queue: findColumn(cols, /^REPL\.\s*QUEUE$/i),
    tables: findColumn(cols, /^DBver&\s*TABLES$/i),
    loop: findColumn(cols, /^REPL\.\s*LOOP\?$/i),
    group: findColumn(cols, /Group ID$/i),
    setup: findColumn(cols, /^REPLICATION SETUP\b/i),
  };
  for (const [key, label] of [
    ['name', 'SERVER-NAME'],
    ['ip', 'IP ADDRESS'],
    ['setup', 'REPLICATION SETUP (RTMT) & Details'],
  ] as const) {
    if (col[key] === undefined) throw new ParseError(input, header[header.length - 1].line, `replication table has no ${label} column (headers: ${cols.map((c) => c.name).join(' | ')})`);
  }
  if (col.flags === undefined && col.rpc === undefined)
    throw new ParseError(input, header[header.length - 1].line, 'replication table has neither a DB/RPC/DbMon? nor an RPC? column');
  const layout = col.flags !== undefined ? 'current' : 'cucm9';
  const known = new Set(Object.values(col).filter((v): v is number => v !== undefined));
  const multi = new Set<number>([col.setup!]);

  const servers: ReplicationServer[] = [];
  for (; i < lines.length; i++) {
    const { text: raw, line } = lines[i];
    if (!raw.trim()) {
      if (servers.length) break;
      continue;
    }
    const cells = splitRow(raw, cols, multi, input, line);
    const cell = (k: number | undefined) => (k === undefined ? '' : cells[k].trim());
    const name = cell(col.name);
    const setupText = cell(col.setup);
    const sm = /^\((\d+|-)\)\s*(.*)$/.exec(setupText);
    if (!sm) {
      throw new ParseError(input, line, setupText ? `REPLICATION SETUP value "${setupText}" is not "(n) details"` : `row for ${name || 'an unnamed server'} has no REPLICATION SETUP value (truncated output?)`);
    }
    const state = sm[1] === '-' ? null : Number(sm[1]);
    if (state !== null && !(state in REPLICATION_SETUP_STATES)) throw new ParseError(input, line, `REPLICATION SETUP state ${state} is outside 0..4`);
    const ip = cell(col.ip);
    if (!name || !ip) throw new ParseError(input, line, 'row without SERVER-NAME or IP ADDRESS');
    const pingText = cell(col.ping);
    const pingMs = NULL_MARKS.has(pingText) ? null : Number(/^\d+(?:\.\d+)?$/.test(pingText) ? pingText : NaN);
    if (pingMs !== null && Number.isNaN(pingMs)) throw new ParseError(input, line, `PING (msec) value "${pingText}" is not a number`);
    let db: boolean | null = null;
    let rpc: boolean | null = null;
    let dbMon: boolean | null = null;
    if (col.flags !== undefined) {
      const f = cell(col.flags);
      const fm = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(f);
      if (!fm) throw new ParseError(input, line, `DB/RPC/DbMon? value "${f}" is not x/y/z`);
      db = yesNo(fm[1], input, line, 'DB');
      rpc = yesNo(fm[2], input, line, 'RPC');
      dbMon = yesNo(fm[3], input, line, 'DbMon');
    } else rpc = yesNo(cell(col.rpc), input, line, 'RPC?');
    const queueText = cell(col.queue);
    const queue = NULL_MARKS.has(queueText) ? null : int(queueText, input, line, 'REPL. QUEUE');
    const groupText = cell(col.group);
    const extra: Record<string, string> = {};
    cols.forEach((c, k) => {
      if (!known.has(k)) extra[c.name] = cells[k].trim();
    });
    servers.push({
      name,
      ip,
      pingMs,
      db,
      rpc,
      dbMon,
      replicationStatus: col.status === undefined || NULL_MARKS.has(cell(col.status)) ? null : cell(col.status),
      dbVersionTables: col.tables === undefined || NULL_MARKS.has(cell(col.tables)) ? null : cell(col.tables),
      loop: col.loop === undefined ? null : yesNo(cell(col.loop), input, line, 'REPL. LOOP?'),
      queue,
      groupId: groupText === '' ? null : groupText,
      setupState: state as ReplicationServer['setupState'],
      details: sm[2].trim(),
      extra,
      line,
    });
  }
  for (; i < lines.length; i++) {
    if (lines[i].text.trim()) throw new ParseError(input, lines[i].line, `unexpected text after the replication table: "${lines[i].text.trim()}"`);
  }
  const last = lines[lines.length - 1]?.line;
  if (!servers.length) throw new ParseError(input, last, `the table lists no servers but the header announces ${view.count}`);
  if (servers.length !== view.count) {
    throw new ParseError(input, last, `the table lists ${servers.length} server(s) but the header announces ${view.count} (truncated output?)`);
  }
  return checked(
    dbreplicationRuntimestateSchema,
    {
      status: 'ok',
      layout,
      serverTime,
      clusterReplicationState: crs,
      dbVersion,
      replTimeoutSeconds,
      processOption,
      info,
      viewFrom: view.from,
      serverCount: view.count,
      servers,
    },
    input,
  );
}
