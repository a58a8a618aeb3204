// `show perf query class|counter …` (reference/wire-formats.md §4.8). A header `==>query class :`
// (or `==>query counter :`), then per class ` - Perf class (<class>) has instances and values:` or
// ` - Perf class <class>(<counter>) has values:`, then value lines `[instance] -> <counter> = <n>`
// (instance empty for single-instance classes). Cisco documents sometimes lose the line breaks;
// the text is therefore read as a stream of class headers and `->` items.
import { z } from 'zod';
import { checked } from './check';
import { inputName, lineOfOffset, readCli, type JoinedLine } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'show perf query';

const valueSchema = z.object({
  /** Instance as printed; null for single-instance classes (empty instance column). */
  instance: z.string().nullable(),
  counter: z.string().min(1),
  value: z.number(),
  line: z.number().int().positive(),
});
export const perfQuerySchema = z.object({
  /** "class" or "counter", from the `==>query …` header; null when the header is absent. */
  query: z.enum(['class', 'counter']).nullable(),
  classes: z
    .array(
      z.object({
        name: z.string().min(1),
        /** Counter named in `Perf class <class>(<counter>) has values:`; null for the class form. */
        counter: z.string().nullable(),
        values: z.array(valueSchema),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
  unparsed: z.array(unparsedSchema),
});
export type PerfQuery = z.infer<typeof perfQuerySchema>;

const ECHO = /show\s+perf\s+query\s+(?:class|counter)\s+.*?(?=\s*(?:==>|-?\s*Perf class\b|$))/;
const CLASS_HEAD = /-?\s*Perf class\s+(.*?)\s*has (instances and )?values:/y;
// An item never spans lines: a cut item must not swallow the next one.
const ITEM = /(?:(\S+)[^\S\n]+)?->[^\S\n]+([^\n]+?)[^\S\n]+=[^\S\n]+(-?\d+(?:\.\d+)?)(?=\s|$)/y;

export function parsePerfQuery(text: string, source?: string): PerfQuery {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, ECHO);
  const problems = new RowProblems();
  let s = '';
  const starts: JoinedLine[] = [];
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    if (s) s += '\n';
    starts.push({ at: s.length, line: l.line, raw: l.text });
    s += t;
  }
  const startAt = (pos: number) => lineOfOffset(starts, pos);
  const lineAt = (pos: number) => startAt(pos).line;
  let pos = 0;
  const skipWs = () => {
    while (pos < s.length && /\s/.test(s[pos])) pos++;
  };
  let query: PerfQuery['query'] = null;
  const q = /^==>query (class|counter)\s*:/.exec(s);
  if (q) {
    query = q[1] as 'class' | 'counter';
    pos = q[0].length;
  }
  const classes: PerfQuery['classes'] = [];
  for (skipWs(); pos < s.length; skipWs()) {
    CLASS_HEAD.lastIndex = pos;
    const h = CLASS_HEAD.exec(s);
    if (h) {
      const at = pos;
      pos = CLASS_HEAD.lastIndex;
      const inner = h[1].replace(/\s+/g, ' ');
      let name: string;
      let counter: string | null = null;
      const paren = /^\((.*)\)$/.exec(inner);
      const named = /^(.*?)\((.*)\)$/.exec(inner);
      if (paren) name = paren[1];
      else if (named) {
        name = named[1];
        counter = named[2];
      } else name = inner;
      if (!name) {
        problems.add(lineAt(at), startAt(at).raw, '"Perf class" header without a class name');
        continue;
      }
      classes.push({ name, counter, values: [], line: lineAt(at) });
      continue;
    }
    ITEM.lastIndex = pos;
    const m = ITEM.exec(s);
    if (m && classes.length && !/^-?\s*Perf$/.test(m[1] ?? '')) {
      classes[classes.length - 1].values.push({ instance: m[1] ?? null, counter: m[2].trim(), value: Number(m[3]), line: lineAt(pos) });
      pos = ITEM.lastIndex;
      continue;
    }
    // Not readable: the rest of this line is one unparsed row; go on with the next line.
    const eol = s.indexOf('\n', pos);
    const rest = s.slice(pos, eol < 0 ? undefined : eol);
    problems.add(lineAt(pos), rest, classes.length ? `expected "[instance] -> counter = value", got "${rest.slice(0, 120)}" (truncated output?)` : `expected "Perf class …", got "${rest.slice(0, 120)}"`);
    pos = eol < 0 ? s.length : eol + 1;
  }
  const read = classes.filter((c) => c.values.length);
  if (!read.length) throw problems.nothingRead(input, { line: lineAt(s.length), detail: classes.length ? `class ${classes[0].name} lists no values (truncated output?)` : 'no "Perf class" in the output' });
  for (const c of classes) if (!c.values.length) problems.add(c.line, starts.find((st) => st.line === c.line)?.raw ?? "", `class ${c.name} lists no values (truncated output?)`);
  return checked(perfQuerySchema, { query, classes, unparsed: problems.list() }, input);
}
