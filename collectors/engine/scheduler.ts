// The scheduler: one timer per poll task (a source on a node), with jitter, a global bound on
// polls in flight, one lane per node and protocol, a timeout per poll, and back-off after a
// RateControl fault for that node only.
//
// Isolation: a task never waits on another node. A hung node holds at most one slot per lane of
// its own (the lane stays busy until its poll really ends) and a global slot only until its
// timeout; every other node keeps its cadence.
import type { SourceName } from '../../config/schema';
import { errorKind } from '../errors';
import { Semaphore } from './semaphore';
import type { ErrorKind } from './store';

/**
 * Lanes: at most one poll per node and lane at a time. 'cli' is for the frequent CLI polls (HA,
 * replication); 'cli-bulk' for the long, rare ones (certificate inventory, user validation,
 * inventory), so a minute-long `utils users validate all` never delays `utils ha status`. The
 * node's CLI pool keeps two shells, one per CLI lane.
 */
export type Lane = 'soap' | 'cli' | 'cli-bulk' | 'tls' | 'ldap';

export interface PollTask {
  /** Unique, e.g. "imp01/imp01-pub/perfmon". */
  readonly id: string;
  readonly cluster: string;
  /** The node this poll talks to (its lane, budget and back-off). */
  readonly node: string;
  readonly source: SourceName;
  readonly lane: Lane;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Polls that obey back-off after RateControl (SOAP polls). */
  readonly backsOff: boolean;
  run(signal: AbortSignal): Promise<void>;
}

export interface PollOutcome {
  task: PollTask;
  ok: boolean;
  kind?: ErrorKind;
  error?: unknown;
  durationMs: number;
}

export interface SchedulerOptions {
  /** Most polls in flight across all nodes. */
  maxConcurrent: number;
  /** Called after every poll (success, failure or timeout). */
  onOutcome(outcome: PollOutcome): void;
  /** Called when a due poll is skipped because the previous one of the same task has not finished. */
  onMissed?(task: PollTask): void;
  /** Called when a due poll is skipped because its node is backing off. */
  onBackoffSkip?(task: PollTask, untilMs: number): void;
  /** Spread of the first poll of each task, ms (capped at the task's interval). Default: 10 s for intervals up to a minute, else a tenth of the interval up to 1 min. */
  firstSpreadMs?: number;
  /** Jitter on every later poll, as a fraction of the interval (±jitter/2). */
  jitter?: number;
  /** Back-off after RateControl: first delay and cap, ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
}

interface TaskState {
  task: PollTask;
  timer?: NodeJS.Timeout;
  running: boolean;
  /** Index k of the next due time: start + k × interval. */
  k: number;
  start: number;
}

interface NodeBackoff {
  level: number;
  until: number;
}

