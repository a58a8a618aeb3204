// `impulse troubleshoot`: the System Troubleshooter for the whole fleet from the command line.
import { CHECKS } from '../../diagnostics/checks/index';
import { exitCode } from '../../diagnostics/run';
import { SECTIONS, STATUS_LABEL } from '../../diagnostics/types';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';
import { runFromCli, STATUS_MARK } from '../diagnostics-run';

const help = `Usage: impulse troubleshoot [--config file] [--cluster name]… [--check id]… [--json]

Runs the System Troubleshooter across every cluster of the configuration (or the --cluster ones):
user IDs and directory URIs (U1–U6), intercluster peering, High Availability, database replication,
certificates, services and platform checks. Reads the nodes through AXL, Control Center, TLS and the
admin CLI (within each node's request budget), prints every result with Cisco's Problem and Solution
and every affected item, and records the run in the data dir's database (as cli:<user>).

  --config <file>    configuration (default: $IMPULSE_CONFIG, else ./impulse.config.yaml)
  --cluster <name>   only this cluster (repeatable); users are read from every cluster either way
  --check <id>       only this check (repeatable, case-insensitive), e.g. --check U1 --check HA-STATE
  --json             the results as JSON on stdout
  -h, --help         this text

Checks: ${CHECKS.map((c) => c.id).join(', ')}

Exit status: 0 every check passed (or was skipped), 1 warnings only, 2 failures (or a check whose
data could not be collected), 3 the run itself could not complete (configuration, crash).
`;

export const command: CliCommand = {
  name: 'troubleshoot',
  summary: 'Run the System Troubleshooter across the fleet (exit 0 passed, 1 warnings, 2 failures, 3 run failed)',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(argv, { config: { type: 'string', short: 'c' }, cluster: { type: 'string', multiple: true }, check: { type: 'string', multiple: true }, json: { type: 'boolean' } }, false);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const r = await runFromCli('troubleshoot', { kind: 'troubleshooter', checks: values.check, clusters: values.cluster }, values.config);
    if (!r) return 3;
    try {
      const { outcome } = r;
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ run: outcome.id, status: outcome.status, error: outcome.error, summary: outcome.summary, results: outcome.results.map(({ startedAt: _s, finishedAt: _f, ...x }) => x) }, null, 2)}\n`);
      } else {
        for (const section of SECTIONS) {
          const rs = outcome.results.filter((x) => x.section === section);
          if (!rs.length) continue;
          process.stdout.write(`\n${section}\n${'='.repeat(section.length)}\n`);
          for (const x of rs) {
            process.stdout.write(`${STATUS_MARK[x.status]}  ${x.checkId}  ${x.title}\n            ${x.summary}\n`);
            if (x.status === 'passed') continue;
            if (x.skippedWhy) process.stdout.write(`            Why: ${x.skippedWhy}\n`);
            if (x.problem) process.stdout.write(`            Problem: ${x.problem}\n`);
            if (x.solution) process.stdout.write(`            Solution: ${x.solution}\n`);
            for (const f of x.fix ?? []) process.stdout.write(`            ${f.label}: ${f.url}\n`);
            for (const i of x.items) {
              const where = [i.cluster, i.node].filter(Boolean).join('/');
              process.stdout.write(`              - [${STATUS_LABEL[i.status as keyof typeof STATUS_LABEL] ?? i.status}] ${where ? `${where}: ` : ''}${i.label}${i.detail ? ` — ${i.detail}` : ''}\n`);
            }
          }
        }
        const c = outcome.summary.counts;
        process.stdout.write(`\n${outcome.status === 'completed' ? '' : `The run ${outcome.status}: ${outcome.error ?? ''}\n`}${c.passed} passed, ${c.warning} warning, ${c.failed} failed, ${c.error} error, ${c.skipped} skipped; ${r.recorded}\n`);
      }
      return exitCode(outcome);
    } finally {
      r.close();
    }
  },
};
