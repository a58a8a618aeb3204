// Renders a runbook's Markdown tree (alerts/markdown.ts) as React elements: text is always text,
// links go to other runbooks, dashboard pages or absolute URLs only.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { resolveRunbookHref, type Block, type Inline } from '../../../../alerts/markdown';

export function Markdown({ blocks }: { blocks: readonly Block[] }) {
  return <>{blocks.map((b, i) => block(b, i))}</>;
}

function block(b: Block, key: number): ReactNode {
  switch (b.t) {
    case 'heading': {
      const H = `h${b.level}` as 'h1' | 'h2' | 'h3' | 'h4';
      return (
        <H key={key} id={b.id}>
          {inline(b.text)}
        </H>
      );
    }
    case 'paragraph':
      return <p key={key}>{inline(b.text)}</p>;
    case 'list': {
      const items = b.items.map((it, i) => <li key={i}>{inline(it)}</li>);
      return b.ordered ? (
        <ol key={key} start={b.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'code':
      return (
        <pre key={key}>
          <code>{b.text}</code>
        </pre>
      );
    case 'table':
      return (
        <div className="table-wrap" key={key}>
          <table>
            <thead>
              <tr>
                {b.head.map((c, i) => (
                  <th scope="col" key={i}>
                    {inline(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{inline(c)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'quote':
      return (
        <blockquote key={key}>
          <Markdown blocks={b.blocks} />
        </blockquote>
      );
    case 'rule':
      return <hr key={key} />;
  }
}

function inline(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return n.text;
      case 'code':
        return <code key={i}>{n.text}</code>;
      case 'strong':
        return <strong key={i}>{inline(n.children)}</strong>;
      case 'em':
        return <em key={i}>{inline(n.children)}</em>;
      case 'link': {
        const href = resolveRunbookHref(n.href);
        if (!href) return <span key={i}>{inline(n.children)}</span>;
        return href.startsWith('/') || href.startsWith('#') ? (
          <Link key={i} href={href}>
            {inline(n.children)}
          </Link>
        ) : (
          <a key={i} href={href} rel="noreferrer noopener">
            {inline(n.children)}
          </a>
        );
      }
    }
  });
}
