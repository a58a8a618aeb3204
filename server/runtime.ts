// The running product, shared between `impulse start` (which builds it, server/embedded.ts) and
// the Next.js server components and route handlers (which read it). Both run in one process; the
// object lives on globalThis because Next bundles app code separately from the CLI's modules, so
// app code calls methods of these objects and never relies on module state or instanceof.
import type { Collector } from '../collectors/index';
import type { Inventory } from '../config/resolve';
import type { ImpulseConfig } from '../config/schema';
import type { ImpulseDatabase } from '../db/index';
import type { EventLog, HistoryBackend } from '../collectors/history/types';
import type { DiagnosticsRuntime } from './services/diagnostics';

/** What the app needs from a running collector (collectors/index.ts createCollector result). */
export type RuntimeCollector = Pick<Collector, 'store' | 'inventory' | 'engine'>;

export interface ImpulseRuntime {
  /** The configuration file in use (as given, or the lab's generated file). */
  configPath: string;
  config: ImpulseConfig;
  inventory: Inventory;
  /** server.dataDir, resolved. */
  dataDir: string;
  /** Present while the collector engine runs. */
  collector?: RuntimeCollector;
  /** The product database, when it opened. */
  db?: ImpulseDatabase;
  /** Why the database is not available (it could not be opened), in words an operator can act on. */
  dbError?: string;
  /** Chart history: embedded SQLite (default) or Prometheus (prometheus.url); absent without either. */
  history?: HistoryBackend;
  /** State changes across the fleet (embedded database). */
  events?: EventLog;
  /** Alerting (embedded evaluator or Alertmanager): what the overview shows. The alerting service implements more. */
  alerts?: AlertsSummary;
  /** Troubleshooter, user validation and readiness runs (server/services/diagnostics.ts). */
  diagnostics?: DiagnosticsRuntime;
  /** Present when `impulse start` runs the built-in lab. */
  lab?: { controlUrl: string };
  /** Epoch ms. */
  startedAt: number;
}

export interface AlertsSummary {
  /** Alerts firing now, by severity. */
  firingCounts(): { critical: number; warning: number; info: number };
}

const KEY = Symbol.for('impulse.runtime');
type Holder = { [KEY]?: ImpulseRuntime };

export function setRuntime(runtime: ImpulseRuntime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): ImpulseRuntime | undefined {
  return (globalThis as Holder)[KEY];
}
