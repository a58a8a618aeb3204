// Who may do what, for every route of the product: ONE table, read by the HTTP gate
// (server/security/gate.ts) for every request — pages, RSC refreshes, route handlers, server
// actions, static assets, /metrics, /healthz, /readyz — and by the navigation (app/lib/nav.ts).
//
// A rule names a route as Next.js does ('/clusters/[cluster]', '/api/lab/faults/[id]') or a
// route and everything under it ('/troubleshooter/**'). `read` covers GET and HEAD (pages, their
// live refreshes, downloads); `write` covers POST, PUT, PATCH, DELETE and server actions.
//
// A route of the built app that no rule covers is refused to everyone at run time, and fails
// tests/e2e/security-routes.test.ts, which enumerates the routes from the build's manifests. So a
// new page or route handler needs a line here before it can be used. Pure data: no Node imports
// (the app's navigation bundles it).
import type { Role } from './roles';

/** public: no sign-in; token: the /metrics bearer token; a role: that role or higher; deny: nobody. */
export type Access = 'public' | 'token' | Role | 'deny';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRule {
  route: string;
  read: Access;
  write: Access;
  /** The route exists only while the built-in lab runs: 404 otherwise. */
  labOnly?: boolean;
  /**
   * The audit action of a change through this route. The gate records one entry per change the
   * handler did not record itself (through runtime.audit) and every denied attempt. A string
   * applies to every write method; false: writes here change nothing (no entry).
   */
  audit?: string | false | Partial<Record<WriteMethod, string>>;
}

const page = (route: string, read: Access = 'viewer', write: Access = 'operator'): RouteRule => ({ route, read, write });

export const ROUTE_RULES: readonly RouteRule[] = [
  // --- Served by server/http.ts before Next.js ---------------------------------------------------
  { route: '/healthz', read: 'public', write: 'deny' },
  { route: '/readyz', read: 'public', write: 'deny' },
  { route: '/metrics', read: 'token', write: 'deny' },

  // --- Next.js itself -------------------------------------------------------------------------------
  // Build output (JS, CSS, fonts): the sign-in page needs them before anyone signs in. Holds no data.
  { route: '/_next/static/**', read: 'public', write: 'deny' },
  { route: '/favicon.ico', read: 'public', write: 'deny' },
  { route: '/icon.svg', read: 'public', write: 'deny' },
  { route: '/_not-found', read: 'viewer', write: 'deny' },
  { route: '/_global-error', read: 'viewer', write: 'deny' },

  // --- Sign-in (security) ------------------------------------------------------------------------
  { route: '/signin', read: 'public', write: 'deny' },
  { route: '/setup', read: 'public', write: 'deny' },
  { route: '/api/auth/signin', read: 'deny', write: 'public', audit: false },
  { route: '/api/auth/setup', read: 'deny', write: 'public', audit: false },
  { route: '/api/auth/signout', read: 'deny', write: 'viewer', audit: false },
  page('/account', 'viewer', 'viewer'),
  { route: '/api/account/**', read: 'deny', write: 'viewer', audit: 'account.password' },

  // --- Monitoring pages (pages, history) ---------------------------------------------------------
  page('/'),
  page('/clusters/**'),
  page('/replication/**'),
  page('/ha/**'),
  page('/certificates/**'),
  page('/services/**'),
  page('/events/**'),
  page('/alerts/**'),

  // --- Diagnostics --------------------------------------------------------------------------------
  page('/troubleshooter/**'),
  page('/users/**'),
  page('/readiness/**'),

  // --- The built-in lab ---------------------------------------------------------------------------
  { ...page('/lab/**'), labOnly: true, audit: { POST: 'lab.fault.inject', DELETE: 'lab.fault.clear' } },

  // --- Administration (security) -----------------------------------------------------------------
  page('/audit/**', 'admin', 'admin'),
  page('/admin/**', 'admin', 'admin'),
  { route: '/api/audit/**', read: 'admin', write: 'deny' },
  { route: '/api/admin/**', read: 'admin', write: 'admin', audit: 'account.change' },

  // --- Route handlers of the other rooms (state changes need operator) ---------------------------
  { route: '/api/lab/**', read: 'viewer', write: 'operator', labOnly: true, audit: { POST: 'lab.fault.inject', DELETE: 'lab.fault.clear' } },
  { route: '/api/diagnostics/**', read: 'viewer', write: 'operator', audit: 'diagnostics.run' },
  { route: '/api/troubleshooter/**', read: 'viewer', write: 'operator', audit: 'troubleshooter.run' },
  { route: '/api/readiness/**', read: 'viewer', write: 'operator', audit: 'readiness.report' },
  { route: '/api/users/**', read: 'viewer', write: 'operator', audit: 'users.validate' },
  { route: '/api/maintenance/**', read: 'viewer', write: 'operator', audit: { POST: 'maintenance.open', PUT: 'maintenance.change', PATCH: 'maintenance.change', DELETE: 'maintenance.close' } },
  { route: '/api/alerts/**', read: 'viewer', write: 'operator', audit: { POST: 'alert.silence', DELETE: 'alert.unsilence' } },
  { route: '/api/silences/**', read: 'viewer', write: 'operator', audit: { POST: 'alert.silence', DELETE: 'alert.unsilence' } },
  { route: '/api/history/**', read: 'viewer', write: 'deny' },
  { route: '/api/events/**', read: 'viewer', write: 'deny' },
  { route: '/api/clusters/**', read: 'viewer', write: 'operator' },
];

