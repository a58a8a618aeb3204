// Gathers the datasets a run needs. A recent enough observation from the running collector's store
// is used as is (never older than five minutes, and only when the collector's latest attempt
// succeeded); anything else is collected on demand through the node's clients (collect/clients.ts)
// with bounded parallelism across nodes, one command at a time per node. A node that cannot be
// reached costs one timeout: the rest of its CLI or SOAP reads fail at once with the same error, so a
// dead node becomes an Error row and never holds the run up.
import { parseCoreActiveList } from '../../collectors/parsers/core-active-list';
import { parseDiagnoseTest } from '../../collectors/parsers/diagnose-test';
import { parseNtpStatus } from '../../collectors/parsers/ntp-status';
import { parsePerfQuery } from '../../collectors/parsers/perf-query';
import { parseShowStatus, type ShowStatus } from '../../collectors/parsers/show-status';
import { certificatesSource } from '../../collectors/sources/certificates';
import { haSource } from '../../collectors/sources/ha';
import { peersSource } from '../../collectors/sources/peers';
import { replicationSource, type ReplicationObservation } from '../../collectors/sources/replication';
import { servicesSource } from '../../collectors/sources/services';
import type { Source, SourceClients, SourceContext } from '../../collectors/sources/types';
import type { ObservationStore } from '../../collectors/engine/store';
import { Semaphore } from '../../collectors/engine/semaphore';
import { CollectError, errorKind } from '../../collectors/errors';
import type { PerfmonObservation } from '../../collectors/sources/perfmon';
import type { InventoryObservation } from '../../collectors/sources/inventory';
import type { Inventory, InventoryCluster, InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import { UserTable } from '../users/table';
import { fetchClusterUsers } from '../users/fetch';
import { inferAddressing } from '../users/addressing';
import type { ClusterUsersReading, UsersDataset } from '../users/dataset';
import { sleep, type DiagnosticClients } from './clients';
import { datasetTargets, nodeId, type DatasetName, type Datasets, type NodeData, type NodeDatasetName, type NodeReading, type PartitionReading, type ReplicationReading } from './datasets';

/** Store readings older than this, or of sources polled less often, are collected again. */
export const MAX_STORE_AGE_MS = 5 * 60_000;

export interface CollectOptions {
  inventory: Inventory;
  /** Clusters whose nodes are read (the run's scope). Users are read from every IM&P cluster: duplicates span the fleet. */
  clusters: InventoryCluster[];
  datasets: readonly DatasetName[];
  clients: DiagnosticClients;
  /** The running collector's observations (embedded mode). */
  store?: ObservationStore;
  /** Nodes collected at once. */
  concurrency: number;
  axlPageSize: number;
  /** Gap between two replication readings when the queue is not empty and no earlier reading is known. */
  replicationSampleMs: number;
  /** The latest replication reading taken before `before` (epoch ms) the caller remembers (embedded: the collector's polls). */
  previousReplication?: (cluster: string, node: string, before: number) => ReplicationReading['previous'];
  signal: AbortSignal;
  /** A dataset finished (every target read or failed). */
  onDataset(name: DatasetName, data: Datasets): void;
  onProgress(name: DatasetName, done: number, total: number, errors: number): void;
}

type Fail = { kind: string; message: string };
const fail = (err: unknown): Fail => ({ kind: errorKind(err) === 'internal' ? 'internal' : errorKind(err), message: err instanceof Error ? err.message : String(err) });

/** Errors after which the same node will not answer the next request of the same protocol either. */
const DEAD = new Set(['connection', 'timeout', 'auth', 'ssh-host-key', 'tls', 'config']);

/** One node's context for on-demand reads: its clients, and the first fatal error per protocol. */
class NodeLink {
  cliDead?: Fail;
  soapDead?: Fail;
  private statusText?: Promise<ShowStatus>;
  constructor(
    readonly cluster: InventoryCluster,
    readonly node: InventoryNode,
    readonly clients: SourceClients,
    private readonly o: CollectOptions,
  ) {}

  async cli(command: string, timeoutMs: number): Promise<string> {
    if (this.cliDead) throw new CollectError(this.cliDead.kind as 'connection', this.cliDead.message);
    try {
      return await this.clients.cli.run(command, { timeoutMs, signal: this.o.signal });
    } catch (err) {
      if (DEAD.has(errorKind(err))) this.cliDead = fail(err);
      throw err;
    }
  }

  /** `show status`, run once per node and run (versions and partitions both read it). */
  showStatus(): Promise<ShowStatus> {
    this.statusText ??= this.cli('show status', this.cliTimeout()).then((t) => parseShowStatus(t, this.node.name));
    return this.statusText;
  }

  cliTimeout(): number {
    return this.o.inventory.limits.cliCommandTimeout * 1000;
  }

  /** Polls a collector source on demand with this node's clients. */
  async poll<T>(source: Source<T>, soap: boolean): Promise<T> {
    if (soap && this.soapDead) throw new CollectError(this.soapDead.kind as 'connection', this.soapDead.message);
    const requestTimeoutMs = this.o.inventory.limits.requestTimeout * 1000;
    const cliTimeoutMs = this.cliTimeout();
    const intervalMs = (this.node.polling[source.name] ?? 60) * 1000;
    const timeout = Math.max(1000, source.timeoutMs({ requestTimeoutMs, cliTimeoutMs, intervalMs: Math.max(intervalMs, 60_000) }));
    const ac = new AbortController();
    const onAbort = () => ac.abort(this.o.signal.reason);
    this.o.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => ac.abort(new CollectError('timeout', `${source.name} of ${this.node.name} timed out after ${Math.round(timeout / 1000)} s`)), timeout);
    const ctx: SourceContext = {
      inventory: this.o.inventory,
      cluster: this.cluster,
      node: this.node,
      clients: this.clients,
      clientsOf: (c, n) => this.o.clients.engine.clientsOf(c, n),
      signal: ac.signal,
      intervalMs,
      requestTimeoutMs,
      cliTimeoutMs,
      // Rows a parser could not read are the collector's to report (its own polls count them); a
      // troubleshooter reading judges with the rows it could read.
      reportProblems: () => undefined,
    };
    try {
      if (soap) await this.o.clients.awaitBudget(this.cluster.name, this.node.name, this.o.signal);
      const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true }));
      const raw = await Promise.race([source.poll(ctx), aborted]);
      const checked = source.schema.safeParse(raw);
      if (!checked.success) throw new CollectError('parse', `${source.name} of ${this.node.name}: ${checked.error.issues[0]?.message ?? 'invalid observation'}`);
      return checked.data;
    } catch (err) {
      if (soap && DEAD.has(errorKind(err))) this.soapDead = fail(err);
      throw err;
    } finally {
      clearTimeout(timer);
      this.o.signal.removeEventListener('abort', onAbort);
    }
  }
}

