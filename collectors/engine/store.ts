// The observation store: per (cluster, node, source) the latest value, when it was taken, whether
// it is still fresh, and the last error. The metrics registry, the dashboard (H5) and diagnostics
// read it; only the engine writes it.
import { EventEmitter } from 'node:events';
import type { SourceName } from '../../config/schema';
import type { CollectErrorKind } from '../errors';

export type ErrorKind = CollectErrorKind | 'internal';

export interface ObservationError {
  kind: ErrorKind;
  message: string;
  /** Epoch ms. */
  at: number;
}

/**
 * A row of a node's output the parser could not read (degrade per row: the observation keeps every
 * row it could). `raw` is the CLI/response text of that row, control characters removed, secrets
 * masked, at most ~300 characters; `command` names the CLI command or SOAP operation it came from.
 */
export interface ParseProblem {
  line: number;
  raw: string;
  reason: string;
  command?: string;
}

/** Problems kept per observation (the metric counts all of them). */
export const MAX_STORED_PROBLEMS = 100;

export interface Observation<T = unknown> {
  readonly cluster: string;
  readonly node: string;
  readonly source: SourceName;
  /** Poll interval, ms. An observation is stale after twice this without a success. */
  intervalMs: number;
  /** Latest successful value. */
  value?: T;
  /** Epoch ms of the latest success. */
  at?: number;
  /** Epoch ms the latest attempt ended, and how long it took. */
  lastAttemptAt?: number;
  durationMs?: number;
  /** Whether the latest attempt succeeded. */
  ok: boolean;
  /** The latest error, kept after later successes so operators can see what happened last. */
  error?: ObservationError;
  /** Consecutive failed attempts. */
  failures: number;
  /**
   * Unparsed rows of the latest successful poll ([] or absent when it parsed cleanly); replaced by
   * every successful poll, kept through failures (like `value`).
   */
  problems?: ParseProblem[];
}

/** JSON view for the dashboard and `--once`. */
export interface ObservationView<T = unknown> extends Observation<T> {
  fresh: boolean;
  /** Seconds since the latest success, or null when there never was one. */
  ageSeconds: number | null;
}

export function observationKey(cluster: string, node: string, source: string): string {
  return `${cluster}\u0000${node}\u0000${source}`;
}

export class ObservationStore extends EventEmitter {
  private readonly entries = new Map<string, Observation>();
  /** Bumped on every write, so readers can cache what they derive from the store. */
  version = 0;

  constructor(private readonly clock: { now(): number } = Date) {
    super();
  }

  now(): number {
    return this.clock.now();
  }

  /** Makes a (cluster, node, source) known before its first poll (reported as not fresh, not ok). */
  declare(cluster: string, node: string, source: SourceName, intervalMs: number): Observation {
    const key = observationKey(cluster, node, source);
    let e = this.entries.get(key);
    if (!e) {
      e = { cluster, node, source, intervalMs, ok: false, failures: 0 };
      this.entries.set(key, e);
      this.version++;
    } else {
      e.intervalMs = intervalMs;
    }
    return e;
  }

  recordSuccess<T>(cluster: string, node: string, source: SourceName, intervalMs: number, value: T, durationMs: number, problems: readonly ParseProblem[] = []): void {
    const e = this.declare(cluster, node, source, intervalMs);
    const now = this.clock.now();
    e.value = value;
    e.problems = problems.slice(0, MAX_STORED_PROBLEMS);
    e.at = now;
    e.lastAttemptAt = now;
    e.durationMs = durationMs;
    e.ok = true;
    e.failures = 0;
    this.version++;
    this.emit('update', e);
  }

  recordFailure(cluster: string, node: string, source: SourceName, intervalMs: number, kind: ErrorKind, message: string, durationMs: number): void {
    const e = this.declare(cluster, node, source, intervalMs);
    const now = this.clock.now();
    e.lastAttemptAt = now;
    e.durationMs = durationMs;
    e.ok = false;
    e.failures++;
    e.error = { kind, message, at: now };
    this.version++;
    this.emit('update', e);
  }

  get<T = unknown>(cluster: string, node: string, source: SourceName): Observation<T> | undefined {
    return this.entries.get(observationKey(cluster, node, source)) as Observation<T> | undefined;
  }

  /** Fresh: a success within the last two intervals. */
  isFresh(e: Observation, now = this.clock.now()): boolean {
    return e.at !== undefined && now - e.at <= 2 * e.intervalMs;
  }

  list(filter: { cluster?: string; node?: string; source?: SourceName } = {}): Observation[] {
    const out: Observation[] = [];
    for (const e of this.entries.values()) {
      if (filter.cluster !== undefined && e.cluster !== filter.cluster) continue;
      if (filter.node !== undefined && e.node !== filter.node) continue;
      if (filter.source !== undefined && e.source !== filter.source) continue;
      out.push(e);
    }
    return out;
  }

  /** Latest fresh values of one source (what /metrics exports). */
  freshValues<T = unknown>(source: SourceName, now = this.clock.now()): Observation<T>[] {
    return this.list({ source }).filter((e) => e.value !== undefined && this.isFresh(e, now)) as Observation<T>[];
  }

  view(e: Observation, now = this.clock.now()): ObservationView {
    return {
      ...e,
      error: e.error && { ...e.error },
      ...(e.problems ? { problems: e.problems.map((p) => ({ ...p })) } : {}),
      fresh: this.isFresh(e, now),
      ageSeconds: e.at === undefined ? null : (now - e.at) / 1000,
    };
  }

  /** Everything, as plain JSON-able objects, sorted by cluster, node, source. */
  snapshot(filter: { cluster?: string; node?: string; source?: SourceName } = {}): ObservationView[] {
    const now = this.clock.now();
    return this.list(filter)
      .map((e) => this.view(e, now))
      .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node) || a.source.localeCompare(b.source));
  }

  remove(cluster: string, node: string, source: SourceName): void {
    if (this.entries.delete(observationKey(cluster, node, source))) this.version++;
  }

  get size(): number {
    return this.entries.size;
  }
}
