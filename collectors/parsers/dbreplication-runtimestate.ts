// `utils dbreplication runtimestate` (reference/wire-formats.md §4.2; counters-certs-replication.md
// §4.2: "if database replication is set up and healthy, the replication setup value for each node
// is 2"). Reads the CUCM 10+ table (`DB/RPC/ DbMon?`, `Group ID`) and the CUCM 8.6/9 table (`RPC?`,
// `REPLICATION STATUS`, `DBver& TABLES`, `REPL. LOOP?`), columns located by the header's words.
//
// Degrade per row: a row that cannot be read (cut short, mis-aligned, a value of the wrong kind) is
// an `unparsed` entry, the other rows are kept; so is a table with fewer rows than its "(N Servers)"
// count (named at that line). Rows are read by the header's column positions first, then, when the
// alignment is lost (tabs, a narrow terminal, a document that collapsed the blanks), as a sequence
// of values in the layout's column order. Only an output without a single readable row is an error.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { columnsFromRule, findColumn, splitRow, type Column } from './cli-table';
import { inputName, int, readCli, splitBefore, type CliLine } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

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
  /** CUCM 10+: DB/RPC/DbMon? flags. CUCM 8.6/9: `RPC?` fills `rpc` only. */
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
      /** "SYNC COMPLETED on 753 tables out of 753" / "Checked 754 tables out of 754" / "681 tables checked out of 681" / "257 tables sync'ed out of 257". */
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
  unparsed: z.array(unparsedSchema),
});

const dbDownSchema = z.object({ status: z.literal('db-not-running'), message: z.string(), line: z.number().int(), unparsed: z.array(unparsedSchema) });
const singleNodeSchema = z.object({ status: z.literal('single-active-node'), message: z.string(), line: z.number().int(), unparsed: z.array(unparsedSchema) });

export const dbreplicationRuntimestateSchema = z.discriminatedUnion('status', [okSchema, dbDownSchema, singleNodeSchema]);
export type DbreplicationRuntimestate = z.infer<typeof dbreplicationRuntimestateSchema>;
export type ReplicationServer = z.infer<typeof replicationServerSchema>;

const NULL_MARKS = new Set(['', 'NA', 'N/A', '-', '--', '(-)']);

function yesNo(v: string, input: string, line: number, what: string): boolean | null {
  if (NULL_MARKS.has(v)) return null;
  if (/^(Y|Yes|T|True)$/i.test(v)) return true;
  if (/^(N|No|F|False)$/i.test(v)) return false;
  throw new ParseError(input, line, `${what}: expected Y/N, got "${v}"`);
}

/** Labels that start a record of the text before the table (anchors to re-split flattened documents). */
const ANCHORS =
  /(?:D?DB and Replication Services:|DB CLI Status:|Server Time:|Cluster Replication State:|DB Version:|Number of replicated tables:|Repltimeout set to:|PROCESS option set to:|Cluster Detailed View from)/g;

