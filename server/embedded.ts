// The embedded product (`impulse start`): the database, the collector engine, the runtime
// services (server/services.ts) and one HTTP server for the dashboard and /metrics, in one
// process. start.ts parses the command line and starts the lab; this assembles and stops the rest.
import type { LoadedConfig } from '../config/load';
import { readSecret, type Inventory } from '../config/resolve';
import { secretSites } from '../config/secrets';
import { resolveSecret } from '../config/secrets';
import { authModeProblem } from '../config/auth-check';
import { DatabaseError, openDatabase, type ImpulseDatabase } from '../db/index';
import { forgetSession, listOpenSessions, recordOpenSession } from '../db/perfmon-sessions';
import type { Collector } from '../collectors/index';
import { SessionLedger } from '../collectors/engine/session-ledger';
import { startHttpServer, type HttpServer } from './http';
import { ConfigReloader } from './reload';
import { setRuntime, type ImpulseRuntime } from './runtime';
import { effectiveAuthMode } from './security/config';
import { Gate } from './security/gate';
import { loadBuiltApp } from './security/manifest';
import { routeTable } from './security/routes';
import { secretScrubber } from './security/scrub';
import { SecurityCore } from './services/security';
import { serviceFactories, type RuntimeService } from './services';

export interface EmbeddedOptions {
  loaded: LoadedConfig;
  inventory: Inventory;
  /** Poll the nodes (false: inventory only). */
  collect: boolean;
  lab?: { controlUrl: string };
  listen: { host: string; port: number };
  /** Where the listen address came from, for messages ('server.listen' or '--listen'). */
  listenFrom?: string;
  /** Next.js development mode. */
  dev: boolean;
  /** The project root Next.js serves the app from. */
  root: string;
  log: (line: string) => void;
  /** Reload on a change of the configuration file (SIGHUP always reloads). Default true. */
  watchConfig?: boolean;
}

export interface Embedded {
  runtime: ImpulseRuntime;
  /** "http(s)://host:port" as bound. */
  url: string;
  metricsToken: boolean;
  /** local sign-in with no account yet: the one-time token that creates the first admin at /setup. */
  setupToken?: string;
  reloader: ConfigReloader;
  /** Stops everything; gives nodes that do not answer `deadlineMs` (default 10 s) in total. */
  stop(deadlineMs?: number): Promise<void>;
}

