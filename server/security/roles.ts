// The three roles, in order: each includes everything the one before it may do.
//   viewer   — every page (fleet, events, alerts, troubleshooter results, reports)
//   operator — changes the watch: runs the troubleshooter, opens maintenance windows, silences
//              alerts, injects lab faults
//   admin    — accounts, the audit log, the configuration view
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Whether `role` includes `needed`. */
export function hasRole(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}

/** The higher of two roles (undefined counts as none). */
export function higherRole(a: Role | undefined, b: Role | undefined): Role | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

export const ROLE_LABEL: Record<Role, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' };
