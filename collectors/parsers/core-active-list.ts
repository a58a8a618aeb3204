// `utils core active list` (reference/wire-formats.md §4.10): header `Size  Date  Core File Name`, a
// rule of `=`, rows `292616 KB   2022-02-20 00:02:37   core.62556.6.ccm.1645336926`, or
// `No core files found`.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'utils core active list';

export const coreActiveListSchema = z.object({
  cores: z.array(
    z.object({
      sizeKB: z.number().int().nonnegative(),
      /** "YYYY-MM-DD HH:MM:SS" as printed (node local time). */
      date: z.string(),
      /** Core file name as printed, e.g. "core.62556.6.ccm.1645336926". */
      file: z.string().min(1),
      /** Process name from the file name (core.<pid>.<signal>.<process>.<epoch>); null when not in that form. */
      process: z.string().nullable(),
      line: z.number().int().positive(),
    }),
  ),
  /** `No core files found` was printed. */
  noneFound: z.boolean(),
  unparsed: z.array(unparsedSchema),
});
export type CoreActiveList = z.infer<typeof coreActiveListSchema>;

const UNITS: Record<string, number> = { B: 1 / 1024, KB: 1, MB: 1024, GB: 1024 * 1024 };

export function parseCoreActiveList(text: string, source?: string): CoreActiveList {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /utils\s+core\s+active\s+list/);
  const cores: CoreActiveList['cores'] = [];
  const problems = new RowProblems();
  let noneFound = false;
  let order: string[] | undefined;
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (!t || /^=+$/.test(t)) continue;
    if (/^No core files found$/i.test(t)) {
      noneFound = true;
      continue;
    }
    if (/^Size\s+Date\s+Core File Name$/.test(t) || /^(?:Size|Date|Core File Name)(?:\s{2,}(?:Size|Date|Core File Name)){2}$/.test(t)) {
      const cols = t.split(/\s{2,}|\t/).map((c) => c.trim());
      // Single blanks between the names (a document that collapsed them): the usual order.
      order = cols.length === 3 ? cols : ['Size', 'Date', 'Core File Name'];
      continue;
    }
    if (!order) {
      problems.add(line, raw, `expected the "Size  Date  Core File Name" header, got "${t}"`);
      continue;
    }
    const header = order;
    const core = problems.row(line, raw, () => readCore(t, header, input, line));
    if (core) cores.push(core);
  }
  if (!noneFound && !order) throw problems.nothingRead(input, { line: lines[0]?.line, detail: 'neither a core list nor "No core files found"' });
  return checked(coreActiveListSchema, { cores, noneFound, unparsed: problems.list() }, input);
}

function readCore(t: string, order: string[], input: string, line: number): CoreActiveList['cores'][number] {
  {
    // Fields by the header's order: size is "<n> <unit>", date is "<date> <time>", file is one token.
    const fields: Record<string, string> = {};
    let rest = t;
    for (const name of order) {
      const re = name === 'Size' ? /^(\d+\s*(?:B|KB|MB|GB))\s*/i : name === 'Date' ? /^(\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2})\s*/ : /^(\S+)\s*/;
      const m = re.exec(rest);
      if (!m) throw new ParseError(input, line, `row "${t}" lacks a ${name} value (truncated output?)`);
      fields[name] = m[1];
      rest = rest.slice(m[0].length);
    }
    if (rest) throw new ParseError(input, line, `unexpected text after the core file name: "${rest}"`);
    const sm = /^(\d+)\s*(\w+)$/.exec(fields.Size)!;
    const file = fields['Core File Name'];
    const pm = /^core\.\d+\.\d+\.([^.]+)\.\d+$/.exec(file);
    return {
      sizeKB: Math.round(Number(sm[1]) * UNITS[sm[2].toUpperCase()]),
      date: fields.Date.replace(/\s+/, ' '),
      file,
      process: pm ? pm[1] : null,
      line,
    };
  }
}
