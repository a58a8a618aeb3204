// The embedded product (`impulse start`): the database, the collector engine, the runtime
// services (server/services.ts) and one HTTP server for the dashboard and /metrics, in one
// process. start.ts parses the command line and starts the lab; this assembles and stops the rest.
import type { LoadedConfig } from '../config/load';
import { readSecret, type Inventory } from '../config/resolve';
import { DatabaseError, openDatabase, type ImpulseDatabase } from '../db/index';
import type { Collector } from '../collectors/index';
import { startHttpServer, type HttpServer } from './http';
import { setRuntime, type ImpulseRuntime } from './runtime';
import { serviceFactories, type RuntimeService } from './services';

export interface EmbeddedOptions {
  loaded: LoadedConfig;
  inventory: Inventory;
  /** Poll the nodes (false: inventory only). */
  collect: boolean;
  lab?: { controlUrl: string };
  listen: { host: string; port: number };
  /** Next.js development mode. */
  dev: boolean;
  /** The project root Next.js serves the app from. */
  root: string;
  log: (line: string) => void;
}

export interface Embedded {
  runtime: ImpulseRuntime;
  /** "http://host:port" as bound. */
  url: string;
  metricsToken: boolean;
  stop(): Promise<void>;
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<Embedded> {
  const { inventory, log } = opts;
  const stack: Array<{ what: string; stop: () => Promise<void> | void }> = [];
  const stop = async () => {
    while (stack.length) {
      const step = stack.pop()!;
      try {
        await step.stop();
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
      collector = createCollector(inventory);
      await collector.start();
      const c = collector;
      stack.push({ what: 'collector', stop: () => c.stop() });
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
    };
    setRuntime(runtime);

    for (const factory of serviceFactories) {
      const service: RuntimeService | undefined = factory(runtime);
      if (!service) continue;
      await service.start(runtime);
      if (service.stop) stack.push({ what: service.name, stop: () => service.stop!() });
    }

    const { default: next } = await import('next');
    const app = next({ dev: opts.dev, dir: opts.root, hostname: opts.listen.host, port: opts.listen.port });
    await app.prepare();
    stack.push({ what: 'dashboard', stop: () => app.close() });
    const metricsToken = inventory.server.metricsToken ? readSecret(inventory.server.metricsToken) : undefined;
    const http: HttpServer = await startHttpServer({
      host: opts.listen.host,
      port: opts.listen.port,
      collector,
      metricsToken,
      next: app.getRequestHandler(),
      log,
    });
    stack.push({ what: 'HTTP server', stop: () => http.close() });
    runtime.alerts?.servedAt?.(http.url);
    return { runtime, url: http.url, metricsToken: metricsToken !== undefined, stop };
  } catch (err) {
    await stop();
    throw err;
  }
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
