// Renders the metric catalogue to docs/metrics.md. `node bin/run-ts.mjs collectors/metrics/render-docs.ts`
// rewrites the file; tests/unit/engine-catalogue.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue, type MetricDef } from './catalogue';

const SOURCE_ORDER = ['inventory', 'perfmon', 'services', 'replication', 'ha', 'certificates', 'peers', 'users', 'engine'] as const;
const SOURCE_TITLE: Record<(typeof SOURCE_ORDER)[number], string> = {
  inventory: 'Inventory (AXL processnode, presence redundancy groups; daily)',
  perfmon: 'PerfMon (one long-lived session per node; every 30 s)',
  services: 'Services (Control Center, `utils service list` fallback; every 60 s)',
  replication: 'Database replication (`utils dbreplication runtimestate` on each publisher; every 60 s)',
  ha: 'High availability (`utils ha status`; every 30 s)',
  certificates: 'Certificates (TLS probes, `show cert list own|trust`; hourly)',
  peers: 'Intercluster peers (every 5 min)',
  users: 'Users (`utils users validate all` on IM&P publishers; daily)',
  engine: 'The collector itself',
};

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(d: MetricDef): string {
  const labels = d.labels.map((l) => `\`${l}\``).join(', ');
  let help = esc(d.help);
  if (d.oneHot) help += ` Known \`${d.oneHot.label}\` values: ${d.oneHot.values.map((v) => `\`${esc(v)}\``).join(', ')}.`;
  if (d.buckets) help += ` Buckets: ${d.buckets.join(', ')}.`;
  return `| \`${d.name}\` | ${d.type} | ${d.unit || '—'} | ${labels || '—'} | ${help} |`;
}

export function renderMetricsDoc(): string {
  const parts = [
    '# IMPulse metrics',
    '',
    '<!-- Generated from collectors/metrics/catalogue.ts by collectors/metrics/render-docs.ts. Do not edit by hand. -->',
    '',
    'Every metric IMPulse exports on `/metrics` (`impulse start` and `impulse collect`). Conventions:',
    'base units (`_seconds`, `_bytes`), ratios 0–1 instead of percentages, `_total` for counters,',
    '`_info` metrics (value 1) for identities and versions, one-hot metrics (one series per known',
    'state, 1 for the current one) for HA states and reasons and service status, and the labels',
    '`cluster` and `node` on every per-node series. Cisco names (services, HA states and reasons,',
    'PerfMon objects and counters, certificate units) appear verbatim in label values.',
    '',
    'Series derived from a poll are exported while the poll is fresh (a success within two',
    'intervals); when a node stops answering, its series disappear and `impulse_target_up` drops to 0',
    'with the reason in `impulse_last_error_info` and `impulse_poll_errors_total`.',
    '',
    `${catalogue.length} metrics.`,
  ];
  for (const src of SOURCE_ORDER) {
    const defs = catalogue.filter((d) => d.source === src);
    if (!defs.length) continue;
    parts.push('', `## ${SOURCE_TITLE[src]}`, '', '| Metric | Type | Unit | Labels | Meaning |', '| --- | --- | --- | --- | --- |', ...defs.map(row));
  }
  return parts.join('\n') + '\n';
}

export const metricsDocPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'metrics.md');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(metricsDocPath, renderMetricsDoc());
  console.log(`wrote ${metricsDocPath}`);
}