/** What one node dataset reads: from the store when it can, else on demand. */
interface Reader<T> {
  store?: { source: SourceName; map: (value: unknown) => T | undefined };
  onDemand(link: NodeLink): Promise<T>;
}

const DIAGNOSE_MIN_TIMEOUT_MS = 300_000;

function readers(o: CollectOptions): { [K in NodeDatasetName]: Reader<NonNullable<Datasets[K]> extends NodeData<infer T> ? T : never> } {
  return {
    services: {
      store: { source: 'services', map: (v) => v as never },
      onDemand: (l) => (o.clients.count(l.cluster.name, l.node.name, 'controlcenter'), l.poll(servicesSource, true)),
    },
    replication: {
      store: { source: 'replication', map: (v) => v as ReplicationObservation },
      onDemand: (l) => l.poll(replicationSource, false),
    },
    ha: { store: { source: 'ha', map: (v) => v as never }, onDemand: (l) => l.poll(haSource, false) },
    certificates: { store: { source: 'certificates', map: (v) => v as never }, onDemand: (l) => l.poll(certificatesSource, false) },
    peers: {
      store: { source: 'peers', map: (v) => v as never },
      onDemand: (l) => (o.clients.count(l.cluster.name, l.node.name, 'tls', l.cluster.peers.length), l.poll(peersSource, false)),
    },
    versions: {
      store: { source: 'inventory', map: (v) => ({ version: (v as InventoryObservation).version }) },
      onDemand: async (l) => {
        const version = (await l.showStatus()).productVersion;
        if (version === null) throw new CollectError('parse', `${l.node.name}: show status printed no Product Ver`);
        return { version };
      },
    },
    partitions: {
      store: {
        source: 'perfmon',
        map: (v) => {
          const parts = (v as PerfmonObservation).samples.filter((s) => s.object === 'Partition' && s.counter === '% Used' && s.instance);
          return parts.length ? { partitions: parts.map((s) => ({ name: s.instance!, usedPercent: s.value })) } : undefined;
        },
      },
      onDemand: async (l): Promise<PartitionReading> => ({
        partitions: (await l.showStatus()).disks.map((d) => ({
          name: d.name === 'logging' ? 'Common' : d.name.charAt(0).toUpperCase() + d.name.slice(1),
          usedPercent: d.usedPercent,
          freeMB: d.freeKB / 1024,
          totalMB: d.totalKB / 1024,
        })),
      }),
    },
    jsm: {
      store: {
        source: 'perfmon',
        map: (v) => {
          const s = (v as PerfmonObservation).samples.find((x) => x.object === 'Cisco XCP JSM' && x.counter === 'JSMSessionsExceedsThreshold');
          return s ? { exceedsThreshold: s.value } : undefined;
        },
      },
      onDemand: async (l) => {
        const q = parsePerfQuery(await l.cli('show perf query counter "Cisco XCP JSM" JSMSessionsExceedsThreshold', l.cliTimeout()), l.node.name);
        const v = q.classes.flatMap((c) => c.values).find((x) => x.counter.toLowerCase() === 'jsmsessionsexceedsthreshold');
        if (!v) throw new CollectError('parse', `${l.node.name}: show perf query printed no JSMSessionsExceedsThreshold value`);
        return { exceedsThreshold: v.value };
      },
    },
    ntp: { onDemand: async (l) => parseNtpStatus(await l.cli('utils ntp status', l.cliTimeout()), l.node.name) },
    cores: { onDemand: async (l) => parseCoreActiveList(await l.cli('utils core active list', l.cliTimeout()), l.node.name) },
    diagnose: { onDemand: async (l) => parseDiagnoseTest(await l.cli('utils diagnose test', Math.max(DIAGNOSE_MIN_TIMEOUT_MS, 5 * l.cliTimeout())), l.node.name) },
  };
}