type Key = 'name' | 'ip' | 'ping' | 'flags' | 'rpc' | 'status' | 'queue' | 'tables' | 'loop' | 'group' | 'setup';
/** The columns between the address and the setup text, in print order, and how a header names them. */
const MIDDLE: Array<[Key, RegExp]> = [
  ['ping', /\bPING\b|\(msec\)/i],
  ['flags', /DbMon\?|DB\/RPC\//i],
  ['rpc', /(?:^|\s)RPC\?/i],
  ['status', /\bSTATUS\b/],
  ['queue', /\bQUEUE\b/i],
  ['tables', /\bTABLES\b/i],
  ['loop', /\bLOOP\?/i],
  ['group', /Group ID/i],
];
const HEADER_RES: Record<Key, RegExp> = {
  name: /^SERVER[- ]NAME$/i,
  ip: /^IP ADDRESS$/i,
  ping: /^PING\b/i,
  flags: /^DB\/RPC\/\s*DbMon\?$/i,
  rpc: /^RPC\?$/i,
  status: /^REPLICATION STATUS$/i,
  queue: /^REPL\.\s*QUEUE$/i,
  tables: /^DBver&\s*TABLES$/i,
  loop: /^REPL\.\s*LOOP\?$/i,
  group: /Group ID$/i,
  setup: /^REPLICATION SETUP\b/i,
};
/** What a value of each column looks like (to re-align a row by its values). */
const VALUE_RES: Partial<Record<Key, RegExp>> = {
  ping: /^(?:\d+(?:\.\d+)?|NA|N\/A|-+)$/i,
  flags: /^[YNTF-]\/[YNTF-]\/[YNTF-]$/i,
  rpc: /^(?:Y|N|Yes|No|-+|NA)$/i,
  queue: /^(?:\d+|-+|NA|N\/A)$/i,
  tables: /^(?:match|mismatch|-+|NA|\S+)$/i,
  loop: /^(?:Y|N|Yes|No|-+|NA)$/i,
  group: /^(?:\(g_\d+\)|\(-\)|-+|NA)$/i,
};
const SETUP_START = /^\((?:\d+|-)\)/;

type Cells = Partial<Record<Key, string>> & { extra?: Record<string, string> };

export function parseDbreplicationRuntimestate(text: string, source?: string): DbreplicationRuntimestate {
  const input = inputName(COMMAND, source);
  const lines = splitBefore(readCli(text, input, /utils\s+dbreplication\s+runtimestate/), ANCHORS);
  for (const l of lines) {
    const t = l.text.trim();
    if (/^Cisco DB is not running/i.test(t)) return checked(dbreplicationRuntimestateSchema, { status: 'db-not-running', message: t, line: l.line, unparsed: [] }, input);
    if (/Runtime state cannot be performed on a cluster with a single active node/i.test(t))
      return checked(dbreplicationRuntimestateSchema, { status: 'single-active-node', message: t, line: l.line, unparsed: [] }, input);
  }
  if (!lines.some((l) => l.text.trim())) throw new ParseError(input, undefined, 'empty output');
  const problems = new RowProblems();

  let serverTime: string | null = null;
  let dbVersion: string | null = null;
  let replTimeoutSeconds: number | null = null;
  let processOption: number | null = null;
  let crs: { summary: string; lines: string[]; tables: { done: number; total: number } | null } | null = null;
  const info: Record<string, string> = {};
  let i = 0;
  let view: { from: string; count: number; line: number; raw: string; rest: string } | undefined;
  for (; i < lines.length && !view; i++) {
    const { text: raw, line } = lines[i];
    const t = raw.trim();
    if (!t) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Cluster Detailed View from (\S+) \((\d+) Servers?\):\s*(.*)$/i.exec(t))) {
      view = { from: m[1], count: Number(m[2]), line, raw: t, rest: m[3] };
    } else if ((m = /^Server Time:\s*(.+)$/.exec(t))) serverTime = m[1];
    else if ((m = /^DB Version:\s*(\S+)/.exec(t))) dbVersion = m[1];
    else if ((m = /^Repltimeout set to:\s*(\d+)\s*s\b/.exec(t))) replTimeoutSeconds = Number(m[1]);
    else if ((m = /^PROCESS option set to:\s*(\d+)/.exec(t))) processOption = Number(m[1]);
    else if ((m = /^Cluster Replication State:\s*(.*)$/.exec(t))) {
      const block: string[] = [];
      // The block is the indented lines that follow (blank lines inside it included); older
      // releases and documents print them without the indent, up to the next labelled line.
      while (i + 1 < lines.length) {
        const next = lines[i + 1].text;
        const nt = next.trim();
        if (nt !== '' && !/^\s/.test(next) && (/^[A-Za-z][A-Za-z0-9 .&/()-]*?:/.test(nt) && !/^(Sync|Last|Use|Replication status)\b/.test(nt))) break;
        if (/^Cluster Detailed View from/i.test(nt)) break;
        i++;
        if (nt) block.push(nt);
      }
      const all = [m[1], ...block].join(' ');
      const tm =
        /COMPLETED (?:on )?(\d+) tables (?:sync'?ed )?out of (\d+)/i.exec(all) ??
        /Checked (\d+) tables out of (\d+)/i.exec(all) ??
        /(\d+) tables (?:checked|processed) out of (\d+)/i.exec(all);
      crs = { summary: m[1].trim(), lines: block, tables: tm ? { done: Number(tm[1]), total: Number(tm[2]) } : null };
    } else if ((m = /^([A-Za-z][A-Za-z0-9 .&/()-]*?):\s*(.+)$/.exec(t))) info[m[1]] = m[2];
    else problems.add(line, raw, `unexpected line before the replication table: "${t}"`);
  }
  if (!view) throw problems.nothingRead(input, { line: lines[lines.length - 1]?.line, detail: 'no "Cluster Detailed View from … (N Servers):" table found' });

  // The table: header lines, a rule of dashes, rows. A flattened document may carry all of it on
  // the view line itself (view.rest).
  const table: CliLine[] = view.rest ? [{ text: view.rest, line: view.line }, ...lines.slice(i)] : lines.slice(i);
  const header: CliLine[] = [];
  let rule: CliLine | undefined;
  let k = 0;
  for (; k < table.length; k++) {
    const t = table[k].text;
    if (!t.trim()) {
      if (header.length) break;
      continue;
    }
    if (/^[-\s]+$/.test(t) && t.includes('---')) {
      rule = table[k++];
      break;
    }
    if (/-{3,}\s+-{3,}/.test(t)) {
      // Header, rule and maybe rows on one line (flattened): split at the rule.
      const at = t.search(/-{3,}\s+-{3,}/);
      header.push({ text: t.slice(0, at), line: table[k].line });
      const after = t.slice(at);
      const ruleEnd = /^(?:-+\s*)+/.exec(after)![0];
      rule = { text: ruleEnd.trimEnd(), line: table[k].line };
      const rest = after.slice(ruleEnd.length);
      table.splice(k + 1, 0, ...(rest.trim() ? splitRows(rest, table[k].line) : []));
      k++;
      break;
    }
    header.push(table[k]);
  }
  const headerText = header.map((h) => h.text).join(' ').replace(/\s+/g, ' ');
  const layout: 'current' | 'cucm9' | undefined = /DbMon\?|DB\/RPC\//i.test(headerText) ? 'current' : /\bRPC\?/i.test(headerText) ? 'cucm9' : undefined;
  if (!layout || !/SERVER[- ]NAME/i.test(headerText) || !/REPLICATION SETUP/i.test(headerText)) {
    throw problems.nothingRead(input, {
      line: header[header.length - 1]?.line ?? view.line,
      detail: `replication table header not recognised (needs SERVER-NAME, IP ADDRESS, DB/RPC/DbMon? or RPC?, and REPLICATION SETUP): "${headerText.slice(0, 200)}"`,
    });
  }
  // Columns by position, when the header and its rule are aligned.
  let cols: Column[] | undefined;
  let col: Partial<Record<Key, number>> = {};
  if (rule && header.length) {
    cols = columnsFromRule(rule.text, header.map((h) => h.text));
    for (const key of Object.keys(HEADER_RES) as Key[]) {
      const c = findColumn(cols, HEADER_RES[key]);
      if (c !== undefined) col[key] = c;
    }
    if (col.name === undefined || col.ip === undefined || col.setup === undefined || (col.flags === undefined && col.rpc === undefined)) {
      cols = undefined;
      col = {};
    }
  }
  // The columns a row's values are matched to when its alignment is lost: those the header names
  // (CUCM 10.0 prints only PING, RPC? and Group ID; 10.5+ adds DB/RPC/DbMon? and REPL. QUEUE).
  const middle = MIDDLE.filter(([, re]) => re.test(headerText)).map(([k]) => k);
  const known = new Set(Object.values(col));
  const multi = new Set<number>(col.setup !== undefined ? [col.setup] : []);

  const servers: ReplicationServer[] = [];
  const beforeRows = problems.count;
  let lastRowLine = rule?.line ?? view.line;
  for (; k < table.length; k++) {
    const { text: raw, line } = table[k];
    if (!raw.trim()) {
      if (servers.length || problems.count) {
        k++;
        break;
      }
      continue;
    }
    lastRowLine = line;
    const server = problems.row(line, raw, () => {
      const positional = cols ? readPositional(raw, cols, col, known, multi, input, line) : undefined;
      if (positional && !(positional instanceof ParseError)) return positional;
      try {
        return readRow(tokenCells(raw, middle, input, line), layout, input, line);
      } catch (err) {
        // The positional reading's reason names the column; prefer it.
        if (positional instanceof ParseError) throw positional;
        throw err;
      }
    });
    if (server) servers.push(server);
  }
  const unreadableRows = problems.count - beforeRows;
  for (; k < table.length; k++) {
    const t = table[k].text.trim();
    if (t) problems.add(table[k].line, table[k].text, `unexpected text after the replication table: "${t}"`);
  }
  if (!servers.length) throw problems.nothingRead(input, { line: lastRowLine, detail: `the table lists no servers but the header announces ${view.count}` });
  if (servers.length + unreadableRows < view.count) {
    const missing = view.count - servers.length - unreadableRows;
    problems.add(view.line, view.raw, `the table lists ${servers.length + unreadableRows} of the ${view.count} announced servers: ${missing} missing (truncated output?)`);
  } else if (servers.length > view.count) {
    problems.add(view.line, view.raw, `the table lists ${servers.length + unreadableRows} servers but the header announces ${view.count}`);
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
      unparsed: problems.list(),
    },
    input,
  );
}

