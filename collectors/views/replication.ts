// The replication page (/replication): per cluster the publisher's `utils dbreplication
// runtimestate` view — each server's setup state 0–4 with Cisco's meaning, queue and its trend,
// ping, DB/RPC/DbMon flags, group and details — and the cluster replication status line.
// Clusters where any server is not 2 (or that cannot be read) come first.
import type { ObservationError } from '../engine/store';
import type { HistoryBackend } from '../history/types';
import { freshness, type Freshness } from './freshness';
import type { QueueTrend } from './problems';
import { clusterHref, FleetIndex, nodeHref, sample, type FleetInput, type SourceState } from './readings';
import { replicationMeaning } from './vocabulary';

export interface ReplicationServerRow {
  name: string;
  /** The node page, when the server is a node of the configuration. */
  href?: string;
  ip: string;
  pingMs: number | null;
  flags: string;
  queue: number | null;
  trend?: QueueTrend;
  groupId: string | null;
  setupState: number | null;
  meaning: string;
  details: string;
  good: boolean;
  /** The node's own Replicate_State PerfMon counter, when fresh (it should agree). */
  counter: number | null;
}

export interface ReplicationCluster {
  cluster: string;
  href: string;
  product: 'cucm' | 'imp';
  publisher: string;
  state: SourceState;
  at?: number;
  error?: ObservationError;
  /** ok, or the CLI's own verdict when it cannot report. */
  status?: 'ok' | 'db-not-running' | 'single-active-node';
  message?: string;
  viewFrom?: string;
  /** "Cluster Replication State:" line, verbatim. */
  statusLine?: string | null;
  servers: ReplicationServerRow[];
  /** Any server not 2, the CLI could not report, or the publisher could not be read. */
  attention: boolean;
}

export interface ReplicationModel {
  clusters: ReplicationCluster[];
  /** Whether queue trends come from history (otherwise the page says they are unavailable). */
  trends: boolean;
  freshness: Freshness;
}

export function replicationModel(input: FleetInput, opts: { queueTrends?: ReadonlyMap<string, QueueTrend> } = {}): ReplicationModel {
  const idx = new FleetIndex(input);
  const clusters = input.inventory.clusters.map((c): ReplicationCluster => {
    const r = idx.replication(c.name);
    const v = r.value;
    const servers = (v?.servers ?? []).map((s): ReplicationServerRow => {
      const node = idx.resolveNode(c.name, s.name);
      const perf = node ? idx.perfmon(c.name, node.name).value : undefined;
      return {
        name: s.name,
        href: node ? nodeHref(c.name, node.name) : undefined,
        ip: s.ip,
        pingMs: s.pingMs,
        flags: s.flags,
        queue: s.queue,
        trend: opts.queueTrends?.get(`${c.name}\u0000${s.name}`),
        groupId: s.groupId,
        setupState: s.setupState,
        meaning: replicationMeaning(s.setupState),
        details: s.details,
        good: s.setupState === 2,
        counter: perf ? (sample(perf, 'Number of Replicates Created and State of Replication', 'Replicate_State') ?? null) : null,
      };
    });
    // Servers not 2 first, then as printed.
    servers.sort((a, b) => Number(a.good) - Number(b.good));
    const attention = r.state === 'failing' || r.state === 'stale' || (v !== undefined && (v.status !== 'ok' || servers.some((s) => !s.good)));
    return {
      cluster: c.name,
      href: clusterHref(c.name),
      product: c.product,
      publisher: c.publisher,
      state: r.state,
      at: r.at,
      error: r.error,
      status: v?.status,
      message: v?.message,
      viewFrom: v?.viewFrom,
      statusLine: v?.clusterState,
      servers,
      attention,
    };
  });
  const order = new Map(clusters.map((c, i) => [c.cluster, i]));
  clusters.sort((a, b) => Number(b.attention) - Number(a.attention) || order.get(a.cluster)! - order.get(b.cluster)!);
  return { clusters, trends: opts.queueTrends !== undefined, freshness: freshness(input.observations, input.now, (o) => o.source === 'replication') };
}

/** A queue's direction over recent points: growing when it rose and ends above where it started and above zero. */
export function queueTrend(points: readonly { t: number; v: number }[]): QueueTrend | undefined {
  if (points.length < 2) return undefined;
  const first = points[0];
  const last = points[points.length - 1];
  let rises = 0;
  let falls = 0;
  for (let i = 1; i < points.length; i++) {
    if (points[i].v > points[i - 1].v) rises++;
    else if (points[i].v < points[i - 1].v) falls++;
  }
  // Mostly rising, and ending higher: a queue that drains between polls is not "growing".
  const growing = last.v > first.v && last.v > 0 && rises > falls;
  return { first: first.v, last: last.v, spanMs: last.t - first.t, growing };
}

/** How far back a queue's trend looks. */
export const TREND_WINDOW_MS = 15 * 60_000;

/**
 * Queue trends from history for the servers whose queue is not empty now (an empty queue is not
 * growing, so a healthy fleet costs no query). Undefined when history is not available.
 */
export async function queueTrends(history: HistoryBackend | undefined, input: FleetInput): Promise<Map<string, QueueTrend> | undefined> {
  if (!history || !history.status().available) return undefined;
  const idx = new FleetIndex(input);
  const out = new Map<string, QueueTrend>();
  const jobs: Promise<void>[] = [];
  for (const c of input.inventory.clusters) {
    for (const s of idx.replication(c.name).value?.servers ?? []) {
      if (!s.queue) continue;
      jobs.push(
        history
          .query({ cluster: c.name, node: s.name, series: ['replication-queue'], from: input.now - TREND_WINDOW_MS, to: input.now })
          .then((r) => {
            const points = r.series[0]?.lines[0]?.points ?? [];
            const t = queueTrend(points);
            if (t) out.set(`${c.name}\u0000${s.name}`, t);
          })
          .catch(() => undefined),
      );
    }
  }
  await Promise.all(jobs);
  return out;
}
