// One failing stretch of database work, reported once: the history store and the event log run
// every database step through this, so a damaged or vanished table (which db.write() does not
// absorb, unlike a full disk) becomes "unavailable, and why" instead of an exception in a timer.
export class FailureLatch {
  /** The first failure of the current failing stretch, in words. */
  failure?: string;

  constructor(
    /** What is not being saved, for the log: "history", "events". */
    private readonly what: string,
    private readonly log?: (line: string) => void,
  ) {}

  /**
   * Runs a step; an error is recorded (logged when the stretch begins) and undefined returned. A
   * write that completes (returns a value) ends the stretch; a read does not prove writes work.
   */
  run<T>(step: string, fn: () => T, write = true): T | undefined {
    try {
      const r = fn();
      if (write && r !== undefined && this.failure) {
        this.failure = undefined;
        this.log?.(`${this.what} is being saved again`);
      }
      return r;
    } catch (err) {
      const message = `${step}: ${(err as Error).message}`;
      if (!this.failure) {
        this.failure = message;
        this.log?.(`${this.what} is not being saved: ${message}`);
      }
      return undefined;
    }
  }
}
