// Per-node request budget: at most `limit` SOAP requests in any 60 s window.
//
// The node (CUCM RIS "Allowed Performance Queries per Minute", wire-formats §1.8) counts every
// PerfMon POST in fixed one-minute windows. A sliding window on our side is stricter than any
// fixed window the node may use, whatever its phase, so staying within it never trips RateControl.
import { CollectError } from '../errors';

export interface BudgetClock {
  now(): number;
}

export class RequestBudget {
  /** Timestamps (ms) of the requests sent inside the current sliding window, oldest first. */
  private readonly sent: number[] = [];
  private total = 0;
  private denied = 0;

  constructor(
    /** Requests allowed per window. */
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly clock: BudgetClock = Date,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`budget limit must be a positive integer, got ${limit}`);
  }

  private prune(now: number): void {
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < this.sent.length && this.sent[drop] <= from) drop++;
    if (drop) this.sent.splice(0, drop);
  }

  /** Requests counted in the window ending now. */
  used(): number {
    this.prune(this.clock.now());
    return this.sent.length;
  }

  /** used / limit, 0–1. */
  usedRatio(): number {
    return this.used() / this.limit;
  }

  /** Milliseconds until one more request fits (0 when it fits now). */
  waitMs(): number {
    const now = this.clock.now();
    this.prune(now);
    if (this.sent.length < this.limit) return 0;
    return this.sent[this.sent.length - this.limit] + this.windowMs - now;
  }

  /** Takes one request slot or returns false (nothing is counted then). */
  tryTake(): boolean {
    const now = this.clock.now();
    this.prune(now);
    if (this.sent.length >= this.limit) {
      this.denied++;
      return false;
    }
    this.sent.push(now);
    this.total++;
    return true;
  }

  /** Takes a slot or throws CollectError('budget'): the request is never sent. */
  take(what: string): void {
    if (!this.tryTake()) {
      throw new CollectError(
        'budget',
        `${what}: request budget of ${this.limit} per ${Math.round(this.windowMs / 1000)} s exhausted; next slot in ${Math.ceil(this.waitMs() / 1000)} s`,
      );
    }
  }

  get stats(): { total: number; denied: number } {
    return { total: this.total, denied: this.denied };
  }
}
