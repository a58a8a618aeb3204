// The event log in the product database: what the detector found is stored with the states it
// changed, in one transaction; the events page lists and counts it. Events are kept 90 days.
import type { ImpulseDatabase } from '../../db/database';
import { eventTables, type EventTables } from '../../db/events';
import type { KnownState, NewEvent } from './events';
import { FailureLatch } from './guard';
import type { EventFilter, EventKind, EventLog, EventRecord, HistoryStatus, StateSince } from './types';

export const EVENT_RETENTION_MS = 90 * 86_400_000;
const MAX_LIMIT = 1000;

export class SqliteEventLog implements EventLog {
  private readonly tables: EventTables;
  private readonly latch: FailureLatch;

  constructor(
    private readonly db: ImpulseDatabase,
    log?: (line: string) => void,
  ) {
    this.tables = eventTables(db);
    this.latch = new FailureLatch('events', log);
  }

  /** States from the previous run, for the detector's baseline. */
  knownStates(): KnownState[] {
    return this.states({});
  }

  states(filter: { cluster?: string; node?: string; kinds?: readonly EventKind[] }): StateSince[] {
    const rows = this.latch.run('reading event states', () => this.tables.states(filter), false) ?? [];
    return rows.map((r) => ({ cluster: r.cluster, node: r.node, kind: r.kind as EventKind, subject: r.subject, state: r.state, detail: r.detail, since: r.at, observedChange: r.changed === 1 }));
  }

  /** Stores new events and changed states together; returns the stored events (with ids). */
  store(events: readonly NewEvent[], states: readonly KnownState[]): EventRecord[] {
    if (events.length === 0 && states.length === 0) return [];
    const stored = this.latch.run('writing events', () =>
      this.db.write('events', () => {
        const out: EventRecord[] = [];
        for (const e of events) out.push({ ...e, id: this.tables.insert(e) });
        for (const s of states) this.tables.putState({ cluster: s.cluster, node: s.node, kind: s.kind, subject: s.subject, state: s.state, detail: s.detail, at: s.since, changed: s.observedChange ? 1 : 0 });
        return out;
      }),
    );
    return stored ?? [];
  }

  prune(now: number): number {
    return this.latch.run('pruning events', () => this.db.write('events', () => this.tables.prune(now - EVENT_RETENTION_MS))) ?? 0;
  }

  /** Newest first. A database that cannot be read yields no rows; status() then says why. */
  list(filter: EventFilter): EventRecord[] {
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(filter.limit ?? 100)));
    const rows = this.latch.run('reading events', () => this.tables.list({ ...filter, limit }), false) ?? [];
    return rows.map((r) => ({ ...r, kind: r.kind as EventKind, severity: r.severity as EventRecord['severity'] }));
  }

  count(filter: Omit<EventFilter, 'beforeId' | 'limit'>): number {
    return this.latch.run('reading events', () => this.tables.count(filter), false) ?? 0;
  }

  status(): HistoryStatus {
    if (this.db.closed) return { available: false, reason: 'the database is closed' };
    if (this.latch.failure) return { available: false, reason: this.latch.failure };
    const h = this.db.health();
    if (!h.ok) return { available: false, reason: `events are not being saved: ${h.error}` };
    return { available: true };
  }

}
