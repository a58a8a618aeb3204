// The running product, shared between `impulse start` (which builds it, server/embedded.ts) and
// the Next.js server components and route handlers (which read it). Both run in one process; the
// object lives on globalThis because Next bundles app code separately from the CLI's modules, so
// app code calls methods of these objects and never relies on module state or instanceof.
import type { Collector } from '../collectors/index';
import type { Inventory } from '../config/resolve';
import type { ImpulseConfig } from '../config/schema';
import type { ImpulseDatabase } from '../db/index';
import type { EventLog, HistoryBackend } from '../collectors/history/types';
import type { SecurityHandle } from './security/types';
import type { AlertingHandle } from '../alerts/handle';
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
  /** Alerting (embedded evaluator or Prometheus' alerts), maintenance windows, history, runbooks (alerts/handle.ts). */
  alerts?: AlertingHandle;
  /** The audit log (security): actions that change something, who did them and from where. */
  audit?: AuditSink;
  /** Sign-in, sessions, accounts (security); absent only before the security service starts. */
  security?: SecurityHandle;
  /** Troubleshooter, user validation and readiness runs (server/services/diagnostics.ts). */
  diagnostics?: DiagnosticsRuntime;
  /** Present when `impulse start` runs the built-in lab. */
  lab?: { controlUrl: string };
  /** Epoch ms. */
  startedAt: number;
  /** The product's log (stderr of `impulse start`); services report through it. */
  log?: (line: string) => void;
}

export interface AlertsSummary {
  /** Alerts firing now, by severity. */
  firingCounts(): { critical: number; warning: number; info: number };
}

export interface AuditEntry {
  actor: { name: string; address: string };
  /** What was done, e.g. 'troubleshooter.run', 'maintenance.open', 'lab.fault.inject'. */
  action: string;
  /** What it was done to, e.g. a cluster, node, run id or account name. */
  target?: string;
  /** Plain words; never a secret. */
  detail?: string;
  outcome?: 'success' | 'failure' | 'denied';
}

export interface AuditSink {
  record(entry: AuditEntry): void;
}

const KEY = Symbol.for('impulse.runtime');
type Holder = { [KEY]?: ImpulseRuntime };

export function setRuntime(runtime: ImpulseRuntime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): ImpulseRuntime | undefined {
  return (globalThis as Holder)[KEY];
}
