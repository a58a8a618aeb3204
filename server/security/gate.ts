// The gate: the ONE place that decides, for every request the product's HTTP server receives,
// whether it may go on — pages, their live refreshes (RSC), route handlers, server actions,
// static assets, /metrics, /healthz, /readyz — and that puts the security headers on every
// response, refusals and errors included. In order:
//
//   1. headers: strip what only the gate may set (x-impulse-*), or what must not reach Next.js
//      from outside (x-middleware-subrequest; forwarding headers from untrusted peers);
//   2. the path, normalised the way a router would read it (a path that decodes to something
//      else — '..', '/' inside a segment — is refused);
//   3. /healthz and /readyz (public, say nothing else), /metrics (its bearer token);
//   4. the route's rule (server/security/routes.ts); a route of the build without one is refused;
//   5. request size (Content-Length required for bodies, limited);
//   6. who is asking (session cookie, trusted proxy header, or none on loopback), and whether the
//      role is enough — signed-out page views go to /signin, everything else gets 401/403;
//   7. for state changes: the Origin must be ours (CSRF);
//   8. then Next.js, with the identity in x-impulse-* request headers (app/lib/actor.ts reads
//      them), the CSP nonce in the request's policy header, and the change audited.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditSink } from '../runtime';
import type { SecurityCore } from '../services/security';
import { requestContext, type RequestContext } from './context';
import { applySecurityHeaders, newNonce, pagePolicy, STRICT_POLICY, type HeaderOptions } from './headers';
import type { BuiltApp } from './manifest';
import { plainAddress } from './proxy-auth';
import { accessFor, allows, auditActionFor, type Access, type RouteRule, type RouteTable } from './routes';
import { normalisePath, safeNext } from './paths';
import type { Identity } from './types';

/** Request headers only the gate sets. */
export const IDENTITY_HEADERS = { user: 'x-impulse-user', role: 'x-impulse-role', address: 'x-impulse-address', via: 'x-impulse-via', token: 'x-impulse-gate' } as const;

/** Set on the gate's own refusals, so tests and operators can tell them from a handler's. */
export const DENIED_HEADER = 'x-impulse-denied';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const SMALL_BODY_LIMIT = 16 * 1024;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The rule of a path that is no route at all: Next.js renders its not-found page to signed-in users. */
const NOT_FOUND: RouteRule = { route: '(not found)', read: 'viewer', write: 'deny' };

export interface GateOptions {
  table: RouteTable;
  built: BuiltApp;
  /** The sign-in core in force (a configuration reload swaps it). */
  security: () => SecurityCore;
  audit: () => AuditSink | undefined;
  /** Whether the built-in lab runs (labOnly routes). */
  lab: () => boolean;
  /** Readiness for /readyz: configuration loaded, database open, first collection cycle done. */
  ready: () => boolean;
  headers: HeaderOptions;
  log: (line: string) => void;
  bodyLimit?: number;
}

