// The engine: turns the inventory into poll tasks (source × node, this shard's nodes only),
// runs them through the scheduler, keeps the store current and the metrics registry fed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Inventory, InventoryCluster, InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import { SerialQueue } from '../clients/axl';
import type { RequestHooks } from '../clients/hooks';
import { CollectError, errorKind } from '../errors';
import { CollectorMetrics, type EngineView, type MetricsEmitter } from '../metrics/registry';
import type { Source, SourceClients, SourceContext } from '../sources/types';
import { RequestBudget } from './budget';
import { createNodeClients, type NodeClientHandle } from './clients';
import { Scheduler, type PollOutcome, type PollTask } from './scheduler';
import { ownsNode, type Shard } from './shard';
import { safeRaw } from '../parsers/problems';
import { setMaxXmlBytes } from '../parsers/xml';
import { ObservationStore, type ParseProblem } from './store';
import type { SessionLedger } from './session-ledger';
import { nodeFingerprint } from './fingerprint';

/** Protocols that are SOAP requests to the node and count against its per-minute budget. */
const BUDGETED = new Set(['perfmon', 'controlcenter', 'axl']);

export interface EngineOptions {
  shard?: Shard;
  sources: readonly Source[];
  /** Replaces the real clients (tests). */
  clientsFactory?: (node: InventoryNode, cluster: InventoryCluster, hooks: RequestHooks) => NodeClientHandle;
  /** Scheduler tuning (tests, bench). */
  firstSpreadMs?: number;
  jitter?: number;
  backoffBaseMs?: number;
  /** Where the engine's log lines go (default: stderr). */
  log?: (line: string) => void;
  /** Records open PerfMon sessions per node so a crash does not leak them (session-ledger.ts). */
  ledger?: SessionLedger;
}

interface NodeRuntime {
  node: InventoryNode;
  cluster: InventoryCluster;
  budget: RequestBudget;
  clients: NodeClientHandle;
  /** Set when the node left the inventory: its polls still in flight record nothing. */
  removed?: boolean;
  /** Its poll task ids. */
  tasks: string[];
}

/** What applyInventory changed. */
export interface InventoryChange {
  added: string[];
  removed: string[];
  /** Nodes whose connection settings changed: closed and started again. */
  replaced: string[];
  /** Nodes kept as they were, sessions and all. */
  kept: string[];
  /** Settings that only a restart applies. */
  needsRestart: string[];
}

export class Engine {
  readonly store = new ObservationStore();
  readonly metrics: CollectorMetrics;
  readonly scheduler: Scheduler;
  private readonly nodes = new Map<string, NodeRuntime>();
  private readonly axlQueues = new Map<string, SerialQueue>();
  private readonly sources: ReadonlyMap<SourceName, Source>;
  private started = false;
  readonly version: string;

  constructor(
    public inventory: Inventory,
    private readonly opts: EngineOptions,
  ) {
    this.sources = new Map(opts.sources.map((s) => [s.name, s]));
    if (inventory.limits.maxResponseMegabytes !== undefined) setMaxXmlBytes(megabytes(inventory.limits.maxResponseMegabytes)!);
    this.version = packageVersion();
    const emitters = new Map<SourceName, MetricsEmitter>(opts.sources.map((s) => [s.name, s as MetricsEmitter]));
    const self = this;
    const view: EngineView = {
      version: this.version,
      shard: opts.shard ? `${opts.shard.index}/${opts.shard.count}` : '1/1',
      nodeCount: () => this.nodes.size,
      *budgets() {
        for (const r of self.nodes.values()) yield { cluster: r.cluster.name, node: r.node.name, limit: r.budget.limit, used: r.budget.used() };
      },
      *backoffs() {
        for (const r of self.nodes.values()) yield { cluster: r.cluster.name, node: r.node.name, untilMs: self.scheduler.backoffOf(r.cluster.name, r.node.name).until };
      },
      *nodes() {
        for (const r of self.nodes.values()) yield { cluster: r.cluster, node: r.node };
      },
    };
    this.metrics = new CollectorMetrics(this.store, emitters, view);
    this.scheduler = new Scheduler({
      maxConcurrent: inventory.limits.maxConcurrentPolls,
      onOutcome: (o) => this.onOutcome(o),
      onMissed: (t) => this.metrics.pollsMissed.inc({ cluster: t.cluster, node: t.node, source: t.source }),
      onBackoffSkip: (t) => this.metrics.pollsBackedOff.inc({ cluster: t.cluster, node: t.node, source: t.source }),
      firstSpreadMs: opts.firstSpreadMs,
      jitter: opts.jitter,
      backoffBaseMs: opts.backoffBaseMs,
    });
    for (const cluster of inventory.clusters) {
      for (const node of cluster.nodes) this.addNode(node, cluster);
    }
  }

