// `impulse rules`: renders the alert rule catalogue (alerts/) for Prometheus: the rule file and its
// promtool unit tests, for the built-in defaults or for a configuration's thresholds, IM address
// scheme, rule overrides and dashboard URL.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCatalogueSettings, effectiveRules, RULES, type CatalogueSettings } from '../../alerts/catalogue';
import { duration } from '../../alerts/promql';
import { renderPromtoolTests, renderRuleFile } from '../../alerts/render';
import { AlertingConfigError, resolveAlerting } from '../../alerts/settings';
import { ConfigError, formatIssue, formatPath, loadConfigFile } from '../../config/load';
import { defaultConfigFile, locateConfig } from '../../config/locate';
import { resolveLoaded } from '../../config/resolve';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

export const RULE_FILE = 'impulse-rules.yml';
export const TEST_FILE = 'impulse-rules.test.yml';

const help = `Usage: impulse rules [--config <file> | --defaults] [--out <dir>] [--list]

Renders IMPulse's alert rule catalogue for Prometheus. Without --out, prints the rule file.

  --config <file>  render for this configuration: thresholds, alerting.imAddressScheme,
                   alerting.rules (enabled, for, severity) and alerting.externalUrl (runbook links)
                   (default: $IMPULSE_CONFIG, else ./${defaultConfigFile} when it exists)
  --defaults       ignore any configuration: the built-in thresholds (alerts/generated/ holds this)
  --out <dir>      write ${RULE_FILE} and ${TEST_FILE} (its promtool unit tests) there
  --list           list the rules: name, severity, for, origin of the name

Check the output with:  promtool check rules <dir>/${RULE_FILE} && promtool test rules <dir>/${TEST_FILE}
`;

export const command: CliCommand = {
  name: 'rules',
  summary: 'Render the alert rules for Prometheus (rule file and promtool tests)',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(argv, { config: { type: 'string' }, defaults: { type: 'boolean' }, out: { type: 'string' }, list: { type: 'boolean' } }, false);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.defaults && values.config) throw new UsageError('--defaults and --config exclude each other');
    let settings: CatalogueSettings = defaultCatalogueSettings;
    let from = 'built-in defaults';
    const where = values.defaults ? undefined : locateConfig(values.config);
    if (where) {
      try {
        const loaded = loadConfigFile(where.file);
        const alerting = resolveAlerting(loaded.config, { dir: loaded.dir, thresholds: resolveLoaded(loaded).thresholds });
        if (alerting.issues.length) {
          for (const i of alerting.issues) process.stderr.write(`${formatIssue({ file: where.file, ...loaded.position(i.path), field: formatPath(i.path), message: i.message })}\n`);
          return 1;
        }
        settings = alerting.catalogue;
        from = where.file;
      } catch (err) {
        if (err instanceof ConfigError) {
          for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
          return 1;
        }
        if (err instanceof AlertingConfigError) {
          process.stderr.write(`impulse rules: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
    }
    if (values.list) {
      const rules = effectiveRules(settings);
      const active = new Set(rules.map((r) => r.name));
      const rows = RULES.map((r) => {
        const e = rules.find((x) => x.name === r.name);
        const origin = r.origin === 'cisco' ? 'Cisco' : r.origin === 'cisco-closest' ? 'Cisco (closest signal)' : 'IMPulse';
        return [r.name, e?.severity ?? r.severity, duration(e?.for ?? r.for), origin, active.has(r.name) ? '' : '(not active with this configuration)'];
      });
      const width = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
      for (const row of rows) process.stdout.write(`${row.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd()}\n`);
      return 0;
    }
    const rules = renderRuleFile(settings);
    if (!values.out) {
      process.stdout.write(rules);
      return 0;
    }
    const dir = path.resolve(values.out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, RULE_FILE), rules);
    writeFileSync(path.join(dir, TEST_FILE), renderPromtoolTests({ ruleFile: RULE_FILE, settings, mode: 'expected' }));
    process.stdout.write(`wrote ${path.join(dir, RULE_FILE)} and ${TEST_FILE} (${effectiveRules(settings).length} rules, from ${from})\n`);
    return 0;
  },
};
