// One node's current figures, each as a Reading (value only when its source is fresh): what the
// cluster page's table and the node page's header show.
import type { InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import { JSM_CAPACITY_COUNTERS, JSM_SESSION_CAPACITY } from '../sources/perfmon-counters';
import type { Health } from './health';
import type { Problem } from './problems';
import { daysUntil, nodeHref, sample, samples, sourceState, type FleetIndex, type Reading, type SourceState } from './readings';
import { shouldRun } from './service-rules';
import { replicationMeaning } from './vocabulary';

export interface SourceFreshness {
  source: SourceName;
  state: SourceState;
  /** Epoch ms of the latest success. */
  at?: number;
  intervalMs: number;
  error?: { kind: string; message: string; at: number };
}

export interface NodeSummary {
  cluster: string;
  name: string;
  host: string;
  role: 'publisher' | 'subscriber';
  product: 'cucm' | 'imp';
  group?: string;
  href: string;
  health: Health;
  problems: Problem[];
  version: Reading<string>;
  /** Seconds, as of the inventory poll plus the time since. */
  uptimeSeconds: Reading<number>;
  /** Percent. */
  cpu: Reading<number>;
  memory: Reading<number>;
  /** Percent used, by partition, fullest first. */
  partitions: Reading<{ name: string; used: number }[]>;
  /** IM&P: JSM sessions (client + phantom + hybrid) and their share of capacity. */
  jsm?: Reading<{ sessions: number; ratio: number; exceeds: boolean; activeUsers: number | null }>;
  /** The publisher's view of this server's replication setup state, and the node's own Replicate_State counter. */
  replication: Reading<{ setupState: number | null; meaning: string; queue: number | null }>;
  replicateStateCounter: Reading<number>;
  /** IM&P in a presence redundancy group: this node's own line. */
  ha?: Reading<{ group: string; state: string; reason: string | null }>;
  /** Activated services not started (and HA critical services commanded out of service). */
  servicesNotStarted: Reading<{ count: number; names: string[] }>;
  nearestCertificate: Reading<{ unit: string; daysLeft: number; notAfter: number } | null>;
  sources: SourceFreshness[];
  /** The sources in one line: how many are current, and which are not (pending ones are not counted against). */
  collection: { current: number; total: number; notCurrent: { source: SourceName; state: SourceState; kind?: string }[] };
}

const SOURCE_ORDER: SourceName[] = ['perfmon', 'services', 'ha', 'replication', 'certificates', 'peers', 'users', 'inventory'];

function mapReading<A, B>(r: Reading<A>, f: (a: A) => B | undefined): Reading<B> {
  if (r.value === undefined) return { ...r, value: undefined } as Reading<B>;
  const v = f(r.value);
  return v === undefined ? { state: 'absent', at: r.at } : { ...r, value: v };
}

export function nodeSummary(idx: FleetIndex, n: InventoryNode, health: Health, problems: Problem[]): NodeSummary {
  const c = n.cluster;
  const inv = idx.inventory(c, n.name);
  const perf = idx.perfmon(c, n.name);
  const rep = idx.replication(c);
  const server = rep.value?.servers.find((s) => idx.resolveNode(c, s.name)?.name === n.name);
  const sources = idx
    .observations(c, n.name)
    .sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source))
    .map((o): SourceFreshness => ({ source: o.source, state: sourceState(o), at: o.at, intervalMs: o.intervalMs, error: o.error && { ...o.error } }));
  const summary: NodeSummary = {
    cluster: c,
    name: n.name,
    host: n.host,
    role: n.role,
    product: n.product,
    group: n.group,
    href: nodeHref(c, n.name),
    health,
    problems,
    version: mapReading(inv, (v) => v.version),
    uptimeSeconds: mapReading(inv, (v) => v.uptimeSeconds + (inv.at !== undefined ? Math.max(0, (idx.now - inv.at) / 1000) : 0)),
    cpu: mapReading(perf, (p) => sample(p, 'Processor', '% CPU Time', '_Total')),
    memory: mapReading(perf, (p) => sample(p, 'Memory', '% Mem Used')),
    partitions: mapReading(perf, (p) =>
      samples(p, 'Partition', '% Used')
        .map((s) => ({ name: s.instance ?? '', used: s.value }))
        .sort((a, b) => b.used - a.used),
    ),
    replication:
      rep.value && rep.value.status === 'ok'
        ? server
          ? { ...rep, value: { setupState: server.setupState, meaning: replicationMeaning(server.setupState), queue: server.queue } }
          : { state: 'absent', at: rep.at }
        : { ...rep, value: undefined, state: rep.value ? 'absent' : rep.state },
    replicateStateCounter: mapReading(perf, (p) => sample(p, 'Number of Replicates Created and State of Replication', 'Replicate_State')),
    servicesNotStarted: mapReading(idx.services(c, n.name), (v) => {
      const names = v.services.filter((s) => s.status !== 'Started' && shouldRun(s, n.product)).map((s) => s.name);
      return { count: names.length, names };
    }),
    nearestCertificate: mapReading(idx.certificates(c, n.name), (v) => {
      let best: { unit: string; daysLeft: number; notAfter: number } | null = null;
      for (const cert of v.certificates) if (!best || cert.notAfter < best.notAfter) best = { unit: cert.unit, notAfter: cert.notAfter, daysLeft: daysUntil(cert.notAfter, idx.now) };
      return best;
    }),
    sources,
    collection: {
      current: sources.filter((x) => x.state === 'fresh').length,
      total: sources.length,
      notCurrent: sources.filter((x) => x.state === 'stale' || x.state === 'failing').map((x) => ({ source: x.source, state: x.state, kind: x.state === 'failing' ? x.error?.kind : undefined })),
    },
  };
  if (n.product === 'imp') {
    summary.jsm = mapReading(perf, (p) => {
      const parts = JSM_CAPACITY_COUNTERS.map((k) => sample(p, 'Cisco XCP JSM', k)).filter((v): v is number => v !== undefined);
      if (!parts.length) return undefined;
      const sessions = parts.reduce((a, b) => a + b, 0);
      return { sessions, ratio: sessions / JSM_SESSION_CAPACITY, exceeds: (sample(p, 'Cisco XCP JSM', 'JSMSessionsExceedsThreshold') ?? 0) > 0, activeUsers: sample(p, 'Cisco Presence Engine', 'ActiveJsmSessions') ?? null };
    });
    const ha = idx.ha(c, n.name);
    if (idx.observation(c, n.name, 'ha')) summary.ha = mapReading(ha, (v) => (v.self ? { group: v.self.group, state: v.self.state, reason: v.self.reason } : undefined));
  }
  return summary;
}