/** Splits the rows of a flattened table: a row starts at a name followed by an address and a ping value. */
function splitRows(text: string, line: number): CliLine[] {
  const toks = [...text.matchAll(/\S+/g)];
  const starts: number[] = [];
  for (let j = 0; j + 2 < toks.length; j++) {
    if (isAddress(toks[j + 1][0]) && VALUE_RES.ping!.test(toks[j + 2][0]) && !SETUP_START.test(toks[j][0])) starts.push(toks[j].index!);
  }
  if (!starts.length) return [{ text, line }];
  const out: CliLine[] = [];
  starts.forEach((s, n) => out.push({ text: text.slice(s, n + 1 < starts.length ? starts[n + 1] : undefined).trim(), line }));
  return out;
}

/** IPv4, IPv6, or a documentation-anonymised address such as "x.x.x.1". */
function isAddress(t: string): boolean {
  return /^(?:\d{1,3}|x{1,3})(?:\.(?:\d{1,3}|x{1,3})){3}$/i.test(t) || (/^[0-9a-f:]+$/i.test(t) && t.includes('::')) || /^[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}$/i.test(t);
}

function readPositional(
  raw: string,
  cols: Column[],
  col: Partial<Record<Key, number>>,
  known: Set<number | undefined>,
  multi: Set<number>,
  input: string,
  line: number,
): ReplicationServer | ParseError {
  try {
    const cells = splitRow(raw, cols, multi, input, line);
    const c: Cells = { extra: {} };
    for (const key of Object.keys(col) as Key[]) c[key] = cells[col[key]!].trim();
    cols.forEach((cc, n) => {
      if (!known.has(n)) c.extra![cc.name] = cells[n].trim();
    });
    return readRow(c, col.flags !== undefined ? 'current' : 'cucm9', input, line);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
}

/** A row whose alignment is lost: values in the header's column order, the setup text taking the rest. */
function tokenCells(raw: string, middle: Key[], input: string, line: number): Cells {
  const toks = raw.trim().split(/\s+/);
  const setupAt = toks.findIndex((t, n) => n >= 2 && SETUP_START.test(t));
  if (setupAt < 0) throw new ParseError(input, line, `row for ${toks[0] ?? 'an unnamed server'} has no REPLICATION SETUP value "(n) details" (truncated output?)`);
  const c: Cells = { name: toks[0], ip: toks[1], setup: toks.slice(setupAt).join(' ') };
  // The values between the address and the setup text, matched to the header's columns in order;
  // a column whose value is absent stays empty.
  let m = 0;
  for (const t of toks.slice(2, setupAt)) {
    while (m < middle.length && VALUE_RES[middle[m]] && !VALUE_RES[middle[m]]!.test(t)) m++;
    if (m >= middle.length) throw new ParseError(input, line, `value "${t}" does not fit the columns ${middle.join(', ')} of the header`);
    c[middle[m++]] = t;
  }
  return c;
}

function readRow(c: Cells, layout: 'current' | 'cucm9', input: string, line: number): ReplicationServer {
  const name = c.name ?? '';
  const setupText = c.setup ?? '';
  const sm = /^\((\d+|-)\)\s*(.*)$/.exec(setupText);
  if (!sm) {
    throw new ParseError(input, line, setupText ? `REPLICATION SETUP value "${setupText}" is not "(n) details"` : `row for ${name || 'an unnamed server'} has no REPLICATION SETUP value (truncated output?)`);
  }
  const state = sm[1] === '-' ? null : Number(sm[1]);
  if (state !== null && !(state in REPLICATION_SETUP_STATES)) throw new ParseError(input, line, `REPLICATION SETUP state ${state} is outside 0..4`);
  const ip = c.ip ?? '';
  if (!name || !ip) throw new ParseError(input, line, 'row without SERVER-NAME or IP ADDRESS');
  if (!isAddress(ip) && !/^(?=.*[A-Za-z])[A-Za-z0-9.-]+$/.test(ip)) throw new ParseError(input, line, `IP ADDRESS "${ip}" is not an address`);
  const pingText = c.ping ?? '';
  const pingMs = NULL_MARKS.has(pingText) ? null : Number(/^\d+(?:\.\d+)?$/.test(pingText) ? pingText : NaN);
  if (pingMs !== null && Number.isNaN(pingMs)) throw new ParseError(input, line, `PING (msec) value "${pingText}" is not a number`);
  let db: boolean | null = null;
  let rpc: boolean | null = null;
  let dbMon: boolean | null = null;
  if (layout === 'current') {
    const f = c.flags ?? '';
    const fm = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(f);
    if (!fm) throw new ParseError(input, line, `DB/RPC/DbMon? value "${f}" is not x/y/z`);
    db = yesNo(fm[1], input, line, 'DB');
    rpc = yesNo(fm[2], input, line, 'RPC');
    dbMon = yesNo(fm[3], input, line, 'DbMon');
  } else rpc = yesNo(c.rpc ?? '', input, line, 'RPC?');
  const queueText = c.queue ?? '';
  const queue = NULL_MARKS.has(queueText) ? null : int(queueText, input, line, 'REPL. QUEUE');
  const groupText = c.group ?? '';
  return {
    name,
    ip,
    pingMs,
    db,
    rpc,
    dbMon,
    replicationStatus: c.status === undefined || NULL_MARKS.has(c.status) ? null : c.status,
    dbVersionTables: c.tables === undefined || NULL_MARKS.has(c.tables) ? null : c.tables,
    loop: c.loop === undefined ? null : yesNo(c.loop, input, line, 'REPL. LOOP?'),
    queue,
    groupId: NULL_MARKS.has(groupText) ? null : groupText,
    setupState: state as ReplicationServer['setupState'],
    details: sm[2].trim(),
    extra: c.extra ?? {},
    line,
  };
}
