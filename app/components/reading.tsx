// A table cell for one current figure: the value when its source is fresh, otherwise the plain
// word (stale, failing, not polled yet) — never an old number shown as if it were current.
import type { ReactNode } from 'react';
import { formatTime } from '../../collectors/views/format';
import type { Reading } from '../../collectors/views/readings';

export function ReadingCell<T>({ r, children, className }: { r: Reading<T> | undefined; children: (v: T) => ReactNode; className?: string }) {
  if (!r || r.state === 'absent') return <td className={`${className ?? ''} muted`}>—</td>;
  if (r.value !== undefined) return <td className={className}>{children(r.value)}</td>;
  if (r.state === 'pending') return <td className={`${className ?? ''} muted`}>not polled yet</td>;
  const title = `${r.state === 'failing' && r.error ? `${r.error.kind}: ${r.error.message}. ` : ''}Last success: ${r.at ? formatTime(r.at) : 'never'}`;
  return (
    <td className={`${className ?? ''} value-${r.state}`} title={title} data-reading={r.state}>
      {r.state === 'failing' ? `failing${r.error ? ` (${r.error.kind})` : ''}` : 'stale'}
    </td>
  );
}

/** The same, inline (figures, lists). */
export function ReadingValue<T>({ r, children }: { r: Reading<T> | undefined; children: (v: T) => ReactNode }) {
  if (!r || r.state === 'absent') return <span className="muted">—</span>;
  if (r.value !== undefined) return <>{children(r.value)}</>;
  if (r.state === 'pending') return <span className="muted">not polled yet</span>;
  const title = `${r.state === 'failing' && r.error ? `${r.error.kind}: ${r.error.message}. ` : ''}Last success: ${r.at ? formatTime(r.at) : 'never'}`;
  return (
    <span className={`value-${r.state}`} title={title} data-reading={r.state}>
      {r.state === 'failing' ? `failing${r.error ? ` (${r.error.kind})` : ''}` : 'stale'}
    </span>
  );
}
