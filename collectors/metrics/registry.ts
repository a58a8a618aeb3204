// The collector's prom-client Registry (a dedicated one, never the global default).
// Source metrics and the per-target self-metrics are derived from the observation store at
// scrape time; poll and request counters and the poll-duration histogram are updated live.
import { Counter, Histogram, Registry } from 'prom-client';
import type { InventoryCluster, InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import type { Observation, ObservationStore } from '../engine/store';
import { catalogue, metrics, type MetricDef, type MetricId } from './catalogue';
import { DerivedMetric, type DerivedValue } from './derived';
import type { Labels, MetricSink } from './sink';

/** What the registry needs from each source: how an observation becomes samples. */
export interface MetricsEmitter {
  emit(obs: Observation, out: MetricSink): void;
}

/** What the registry reads from the engine at scrape time. */
export interface EngineView {
  readonly version: string;
  /** "i/n", or "1/1" when not sharded. */
  readonly shard: string;
  nodeCount(): number;
  /** The nodes this collector polls (each gets exactly one impulse_node_info series). */
  nodes(): Iterable<{ cluster: InventoryCluster; node: InventoryNode }>;
  budgets(): Iterable<{ cluster: string; node: string; limit: number; used: number }>;
  backoffs(): Iterable<{ cluster: string; node: string; untilMs: number }>;
}

type LiveCounter = Counter<string>;

export class CollectorMetrics {
  /** Everything, for readers that use prom-client directly (getMetricsAsJSON, getSingleMetric). */
  readonly registry = new Registry();
  /** Only the live counters and the histogram; /metrics renders the derived gauges itself. */
  private readonly live = new Registry();
  /** Rendered sample lines per observation, reused while the observation is unchanged. */
  private readonly lineCache = new WeakMap<Observation, { at: number | undefined; json: string; lines: Map<MetricId, string> }>();
  private readonly derived = new Map<MetricId, DerivedMetric>();
  readonly pollDuration: Histogram<string>;
  readonly pollErrors: LiveCounter;
  readonly pollsMissed: LiveCounter;
  readonly pollsBackedOff: LiveCounter;
  readonly requests: LiveCounter;
  readonly parseProblems: LiveCounter;
  private refreshedAt = 0;
  private readonly ids = new Map<string, MetricId>();

  constructor(
    private readonly store: ObservationStore,
    private readonly emitters: ReadonlyMap<SourceName, MetricsEmitter>,
    private readonly engine: EngineView,
  ) {
    for (const [id, def] of Object.entries(metrics) as [MetricId, MetricDef][]) {
      this.ids.set(def.name, id);
      if (def.type === 'gauge') {
        const d = new DerivedMetric(def, () => this.refresh(false));
        this.derived.set(id, d);
        this.registry.registerMetric(d as never);
      }
    }
    const counter = (d: MetricDef) => new Counter({ name: d.name, help: d.help, labelNames: [...d.labels], registers: [this.registry, this.live] });
    this.pollErrors = counter(metrics.pollErrors);
    this.pollsMissed = counter(metrics.pollsMissed);
    this.pollsBackedOff = counter(metrics.pollsBackedOff);
    this.requests = counter(metrics.requests);
    this.parseProblems = counter(metrics.parseProblems);
    this.pollDuration = new Histogram({
      name: metrics.pollDuration.name,
      help: metrics.pollDuration.help,
      labelNames: [...metrics.pollDuration.labels],
      buckets: [...metrics.pollDuration.buckets],
      registers: [this.registry, this.live],
    });
    const unregistered = catalogue.filter((d) => d.type !== 'gauge' && !this.registry.getSingleMetric(d.name));
    if (unregistered.length) throw new Error(`catalogue metrics without an implementation: ${unregistered.map((d) => d.name).join(', ')}`);
  }

  /**
   * Prometheus text exposition of everything. The derived gauges are formatted here rather than
   * by prom-client: a full mesh has ~150,000 series, nearly all of them unchanged between
   * scrapes, so each observation's lines are formatted once and reused until it changes.
   */
  async render(): Promise<string> {
    const now = this.store.now();
    const chunks = new Map<MetricId, string[]>();
    for (const id of this.derived.keys()) chunks.set(id, []);
    const fmt = lineFormatter(chunks);
    this.walkEngine(now, fmt);
    for (const e of this.store.list()) {
      if (e.value === undefined || !this.store.isFresh(e, now)) continue;
      for (const [id, text] of this.cachedLines(e)) chunks.get(id)?.push(text);
    }
    // One join over every piece: the body (~12 MB on a full mesh) is built exactly once, with no
    // per-metric or header+live intermediate copies of it (those doubled the scrape's memory peak).
    const pieces: string[] = [];
    for (const [id, d] of this.derived) {
      pieces.push(this.headerOf(d));
      for (const text of chunks.get(id)!) pieces.push(text);
    }
    pieces.push(await this.live.metrics());
    return pieces.join('\n');
  }

  /** An observation's sample lines, one string per metric, formatted once per content change. */
  private cachedLines(e: Observation): Map<MetricId, string> {
    let cached = this.lineCache.get(e);
    if (cached && cached.at === e.at) return cached.lines;
    // A new poll often brings the same content (services, HA, certificates): compare it
    // serialised, which is far cheaper than formatting hundreds of lines again.
    const json = JSON.stringify(e.value);
    if (cached && cached.json === json) {
      cached.at = e.at;
      return cached.lines;
    }
    const raw = new Map<MetricId, string[]>();
    this.emitSource(e, lineFormatter(raw, new Set<string>()));
    // One string per metric and observation: far fewer objects to keep than one per line.
    const lines = new Map<MetricId, string>([...raw].map(([id, l]) => [id, l.join('\n')]));
    cached = { at: e.at, json, lines };
    this.lineCache.set(e, cached);
    return lines;
  }

  private readonly headers = new Map<DerivedMetric, string>();

  private headerOf(d: DerivedMetric): string {
    let h = this.headers.get(d);
    if (h === undefined) this.headers.set(d, (h = `# HELP ${d.name} ${escapeHelp(d.help)}\n# TYPE ${d.name} gauge`));
    return h;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Recomputes every derived metric from the store. Called once per scrape (render) and, for
   * readers that go to the Registry directly, at most once a second.
   */
  refresh(force: boolean): void {
    const now = this.store.now();
    if (!force && Math.abs(now - this.refreshedAt) < 1000) return;
    this.refreshedAt = now;
    for (const d of this.derived.values()) d.reset();
    const out = this.collectingSink((id) => this.derivedOf(id).values);
    this.walkEngine(now, out);
    for (const e of this.store.list()) if (e.value !== undefined && this.store.isFresh(e, now)) this.emitSource(e, out);
  }

  private derivedOf(id: MetricId): DerivedMetric {
    const d = this.derived.get(id);
    if (!d) throw new Error(`metric ${String(id)} is not a derived gauge`);
    return d;
  }

  /**
   * A sink that keeps samples with exactly the catalogue's labels, in its order (a missing one is
   * ""), non-finite values dropped and repeats replaced (last write wins): what /metrics exposes.
   */
  private collectingSink(into: (id: MetricId) => DerivedValue[]): MetricSink {
    const seen = new Map<MetricId, Map<string, number>>();
    return (id, labels, value) => {
      const def = this.derivedOf(id).def;
      if (!Number.isFinite(value)) return;
      let keys = seen.get(id);
      if (!keys) seen.set(id, (keys = new Map()));
      const norm: Labels = {};
      let key = '';
      for (const l of def.labels) {
        const v = labels[l] ?? '';
        norm[l] = v;
        key += `${v}\u0000`;
      }
      const list = into(id);
      const at = keys.get(key);
      if (at !== undefined) list[at] = { labels: norm, value };
      else {
        keys.set(key, list.length);
        list.push({ labels: norm, value });
      }
    };
  }

  /** Per observation, its derived samples by metric, built once per poll (see samples()). */
  private readonly sampleCache = new WeakMap<Observation, { at: number | undefined; byId: Map<MetricId, DerivedValue[]> }>();

  /**
   * The current samples of the derived gauges (all, or those in `ids`): the same emitters, the
   * same freshness rule and the same labels as /metrics, for in-process readers such as the
   * embedded alert evaluator. Each observation's samples are derived once per poll and reused
   * until the next poll replaces it, so a reader may call this every few seconds on a full mesh.
   * Repeats are merged within an observation (and among the engine's own metrics); no two sources
   * emit the same series, so nothing is merged across observations.
   */
  samples(ids?: ReadonlySet<MetricId>): ReadonlyMap<MetricId, readonly DerivedValue[]> {
    const result = new Map<MetricId, DerivedValue[]>();
    for (const [id, groups] of this.sampleGroups(ids)) result.set(id, groups.flat());
    return result;
  }

  /**
   * samples(), in groups: one array per observation, the same array object (and the same sample
   * objects) for as long as the observation is unchanged, plus one group of the engine's own
   * metrics, new on every call. Lets a reader cache what it derives from each group.
   */
  sampleGroups(ids?: ReadonlySet<MetricId>): ReadonlyMap<MetricId, ReadonlyArray<readonly DerivedValue[]>> {
    const now = this.store.now();
    const result = new Map<MetricId, Array<readonly DerivedValue[]>>();
    const groupsOf = (id: MetricId) => {
      let l = result.get(id);
      if (!l) result.set(id, (l = []));
      return l;
    };
    const engine = new Map<MetricId, DerivedValue[]>();
    const engineSink = this.collectingSink((id) => {
      let l = engine.get(id);
      if (!l) engine.set(id, (l = []));
      return l;
    });
    const want = (id: MetricId) => !ids || ids.has(id);
    this.walkEngine(
      now,
      (id, labels, value) => {
        if (want(id)) engineSink(id, labels, value);
      },
      want,
    );
    for (const [id, list] of engine) groupsOf(id).push(list);
    for (const e of this.store.list()) {
      if (e.value === undefined || !this.store.isFresh(e, now)) continue;
      let cached = this.sampleCache.get(e);
      if (!cached || cached.at !== e.at) {
        const byId = new Map<MetricId, DerivedValue[]>();
        this.emitSource(
          e,
          this.collectingSink((id) => {
            let l = byId.get(id);
            if (!l) byId.set(id, (l = []));
            return l;
          }),
        );
        this.sampleCache.set(e, (cached = { at: e.at, byId }));
      }
      for (const [id, list] of cached.byId) if (!ids || ids.has(id)) groupsOf(id).push(list);
    }
    return result;
  }

  /**
   * The samples one observation yields, exactly as /metrics exports them while it is fresh: the
   * per-target self-metrics and, when it has a value and `withSource`, the source's own metrics.
   * The history recorder reads observations through this, so a chart shows what Prometheus scrapes.
   */
  emitObservation(e: Observation, out: MetricSink, withSource = true): void {
    emitTargetMetrics(e, this.store.isFresh(e), out);
    if (withSource && e.value !== undefined) this.emitSource(e, out);
  }

  private emitSource(e: Observation, out: MetricSink): void {
    try {
      this.emitters.get(e.source)?.emit(e, out);
    } catch {
      // A malformed observation must not break the whole scrape; the store's zod check makes this rare.
    }
  }

  /** Self-metrics that depend on time (freshness, budgets, back-off) or on the engine. */
  private walkEngine(now: number, out: MetricSink, want: (id: MetricId) => boolean = () => true): void {
    const perEntry = want('targetUp') || want('lastSuccess') || want('lastDuration') || want('lastError');
    for (const e of perEntry ? this.store.list() : []) emitTargetMetrics(e, this.store.isFresh(e, now), out);
    if (want('budgetUsed') || want('budgetLimit')) {
      for (const b of this.engine.budgets()) {
        out('budgetUsed', { cluster: b.cluster, node: b.node }, b.used / b.limit);
        out('budgetLimit', { cluster: b.cluster, node: b.node }, b.limit);
      }
    }
    if (want('backoff')) for (const b of this.engine.backoffs()) out('backoff', { cluster: b.cluster, node: b.node }, b.untilMs > now ? b.untilMs / 1000 : 0);
    if (want('nodeInfo')) {
      for (const { cluster, node } of this.engine.nodes()) {
        // Version: what the node itself reported (inventory source: show status), else the config's.
        const inv = this.store.get<{ version?: string | null }>(cluster.name, node.name, 'inventory')?.value;
        out('nodeInfo', { cluster: cluster.name, node: node.name, product: node.product, role: node.role, version: inv?.version ?? cluster.version ?? '' }, 1);
      }
    }
    out('collectorInfo', { version: this.engine.version, shard: this.engine.shard }, 1);
    out('collectorTargets', {}, this.engine.nodeCount());
    out('collectorShards', {}, Number(this.engine.shard.split('/')[1]) || 1);
  }
}


/** Per-target self-metrics of one observation (freshness decided by the caller). */
function emitTargetMetrics(e: Observation, fresh: boolean, out: MetricSink): void {
  const base: Labels = { cluster: e.cluster, node: e.node, source: e.source };
  out('targetUp', base, e.ok && fresh ? 1 : 0);
  if (e.at !== undefined) out('lastSuccess', base, e.at / 1000);
  if (e.durationMs !== undefined && e.lastAttemptAt !== undefined) out('lastDuration', base, e.durationMs / 1000);
  if (!e.ok && e.error) out('lastError', { ...base, reason: e.error.kind }, 1);
}

/** Text-format escaping (exposition format 0.0.4): label values escape \\, " and newline; HELP escapes \\ and newline. */
function escapeLabel(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  return String(v);
}

/** A sink that formats each sample as an exposition line, in the catalogue's label order; `seen` drops repeats. */
function lineFormatter(into: Map<MetricId, string[]>, seen?: Set<string>): MetricSink {
  return (id, labels, value) => {
    if (!Number.isFinite(value)) return;
    const def = metrics[id];
    let l = '';
    for (const name of def.labels) l += `${l ? ',' : ''}${name}="${escapeLabel(labels[name] ?? '')}"`;
    const head = l ? `${def.name}{${l}}` : def.name;
    if (seen) {
      if (seen.has(head)) return;
      seen.add(head);
    }
    let list = into.get(id);
    if (!list) into.set(id, (list = []));
    list.push(`${head} ${formatValue(value)}`);
  };
}
