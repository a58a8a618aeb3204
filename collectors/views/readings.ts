// What the page models read from the observation store: one index over a snapshot, and each
// source's latest value as a Reading that says whether it is current. A page shows a value only
// when its reading is fresh; a stale or failing source is said plainly, never shown as current.
import type { Inventory, InventoryCluster, InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import type { EventLog } from '../history/types';
import type { ObservationError, ObservationView } from '../engine/store';
import type { CertificatesObservation } from '../sources/certificates';
import type { HaObservation } from '../sources/ha';
import type { InventoryObservation } from '../sources/inventory';
import type { PeersObservation } from '../sources/peers';
import type { PerfmonObservation } from '../sources/perfmon';
import type { ReplicationObservation } from '../sources/replication';
import type { ServicesObservation } from '../sources/services';

/**
 * fresh: the latest attempt succeeded within two intervals; stale: it succeeded, but longer ago
 * (polls are late); failing: the latest attempt failed; pending: not polled yet; absent: the
 * source does not run on this node.
 */
export type SourceState = 'fresh' | 'stale' | 'failing' | 'pending' | 'absent';

/** A row a CLI parser could not read (the fidelity branch adds `problems` to Observation). */
export interface ParseProblem {
  line: number;
  raw: string;
  reason: string;
  command?: string;
}

export interface Reading<T> {
  state: SourceState;
  /** Present only when fresh. */
  value?: T;
  /** Epoch ms of the latest success. */
  at?: number;
  /** The latest error (kept after later successes). */
  error?: ObservationError;
}

/** Everything a page model needs, read once per request. */
export interface FleetInput {
  inventory: Inventory;
  /** store.snapshot() (empty when the collector does not run). */
  observations: readonly ObservationView[];
  /** Epoch ms. */
  now: number;
  /** Whether a collector runs (false: inventory only). */
  collecting: boolean;
  /** The event log, when the database and the history service run. */
  events?: EventLog;
}

/** The event log when it records (a log whose database is unavailable says so in status()). */
export function eventLog(input: FleetInput): EventLog | undefined {
  const log = input.events;
  if (!log) return undefined;
  try {
    return log.status().available ? log : undefined;
  } catch {
    return undefined;
  }
}

export function sourceState(o: ObservationView | undefined): SourceState {
  if (!o) return 'absent';
  if (o.at === undefined && o.lastAttemptAt === undefined) return 'pending';
  if (!o.ok) return 'failing';
  return o.fresh ? 'fresh' : 'stale';
}

export function reading<T>(o: ObservationView | undefined): Reading<T> {
  const state = sourceState(o);
  return { state, value: state === 'fresh' ? (o!.value as T) : undefined, at: o?.at, error: o?.error };
}

const key = (cluster: string, node: string) => `${cluster}\u0000${node}`;

/** The snapshot indexed by node and source, plus the inventory's lookups. */
export class FleetIndex {
  private readonly byNode = new Map<string, Map<SourceName, ObservationView>>();
  private readonly nodesByKey = new Map<string, InventoryNode>();
  private readonly clustersByName = new Map<string, InventoryCluster>();

  constructor(readonly input: FleetInput) {
    for (const o of input.observations) {
      const k = key(o.cluster, o.node);
      let m = this.byNode.get(k);
      if (!m) this.byNode.set(k, (m = new Map()));
      m.set(o.source, o);
    }
    for (const c of input.inventory.clusters) {
      this.clustersByName.set(c.name, c);
      for (const n of c.nodes) this.nodesByKey.set(key(c.name, n.name), n);
    }
  }

  get now(): number {
    return this.input.now;
  }

  get thresholds(): Inventory['thresholds'] {
    return this.input.inventory.thresholds;
  }

  cluster(name: string): InventoryCluster | undefined {
    return this.clustersByName.get(name);
  }

  node(cluster: string, node: string): InventoryNode | undefined {
    return this.nodesByKey.get(key(cluster, node));
  }

  /** A node of the cluster by the name another node printed (CLI host names, FQDNs, any case). */
  resolveNode(cluster: string, printed: string): InventoryNode | undefined {
    const exact = this.node(cluster, printed);
    if (exact) return exact;
    const p = printed.toLowerCase();
    const short = p.split('.')[0];
    return this.cluster(cluster)?.nodes.find((n) => [n.name, n.host].some((x) => x.toLowerCase() === p || x.toLowerCase().split('.')[0] === short));
  }

  observation(cluster: string, node: string, source: SourceName): ObservationView | undefined {
    return this.byNode.get(key(cluster, node))?.get(source);
  }

  observations(cluster: string, node: string): ObservationView[] {
    return [...(this.byNode.get(key(cluster, node))?.values() ?? [])];
  }

  ha(cluster: string, node: string): Reading<HaObservation> {
    return reading(this.observation(cluster, node, 'ha'));
  }
  services(cluster: string, node: string): Reading<ServicesObservation> {
    return reading(this.observation(cluster, node, 'services'));
  }
  perfmon(cluster: string, node: string): Reading<PerfmonObservation> {
    return reading(this.observation(cluster, node, 'perfmon'));
  }
  certificates(cluster: string, node: string): Reading<CertificatesObservation> {
    return reading(this.observation(cluster, node, 'certificates'));
  }
  inventory(cluster: string, node: string): Reading<InventoryObservation> {
    return reading(this.observation(cluster, node, 'inventory'));
  }
  /** Publisher-scope sources. */
  replication(cluster: string): Reading<ReplicationObservation> {
    const c = this.cluster(cluster);
    return reading(c ? this.observation(cluster, c.publisher, 'replication') : undefined);
  }
  peers(cluster: string): Reading<PeersObservation> {
    const c = this.cluster(cluster);
    return reading(c ? this.observation(cluster, c.publisher, 'peers') : undefined);
  }
}

/** Rows a parser could not read, when the observation carries them (read defensively). */
export function parseProblems(o: ObservationView | undefined): ParseProblem[] {
  const raw = (o as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null)
    .map((p) => ({
      line: typeof p.line === 'number' ? p.line : 0,
      raw: typeof p.raw === 'string' ? p.raw : '',
      reason: typeof p.reason === 'string' ? p.reason : '',
      command: typeof p.command === 'string' ? p.command : undefined,
    }));
}

// ---- PerfMon samples -----------------------------------------------------------------------

type Sample = PerfmonObservation['samples'][number];

const eq = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

/** Per PerfMon observation, its samples by lower-case object and counter (observations are immutable once stored). */
const sampleIndex = new WeakMap<PerfmonObservation, Map<string, Sample[]>>();

function indexed(p: PerfmonObservation): Map<string, Sample[]> {
  let m = sampleIndex.get(p);
  if (!m) {
    m = new Map();
    for (const s of p.samples) {
      const k = `${s.object.toLowerCase()}\u0000${s.counter.toLowerCase()}`;
      const list = m.get(k);
      if (list) list.push(s);
      else m.set(k, [s]);
    }
    sampleIndex.set(p, m);
  }
  return m;
}

export function sample(p: PerfmonObservation, object: string, counter: string, instance?: string): number | undefined {
  const list = indexed(p).get(`${object.toLowerCase()}\u0000${counter.toLowerCase()}`);
  return list?.find((s) => instance === undefined || eq(s.instance, instance))?.value;
}

export function samples(p: PerfmonObservation, object: string, counter: string): Sample[] {
  return indexed(p).get(`${object.toLowerCase()}\u0000${counter.toLowerCase()}`) ?? [];
}

// ---- Shared small helpers ------------------------------------------------------------------

export const nodeHref = (cluster: string, node: string) => `/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(node)}`;
export const clusterHref = (cluster: string) => `/clusters/${encodeURIComponent(cluster)}`;

/** Natural order for node names (imp01-sub2 before imp01-sub10). */
export const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

export const DAY_MS = 86_400_000;

/** Whole days from now to t (negative once past), as Cisco's certificate pages count them. */
export function daysUntil(t: number, now: number): number {
  return Math.floor((t - now) / DAY_MS);
}