export class Scheduler {
  private readonly global: Semaphore;
  private readonly lanes = new Map<string, Semaphore>();
  private readonly states = new Map<string, TaskState>();
  private readonly backoff = new Map<string, NodeBackoff>();
  private running = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly random: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.global = new Semaphore(opts.maxConcurrent);
    this.random = opts.random ?? Math.random;
  }

  get concurrency(): { inUse: number; waiting: number } {
    return { inUse: this.global.inUse, waiting: this.global.waiting };
  }

  /** Current back-off of a node: delay level and epoch ms it lasts until (0 when none). */
  backoffOf(cluster: string, node: string): NodeBackoff {
    return this.backoff.get(`${cluster}/${node}`) ?? { level: 0, until: 0 };
  }

  add(task: PollTask): void {
    if (this.states.has(task.id)) throw new Error(`duplicate poll task ${task.id}`);
    const st: TaskState = { task, running: false, k: 0, start: 0 };
    this.states.set(task.id, st);
    if (this.running) this.arm(st, true);
  }

  remove(id: string): void {
    const st = this.states.get(id);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    this.states.delete(id);
  }

  tasks(): PollTask[] {
    return [...this.states.values()].map((s) => s.task);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const st of this.states.values()) this.arm(st, true);
  }

  /** Stops the timers and waits for polls in flight to end (they are aborted). */
  async stop(): Promise<void> {
    this.running = false;
    for (const st of this.states.values()) {
      if (st.timer) clearTimeout(st.timer);
      st.timer = undefined;
    }
    for (const c of this.controllers) c.abort(STOPPING);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs the given tasks (default: all) once now, respecting slots; resolves when all ended. */
  async runOnce(filter: (t: PollTask) => boolean = () => true): Promise<PollOutcome[]> {
    const out: PollOutcome[] = [];
    await Promise.all(
      [...this.states.values()]
        .filter((s) => filter(s.task))
        .map(async (s) => {
          const o = await this.execute(s);
          if (o) out.push(o);
        }),
    );
    return out;
  }

  private arm(st: TaskState, first: boolean): void {
    if (!this.running) return;
    const now = Date.now();
    const iv = st.task.intervalMs;
    let delay: number;
    if (first) {
      // Fast sources start within 10 s; hourly and daily ones spread over up to a minute so the
      // start-up burst (certificate inventories, user validation) does not hit every node at once.
      const spread = this.opts.firstSpreadMs ?? (iv <= 60_000 ? 10_000 : Math.min(iv / 10, 60_000));
      delay = this.random() * Math.min(iv, spread);
      st.start = now + delay;
      st.k = 0;
    } else {
      // Cadence anchored to the start: jitter never accumulates into drift. A poll that ran
      // past its next due time skips to the next one ahead (counted as missed in tick()).
      st.k++;
      let due = st.start + st.k * iv;
      while (due < now - iv / 2) {
        st.k++;
        due = st.start + st.k * iv;
      }
      const j = (this.opts.jitter ?? 0.1) * iv * (this.random() - 0.5);
      delay = Math.max(0, due + j - now);
    }
    st.timer = setTimeout(() => this.tick(st), delay);
    st.timer.unref?.();
  }

  private tick(st: TaskState): void {
    st.timer = undefined;
    if (!this.running || !this.states.has(st.task.id)) return;
    if (st.running) {
      this.opts.onMissed?.(st.task);
    } else {
      const b = this.backoff.get(`${st.task.cluster}/${st.task.node}`);
      if (st.task.backsOff && b && Date.now() < b.until) {
        this.opts.onBackoffSkip?.(st.task, b.until);
      } else {
        const p = this.execute(st);
        this.inFlight.add(p);
        void p.finally(() => this.inFlight.delete(p));
      }
    }
    this.arm(st, false);
  }

  private readonly controllers = new Set<AbortController>();

  private lane(task: PollTask): Semaphore {
    const key = `${task.cluster}/${task.node}/${task.lane}`;
    let s = this.lanes.get(key);
    if (!s) {
      s = new Semaphore(1);
      this.lanes.set(key, s);
    }
    return s;
  }

  /** One poll: node lane, then a global slot, then run with a timeout. */
  private async execute(st: TaskState): Promise<PollOutcome | undefined> {
    if (st.running) return undefined;
    st.running = true;
    const task = st.task;
    const controller = new AbortController();
    this.controllers.add(controller);
    const lane = this.lane(task);
    const began = Date.now();
    let laneHeld = false;
    let globalHeld = false;
    let timer: NodeJS.Timeout | undefined;
    let startedAt = began;
    try {
      // The timeout runs from the moment the poll really starts: waiting for this node's lane or
      // for a global slot is not the node's fault. A poll that cannot start before its next due
      // time shows up as a missed interval instead (tick() finds it still running).
      await lane.acquire(controller.signal);
      laneHeld = true;
      await this.global.acquire(controller.signal);
      globalHeld = true;
      startedAt = Date.now();
      timer = setTimeout(() => controller.abort(new PollTimeout(task, Date.now() - startedAt)), task.timeoutMs);
      const run = task.run(controller.signal);
      const aborted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      try {
        await Promise.race([run, aborted]);
      } finally {
        // The global slot frees at once; the node's lane only when the poll has really ended
        // (bounded, in case a client ignores the abort), so a hung node never piles up polls.
        this.global.release();
        globalHeld = false;
        const hardStop = new Promise<void>((r) => setTimeout(r, task.timeoutMs).unref?.());
        laneHeld = false;
        void Promise.race([run.then(noop, noop), hardStop]).then(() => lane.release());
      }
      const o: PollOutcome = { task, ok: true, durationMs: Date.now() - startedAt };
      this.settle(task, o);
      return o;
    } catch (err) {
      // Polls cut short by stop() are not failures of the node: nothing is recorded.
      if (controller.signal.reason === STOPPING) return undefined;
      const kind: ErrorKind = err instanceof PollTimeout ? 'timeout' : errorKind(err);
      const o: PollOutcome = { task, ok: false, kind, error: err, durationMs: Date.now() - startedAt };
      this.settle(task, o);
      return o;
    } finally {
      if (timer) clearTimeout(timer);
      if (globalHeld) this.global.release();
      if (laneHeld) lane.release();
      this.controllers.delete(controller);
      st.running = false;
    }
  }

  private settle(task: PollTask, o: PollOutcome): void {
    if (task.backsOff) {
      const key = `${task.cluster}/${task.node}`;
      if (o.kind === 'rate-limit') {
        const b = this.backoff.get(key) ?? { level: 0, until: 0 };
        b.level++;
        const base = this.opts.backoffBaseMs ?? 60_000;
        const max = this.opts.backoffMaxMs ?? 10 * 60_000;
        const delay = Math.min(max, base * 2 ** (b.level - 1));
        b.until = Date.now() + delay * (0.9 + 0.2 * this.random());
        this.backoff.set(key, b);
      } else if (o.ok) {
        this.backoff.delete(key);
      }
    }
    try {
      this.opts.onOutcome(o);
    } catch {
      // An observer's failure must not stop the scheduler.
    }
  }
}

export class PollTimeout extends Error {
  override name = 'PollTimeout';
  readonly kind = 'timeout' as const;
  constructor(task: PollTask, elapsedMs: number) {
    super(`${task.source} poll of ${task.node} (cluster ${task.cluster}) timed out after ${(elapsedMs / 1000).toFixed(1)} s`);
  }
}

function noop(): void {}

const STOPPING = new Error('collector stopping');
