// The LDAP cross-check (reference/userid-uri-troubleshooter.md §6 A15, §2.9 step 6): "The user ID and
// directory URI fields in the user profile may be mapped to the LDAP Directory. In that case, apply
// the fix in the LDAP Directory server." Each flagged user is looked up by user ID in every configured
// directory (ldap[] in the configuration; the first entry found wins); the checks then say, per user,
// whether the offending value is the entry's (checks/user-common.ts ldapSource).
import { LdapDirectory } from '../../collectors/clients/ldap';
import { trustOf } from '../../collectors/engine/clients';
import { errorKind } from '../../collectors/errors';
import { readSecret, type InventoryLdap } from '../../config/resolve';
import type { LdapCrossCheck, LdapEntry } from './dataset';

export interface LdapCheckOptions {
  timeoutMs: number;
  /** User IDs per search. */
  batch?: number;
  onRequest?(directory: string): void;
}

export async function crossCheckLdap(directories: readonly InventoryLdap[], userIds: readonly string[], o: LdapCheckOptions): Promise<LdapCrossCheck> {
  const byUserId = new Map<string, LdapEntry>();
  const result: LdapCrossCheck = { directories: [], byUserId };
  const wanted = [...new Set(userIds.map((u) => u.toLowerCase()))];
  for (const cfg of directories) {
    const remaining = wanted.filter((u) => !byUserId.has(u));
    const dir = new LdapDirectory({
      name: cfg.name,
      url: cfg.url,
      bindDn: cfg.bindDn,
      password: () => readSecret(cfg.password),
      baseDn: cfg.baseDn,
      userFilter: cfg.userFilter,
      userIdAttribute: cfg.userIdAttribute,
      mailAttribute: cfg.mailAttribute,
      trust: trustOf(cfg.tls),
      timeoutMs: o.timeoutMs,
      hooks: { onRequest: () => o.onRequest?.(cfg.name) },
    });
    try {
      const found = remaining.length ? await dir.lookupUsers(remaining, o.batch ?? 100) : [];
      let n = 0;
      for (const u of found) {
        const key = u.userId?.toLowerCase();
        if (!key || byUserId.has(key)) continue;
        byUserId.set(key, { directory: cfg.name, dn: u.dn, userId: u.userId, mail: u.mail });
        n++;
      }
      result.directories.push({ name: cfg.name, ok: true, lookedUp: remaining.length, found: n });
    } catch (err) {
      result.directories.push({ name: cfg.name, ok: false, error: `${errorKind(err)}: ${(err as Error).message}`, lookedUp: remaining.length, found: 0 });
    } finally {
      await dir.close();
    }
  }
  return result;
}