/** Quick datasets first on each node; `utils diagnose test` (minutes on a real node) last. */
const NODE_ORDER: NodeDatasetName[] = ['services', 'replication', 'ha', 'peers', 'versions', 'partitions', 'jsm', 'ntp', 'cores', 'certificates', 'diagnose'];

export async function collectDatasets(o: CollectOptions): Promise<Datasets> {
  const data: Datasets = {};
  const sem = new Semaphore(Math.max(1, o.concurrency));
  const rd = readers(o);
  const nodeSets = NODE_ORDER.filter((n) => o.datasets.includes(n));
  // Targets per dataset, and per node which datasets it takes part in.
  const byNode = new Map<string, { cluster: InventoryCluster; node: InventoryNode; sets: NodeDatasetName[] }>();
  const totals = new Map<NodeDatasetName, { total: number; done: number; errors: number }>();
  for (const name of nodeSets) {
    const targets = datasetTargets(name, o.clusters);
    totals.set(name, { total: targets.length, done: 0, errors: 0 });
    (data as Record<string, unknown>)[name] = new Map();
    for (const t of targets) {
      const id = nodeId(t.cluster.name, t.node.name);
      const e = byNode.get(id) ?? { cluster: t.cluster, node: t.node, sets: [] };
      e.sets.push(name);
      byNode.set(id, e);
    }
  }
  const settle = (name: NodeDatasetName, id: string, reading: NodeReading<unknown>) => {
    (data[name] as NodeData<unknown>).set(id, reading);
    const t = totals.get(name)!;
    t.done++;
    if (!reading.ok) t.errors++;
    o.onProgress(name, t.done, t.total, t.errors);
    if (t.done === t.total) o.onDataset(name, data);
  };
  for (const name of nodeSets) {
    const t = totals.get(name)!;
    o.onProgress(name, 0, t.total, 0);
    if (t.total === 0) o.onDataset(name, data);
  }

  const nodeTask = async (id: string, e: { cluster: InventoryCluster; node: InventoryNode; sets: NodeDatasetName[] }) => {
    // Store readings first: they need no slot.
    const pending: NodeDatasetName[] = [];
    for (const name of e.sets) {
      const fromStore = readStore(o, rd[name] as Reader<unknown>, e.cluster, e.node);
      if (fromStore) settle(name, id, await withPrevious(o, name, e, fromStore));
      else pending.push(name);
    }
    if (!pending.length) return;
    let link: NodeLink;
    try {
      link = new NodeLink(e.cluster, e.node, o.clients.forNode(e.cluster, e.node), o);
    } catch (err) {
      for (const name of pending) settle(name, id, { ok: false, error: fail(err) });
      return;
    }
    await sem.acquire(o.signal);
    try {
      for (const name of pending) {
        if (o.signal.aborted) throw o.signal.reason;
        let reading: NodeReading<unknown>;
        try {
          const value = await (rd[name] as Reader<unknown>).onDemand(link);
          reading = { ok: true, value, at: Date.now(), via: 'on-demand' };
          if (name === 'replication') reading = await secondReplicationReading(o, link, reading as NodeReading<ReplicationReading>, e);
        } catch (err) {
          if (o.signal.aborted) throw o.signal.reason;
          reading = { ok: false, error: fail(err) };
        }
        settle(name, id, reading);
      }
    } finally {
      sem.release();
    }
  };

  // The users have slots of their own (at most 8 publishers read at once: each holds its pages in
  // memory while it parses them), so nodes' reads are not queued behind minutes of AXL paging.
  const usersSem = new Semaphore(Math.max(1, Math.min(8, Math.ceil(o.concurrency / 2))));
  const usersTask = o.datasets.includes('users') ? collectUsers(o, usersSem, data) : Promise.resolve();
  await Promise.all([usersTask, ...[...byNode].map(([id, e]) => nodeTask(id, e))]);
  return data;
}

