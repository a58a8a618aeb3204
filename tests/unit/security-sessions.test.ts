// Sessions and sign-in throttling: sealed cookies that end at the idle and the absolute timeout,
// refuse tampering and other keys; a session key generated once with mode 0600; a growing delay
// after repeated failures, per account and per address, the same for unknown accounts.
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSessionKey, SessionSealer, SESSION_KEY_FILE } from '../../server/security/session';
import { SignInThrottle } from '../../server/security/throttle';

const KEY = 'k'.repeat(20) + 'e'.repeat(20);

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('sealed sessions', () => {
  it('opens what it sealed until the idle timeout, rolling forward with activity, and ends at the absolute timeout', async () => {
    const c = clock();
    const s = new SessionSealer({ key: KEY, idleMs: 30 * 60_000, absoluteMs: 2 * 3600_000, secure: false, now: c.now });
    let data = s.newSession('alice', 'operator', 'local', 3);
    let cookie = await s.seal(data);
    expect(await s.open(cookie)).toMatchObject({ user: 'alice', role: 'operator', epoch: 3 });
    c.advance(29 * 60_000);
    expect(await s.open(cookie)).toBeDefined();
    // Activity re-seals with a new last-use time: idle expiry moves on.
    const touched = s.touch(data)!;
    expect(touched.lat).toBe(c.now());
    data = touched;
    cookie = await s.seal(data);
    c.advance(29 * 60_000);
    expect(await s.open(cookie)).toBeDefined();
    c.advance(2 * 60_000);
    expect(await s.open(cookie)).toBeUndefined(); // 31 min idle
    // However active, the session ends at the absolute timeout.
    let d2 = s.newSession('bob', 'viewer', 'local', 0);
    for (let i = 0; i < 5; i++) {
      c.advance(25 * 60_000);
      d2 = s.touch(d2) ?? d2;
    }
    expect(await s.open(await s.seal(d2))).toBeUndefined();
  });

  it('refuses a tampered cookie, a cookie sealed with another key, and junk', async () => {
    const s = new SessionSealer({ key: KEY, idleMs: 60_000, absoluteMs: 3600_000, secure: false });
    const cookie = await s.seal(s.newSession('alice', 'viewer', 'local', 0));
    const flipped = cookie.slice(0, 40) + (cookie[40] === 'A' ? 'B' : 'A') + cookie.slice(41);
    expect(await s.open(flipped)).toBeUndefined();
    const other = new SessionSealer({ key: 'z'.repeat(40), idleMs: 60_000, absoluteMs: 3600_000, secure: false });
    expect(await other.open(cookie)).toBeUndefined();
    for (const junk of ['', 'abc', 'Fe26.2**x*y', 'x'.repeat(5000)]) expect(await s.open(junk)).toBeUndefined();
    expect(() => new SessionSealer({ key: 'short', idleMs: 1, absoluteMs: 1, secure: false })).toThrow(/at least 32/);
  });

  it('sets HttpOnly SameSite=Lax cookies, Secure with the __Host- prefix under TLS', () => {
    const plain = new SessionSealer({ key: KEY, idleMs: 1, absoluteMs: 1, secure: false });
    const tls = new SessionSealer({ key: KEY, idleMs: 1, absoluteMs: 1, secure: true });
    expect(plain.setCookie('v', 60)).toBe('impulse-session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(tls.setCookie('v', 60)).toBe('__Host-impulse-session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(tls.clearCookie()).toMatch(/Max-Age=0; Secure$/);
    expect(plain.fromCookieHeader('a=1; impulse-session=xyz; b=2')).toBe('xyz');
    expect(tls.fromCookieHeader('impulse-session=xyz')).toBeUndefined();
  });

  it('generates the session key once into the data dir with mode 0600, and tightens a loose file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impulse-key-'));
    const log: string[] = [];
    const k1 = loadSessionKey({ dataDir: dir, log: (l) => log.push(l) });
    const file = path.join(dir, SESSION_KEY_FILE);
    expect(k1.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSessionKey({ dataDir: dir, log: (l) => log.push(l) })).toBe(k1);
    writeFileSync(file, readFileSync(file), { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(loadSessionKey({ dataDir: dir, log: (l) => log.push(l) })).toBe(k1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log.join('\n')).toMatch(/readable by other users/);
    // A configured key wins and must be long enough; the message never shows it.
    expect(loadSessionKey({ configured: () => 'c'.repeat(48), dataDir: dir, log: () => {} })).toBe('c'.repeat(48));
    expect(() => loadSessionKey({ configured: () => 'secret-but-short', dataDir: dir, log: () => {} })).toThrow(/has 16 characters; at least 32/);
    try {
      loadSessionKey({ configured: () => 'secret-but-short', dataDir: dir, log: () => {} });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-but-short');
    }
  });
});

describe('sign-in throttle', () => {
  it('lets typos through, then doubles the wait per failure, per account', () => {
    const c = clock();
    const t = new SignInThrottle({ now: c.now, freeAccountFailures: 3, freeAddressFailures: 100 });
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter('alice', '10.0.0.1')).toBe(0);
      t.failed('alice', '10.0.0.1');
    }
    expect(t.retryAfter('alice', '10.0.0.1')).toBe(0);
    t.failed('alice', '10.0.0.1');
    expect(t.retryAfter('alice', '10.0.0.9')).toBe(1000); // the account, from any address
    t.failed('alice', '10.0.0.1');
    expect(t.retryAfter('ALICE', '10.0.0.1')).toBe(2000);
    t.failed('alice', '10.0.0.1');
    expect(t.retryAfter('alice', '10.0.0.1')).toBe(4000);
    expect(t.retryAfter('bob', '10.0.0.1')).toBe(0);
    c.advance(4000);
    expect(t.retryAfter('alice', '10.0.0.1')).toBe(0);
    t.succeeded('alice');
    t.failed('alice', '10.0.0.1');
    expect(t.retryAfter('alice', '10.0.0.1')).toBe(0);
  });

  it('throttles an address spraying many accounts, and unknown accounts like real ones', () => {
    const c = clock();
    const t = new SignInThrottle({ now: c.now, freeAccountFailures: 5, freeAddressFailures: 4 });
    for (let i = 0; i < 5; i++) t.failed(`user${i}`, '192.0.2.7');
    expect(t.retryAfter('anyone', '192.0.2.7')).toBe(1000);
    expect(t.retryAfter('anyone', '192.0.2.8')).toBe(0);
    const u = new SignInThrottle({ now: c.now, freeAccountFailures: 1 });
    u.failed('no-such-user', 'a');
    u.failed('no-such-user', 'b');
    expect(u.retryAfter('no-such-user', 'c')).toBe(1000);
  });

  it('caps the delay at 15 minutes and forgets a quiet key after an hour, within a bounded memory', () => {
    const c = clock();
    const t = new SignInThrottle({ now: c.now, freeAccountFailures: 0, maxEntries: 50 });
    for (let i = 0; i < 40; i++) t.failed('alice', 'x');
    expect(t.retryAfter('alice', 'x')).toBe(15 * 60_000);
    c.advance(61 * 60_000);
    expect(t.retryAfter('alice', 'x')).toBe(0);
    for (let i = 0; i < 200; i++) t.failed(`u${i}`, `a${i}`);
    expect((t as unknown as { entries: Map<string, unknown> }).entries.size).toBeLessThanOrEqual(50);
  });
});
