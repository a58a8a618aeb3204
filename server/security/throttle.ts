// Sign-in throttling, per account and per client address, with a growing delay: the first few
// failures are free (typos), then each failure doubles the wait before the next attempt is even
// checked (1 s, 2 s, 4 s … up to 15 min). An unknown account name is throttled exactly like a
// real one, so the answers never tell which accounts exist. A quiet key is forgotten after an
// hour. Kept in memory, bounded: a restart forgets it, which an attacker cannot cause.
export interface ThrottleOptions {
  /** Failures allowed before delays start, per account / per address. */
  freeAccountFailures?: number;
  freeAddressFailures?: number;
  maxDelayMs?: number;
  /** Entries kept at most (oldest evicted). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  last: number;
  until: number;
}

const FORGET_AFTER_MS = 60 * 60_000;

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly freeAccount: number;
  private readonly freeAddress: number;
  private readonly maxDelay: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(o: ThrottleOptions = {}) {
    this.freeAccount = o.freeAccountFailures ?? 5;
    this.freeAddress = o.freeAddressFailures ?? 20;
    this.maxDelay = o.maxDelayMs ?? 15 * 60_000;
    this.maxEntries = o.maxEntries ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  private keys(account: string, address: string): [string, number][] {
    return [
      [`a\u0000${account.trim().toLowerCase()}`, this.freeAccount],
      [`i\u0000${address}`, this.freeAddress],
    ];
  }

  private get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.last > FORGET_AFTER_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Milliseconds until an attempt for this account from this address may be checked (0 = now). */
  retryAfter(account: string, address: string): number {
    const t = this.now();
    let wait = 0;
    for (const [key] of this.keys(account, address)) {
      const e = this.get(key);
      if (e && e.until > t) wait = Math.max(wait, e.until - t);
    }
    return wait;
  }

  failed(account: string, address: string): void {
    const t = this.now();
    for (const [key, free] of this.keys(account, address)) {
      const e = this.get(key) ?? { failures: 0, last: t, until: 0 };
      e.failures++;
      e.last = t;
      const over = e.failures - free;
      e.until = over > 0 ? t + Math.min(this.maxDelay, 1000 * 2 ** (over - 1)) : 0;
      this.entries.delete(key); // re-insert: Map order is the eviction order
      this.entries.set(key, e);
    }
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  succeeded(account: string): void {
    this.entries.delete(`a\u0000${account.trim().toLowerCase()}`);
  }
}
