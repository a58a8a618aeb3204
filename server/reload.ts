// Configuration reload without a restart: on SIGHUP, and when the configuration file changes on
// disk. The new file is checked exactly as `impulse config check` checks it; an invalid file is
// rejected with those precise errors and the running configuration stays. A valid one is applied
// in place: nodes added, removed, or (connection settings changed) restarted, every other node
// keeping its sessions; thresholds, polling, sign-in settings, the metrics token and a renewed
// TLS certificate take effect at once. Settings that only a restart can apply are named.
import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatIssue, loadConfigFile, type ConfigIssue, type LoadedConfig } from '../config/load';
import { resolveLoaded, type Inventory } from '../config/resolve';
import { checkSecrets } from '../config/secrets';
import { authModeProblem } from '../config/auth-check';
import type { ImpulseRuntime } from './runtime';
import { effectiveAuthMode } from './security/config';
import { SecurityCore } from './services/security';

export interface ReloadResult {
  ok: boolean;
  trigger: string;
  issues: string[];
  summary: string;
}

export interface ReloaderOptions {
  runtime: ImpulseRuntime;
  /** The address the server listens on (auth.mode none is checked against it). */
  listen: string;
  /** Applies the new inventory to the collector engine. */
  applyInventory?: (inv: Inventory) => Promise<{ added: string[]; removed: string[]; replaced: string[]; kept: string[]; needsRestart: string[] }>;
  reloadTls?: () => void;
  log: (line: string) => void;
  /** Watch the file (default true). */
  watch?: boolean;
  debounceMs?: number;
}

function digest(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

export class ConfigReloader {
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private running: Promise<ReloadResult> | undefined;
  private again = false;
  private lastDigest: string | undefined;
  private readonly file: string;
  private readonly onHup = () => void this.reload('SIGHUP');
  /** Results of the reloads so far (tests, the admin page). */
  readonly history: ReloadResult[] = [];

  constructor(private readonly o: ReloaderOptions) {
    this.file = path.resolve(o.runtime.configPath);
    this.lastDigest = digest(this.file);
  }

  start(): void {
    process.on('SIGHUP', this.onHup);
    if (this.o.watch === false) return;
    // The directory, not the file: editors save by writing a new file and renaming it over.
    try {
      this.watcher = watch(path.dirname(this.file), (_event, name) => {
        if (name !== null && name !== path.basename(this.file)) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => {
          const d = digest(this.file);
          if (d === undefined || d === this.lastDigest) return;
          void this.reload('file change');
        }, this.o.debounceMs ?? 300);
      });
      this.watcher.on('error', (err) => this.o.log(`configuration watch stopped: ${err.message} (SIGHUP still reloads)`));
    } catch (err) {
      this.o.log(`cannot watch ${this.file} (${(err as Error).message}); reload with SIGHUP`);
    }
  }

  stop(): void {
    process.off('SIGHUP', this.onHup);
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  /** One reload at a time; a trigger during a reload runs once more after it. */
  reload(trigger: string): Promise<ReloadResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.apply(trigger).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload(trigger);
      }
    });
    return this.running;
  }

  private check(): { loaded?: LoadedConfig; issues: ConfigIssue[] } {
    const shown = path.relative(process.cwd(), this.file) || this.file;
    let loaded: LoadedConfig;
    try {
      loaded = loadConfigFile(shown);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return { issues: err.issues };
    }
    const issues = checkSecrets(loaded.config, { file: shown, dir: loaded.dir, position: loaded.position });
    const mode = effectiveAuthMode(loaded.config, this.o.runtime.lab !== undefined).mode;
    const problem = authModeProblem(mode, this.o.listen, 'the server listening address');
    if (problem) issues.push({ file: shown, ...loaded.position(['auth', 'mode']), field: 'auth.mode', message: problem });
    return { loaded, issues };
  }

  private async apply(trigger: string): Promise<ReloadResult> {
    const rt = this.o.runtime;
    const audit = (ok: boolean, detail: string) => rt.audit?.record({ actor: { name: 'system', address: 'local' }, action: 'config.reload', target: rt.configPath, detail: `${trigger}: ${detail}`, outcome: ok ? 'success' : 'failure' });
    this.lastDigest = digest(this.file);
    const { loaded, issues } = this.check();
    if (!loaded || issues.length) {
      const lines = issues.map(formatIssue);
      this.o.log(`configuration reload (${trigger}) rejected; the running configuration stays:`);
      for (const l of lines) this.o.log(`  ${l}`);
      audit(false, `rejected, ${lines.length} issue${lines.length === 1 ? '' : 's'}: ${lines.slice(0, 5).join(' | ')}`);
      return this.done({ ok: false, trigger, issues: lines, summary: 'rejected' });
    }
    let inventory: Inventory;
    try {
      inventory = resolveLoaded(loaded);
    } catch (err) {
      const lines = err instanceof ConfigError ? err.issues.map(formatIssue) : [(err as Error).message];
      for (const l of lines) this.o.log(`configuration reload (${trigger}) rejected: ${l}`);
      audit(false, `rejected: ${lines.join(' | ')}`);
      return this.done({ ok: false, trigger, issues: lines, summary: 'rejected' });
    }
    const restart: string[] = [];
    const before = rt.inventory.server;
    if (inventory.server.listen !== before.listen) restart.push('server.listen');
    if (inventory.server.dataDir !== before.dataDir) restart.push('server.dataDir');
    if ((loaded.config.server?.tls === undefined) !== (rt.config.server?.tls === undefined)) restart.push('server.tls (on/off)');

    // Sign-in settings: a new core, same session key (sessions survive), swapped in one step.
    const oldCore = rt.security instanceof SecurityCore ? rt.security : undefined;
    let core: SecurityCore;
    const previousConfig = rt.config;
    try {
      rt.config = loaded.config;
      core = new SecurityCore(rt);
      if (oldCore?.setupToken && core.setupToken) core.setupToken = oldCore.setupToken;
      if (oldCore && (oldCore.auth.tls !== undefined) !== (core.auth.tls !== undefined)) restart.push('secure cookies (server.tls)');
    } catch (err) {
      rt.config = previousConfig;
      const msg = `sign-in settings: ${(err as Error).message}`;
      this.o.log(`configuration reload (${trigger}) rejected; the running configuration stays: ${msg}`);
      audit(false, `rejected: ${msg}`);
      return this.done({ ok: false, trigger, issues: [msg], summary: 'rejected' });
    }

    const change = this.o.applyInventory ? await this.o.applyInventory(inventory) : { added: [], removed: [], replaced: [], kept: [], needsRestart: [] };
    rt.inventory = inventory;
    oldCore?.stop();
    rt.security = core;
    core.startMaintenance();
    try {
      this.o.reloadTls?.();
    } catch (err) {
      this.o.log(`configuration reload: the TLS certificate was not renewed: ${(err as Error).message}`);
    }
    restart.push(...change.needsRestart);
    const summary =
      `${change.added.length} node${change.added.length === 1 ? '' : 's'} added, ${change.removed.length} removed, ${change.replaced.length} restarted with new settings, ${change.kept.length} unchanged` +
      (restart.length ? `; needs a restart to apply: ${restart.join(', ')}` : '');
    this.o.log(`configuration reloaded (${trigger}): ${summary}`);
    audit(true, summary);
    return this.done({ ok: true, trigger, issues: [], summary });
  }

  private done(r: ReloadResult): ReloadResult {
    this.history.push(r);
    if (this.history.length > 20) this.history.shift();
    return r;
  }
}
