// XML helpers shared by the HTTPS front-end: escaping for the responses we build by hand
// (Axis2 emits no whitespace between elements, wire-formats §0), and a namespace-agnostic
// request parser (clients use soap:, ns1:, SOAP-ENV:, ns: … prefixes, wire-formats §1.2, §2.3).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Text content: only the characters that must be escaped in element content. */
export function escapeText(text: string): string {
  return text.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/** The request could not be understood as a SOAP envelope; answered with a soapenv:Client fault. */
export class SoapRequestError extends Error {
  override name = 'SoapRequestError';
}

/** A parsed element: attributes under '@_name', text under '#text', children by local name. */
export type XmlNode = Record<string, unknown>;

export interface SoapRequest {
  /** Local name of the first element inside Body, e.g. "perfmonOpenSession". */
  operation: string;
  /** That element's content (an object, or '' when empty). */
  payload: XmlNode;
  /** Namespace URI of the operation element (from its prefix's xmlns declaration), '' when none. */
  namespace: string;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
});

// The raw parser (no prefix removal) tells us which namespace the operation element is in.
const rawParser = new XMLParser({
  removeNSPrefix: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

const objectNode = z.record(z.string(), z.unknown());

function isElementKey(key: string): boolean {
  return !key.startsWith('@_') && key !== '#text' && !key.startsWith('?');
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a SOAP 1.1 request body; throws SoapRequestError naming what is wrong. */
export function parseSoapRequest(xml: string): SoapRequest {
  if (xml.trim() === '') throw new SoapRequestError('Empty request body: a SOAP envelope is required');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SoapRequestError(
      `Malformed request XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
    );
  }
  const doc = objectNode.parse(parser.parse(xml));
  const envelope = first(doc['Envelope']);
  if (!envelope || typeof envelope !== 'object') throw new SoapRequestError('No SOAP Envelope element in request');
  const body = first((envelope as XmlNode)['Body']);
  if (!body || typeof body !== 'object') throw new SoapRequestError('No SOAP Body element in request');
  const opKey = Object.keys(body).find(isElementKey);
  if (!opKey) throw new SoapRequestError('SOAP Body holds no operation element');
  const opValue = first((body as XmlNode)[opKey]);
  const payload: XmlNode = opValue && typeof opValue === 'object' ? (opValue as XmlNode) : {};
  return { operation: opKey, payload, namespace: operationNamespace(xml) };
}

/** Resolves the namespace URI of the first Body child from the xmlns declarations in scope. */
function operationNamespace(xml: string): string {
  const doc = objectNode.parse(rawParser.parse(xml));
  const scope = new Map<string, string>();
  const collect = (node: XmlNode) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '@_xmlns') scope.set('', String(v));
      else if (k.startsWith('@_xmlns:')) scope.set(k.slice(8), String(v));
    }
  };
  const envKey = Object.keys(doc).find((k) => isElementKey(k) && localName(k) === 'Envelope');
  if (!envKey) return '';
  const env = first(doc[envKey]) as XmlNode;
  if (!env || typeof env !== 'object') return '';
  collect(env);
  const bodyKey = Object.keys(env).find((k) => isElementKey(k) && localName(k) === 'Body');
  if (!bodyKey) return '';
  const body = first(env[bodyKey]) as XmlNode;
  if (!body || typeof body !== 'object') return '';
  collect(body);
  const opKey = Object.keys(body).find(isElementKey);
  if (!opKey) return '';
  const op = first(body[opKey]);
  if (op && typeof op === 'object') collect(op as XmlNode);
  const i = opKey.indexOf(':');
  return scope.get(i < 0 ? '' : opKey.slice(0, i)) ?? '';
}

/** Children with a given local name, normalised to an array (single vs repeated elements). */
export function children(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Text of an element (string element, or the '#text' of one with attributes); '' when empty. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '#text' in value) return String((value as XmlNode)['#text']);
  return '';
}

/** Text of the first child with that local name, or undefined when absent. */
export function childText(node: unknown, name: string): string | undefined {
  const c = children(node, name);
  return c.length === 0 ? undefined : text(c[0]);
}

/** An attribute of an element, or undefined. */
export function attribute(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return v === undefined ? undefined : String(v);
}
