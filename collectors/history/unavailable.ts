// What runtime.history and runtime.events are when there is nothing to read from (the database
// could not be opened and no Prometheus is configured): they say why, so pages can show
// "history is unavailable: <reason>" instead of an empty chart.
import type { EventLog, HistoryBackend, HistoryResult, HistoryStatus } from './types';

export class UnavailableHistory implements HistoryBackend {
  readonly kind = 'sqlite' as const;
  constructor(private readonly reason: string) {}
  status(): HistoryStatus {
    return { available: false, reason: this.reason };
  }
  async query(): Promise<HistoryResult> {
    throw new Error(this.reason);
  }
}

export class UnavailableEventLog implements EventLog {
  constructor(private readonly reason: string) {}
  list() {
    return [];
  }
  count() {
    return 0;
  }
  states() {
    return [];
  }
  status(): HistoryStatus {
    return { available: false, reason: this.reason };
  }
}
