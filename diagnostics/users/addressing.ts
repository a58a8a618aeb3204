// A cluster's IM address scheme and default domain, as its users' IM addresses show them.
//
// Cisco sets both in Presence > Settings > Advanced Configuration and names no database source for
// them (reference/userid-uri-troubleshooter.md §6 A8: "DB source not named in the text"). What AXL
// does show is each user's IM address: IM&P's `enduser.imaddress` (TechNote 217518 column list,
// wire-formats §3.5), which IM&P derives from the scheme. IMPulse therefore infers (a tool choice):
// a user whose IM address is its directory URI is addressed by the Directory URI scheme; a user
// whose IM address is `<userid>@<domain>` by UserID@[Default_Domain], and that domain is the
// cluster's default domain. The majority of a cluster's users decides; the counts are kept as
// evidence. Under the Directory URI scheme the default domain does not appear in any address.
import { domainOf, userIdImAddress } from './syntax';
import { IM_AS_URI, IM_AS_USERID, type UserTable } from './table';

export type ImAddressScheme = 'UserID@[Default_Domain]' | 'Directory URI';

export interface Addressing {
  /** null when the cluster has no assigned users with an IM address. */
  scheme: ImAddressScheme | null;
  /** The default domain (UserID scheme only), as the IM addresses print it. */
  defaultDomain: string | null;
  /** Users whose IM address is their directory URI / is userid@domain / neither. */
  evidence: { directoryUri: number; userId: number; other: number };
  /** Domains of the users' IM addresses (the domains the cluster hosts for IM), with counts. */
  imDomains: Array<{ domain: string; users: number }>;
}

export function inferAddressing(table: UserTable, rows: readonly number[]): Addressing {
  let directoryUri = 0;
  let userId = 0;
  let other = 0;
  const uidDomains = new Map<string, number>();
  const imDomains = new Map<string, number>();
  const byIndex = new Map<number, number>();
  for (const r of rows) {
    const kind = table.imKind[r];
    if (kind === IM_AS_USERID) {
      // The table keeps these as user ID + domain index: count without building the address.
      userId++;
      const d = table.imDomain[r];
      byIndex.set(d, (byIndex.get(d) ?? 0) + 1);
      continue;
    }
    const im = table.imAddress(r);
    if (!im) continue;
    const d = domainOf(im);
    imDomains.set(d, (imDomains.get(d) ?? 0) + 1);
    const uri = table.uri[r];
    if (kind === IM_AS_URI || (uri && im.toLowerCase() === uri.toLowerCase())) {
      directoryUri++;
      continue;
    }
    const at = im.lastIndexOf('@');
    if (at > 0 && im.slice(0, at).toLowerCase() === userIdImAddress(table.userid[r], '').slice(0, -1).toLowerCase()) {
      userId++;
      // The domain as printed (DOMAIN.NOT.SET keeps its case).
      const printed = im.slice(at + 1);
      uidDomains.set(printed, (uidDomains.get(printed) ?? 0) + 1);
    } else other++;
  }
  for (const [d, n] of byIndex) {
    const printed = table.imDomains[d];
    uidDomains.set(printed, (uidDomains.get(printed) ?? 0) + n);
    imDomains.set(printed.toLowerCase(), (imDomains.get(printed.toLowerCase()) ?? 0) + n);
  }
  const scheme: ImAddressScheme | null = directoryUri + userId === 0 ? null : directoryUri > userId ? 'Directory URI' : 'UserID@[Default_Domain]';
  let defaultDomain: string | null = null;
  if (scheme === 'UserID@[Default_Domain]') {
    let best = 0;
    for (const [d, n] of uidDomains) if (n > best) [defaultDomain, best] = [d, n];
  }
  return {
    scheme,
    defaultDomain,
    evidence: { directoryUri, userId, other },
    imDomains: [...imDomains].map(([domain, users]) => ({ domain, users })).sort((a, b) => b.users - a.users || a.domain.localeCompare(b.domain)),
  };
}
