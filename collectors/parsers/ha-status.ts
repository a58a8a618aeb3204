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
import { RowProblems, unparsedSchema } from './problems';

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
        /** The node entries that could be read (an unreadable one is in `unparsed`). */
        nodes: z.array(haNodeSchema),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
  unparsed: z.array(unparsedSchema),
});
export type HaStatus = z.infer<typeof haStatusSchema>;
export type HaNode = z.infer<typeof haNodeSchema>;


export function parseHaStatus(text: string, source?: string): HaStatus {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /(?:utils\s+)?ha\s+status(?:\s+\S+)?/);
  const problems = new RowProblems();
  const subclusters: HaStatus['subclusters'] = [];
  let cur: { name: string; line: number; body: CliLine[] } | undefined;
  const flush = () => {
    if (!cur) return;
    subclusters.push({ name: cur.name, line: cur.line, nodes: parseNodes(cur.body, cur.name, cur.line, input, problems) });
  };
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    // A flattened document may run the next subcluster on: split at each "Subcluster Name".
    const parts = t.split(/(?=\bSubcluster Name\s*:)/i).map((x) => x.trim()).filter(Boolean);
    for (const part of parts) {
      const m = /^Subcluster Name\s*:\s*(\S(?:.*?\S)?)(?=\s+Node\s+\d|\s*$)(.*)$/i.exec(part);
      if (m) {
        flush();
        cur = { name: m[1].trim(), line: l.line, body: m[2].trim() ? [{ text: m[2], line: l.line }] : [] };
      } else if (!cur) problems.add(l.line, l.text, `expected "Subcluster Name:", got "${part}"`);
      else cur.body.push({ text: part, line: l.line });
    }
  }
  flush();
  if (!subclusters.length) throw problems.nothingRead(input, { line: lines[0]?.line, detail: 'no "Subcluster Name:" in the output' });
  if (!subclusters.some((g) => g.nodes.length)) throw problems.nothingRead(input, { line: subclusters[0].line, detail: `subcluster ${subclusters[0].name} lists no readable node line` });
  return checked(haStatusSchema, { subclusters, unparsed: problems.list() }, input);
}

function parseNodes(body: CliLine[], subcluster: string, subLine: number, input: string, problems: RowProblems): HaNode[] {
  // One entry per node line. A line continues the entry above only while that entry is unfinished
  // (no "State:" yet, or a "Reason:" with its text wrapped onto the next line, as in the CLI guide's
  // third example); so a cut or damaged line costs itself, never its neighbour. A document that
  // lost the line breaks has several node lines on one line: they are split at each "Node n Name".
  const entries: Array<{ line: number; raw: string; text: string }> = [];
  const unfinished = (t: string) => !/\bState\s*:/i.test(t) || /\bReason\s*:\s*$/i.test(t);
  for (const l of body) {
    const parts = l.text
      .trim()
      .split(/(?=\bNode\s+\d+\s*:?\s*Name\s*:)/i)
      .map((x) => x.trim())
      .filter(Boolean);
    for (const part of parts) {
      const cur = entries[entries.length - 1];
      const head = /^Node\s+\d+\s*:?\s*Name\s*:/i.test(part);
      if (!head && cur && /^Node\s+\d+\s*:?\s*Name\s*:/i.test(cur.text) && unfinished(cur.text)) cur.text += ` ${part}`;
      else entries.push({ line: l.line, raw: l.text, text: part });
    }
  }
  if (!entries.length) {
    problems.add(subLine, `Subcluster Name: ${subcluster}`, `subcluster ${subcluster} lists no "Node n Name :" lines (truncated output?)`);
    return [];
  }
  const nodes: HaNode[] = [];
  for (const e of entries) {
    const node = problems.row(e.line, e.raw, () => {
      const h = /^Node\s+(\d+)\s*:?\s*Name\s*:\s*/i.exec(e.text);
      if (!h) throw new ParseError(input, e.line, `subcluster ${subcluster}: not a "Node n Name : <node> State: …" line: "${e.text}"`);
      const entry = e.text.slice(h[0].length).replace(/\s+/g, ' ').trim();
      const m = /^(\S+)\s+State\s*:\s*(.*?)(?:\s*\bReason\s*:\s*(.*))?$/i.exec(entry);
      if (!m) throw new ParseError(input, e.line, `node entry without "State:" (truncated output?): "Node ${h[1]} Name : ${entry}"`);
      const state = m[2].trim();
      if (!state) throw new ParseError(input, e.line, `node ${m[1]} has an empty State`);
      const reason = m[3] === undefined ? null : m[3].trim();
      if (reason === '') throw new ParseError(input, e.line, `node ${m[1]} has "Reason:" with no text (truncated output?)`);
      return {
        index: Number(h[1]),
        name: m[1],
        state,
        stateKey: haKey(state),
        knownState: KNOWN_HA_STATE_KEYS.has(haKey(state)),
        reason,
        reasonKey: reason === null ? null : haKey(reason),
        line: e.line,
      };
    });
    if (node) nodes.push(node);
  }
  return nodes;
}
