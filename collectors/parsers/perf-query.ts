// `show perf query class|counter …` (reference/wire-formats.md §4.8). A header `==>query class :`
// (or `==>query counter :`), then per class ` - Perf class (<class>) has instances and values:` or
// ` - Perf class <class>(<counter>) has values:`, then value lines `[instance] -> <counter> = <n>`
// (instance empty for single-instance classes). Cisco documents sometimes lose the line breaks;
// the text is therefore read as a stream of class headers and `->` items.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli } from './cli-text';

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
        values: z.array(valueSchema).min(1),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
});
export type PerfQuery = z.infer<typeof perfQuerySchema>;

const ECHO = /show\s+perf\s+query\s+(?:class|counter)\s+.*?(?=\s*(?:==>|-?\s*Perf class\b|$))/;
const CLASS_HEAD = /-?\s*Perf class\s+(.*?)\s*has (instances and )?values:/y;
const ITEM = /(?:(\S+)\s+)?->\s+(.+?)\s+=\s+(-?\d+(?:\.\d+)?)(?=\s|$)/y;

export function parsePerfQuery(text: string, source?: string): PerfQuery {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, ECHO);
  let s = '';
  const starts: Array<{ at: number; line: number }> = [];
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    if (s) s += '\n';
    starts.push({ at: s.length, line: l.line });
    s += t;
  }
  const lineAt = (pos: number) => {
    let line = starts[0]?.line ?? 1;
    for (const st of starts) if (st.at <= pos) line = st.line;
    return line;
  };
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
      if (!name) throw new ParseError(input, lineAt(at), `"Perf class" header without a class name`);
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
    const rest = s.slice(pos).split('\n')[0];
    throw new ParseError(input, lineAt(pos), classes.length ? `expected "[instance] -> counter = value", got "${rest}" (truncated output?)` : `expected "Perf class …", got "${rest}"`);
  }
  if (!classes.length) throw new ParseError(input, lineAt(s.length), 'no "Perf class" in the output');
  for (const c of classes) if (!c.values.length) throw new ParseError(input, c.line, `class ${c.name} lists no values (truncated output?)`);
  return checked(perfQuerySchema, { query, classes }, input);
}
