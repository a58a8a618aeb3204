// runtime.security: sign-in (local accounts, LDAP bind, trusted SSO proxy, or none on loopback),
// sessions, the first-admin setup token, account administration and the redacted configuration
// view. The HTTP gate (server/security/gate.ts) asks identify() who each request is.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { stringify } from 'yaml';
import { countAccounts, getAccount, isSessionRevoked, pruneRevokedSessions, recordSignIn, replaceHash, revokeSession } from '../../db/accounts';
import { secretSites } from '../../config/secrets';
import { isLoopbackHost } from '../../config/auth-check';
import type { ImpulseRuntime } from '../runtime';
import type { RuntimeService } from '../services';
import { Accounts } from '../security/accounts';
import { resolveAuth, type ResolvedAuth } from '../security/config';
import { LdapAuthenticator } from '../security/ldap-auth';
import { hashPassword, needsRehash, verifyPassword } from '../security/passwords';
import { passwordProblem } from '../security/policy';
import { plainAddress, ProxyAuthenticator } from '../security/proxy-auth';
import type { Role } from '../security/roles';
import { secretScrubber } from '../security/scrub';
import { loadSessionKey, SessionSealer, type SessionData } from '../security/session';
import { SignInThrottle } from '../security/throttle';
import type { Actorish, AuthMode, Identity, SecurityHandle, SignInResult } from '../security/types';

/** What identify() found: who, and the cookie to refresh or clear. */
export interface IdentifyResult {
  identity?: Identity;
  /** Set-Cookie to send (rolled idle expiry, or clearing an ended session). */
  setCookie?: string;
  /** Why a request carrying credentials is still anonymous (for the refusal). */
  why?: string;
  /** The session behind the identity (sign-out). */
  session?: SessionData;
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'forwarded', 'x-real-ip'];