function readStore(o: CollectOptions, r: Reader<unknown>, cluster: InventoryCluster, node: InventoryNode): NodeReading<unknown> | undefined {
  if (!o.store || !r.store) return undefined;
  const obs = o.store.get(cluster.name, node.name, r.store.source);
  if (!obs || !obs.ok || obs.value === undefined || obs.at === undefined) return undefined;
  const now = o.store.now();
  // Only sources the collector polls at least every few minutes: an hourly certificate inventory or
  // a daily version read is read again, so a run sees the state of now, not of the last hour.
  if (obs.intervalMs > MAX_STORE_AGE_MS || !o.store.isFresh(obs, now) || now - obs.at > MAX_STORE_AGE_MS) return undefined;
  const value = r.store.map(obs.value);
  return value === undefined ? undefined : { ok: true, value, at: obs.at, via: 'store' };
}

/** A store reading of replication gets the caller's earlier reading, for REPL-QUEUE. */
async function withPrevious(o: CollectOptions, name: NodeDatasetName, e: { cluster: InventoryCluster; node: InventoryNode }, r: NodeReading<unknown>): Promise<NodeReading<unknown>> {
  if (name !== 'replication' || !r.ok) return r;
  const previous = o.previousReplication?.(e.cluster.name, e.node.name, r.at);
  return previous ? { ...r, value: { ...(r.value as ReplicationReading), previous } } : r;
}

