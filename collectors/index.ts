// The collector: createCollector(config, { shard }) builds the engine (scheduler, store, metrics
// registry) over the inventory; startMetricsServer serves its /metrics. Used by `impulse collect`
// (scaled out, one process per shard) and `impulse start` (embedded).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { LoadedConfig } from '../config/load';
import { resolveInventory, resolveLoaded, type Inventory } from '../config/resolve';
import type { ImpulseConfig } from '../config/schema';
import { Engine, type EngineOptions } from './engine/collector';
import type { PollOutcome } from './engine/scheduler';
import type { Shard } from './engine/shard';
import type { ObservationStore } from './engine/store';
import type { CollectorMetrics } from './metrics/registry';
import { allSources } from './sources';
import type { Registry } from 'prom-client';

export type { Shard } from './engine/shard';
export type { Observation, ObservationView } from './engine/store';

export interface CollectorOptions {
  shard?: Shard;
  /** Directory relative paths in a bare ImpulseConfig are resolved against (default: cwd). */
  configDir?: string;
  /** Engine internals for tests and the bench (sources, fake clients, scheduler tuning). */
  engine?: Partial<EngineOptions>;
}

export interface Collector {
  /** Starts polling (returns at once; polls run in the background). */
  start(): Promise<void>;
  /**
   * Stops polling and closes every session (PerfMon sessions, SSH shells, sockets). With a
   * deadline, gives up waiting on nodes that do not answer by then (see Engine.stop).
   */
  stop(deadlineMs?: number): Promise<void>;
  /** Polls every source of every node once (inventory first) and resolves with the outcomes. */
  runOnce(): Promise<PollOutcome[]>;
  readonly store: ObservationStore;
  readonly registry: Registry;
  readonly inventory: Inventory;
  readonly engine: Engine;
  readonly metricsRegistry: CollectorMetrics;
  /** Prometheus text exposition. */
  metrics(): Promise<string>;
}

function toInventory(config: ImpulseConfig | LoadedConfig | Inventory, dir: string): Inventory {
  if ('nodes' in config && Array.isArray((config as Inventory).nodes) && 'limits' in config && typeof (config as Inventory).limits?.requestTimeout === 'number') {
    return config as Inventory;
  }
  if ('config' in config && 'dir' in config) return resolveLoaded(config as LoadedConfig);
  return resolveInventory(config as ImpulseConfig, { dir });
}

export function createCollector(config: ImpulseConfig | LoadedConfig | Inventory, options: CollectorOptions = {}): Collector {
  const inventory = toInventory(config, options.configDir ?? process.cwd());
  const engine = new Engine(inventory, { sources: allSources, ...options.engine, shard: options.shard ?? options.engine?.shard });
  let stopped = false;
  return {
    async start() {
      engine.start();
    },
    async stop(deadlineMs?: number) {
      if (stopped) return;
      stopped = true;
      await engine.stop(deadlineMs);
    },
    runOnce: () => engine.runOnce(),
    store: engine.store,
    registry: engine.metrics.registry,
    metricsRegistry: engine.metrics,
    // The engine's current inventory: a configuration reload replaces it.
    get inventory() {
      return engine.inventory;
    },
    engine,
    metrics: () => engine.metrics.render(),
  };
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** Bearer token required on /metrics (401 without it). */
  token?: string;
}

export interface MetricsServer {
  server: Server;
  /** "http://host:port" as bound (port resolved when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

/** Serves GET /metrics (and /healthz) on plain HTTP. */
export async function startMetricsServer(collector: Pick<Collector, 'metrics' | 'registry'>, opts: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => void handle(collector, opts.token, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function authorised(token: string | undefined, header: string | undefined): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function handle(collector: Pick<Collector, 'metrics' | 'registry'>, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
    return;
  }
  await serveMetricsRequest(collector, token, req, res);
}

/**
 * Answers one request for /metrics: GET or HEAD only, the bearer token when one is set, then the
 * rendered registry. Used by `startMetricsServer` and by `impulse start`'s combined server.
 */
export async function serveMetricsRequest(
  collector: Pick<Collector, 'metrics' | 'registry'>,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (!authorised(token, req.headers.authorization)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="impulse"', 'content-type': 'text/plain' }).end('bearer token required\n');
    return;
  }
  try {
    const body = await collector.metrics();
    res.writeHead(200, { 'content-type': collector.registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics render failed: ${(err as Error).message}\n`);
  }
}
