// auth.mode: ldap — sign in by binding to the directory as the user (ldapts). The user's entry is
// found with a service account (bindDn + userFilter under baseDn) or built from a DN template
// (userDn); the role comes from group membership (memberOf, or a group search), mapped through
// auth.ldap.roles. The password is sent only in the bind and never logged.
import { Client, InvalidCredentialsError, type Entry } from 'ldapts';
import { ldapClientOptions } from '../../collectors/clients/ldap';
import type { Trust } from '../../collectors/clients/trust';
import type { Role } from './roles';
import { higherRole } from './roles';

export interface LdapAuthOptions {
  url: string;
  bindDn?: string;
  /** Service account password, read when needed. */
  password?: () => string;
  baseDn?: string;
  userFilter: string;
  userDn?: string;
  groupAttribute: string;
  groupBaseDn?: string;
  groupFilter: string;
  roles: Partial<Record<Role, string[]>>;
  trust: Trust;
  timeoutMs: number;
}

export type LdapResult =
  | { ok: true; user: string; role: Role; groups: string[] }
  /** invalid: unknown user or wrong password (one answer for both); norole: signed in but in no mapped group. */
  | { ok: false; reason: 'invalid' | 'norole' | 'unavailable'; detail: string };

/** RFC 4515 §3: a value inside a search filter. */
export function escapeFilter(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** RFC 4514 §2.4: a value inside a DN. */
export function escapeDn(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/\0/g, '\\00')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** DNs compare case-insensitively and without spaces after separators. */
export function normaliseDn(dn: string): string {
  return dn.trim().replace(/\s*([,=+])\s*/g, '$1').toLowerCase();
}

function values(e: Entry | undefined, attr: string): string[] {
  const v = e?.[attr];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

/** The highest role any of the groups grants. */
export function roleFromGroups(groups: readonly string[], roles: Partial<Record<Role, string[]>>, compare: (g: string) => string = normaliseDn): Role | undefined {
  const have = new Set(groups.map(compare));
  let role: Role | undefined;
  for (const r of ['viewer', 'operator', 'admin'] as const) {
    if ((roles[r] ?? []).some((g) => have.has(compare(g)))) role = higherRole(role, r);
  }
  return role;
}

export class LdapAuthenticator {
  constructor(private readonly o: LdapAuthOptions) {}

  private client(): Client {
    return new Client(ldapClientOptions(this.o.url, this.o.trust, this.o.timeoutMs));
  }

  async authenticate(username: string, password: string): Promise<LdapResult> {
    // An empty password would be an anonymous bind, which succeeds on most directories.
    if (!username || !password || /[\0\r\n]/.test(username)) return { ok: false, reason: 'invalid', detail: 'empty user name or password' };
    const c = this.client();
    try {
      let dn: string;
      let entry: Entry | undefined;
      if (this.o.bindDn) {
        try {
          await c.bind(this.o.bindDn, this.o.password?.() ?? '');
        } catch (err) {
          const why = err instanceof InvalidCredentialsError ? 'invalid credentials' : (err as Error).message;
          return { ok: false, reason: 'unavailable', detail: `the service account ${this.o.bindDn} cannot bind: ${why}` };
        }
        const filter = this.o.userFilter.replaceAll('{username}', escapeFilter(username));
        const { searchEntries } = await c.search(this.o.baseDn!, { scope: 'sub', filter, attributes: ['dn', this.o.groupAttribute], sizeLimit: 2 });
        if (searchEntries.length !== 1) return { ok: false, reason: 'invalid', detail: searchEntries.length ? 'the user filter matches more than one entry' : 'no such user' };
        entry = searchEntries[0];
        dn = entry.dn;
        await c.bind(dn, password);
      } else {
        dn = this.o.userDn!.replaceAll('{username}', escapeDn(username));
        await c.bind(dn, password);
        const { searchEntries } = await c.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [this.o.groupAttribute] }).catch(() => ({ searchEntries: [] as Entry[] }));
        entry = searchEntries[0];
      }
      let groups = values(entry, this.o.groupAttribute);
      if (this.o.groupBaseDn) {
        const filter = this.o.groupFilter.replaceAll('{dn}', escapeFilter(dn)).replaceAll('{username}', escapeFilter(username));
        const { searchEntries } = await c.search(this.o.groupBaseDn, { scope: 'sub', filter, attributes: ['dn'] });
        groups = [...groups, ...searchEntries.map((g) => g.dn)];
      }
      const role = roleFromGroups(groups, this.o.roles);
      if (!role) return { ok: false, reason: 'norole', detail: `in no group of auth.ldap.roles (${groups.length} group${groups.length === 1 ? '' : 's'})` };
      return { ok: true, user: username, role, groups };
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return { ok: false, reason: 'invalid', detail: 'wrong password' };
      const e = err as NodeJS.ErrnoException;
      // The message of a bind error never holds the password (ldapts reports codes and DNs).
      return { ok: false, reason: 'unavailable', detail: `${e.code ? `${e.code} ` : ''}${e.message}` };
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }
}
