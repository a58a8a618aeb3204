// Sessions: sealed cookies (iron-session's sealData: AES-256-CBC + HMAC-SHA-256 under the session
// key), HttpOnly, SameSite=Lax, Secure and __Host- prefixed under TLS. A session ends after the
// idle timeout without a request, at the absolute timeout whatever the activity, at sign-out
// (its id is revoked in the database), and when the account's password changes (epoch).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import { ROLES, type Role } from './roles';

export const SESSION_KEY_FILE = 'session.key';
export const MIN_KEY_LENGTH = 32;

const sessionSchema = z.object({
  v: z.literal(1),
  /** Random id: what sign-out revokes. */
  sid: z.string().min(16),
  user: z.string().min(1),
  /** Role at sign-in (ldap); local accounts are looked up on every request. */
  role: z.enum(ROLES),
  mode: z.enum(['local', 'ldap']),
  /** Account's session epoch at sign-in (local). */
  epoch: z.number().int(),
  /** Signed in at / last request, epoch ms. */
  iat: z.number(),
  lat: z.number(),
});
export type SessionData = z.infer<typeof sessionSchema>;

export interface SessionOptions {
  key: string;
  idleMs: number;
  absoluteMs: number;
  /** Serving TLS: Secure cookie with the __Host- prefix. */
  secure: boolean;
  now?: () => number;
}

/** A session that has not been re-sealed for this long gets a fresh cookie (rolling idle expiry). */
const TOUCH_EVERY_MS = 60_000;

export class SessionSealer {
  readonly cookieName: string;
  private readonly now: () => number;
  /** Opened seals by cookie value: a page and its live refreshes send the same cookie for a minute. */
  private readonly cache = new Map<string, SessionData>();

  constructor(private readonly o: SessionOptions) {
    if (o.key.length < MIN_KEY_LENGTH) throw new Error(`the session key must have at least ${MIN_KEY_LENGTH} characters`);
    this.cookieName = o.secure ? '__Host-impulse-session' : 'impulse-session';
    this.now = o.now ?? Date.now;
  }

  get idleMs(): number {
    return this.o.idleMs;
  }

  get absoluteMs(): number {
    return this.o.absoluteMs;
  }

  newSession(user: string, role: Role, mode: 'local' | 'ldap', epoch: number): SessionData {
    const t = this.now();
    return { v: 1, sid: randomBytes(18).toString('base64url'), user, role, mode, epoch, iat: t, lat: t };
  }

  seal(data: SessionData): Promise<string> {
    return sealData(data, { password: this.o.key, ttl: Math.ceil(this.o.absoluteMs / 1000) + 60 });
  }

  /** The session in a cookie value, or undefined when absent, forged, expired (idle or absolute). */
  async open(value: string | undefined): Promise<SessionData | undefined> {
    if (!value || value.length > 4096) return undefined;
    let data = this.cache.get(value);
    if (!data) {
      let raw: unknown;
      try {
        raw = await unsealData(value, { password: this.o.key, ttl: Math.ceil(this.o.absoluteMs / 1000) + 60 });
      } catch {
        return undefined;
      }
      const parsed = sessionSchema.safeParse(raw);
      if (!parsed.success) return undefined;
      data = parsed.data;
      if (this.cache.size >= 2000) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(value, data);
    }
    const t = this.now();
    if (t - data.iat > this.o.absoluteMs || t - data.lat > this.o.idleMs) {
      this.cache.delete(value);
      return undefined;
    }
    return data;
  }

  /** A re-sealed copy when the cookie should be refreshed (idle expiry rolls forward), else undefined. */
  touch(data: SessionData): SessionData | undefined {
    const t = this.now();
    return t - data.lat >= TOUCH_EVERY_MS ? { ...data, lat: t } : undefined;
  }

  /** Seconds the cookie should live: until the absolute expiry. */
  maxAge(data: SessionData): number {
    return Math.max(0, Math.floor((data.iat + this.o.absoluteMs - this.now()) / 1000));
  }

  setCookie(value: string, maxAgeSeconds: number): string {
    return `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${this.o.secure ? '; Secure' : ''}`;
  }

  clearCookie(): string {
    return `${this.cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${this.o.secure ? '; Secure' : ''}`;
  }

  /** The session cookie's value in a Cookie header. */
  fromCookieHeader(header: string | undefined): string | undefined {
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return undefined;
  }
}

/**
 * The key that seals sessions: the configured secret, else `<dataDir>/session.key` (created once,
 * mode 0600, 32 random bytes). A data dir that cannot hold it gives a key for this process only.
 */
export function loadSessionKey(o: { configured?: () => string; dataDir: string; log: (line: string) => void }): string {
  if (o.configured) {
    const key = o.configured();
    if (key.length < MIN_KEY_LENGTH) throw new Error(`auth.session.key: the key has ${key.length} characters; at least ${MIN_KEY_LENGTH} are needed (e.g. openssl rand -base64 48)`);
    return key;
  }
  const file = path.join(o.dataDir, SESSION_KEY_FILE);
  try {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
      o.log(`${file} was readable by other users; its mode is now 0600`);
    }
    const key = readFileSync(file, 'utf8').trim();
    if (key.length >= MIN_KEY_LENGTH) return key;
    o.log(`${file} holds no usable key; writing a new one (everyone signs in again)`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') o.log(`cannot read ${file}: ${(err as Error).message}; writing a new one`);
  }
  const key = randomBytes(32).toString('base64url');
  try {
    mkdirSync(o.dataDir, { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (err) {
    o.log(`cannot write the session key to ${file} (${(err as Error).message}); sessions last until this process stops`);
  }
  return key;
}
