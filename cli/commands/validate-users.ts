// `impulse validate-users`: `utils users validate all` for the whole fleet — every IM&P cluster's end
// users read through AXL, checked for duplicate user IDs, missing, invalid and duplicate directory
// URIs, duplicate mail IDs and IM address collisions, printed in Cisco's report layout (or CSV / JSON).
import { exitCode } from '../../diagnostics/run';
import { usersCsv, usersJson, usersValidateText } from '../../diagnostics/report/users-report';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';
import { runFromCli } from '../diagnostics-run';

const help = `Usage: impulse validate-users [--config file] [--format text|csv|json]

Reads every IM&P cluster's end users through AXL (paged, one query at a time per publisher) and
validates them across the fleet: duplicate user IDs (U1), users with no directory URI (U2),
duplicate directory URIs, compared ignoring case (U3), invalid directory URIs (U4), duplicate mail
IDs (U5) and IM address collisions (U6). Flagged users are looked up in the configured LDAP
directories. The run is recorded in the data dir's database (as cli:<user>).

  --config <file>          configuration (default: $IMPULSE_CONFIG, else ./impulse.config.yaml)
  --format text|csv|json   text: the layout of \`utils users validate all\` (sections "Users with
                           Duplicate User IDs", "Users with No Directory URI Configured", "Users with
                           Invalid Directory URI Configured", "Users with Duplicate Directory URIs");
                           csv: one row per flagged user and check; json: every check and user
  -h, --help               this text

Exit status: 0 no problem, 1 warnings only, 2 problems found (or a cluster whose users could not be
read), 3 the run itself could not complete.
`;

export const command: CliCommand = {
  name: 'validate-users',
  summary: 'Validate user IDs and directory URIs across every cluster (Cisco\'s `utils users validate all` layout, CSV or JSON)',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(argv, { config: { type: 'string', short: 'c' }, format: { type: 'string' } }, false);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const format = values.format ?? 'text';
    if (!['text', 'csv', 'json'].includes(format)) throw new UsageError(`--format expects text, csv or json, got '${format}'`);
    const r = await runFromCli('validate-users', { kind: 'users' }, values.config);
    if (!r) return 3;
    try {
      const { outcome } = r;
      if (outcome.status !== 'completed') {
        process.stderr.write(`impulse validate-users: the run ${outcome.status}: ${outcome.error ?? ''}\n`);
        return 3;
      }
      const checks = outcome.results.map((x) => ({ ...x, items: x.items }));
      if (format === 'csv') process.stdout.write(usersCsv(checks));
      else if (format === 'json') {
        process.stdout.write(usersJson(checks, { run: outcome.id, generatedAt: new Date().toISOString(), users: outcome.summary.users, ldap: outcome.summary.ldap }));
      } else {
        process.stdout.write(usersValidateText(checks));
        // Beyond Cisco's four sections: mail IDs, IM address collisions, clusters that could not be read.
        const extra = outcome.results.filter((x) => x.status !== 'passed' && !['U1', 'U2', 'U3', 'U4'].includes(x.checkId));
        const errors = outcome.results.flatMap((x) => x.items.filter((i) => i.status === 'error').map((i) => `${i.cluster}: ${i.detail}`));
        for (const x of extra) {
          process.stderr.write(`\n${x.checkId} ${x.title}: ${x.summary}\n`);
          for (const i of x.items.filter((i) => i.status !== 'error')) process.stderr.write(`  ${i.cluster}/${i.node} ${i.label}${i.detail ? ` — ${i.detail}` : ''}\n`);
        }
        for (const e of [...new Set(errors)]) process.stderr.write(`not validated: ${e}\n`);
      }
      const u = outcome.summary.users;
      process.stderr.write(`${u ? `${u.users.toLocaleString('en-US')} users of ${u.clusters} clusters validated; ` : ''}${r.recorded}\n`);
      return exitCode(outcome);
    } finally {
      r.close();
    }
  },
};
