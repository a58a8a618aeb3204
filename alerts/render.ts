// Renders the catalogue for Prometheus: the rule file (`impulse rules`, alerts/generated/) and its
// promtool unit tests, whose expected alerts come from running each rule test through the
// embedded evaluator — so `promtool test rules` passing means both agree.
import { stringify } from 'yaml';
import { effectiveRules, type CatalogueSettings, type EffectiveRule } from './catalogue';
import { AlertEngine } from './engine';
import { duration } from './promql';
import type { RuleGroup, RuleTest } from './rule';
import { seriesSelector, SeriesSource } from './series';
import { toGoTemplate } from './template';

const GROUP_ORDER: RuleGroup[] = ['services', 'collector', 'ha', 'replication', 'platform', 'certificates', 'users'];

export const RULE_FILE_HEADER = (settings: CatalogueSettings) =>
  [
    '# IMPulse alerting rules for Prometheus, generated from the rule catalogue (alerts/) by `impulse rules`.',
    '# Do not edit: change alerts/rules/*.ts or the configuration (thresholds, alerting) and render again.',
    `# Rendered for the IM address scheme ${settings.params.imAddressScheme}; runbooks at ${settings.externalUrl}/alerts/runbooks/.`,
    '',
  ].join('\n');

export function renderRuleFile(settings: CatalogueSettings): string {
  const rules = effectiveRules(settings);
  const groups = GROUP_ORDER.map((g) => ({ name: `impulse-${g}`, rules: rules.filter((r) => r.rule.group === g).map(ruleEntry) })).filter((g) => g.rules.length);
  return RULE_FILE_HEADER(settings) + stringify({ groups }, { lineWidth: 0 });
}

function ruleEntry(r: EffectiveRule): Record<string, unknown> {
  return {
    alert: r.name,
    expr: r.promql,
    ...(r.for > 0 ? { for: duration(r.for) } : {}),
    labels: { ...r.labels },
    annotations: { summary: toGoTemplate(r.summary), description: toGoTemplate(r.description), runbook_url: r.runbookUrl },
  };
}

/** An alert as promtool's exp_alerts states it. */
export interface ExpectedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * Runs one rule test through the embedded evaluator, one evaluation a minute from 0 to `until`
 * minutes, and returns the alerts firing after each evaluation (index = minute).
 */
export function runRuleTest(rule: EffectiveRule, test: RuleTest, until = test.at): ExpectedAlert[][] {
  const src = new SeriesSource(test.series);
  const engine = new AlertEngine([rule], { intervalMs: 60_000 });
  const out: ExpectedAlert[][] = [];
  for (let m = 0; m <= until; m++) {
    engine.evaluate(src, m * 60_000);
    const status = engine.status()[0];
    if (status.health === 'err') throw new Error(`${rule.name} (${test.name}) at ${m}m: ${status.lastError}`);
    out.push(
      engine
        .alerts()
        .filter((a) => a.state === 'firing')
        .map((a) => ({ labels: { ...a.labels }, annotations: { ...a.annotations } }))
        .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels))),
    );
  }
  return out;
}

/** Compares what the evaluator fires at `at` with the test's expectation; a message when they differ. */
export function checkRuleTest(rule: EffectiveRule, test: RuleTest): string | undefined {
  const got = runRuleTest(rule, test)[test.at].map((a) => a.labels);
  const want = test.expect.map((l) => ({ ...l, alertname: rule.name, severity: rule.severity }));
  const norm = (ls: Array<Record<string, string>>) => ls.map((l) => JSON.stringify(Object.fromEntries(Object.entries(l).sort()))).sort();
  const a = norm(got);
  const b = norm(want);
  if (a.length === b.length && a.every((v, i) => v === b[i])) return undefined;
  return `${rule.name} (${test.name}) at ${test.at}m: expected ${JSON.stringify(b)}, the evaluator fired ${JSON.stringify(a)}`;
}

export interface PromtoolTestOptions {
  /** The rule file, as the test file names it (relative to the test file). */
  ruleFile: string;
  settings: CatalogueSettings;
  /**
   * 'expected': one check per rule test at its `at` minute (the catalogue's unit tests);
   * 'parity': one check every minute from 0 to `at` + 2, each expecting exactly what the
   * embedded evaluator fires then (what fires and when).
   */
  mode: 'expected' | 'parity';
}

/** The promtool test file for the rules that apply under `settings`. Throws when a test fails natively. */
export function renderPromtoolTests(opts: PromtoolTestOptions): string {
  const tests: unknown[] = [];
  for (const rule of effectiveRules(opts.settings)) {
    for (const test of rule.rule.tests) {
      if (test.params?.imAddressScheme && test.params.imAddressScheme !== opts.settings.params.imAddressScheme) continue;
      const problem = checkRuleTest(rule, test);
      if (problem) throw new Error(problem);
      const until = opts.mode === 'parity' ? test.at + 2 : test.at;
      const timeline = runRuleTest(rule, test, until);
      const minutes = opts.mode === 'parity' ? timeline.map((_, m) => m) : [test.at];
      tests.push({
        name: `${rule.name}: ${test.name}`,
        interval: '1m',
        input_series: test.series.map((s) => ({ series: seriesSelector(s), values: s.values })),
        alert_rule_test: minutes.map((m) => ({
          eval_time: `${m}m`,
          alertname: rule.name,
          exp_alerts: timeline[m].map((a) => ({ exp_labels: withoutAlertname(a.labels), exp_annotations: a.annotations })),
        })),
      });
    }
  }
  const header = [
    `# promtool unit tests of ${opts.ruleFile}, generated from the rule catalogue (alerts/rules/*.ts) by \`impulse rules\`.`,
    '# Each rule fires on the series that should fire it and stays silent on the nearby healthy case;',
    '# the expected alerts and annotations are what the embedded evaluator produces from the same series.',
    '',
  ].join('\n');
  return header + stringify({ rule_files: [opts.ruleFile], evaluation_interval: '1m', tests }, { lineWidth: 0 });
}

function withoutAlertname(labels: Record<string, string>): Record<string, string> {
  const { alertname: _drop, ...rest } = labels;
  return rest;
}