  /** Nodes this engine (shard) polls. */
  polledNodes(): Array<{ cluster: InventoryCluster; node: InventoryNode }> {
    return [...this.nodes.values()].map((r) => ({ cluster: r.cluster, node: r.node }));
  }

  budgetOf(cluster: string, node: string): RequestBudget | undefined {
    return this.nodes.get(`${cluster}/${node}`)?.budget;
  }

  /** Adds a node (from the config, or discovered) and its poll tasks, when this shard owns it. */
  addNode(node: InventoryNode, cluster: InventoryCluster): boolean {
    const id = `${cluster.name}/${node.name}`;
    if (this.nodes.has(id) || !ownsNode(this.opts.shard, cluster.name, node.name)) return false;
    const budget = new RequestBudget(node.perfmon.requestsPerMinute);
    const hooks: RequestHooks = {
      beforeRequest: (info) => {
        if (BUDGETED.has(info.protocol)) budget.take(`${info.node}: ${info.protocol} ${info.operation}`);
      },
      onRequest: (ev) => {
        this.metrics.requests.inc({ cluster: cluster.name, node: node.name, protocol: ev.protocol, operation: ev.operation, outcome: ev.outcome });
      },
    };
    const clients = this.opts.clientsFactory
      ? this.opts.clientsFactory(node, cluster, hooks)
      : createNodeClients(node, cluster, hooks, {
          requestTimeoutMs: this.inventory.limits.requestTimeout * 1000,
          cliTimeoutMs: this.inventory.limits.cliCommandTimeout * 1000,
          maxResponseBytes: megabytes(this.inventory.limits.maxResponseMegabytes),
          maxCliOutputBytes: megabytes(this.inventory.limits.maxCliOutputMegabytes),
          axlQueue: (c) => {
            let q = this.axlQueues.get(c.name);
            if (!q) this.axlQueues.set(c.name, (q = new SerialQueue()));
            return q;
          },
          ledger: this.opts.ledger,
        });
    const rt: NodeRuntime = { node, cluster, budget, clients, tasks: [] };
    this.nodes.set(id, rt);
    for (const source of this.sources.values()) {
      if (!appliesTo(source, node, cluster)) continue;
      const intervalMs = (node.polling[source.name] ?? cluster.polling[source.name]) * 1000;
      this.store.declare(cluster.name, node.name, source.name, intervalMs);
      const task = this.task(rt, source, intervalMs);
      rt.tasks.push(task.id);
      this.scheduler.add(task);
    }
    return true;
  }

  /**
   * Stops polling a node: its tasks leave the scheduler, its observations and per-node series
   * leave the store and /metrics, and its sessions (PerfMon, SSH) are closed on the node.
   */
  async removeNode(cluster: string, node: string): Promise<boolean> {
    const id = `${cluster}/${node}`;
    const rt = this.nodes.get(id);
    if (!rt) return false;
    rt.removed = true;
    this.nodes.delete(id);
    for (const t of rt.tasks) this.scheduler.remove(t);
    for (const o of this.store.list({ cluster, node })) this.store.remove(cluster, node, o.source);
    for (const c of [this.metrics.pollErrors, this.metrics.pollsMissed, this.metrics.pollsBackedOff, this.metrics.requests]) {
      for (const v of (await c.get()).values) if (v.labels.cluster === cluster && v.labels.node === node) c.remove(v.labels as Record<string, string>);
    }
    await this.closeClients(rt);
    return true;
  }

  /** Closes a node's sessions, every kind at once: a PerfMon close stuck on a hung node does not hold up its SSH connections. */
  private async closeClients(rt: NodeRuntime): Promise<void> {
    await Promise.allSettled([...[...this.sources.values()].map((s) => s.close?.(rt.clients)), rt.clients.close()]);
  }

