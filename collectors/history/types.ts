// The contract between the history back ends (embedded SQLite, Prometheus) and the dashboard:
// what a chart asks for and what it gets back, and the event log's records. The series a chart
// can draw are defined once, next to the metric catalogue (collectors/metrics/series.ts).

/** The ranges the node page offers. */
export const RANGES = ['1h', '6h', '24h', '7d', '30d'] as const;
export type RangeKey = (typeof RANGES)[number];

/** Length of each range, ms (a chart of range r asks for from = now - RANGE_MS[r], to = now). */
export const RANGE_MS: Readonly<Record<RangeKey, number>> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export interface HistoryQuery {
  cluster: string;
  node: string;
  /** Series ids (collectors/metrics/series.ts); all of the node's series when omitted. */
  series?: readonly string[];
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, inclusive. */
  to: number;
  /**
   * At most this many points per line (e.g. the chart's width in pixels). When the range holds
   * more, points are aggregated into equal steps (a multiple of the collection interval or of
   * the 5-minute rollup), each with v = avg, min and max, stamped at the step's start. Absent:
   * every raw point (or every 5-minute rollup).
   */
  maxPoints?: number;
}

/** One point: time (epoch ms) and value; rolled-up points also carry the bucket's min and max. */
export interface Point {
  t: number;
  v: number;
  min?: number;
  max?: number;
}

/** One line of a chart: a series for one label set (e.g. partition="Active"). */
export interface Line {
  /** Stable key of the label set within its series, e.g. "Active" ('' for an unlabelled series). */
  key: string;
  labels: Record<string, string>;
  points: Point[];
}

export interface SeriesResult {
  /** Series id. */
  id: string;
  /** Resolution of the points, ms (the collection interval, the 5-minute rollup, or the step maxPoints asked for). */
  stepMs: number;
  lines: Line[];
}

export interface HistoryResult {
  backend: 'sqlite' | 'prometheus';
  series: SeriesResult[];
}

export interface HistoryStatus {
  available: boolean;
  /** Why history is not available (database unwritable, Prometheus unreachable…), in plain words. */
  reason?: string;
}

export interface HistoryBackend {
  readonly kind: 'sqlite' | 'prometheus';
  /**
   * The node's series over [from, to]: raw points (at the collection interval, the first one at
   * `from` carrying the value then in effect while it is fresh) when the range lies within the
   * last 48 h, else 5-minute rollups (v = avg, with min and max). Only series of the node's
   * product are returned, in the order of SERIES; only lines with points in the range.
   * Rejects with an Error whose message says in plain words why history is unavailable (check
   * status() first to show that instead of a chart).
   */
  query(q: HistoryQuery): Promise<HistoryResult>;
  status(): HistoryStatus;
}

/** Kinds of state change the event log records. */
export const EVENT_KINDS = ['ha', 'service', 'replication', 'reachability', 'certificate'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventRecord {
  id: number;
  /** Epoch ms the change was observed. */
  at: number;
  cluster: string;
  node: string;
  kind: EventKind;
  /** What changed, e.g. a service name, a certificate unit, a replication server. */
  subject: string;
  /** State before (null for the first observation) and after, in Cisco's words where they exist. */
  from: string | null;
  to: string;
  /** Extra words (an HA reason, an error kind); may be empty. */
  detail: string;
  /** How bad the new state is, for colouring and filtering. */
  severity: 'critical' | 'warning' | 'info' | 'ok';
}

export interface EventFilter {
  cluster?: string;
  node?: string;
  kinds?: readonly EventKind[];
  /** Epoch ms, inclusive. */
  since?: number;
  /** Paging: records older than this id. */
  beforeId?: number;
  limit?: number;
}

/** The current state of one watched thing and since when it holds (the event log's memory). */
export interface StateSince {
  cluster: string;
  node: string;
  kind: EventKind;
  subject: string;
  /** As in EventRecord.to. */
  state: string;
  detail: string;
  /**
   * Epoch ms the thing entered this state, when IMPulse saw the change (observedChange); else
   * the first time IMPulse saw the thing, already in this state ("at least since").
   */
  since: number;
  observedChange: boolean;
}

export interface EventLog {
  /** Newest first; `limit` defaults to 100 (at most 1000). */
  list(filter: EventFilter): EventRecord[];
  /** Total matching records (for "N more"). */
  count(filter: Omit<EventFilter, 'beforeId' | 'limit'>): number;
  /** Whether events are being recorded (the database may be unavailable), and why not. */
  status(): HistoryStatus;
  /** The current state of every watched thing matching the filter, and since when (for "since" and "for how long"). */
  states(filter: { cluster?: string; node?: string; kinds?: readonly EventKind[] }): StateSince[];
}
