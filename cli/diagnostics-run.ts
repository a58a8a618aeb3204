// What `impulse troubleshoot`, `impulse validate-users` and `impulse readiness` share: load the
// configuration, build a collector engine from it (never started: the run polls what it needs once,
// through the engine's clients and budgets), open the product database of the data dir (runs are
// recorded there as `cli:<os user>`), run, and print a progress line on stderr.
import { hostname, userInfo } from 'node:os';
import { ConfigError, formatIssue, loadConfigFile } from '../config/load';
import { locateConfig } from '../config/locate';
import { resolveLoaded, type Inventory } from '../config/resolve';
import { checkSecrets } from '../config/secrets';
import { createCollector } from '../collectors/index';
import { DatabaseError, openDatabase, type ImpulseDatabase } from '../db/index';
import { diagnosticsSettings } from '../diagnostics/settings';
import { DbRunStore, MemoryRunStore, type RunStore } from '../diagnostics/store';
import { RunRequestError, startRun, type RunOutcome, type RunProgress, type RunRequest } from '../diagnostics/run';
import type { RunKind } from '../db/runs';
import { UsageError } from './command';

export interface CliRunResult {
  outcome: RunOutcome;
  inventory: Inventory;
  runs: RunStore;
  db?: ImpulseDatabase;
  /** Where the run was recorded, for the closing line. */
  recorded: string;
  close(): void;
}

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:${process.env.USER ?? 'unknown'}`;
  }
}

/** Loads the configuration, or prints why not and returns undefined. */
function loadInventory(configArg: string | undefined, command: string): { inventory: Inventory; config: ReturnType<typeof loadConfigFile>['config'] } | undefined {
  const where = locateConfig(configArg);
  if (!where) throw new UsageError('no configuration: pass --config <file>, set $IMPULSE_CONFIG, or run where ./impulse.config.yaml exists');
  try {
    const loaded = loadConfigFile(where.file);
    const missing = checkSecrets(loaded.config, { file: where.file, dir: loaded.dir, position: loaded.position });
    if (missing.length) {
      for (const issue of missing) process.stderr.write(`${formatIssue(issue)}\n`);
      return undefined;
    }
    return { inventory: resolveLoaded(loaded), config: loaded.config };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`impulse ${command}: fix the configuration (check it with \`impulse config check ${where.file}\`)\n`);
    return undefined;
  }
}

function progressLine(kind: RunKind, p: RunProgress): string {
  const sets = p.datasets.filter((d) => d.total > 0 && d.done < d.total).map((d) => `${d.label} ${d.done}/${d.total}`);
  const total = p.sections.reduce((n, s) => n + s.total, 0);
  const done = p.sections.reduce((n, s) => n + s.done, 0);
  const phase = p.phase === 'ldap' ? 'LDAP cross-check' : sets.length ? `reading ${sets.join(', ')}` : 'evaluating';
  return `[${kind} run ${p.id}] ${done}/${total} checks done; ${phase}`;
}

/**
 * Runs one diagnostics run from the command line. Returns undefined (exit 3 printed) when the run
 * could not start: configuration errors, unknown checks or clusters.
 */
export async function runFromCli(command: string, req: Omit<RunRequest, 'actor' | 'origin'>, configArg: string | undefined): Promise<CliRunResult | undefined> {
  const loaded = loadInventory(configArg, command);
  if (!loaded) return undefined;
  const { inventory, config } = loaded;
  const settings = diagnosticsSettings(config, inventory);
  let db: ImpulseDatabase | undefined;
  let runs: RunStore;
  let recorded: string;
  try {
    db = openDatabase({ dataDir: inventory.server.dataDir });
    runs = new DbRunStore(db);
    recorded = db.file;
  } catch (err) {
    if (!(err instanceof DatabaseError)) throw err;
    process.stderr.write(`impulse ${command}: ${err.message}; the run is not recorded\n`);
    runs = new MemoryRunStore();
    recorded = 'not recorded (no database)';
  }
  const collector = createCollector(inventory);
  const tty = process.stderr.isTTY === true;
  let last = '';
  let lastAt = 0;
  try {
    const handle = startRun({ ...req, actor: { name: cliActor(), address: hostname() }, origin: 'cli' }, { inventory, settings, engine: collector.engine, runs });
    handle.events.on('progress', (p: RunProgress) => {
      const line = progressLine(req.kind, p);
      const now = Date.now();
      if (line === last || (!tty && now - lastAt < 2000 && p.phase !== 'done')) return;
      last = line;
      lastAt = now;
      process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    });
    const outcome = await handle.done;
    if (tty) process.stderr.write('\r\x1b[2K');
    return {
      outcome,
      inventory,
      runs,
      db,
      recorded: runs.persistent ? `run ${outcome.id} recorded in ${recorded}` : recorded,
      close: () => db?.close(),
    };
  } catch (err) {
    db?.close();
    if (err instanceof RunRequestError) throw new UsageError(err.message);
    throw err;
  } finally {
    await collector.stop();
  }
}

export const STATUS_MARK: Record<string, string> = { passed: '✓ Passed ', warning: '! Warning', failed: '✗ Failed ', skipped: '- Skipped', error: '✗ Error  ' };
