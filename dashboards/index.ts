// IMPulse's Grafana dashboards as code: each rendered to the JSON Grafana provisions as is
// (`impulse dashboards --out dir`; committed in dashboards/generated/).
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { certificates } from './certificates';
import { cluster } from './cluster';
import { fleet } from './fleet';
import { ha } from './ha';
import { node } from './node';
import { replication } from './replication';

export const DASHBOARDS: ReadonlyArray<{ file: string; build: () => Dashboard }> = [
  { file: 'impulse-fleet.json', build: fleet },
  { file: 'impulse-cluster.json', build: cluster },
  { file: 'impulse-node.json', build: node },
  { file: 'impulse-replication.json', build: replication },
  { file: 'impulse-ha.json', build: ha },
  { file: 'impulse-certificates.json', build: certificates },
];

export function renderDashboard(d: Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

/** Every panel query of a dashboard, with its panel's title (rows' panels included). */
export function panelQueries(d: Dashboard): Array<{ panel: string; expr: string }> {
  const out: Array<{ panel: string; expr: string }> = [];
  const visit = (p: { title?: string; targets?: Array<{ expr?: string }>; panels?: unknown[] }) => {
    for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title ?? '', expr: t.expr });
    for (const inner of (p.panels ?? []) as typeof p[]) visit(inner);
  };
  for (const p of (d.panels ?? []) as Array<Parameters<typeof visit>[0]>) visit(p);
  return out;
}
