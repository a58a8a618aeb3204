// The auth block of the configuration, with every default applied and every path resolved.
import { parseDuration, type ImpulseConfig } from '../../config/schema';
import { resolveConfigPath } from '../../config/load';
import { resolveSecret } from '../../config/secrets';
import { resolveTrust } from '../../collectors/clients/trust';
import { DEFAULT_AUTH_MODE } from '../../config/auth-check';
import type { LdapAuthOptions } from './ldap-auth';
import type { ProxyAuthOptions } from './proxy-auth';
import type { AuthMode } from './types';

export interface ResolvedAuth {
  mode: AuthMode;
  /** Why this mode: 'configured', 'default', or 'built-in lab'. */
  modeFrom: 'configured' | 'default' | 'built-in lab';
  sessionKey?: () => string;
  idleMs: number;
  absoluteMs: number;
  ldap?: LdapAuthOptions;
  proxy?: ProxyAuthOptions;
  origins: string[];
  tls?: { certFile: string; keyFile: string; passphrase?: () => string };
}

const seconds = (v: unknown, fallback: number) => (typeof v === 'number' ? v : (parseDuration(v) ?? fallback));

/** The mode in force: configured, else `none` for the built-in lab, else local. */
export function effectiveAuthMode(config: ImpulseConfig, lab: boolean): { mode: AuthMode; from: ResolvedAuth['modeFrom'] } {
  if (config.auth?.mode) return { mode: config.auth.mode, from: 'configured' };
  return lab ? { mode: 'none', from: 'built-in lab' } : { mode: DEFAULT_AUTH_MODE, from: 'default' };
}

/** `dir` is the configuration file's directory (relative paths and file: secrets). */
export function resolveAuth(config: ImpulseConfig, dir: string, lab: boolean, register: (secret: string) => void = () => {}): ResolvedAuth {
  const a = config.auth;
  const { mode, from } = effectiveAuthMode(config, lab);
  const secret = (ref: string, inline = false) => () => {
    const v = resolveSecret(ref, inline, process.env, dir);
    register(v);
    return v;
  };
  const out: ResolvedAuth = {
    mode,
    modeFrom: from,
    sessionKey: a?.session?.key ? secret(a.session.key) : undefined,
    idleMs: seconds(a?.session?.idleTimeout, 3600) * 1000,
    absoluteMs: seconds(a?.session?.absoluteTimeout, 12 * 3600) * 1000,
    origins: (a?.origins ?? []).map((o) => o.toLowerCase()),
  };
  if (a?.ldap) {
    const l = a.ldap;
    out.ldap = {
      url: l.url,
      bindDn: l.bindDn,
      password: l.password ? secret(l.password, l.allowInlineSecrets === true) : undefined,
      baseDn: l.baseDn,
      userFilter: l.userFilter ?? '(uid={username})',
      userDn: l.userDn,
      groupAttribute: l.groupAttribute ?? 'memberOf',
      groupBaseDn: l.groupBaseDn,
      groupFilter: l.groupFilter ?? '(member={dn})',
      roles: l.roles,
      trust: resolveTrust(l.tls && { ...l.tls, caBundle: l.tls.caBundle ? resolveConfigPath(l.tls.caBundle, dir) : undefined }, 'auth.ldap.tls'),
      timeoutMs: seconds(l.timeout, 10) * 1000,
    };
  }
  if (a?.proxy) {
    const p = a.proxy;
    out.proxy = { header: p.header ?? 'X-Forwarded-User', groupsHeader: p.groupsHeader, trustedProxies: p.trustedProxies, roles: p.roles, defaultRole: p.defaultRole ?? 'viewer' };
  }
  const t = config.server?.tls;
  if (t) out.tls = { certFile: resolveConfigPath(t.certificate, dir), keyFile: resolveConfigPath(t.key, dir), passphrase: t.passphrase ? secret(t.passphrase) : undefined };
  return out;
}
