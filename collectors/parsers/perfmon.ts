// PerfMon SOAP responses (reference/wire-formats.md §1.3–§1.8). Return lists are repeated siblings
// under the Response element (a single result appears once); `Value` is xsd:long and `CStatus`
// xsd:unsignedInt, both parsed strictly. CStatus is returned as read: 0 and 1 mean a usable value,
// anything else does not (§1.8) — deciding that is the source's job, not the parser's.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { scanCollect, type CollectOperation, type RawCounter } from './perfmon-scan';
import { RowProblems, type Unparsed } from './problems';
import { child, children, elementNode, refuseHostileXml, responseElement, strictBool, textOf } from './xml';

export const counterPathSchema = z.object({
  host: z.string().min(1),
  object: z.string().min(1),
  instance: z.string().optional(),
  counter: z.string().min(1),
});
export type CounterPath = z.infer<typeof counterPathSchema>;

export const counterSampleSchema = counterPathSchema.extend({
  /** The counter path as returned. */
  path: z.string(),
  value: z.number().int(),
  cstatus: z.number().int().nonnegative(),
});
export type CounterSample = z.infer<typeof counterSampleSchema>;

export const perfmonObjectInfoSchema = z.object({ name: z.string().min(1), multiInstance: z.boolean(), counters: z.array(z.string()) });
export type PerfmonObjectInfo = z.infer<typeof perfmonObjectInfoSchema>;

// §1.6: `\\host\Object\Counter` or `\\host\Object(Instance)\Counter`. The instance may itself contain
// parentheses, so this follows the Twisted exporter's regex `^\\\\(.*?)\\(.*?)(?:\((.*)\))?\\(.*)$`
// (lazy host and object, greedy instance up to the last ")\") rather than splitting on ( and ).
// Written out by hand because the regex's backtracking costs more than the XML read on the hot path.
function splitPath(s: string): CounterPath | undefined {
  if (s.charCodeAt(0) !== 92 || s.charCodeAt(1) !== 92) return undefined;
  const h = s.indexOf('\\', 2);
  if (h <= 2) return undefined;
  const host = s.slice(2, h);
  const rest = s.slice(h + 1);
  for (let p = 0; p < rest.length; p++) {
    const c = rest.charCodeAt(p);
    if (c === 92) {
      if (p === 0 || p === rest.length - 1) return undefined;
      return { host, object: rest.slice(0, p), counter: rest.slice(p + 1) };
    }
    if (c === 40) {
      const q = rest.lastIndexOf(')\\');
      if (q > p) {
        if (p === 0 || q + 2 >= rest.length) return undefined;
        return { host, object: rest.slice(0, p), instance: rest.slice(p + 1, q), counter: rest.slice(q + 2) };
      }
    }
  }
  return undefined;
}

export function parseCounterPath(path: string): CounterPath {
  const p = typeof path === 'string' ? splitPath(path) : undefined;
  if (!p) throw new ParseError('PerfMon counter path', undefined, `"${path}" is not \\\\host\\Object[(Instance)]\\Counter`);
  return p;
}

const INT = /^[+-]?\d+$/;
const UINT = /^\d+$/;

/** 1-based line of the k-th (0-based) start tag named `local` (any prefix): only computed for a record that failed. */
export function elementLine(xml: string, local: string, k: number): number {
  const re = new RegExp(`<(?:[\\w.-]+:)?${local}[\\s>/]`, 'g');
  let m: RegExpExecArray | null = null;
  for (let n = 0; n <= k; n++) if (!(m = re.exec(xml))) return 0;
  let line = 1;
  for (let i = 0; i < m!.index; i++) if (xml.charCodeAt(i) === 10) line++;
  return line;
}

function toSamples(rows: RawCounter[], input: string, xml: string, returnName: string, problems: RowProblems): CounterSample[] {
  const out: CounterSample[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    const p = splitPath(r.name);
    const bad = !p
      ? `Return #${k + 1}: Name "${r.name}" is not a counter path`
      : !INT.test(r.value)
        ? `Return #${k + 1} (${r.name}): Value "${r.value}" is not an xsd:long`
        : !UINT.test(r.cstatus)
          ? `Return #${k + 1} (${r.name}): CStatus "${r.cstatus}" is not an unsigned integer`
          : undefined;
    if (bad || !p) {
      problems.add(elementLine(xml, returnName, k), `${r.name} = ${r.value} (CStatus ${r.cstatus})`, bad ?? 'unreadable');
      continue;
    }
    const s: CounterSample = { path: r.name, host: p.host, object: p.object, counter: p.counter, value: Number(r.value), cstatus: Number(r.cstatus) };
    if (p.instance !== undefined) s.instance = p.instance;
    out.push(s);
  }
  return out;
}

