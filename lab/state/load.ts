// How many users an IM&P node carries over time (its own homed users, plus its peer's while it
// runs in backup mode). Piecewise constant, recorded at the simulated time of each change, with
// prefix integrals so cumulative counters (∫ users × activity dt) cost O(1) per read.
import { activityIntegral } from './waves';

interface Segment {
  t: number; // simulated epoch ms
  users: number;
  /** ∫ users × activity dt (user·seconds) from the first segment to t. */
  prefix: number;
}

export class LoadHistory {
  private readonly segments: Segment[];
  constructor(startMs: number, users: number) {
    this.segments = [{ t: startMs, users, prefix: 0 }];
  }
  record(t: number, users: number): void {
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
