// Fixed-window request counter per node (wire-formats §1.8: "Every one minute, the count is
// reset to zero"): every request in the window counts, including the refused ones.

export class FixedWindow {
  private windowStart = -Infinity;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request; true when it is within `limit` for the current window. */
  take(limit: number): boolean {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      // Windows are aligned to the first request after the previous one ended.
      this.windowStart = t;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= limit;
  }

  /** Real ms until the current window ends (0 when none is running). */
  remainingMs(): number {
    return Math.max(0, this.windowStart + this.windowMs - this.now());
  }
}