// --- Matching ----------------------------------------------------------------------------------

interface Compiled {
  rule: RouteRule;
  /** Lower-cased static segments, '*' for one dynamic segment, '**' for the rest. */
  segments: string[];
  prefix: boolean;
  /** Sort key: more specific rules win (exact over dynamic over prefix, then deeper). */
  rank: number;
}

function segmentsOf(route: string): string[] {
  return route.split('/').filter(Boolean);
}

function compile(rule: RouteRule): Compiled {
  const raw = segmentsOf(rule.route);
  const prefix = raw[raw.length - 1] === '**';
  const body = prefix ? raw.slice(0, -1) : raw;
  const segments = body.map((s) => (/^\[\[?\.\.\./.test(s) ? '**' : /^\[.+\]$/.test(s) ? '*' : s.toLowerCase()));
  const statics = segments.filter((s) => s !== '*' && s !== '**').length;
  const rank = (prefix ? 0 : 1_000_000) + statics * 1000 + segments.length;
  return { rule, segments, prefix, rank };
}

function matches(c: Compiled, path: string[]): boolean {
  const n = c.segments.length;
  if (c.prefix ? path.length < n : path.length !== n && !c.segments.includes('**')) return false;
  for (let i = 0; i < n; i++) {
    const s = c.segments[i];
    if (s === '**') return path.length > i; // a catch-all takes one or more segments
    if (s === '*') continue;
    if (s !== path[i]) return false;
  }
  return true;
}

export class RouteTable {
  private readonly compiled: Compiled[];

  constructor(readonly rules: readonly RouteRule[] = ROUTE_RULES) {
    const seen = new Set<string>();
    for (const r of rules) {
      if (seen.has(r.route)) throw new Error(`server/security/routes.ts: route ${r.route} has two rules`);
      seen.add(r.route);
    }
    this.compiled = rules.map(compile).sort((a, b) => b.rank - a.rank);
  }

  /** The rule for a request path (already normalised: decoded, no trailing slash, no query). */
  ruleFor(pathname: string): RouteRule | undefined {
    const path = segmentsOf(pathname).map((s) => s.toLowerCase());
    return this.compiled.find((c) => matches(c, path))?.rule;
  }

  /**
   * The rule for a route pattern of the built app ('/clusters/[cluster]'): its dynamic segments
   * stand for any value, so only rules that cover every value count.
   */
  ruleForRoute(route: string): RouteRule | undefined {
    const sample = segmentsOf(route).map((s) => (/^\[\[?\.\.\./.test(s) ? '\u0000any\u0000/\u0000more\u0000' : /^\[.+\]$/.test(s) ? '\u0000any\u0000' : s));
    return this.ruleFor(`/${sample.join('/')}`);
  }
}

/** The access a method needs under a rule (HEAD and OPTIONS are reads). */
export function accessFor(rule: RouteRule, method: string): Access {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return rule.read;
  if (m === 'POST' || m === 'PUT' || m === 'PATCH' || m === 'DELETE') return rule.write;
  return 'deny';
}

/** The audit action of a write through a rule, or undefined when writes there are not changes. */
export function auditActionFor(rule: RouteRule | undefined, method: string): string | undefined {
  const a = rule?.audit;
  if (a === false) return undefined;
  if (typeof a === 'string') return a;
  return a?.[method.toUpperCase() as WriteMethod] ?? 'request.change';
}

/** Whether a role (undefined: not signed in) satisfies an access level; 'token' is decided elsewhere. */
export function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (access === 'deny' || access === 'token') return false;
  if (!role) return false;
  const rank = { viewer: 1, operator: 2, admin: 3 } as const;
  return rank[role] >= rank[access];
}

export const routeTable = new RouteTable();
