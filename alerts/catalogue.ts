// The rule catalogue: every alert IMPulse ships, one definition each (alerts/rules/*.ts), and the
// effective rules for a configuration (thresholds, IM address scheme, per-rule overrides), from
// which the Prometheus rule file, the promtool tests and the embedded evaluator are all made.
import type { MetricId } from '../collectors/metrics/catalogue';
import type { Expr } from './language';
import { metricsOf } from './language';
import { toPromQL } from './promql';
import { defaultRuleParams, type AlertRule, type RuleParams, type Severity } from './rule';
import { certificateRules } from './rules/certificates';
import { collectorRules } from './rules/collector';
import { haRules } from './rules/ha';
import { platformRules } from './rules/platform';
import { replicationRules } from './rules/replication';
import { serviceRules } from './rules/services';
import { userRules } from './rules/users';
import type { Template } from './template';

export const RULES: readonly AlertRule[] = [...serviceRules, ...collectorRules, ...haRules, ...replicationRules, ...platformRules, ...certificateRules, ...userRules];

const byName = new Map<string, AlertRule>();
for (const r of RULES) {
  if (byName.has(r.name)) throw new Error(`alerts: two rules are named ${r.name}`);
  if (!/^[A-Z][A-Za-z0-9]+$/.test(r.name)) throw new Error(`alerts: rule name ${r.name} is not an alert name`);
  byName.set(r.name, r);
}

export function ruleByName(name: string): AlertRule | undefined {
  return byName.get(name);
}

export const RULE_NAMES: readonly string[] = RULES.map((r) => r.name);

/** What an operator may change per rule (alerting.rules.<Name> in the configuration). */
export interface RuleOverride {
  enabled?: boolean;
  /** Seconds. */
  for?: number;
  severity?: Severity;
}

export interface CatalogueSettings {
  params: RuleParams;
  overrides: Readonly<Record<string, RuleOverride>>;
  /** Base URL of the IMPulse dashboard, for runbook links (no trailing slash). */
  externalUrl: string;
}

export const DEFAULT_EXTERNAL_URL = 'http://127.0.0.1:3000';

export const defaultCatalogueSettings: CatalogueSettings = { params: defaultRuleParams, overrides: {}, externalUrl: DEFAULT_EXTERNAL_URL };

/** A rule as this configuration runs it. */
export interface EffectiveRule {
  readonly rule: AlertRule;
  readonly name: string;
  readonly severity: Severity;
  /** Seconds. */
  readonly for: number;
  readonly expr: Expr;
  readonly promql: string;
  readonly summary: Template;
  readonly description: Template;
  /** Labels the rule adds to each alert (severity). */
  readonly labels: Readonly<Record<string, string>>;
  readonly runbookUrl: string;
  /** Metrics the condition reads, with the longest look-back (offset or range) each needs, seconds. */
  readonly reads: ReadonlyMap<MetricId, number>;
}

export function runbookPath(name: string): string {
  return `/alerts/runbooks/${name}`;
}

export function runbookUrl(externalUrl: string, name: string): string {
  return `${externalUrl.replace(/\/+$/, '')}${runbookPath(name)}`;
}

/** Rules that apply under these settings and are not disabled, with overrides applied. */
export function effectiveRules(settings: CatalogueSettings = defaultCatalogueSettings): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  for (const rule of RULES) {
    if (rule.appliesTo && !rule.appliesTo(settings.params)) continue;
    const o = settings.overrides[rule.name] ?? {};
    if (o.enabled === false) continue;
    const expr = rule.condition(settings.params).expr;
    const severity = o.severity ?? rule.severity;
    out.push({
      rule,
      name: rule.name,
      severity,
      for: o.for ?? rule.for,
      expr,
      promql: toPromQL(expr),
      summary: rule.summary,
      description: rule.description,
      labels: { severity },
      runbookUrl: runbookUrl(settings.externalUrl, rule.name),
      reads: metricsOf(expr),
    });
  }
  return out;
}

/** Names in `overrides` that are not rules of the catalogue, each with the closest real name. */
export function unknownRuleNames(names: Iterable<string>): Array<{ name: string; suggestion?: string }> {
  const out: Array<{ name: string; suggestion?: string }> = [];
  for (const name of names) {
    if (byName.has(name)) continue;
    const lower = name.toLowerCase();
    const suggestion = RULE_NAMES.map((n) => ({ n, d: distance(lower, n.toLowerCase()) }))
      .sort((a, b) => a.d - b.d)
      .find((c) => c.d <= Math.max(2, Math.floor(name.length / 4)))?.n;
    out.push({ name, suggestion });
  }
  return out;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