export class SecurityCore implements SecurityHandle {
  readonly mode: AuthMode;
  readonly gateToken = randomBytes(24).toString('base64url');
  readonly auth: ResolvedAuth;
  readonly sealer?: SessionSealer;
  readonly throttle = new SignInThrottle();
  readonly proxy?: ProxyAuthenticator;
  readonly ldap?: LdapAuthenticator;
  readonly accounts?: Accounts;
  /** The one-time token that creates the first admin (local mode, no accounts yet). */
  setupToken?: string;
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly rt: ImpulseRuntime) {
    const log = rt.log ?? (() => {});
    const configDir = path.dirname(path.resolve(rt.configPath));
    this.auth = resolveAuth(rt.config, configDir, rt.lab !== undefined, (s) => secretScrubber.add(s));
    this.mode = this.auth.mode;
    if (this.mode === 'local' || this.mode === 'ldap') {
      const key = loadSessionKey({ configured: this.auth.sessionKey, dataDir: rt.dataDir, log });
      secretScrubber.add(key);
      this.sealer = new SessionSealer({ key, idleMs: this.auth.idleMs, absoluteMs: this.auth.absoluteMs, secure: this.auth.tls !== undefined });
    }
    if (this.mode === 'proxy') {
      if (!this.auth.proxy) throw new Error('auth.mode: proxy needs an auth.proxy block');
      this.proxy = new ProxyAuthenticator(this.auth.proxy);
    }
    if (this.mode === 'ldap') {
      if (!this.auth.ldap) throw new Error('auth.mode: ldap needs an auth.ldap block');
      if (this.auth.ldap.password) this.auth.ldap.password(); // resolve once: a missing secret fails the start, not the first sign-in
      this.ldap = new LdapAuthenticator(this.auth.ldap);
    }
    if (this.mode === 'local' && rt.db) {
      this.accounts = new Accounts(rt.db, rt.audit);
      if (countAccounts(rt.db) === 0) this.setupToken = randomBytes(18).toString('base64url');
    }
  }

  get session(): SecurityHandle['session'] {
    return this.sealer && { idleSeconds: this.sealer.idleMs / 1000, absoluteSeconds: this.sealer.absoluteMs / 1000 };
  }

  startMaintenance(): void {
    const db = this.rt.db;
    if (!db) return;
    pruneRevokedSessions(db);
    this.pruneTimer = setInterval(() => pruneRevokedSessions(db), 3_600_000);
    this.pruneTimer.unref();
  }

  stop(): void {
    clearInterval(this.pruneTimer);
  }

  /** The client's address as this server can vouch for it. */
  clientAddress(req: IncomingMessage): string {
    return this.proxy ? this.proxy.clientAddress(req) : plainAddress(req.socket.remoteAddress);
  }

  /** Who the request is. Never throws; an unusable credential is anonymous with a reason. */
  async identify(req: IncomingMessage): Promise<IdentifyResult> {
    switch (this.mode) {
      case 'none': {
        // No sign-in: only this machine's own clients, straight to us (not through a proxy), and
        // addressed by a loopback name (a rebinding DNS name would be some other Host).
        const peer = plainAddress(req.socket.remoteAddress);
        const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
        if (!isLoopbackHost(peer)) return { why: 'auth.mode: none serves clients on this machine only' };
        if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) return { why: 'auth.mode: none does not serve requests that came through a proxy; configure auth.mode: proxy' };
        if (!isLoopbackHost(host)) return { why: `auth.mode: none answers only to loopback names (localhost, 127.0.0.1), not '${host}'` };
        return { identity: { name: 'anonymous', role: 'admin', via: 'none' } };
      }
      case 'proxy': {
        const p = this.proxy!.identify(req);
        if (!p) return {};
        if (!p.role) return { why: `${p.user} is ${p.why}` };
        return { identity: { name: p.user, role: p.role, via: 'proxy' } };
      }
      default:
        return this.fromSession(req);
    }
  }

  private async fromSession(req: IncomingMessage): Promise<IdentifyResult> {
    const sealer = this.sealer!;
    const value = sealer.fromCookieHeader(req.headers.cookie);
    if (!value) return {};
    const data = await sealer.open(value);
    const ended = (why: string): IdentifyResult => ({ setCookie: sealer.clearCookie(), why });
    if (!data) return ended('the session has expired; sign in again');
    if (data.mode !== this.mode) return ended('sign-in changed; sign in again');
    const db = this.rt.db;
    if (db && !db.closed && isSessionRevoked(db, data.sid)) return ended('signed out');
    let role: Role = data.role;
    if (data.mode === 'local') {
      const account = db && !db.closed ? getAccount(db, data.user) : undefined;
      if (!account) return ended('the account no longer exists');
      if (account.sessionEpoch !== data.epoch) return ended('the password changed; sign in again');
      role = account.role;
    }
    const touched = sealer.touch(data);
    const setCookie = touched ? sealer.setCookie(await sealer.seal(touched), sealer.maxAge(touched)) : undefined;
    return { identity: { name: data.user, role, via: 'session' }, setCookie, session: data };
  }

  async signIn(input: { username: string; password: string; address: string }): Promise<SignInResult> {
    const audit = (outcome: 'success' | 'failure', detail: string) =>
      this.rt.audit?.record({ actor: { name: input.username.slice(0, 64) || '(empty)', address: input.address }, action: 'auth.signin', target: input.username.slice(0, 64), detail, outcome });
    if (this.mode !== 'local' && this.mode !== 'ldap') return { ok: false, reason: 'mode' };
    const username = input.username.trim();
    const wait = this.throttle.retryAfter(username, input.address);
    if (wait > 0) {
      audit('failure', `throttled (${Math.ceil(wait / 1000)} s left)`);
      return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
    }
    let user: string;
    let role: Role;
    let epoch = 0;
    if (this.mode === 'local') {
      const db = this.rt.db;
      if (!db || db.closed) {
        audit('failure', 'accounts unavailable (no database)');
        return { ok: false, reason: 'unavailable' };
      }
      const account = username ? getAccount(db, username) : undefined;
      const ok = await verifyPassword(account?.passwordHash, input.password);
      if (!ok || !account) {
        this.throttle.failed(username, input.address);
        audit('failure', account ? 'wrong password' : 'unknown user name');
        return { ok: false, reason: 'invalid' };
      }
      if (needsRehash(account.passwordHash)) upgradeHashQuietly(db, account.name, input.password);
      recordSignIn(db, account.name);
      user = account.name;
      role = account.role;
      epoch = account.sessionEpoch;
    } else {
      const r = await this.ldap!.authenticate(username, input.password);
      if (!r.ok) {
        if (r.reason !== 'unavailable') this.throttle.failed(username, input.address);
        audit('failure', `ldap: ${r.detail}`);
        if (r.reason === 'unavailable') this.rt.log?.(`sign-in of ${username}: the directory cannot be used: ${r.detail}`);
        return { ok: false, reason: r.reason };
      }
      user = r.user;
      role = r.role;
    }
    this.throttle.succeeded(username);
    const session = this.sealer!.newSession(user, role, this.mode, epoch);
    const cookie = this.sealer!.setCookie(await this.sealer!.seal(session), this.sealer!.maxAge(session));
    audit('success', `${this.mode} sign-in as ${role}`);
    return { ok: true, user, role, cookie };
  }

  async signOut(cookieHeader: string | undefined, actor: Actorish): Promise<string | undefined> {
    if (!this.sealer) return undefined;
    const data = await this.sealer.open(this.sealer.fromCookieHeader(cookieHeader));
    if (data && this.rt.db && !this.rt.db.closed) revokeSession(this.rt.db, data.sid, data.iat + this.sealer.absoluteMs + 60_000);
    if (data) this.rt.audit?.record({ actor, action: 'auth.signout', target: data.user, outcome: 'success' });
    return this.sealer.clearCookie();
  }

  setupPending(): boolean {
    if (!this.setupToken || !this.rt.db) return false;
    if (countAccounts(this.rt.db) > 0) {
      this.setupToken = undefined; // someone ran `impulse user add` meanwhile
      return false;
    }
    return true;
  }

  async completeSetup(input: { token: string; username: string; password: string; address: string }) {
    const actor = { name: input.username.slice(0, 64) || '(empty)', address: input.address };
    if (!this.setupPending() || !this.accounts) return { ok: false as const, reason: 'done' as const };
    const a = Buffer.from(input.token);
    const b = Buffer.from(this.setupToken!);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      this.throttle.failed('(setup)', input.address);
      this.rt.audit?.record({ actor, action: 'account.setup', detail: 'wrong setup token', outcome: 'failure' });
      return { ok: false as const, reason: 'token' as const };
    }
    const problem = passwordProblem(input.password, input.username);
    if (problem) return { ok: false as const, reason: 'password' as const, message: problem };
    const created = await this.accounts.create(actor, input.username.trim(), 'admin', input.password, 'first administrator, created with the setup token');
    if (!created.ok) return { ok: false as const, reason: 'password' as const, message: created.message };
    this.setupToken = undefined;
    return this.signIn({ username: input.username.trim(), password: input.password, address: input.address });
  }

  redactedConfig(): string {
    const copy = structuredClone(this.rt.config) as unknown as Record<string, unknown>;
    for (const site of secretSites(this.rt.config)) {
      let node: Record<string | number, unknown> = copy;
      for (const k of site.path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
      const last = site.path[site.path.length - 1];
      const ref = String(node[last] ?? '');
      node[last] = /^(env|file):/.test(ref) ? `${ref} (value not shown)` : '•••••••• (inline secret, not shown)';
    }
    return stringify(copy, { lineWidth: 0 });
  }
}

function upgradeHashQuietly(db: NonNullable<ImpulseRuntime['db']>, name: string, password: string): void {
  // Hashes made with older parameters are upgraded at the next good sign-in (sessions stay).
  void hashPassword(password).then((h) => replaceHash(db, name, h));
}

export class SecurityService implements RuntimeService {
  readonly name = 'sign-in';
  core?: SecurityCore;

  start(rt: ImpulseRuntime): void {
    this.core = new SecurityCore(rt);
    rt.security = this.core;
    this.core.startMaintenance();
  }

  stop(): void {
    this.core?.stop();
  }
}
