// The dashboard's navigation: every page, in the order of the top bar. One list, so a page
// cannot be left out of the navigation (and the security branch can map each to its role).
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
