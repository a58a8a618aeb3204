// The history service: chart history and the event log.
//
//   history  Prometheus when the configuration names one (prometheus.url), else the embedded
//            store in the product database; without either, an explanation of why not.
//   events   detected from the collector's observations and stored in the product database in
//            both modes (when the database is available).
//
// One timer drives everything off the collector's hot path: it drains the observations updated
// since the last tick, feeds the recorder and the event detector, writes the batch in one
// transaction, then runs a slice of maintenance (compaction, rollups, retention). stop() flushes
// what is pending.
import { readSecret } from '../../config/resolve';
import { trustOf } from '../../collectors/engine/clients';
import { EventDetector } from '../../collectors/history/events';
import { SqliteEventLog } from '../../collectors/history/event-log';
import { ObservationFeed } from '../../collectors/history/feed';
import { PrometheusHistory } from '../../collectors/history/prometheus';
import { HistoryRecorder } from '../../collectors/history/recorder';
import { SqliteHistory } from '../../collectors/history/sqlite';
import { UnavailableEventLog, UnavailableHistory } from '../../collectors/history/unavailable';
import type { ImpulseRuntime } from '../runtime';
import type { RuntimeService, ServiceFactory } from '../services';

export interface HistoryServiceOptions {
  /** How often pending samples and events are written (one transaction each), ms. */
  flushIntervalMs?: number;
  /** CPU budget of one maintenance slice, ms. */
  maintenanceBudgetMs?: number;
  /** Re-probe an unavailable Prometheus this often, ms. */
  probeIntervalMs?: number;
  now?: () => number;
}

const PRUNE_EVENTS_EVERY_MS = 3_600_000;

export class HistoryService implements RuntimeService {
  readonly name = 'history';
  private feed?: ObservationFeed;
  private recorder?: HistoryRecorder;
  private detector?: EventDetector;
  private store?: SqliteHistory;
  private eventLog?: SqliteEventLog;
  private prometheus?: PrometheusHistory;
  private timer?: NodeJS.Timeout;
  private probeTimer?: NodeJS.Timeout;
  private prunedAt = 0;
  private tickFailed = false;
  private log: (line: string) => void = () => {};

  constructor(private readonly opts: HistoryServiceOptions = {}) {}

  async start(rt: ImpulseRuntime): Promise<void> {
    this.log = rt.log ?? ((line) => process.stderr.write(`history: ${line}\n`));
    const now = this.opts.now ?? Date.now;
    const noDb = `the database is not available (${rt.dbError ?? 'not opened'})`;

    if (rt.db) {
      this.eventLog = new SqliteEventLog(rt.db, this.log);
      this.detector = new EventDetector({ thresholds: rt.inventory.thresholds, known: this.eventLog.knownStates() });
      rt.events = this.eventLog;
    } else rt.events = new UnavailableEventLog(`events are not recorded: ${noDb}`);

    const prom = rt.inventory.prometheus;
    if (prom) {
      const token = prom.bearerToken;
      this.prometheus = new PrometheusHistory({
        url: prom.url,
        bearerToken: token ? () => readSecret(token) : undefined,
        trust: trustOf(prom.tls),
        timeoutMs: prom.timeout * 1000,
        inventory: rt.inventory,
        now,
        log: this.log,
      });
      const st = await this.prometheus.probe();
      this.log(st.available ? `charts read history from Prometheus at ${this.prometheus.display}` : `charts read history from Prometheus at ${this.prometheus.display}, which is unavailable: ${st.reason}`);
      this.probeTimer = setInterval(() => {
        if (!this.prometheus?.status().available) void this.prometheus?.probe();
      }, this.opts.probeIntervalMs ?? 30_000);
      this.probeTimer.unref();
      rt.history = this.prometheus;
    } else if (rt.db) {
      this.store = new SqliteHistory({ db: rt.db, inventory: rt.inventory, now, log: this.log });
      rt.history = this.store;
    } else rt.history = new UnavailableHistory(`history is unavailable: ${noDb}`);

    if (rt.collector && (this.detector || this.store)) {
      if (this.store) this.recorder = new HistoryRecorder(rt.collector.engine.metrics, this.store);
      this.feed = new ObservationFeed(rt.collector.store);
      this.feed.start();
      this.timer = setInterval(() => this.tick(), this.opts.flushIntervalMs ?? 5000);
      this.timer.unref();
    }
  }

  /** Drains, writes, maintains. Never throws: a bug here must not take the collector down. */
  tick(): void {
    try {
      const now = (this.opts.now ?? Date.now)();
      for (const o of this.feed?.take() ?? []) {
        this.recorder?.observe(o);
        this.detector?.observe(o);
      }
      this.store?.flush();
      if (this.detector && this.eventLog) {
        const { events, states } = this.detector.take();
        this.eventLog.store(events, states);
        if (now - this.prunedAt >= PRUNE_EVENTS_EVERY_MS) {
          this.prunedAt = now;
          this.eventLog.prune(now);
        }
      }
      this.store?.maintain(this.opts.maintenanceBudgetMs ?? 25);
      this.tickFailed = false;
    } catch (err) {
      if (!this.tickFailed) this.log(`history: ${(err as Error).stack ?? String(err)}`);
      this.tickFailed = true;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.timer = this.probeTimer = undefined;
    this.feed?.stop();
    // The last batch: what was observed since the previous tick is written, not lost.
    if (this.feed) this.tick();
    this.feed = undefined;
    this.prometheus?.close();
  }
}

export const historyService: ServiceFactory = () => new HistoryService();
