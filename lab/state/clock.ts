// The lab's simulated clock: HA and service timings (90 s Critical Service Down Delay, 30 min
// automatic fallback…) run `timeScale` times faster than real time, so a test can watch a
// failover in a fraction of a second. Simulated time starts at the real time of creation.
import type { LabClock } from '../model';

export interface LabClockControl extends LabClock {
  /** Moves simulated time forward without waiting (tests, scenarios). */
  advance(simulatedMs: number): void;
}

export function createClock(timeScale = 1, realNow: () => number = Date.now): LabClockControl {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const realStart = realNow();
  let offset = 0;
  return {
    timeScale,
    now: () => realStart + (realNow() - realStart) * timeScale + offset,
    toReal: (simulatedMs: number) => simulatedMs / timeScale,
    advance(simulatedMs: number) {
      if (simulatedMs < 0) throw new RangeError('the lab clock never goes backwards');
      offset += simulatedMs;
    },
  };
}
