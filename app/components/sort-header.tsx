// A sortable column header: a link that sets ?sort=…&dir=… (keeping the other filters), with
// aria-sort on the header so screen readers announce the order.
import Link from 'next/link';
import { toQueryString, type SortDir } from '../../collectors/views/query';

export function SortHeader({
  label,
  column,
  sort,
  dir,
  params,
  path,
  className,
}: {
  label: string;
  column: string;
  sort: string;
  dir: SortDir;
  params: Record<string, string | number | boolean | undefined>;
  path: string;
  className?: string;
}) {
  const active = sort === column;
  const nextDir: SortDir = active && dir === 'asc' ? 'desc' : 'asc';
  const href = `${path}${toQueryString({ ...params, sort: column, dir: nextDir })}`;
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={className}>
      <Link href={href} className="sort-link" data-sort={column} prefetch={false} scroll={false} replace>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
        </span>
      </Link>
    </th>
  );
}