export interface Handlers {
  metrics?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export class Gate {
  private readonly warned = new Set<string>();
  private readonly unruled: Set<string>;
  /** Built routes, most specific first (as Next.js matches: static, then dynamic, then catch-all). */
  private readonly routes: GateOptions['built']['routes'];

  constructor(private readonly o: GateOptions) {
    const weight = (route: string) => route.split('/').reduce((w, seg) => w + (/^\[\[?\.\.\./.test(seg) ? 1000 : /^\[/.test(seg) ? 1 : 0), 0);
    this.routes = [...o.built.routes].sort((a, b) => weight(a.route) - weight(b.route) || b.route.length - a.route.length);
    this.unruled = new Set(o.built.routes.filter((r) => !o.table.ruleForRoute(r.route)).map((r) => r.route));
    for (const r of this.unruled) o.log(`route ${r} has no access rule in server/security/routes.ts: it is refused to everyone`);
  }

  /** Every route of the build the table does not cover (refused at run time). */
  get routesWithoutRule(): string[] {
    return [...this.unruled];
  }

  async handle(req: IncomingMessage, res: ServerResponse, h: Handlers): Promise<void> {
    const sec = this.o.security();
    const method = (req.method ?? 'GET').toUpperCase();
    for (const name of Object.values(IDENTITY_HEADERS)) delete req.headers[name];
    delete req.headers['x-middleware-subrequest'];
    const fromTrustedProxy = sec.proxy?.trusted.has(plainAddress(req.socket.remoteAddress)) === true;
    if (!fromTrustedProxy && sec.mode !== 'none') {
      for (const name of ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']) delete req.headers[name];
    }
    applySecurityHeaders(res, STRICT_POLICY, this.o.headers);

    const path = normalisePath(req.url);
    if (path === undefined) return this.plain(res, 400, 'bad request: the path does not decode to a plain path\n');

    // Served here, before Next.js: no sign-in, and nothing but the answer.
    if (path === '/healthz' || path === '/readyz') {
      if (method !== 'GET' && method !== 'HEAD') return this.plain(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
      res.setHeader('cache-control', 'no-store');
      if (path === '/healthz') return this.plain(res, 200, 'ok\n', {}, method === 'HEAD');
      const ready = this.o.ready();
      return this.plain(res, ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n', {}, method === 'HEAD');
    }
    if (path === '/metrics') {
      if (!h.metrics) return this.plain(res, 404, 'not found: the collector is not running\n');
      await h.metrics(req, res);
      return;
    }

    const built = this.routes.find((r) => r.pattern.test(path));
    let rule = this.o.table.ruleFor(path);
    if (built && this.unruled.has(built.route)) rule = undefined;
    if (!rule) {
      if (built) {
        if (!this.warned.has(built.route)) {
          this.warned.add(built.route);
          this.o.log(`refused ${method} ${path}: route ${built.route} has no access rule`);
        }
        return this.deny(req, res, 403, 'This page has no access rule, so nobody may use it. Add one to server/security/routes.ts.', method, path, undefined, undefined);
      }
      rule = NOT_FOUND;
    }
    if (rule.labOnly && !this.o.lab()) return this.plain(res, 404, 'not found: the built-in lab is not running\n');
    if (!READ_METHODS.has(method) && !WRITE_METHODS.has(method)) return this.plain(res, 405, 'method not allowed\n');
    const write = WRITE_METHODS.has(method);
    let access = accessFor(rule, method);
    if (write && rule === NOT_FOUND) return this.plain(res, 404, 'not found\n');
    // A server action runs the code of the pages that define it: it needs what their writes need.
    const actionId = req.headers['next-action'];
    if (write && typeof actionId === 'string') {
      for (const owner of this.o.built.actions.get(actionId) ?? []) access = strictest(access, (this.o.table.ruleFor(owner) ?? { write: 'deny' as Access }).write);
    }

    // Bodies: a declared, bounded size.
    const length = req.headers['content-length'];
    const limit = path.startsWith('/api/auth/') ? SMALL_BODY_LIMIT : (this.o.bodyLimit ?? DEFAULT_BODY_LIMIT);
    if (length !== undefined) {
      const n = Number(length);
      if (!Number.isFinite(n) || n < 0) return this.plain(res, 400, 'bad request: Content-Length\n');
      if (n > limit) return this.plain(res, 413, `request body too large: at most ${limit} bytes\n`, { connection: 'close' });
    } else if (req.headers['transfer-encoding'] !== undefined) {
      return this.plain(res, 411, 'a request body needs a Content-Length\n', { connection: 'close' });
    }

    if (access === 'deny') {
      const allow = [rule.read !== 'deny' ? 'GET, HEAD' : '', rule.write !== 'deny' ? 'POST' : ''].filter(Boolean).join(', ');
      return this.plain(res, 405, 'method not allowed\n', allow ? { allow } : {});
    }
    const address = sec.clientAddress(req);
    const isStatic = access === 'public' && path.startsWith('/_next/static/');
    const who = isStatic ? {} : await sec.identify(req);
    if (who.setCookie) res.setHeader('Set-Cookie', who.setCookie);
    const identity = who.identity;

    if (!allows(access, identity?.role)) {
      if (!identity) {
        if (sec.mode === 'none') return this.deny(req, res, 403, who.why ?? 'Not allowed.', method, path, undefined, write ? rule : undefined, address);
        const wantsPage = !write && !req.headers.rsc && /text\/html/.test(String(req.headers.accept ?? '')) && sec.mode !== 'proxy';
        if (wantsPage) {
          const q = (req.url ?? '/').indexOf('?');
          const next = safeNext(path + (q >= 0 ? (req.url ?? '').slice(q) : ''));
          res.writeHead(303, { location: `/signin${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, 'cache-control': 'no-store' }).end();
          return;
        }
        const msg = sec.mode === 'proxy' ? `Sign in through your organisation's single sign-on${who.why ? ` (${who.why})` : ''}.` : (who.why ?? 'Sign in first.');
        return this.deny(req, res, 401, msg, method, path, undefined, write ? rule : undefined, address);
      }
      return this.deny(req, res, 403, `${path} needs the ${access} role; ${identity.name} is ${identity.role === 'admin' ? 'an' : 'a'} ${identity.role}.`, method, path, identity, rule, address);
    }

    if (write) {
      const bad = this.crossOrigin(req, fromTrustedProxy);
      if (bad) return this.deny(req, res, 403, `Cross-site request refused: ${bad}.`, method, path, identity, rule, address);
    }

    if (identity) {
      req.headers[IDENTITY_HEADERS.user] = encodeURIComponent(identity.name);
      req.headers[IDENTITY_HEADERS.role] = identity.role;
      req.headers[IDENTITY_HEADERS.via] = identity.via;
    }
    req.headers[IDENTITY_HEADERS.address] = address;
    req.headers[IDENTITY_HEADERS.token] = sec.gateToken;

    // Pages: a fresh nonce; Next.js reads it from the request's policy and signs its scripts.
    const nonce = newNonce();
    const policy = pagePolicy(nonce, this.o.headers);
    req.headers['content-security-policy'] = policy;
    res.setHeader('Content-Security-Policy', policy);

    const ctx: RequestContext = { method, path, address, identity, recorded: false };
    // A POST to a page without a server action only renders the page: not a change.
    const changes = write && !(built?.kind === 'page' && typeof actionId !== 'string');
    const action = changes ? auditActionFor(rule, method) : undefined;
    if (action) {
      res.once('finish', () => {
        if (ctx.recorded) return;
        const s = res.statusCode;
        this.o.audit()?.record({
          actor: { name: identity?.name ?? 'anonymous', address },
          action,
          target: path,
          detail: `${method} ${path} → HTTP ${s}`,
          outcome: s < 400 ? 'success' : s === 401 || s === 403 ? 'denied' : 'failure',
        });
      });
    }
    await requestContext.run(ctx, () => h.next(req, res));
  }

  /** Why a state-changing request is not from our own pages, or undefined. */
  private crossOrigin(req: IncomingMessage, fromTrustedProxy: boolean): string | undefined {
    const site = req.headers['sec-fetch-site'];
    let origin = req.headers.origin;
    if (origin === undefined && typeof req.headers.referer === 'string') {
      try {
        origin = new URL(req.headers.referer).origin;
      } catch {
        return 'unreadable Referer';
      }
    }
    if (origin === undefined) return site === undefined || site === 'same-origin' ? undefined : `Sec-Fetch-Site is ${site}`;
    if (origin === 'null') return 'opaque origin';
    const own = new Set(this.o.security().auth.origins);
    const scheme = this.o.headers.tls ? 'https' : 'http';
    if (req.headers.host) own.add(`${scheme}://${req.headers.host}`.toLowerCase());
    if (fromTrustedProxy) {
      const fh = req.headers['x-forwarded-host'];
      const fp = req.headers['x-forwarded-proto'];
      if (typeof fh === 'string') own.add(`${typeof fp === 'string' ? fp.split(',')[0].trim() : scheme}://${fh.split(',')[0].trim()}`.toLowerCase());
    }
    return own.has(origin.toLowerCase()) ? undefined : `origin ${origin} is not this server`;
  }

  private deny(
    req: IncomingMessage,
    res: ServerResponse,
    status: 401 | 403,
    message: string,
    method: string,
    path: string,
    identity: Identity | undefined,
    rule: RouteRule | undefined,
    address = plainAddress(req.socket.remoteAddress),
  ): void {
    // Refusals of signed-in users, and refused changes, go to the audit log.
    if (identity || (rule && WRITE_METHODS.has(method))) {
      this.o.audit()?.record({
        actor: { name: identity?.name ?? 'anonymous', address },
        action: (WRITE_METHODS.has(method) && rule && auditActionFor(rule, method)) || 'access.denied',
        target: path,
        detail: `${method} ${path}: ${message}`,
        outcome: 'denied',
      });
    }
    res.setHeader(DENIED_HEADER, status === 401 ? 'sign-in' : 'role');
    const html = /text\/html/.test(String(req.headers.accept ?? '')) && !req.headers.rsc;
    if (!html) {
      const json = /json/.test(String(req.headers.accept ?? '')) || path.startsWith('/api/');
      if (json) {
        const body = JSON.stringify({ error: message });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      } else this.plain(res, status, `${message}\n`);
      return;
    }
    const nonce = newNonce();
    res.setHeader('Content-Security-Policy', `${STRICT_POLICY}; style-src 'nonce-${nonce}'`);
    const title = status === 401 ? 'Sign in' : 'Not allowed';
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · IMPulse</title><style nonce="${nonce}">body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2430}a{color:#0b5cad}</style></head><body><h1>${title}</h1><p>${escapeHtml(message)}</p><p><a href="/">Overview</a>${status === 401 && this.o.security().mode !== 'proxy' ? ' · <a href="/signin">Sign in</a>' : ''}</p></body></html>`;
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  }

  private plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}, head = false): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(head ? undefined : text);
  }
}

const ORDER: Access[] = ['public', 'viewer', 'operator', 'admin', 'token', 'deny'];
function strictest(a: Access, b: Access): Access {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}
