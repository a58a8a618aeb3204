// The corporate directory CUCM synchronises users from (`ldap[]` in the config), read to compare
// its user IDs and mail addresses with CUCM's and IM&P's (user-ID / directory-URI validation).
//
//   const dir = new LdapDirectory({ name: 'corp', url: 'ldaps://dc1:636', bindDn, password: () => secret,
//                                   baseDn: 'ou=users,dc=example,dc=com', trust });
//   for await (const page of dir.users()) …;   // or: await dir.listUsers()
//   await dir.close();
//
// TLS is verified (ldaps:// URLs; CUCM itself supports LDAPS but not StartTLS, topology.md);
// paged results (RFC 2696) keep each answer small; errors are CollectErrors.
import { connect as tlsConnect } from 'node:tls';
import { Client, Filter, InvalidCredentialsError, InsufficientAccessError, NoSuchObjectError, type Entry } from 'ldapts';
import { CollectError } from '../errors';
import { gate, report, type RequestHooks } from './hooks';
import { checkPinned, isTlsErrorCode, tlsOptionsFor, type Trust } from './trust';

export interface LdapDirectoryOptions {
  /** Directory name from the config (messages, hooks). */
  name: string;
  /** ldap://host:port or ldaps://host:port. */
  url: string;
  bindDn: string;
  /** Read at bind time, never stored or logged. */
  password: () => string;
  baseDn: string;
  /** RFC 4515 filter. Default "(objectClass=person)". */
  userFilter?: string;
  /** Attribute holding the user ID (sAMAccountName in AD, uid in OpenLDAP). Default "uid". */
  userIdAttribute?: string;
  /** Attribute holding the mail / directory URI. Default "mail". */
  mailAttribute?: string;
  trust?: Trust;
  /** Per operation, ms. Default 30 000. */
  timeoutMs?: number;
  /** Entries per page. Default 500. */
  pageSize?: number;
  hooks?: RequestHooks;
}

export interface DirectoryUser {
  dn: string;
  /** undefined when the entry has no user ID attribute. */
  userId?: string;
  mail?: string;
}

export class LdapDirectory {
  private client: Client | undefined;
  /** Set when the leaf certificate was not pinned (the socket error that follows is generic). */
  private pinProblem: string | undefined;
  private readonly opts: LdapDirectoryOptions;

  constructor(opts: LdapDirectoryOptions) {
    if (!/^ldaps?:\/\//i.test(opts.url)) throw new CollectError('config', `LDAP ${opts.name}: URL must start with ldap:// or ldaps://`);
    this.opts = opts;
  }

  /** Binds (once per connection); rejects with 'auth' for bad credentials. */
  async bind(): Promise<void> {
    await this.op('bind', async () => {
      if (this.client?.isConnected) return;
      const client = this.newClient();
      let password: string;
      try {
        password = this.opts.password();
      } catch (err) {
        throw new CollectError('config', `LDAP ${this.opts.name}: bind password unavailable: ${(err as Error).message}`, { cause: err });
      }
      try {
        await client.bind(this.opts.bindDn, password);
      } catch (err) {
        await client.unbind().catch(() => undefined);
        throw err;
      }
      this.client = client;
    });
  }

  /** Users page by page (each page one round trip). */
  async *users(): AsyncGenerator<DirectoryUser[]> {
    await this.bind();
    const client = this.client!;
    const idAttr = this.opts.userIdAttribute ?? 'uid';
    const mailAttr = this.opts.mailAttribute ?? 'mail';
    const pages = client.searchPaginated(this.opts.baseDn, {
      scope: 'sub',
      filter: this.opts.userFilter ?? '(objectClass=person)',
      attributes: [idAttr, mailAttr],
      paged: { pageSize: this.opts.pageSize ?? 500 },
    });
    for (;;) {
      const next = await this.op('search', () => pages.next());
      if (next.done) return;
      yield next.value.searchEntries.map((e) => toUser(e, idAttr, mailAttr));
    }
  }

  /**
   * The entries of the given user IDs (values escaped, RFC 4515), in batches of `batch` IDs per
   * search: how the troubleshooter looks up the users it flags without reading the whole directory.
   */
  async lookupUsers(userIds: readonly string[], batch = 100): Promise<DirectoryUser[]> {
    await this.bind();
    const idAttr = this.opts.userIdAttribute ?? 'uid';
    const mailAttr = this.opts.mailAttribute ?? 'mail';
    const base = this.opts.userFilter ?? '(objectClass=person)';
    const out: DirectoryUser[] = [];
    for (let i = 0; i < userIds.length; i += batch) {
      const ids = userIds.slice(i, i + batch);
      const any = ids.map((id) => `(${idAttr}=${Filter.escape(id)})`).join('');
      const filter = `(&${base.startsWith('(') ? base : `(${base})`}${ids.length > 1 ? `(|${any})` : any})`;
      const res = await this.op('search', () => this.client!.search(this.opts.baseDn, { scope: 'sub', filter, attributes: [idAttr, mailAttr], paged: { pageSize: this.opts.pageSize ?? 500 } }));
      out.push(...res.searchEntries.map((e) => toUser(e, idAttr, mailAttr)));
    }
    return out;
  }

  /** Every user under baseDn matching the filter. */
  async listUsers(): Promise<DirectoryUser[]> {
    const all: DirectoryUser[] = [];
    for await (const page of this.users()) all.push(...page);
    return all;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.unbind().catch(() => undefined);
  }

  private newClient(): Client {
    this.pinProblem = undefined;
    return new Client(ldapClientOptions(this.opts.url, this.opts.trust ?? { mode: 'system' }, this.opts.timeoutMs ?? 30_000, (message) => (this.pinProblem = message)));
  }

  private async op<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const info = { node: this.opts.name, protocol: 'ldap' as const, operation };
    await gate(this.opts.hooks, info);
    const started = performance.now();
    try {
      const v = await fn();
      report(this.opts.hooks, { ...info, outcome: 'ok', sent: true, durationMs: performance.now() - started });
      return v;
    } catch (err) {
      const e = this.classify(err, operation);
      report(this.opts.hooks, { ...info, outcome: e.kind, sent: true, durationMs: performance.now() - started });
      if (e.kind !== 'fault') await this.close();
      throw e;
    }
  }