/** Thrown when the configuration cannot be served as asked (e.g. no sign-in on a public address). */
export class StartError extends Error {
  override name = 'StartError';
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<Embedded> {
  const { inventory } = opts;
  // Every line this process logs passes the scrubber: no secret it has read can reach the log.
  const log = (line: string) => opts.log(secretScrubber.scrub(line));
  const listenText = `${opts.listen.host.includes(':') ? `[${opts.listen.host}]` : opts.listen.host}:${opts.listen.port}`;
  const mode = effectiveAuthMode(opts.loaded.config, opts.lab !== undefined).mode;
  const problem = authModeProblem(mode, listenText, opts.listenFrom ?? 'the listening address');
  if (problem) throw new StartError(problem);
  registerSecrets(opts.loaded);

  const stack: Array<{ what: string; stop: (deadline: number) => Promise<void> | void }> = [];
  const stop = async (deadlineMs = 10_000) => {
    const end = Date.now() + deadlineMs;
    while (stack.length) {
      const step = stack.pop()!;
      try {
        await step.stop(end);
      } catch (err) {
        log(`stopping ${step.what}: ${(err as Error).message}`);
      }
    }
    setRuntime(undefined);
  };
  try {
    const { db, dbError } = openProductDatabase(inventory.server.dataDir, log);
    if (db) stack.push({ what: 'database', stop: () => db.close() });

    let collector: Collector | undefined;
    if (opts.collect) {
      const { createCollector } = await import('../collectors/index');
      const ledger = new SessionLedger(db ? ledgerStore(db) : undefined);
      const left = ledger.size;
      const forgotten = ledger.forgetExcept(new Map(inventory.nodes.map((n) => [n.id, { host: n.host, port: n.ports.https }])));
      for (const e of forgotten) log(`PerfMon session ${e.handle} on ${e.host}:${e.port} (${e.nodeId}) was left open by an earlier run, and the node is no longer configured there; it expires on the node by itself`);
      if (left - forgotten.length > 0) log(`${left - forgotten.length} PerfMon session${left - forgotten.length === 1 ? ' was' : 's were'} left open by an earlier run (not stopped cleanly); closing them on the nodes`);
      collector = createCollector(inventory, { engine: { ledger } });
      await collector.start();
      const c = collector;
      stack.push({
        what: 'collector',
        stop: async (end) => {
          // The nodes get what is left of the deadline, less a margin for the database and the exit.
          await c.stop(Math.max(500, end - Date.now() - 1500));
        },
      });
    }

    const runtime: ImpulseRuntime = {
      configPath: opts.loaded.file,
      config: opts.loaded.config,
      inventory,
      dataDir: inventory.server.dataDir,
      collector,
      db,
      dbError,
      lab: opts.lab,
      startedAt: Date.now(),
      log,
    };
    setRuntime(runtime);

    for (const factory of serviceFactories) {
      const service: RuntimeService | undefined = factory(runtime);
      if (!service) continue;
      await service.start(runtime);
      if (service.stop) stack.push({ what: service.name, stop: () => service.stop!() });
    }
    const security = () => {
      if (!(runtime.security instanceof SecurityCore)) throw new Error('the sign-in service did not start');
      return runtime.security;
    };
    const core = security();

    const { default: next } = await import('next');
    const app = next({ dev: opts.dev, dir: opts.root, hostname: opts.listen.host, port: opts.listen.port });
    await app.prepare();
    stack.push({ what: 'dashboard', stop: () => app.close() });
    const metricsToken = metricsTokenReader(runtime);
    const gate = new Gate({
      table: routeTable,
      built: loadBuiltApp(opts.root, opts.dev),
      security,
      audit: () => runtime.audit,
      lab: () => runtime.lab !== undefined,
      ready: () => isReady(runtime),
      headers: { tls: core.auth.tls !== undefined, dev: opts.dev },
      log,
    });
    const http: HttpServer = await startHttpServer({
      host: opts.listen.host,
      port: opts.listen.port,
      collector,
      metricsToken,
      gate,
      tls: core.auth.tls,
      next: app.getRequestHandler(),
      log,
    });
    stack.push({ what: 'HTTP server', stop: () => http.close() });

    runtime.alerts?.servedAt?.(http.url);
    const reloader = new ConfigReloader({
      runtime,
      listen: listenText,
      applyInventory: collector ? (inv) => collector!.engine.applyInventory(inv) : undefined,
      reloadTls: () => http.reloadTls(),
      log,
      watch: opts.watchConfig,
    });
    reloader.start();
    stack.push({ what: 'configuration reload', stop: () => reloader.stop() });
    return { runtime, url: http.url, metricsToken: metricsToken() !== undefined, setupToken: core.setupToken, reloader, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Ready: configuration loaded, database open, and every poll target of the collector tried at
 * least once (the first collection cycle). Nothing else is revealed.
 */
export function isReady(rt: ImpulseRuntime): boolean {
  if (!rt.db || rt.db.closed) return false;
  const c = rt.collector;
  if (!c) return true;
  for (const o of c.store.list()) if (o.lastAttemptAt === undefined) return false;
  return true;
}

/** The metrics token, read once per reference (a reload that changes the reference reads the new one). */
function metricsTokenReader(rt: ImpulseRuntime): () => string | undefined {
  let cached: { ref: string; value: string } | undefined;
  return () => {
    const ref = rt.inventory.server.metricsToken;
    if (!ref) return undefined;
    if (cached?.ref !== ref.ref) {
      cached = { ref: ref.ref, value: readSecret(ref) };
      secretScrubber.add(cached.value);
    }
    return cached.value;
  };
}

/** Every secret of the configuration goes into the scrubber before anything logs. */
function registerSecrets(loaded: LoadedConfig): void {
  for (const site of secretSites(loaded.config)) {
    try {
      secretScrubber.add(resolveSecret(site.ref, site.inlineAllowed, process.env, loaded.dir));
    } catch {
      // Unresolvable secrets were reported by the configuration check.
    }
  }
}

function ledgerStore(db: ImpulseDatabase) {
  return {
    load: () => listOpenSessions(db),
    add: (e: { nodeId: string; host: string; port: number; handle: string; openedAt: number }) => recordOpenSession(db, e),
    remove: (nodeId: string, handle: string) => {
      if (!db.closed) forgetSession(db, nodeId, handle);
    },
  };
}

/**
 * Opens the data dir's database. A database that cannot be opened (corrupt, unwritable, from a
 * newer release) is reported once, plainly, and the product runs without it: collection and
 * /metrics go on, pages say history is unavailable.
 */
function openProductDatabase(dataDir: string, log: (line: string) => void): { db?: ImpulseDatabase; dbError?: string } {
  try {
    const db = openDatabase({
      dataDir,
      onWriteError: (e) => log(`database writes are failing, history and records are not saved until this is fixed: ${e.message}`),
      onWriteResumed: () => log('database writes work again'),
    });
    return { db };
  } catch (err) {
    if (!(err instanceof DatabaseError)) throw err;
    log(`${err.message}; running without it (collection and /metrics continue, history is unavailable)`);
    return { dbError: err.message };
  }
}
