// How many users an IM&P node carries over time (its own homed users, plus its peer's while it
// runs in backup mode). Piecewise constant, recorded at the simulated time of each change, with
// prefix integrals so cumulative counters (∫ users × activity dt) cost O(1) per read.
//
// Users that move to a node arrive gradually: after a failover or fallback the moved clients are
// disconnected and re-login at a random moment between the SRM's `Client Re-Login Lower Limit` and
// `Upper Limit` (reference/ha.md §3.2, §4.4), so the receiving node's count climbs in steps across
// that window while the node they left drops at once.
import { activityIntegral } from './waves';

interface Segment {
  t: number; // simulated epoch ms
  users: number;
  /** ∫ users × activity dt (user·seconds) from the first segment to t. */
  prefix: number;
}

/** Steps a re-login ramp is drawn with (a 537 s window: one step every ~13 s). */
const RAMP_STEPS = 32;

export class LoadHistory {
  private readonly segments: Segment[];
  /** The value the history settles at once a ramp in progress ends. */
  private target: number;
  constructor(startMs: number, users: number) {
    this.segments = [{ t: startMs, users, prefix: 0 }];
    this.target = users;
  }
  /** A step to `users` at `t` (cancels a ramp still ahead). */
  record(t: number, users: number): void {
    this.truncateAfter(t);
    this.target = users;
    this.append(t, users);
  }
  /**
   * Moves towards `target` from `t`: a loss is immediate (clients are disconnected), a gain spreads
   * evenly over [t + lowerMs, t + upperMs] (clients re-login). Nothing happens while `target` is
   * already where the history is heading, so repeated calls do not restart a ramp.
   */
  moveTo(t: number, target: number, lowerMs: number, upperMs: number): void {
    if (target === this.target) return;
    this.truncateAfter(t);
    const from = this.users(t);
    this.target = target;
    if (target <= from || upperMs <= 0) {
      this.append(t, target);
      return;
    }
    const lo = Math.max(0, lowerMs);
    const span = Math.max(0, upperMs - lo);
    for (let k = 1; k <= RAMP_STEPS; k++) this.append(t + lo + (span * k) / RAMP_STEPS, Math.round(from + ((target - from) * k) / RAMP_STEPS));
  }
  private truncateAfter(t: number): void {
    const s = this.segments;
    while (s.length > 1 && s[s.length - 1].t > t) s.pop();
  }
  private append(t: number, users: number): void {
    const last = this.segments[this.segments.length - 1];
    if (users === last.users) return;
    if (t <= last.t) {
      // Same instant (several changes at one transition): the latest value wins.
      last.users = users;
      return;
    }
    this.segments.push({ t, users, prefix: last.prefix + last.users * (activityIntegral(t / 1000) - activityIntegral(last.t / 1000)) });
    if (this.segments.length > 512) this.segments.splice(1, this.segments.length - 256); // keep it bounded; old detail is never read
  }
  private find(at: number): Segment {
    const s = this.segments;
    if (at >= s[s.length - 1].t) return s[s.length - 1];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid].t <= at) lo = mid;
      else hi = mid - 1;
    }
    return s[lo];
  }
  users(at: number): number {
    return this.find(at).users;
  }
  integral(at: number): number {
    const seg = this.find(at);
    return seg.prefix + seg.users * (activityIntegral(Math.max(at, seg.t) / 1000) - activityIntegral(seg.t / 1000));
  }
}
