// Runbooks: every rule's runbook has the sections an on-call engineer needs, its links lead
// somewhere the dashboard serves, and the Markdown subset parser renders what they use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../alerts/catalogue';
import { inlineText, parseMarkdown, resolveRunbookHref, type Block, type Inline } from '../../alerts/markdown';

const dir = path.resolve(__dirname, '../../docs/runbooks');

function links(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly Inline[]) => {
    for (const n of nodes) {
      if (n.t === 'link') out.push(n.href);
      if (n.t === 'link' || n.t === 'strong' || n.t === 'em') walk(n.children);
    }
  };
  for (const b of blocks) {
    if (b.t === 'heading' || b.t === 'paragraph') walk(b.text);
    if (b.t === 'list') b.items.forEach(walk);
    if (b.t === 'table') [...b.head, ...b.rows.flat()].forEach(walk);
    if (b.t === 'quote') out.push(...links(b.blocks));
  }
  return out;
}

describe('runbooks', () => {
  for (const rule of RULES) {
    it(`${rule.name}: titled, with meaning, what users see, what to do and how to confirm the fix`, () => {
      const blocks = parseMarkdown(readFileSync(path.join(dir, `${rule.name}.md`), 'utf8'));
      const h1 = blocks[0];
      expect(h1.t === 'heading' && h1.level === 1 && inlineText(h1.text)).toBe(rule.name);
      const sections = blocks.filter((b): b is Extract<Block, { t: 'heading' }> => b.t === 'heading' && b.level === 2).map((b) => inlineText(b.text));
      expect(sections).toEqual(expect.arrayContaining(['What it means', 'What users see', 'What to do', 'Confirm the fix']));
      for (const href of links(blocks)) {
        const target = resolveRunbookHref(href);
        expect(target, `${rule.name}: link ${href}`).toBeDefined();
        const other = /^\/alerts\/runbooks\/(\w+)/.exec(target!);
        if (other) expect(RULES.map((r) => r.name), `${rule.name} links to ${href}`).toContain(other[1]);
      }
      if (rule.origin === 'cisco-closest') expect(readFileSync(path.join(dir, `${rule.name}.md`), 'utf8')).toMatch(/closest observable signal/);
    });
  }
});

describe('the Markdown subset', () => {
  it('parses headings, paragraphs, lists with continuation lines, code, tables, quotes and inline marks', () => {
    const md = [
      '# Title',
      '',
      'A *word* and **bold `code`** with a [link](Other.md) and 5 * 3.',
      '',
      '1. first',
      '   continued',
      '2. second',
      '',
      '- a',
      '- b',
      '',
      '```',
      'utils ha status',
      '```',
      '',
      '| A | B |',
      '| --- | --- |',
      '| `x|y` | 2 |',
      '',
      '> quoted',
      '',
      '---',
    ].join('\n');
    const b = parseMarkdown(md);
    expect(b.map((x) => x.t)).toEqual(['heading', 'paragraph', 'list', 'list', 'code', 'table', 'quote', 'rule']);
    const p = b[1] as Extract<Block, { t: 'paragraph' }>;
    expect(p.text.map((n) => n.t)).toEqual(['text', 'em', 'text', 'strong', 'text', 'link', 'text']);
    expect(inlineText(p.text)).toBe('A word and bold code with a link and 5 * 3.');
    expect((b[2] as Extract<Block, { t: 'list' }>).items.map(inlineText)).toEqual(['first continued', 'second']);
    expect((b[5] as Extract<Block, { t: 'table' }>).rows[0].map(inlineText)).toEqual(['x|y', '2']);
  });

  it('links only to runbooks, dashboard paths and absolute URLs; text stays text', () => {
    expect(resolveRunbookHref('SRMFailover.md')).toBe('/alerts/runbooks/SRMFailover');
    expect(resolveRunbookHref('/ha')).toBe('/ha');
    expect(resolveRunbookHref('https://www.cisco.com/')).toBe('https://www.cisco.com/');
    expect(resolveRunbookHref('javascript:alert(1)')).toBeUndefined();
    expect(resolveRunbookHref('../secret.md')).toBeUndefined();
    expect(inlineText(parseMarkdown('<script>alert(1)</script>')[0].t === 'paragraph' ? (parseMarkdown('<script>x</script>')[0] as Extract<Block, { t: 'paragraph' }>).text : [])).toBe('<script>x</script>');
  });
});
