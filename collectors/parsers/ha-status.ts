// `utils ha status` on IM&P (reference/wire-formats.md §4.3; states and reasons: ha.md §1, §1.1).
// Reads the CLI-guide layout (`admin: ha status`, `Reason:` possibly wrapped to the next line) and the
// newer tab-indented layout with a `Reason:` on every node line. State and reason are kept verbatim;
// `stateKey`/`reasonKey` are case-insensitive normalisations (the guide itself spells
// "Critical Services not Running" and "Critical Services Not Running").
import { z } from 'zod';
import { ParseError } from '../errors';
import { HA_STATES } from '../vocabulary';
import { checked } from './check';
import { inputName, readCli, type CliLine } from './cli-text';

const COMMAND = 'utils ha status';

/** Lowercase words joined by "-": "Failed Over with Critical Services not Running" → "failed-over-with-critical-services-not-running". */
export function haKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Node states of ha.md §1 (plus the pair-table forms), as keys. */
export const KNOWN_HA_STATE_KEYS = new Set(HA_STATES.map(haKey));

export const haNodeSchema = z.object({
  /** Node number within the subcluster as printed ("Node 1"). */
  index: z.number().int().positive(),
  /** Name as printed after `Name :`. */
  name: z.string().min(1),
  /** State verbatim, e.g. "Running in Backup Mode". */
  state: z.string().min(1),
  stateKey: z.string().min(1),
  /** True when the state is one of the documented states (ha.md §1). */
  knownState: z.boolean(),
  /** Reason verbatim; null when the line prints none (guide layout for Normal). */
  reason: z.string().nullable(),
  reasonKey: z.string().nullable(),
  line: z.number().int().positive(),
});

export const haStatusSchema = z.object({
  subclusters: z
    .array(
      z.object({
        /** Subcluster (presence redundancy group) name as printed. */
        name: z.string().min(1),
        nodes: z.array(haNodeSchema).min(1),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
});
export type HaStatus = z.infer<typeof haStatusSchema>;
export type HaNode = z.infer<typeof haNodeSchema>;

const NODE_START = /\bNode\s+(\d+)\s+Name\s*:/g;

export function parseHaStatus(text: string, source?: string): HaStatus {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /(?:utils\s+)?ha\s+status/);
  const subclusters: HaStatus['subclusters'] = [];
  let cur: { name: string; line: number; body: CliLine[] } | undefined;
  const flush = () => {
    if (!cur) return;
    subclusters.push({ name: cur.name, line: cur.line, nodes: parseNodes(cur.body, cur.name, cur.line, input) });
  };
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    const m = /^Subcluster Name\s*:\s*(.+)$/.exec(t);
    if (m) {
      flush();
      cur = { name: m[1].trim(), line: l.line, body: [] };
    } else if (!cur) {
      throw new ParseError(input, l.line, `expected "Subcluster Name:", got "${t}"`);
    } else cur.body.push(l);
  }
  flush();
  if (!subclusters.length) throw new ParseError(input, lines[0]?.line, 'no "Subcluster Name:" in the output');
  return checked(haStatusSchema, { subclusters }, input);
}

function parseNodes(body: CliLine[], subcluster: string, subLine: number, input: string): HaNode[] {
  // Join the subcluster's lines (wrapped `Reason:` continues on the next line) and remember where
  // each line starts, to report the line of each node entry.
  let joined = '';
  const starts: Array<{ at: number; line: number }> = [];
  for (const l of body) {
    starts.push({ at: joined.length, line: l.line });
    joined += l.text.trim() + ' ';
  }
  const lineAt = (pos: number) => {
    let line = starts[0]?.line ?? subLine;
    for (const s of starts) if (s.at <= pos) line = s.line;
    return line;
  };
  const heads = [...joined.matchAll(NODE_START)];
  if (!heads.length) throw new ParseError(input, body[0]?.line ?? subLine, `subcluster ${subcluster} lists no "Node n Name :" lines`);
  if (heads[0].index! > 0) throw new ParseError(input, lineAt(0), `unexpected text in subcluster ${subcluster}: "${joined.slice(0, heads[0].index!).trim()}"`);
  return heads.map((h, k) => {
    const from = h.index!;
    const to = k + 1 < heads.length ? heads[k + 1].index! : joined.length;
    const entry = joined.slice(from + h[0].length, to).replace(/\s+/g, ' ').trim();
    const line = lineAt(from);
    const m = /^(\S+)\s+State\s*:\s*(.*?)(?:\s*\bReason\s*:\s*(.*))?$/.exec(entry);
    if (!m) throw new ParseError(input, line, `node entry without "State:" (truncated output?): "Node ${h[1]} Name : ${entry}"`);
    const state = m[2].trim();
    if (!state) throw new ParseError(input, line, `node ${m[1]} has an empty State`);
    const reason = m[3] === undefined ? null : m[3].trim();
    if (reason === '') throw new ParseError(input, line, `node ${m[1]} has "Reason:" with no text (truncated output?)`);
    return {
      index: Number(h[1]),
      name: m[1],
      state,
      stateKey: haKey(state),
      knownState: KNOWN_HA_STATE_KEYS.has(haKey(state)),
      reason,
      reasonKey: reason === null ? null : haKey(reason),
      line,
    };
  });
}
