// `impulse dashboards --out dir`: writes IMPulse's Grafana dashboards (dashboards/, built with
// @grafana/grafana-foundation-sdk) as JSON files Grafana provisions or imports as they are.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARDS, renderDashboard } from '../../dashboards/index';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const help = `Usage: impulse dashboards --out <dir>

Writes IMPulse's Grafana dashboards as JSON (fleet overview, cluster, node, replication, high
availability, certificates). Each reads a Prometheus data source chosen with the $datasource
variable and has cluster (and node) variables. Provision the directory with a Grafana file
provider (see docs/alerting.md) or import the files one by one (Dashboards > New > Import).

  --out <dir>   where to write ${DASHBOARDS.map((d) => d.file).join(', ')}
`;

export const command: CliCommand = {
  name: 'dashboards',
  summary: 'Write the Grafana dashboards as JSON (impulse dashboards --out dir)',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parse(argv, { out: { type: 'string' } }, false);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (!values.out) throw new UsageError('--out <dir> is required');
    const dir = path.resolve(values.out);
    mkdirSync(dir, { recursive: true });
    for (const d of DASHBOARDS) writeFileSync(path.join(dir, d.file), renderDashboard(d.build()));
    process.stdout.write(`wrote ${DASHBOARDS.length} dashboards to ${dir}\n`);
    return 0;
  },
};
