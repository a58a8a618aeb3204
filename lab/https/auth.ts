// HTTP Basic against the AXL application user, and the JSESSIONIDSSO single-sign-on cookie
// (wire-formats §0, §3.8): set on every Basic-authenticated response, accepted in place of
// Basic, idle-expired after `ssoCookieIdleMs` (then HTTP 404, and the client re-sends Basic).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LabCredentials } from '../model';

export type AuthResult =
  | { ok: true; /** Set-Cookie values to send (empty when the cookie authenticated). */ setCookies: string[] }
  | { ok: false; status: 401 | 404 };

/** 32 upper-case hex digits, like Tomcat's session ids (`3D63989808D8A7FE32BE0D8BA…`). */
export function newSessionId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookie header → name/value pairs (first occurrence wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** Decoded Basic credentials, or undefined when the header is absent or not Basic. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** One node's SSO sessions (Tomcat's SSO valve is per node). */
export class SsoSessions {
  /** cookie value → last use (real ms). Expired entries stay until swept so they answer 404. */
  private readonly lastUse = new Map<string, number>();

  constructor(
    private readonly credentials: () => LabCredentials['axl'],
    private readonly idleMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.lastUse.size;
  }

  /**
   * Decides a request. `authFail` (the fault) rejects everything with 401. Valid Basic wins and
   * issues a new cookie; otherwise a live JSESSIONIDSSO authenticates; a stale or unknown cookie
   * without Basic → 404 (what CUCM answers, §3.8); nothing usable → 401.
   */
  authenticate(req: IncomingMessage, authFail: boolean, extraCookies: (id: string) => string[] = () => []): AuthResult {
    if (authFail) return { ok: false, status: 401 };
    const basic = basicCredentials(req.headers.authorization);
    if (basic) {
      const want = this.credentials();
      if (sameText(basic.username, want.username) && sameText(basic.password, want.password)) {
        const id = newSessionId();
        this.lastUse.set(id, this.now());
        return { ok: true, setCookies: [`JSESSIONIDSSO=${id}; Path=/; Secure; HttpOnly`, ...extraCookies(newSessionId())] };
      }
      return { ok: false, status: 401 };
    }
    const cookie = parseCookies(req.headers.cookie).get('JSESSIONIDSSO');
    if (cookie === undefined) return { ok: false, status: 401 };
    const last = this.lastUse.get(cookie);
    const now = this.now();
    if (last === undefined || now - last > this.idleMs()) {
      this.lastUse.delete(cookie);
      return { ok: false, status: 404 };
    }
    this.lastUse.set(cookie, now);
    return { ok: true, setCookies: [] };
  }

  /** Drops cookies idle for longer than the expiry (bounded memory under long runs). */
  sweep(): void {
    const now = this.now();
    const idle = this.idleMs();
    for (const [id, last] of this.lastUse) if (now - last > idle) this.lastUse.delete(id);
  }
}