/**
 * REPL-QUEUE needs two readings to tell a growing queue: when the queue is not empty and no earlier
 * reading is known, read again after `replicationSampleMs`.
 */
async function secondReplicationReading(o: CollectOptions, link: NodeLink, first: NodeReading<ReplicationReading>, e: { cluster: InventoryCluster; node: InventoryNode }): Promise<NodeReading<unknown>> {
  if (!first.ok) return first;
  const known = o.previousReplication?.(e.cluster.name, e.node.name, first.at);
  if (known) return { ...first, value: { ...first.value, previous: known } };
  if (!first.value.servers.some((s) => (s.queue ?? 0) > 0)) return first;
  await sleep(o.replicationSampleMs, o.signal);
  try {
    const second = await link.poll(replicationSource, false);
    return { ok: true, at: Date.now(), via: 'on-demand', value: { ...second, previous: { at: first.at, queues: Object.fromEntries(first.value.servers.map((s) => [s.name, s.queue])) } } };
  } catch {
    return first;
  }
}

/** Every IM&P cluster's users (the whole fleet, whatever the scope: a duplicate spans clusters). */
async function collectUsers(o: CollectOptions, sem: Semaphore, data: Datasets): Promise<void> {
  const table = new UserTable();
  const clusters = new Map<string, ClusterUsersReading>();
  const ds: UsersDataset = { table, clusters };
  const imps = o.inventory.clusters.filter((c) => c.product === 'imp');
  let done = 0;
  let errors = 0;
  o.onProgress('users', 0, imps.length, 0);
  // Each cluster reads into its own table, merged in config order, so row order does not depend on timing.
  const parts = await Promise.all(
    imps.map(async (c) => {
      const part = new UserTable();
      let reading: ClusterUsersReading;
      await sem.acquire(o.signal);
      try {
        const pub = c.nodes.find((n) => n.name === c.publisher);
        if (!pub) throw new CollectError('config', `${c.name}: publisher ${c.publisher} is not among its nodes`);
        const clients = o.clients.forNode(c, pub);
        reading = await fetchClusterUsers(c, clients, part, {
          pageSize: o.axlPageSize,
          pageTimeoutMs: Math.max(60_000, 4 * o.inventory.limits.requestTimeout * 1000),
          signal: o.signal,
          beforeRequest: async () => {
            await o.clients.awaitBudget(c.name, pub.name, o.signal);
            o.clients.count(c.name, pub.name, 'axl');
          },
        });
      } catch (err) {
        if (o.signal.aborted) throw o.signal.reason;
        reading = { cluster: c.name, ok: false, error: fail(err), assigned: 0, unassigned: 0, remote: 0, pages: 0 };
      } finally {
        sem.release();
      }
      done++;
      if (!reading.ok) errors++;
      o.onProgress('users', done, imps.length, errors);
      return { c, part, reading };
    }),
  );
  for (const { c, part, reading } of parts) {
    const ci = table.clusterOf(c.name);
    const nodeMap = part.nodes.map((n) => table.nodeOf(ci, n.name));
    const start = table.size;
    for (let r = 0; r < part.size; r++) {
      table.add(part.row(r), ci, nodeMap[part.node[r]]);
    }
    if (reading.ok) reading.addressing = inferAddressing(table, Array.from({ length: table.size - start }, (_, i) => start + i));
    clusters.set(c.name, reading);
  }
  data.users = ds;
  o.onDataset('users', data);
}
