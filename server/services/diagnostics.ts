// The diagnostics service of the embedded product (runtime.diagnostics): starts troubleshooter,
// user-validation and readiness runs on the running collector's clients (same request budgets), one
// run at a time, keeps the active run's live progress for the page, and reads stored runs. At start
// it marks runs a crashed process left 'running' as interrupted, and prunes old runs.
import { hostname } from 'node:os';
import { createCollector, type Collector } from '../../collectors/index';
import { markInterruptedRuns, pruneRuns, type RunKind } from '../../db/runs';
import type { ReplicationReading } from '../../diagnostics/collect/datasets';
import { diagnosticsSettings, type DiagnosticsSettings } from '../../diagnostics/settings';
import { DbRunStore, MemoryRunStore, type RunStore } from '../../diagnostics/store';
import { RunRequestError, startRun, type Actor, type RunHandle, type RunProgress } from '../../diagnostics/run';
import type { ImpulseRuntime } from '../runtime';
import type { RuntimeService } from '../services';
import type { Observation } from '../../collectors/engine/store';
import type { ReplicationObservation } from '../../collectors/sources/replication';

export class RunBusyError extends Error {
  override name = 'RunBusyError';
  constructor(readonly activeId: number) {
    super(`run ${activeId} is still running: one run at a time (wait for it, or follow it on its page)`);
  }
}

export interface StartRunInput {
  kind: RunKind;
  checks?: readonly string[];
  clusters?: readonly string[];
  actor: Actor;
}

/** What pages and route handlers use (runtime.diagnostics). */
export interface DiagnosticsRuntime {
  readonly store: RunStore;
  readonly settings: DiagnosticsSettings;
  /** Why runs are not kept across restarts (the database could not be opened). */
  readonly historyUnavailable?: string;
  /** Starts a run; throws RunBusyError while another runs, RunRequestError for an unknown check or cluster. */
  start(input: StartRunInput): { id: number };
  /** The run in progress, if any. */
  active(): { id: number; kind: RunKind } | undefined;
  /** Live progress of the active run, or the stored progress of a finished one. */
  progress(id: number): RunProgress | undefined;
}

interface QueueMemory {
  at: number;
  queues: Record<string, number | null>;
}

/** Process `pid` on this host still runs. */
function alive(pid: number | null, host: string | null): boolean {
  if (pid === null || host !== hostname()) return host !== null && host !== hostname(); // another host: not ours to judge
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class DiagnosticsService {
  readonly name = 'diagnostics';
  store!: RunStore;
  settings!: DiagnosticsSettings;
  historyUnavailable?: string;
  private rt!: ImpulseRuntime;
  private running?: RunHandle & { kind: RunKind };
  private ownCollector?: Collector;
  private readonly replication = new Map<string, QueueMemory[]>();
  private unsubscribe?: () => void;

  start(rt: ImpulseRuntime): void {
    this.rt = rt;
    this.settings = diagnosticsSettings(rt.config, rt.inventory);
    if (rt.db) {
      this.store = new DbRunStore(rt.db);
      const marked = markInterruptedRuns(rt.db, alive, Date.now());
      if (marked.length) process.stderr.write(`impulse start: diagnostics: marked ${marked.length} run${marked.length === 1 ? '' : 's'} left running by a stopped process as interrupted (${marked.join(', ')})\n`);
      pruneRuns(rt.db, this.settings.keepRuns);
    } else {
      this.store = new MemoryRunStore();
      this.historyUnavailable = rt.dbError ?? 'the database is not open';
    }
    // REPL-QUEUE compares the queue with an earlier reading: remember the collector's last two.
    const store = rt.collector?.store;
    if (store) {
      const onUpdate = (o: Observation) => {
        if (o.source !== 'replication' || !o.ok || o.at === undefined) return;
        const v = o.value as ReplicationObservation | undefined;
        if (!v) return;
        const key = `${o.cluster}/${o.node}`;
        const list = this.replication.get(key) ?? [];
        if (list[list.length - 1]?.at === o.at) return;
        list.push({ at: o.at, queues: Object.fromEntries(v.servers.map((s) => [s.name, s.queue])) });
        this.replication.set(key, list.slice(-2));
      };
      store.on('update', onUpdate);
      this.unsubscribe = () => store.off('update', onUpdate);
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.running?.cancel('IMPulse is stopping');
    await this.running?.done.catch(() => undefined);
    await this.ownCollector?.stop();
  }

  active(): { id: number; kind: RunKind } | undefined {
    return this.running ? { id: this.running.id, kind: this.running.kind } : undefined;
  }

  progress(id: number): RunProgress | undefined {
    if (this.running?.id === id) return this.running.progress();
    const run = this.store.getRun(id);
    return (run?.progress as RunProgress | null) ?? undefined;
  }

  private engine() {
    if (this.rt.collector) return this.rt.collector.engine;
    // --no-collect: an engine that is never started, only for the run's on-demand reads.
    this.ownCollector ??= createCollector(this.rt.inventory);
    return this.ownCollector.engine;
  }

  start_(input: StartRunInput): { id: number } {
    if (this.running) throw new RunBusyError(this.running.id);
    const handle = startRun(
      { kind: input.kind, checks: input.checks, clusters: input.clusters, actor: input.actor, origin: 'dashboard' },
      {
        inventory: this.rt.inventory,
        settings: this.settings,
        engine: this.engine(),
        store: this.rt.collector?.store,
        runs: this.store,
        previousReplication: (cluster, node, before) => [...(this.replication.get(`${cluster}/${node}`) ?? [])].reverse().find((r) => r.at < before),
      },
    );
    const running = Object.assign(handle, { kind: input.kind });
    this.running = running;
    void handle.done
      .catch((err: unknown) => process.stderr.write(`impulse start: diagnostics run ${handle.id} failed: ${(err as Error).message}\n`))
      .finally(() => {
        if (this.running === running) this.running = undefined;
      });
    return { id: handle.id };
  }
}

/** The service (server/services.ts) and, once started, its handle on the runtime (runtime.diagnostics). */
export function createDiagnosticsService(): RuntimeService {
  const svc = new DiagnosticsService();
  return {
    name: svc.name,
    start(rt) {
      svc.start(rt);
      rt.diagnostics = {
        get store() {
          return svc.store;
        },
        get settings() {
          return svc.settings;
        },
        get historyUnavailable() {
          return svc.historyUnavailable;
        },
        start: (input) => svc.start_(input),
        active: () => svc.active(),
        progress: (id) => svc.progress(id),
      };
    },
    stop: () => svc.stop(),
  };
}

export { RunRequestError };
