// The Markdown the runbooks (docs/runbooks/*.md) are written in, parsed to a small tree the
// dashboard renders as React elements (never as HTML strings, so nothing in a file can inject
// markup). It is the subset the runbooks use: headings, paragraphs, one level of bulleted and
// numbered lists (with continuation lines), fenced code, tables, block quotes and rules; inline
// code, bold, italics and links. Anything else stays plain text.

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'code'; text: string }
  | { t: 'strong'; children: Inline[] }
  | { t: 'em'; children: Inline[] }
  | { t: 'link'; href: string; children: Inline[] };

export type Block =
  | { t: 'heading'; level: 1 | 2 | 3 | 4; text: Inline[]; id: string }
  | { t: 'paragraph'; text: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { t: 'code'; lang: string; text: string }
  | { t: 'table'; head: Inline[][]; rows: Inline[][][] }
  | { t: 'quote'; blocks: Block[] }
  | { t: 'rule' };

const BULLET = /^\s{0,3}[-*]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,3})[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}```\s*([\w-]*)\s*$/;
const RULE = /^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$/;
const TABLE_SEP = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

export function parseMarkdown(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const isBlockStart = (l: string) => HEADING.test(l) || FENCE.test(l) || BULLET.test(l) || NUMBERED.test(l) || l.trimStart().startsWith('>') || RULE.test(l);
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s{0,3}```\s*$/.test(lines[i])) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'code', lang: fence[1], text: body.join('\n') });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      const level = Math.min(4, h[1].length) as 1 | 2 | 3 | 4;
      blocks.push({ t: 'heading', level, text: parseInline(h[2]), id: slug(h[2]) });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ t: 'rule' });
      i++;
      continue;
    }
    if (line.trimStart().startsWith('>')) {
      const inner: string[] = [];
      while (i < lines.length && lines[i].trimStart().startsWith('>')) inner.push(lines[i++].trimStart().replace(/^>\s?/, ''));
      blocks.push({ t: 'quote', blocks: parseMarkdown(inner.join('\n')) });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
      const head = cells(line).map(parseInline);
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && lines[i].includes('|') && lines[i].trim()) rows.push(cells(lines[i++]).map(parseInline));
      blocks.push({ t: 'table', head, rows });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = !bullet;
      const items: string[] = [];
      const start = numbered ? Number(numbered[1]) : 1;
      while (i < lines.length) {
        const l = lines[i];
        const m = ordered ? NUMBERED.exec(l) : BULLET.exec(l);
        if (m) {
          items.push(ordered ? m[2] : m[1]);
          i++;
        } else if (l.trim() && /^\s{2,}/.test(l) && items.length) {
          // A continuation line of the item (indented).
          items[items.length - 1] += ` ${l.trim()}`;
          i++;
        } else if (!l.trim() && i + 1 < lines.length && (ordered ? NUMBERED : BULLET).test(lines[i + 1])) {
          i++; // a blank line between items keeps the list going
        } else break;
      }
      blocks.push({ t: 'list', ordered, start, items: items.map(parseInline) });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() && !(para.length && isBlockStart(lines[i]))) para.push(lines[i++].trim());
    blocks.push({ t: 'paragraph', text: parseInline(para.join(' ')) });
  }
  return blocks;
}

function cells(line: string): string[] {
  let l = line.trim();
  if (l.startsWith('|')) l = l.slice(1);
  if (l.endsWith('|') && !l.endsWith('\\|')) l = l.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  let inCode = false;
  for (let k = 0; k < l.length; k++) {
    const c = l[k];
    if (c === '\\' && l[k + 1] === '|') {
      cur += '|';
      k++;
    } else if (c === '`') {
      inCode = !inCode;
      cur += c;
    } else if (c === '|' && !inCode) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ t: 'text', text: buf });
    buf = '';
  };
  let k = 0;
  while (k < text.length) {
    const c = text[k];
    if (c === '\\' && k + 1 < text.length && /[\\`*_[\]()#|>-]/.test(text[k + 1])) {
      buf += text[k + 1];
      k += 2;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', k + 1);
      if (end > k) {
        flush();
        out.push({ t: 'code', text: text.slice(k + 1, end) });
        k = end + 1;
        continue;
      }
    }
    if (c === '*' && text[k + 1] === '*') {
      const end = text.indexOf('**', k + 2);
      if (end > k + 2) {
        flush();
        out.push({ t: 'strong', children: parseInline(text.slice(k + 2, end)) });
        k = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[k + 1] !== c && text[k + 1] !== ' ' && (k === 0 || /[\s(]/.test(text[k - 1]))) {
      const end = text.indexOf(c, k + 1);
      if (end > k + 1 && text[end - 1] !== ' ' && (end + 1 >= text.length || /[\s.,;:)!?]/.test(text[end + 1]))) {
        flush();
        out.push({ t: 'em', children: parseInline(text.slice(k + 1, end)) });
        k = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const close = text.indexOf(']', k + 1);
      if (close > k && text[close + 1] === '(') {
        const paren = text.indexOf(')', close + 2);
        if (paren > close) {
          flush();
          out.push({ t: 'link', href: text.slice(close + 2, paren).trim(), children: parseInline(text.slice(k + 1, close)) });
          k = paren + 1;
          continue;
        }
      }
    }
    buf += c;
    k++;
  }
  flush();
  return out;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_[\]()]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Where a runbook link goes in the dashboard: another runbook, an absolute URL or a dashboard path; undefined = not a link. */
export function resolveRunbookHref(href: string): string | undefined {
  const runbook = /^([A-Z][A-Za-z0-9]+)\.md(#[\w-]+)?$/.exec(href);
  if (runbook) return `/alerts/runbooks/${runbook[1]}${runbook[2] ?? ''}`;
  if (/^https?:\/\//.test(href) || href.startsWith('/') || href.startsWith('#')) return href;
  return undefined;
}

/** Plain text of inline content (titles, tests). */
export function inlineText(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.t === 'text' || n.t === 'code' ? n.text : inlineText(n.children))).join('');
}
