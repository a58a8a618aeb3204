// `impulse config check [file]`: validates a configuration and resolves its secret references,
// printing every issue as file:line:col: field: message (never a secret's value).
import { ConfigError, formatIssue, loadConfigFile } from '../../config/load';
import { defaultConfigFile, locateConfig } from '../../config/locate';
import { resolveLoaded } from '../../config/resolve';
import { checkSecrets, secretSites } from '../../config/secrets';
import { checkAlertingConfig } from '../../alerts/settings';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const help = `Usage: impulse config check [file] [--skip-secrets]

Validates an IMPulse configuration: YAML syntax, fields and types, references between clusters,
nodes and presence redundancy groups, TLS and SSH trust files, and resolves every secret
reference (env:NAME, file:/path) without printing any value.

  file            the configuration (default: $IMPULSE_CONFIG, else ./${defaultConfigFile})
  --skip-secrets  do not resolve secret references (e.g. on a machine without the credentials)

Prints "ok: …" and exits 0, or one line per issue (file:line:col: field: message) and exits 1.
`;

export const command: CliCommand = {
  name: 'config',
  summary: 'Check a configuration file (impulse config check [file])',
  help,
  async run(argv) {
    if (argv.length === 0 || wantsHelp(argv)) {
      process.stdout.write(help);
      return argv.length === 0 ? 2 : 0;
    }
    const [sub, ...rest] = argv;
    if (sub !== 'check') throw new UsageError(`unknown subcommand '${sub}'; expected: check`);
    const { values, positionals } = parse(rest, { 'skip-secrets': { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError(`expected at most one file, got ${positionals.length}`);
    const where = locateConfig(positionals[0]);
    if (!where) {
      process.stderr.write(`impulse config: no configuration file: pass one, set $IMPULSE_CONFIG, or create ./${defaultConfigFile} (see examples/impulse.config.yaml)\n`);
      return 1;
    }
    return check(where.file, values['skip-secrets'] === true);
  },
};

function check(file: string, skipSecrets: boolean): number {
  let loaded;
  try {
    loaded = loadConfigFile(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) process.stdout.write(`${formatIssue(issue)}\n`);
    process.stdout.write(`${err.issues.length} issue${err.issues.length === 1 ? '' : 's'} in ${file}\n`);
    return 1;
  }
  const secretIssues = skipSecrets ? [] : checkSecrets(loaded.config, { file, dir: loaded.dir, position: loaded.position });
  if (secretIssues.length > 0) {
    for (const issue of secretIssues) process.stdout.write(`${formatIssue(issue)}\n`);
    process.stdout.write(`${secretIssues.length} secret${secretIssues.length === 1 ? '' : 's'} cannot be resolved in ${file}\n`);
    return 1;
  }
  // Alert rule names and alerting trust files (alerts/settings.ts): reported like schema issues.
  const alertingIssues = checkAlertingConfig(loaded);
  if (alertingIssues.length > 0) {
    for (const issue of alertingIssues) process.stdout.write(`${formatIssue(issue)}\n`);
    process.stdout.write(`${alertingIssues.length} issue${alertingIssues.length === 1 ? '' : 's'} in ${file}\n`);
    return 1;
  }
  const inv = resolveLoaded(loaded);
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const cucm = inv.clusters.filter((c) => c.product === 'cucm').length;
  const groups = inv.clusters.reduce((n, c) => n + c.groups.length, 0);
  const discovered = inv.clusters.filter((c) => c.discoverNodes).map((c) => c.name);
  const parts = [
    `${count(inv.clusters.length, 'cluster')} (${cucm} CUCM, ${inv.clusters.length - cucm} IM&P)`,
    count(inv.nodes.length, 'node'),
    count(groups, 'presence redundancy group'),
    skipSecrets ? 'secrets not checked' : `${count(secretSites(loaded.config).length, 'secret')} resolved`,
  ];
  if (inv.ldap.length) parts.push(count(inv.ldap.length, 'LDAP directory', 'LDAP directories'));
  if (inv.prometheus) parts.push(`chart history from Prometheus at ${inv.prometheus.url}`);
  const insecure = inv.clusters.filter((c) => c.tls.mode === 'insecure').map((c) => c.name);
  if (inv.prometheus?.tls.mode === 'insecure') insecure.push('prometheus');
  process.stdout.write(`ok: ${parts.join(', ')} (${file})\n`);
  if (discovered.length) process.stdout.write(`note: nodes of ${discovered.join(', ')} will be discovered through AXL from the publisher\n`);
  if (insecure.length) process.stdout.write(`warning: TLS verification is off (insecure: true) for ${insecure.join(', ')}\n`);
  return 0;
}
