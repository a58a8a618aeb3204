// Shared XML reading for the SOAP parsers (reference/wire-formats.md §0, §1.3, §3.1): fast-xml-parser
// with namespace prefixes removed (Axis2 prints `ns1:`, AXL `ns:`, clients vary), single vs repeated
// elements normalised to arrays, both nil styles (`xsi:nil` with a local or a root-level xmlns:xsi)
// read as null, and numbers parsed strictly.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError, SoapFaultError } from '../errors';

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Only the five predefined entities and character references; DOCTYPEs are refused before this.
  htmlEntities: false,
});

/** Largest document the parsers read (the transport refuses larger bodies before they get here). */
export const DEFAULT_MAX_XML_BYTES = 32 * 1024 * 1024;
let maxXmlBytes = DEFAULT_MAX_XML_BYTES;

/** Sets the size limit of documents the parsers accept (config `limits.maxResponseMegabytes`). */
export function setMaxXmlBytes(bytes: number): void {
  maxXmlBytes = bytes;
}

/**
 * Refusals that come before any parsing: a body over the size limit, and any DOCTYPE. No Cisco
 * SOAP service sends a DOCTYPE; one in a response can only declare entities (the "billion
 * laughs" expansion, or external entities), which fast-xml-parser would otherwise expand or drop
 * silently, leaving an empty, healthy-looking result.
 */
export function refuseHostileXml(xml: string, input: string): void {
  if (xml.length > maxXmlBytes) throw new ParseError(input, undefined, `response body of ${xml.length} characters is larger than the ${maxXmlBytes}-byte limit; not parsed`);
  const d = /<!DOCTYPE\b/i.exec(xml);
  if (d) {
    const line = xml.slice(0, d.index).split('\n').length;
    throw new ParseError(input, line, 'document has a DOCTYPE (entity declarations are refused: SOAP responses never carry one); not parsed');
  }
}

/** Parses a document; malformed or truncated XML is a ParseError with the validator's line. */
export function parseXml(xml: string, input: string): XmlNode {
  if (typeof xml !== 'string' || !xml.trim()) throw new ParseError(input, undefined, 'empty response body');
  refuseHostileXml(xml, input);
  const v = XMLValidator.validate(xml);
  if (v !== true) throw new ParseError(input, v.err.line, `not well-formed XML: ${v.err.msg}`);
  try {
    return parser.parse(xml) as XmlNode;
  } catch (err) {
    throw new ParseError(input, undefined, `XML parse failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function isNil(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as XmlNode)['@_nil'] === 'true';
}

/** Text of an element: string content, null for xsi:nil, '' for an empty element. */
export function textOf(v: unknown, input: string, what: string): string | null {
  if (v === undefined) throw new ParseError(input, undefined, `missing <${what}>`);
  if (isNil(v)) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as XmlNode;
    const keys = Object.keys(o).filter((k) => !k.startsWith('@_'));
    if (keys.length === 0) return '';
    if (keys.length === 1 && keys[0] === '#text') return String(o['#text']);
  }
  throw new ParseError(input, undefined, `<${what}> holds elements where text was expected`);
}

/** Exactly one child element (repeated → error). */
export function one(node: XmlNode, name: string, input: string): unknown {
  const v = node[name];
  if (v === undefined) throw new ParseError(input, undefined, `missing <${name}>`);
  if (Array.isArray(v)) throw new ParseError(input, undefined, `<${name}> appears ${v.length} times, expected once`);
  return v;
}

/** xsd:long / xsd:int: optional sign and digits only ("abc", "1.5", "" are rejected). */
export function strictInt(text: string | null, input: string, what: string): number {
  if (text === null || !/^[+-]?\d+$/.test(text)) throw new ParseError(input, undefined, `${what}: expected an integer, got ${text === null ? 'nil' : `"${text}"`}`);
  return Number(text);
}

export function strictBool(text: string | null, input: string, what: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ParseError(input, undefined, `${what}: expected true/false, got ${text === null ? 'nil' : `"${text}"`}`);
}

function elementNode(v: unknown): XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as XmlNode) : {};
}

/** The children of a SOAP Body; the document must be a SOAP Envelope. */
export function soapBody(doc: XmlNode, input: string): XmlNode {
  const roots = Object.keys(doc).filter((k) => !k.startsWith('@_') && k !== '#text');
  if (roots.length !== 1 || roots[0] !== 'Envelope') {
    throw new ParseError(input, 1, `expected a SOAP Envelope, found ${roots.length ? roots.map((r) => `<${r}>`).join(', ') : 'no element'}`);
  }
  const env = elementNode(doc.Envelope);
  if (env.Body === undefined) throw new ParseError(input, undefined, 'SOAP Envelope has no Body');
  return elementNode(one(env, 'Body', input));
}

export interface SoapFault {
  faultcode: string;
  faultstring: string;
  /** Text content of <detail>, when it has any. */
  detail?: string;
}

/** Reads a Fault element. */
export function readFault(fault: unknown, input: string): SoapFault {
  const f = elementNode(fault);
  // SOAP 1.1: faultcode/faultstring/detail. SOAP 1.2: Code/Value, Reason/Text, Detail. Text that is
  // not plain (an element inside, several Text elements) is kept as its collected text.
  const text = (v: unknown) => (v === undefined ? undefined : collectText(v).trim());
  const faultcode = text(f.faultcode) ?? text(child(f.Code, 'Value')) ?? '';
  const faultstring = text(f.faultstring) ?? text(child(f.Reason, 'Text')) ?? text(f.Reason) ?? '';
  const detail = text(f.detail) ?? text(f.Detail);
  return detail ? { faultcode, faultstring, detail } : { faultcode, faultstring };
}

function collectText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(collectText).filter(Boolean).join(' ');
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v)
      .filter(([k]) => !k.startsWith('@_'))
      .map(([, c]) => collectText(c))
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

export function isRateControl(f: SoapFault): boolean {
  return /RateControl/i.test(f.faultcode) || /Exceeded allowed rate/i.test(f.faultstring) || /RateControl/.test(f.detail ?? '');
}

/**
 * The single response element of a SOAP Body, by local name. A Fault in its place is thrown as a
 * SoapFaultError (kind rate-limit for RateControl faults); anything else is a ParseError.
 */
export function responseElement(xml: string, expected: string | RegExp, input: string): { name: string; node: unknown } {
  const body = soapBody(parseXml(xml, input), input);
  const names = Object.keys(body).filter((k) => !k.startsWith('@_') && k !== '#text');
  if (names.includes('Fault')) {
    const f = readFault(one(body, 'Fault', input), input);
    throw new SoapFaultError(isRateControl(f) ? 'rate-limit' : 'fault', f.faultcode, f.faultstring, input);
  }
  if (names.length !== 1) throw new ParseError(input, undefined, `expected one element in the SOAP Body, found ${names.length ? names.join(', ') : 'none'}`);
  const name = names[0];
  const ok = typeof expected === 'string' ? name === expected : expected.test(name);
  if (!ok) throw new ParseError(input, undefined, `expected <${String(expected)}>, found <${name}>`);
  return { name, node: one(body, name, input) };
}

export function children(node: unknown, name: string): unknown[] {
  return asArray(elementNode(node)[name] as unknown);
}

export function child(node: unknown, name: string): unknown {
  return elementNode(node)[name];
}

export { elementNode };
