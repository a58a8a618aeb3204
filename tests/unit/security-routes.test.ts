// The route → role table: how a request path finds its rule (exact over dynamic over prefix),
// what each role may do on the product's pages and handlers, the navigation per role, and how
// the gate reads paths (decoding tricks refused, same-site redirects only).
import { describe, expect, it } from 'vitest';
import { navFor } from '../../app/lib/nav';
import { normalisePath, safeNext } from '../../server/security/paths';
import { accessFor, allows, auditActionFor, RouteTable, routeTable, type RouteRule } from '../../server/security/routes';
import type { Role } from '../../server/security/roles';

const can = (role: Role | undefined, method: string, path: string) => {
  const rule = routeTable.ruleFor(path);
  return rule !== undefined && allows(accessFor(rule, method), role);
};

describe('route table', () => {
  it('prefers an exact route over a dynamic one over a prefix, then the deeper one', () => {
    const t = new RouteTable([
      { route: '/x/**', read: 'viewer', write: 'operator' },
      { route: '/x/[id]', read: 'operator', write: 'admin' },
      { route: '/x/new', read: 'admin', write: 'admin' },
      { route: '/x/[id]/deep/**', read: 'public', write: 'deny' },
    ]);
    expect(t.ruleFor('/x/new')?.route).toBe('/x/new');
    expect(t.ruleFor('/x/42')?.route).toBe('/x/[id]');
    expect(t.ruleFor('/x/42/more')?.route).toBe('/x/**');
    expect(t.ruleFor('/x/42/deep/a/b')?.route).toBe('/x/[id]/deep/**');
    expect(t.ruleFor('/x')?.route).toBe('/x/**');
    expect(t.ruleFor('/y')).toBeUndefined();
    // Static segments compare without case: /ADMIN is /admin, never a way around its rule.
    expect(routeTable.ruleFor('/ADMIN')?.route).toBe('/admin/**');
  });

  it('finds the rule of a built route pattern only when it covers every value of its parameters', () => {
    const t = new RouteTable([
      { route: '/c/special', read: 'viewer', write: 'deny' },
      { route: '/d/**', read: 'viewer', write: 'deny' },
    ]);
    expect(t.ruleForRoute('/c/[name]')).toBeUndefined();
    expect(t.ruleForRoute('/d/[name]/[...rest]')?.route).toBe('/d/**');
    expect(routeTable.ruleForRoute('/clusters/[cluster]')?.route).toBe('/clusters/**');
    expect(routeTable.ruleForRoute('/api/brand-new/[id]')).toBeUndefined();
  });

  it('refuses two rules for one route', () => {
    const r: RouteRule = { route: '/a', read: 'viewer', write: 'deny' };
    expect(() => new RouteTable([r, { ...r }])).toThrow(/two rules/);
  });

  it('gives every role what the issue says: viewer reads, operator changes, admin administers', () => {
    for (const page of ['/', '/replication', '/ha', '/certificates', '/services', '/events', '/alerts', '/troubleshooter', '/users', '/readiness', '/clusters/imp01']) {
      expect(can(undefined, 'GET', page), page).toBe(false);
      expect(can('viewer', 'GET', page), page).toBe(true);
    }
    // Running the troubleshooter, maintenance windows, silences, lab faults: operator.
    for (const [method, path] of [
      ['POST', '/api/troubleshooter/run'],
      ['POST', '/troubleshooter'],
      ['POST', '/api/maintenance'],
      ['DELETE', '/api/maintenance/7'],
      ['POST', '/api/alerts/silences'],
      ['POST', '/api/lab/faults'],
      ['DELETE', '/api/lab/faults/f1'],
      ['POST', '/api/readiness/report'],
    ] as const) {
      expect(can('viewer', method, path), `${method} ${path}`).toBe(false);
      expect(can('operator', method, path), `${method} ${path}`).toBe(true);
    }
    // Accounts, the audit log, the configuration view: admin.
    for (const [method, path] of [
      ['GET', '/admin'],
      ['GET', '/admin/config'],
      ['GET', '/audit'],
      ['GET', '/api/audit/export'],
      ['POST', '/api/admin/accounts'],
      ['POST', '/api/admin/accounts/alice'],
    ] as const) {
      expect(can('operator', method, path), `${method} ${path}`).toBe(false);
      expect(can('admin', method, path), `${method} ${path}`).toBe(true);
    }
    // Public: sign-in, setup, health, the build's static files. Never public: anything else.
    for (const path of ['/signin', '/setup', '/healthz', '/readyz', '/_next/static/chunks/main.js']) expect(can(undefined, 'GET', path), path).toBe(true);
    expect(can(undefined, 'POST', '/api/auth/signin')).toBe(true);
    expect(can(undefined, 'POST', '/api/auth/signout')).toBe(false);
    expect(can('admin', 'POST', '/_next/static/x.js')).toBe(false);
    expect(routeTable.ruleFor('/metrics')?.read).toBe('token');
    expect(routeTable.ruleFor('/lab')?.labOnly).toBe(true);
  });

  it('names the audit action of a change', () => {
    expect(auditActionFor(routeTable.ruleFor('/api/lab/faults/f1'), 'DELETE')).toBe('lab.fault.clear');
    expect(auditActionFor(routeTable.ruleFor('/api/lab/faults'), 'POST')).toBe('lab.fault.inject');
    expect(auditActionFor(routeTable.ruleFor('/api/troubleshooter/run'), 'POST')).toBe('troubleshooter.run');
    expect(auditActionFor(routeTable.ruleFor('/api/auth/signin'), 'POST')).toBeUndefined();
    expect(auditActionFor(routeTable.ruleFor('/clusters/x'), 'POST')).toBe('request.change');
  });
});

describe('navigation per role', () => {
  const hrefs = (role: Role | undefined, lab: boolean) => navFor(role, lab).map((i) => i.href);
  it('shows a viewer the monitoring and diagnostic pages, an admin also the audit log and accounts', () => {
    expect(hrefs(undefined, true)).toEqual([]);
    expect(hrefs('viewer', false)).toEqual(['/', '/replication', '/ha', '/certificates', '/services', '/events', '/alerts', '/troubleshooter', '/users', '/readiness']);
    expect(hrefs('operator', true)).toContain('/lab');
    expect(hrefs('operator', true)).not.toContain('/audit');
    expect(hrefs('admin', false)).toEqual([...hrefs('viewer', false), '/audit', '/admin']);
    expect(hrefs('admin', true)).toContain('/lab');
  });
});

describe('request paths', () => {
  it('decodes segments and refuses paths that decode into other paths', () => {
    expect(normalisePath('/admin/')).toBe('/admin');
    expect(normalisePath('//admin///config?x=1')).toBe('/admin/config');
    expect(normalisePath('/%61dmin')).toBe('/admin');
    expect(normalisePath('/admin.rsc')).toBe('/admin');
    expect(normalisePath('/index')).toBe('/');
    expect(normalisePath('http://host:3000/audit?x')).toBe('/audit');
    for (const bad of ['/x/%2e%2e/admin', '/x/..', '/a%2fb', '/a%5cb', '/%E0%A4%A', '*', 'admin']) expect(normalisePath(bad), bad).toBeUndefined();
  });

  it('sends a user back only to a path of this site after signing in', () => {
    expect(safeNext('/audit?actor=x')).toBe('/audit?actor=x');
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '', undefined, '/x\r\nSet-Cookie: a=b']) expect(safeNext(bad), String(bad)).toBe('/');
  });
});
