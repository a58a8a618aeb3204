// What the alerting service hangs on the runtime (`runtime.alerts`) for the dashboard: plain data
// and methods, no classes to instanceof (Next bundles app code separately from the server's).
import type { AlertRow, HistoryFilter } from '../db/alerts';
import type { MaintenanceInput, MaintenanceWindow, WindowStatus } from './maintenance';
import type { TargetStatus } from './notify';
import type { RuleGroup, Severity } from './rule';

export interface Actor {
  name: string;
  address: string;
}

/** A pending or firing alert as the dashboard shows it. */
export interface AlertView {
  fingerprint: string;
  alertname: string;
  severity: Severity | string;
  state: 'pending' | 'firing';
  cluster?: string;
  node?: string;
  /** Every label (alertname and severity included). */
  labels: Record<string, string>;
  summary: string;
  description: string;
  runbookUrl: string;
  /** The dashboard's own runbook page. */
  runbookPath: string;
  /** Epoch ms the condition first held. */
  activeAt: number;
  firedAt?: number;
  value: number;
  /** The maintenance window or silence that keeps it from notifying, when one does. */
  suppressedBy?: { id: number; scope: string; reason: string };
}

export interface RuleView {
  name: string;
  group: RuleGroup;
  severity: string;
  /** Seconds. */
  for: number;
  origin: 'cisco' | 'cisco-closest' | 'impulse';
  promql: string;
  health: 'unknown' | 'ok' | 'err';
  lastError?: string;
  runbookPath: string;
  pending: number;
  firing: number;
}

export interface AlertingSnapshot {
  mode: 'embedded' | 'prometheus';
  /** Why alerts cannot be evaluated or read right now (no collector, Prometheus unreachable…). */
  unavailable?: string;
  intervalMs: number;
  /** Epoch ms of the latest evaluation (or of the latest read from Prometheus). */
  evaluatedAt?: number;
  /** How long the latest evaluation of the whole catalogue took, ms. */
  lastCycleMs?: number;
  alerts: AlertView[];
  rules: RuleView[];
  targets: TargetStatus[];
  /** Configuration problems that do not stop alerting (unknown rule names). */
  problems: string[];
}

export interface HistoryView {
  available: boolean;
  /** Why the history cannot be shown (no database). */
  reason?: string;
  rows: AlertRow[];
}

export interface WindowView extends MaintenanceWindow {
  status: WindowStatus;
  /** "node imp01-sub1 (cluster imp01)", "CpuPegging on cluster imp01". */
  scope: string;
  /** Alerts it keeps quiet right now. */
  suppressing: number;
  /** Alertmanagers where its silence could not be created yet. */
  pendingSilences: string[];
}

export interface SilenceView {
  alertmanager: string;
  id: string;
  state: 'active' | 'pending' | 'expired';
  /** cluster="imp01", node=~"imp01-.*" */
  matchers: string;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** The maintenance window it was created for, when IMPulse created it. */
  windowId?: number;
}

export type WindowResult = { ok: true; window: WindowView } | { ok: false; errors: string[] };

export interface AlertingHandle {
  /** Alerts firing now, by severity (those under a maintenance window not counted). */
  firingCounts(): { critical: number; warning: number; info: number };
  snapshot(): AlertingSnapshot;
  history(filter?: HistoryFilter): HistoryView;
  windows(): WindowView[];
  /** Whether windows survive a restart (false without a database). */
  windowsPersistent(): boolean;
  openWindow(input: MaintenanceInput, actor: Actor): Promise<WindowResult>;
  cancelWindow(id: number, actor: Actor): Promise<WindowResult>;
  /** Alertmanager's silences (read every 30 s), with errors per Alertmanager. */
  silences(): { silences: SilenceView[]; errors: string[]; fetchedAt?: number };
  /** The runbook of an alert (docs/runbooks/<name>.md), when the alert exists. */
  runbook(name: string): string | undefined;
  /** The dashboard's address once bound: runbook links use it unless alerting.externalUrl is set. */
  servedAt?(url: string): void;
}
