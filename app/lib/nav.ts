// The dashboard's navigation: every page, in the order of the top bar. One list, so a page
// cannot be left out of the navigation; navFor() keeps the items a role may open (the route
// table of server/security/routes.ts decides, the same one the HTTP gate enforces).
import { allows, routeTable } from '../../server/security/routes';
import type { Role } from '../../server/security/roles';
export interface NavItem {
  href: string;
  label: string;
  /** Shown only when the built-in lab runs. */
  labOnly?: boolean;
  /** Grouping in the top bar. */
  group: 'monitor' | 'diagnose' | 'admin';
}

export const NAV: readonly NavItem[] = [
  { href: '/', label: 'Overview', group: 'monitor' },
  { href: '/replication', label: 'Replication', group: 'monitor' },
  { href: '/ha', label: 'High availability', group: 'monitor' },
  { href: '/certificates', label: 'Certificates', group: 'monitor' },
  { href: '/services', label: 'Services', group: 'monitor' },
  { href: '/events', label: 'Events', group: 'monitor' },
  { href: '/alerts', label: 'Alerts', group: 'monitor' },
  { href: '/troubleshooter', label: 'Troubleshooter', group: 'diagnose' },
  { href: '/users', label: 'Users', group: 'diagnose' },
  { href: '/readiness', label: 'Readiness', group: 'diagnose' },
  { href: '/lab', label: 'Lab', group: 'admin', labOnly: true },
  { href: '/audit', label: 'Audit log', group: 'admin' },
  { href: '/admin', label: 'Accounts', group: 'admin' },
];

/**
 * The items a user with `role` may open (undefined: not signed in → none), lab pages only while
 * the built-in lab runs. The layout renders exactly these:
 *   const viewer = await getViewer();
 *   const items = navFor(viewer.role, getRuntime()?.lab !== undefined);
 */
export function navFor(role: Role | undefined, lab: boolean): NavItem[] {
  return NAV.filter((item) => {
    if (item.labOnly && !lab) return false;
    const rule = routeTable.ruleFor(item.href);
    return rule !== undefined && allows(rule.read, role) && (!rule.labOnly || lab);
  });
}
