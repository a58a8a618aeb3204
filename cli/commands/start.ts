// `impulse start`: the embedded mode. Loads a configuration (or starts the built-in lab and loads
// the configuration it writes), runs the collector engine, and serves the dashboard and /metrics
// from one HTTP server in this process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartError, startEmbedded, type Embedded } from '../../server/embedded';
import { ConfigError, formatIssue, loadConfigFile, type LoadedConfig } from '../../config/load';
import { defaultConfigFile, locateConfig } from '../../config/locate';
import { resolveLoaded } from '../../config/resolve';
import { checkSecrets } from '../../config/secrets';
import { authModeProblem } from '../../config/auth-check';
import { effectiveAuthMode } from '../../server/security/config';
import { parse, parseListen, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const help = `Usage: impulse start [options]

Runs IMPulse in one process: the collector engine, the dashboard and /metrics.
With no configuration (no --config, no $IMPULSE_CONFIG, no ./${defaultConfigFile}) it starts the
built-in lab, a simulated CUCM + IM&P deployment, and watches it like a real one.

  --config <file>            configuration file (default: $IMPULSE_CONFIG, else ./${defaultConfigFile})
  --listen <host:port>       dashboard and /metrics (default: server.listen, else 127.0.0.1:3000; port 0 = any)
  --dev                      run the dashboard in Next.js development mode (no build needed)
  --no-collect               serve inventory only, without polling the nodes
Built-in lab (only without a configuration):
  --lab-clusters <N>         IM&P clusters, each with its CUCM cluster (default 2)
  --lab-nodes <M>            IM&P nodes per cluster, 1-6 (default 4)
  --lab-address-base <127.N> loopback range of the lab's nodes (default 127.10)
  --lab-control-port <port>  lab control API port on 127.0.0.1 (default 9460; 0 = any)
  --lab-dir <dir>            where the lab writes its CA, known_hosts, manifest and config (default data/lab)
  --lab-time-scale <N>       run the lab's simulated clock N times faster than real time (default 1), e.g. 30
                             to see an HA failover (90 s Critical Service Down Delay) within seconds
`;

const options = {
  config: { type: 'string' },
  listen: { type: 'string' },
  dev: { type: 'boolean' },
  'no-collect': { type: 'boolean' },
  'lab-clusters': { type: 'string' },
  'lab-nodes': { type: 'string' },
  'lab-address-base': { type: 'string' },
  'lab-control-port': { type: 'string' },
  'lab-dir': { type: 'string' },
  'lab-time-scale': { type: 'string' },
} as const;

interface Running {
  lab?: { controlUrl: string; stop(): Promise<void> };
  embedded?: Embedded;
}

export const command: CliCommand = {
  name: 'start',
  summary: 'Run the dashboard, collector and /metrics (with the built-in lab when no config is given)',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(argv, options, false);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const dev = values.dev === true;
    const where = locateConfig(values.config);
    const labFlags = Object.keys(values).filter((k) => k.startsWith('lab-'));
    if (where && labFlags.length) {
      throw new UsageError(`--${labFlags[0]} applies to the built-in lab, which runs only without a configuration (${where.file} from ${where.from})`);
    }
    const labOptions = where ? undefined : parseLabOptions(values);
    const listenOverride = values.listen !== undefined ? parseListen(values.listen) : undefined;

    // An operator's monitoring tool does not report usage to third parties unless asked to.
    process.env.NEXT_TELEMETRY_DISABLED ??= '1';
    const running: Running = {};
    const shutdown = installShutdown(running);
    try {
      // A configuration is checked first (fast); then the dashboard build (the slow step), then the lab.
      let loaded: LoadedConfig | undefined;
      if (where) {
        loaded = loadChecked(where.file);
        if (!loaded) return 1;
      }
      // No sign-in on a non-loopback address is refused before anything starts.
      const mode = loaded ? effectiveAuthMode(loaded.config, false).mode : 'none';
      const problem = authModeProblem(
        mode,
        listenOverride ? `${listenOverride.host.includes(':') ? `[${listenOverride.host}]` : listenOverride.host}:${listenOverride.port}` : (loaded?.config.server?.listen ?? '127.0.0.1:3000'),
        listenOverride ? `--listen ${values.listen}` : 'server.listen',
      );
      if (problem) {
        process.stderr.write(
          loaded
            ? `impulse start: ${problem}\n`
            : `impulse start: the built-in lab runs without sign-in (auth.mode: none), which is only allowed on loopback, but --listen ${values.listen} is not a loopback address; listen on 127.0.0.1, or give the lab's configuration (\`impulse lab --write-config <file>\`) an auth block and start with --config <file>\n`,
        );
        return 1;
      }
      if (!dev) await ensureNextBuild();
      if (!loaded) {
        const lab = await startBuiltInLab(labOptions!);
        running.lab = lab.handle;
        loaded = lab.loaded;
      }
      const inventory = resolveLoaded(loaded);
      const listen = listenOverride ?? parseListen(inventory.server.listen);
      const embedded = await startEmbedded({
        loaded,
        inventory,
        collect: values['no-collect'] !== true,
        lab: running.lab && { controlUrl: running.lab.controlUrl },
        listen,
        listenFrom: listenOverride ? `--listen ${values.listen}` : loaded.config.server?.listen ? 'server.listen' : 'the default listening address',
        dev,
        root,
        log: (line) => process.stderr.write(`impulse start: ${line}\n`),
      });
      running.embedded = embedded;
      const out = [
        `IMPulse listening on ${embedded.url}/ (${dev ? 'development' : 'production'} mode)`,
        `configuration: ${loaded.file} (${inventory.clusters.length} clusters, ${inventory.nodes.length} nodes)`,
        embedded.runtime.collector ? `metrics: ${embedded.url}/metrics${embedded.metricsToken ? ' (bearer token required)' : ''}` : 'collector: not running',
        embedded.runtime.db ? `database: ${embedded.runtime.db.file}` : `database: unavailable (${embedded.runtime.dbError})`,
      ];
      if (running.lab) out.push(`lab: control API ${running.lab.controlUrl}`);
      const sec = embedded.runtime.security;
      out.push(`sign-in: ${sec?.mode === 'none' ? 'none (auth.mode none: loopback clients only)' : sec?.mode}`);
      if (embedded.setupToken) {
        out.push(
          `no accounts yet: create the first administrator at ${embedded.url}/setup with the one-time setup token ${embedded.setupToken}`,
          `  (or run \`impulse user add <name> --role admin\`; the token works once, until this process stops)`,
        );
      }
      process.stdout.write(`${out.join('\n')}\n`);
      return await shutdown.done;
    } catch (err) {
      await shutdown.stop();
      if (err instanceof ConfigError) {
        for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
        return 1;
      }
      if (err instanceof StartError) {
        process.stderr.write(`impulse start: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};

function loadChecked(file: string): LoadedConfig | undefined {
  try {
    const loaded = loadConfigFile(file);
    const missing = checkSecrets(loaded.config, { file, dir: loaded.dir, position: loaded.position });
    if (missing.length === 0) return loaded;
    for (const issue of missing) process.stderr.write(`${formatIssue(issue)}\n`);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
  }
  process.stderr.write(`impulse start: fix the configuration (check it with \`impulse config check ${file}\`)\n`);
  return undefined;
}

interface LabChoice {
  clusters: number;
  nodes: number;
  addressBase: string;
  controlPort: number;
  dir: string;
  timeScale: number;
}

function parseLabOptions(values: Record<string, string | boolean | undefined>): LabChoice {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} expects a whole number from ${min} to ${max}, got '${raw}'`);
    return n;
  };
  const addressBase = (values['lab-address-base'] as string | undefined) ?? '127.10';
  if (!/^127\.(\d{1,3})$/.test(addressBase) || Number(addressBase.slice(4)) > 255) {
    throw new UsageError(`--lab-address-base expects 127.N (0 ≤ N ≤ 255), got '${addressBase}'`);
  }
  return {
    clusters: int('lab-clusters', 2, 1, 30),
    nodes: int('lab-nodes', 4, 1, 6),
    addressBase,
    controlPort: int('lab-control-port', 9460, 0, 65535),
    dir: path.resolve((values['lab-dir'] as string | undefined) ?? path.join(root, 'data/lab')),
    timeScale: timeScale(values['lab-time-scale'] as string | undefined),
  };
}

function timeScale(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000) throw new UsageError(`--lab-time-scale expects a positive number up to 100000, got '${raw}'`);
  return n;
}

/** Starts the lab and loads the configuration it writes, exactly as a user's file would be. */
async function startBuiltInLab(choice: LabChoice): Promise<{ handle: { controlUrl: string; stop(): Promise<void> }; loaded: LoadedConfig }> {
  const { startLab } = await import('../../lab/index');
  mkdirSync(choice.dir, { recursive: true });
  process.stdout.write(
    `no configuration found: starting the built-in lab (${choice.clusters} IM&P cluster${choice.clusters === 1 ? '' : 's'} × ${choice.nodes} nodes, each with a CUCM cluster, on ${choice.addressBase}.x.x${choice.timeScale !== 1 ? `, simulated clock ${choice.timeScale}× real time` : ''})\n`,
  );
  const lab = await startLab({ clusters: choice.clusters, nodes: choice.nodes, addressBase: choice.addressBase, controlPort: choice.controlPort, dir: choice.dir, timeScale: choice.timeScale });
  try {
    const file = path.join(choice.dir, defaultConfigFile);
    lab.writeConfig(file);
    const loaded = loadChecked(path.relative(process.cwd(), file) || file);
    if (!loaded) throw new Error(`the lab wrote a configuration that does not validate: ${file}`);
    return { handle: lab, loaded };
  } catch (err) {
    await lab.stop();
    throw err;
  }
}

/** Graceful shutdown: everything is closed within this long of SIGTERM, or the process exits anyway. */
const SHUTDOWN_MS = 10_000;

/**
 * SIGINT/SIGTERM stop everything in reverse order of start (HTTP, dashboard, services, PerfMon
 * sessions and SSH connections, database; then the lab) within 10 s; a second signal exits at once.
 */
function installShutdown(running: Running): { done: Promise<number>; stop(): Promise<void> } {
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const step = async (what: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (err) {
          process.stderr.write(`impulse start: stopping ${what}: ${(err as Error).message}\n`);
        }
      };
      // The lab (if any) is stopped after IMPulse, so IMPulse can still close its sessions on it.
      if (running.embedded) await step('IMPulse', () => running.embedded!.stop(SHUTDOWN_MS - 1000));
      if (running.lab) await step('lab', () => running.lab!.stop());
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`impulse start: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    process.stdout.write(`impulse start: ${signal}, stopping\n`);
    const started = Date.now();
    const hard = setTimeout(() => {
      process.stderr.write(`impulse start: not stopped after ${SHUTDOWN_MS / 1000} s, exiting now\n`);
      process.exit(1);
    }, SHUTDOWN_MS);
    hard.unref();
    void stop().then(() => {
      process.stdout.write(`impulse start: stopped in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      resolveDone(0);
      // Next keeps timers and workers alive; everything of ours is closed, so leave now.
      setImmediate(() => process.exit(0));
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { done, stop };
}

// --- The dashboard build ------------------------------------------------------------------------

/** What the production build of the dashboard is made from. */
const BUILD_INPUTS = ['app', 'server', 'collectors', 'config', 'db', 'diagnostics', 'alerts', 'dashboards', 'next.config.mjs', 'package-lock.json'];

/** Newest modification time under the paths the production build is made from. */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  // The app bundles what it imports from the product's rooms, so a change there needs a new build.
  for (const p of BUILD_INPUTS) visit(path.join(root, p));
  return newest;
}

export function nextBuildIsFresh(): boolean {
  const id = path.join(root, '.next', 'BUILD_ID');
  return existsSync(id) && statSync(id).mtimeMs >= newestSource();
}

/** Builds the dashboard when .next has no build or an older one (one build at a time). */
export async function ensureNextBuild(): Promise<void> {
  if (nextBuildIsFresh()) return;
  const lock = path.join(root, 'tmp', 'next-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another `impulse start` is building: wait for it, take over a lock older than 10 minutes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another dashboard build (${lock})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (nextBuildIsFresh()) return;
    process.stdout.write('building the dashboard (next build)…\n');
    const bin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
      child.once('error', reject);
      child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    if (code !== 0) throw new Error('the dashboard build failed (see above); run `npx next build` to retry, or `impulse start --dev` to skip it');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
