// `impulse readiness`: the pre-upgrade readiness report — Go / No-Go per cluster with the reasons,
// and the manual checklist to confirm on the dashboard; --html writes the self-contained report.
import { writeFileSync } from 'node:fs';
import { overallReadiness, READINESS_CHECKLIST } from '../../diagnostics/readiness';
import { readinessHtml } from '../../diagnostics/report/readiness-html';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';
import { runFromCli, cliActor } from '../diagnostics-run';

const help = `Usage: impulse readiness [--config file] [--cluster name]… [--json | --html file]

Runs the checks that matter before an upgrade — database replication (2 on every server, queues not
growing), High Availability Normal/Normal, critical services, free space on the active and common
partitions, certificates valid through the upgrade window (diagnostics.upgradeWindowDays, default
14), versions consistent, NTP synchronised, no recent core dumps, utils diagnose test, valid users —
and prints a Go / No-Go verdict per cluster with the reasons. The manual items Cisco lists that no
API shows (DRS backup, the Upgrade Readiness COP, …) are a checklist the engineer ticks on the
dashboard's /readiness page. The run is recorded (as cli:<user>).

  --config <file>    configuration (default: $IMPULSE_CONFIG, else ./impulse.config.yaml)
  --cluster <name>   only this cluster (repeatable)
  --json             the report as JSON on stdout
  --html <file>      write the report as one self-contained HTML file (to attach to a change ticket)
  -h, --help         this text

Exit status: 0 every cluster Go, 1 Go with warnings, 2 at least one cluster No-Go, 3 the run itself
could not complete.
`;

export const command: CliCommand = {
  name: 'readiness',
  summary: 'Pre-upgrade readiness: Go / No-Go per cluster with the reasons (exit 2 when any is No-Go); --html report',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(argv, { config: { type: 'string', short: 'c' }, cluster: { type: 'string', multiple: true }, json: { type: 'boolean' }, html: { type: 'string' } }, false);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.json && values.html) throw new UsageError('--json and --html are exclusive');
    const r = await runFromCli('readiness', { kind: 'readiness', clusters: values.cluster }, values.config);
    if (!r) return 3;
    try {
      const { outcome } = r;
      if (outcome.status !== 'completed' || !outcome.report) {
        process.stderr.write(`impulse readiness: the run ${outcome.status}: ${outcome.error ?? ''}\n`);
        return 3;
      }
      const report = outcome.report;
      const overall = overallReadiness(report, []);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ run: outcome.id, overall: overall.verdict, ...report, checklist: READINESS_CHECKLIST.map((i) => ({ ...i, confirmed: false })), results: outcome.results.map(({ startedAt: _s, finishedAt: _f, ...x }) => x) }, null, 2)}\n`);
      } else {
        if (values.html) {
          const run = r.runs.getRun(outcome.id);
          writeFileSync(
            values.html,
            readinessHtml({ runId: outcome.id, startedAt: run?.startedAt ?? Date.now(), finishedAt: run?.finishedAt ?? Date.now(), actor: run?.actor ?? cliActor(), origin: 'cli', report, results: outcome.results, checklist: [] }),
          );
        }
        process.stdout.write(`Pre-upgrade readiness (run ${outcome.id}; certificates checked through a ${report.upgradeWindowDays}-day upgrade window)\n\n`);
        for (const c of report.clusters) {
          process.stdout.write(`${c.verdict === 'Go' ? 'Go   ' : 'No-Go'}  ${c.cluster}\n`);
          for (const reason of c.reasons) {
            process.stdout.write(`         ${reason.status === 'warning' ? 'warning' : 'reason '}: ${reason.checkId} ${reason.title} (${reason.count})\n`);
            for (const e of reason.examples) process.stdout.write(`                   ${e}\n`);
            if (reason.count > reason.examples.length) process.stdout.write(`                   … and ${reason.count - reason.examples.length} more\n`);
          }
        }
        process.stdout.write(`\nManual checklist (confirm on the dashboard's /readiness page, run ${outcome.id}):\n`);
        for (const i of READINESS_CHECKLIST) process.stdout.write(`  [ ] ${i.label}\n`);
        process.stdout.write(`\n${r.recorded}${values.html ? `; HTML report written to ${values.html}` : ''}\n`);
      }
      if (report.clusters.some((c) => c.verdict === 'No-Go')) return 2;
      if (report.clusters.some((c) => c.reasons.length > 0)) return 1;
      return 0;
    } finally {
      r.close();
    }
  },
};
