// Single-pass reader for the hot path: perfmonCollectSessionData / perfmonCollectCounterData responses
// (every node, every poll; 5,000 counters must read in ≤ 20 ms, where fast-xml-parser alone needs
// several times that). It accepts exactly the Axis2 shape (reference/wire-formats.md §1.5: Envelope,
// optional empty Header, Body, the Response element, repeated Return elements with Name/Value/CStatus),
// any namespace prefixes, whitespace between elements, the five XML entities and character
// references. On anything else (comments, CDATA, other attributes, a Fault, truncation) it returns
// undefined and the caller falls back to the general fast-xml-parser path, which either reads the
// document or reports the precise ParseError. Both paths produce the same strings (tested).

export interface RawCounter {
  name: string;
  value: string;
  cstatus: string;
}

export type CollectOperation = 'perfmonCollectSessionData' | 'perfmonCollectCounterData';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string | undefined {
  let bad = false;
  const out = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);?/g, (m, e: string) => {
    if (!m.endsWith(';')) bad = true;
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!(cp > 0 && cp <= 0x10ffff)) bad = true;
      return bad ? '' : String.fromCodePoint(cp);
    }
    const r = ENTITIES[e];
    if (r === undefined) bad = true;
    return r ?? '';
  });
  return bad ? undefined : out;
}

export function scanCollect(xml: string): { operation: CollectOperation; rows: RawCounter[] } | undefined {
  const n = xml.length;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const ws = () => {
    for (; i < n; i++) {
      const c = xml.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    }
  };
  /** Reads `<qname attrs>` or `<qname attrs/>`; only xmlns declarations are accepted as attributes. */
  const open = (): { qname: string; local: string; empty: boolean } | undefined => {
    if (xml.charCodeAt(i) !== 60 /* < */) return undefined;
    const c1 = xml[i + 1];
    if (c1 === undefined || c1 === '/' || c1 === '!' || c1 === '?') return undefined;
    let j = i + 1;
    while (j < n) {
      const c = xml.charCodeAt(j);
      if (c === 62 || c === 47 || c === 32 || c === 10 || c === 13 || c === 9) break;
      j++;
    }
    const qname = xml.slice(i + 1, j);
    if (!qname) return undefined;
    i = j;
    for (;;) {
      ws();
      if (i >= n) return undefined;
      const c = xml.charCodeAt(i);
      if (c === 62) {
        i++;
        break;
      }
      if (c === 47) {
        if (xml.charCodeAt(i + 1) !== 62) return undefined;
        i += 2;
        const colon = qname.indexOf(':');
        return { qname, local: colon < 0 ? qname : qname.slice(colon + 1), empty: true };
      }
      const eq = xml.indexOf('=', i);
      if (eq < 0) return undefined;
      const attr = xml.slice(i, eq).trim();
      if (attr !== 'xmlns' && !attr.startsWith('xmlns:')) return undefined;
      const q = xml[eq + 1];
      if (q !== '"' && q !== "'") return undefined;
      const end = xml.indexOf(q, eq + 2);
      if (end < 0 || xml.slice(eq + 2, end).includes('<')) return undefined;
      i = end + 1;
    }
    const colon = qname.indexOf(':');
    return { qname, local: colon < 0 ? qname : qname.slice(colon + 1), empty: false };
  };
  const close = (qname: string): boolean => {
    if (!xml.startsWith('</', i) || !xml.startsWith(qname, i + 2)) return false;
    i += 2 + qname.length;
    ws();
    if (xml.charCodeAt(i) !== 62) return false;
    i++;
    return true;
  };

  ws();
  if (xml.startsWith('<?xml', i)) {
    const e = xml.indexOf('?>', i);
    if (e < 0) return undefined;
    i = e + 2;
    ws();
  }
  const env = open();
  if (!env || env.local !== 'Envelope' || env.empty) return undefined;
  ws();
  let body = open();
  if (body && body.local === 'Header') {
    if (!body.empty) {
      ws();
      if (!close(body.qname)) return undefined;
    }
    ws();
    body = open();
  }
  if (!body || body.local !== 'Body' || body.empty) return undefined;
  ws();
  const resp = open();
  if (!resp) return undefined;
  let operation: CollectOperation;
  if (resp.local === 'perfmonCollectSessionDataResponse') operation = 'perfmonCollectSessionData';
  else if (resp.local === 'perfmonCollectCounterDataResponse') operation = 'perfmonCollectCounterData';
  else return undefined;
  const returnName = `${operation}Return`;
  const rows: RawCounter[] = [];
  if (!resp.empty) {
    for (;;) {
      ws();
      if (xml.startsWith('</', i)) {
        if (!close(resp.qname)) return undefined;
        break;
      }
      const ret = open();
      if (!ret || ret.local !== returnName || ret.empty) return undefined;
      let name: string | undefined;
      let value: string | undefined;
      let cstatus: string | undefined;
      for (;;) {
        ws();
        if (xml.startsWith('</', i)) {
          if (!close(ret.qname)) return undefined;
          break;
        }
        const el = open();
        if (!el || el.empty) return undefined;
        const lt = xml.indexOf('<', i);
        if (lt < 0) return undefined;
        let text = xml.slice(i, lt);
        if (text.includes('&')) {
          const d = decode(text);
          if (d === undefined) return undefined;
          text = d;
        }
        i = lt;
        if (!close(el.qname)) return undefined;
        text = text.trim();
        if (el.local === 'Name' && name === undefined) name = text;
        else if (el.local === 'Value' && value === undefined) value = text;
        else if (el.local === 'CStatus' && cstatus === undefined) cstatus = text;
        else return undefined;
      }
      if (name === undefined || value === undefined || cstatus === undefined) return undefined;
      rows.push({ name, value, cstatus });
    }
  }
  ws();
  if (!close(body.qname)) return undefined;
  ws();
  if (!close(env.qname)) return undefined;
  ws();
  return i === n ? { operation, rows } : undefined;
}