  private classify(err: unknown, operation: string): CollectError {
    if (err instanceof CollectError) return err;
    const e = err as NodeJS.ErrnoException;
    const where = `LDAP ${this.opts.name}: ${operation}`;
    if (this.pinProblem) return new CollectError('tls', `${where}: TLS verification failed: ${this.pinProblem}`, { cause: err });
    if (err instanceof InvalidCredentialsError) return new CollectError('auth', `${where}: invalid credentials for ${this.opts.bindDn}`, { cause: err });
    if (err instanceof InsufficientAccessError) return new CollectError('auth', `${where}: insufficient access for ${this.opts.bindDn}`, { cause: err });
    if (err instanceof NoSuchObjectError) return new CollectError('fault', `${where}: base DN ${this.opts.baseDn} does not exist`, { cause: err });
    if (isTlsErrorCode(e.code)) return new CollectError('tls', `${where}: TLS verification failed: ${e.code}: ${e.message}`, { cause: err });
    if (/timeout|timed out/i.test(e.message ?? '') || e.code === 'ETIMEDOUT') return new CollectError('timeout', `${where}: ${e.message}`, { cause: err });
    if (e.code && /^E[A-Z]+$/.test(e.code)) return new CollectError('connection', `${where}: ${e.code} ${e.message}`, { cause: err });
    if (/connection|socket|closed/i.test(e.message ?? '')) return new CollectError('connection', `${where}: ${e.message}`, { cause: err });
    return new CollectError('fault', `${where}: ${e.name}: ${e.message}`, { cause: err });
  }
}

/**
 * ldapts client options for a URL and a trust: TLS verified for ldaps:// (ldapts speaks TLS
 * whenever tlsOptions are given, so only then), pinned leaves checked before anything — the
 * bind — is written. Shared with the sign-in directory (server/security/ldap-auth.ts).
 */
export function ldapClientOptions(url: string, trust: Trust, timeoutMs: number, onPinProblem?: (message: string) => void): ConstructorParameters<typeof Client>[0] {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const secure = /^ldaps:/i.test(url);
  return {
    url,
    timeout: timeoutMs,
    connectTimeout: timeoutMs,
    ...(secure ? { tlsOptions: tlsOptionsFor(trust, [host]) } : {}),
    strictDN: false,
    ...(secure && trust.mode === 'fingerprints'
      ? {
          createSecureConnection: ((...args: Parameters<typeof tlsConnect>) => {
            const socket = tlsConnect(...args);
            socket.once('secureConnect', () => {
              const err = checkPinned(trust, socket);
              if (err) {
                onPinProblem?.(err.message);
                socket.destroy(err);
              }
            });
            return socket;
          }) as typeof tlsConnect,
        }
      : {}),
  };
}

function toUser(e: Entry, idAttr: string, mailAttr: string): DirectoryUser {
  return { dn: e.dn, userId: first(e[idAttr]), mail: first(e[mailAttr]) };
}

function first(v: Entry[string] | undefined): string | undefined {
  if (v === undefined) return undefined;
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined) return undefined;
  return Buffer.isBuffer(x) ? x.toString('utf8') : String(x);
}
