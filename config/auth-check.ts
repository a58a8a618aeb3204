// Cross-field rules of the `auth` block and `server.tls` (security). Like cross-check.ts they read
// unvalidated input defensively, so `impulse config check` reports them in the same round as
// shape errors. The one rule that depends on where the product listens (auth.mode none) is also
// applied at start-up with the effective address (a --listen override), see authModeProblem().
import { isIP } from 'node:net';
import { isSecretReference } from './secret-ref';

interface Issue {
  path: (string | number)[];
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The default auth mode when the configuration has no `auth` block. */
export const DEFAULT_AUTH_MODE = 'local';

/** "host:port" → host ('' for ":3000", all interfaces), brackets removed. */
export function listenHost(listen: string): string {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):\d+$/.exec(listen) ?? /^(.*):\d+$/.exec(listen);
  return (m?.[1] ?? m?.[2] ?? '').toLowerCase();
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Why `mode` cannot serve on `listen`, or undefined. `none` means no sign-in at all: only a
 * loopback listener keeps other machines out.
 */
export function authModeProblem(mode: string, listen: string, listenFrom = 'server.listen'): string | undefined {
  if (mode !== 'none') return undefined;
  const host = listenHost(listen);
  if (isLoopbackHost(host)) return undefined;
  const where = host === '' || host === '0.0.0.0' || host === '::' ? 'every network interface' : host;
  return `auth.mode: none (no sign-in) is only allowed while listening on loopback (127.0.0.1, ::1 or localhost), but ${listenFrom} is ${listen}, which is reachable on ${where}; set auth.mode to local, ldap or proxy, or listen on 127.0.0.1`;
}

/** A trusted proxy entry: an IP address or CIDR (10.0.0.0/8, fd00::/8). */
export function parseAddressOrCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, bits, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const v = isIP(address);
  if (v === 0) return undefined;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

const literal = (what: string) => `a literal ${what} is not allowed: use env:NAME or file:/path`;

export function checkAuthConfig(input: Obj): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  const server = isObj(input.server) ? input.server : undefined;

  const tls = server && isObj(server.tls) ? server.tls : undefined;
  const passphrase = tls ? str(tls.passphrase) : undefined;
  if (passphrase && !isSecretReference(passphrase)) add(['server', 'tls', 'passphrase'], literal('passphrase'));

  const auth = isObj(input.auth) ? input.auth : undefined;
  if (!auth) return issues;
  const mode = str(auth.mode);
  const listen = (server && str(server.listen)) ?? '127.0.0.1:3000';
  if (mode) {
    const problem = authModeProblem(mode, listen);
    if (problem) add(['auth', 'mode'], problem);
  }

  const session = isObj(auth.session) ? auth.session : undefined;
  const key = session ? str(session.key) : undefined;
  if (key && !isSecretReference(key)) add(['auth', 'session', 'key'], literal('session key'));
  if (session && typeof session.idleTimeout === 'number' && typeof session.absoluteTimeout === 'number' && session.idleTimeout > session.absoluteTimeout) {
    add(['auth', 'session', 'idleTimeout'], `must not be longer than auth.session.absoluteTimeout (${session.absoluteTimeout} s)`);
  }

  const ldap = isObj(auth.ldap) ? auth.ldap : undefined;
  if (mode === 'ldap' && auth.ldap === undefined) add(['auth'], 'auth.mode: ldap needs an auth.ldap block (url, how to find the user, and the groups of each role)');
  if (ldap) {
    const at = (...p: (string | number)[]) => ['auth', 'ldap', ...p];
    const password = str(ldap.password);
    if (password && !isSecretReference(password) && ldap.allowInlineSecrets !== true) add(at('password'), `${literal('password')} (or set allowInlineSecrets: true, for labs only)`);
    if (ldap.bindDn !== undefined) {
      if (ldap.password === undefined) add(at('password'), 'required with bindDn: the service account password (env:NAME or file:/path)');
      if (ldap.baseDn === undefined) add(at('baseDn'), 'required with bindDn: where the service account searches for users');
    } else if (ldap.userDn === undefined) {
      add(at('userDn'), 'required without bindDn: the user DN with {username}, e.g. uid={username},ou=people,dc=example,dc=com (or set bindDn, password and baseDn to search for users)');
    }
    const userDn = str(ldap.userDn);
    if (userDn !== undefined && !userDn.includes('{username}')) add(at('userDn'), 'must contain {username}');
    const filter = str(ldap.userFilter);
    if (filter !== undefined && !filter.includes('{username}')) add(at('userFilter'), 'must contain {username}');
    const gfilter = str(ldap.groupFilter);
    if (gfilter !== undefined && !gfilter.includes('{dn}')) add(at('groupFilter'), 'must contain {dn} (the user\'s DN)');
    if (ldap.groupFilter !== undefined && ldap.groupBaseDn === undefined) add(at('groupBaseDn'), 'required with groupFilter: where groups are searched');
    const roles = isObj(ldap.roles) ? ldap.roles : undefined;
    if (roles && !['admin', 'operator', 'viewer'].some((r) => Array.isArray(roles[r]) && (roles[r] as unknown[]).length > 0)) {
      add(at('roles'), 'name at least one group (admin, operator or viewer): a user in none of them cannot sign in');
    }
    const ltls = isObj(ldap.tls) ? ldap.tls : undefined;
    if (ltls && [ltls.caBundle !== undefined, ltls.fingerprints !== undefined, ltls.insecure === true].filter(Boolean).length > 1) {
      add(at('tls'), 'conflicting TLS modes: choose one of caBundle, fingerprints or insecure: true');
    }
  }

  const proxy = isObj(auth.proxy) ? auth.proxy : undefined;
  if (mode === 'proxy' && auth.proxy === undefined) add(['auth'], 'auth.mode: proxy needs an auth.proxy block (trustedProxies, and the header your proxy sets)');
  if (proxy && Array.isArray(proxy.trustedProxies)) {
    proxy.trustedProxies.forEach((p, i) => {
      if (typeof p === 'string' && !parseAddressOrCidr(p)) add(['auth', 'proxy', 'trustedProxies', i], `expected an IP address or CIDR such as 10.0.0.5 or 10.0.0.0/24, got ${JSON.stringify(p)}`);
    });
  }
  return issues;
}
