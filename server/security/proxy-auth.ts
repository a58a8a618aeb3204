// auth.mode: proxy — a single-sign-on proxy in front (oauth2-proxy, a corporate SSO gateway) signs
// the user in and passes the name in a header. That header is believed ONLY on connections from
// the configured proxy addresses; from anywhere else it is removed and the request is anonymous.
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { parseAddressOrCidr } from '../../config/auth-check';
import { roleFromGroups } from './ldap-auth';
import type { Role } from './roles';

export interface ProxyAuthOptions {
  header: string;
  groupsHeader?: string;
  trustedProxies: string[];
  roles?: Partial<Record<Role, string[]>>;
  defaultRole: Role | 'none';
}

/** "::ffff:10.0.0.1" → "10.0.0.1". */
export function plainAddress(a: string | undefined): string {
  if (!a) return 'unknown';
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export class TrustedProxies {
  private readonly list = new BlockList();
  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const p = parseAddressOrCidr(e);
      if (!p) throw new Error(`auth.proxy.trustedProxies: '${e}' is not an IP address or CIDR`);
      this.list.addSubnet(p.address, p.prefix, p.family);
    }
  }
  has(address: string): boolean {
    const a = plainAddress(address);
    const family = isIP(a);
    return family !== 0 && this.list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}

export type ProxyIdentity = { user: string; role: Role } | { user: string; role: undefined; why: string } | undefined;

export class ProxyAuthenticator {
  readonly trusted: TrustedProxies;
  private readonly header: string;
  private readonly groupsHeader: string | undefined;

  constructor(private readonly o: ProxyAuthOptions) {
    this.trusted = new TrustedProxies(o.trustedProxies);
    this.header = o.header.toLowerCase();
    this.groupsHeader = o.groupsHeader?.toLowerCase();
  }

  /** The client's address: the socket, or — through a trusted proxy — the last hop it did not add. */
  clientAddress(req: IncomingMessage): string {
    const peer = plainAddress(req.socket.remoteAddress);
    if (!this.trusted.has(peer)) return peer;
    const hops = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((h) => plainAddress(h.trim()))
      .filter((h) => isIP(h) !== 0);
    for (let i = hops.length - 1; i >= 0; i--) if (!this.trusted.has(hops[i])) return hops[i];
    return peer;
  }

  /**
   * Who the proxy says this is. Removes the identity headers from untrusted requests, so nothing
   * downstream can read a forged one.
   */
  identify(req: IncomingMessage): ProxyIdentity {
    const fromProxy = this.trusted.has(plainAddress(req.socket.remoteAddress));
    const raw = req.headers[this.header];
    if (!fromProxy) {
      delete req.headers[this.header];
      if (this.groupsHeader) delete req.headers[this.groupsHeader];
      return undefined;
    }
    const user = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!user || user.length > 256 || /[\0\r\n]/.test(user)) return undefined;
    const groupsRaw = this.groupsHeader ? req.headers[this.groupsHeader] : undefined;
    const groups = (Array.isArray(groupsRaw) ? groupsRaw.join(',') : (groupsRaw ?? ''))
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    const role = roleFromGroups(groups, this.o.roles ?? {}, (g) => g.trim().toLowerCase()) ?? (this.o.defaultRole === 'none' ? undefined : this.o.defaultRole);
    if (!role) return { user, role: undefined, why: 'in no group of auth.proxy.roles' };
    return { user, role };
  }
}
