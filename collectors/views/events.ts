// The events page (/events): state changes across the fleet, newest first — HA state, service
// status, replication state, node reachability, certificate thresholds — filterable by cluster,
// node, kind and time range, paged by id. Read from the event log (runtime.events).
import { EVENT_KINDS, RANGE_MS, RANGES, type EventFilter, type EventKind, type EventRecord, type RangeKey } from '../history/types';
import { nodeHref, type FleetInput } from './readings';
import { one, oneOf, positiveInt, type RawQuery } from './query';

export const EVENT_KIND_LABEL: Record<EventKind, string> = {
  ha: 'HA state',
  service: 'Service status',
  replication: 'Replication state',
  reachability: 'Reachability',
  certificate: 'Certificate',
};

export interface EventsFilter {
  cluster?: string;
  node?: string;
  kind?: EventKind;
  range: RangeKey;
  /** Paging: events older than this id. */
  before?: number;
  limit: number;
}

export interface EventRow extends EventRecord {
  nodeHref: string;
}

export interface EventsModel {
  filter: EventsFilter;
  available: boolean;
  /** Why the event log cannot be shown. */
  reason?: string;
  rows: EventRow[];
  /** Matching events in the range (all pages). */
  total: number;
  /** Id to page on for older events, when there are more. */
  nextBefore?: number;
  clusters: string[];
  nodes: string[];
}

export function parseEventsFilter(q: RawQuery): EventsFilter {
  const before = Number(one(q, 'before'));
  return {
    cluster: one(q, 'cluster'),
    node: one(q, 'node'),
    kind: one(q, 'kind') && (EVENT_KINDS as readonly string[]).includes(one(q, 'kind')!) ? (one(q, 'kind') as EventKind) : undefined,
    range: oneOf(q, 'range', RANGES, '24h'),
    before: Number.isInteger(before) && before > 0 ? before : undefined,
    limit: positiveInt(q, 'limit', 100, 1000),
  };
}

export function eventsModel(input: FleetInput, q: RawQuery, unavailableReason?: string): EventsModel {
  const filter = parseEventsFilter(q);
  const base = {
    filter,
    rows: [] as EventRow[],
    total: 0,
    clusters: input.inventory.clusters.map((c) => c.name),
    nodes: input.inventory.nodes.filter((n) => !filter.cluster || n.cluster === filter.cluster).map((n) => n.name),
  };
  if (!input.events) return { ...base, available: false, reason: unavailableReason ?? 'The event log is not available.' };
  const status = input.events.status();
  if (!status.available) return { ...base, available: false, reason: `The event log is unavailable: ${status.reason ?? 'no reason given'}.` };
  const log = input.events;
  const where: EventFilter = {
    cluster: filter.cluster,
    node: filter.node,
    kinds: filter.kind ? [filter.kind] : undefined,
    since: input.now - RANGE_MS[filter.range],
  };
  try {
    const page = log.list({ ...where, beforeId: filter.before, limit: filter.limit + 1 });
    const more = page.length > filter.limit;
    const rows = page.slice(0, filter.limit).map((e) => ({ ...e, nodeHref: nodeHref(e.cluster, e.node) }));
    return { ...base, available: true, rows, total: log.count(where), nextBefore: more ? rows[rows.length - 1].id : undefined };
  } catch (err) {
    return { ...base, available: false, reason: `The event log could not be read: ${(err as Error).message}` };
  }
}
