'use client';
// The top bar's links, marking the current page (aria-current) as the route changes.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function NavLinks({ items }: { items: { href: string; label: string; group: string }[] }) {
  const path = usePathname() ?? '/';
  const current = (href: string) => (href === '/' ? path === '/' || path.startsWith('/clusters') : path === href || path.startsWith(`${href}/`));
  let group = '';
  return (
    <ul className="nav-list">
      {items.map((item) => {
        const sep = group !== '' && item.group !== group;
        group = item.group;
        return (
          <li key={item.href} className={sep ? 'nav-sep' : undefined}>
            <Link href={item.href} aria-current={current(item.href) ? 'page' : undefined} prefetch={false}>
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
