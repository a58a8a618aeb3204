// AXL executeSQLQuery responses and AXL faults (reference/wire-formats.md §3.2, §3.3, §3.6). AXL
// prints `ns:` on the response element and leaves `return`/`row`/columns unqualified; an empty
// result is `<return/>` or `<return></return>`. Column values: text, '' for an empty element, null
// for xsi:nil (declared locally, or once on the response element since CUCM 14).
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { elementLine } from './perfmon';
import { RowProblems, type Unparsed } from './problems';
import { child, children, elementNode, one, parseXml, readFault, responseElement, soapBody, textOf } from './xml';

const rowsSchema = z.array(z.record(z.string(), z.string().nullable()));
export type AxlRow = Record<string, string | null>;

/** Rows of an executeSQLQuery response; a row that cannot be read is a ParseError (the AXL client's contract). */
export function parseAxlSqlResponse(xml: string, source?: string): AxlRow[] {
  const r = parseAxlSqlResponseDetailed(xml, source);
  if (r.unparsed.length) {
    const u = r.unparsed[0];
    throw new ParseError(source ? `executeSQLQuery response (${source})` : 'executeSQLQuery response', u.line || undefined, u.reason);
  }
  return r.rows;
}

/** Rows and the rows that could not be read (each costs only itself), for `impulse parse axl-sql`. */
export function parseAxlSqlResponseDetailed(xml: string, source?: string): { rows: AxlRow[]; unparsed: Unparsed[] } {
  const input = source ? `executeSQLQuery response (${source})` : 'executeSQLQuery response';
  const { node } = responseElement(xml, 'executeSQLQueryResponse', input);
  const rets = children(node, 'return');
  if (rets.length !== 1) throw new ParseError(input, undefined, `expected one <return>, found ${rets.length}`);
  const ret = rets[0];
  if (ret === '') return { rows: [], unparsed: [] };
  const keys = Object.keys(elementNode(ret)).filter((k) => !k.startsWith('@_'));
  if (keys.some((k) => k !== 'row')) throw new ParseError(input, undefined, `<return> holds <${keys.find((k) => k !== 'row')}>, expected only <row>`);
  const problems = new RowProblems();
  const rows = children(ret, 'row').flatMap((row, k) => {
    const out: AxlRow = {};
    if (row === '') return [out];
    try {
      for (const [col, v] of Object.entries(elementNode(row))) {
        if (col.startsWith('@_')) continue;
        if (Array.isArray(v)) throw new ParseError(input, undefined, `row #${k + 1}: column <${col}> appears ${v.length} times (alias the columns)`);
        out[col] = textOf(v, input, `row #${k + 1}/${col}`);
      }
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      problems.add(elementLine(xml, 'row', k), `row ${k + 1}`, err.detail);
      return [];
    }
    return [out];
  });
  return { rows: checked(rowsSchema, rows, input), unparsed: problems.list() };
}

export const axlFaultSchema = z.object({
  faultcode: z.string(),
  faultstring: z.string(),
  axlcode: z.number().int().optional(),
  axlmessage: z.string().optional(),
  request: z.string().optional(),
});
export type AxlFault = z.infer<typeof axlFaultSchema>;

/** The AXL fault of a response (with its axlError detail when present); undefined when none. */
export function parseAxlFault(xml: string, source?: string): AxlFault | undefined {
  const input = source ? `AXL fault (${source})` : 'AXL fault';
  const body = soapBody(parseXml(xml, input), input);
  if (body.Fault === undefined) return undefined;
  const fault = one(body, 'Fault', input);
  const { faultcode, faultstring } = readFault(fault, input);
  const out: AxlFault = { faultcode, faultstring };
  const err = child(child(fault, 'detail'), 'axlError');
  if (err !== undefined) {
    const code = child(err, 'axlcode');
    if (code !== undefined) {
      const t = textOf(code, input, 'axlError/axlcode');
      if (t === null || !/^[+-]?\d+$/.test(t)) throw new ParseError(input, undefined, `axlcode "${t}" is not an integer`);
      out.axlcode = Number(t);
    }
    const msg = child(err, 'axlmessage');
    if (msg !== undefined) out.axlmessage = textOf(msg, input, 'axlError/axlmessage') ?? '';
    const req = child(err, 'request');
    if (req !== undefined) out.request = textOf(req, input, 'axlError/request') ?? '';
  }
  return checked(axlFaultSchema, out, input);
}