const samplesSchema = z.array(counterSampleSchema);

/** perfmonCollectSessionData or perfmonCollectCounterData response → samples. */
export function parsePerfmonCollect(xml: string, source?: string): CounterSample[] {
  return parsePerfmonCollectWithOperation(xml, source).samples;
}

/** Samples and the Return records that could not be read (a bad one never costs the others). */
export function parsePerfmonCollectWithOperation(xml: string, source?: string): { operation: CollectOperation; samples: CounterSample[]; unparsed: Unparsed[] } {
  if (typeof xml === 'string') refuseHostileXml(xml, name('perfmonCollect response', source));
  const fast = typeof xml === 'string' ? scanCollect(xml) : undefined;
  const raw = fast ?? collectGeneral(xml, source);
  const input = name(`${raw.operation} response`, source);
  const problems = new RowProblems();
  const samples = toSamples(raw.rows, input, xml, `${raw.operation}Return`, problems);
  if (!samples.length && problems.count) throw problems.nothingRead(input, { detail: 'no readable counter' });
  return { operation: raw.operation, samples: checked(samplesSchema, samples, input), unparsed: problems.list() };
}

/** The fast-xml-parser path (also the reference the single-pass reader is tested against). */
export function collectGeneral(xml: string, source?: string): { operation: CollectOperation; rows: RawCounter[] } {
  const input = name('perfmonCollect response', source);
  const { name: el, node } = responseElement(xml, /^perfmonCollect(?:Session|Counter)DataResponse$/, input);
  const operation = el.replace(/Response$/, '') as CollectOperation;
  const rows = children(node, `${operation}Return`).map((ret, k) => {
    const r = elementNode(ret);
    const what = `${operation}Return #${k + 1}`;
    const field = (f: string) => {
      const v = child(r, f);
      if (Array.isArray(v)) throw new ParseError(input, undefined, `${what}: <${f}> appears ${v.length} times`);
      const t = textOf(v, input, `${what}/${f}`);
      if (t === null) throw new ParseError(input, undefined, `${what}: <${f}> is nil`);
      return t;
    };
    return { name: field('Name'), value: field('Value'), cstatus: field('CStatus') };
  });
  return { operation, rows };
}

export function parsePerfmonOpenSession(xml: string, source?: string): string {
  const input = name('perfmonOpenSession response', source);
  const { node } = responseElement(xml, 'perfmonOpenSessionResponse', input);
  const ret = children(node, 'perfmonOpenSessionReturn');
  if (ret.length !== 1) throw new ParseError(input, undefined, `expected one perfmonOpenSessionReturn, found ${ret.length}`);
  const handle = textOf(ret[0], input, 'perfmonOpenSessionReturn');
  if (!handle || /\s/.test(handle)) throw new ParseError(input, undefined, `session handle ${handle === null ? 'is nil' : `"${handle}" is not a handle`}`);
  return handle;
}

export function parsePerfmonListCounter(xml: string, source?: string): PerfmonObjectInfo[] {
  const input = name('perfmonListCounter response', source);
  const { node } = responseElement(xml, 'perfmonListCounterResponse', input);
  const objects = children(node, 'perfmonListCounterReturn').map((ret, k) => {
    const what = `perfmonListCounterReturn #${k + 1}`;
    const objName = textOf(child(ret, 'Name'), input, `${what}/Name`);
    if (!objName) throw new ParseError(input, undefined, `${what}: empty Name`);
    const multiInstance = strictBool(textOf(child(ret, 'MultiInstance'), input, `${what}/MultiInstance`), input, `${objName} MultiInstance`);
    const arr = child(ret, 'ArrayOfCounter');
    const counters = arr === undefined ? [] : children(arr, 'item').map((it, j) => {
      const c = textOf(child(it, 'Name'), input, `${what}/ArrayOfCounter/item #${j + 1}/Name`);
      if (!c) throw new ParseError(input, undefined, `${objName}: counter #${j + 1} has an empty Name`);
      return c;
    });
    return { name: objName, multiInstance, counters };
  });
  return checked(z.array(perfmonObjectInfoSchema), objects, input);
}

