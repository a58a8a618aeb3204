// What one alert rule of the catalogue is: its name (Cisco's where one exists), severity,
// condition (alerts/language.ts), `for`, annotation templates and the tests that prove it fires on
// the series that should fire it and stays silent on the nearby healthy case. Prometheus rule
// files, promtool tests, the embedded evaluator and the runbooks all derive from this.
import type { MetricDef } from '../collectors/metrics/catalogue';
import { defaultThresholds } from '../config/schema';
import { IM_ADDRESS_SCHEMES } from '../collectors/vocabulary';
import type { Q } from './language';
import type { Template } from './template';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export { IM_ADDRESS_SCHEMES };
/** Decides whether the Data Monitor raises DuplicateDirectoryURI / InvalidDirectoryURI or their …Warning variants. */
export type ImAddressScheme = (typeof IM_ADDRESS_SCHEMES)[number];

/** What a condition may depend on: the configuration's thresholds and the IM address scheme. */
export interface RuleParams {
  thresholds: { [K in keyof typeof defaultThresholds]: number };
  imAddressScheme: ImAddressScheme;
}

export const defaultRuleParams: RuleParams = { thresholds: { ...defaultThresholds }, imAddressScheme: 'UserID@Default_Domain' };

export type RuleGroup = 'services' | 'platform' | 'replication' | 'ha' | 'certificates' | 'users' | 'collector';

export interface AlertRule {
  /** Cisco's alert or alarm name where one exists, verbatim; else IMPulse's own. */
  readonly name: string;
  /**
   * 'cisco': Cisco's name and Cisco's signal; 'cisco-closest': Cisco's name, but its signal is not
   * observable and the rule watches the closest one (said in the description and runbook);
   * 'impulse': IMPulse's own alert.
   */
  readonly origin: 'cisco' | 'cisco-closest' | 'impulse';
  readonly group: RuleGroup;
  readonly severity: Severity;
  /** Seconds the condition must hold before the alert fires (0: at once). */
  readonly for: number;
  readonly condition: (p: RuleParams) => Q;
  /** One line naming what and where (cluster, node). */
  readonly summary: Template;
  /** What it means and what to do first; says when the signal is the closest observable one. */
  readonly description: Template;
  /** Rules that exist only under some settings (the IM address scheme variants). */
  readonly appliesTo?: (p: RuleParams) => boolean;
  /** Where the alert and its threshold come from (reference file and section). */
  readonly source: string;
  readonly tests: readonly RuleTest[];
}

/** One input series in promtool's notation (`1 1 0x10`, `1+2x5`, `_`, `stale`), one sample a minute. */
export interface SeriesSpec {
  readonly metric: MetricDef;
  readonly labels: Readonly<Record<string, string>>;
  readonly values: string;
}

export interface RuleTest {
  readonly name: string;
  readonly params?: Partial<Pick<RuleParams, 'imAddressScheme'>>;
  readonly series: readonly SeriesSpec[];
  /** Minutes after the start of the series. */
  readonly at: number;
  /** The labels of each alert firing at `at` (besides alertname and severity); [] = silent. */
  readonly expect: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** A test series: `s(metrics.serviceStatus, { cluster: 'imp01', … }, '1 1 0x10')`. */
export function s(metric: MetricDef, labels: Record<string, string>, values: string): SeriesSpec {
  // `instance` and `job` are the labels Prometheus adds to every scraped series.
  for (const l of Object.keys(labels)) if (!metric.labels.includes(l) && l !== 'instance' && l !== 'job') throw new Error(`alerts: ${metric.name} has no label '${l}'`);
  return { metric, labels, values };
}

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