  /**
   * Moves the engine to a new inventory (a configuration reload) without a restart: nodes that
   * left are removed, new ones added, nodes whose connection or polling settings changed are
   * closed and started again, and every other node keeps its clients and open sessions.
   */
  async applyInventory(next: Inventory): Promise<InventoryChange> {
    const change: InventoryChange = { added: [], removed: [], replaced: [], kept: [], needsRestart: [] };
    if (next.limits.maxConcurrentPolls !== this.inventory.limits.maxConcurrentPolls) change.needsRestart.push('limits.maxConcurrentPolls');
    const wanted = new Map<string, { node: InventoryNode; cluster: InventoryCluster }>();
    for (const cluster of next.clusters) for (const node of cluster.nodes) if (ownsNode(this.opts.shard, cluster.name, node.name)) wanted.set(`${cluster.name}/${node.name}`, { node, cluster });
    const oldClusters = new Map(this.inventory.clusters.map((c) => [c.name, c]));
    for (const [id, rt] of [...this.nodes]) {
      const w = wanted.get(id);
      const discovered = !w && rt.cluster.discoverNodes && rt.node.name !== rt.cluster.publisher;
      const nextCluster = next.clusters.find((c) => c.name === rt.cluster.name);
      const oldPublisher = oldClusters.get(rt.cluster.name)?.nodes[0];
      if (discovered && nextCluster?.discoverNodes && oldPublisher && nodeFingerprint(nextCluster.nodes[0], nextCluster) === nodeFingerprint(oldPublisher, rt.cluster)) {
        // A node discovered through AXL, in a cluster whose publisher settings did not change.
        const node = { ...rt.node, ...pickInherited(nextCluster.nodes[0]) };
        nextCluster.nodes.push(node);
        rt.node = node;
        rt.cluster = nextCluster;
        change.kept.push(id);
        continue;
      }
      if (!w) {
        await this.removeNode(rt.cluster.name, rt.node.name);
        change.removed.push(id);
      } else if (nodeFingerprint(w.node, w.cluster) !== nodeFingerprint(rt.node, rt.cluster)) {
        await this.removeNode(rt.cluster.name, rt.node.name);
        change.replaced.push(id);
      } else {
        // Same connection and polling: keep clients and sessions, take the new objects (peers,
        // groups, version and thresholds may have changed; sources read them at poll time).
        rt.node = w.node;
        rt.cluster = w.cluster;
        change.kept.push(id);
      }
    }
    next.nodes = next.clusters.flatMap((c) => c.nodes);
    this.inventory = next;
    for (const [id, w] of wanted) {
      if (this.nodes.has(id)) continue;
      this.addNode(w.node, w.cluster);
      if (!change.replaced.includes(id)) change.added.push(id);
    }
    return change;
  }

  private task(rt: NodeRuntime, source: Source, intervalMs: number): PollTask {
    const requestTimeoutMs = this.inventory.limits.requestTimeout * 1000;
    const cliTimeoutMs = this.inventory.limits.cliCommandTimeout * 1000;
    const timeoutMs = Math.max(1000, source.timeoutMs({ requestTimeoutMs, cliTimeoutMs, intervalMs }));
    return {
      id: `${rt.cluster.name}/${rt.node.name}/${source.name}`,
      cluster: rt.cluster.name,
      node: rt.node.name,
      source: source.name,
      lane: source.lane,
      intervalMs,
      timeoutMs,
      backsOff: source.backsOff,
      run: async (signal) => {
        const problems: ParseProblem[] = [];
        const ctx: SourceContext = {
          inventory: this.inventory,
          cluster: rt.cluster,
          node: rt.node,
          clients: rt.clients,
          clientsOf: (c, n) => this.nodes.get(`${c}/${n}`)?.clients,
          signal,
          intervalMs,
          requestTimeoutMs,
          cliTimeoutMs,
          reportProblems: (command, unparsed) => {
            // safeRaw again: a source may hand rows that did not come through RowProblems.
            for (const u of unparsed) problems.push({ line: u.line, raw: safeRaw(u.raw), reason: u.reason, command });
          },
        };
        const raw = await source.poll(ctx);
        const checked = source.schema.safeParse(raw);
        if (!checked.success) {
          throw new CollectError('parse', `${source.name} observation of ${rt.node.name} failed validation: ${checked.error.issues[0]?.message ?? 'invalid'}`);
        }
        if (signal.aborted || rt.removed) return; // timed out (recorded by the scheduler), or the node left
        this.store.recordSuccess(rt.cluster.name, rt.node.name, source.name, intervalMs, checked.data, 0, problems);
        if (problems.length) this.metrics.parseProblems.inc({ cluster: rt.cluster.name, node: rt.node.name, source: source.name }, problems.length);
        this.logProblems(rt, source.name, problems);
        this.afterSuccess(rt, source, checked.data);
      },
    };
  }

