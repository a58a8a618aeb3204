'use client';
// Keyboard navigation through a table: focus the table region (Tab), then ↓/↑ move between rows,
// Home/End jump, Enter opens the row's first link. Rows are focused programmatically (tabindex -1),
// so Tab still moves through the page's links and controls as usual.
import type { KeyboardEvent, ReactNode } from 'react';

export function TableNav({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (target.matches('input, select, textarea, button')) return;
    const rows = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('tbody tr'));
    if (rows.length === 0) return;
    const row = target.closest<HTMLElement>('tbody tr');
    const i = row ? rows.indexOf(row) : -1;
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(rows.length - 1, i + 1);
        break;
      case 'ArrowUp':
        if (i <= 0) return;
        next = i - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case 'Enter':
        if (row && target === row) {
          e.preventDefault();
          row.querySelector<HTMLAnchorElement>('a[href]')?.click();
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    const r = rows[next];
    r.tabIndex = -1;
    r.focus();
  };
  return (
    // A focusable, labelled region: keyboard users can reach and scroll a wide table.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className={className ?? 'table-wrap'} tabIndex={0} role="region" aria-label={`${label} (arrow keys move between rows, Enter opens)`} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}
