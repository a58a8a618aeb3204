// The history service's view of the observation store: the store emits 'update' on every poll
// outcome, and this only remembers which observation changed and what it held at that moment
// (a reference and five fields, no copying of values), so the collector's hot path stays cheap.
// The service drains the queue on its own timer and feeds the recorder and the event detector.
import type { Observation, ObservationStore } from '../engine/store';

interface Pending {
  e: Observation;
  value: unknown;
  at: number | undefined;
  lastAttemptAt: number | undefined;
  ok: boolean;
  error: Observation['error'];
}

/** Updates kept at most between two drains (a stalled drain must not grow memory). */
const MAX_QUEUE = 200_000;

export class ObservationFeed {
  private queue: Pending[] = [];
  private readonly listener = (e: Observation) => {
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped++;
      return;
    }
    this.queue.push({ e, value: e.value, at: e.at, lastAttemptAt: e.lastAttemptAt, ok: e.ok, error: e.error });
  };
  dropped = 0;

  constructor(private readonly store: ObservationStore) {}

  /** Subscribes; observations already in the store are queued once, so nothing seen before start is missed. */
  start(): void {
    for (const e of this.store.list()) if (e.lastAttemptAt !== undefined) this.listener(e);
    this.store.on('update', this.listener);
  }

  stop(): void {
    this.store.off('update', this.listener);
  }

  /**
   * The observations updated since the last call, as they were at their update. The poll's
   * duration is filled in by the engine just after a success is stored, so it is read now.
   */
  take(): Observation[] {
    const q = this.queue;
    this.queue = [];
    return q.map((p) => ({
      cluster: p.e.cluster,
      node: p.e.node,
      source: p.e.source,
      intervalMs: p.e.intervalMs,
      value: p.value,
      at: p.at,
      lastAttemptAt: p.lastAttemptAt,
      durationMs: p.e.lastAttemptAt === p.lastAttemptAt ? p.e.durationMs : undefined,
      ok: p.ok,
      error: p.error,
      failures: p.e.failures,
    }));
  }
}
