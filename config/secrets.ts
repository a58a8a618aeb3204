// Resolves secret references ("env:NAME", "file:/path") at the moment a client needs them.
// Values are never logged; errors name the reference, never the value.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigIssue } from './load';
import type { ImpulseConfig } from './schema';
import { isSecretReference } from './secret-ref';

export class SecretError extends Error {
  override name = 'SecretError';
}

/**
 * Returns the secret's value. `inlineAllowed` lets a literal through (clusters with
 * allowInlineSecrets: true, e.g. the lab's generated config). A relative `file:` path is
 * resolved against `dir` (the config file's directory) when given.
 */
export function resolveSecret(ref: string, inlineAllowed = false, env: Readonly<Record<string, string | undefined>> = process.env, dir?: string): string {
  if (ref.startsWith('env:') && isSecretReference(ref)) {
    const name = ref.slice(4);
    const value = env[name];
    if (value === undefined) throw new SecretError(`environment variable ${name} (from ${ref}) is not set; export it in the environment impulse runs in`);
    if (value === '') throw new SecretError(`environment variable ${name} (from ${ref}) is empty`);
    return value;
  }
  if (ref.startsWith('file:') && ref.length > 5) {
    const file = dir ? path.resolve(dir, ref.slice(5)) : ref.slice(5);
    let value: string;
    try {
      value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by this user' : `cannot be read (${code ?? (err as Error).message})`;
      throw new SecretError(`secret file ${file} (from ${ref}) ${why}`);
    }
    if (value === '') throw new SecretError(`secret file ${file} (from ${ref}) is empty`);
    return value;
  }
  if (inlineAllowed) return ref;
  throw new SecretError('a literal secret is not allowed here; use env:NAME or file:/path');
}

/** Every secret reference of a configuration, with where it sits and whether a literal is allowed. */
export interface SecretSite {
  path: (string | number)[];
  ref: string;
  inlineAllowed: boolean;
}

export function secretSites(config: ImpulseConfig): SecretSite[] {
  const out: SecretSite[] = [];
  config.clusters.forEach((c, i) => {
    for (const kind of ['axl', 'os'] as const) {
      const cred = c.credentials?.[kind];
      if (cred) out.push({ path: ['clusters', i, 'credentials', kind, 'password'], ref: cred.password, inlineAllowed: c.allowInlineSecrets === true });
    }
  });
  config.ldap?.forEach((l, i) => out.push({ path: ['ldap', i, 'password'], ref: l.password, inlineAllowed: l.allowInlineSecrets === true }));
  if (config.server?.metricsToken !== undefined) out.push({ path: ['server', 'metricsToken'], ref: config.server.metricsToken, inlineAllowed: false });
  if (config.prometheus?.bearerToken !== undefined) out.push({ path: ['prometheus', 'bearerToken'], ref: config.prometheus.bearerToken, inlineAllowed: false });
  // Security: TLS key passphrase, session key, the sign-in directory's service account.
  if (config.server?.tls?.passphrase !== undefined) out.push({ path: ['server', 'tls', 'passphrase'], ref: config.server.tls.passphrase, inlineAllowed: false });
  if (config.auth?.session?.key !== undefined) out.push({ path: ['auth', 'session', 'key'], ref: config.auth.session.key, inlineAllowed: false });
  if (config.auth?.ldap?.password !== undefined) out.push({ path: ['auth', 'ldap', 'password'], ref: config.auth.ldap.password, inlineAllowed: config.auth.ldap.allowInlineSecrets === true });
  const endpoint = (e: { basicAuth?: { password: string }; bearerToken?: string } | undefined, at: (string | number)[]) => {
    if (e?.basicAuth) out.push({ path: [...at, 'basicAuth', 'password'], ref: e.basicAuth.password, inlineAllowed: false });
    if (e?.bearerToken !== undefined) out.push({ path: [...at, 'bearerToken'], ref: e.bearerToken, inlineAllowed: false });
  };
  config.alerting?.alertmanagers?.forEach((e, i) => endpoint(e, ['alerting', 'alertmanagers', i]));
  config.alerting?.webhooks?.forEach((e, i) => endpoint(e, ['alerting', 'webhooks', i]));
  endpoint(config.alerting?.prometheus, ['alerting', 'prometheus']);
  return out;
}

export interface CheckSecretsOptions {
  file?: string;
  /** Base for relative file: paths (the config file's directory). */
  dir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Line/column of a field, e.g. LoadedConfig.position. */
  position?: (path: readonly PropertyKey[]) => { line: number; column: number };
}

/**
 * Resolves every secret reference and reports the ones that cannot be resolved (unset or empty
 * variables, missing, unreadable or empty files). Issues name the reference, never a value.
 */
export function checkSecrets(config: ImpulseConfig, options: CheckSecretsOptions = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const site of secretSites(config)) {
    try {
      resolveSecret(site.ref, site.inlineAllowed, options.env ?? process.env, options.dir);
    } catch (err) {
      if (!(err instanceof SecretError)) throw err;
      const at = options.position?.(site.path) ?? { line: 0, column: 0 };
      issues.push({ file: options.file ?? '', ...at, field: formatSitePath(site.path), message: err.message });
    }
  }
  return issues;
}

function formatSitePath(p: (string | number)[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}