export function parsePerfmonListInstance(xml: string, source?: string): string[] {
  const input = name('perfmonListInstance response', source);
  const { node } = responseElement(xml, 'perfmonListInstanceResponse', input);
  const names = children(node, 'perfmonListInstanceReturn').map((ret, k) => {
    const t = textOf(child(ret, 'Name'), input, `perfmonListInstanceReturn #${k + 1}/Name`);
    if (t === null) throw new ParseError(input, undefined, `perfmonListInstanceReturn #${k + 1}: Name is nil`);
    return t;
  });
  return checked(z.array(z.string()), names, input);
}

/** The description text; nil (the WSDL allows it) reads as ''. */
export function parsePerfmonQueryCounterDescription(xml: string, source?: string): string {
  const input = name('perfmonQueryCounterDescription response', source);
  const { node } = responseElement(xml, 'perfmonQueryCounterDescriptionResponse', input);
  const ret = children(node, 'perfmonQueryCounterDescriptionReturn');
  if (ret.length > 1) throw new ParseError(input, undefined, `expected one perfmonQueryCounterDescriptionReturn, found ${ret.length}`);
  return ret.length ? (textOf(ret[0], input, 'perfmonQueryCounterDescriptionReturn') ?? '') : '';
}

/**
 * `Error found in Adding counters: Error=<n> ErrorMsg=<path>;[<path>;…]` (§1.7) → the failing
 * counter paths. Any other fault text is a ParseError (the caller then handles the fault as a whole).
 */
export function parsePerfmonAddCounterFault(faultstring: string): string[] {
  return parsePerfmonAddCounterFaultDetail(faultstring).paths;
}

export function parsePerfmonAddCounterFaultDetail(faultstring: string): { errorCode: number; paths: string[] } {
  const input = 'perfmonAddCounter fault';
  const m = /^(.*?): Error=(-?\d+) ErrorMsg=([\s\S]*)$/.exec(faultstring.trim());
  if (!m || !/Adding counters/i.test(m[1])) throw new ParseError(input, undefined, `not an add-counter error: "${faultstring}"`);
  const paths = m[3]
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paths.length) throw new ParseError(input, undefined, `no counter path in "${faultstring}"`);
  return { errorCode: Number(m[2]), paths };
}

export type PerfmonResponse =
  | { operation: 'perfmonOpenSession'; result: string }
  | { operation: CollectOperation; result: CounterSample[]; unparsed: Unparsed[] }
  | { operation: 'perfmonListCounter'; result: PerfmonObjectInfo[] }
  | { operation: 'perfmonListInstance'; result: string[] }
  | { operation: 'perfmonQueryCounterDescription'; result: string }
  | { operation: 'perfmonAddCounter' | 'perfmonRemoveCounter' | 'perfmonCloseSession'; result: null };

/** Any PerfMon response, the operation read from the response element (for `impulse parse perfmon`). */
export function parsePerfmonResponse(xml: string, source?: string): PerfmonResponse {
  const input = name('PerfMon response', source);
  const { name: el, node } = responseElement(xml, /^perfmon\w+Response$/, input);
  const op = el.replace(/Response$/, '');
  switch (op) {
    case 'perfmonOpenSession':
      return { operation: op, result: parsePerfmonOpenSession(xml, source) };
    case 'perfmonCollectSessionData':
    case 'perfmonCollectCounterData': {
      const r = parsePerfmonCollectWithOperation(xml, source);
      return { operation: op, result: r.samples, unparsed: r.unparsed };
    }
    case 'perfmonListCounter':
      return { operation: op, result: parsePerfmonListCounter(xml, source) };
    case 'perfmonListInstance':
      return { operation: op, result: parsePerfmonListInstance(xml, source) };
    case 'perfmonQueryCounterDescription':
      return { operation: op, result: parsePerfmonQueryCounterDescription(xml, source) };
    case 'perfmonAddCounter':
    case 'perfmonRemoveCounter':
    case 'perfmonCloseSession':
      if (node !== '' && Object.keys(elementNode(node)).some((k) => !k.startsWith('@_')))
        throw new ParseError(input, undefined, `${el} should be empty`);
      return { operation: op, result: null };
    default:
      throw new ParseError(input, undefined, `unknown PerfMon operation <${el}>`);
  }
}

function name(what: string, source?: string): string {
  return source ? `${what} (${source})` : what;
}