  private onOutcome(o: PollOutcome): void {
    const t = o.task;
    if (!this.nodes.has(`${t.cluster}/${t.node}`)) return; // the node left the inventory meanwhile
    const labels = { cluster: t.cluster, node: t.node, source: t.source };
    this.metrics.pollDuration.observe({ cluster: t.cluster, source: t.source }, o.durationMs / 1000);
    const e = this.store.get(t.cluster, t.node, t.source);
    if (o.ok) {
      if (e) e.durationMs = o.durationMs;
      return;
    }
    const kind = o.kind ?? errorKind(o.error);
    this.metrics.pollErrors.inc({ ...labels, reason: kind });
    this.store.recordFailure(t.cluster, t.node, t.source, t.intervalMs, kind, errorMessage(o.error), o.durationMs);
  }

  /** Last logged problem signature per task: a line when the unparsed rows change, not every poll. */
  private readonly loggedProblems = new Map<string, string>();

  private logProblems(rt: NodeRuntime, source: SourceName, problems: ParseProblem[]): void {
    const key = `${rt.cluster.name}/${rt.node.name}/${source}`;
    const first = problems[0];
    const signature = first ? `${problems.length}\u0000${first.command}\u0000${first.line}\u0000${first.reason}` : '';
    if ((this.loggedProblems.get(key) ?? '') === signature) return;
    this.loggedProblems.set(key, signature);
    const log = this.opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    if (!first) log(`impulse: ${key}: every row parsed again`);
    else
      log(
        `impulse: ${key}: ${problems.length} unparsed row(s); first: ${first.command ?? source}, line ${first.line}: ${first.reason}; raw: ${JSON.stringify(first.raw)}`,
      );
  }

  /** Discovered nodes of clusters configured without a node list become poll targets. */
  private afterSuccess(rt: NodeRuntime, source: Source, value: unknown): void {
    if (source.name !== 'inventory' || !rt.cluster.discoverNodes) return;
    const nodes = (value as { nodes?: Array<{ name: string; role?: 'publisher' | 'subscriber'; group?: string }> }).nodes ?? [];
    for (const d of nodes) {
      if (rt.cluster.nodes.some((n) => n.name === d.name)) continue;
      const template = rt.node;
      const node: InventoryNode = {
        ...template,
        id: `${rt.cluster.name}/${d.name}`,
        name: d.name,
        host: d.name,
        role: d.role ?? 'subscriber',
        group: d.group,
      };
      rt.cluster.nodes.push(node);
      this.inventory.nodes.push(node);
      this.addNode(node, rt.cluster);
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.scheduler.start();
  }

  /** Polls every source once (inventory first, so discovered nodes are included). */
  async runOnce(): Promise<PollOutcome[]> {
    const first = await this.scheduler.runOnce((t) => t.source === 'inventory');
    const rest = await this.scheduler.runOnce((t) => t.source !== 'inventory');
    return [...first, ...rest];
  }

  /**
   * Stops polling and closes every node's sessions (PerfMon sessions, SSH shells, sockets). With
   * a deadline, returns when it passes even if some node has not answered (a hung node): what
   * was not closed stays in the session ledger and is closed at the next start.
   */
  async stop(deadlineMs?: number): Promise<{ closed: boolean }> {
    await this.scheduler.stop();
    const closing = Promise.allSettled([...this.nodes.values()].map((rt) => this.closeClients(rt))).then(() => true);
    if (deadlineMs === undefined) return { closed: await closing };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), deadlineMs)));
    const closed = await Promise.race([closing, late]);
    clearTimeout(timer);
    return { closed };
  }

  clientsOf(cluster: string, node: string): SourceClients | undefined {
    return this.nodes.get(`${cluster}/${node}`)?.clients;
  }
}

export function appliesTo(source: Source, node: InventoryNode, cluster: InventoryCluster): boolean {
  if (!source.products.includes(cluster.product)) return false;
  if (source.scope === 'publisher' && node.name !== cluster.publisher) return false;
  return source.appliesTo ? source.appliesTo(node, cluster) : true;
}

function megabytes(mb: number | undefined): number | undefined {
  return mb === undefined ? undefined : Math.round(mb * 1024 * 1024);
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve('../../package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** What a discovered node inherits from its cluster's configured publisher. */
function pickInherited(n: InventoryNode): Pick<InventoryNode, 'polling' | 'perfmon' | 'tls' | 'ssh' | 'credentials' | 'ports'> {
  return { polling: n.polling, perfmon: n.perfmon, tls: n.tls, ssh: n.ssh, credentials: n.credentials, ports: n.ports };
}
