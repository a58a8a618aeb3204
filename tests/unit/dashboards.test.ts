// Grafana dashboards as code: six dashboards with cluster/node variables, JSON Grafana imports
// (checked against the dashboard model Grafana needs), every panel query parsing with lezer-promql
// and reading only catalogue metrics, and dashboards/generated/ current with the code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, panelQueries, renderDashboard } from '../../dashboards/index';
import { checkQuery, KNOWN_METRICS, sel } from '../../dashboards/query';
import { dashboardSchema } from '../../dashboards/validate';
import { metrics } from '../../collectors/metrics/catalogue';

const generated = path.resolve(__dirname, '../../dashboards/generated');

describe('Grafana dashboards', () => {
  it('are the fleet overview, cluster, node, replication, HA and certificates dashboards', () => {
    expect(DASHBOARDS.map((d) => d.build().uid)).toEqual(['impulse-fleet', 'impulse-cluster', 'impulse-node', 'impulse-replication', 'impulse-ha', 'impulse-certificates']);
  });

  for (const { file, build } of DASHBOARDS) {
    describe(file, () => {
      const d = build();

      it('is a dashboard Grafana imports: uid, grid, unique panel ids and refIds, variables it references', () => {
        const r = dashboardSchema.safeParse(d);
        expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
        const vars = d.templating.list?.map((v) => v.name) ?? [];
        expect(vars.slice(0, 2)).toEqual(['datasource', 'cluster']);
        if (['impulse-cluster', 'impulse-node'].includes(d.uid!)) expect(vars).toContain('node');
      });

      it('has panel queries that parse with lezer-promql and read catalogue metrics only', () => {
        const queries = panelQueries(d);
        expect(queries.length).toBeGreaterThanOrEqual(5);
        for (const q of queries) {
          const c = checkQuery(q.expr);
          expect(c.errors, `${q.panel}: ${q.expr}`).toEqual([]);
          expect(c.metrics.length, `${q.panel} reads no metric`).toBeGreaterThan(0);
          for (const m of c.metrics) expect(KNOWN_METRICS.has(m), `${q.panel}: ${m} is not in collectors/metrics/catalogue.ts`).toBe(true);
        }
      });

      it('is committed in dashboards/generated/ as `impulse dashboards --out dashboards/generated` writes it', () => {
        expect(readFileSync(path.join(generated, file), 'utf8')).toBe(renderDashboard(d));
      });
    });
  }

  it('has nothing else in dashboards/generated/', () => {
    expect(readdirSync(generated).sort()).toEqual(DASHBOARDS.map((d) => d.file).sort());
  });

  it('the checker notices a syntax error and a metric that is not in the catalogue', () => {
    expect(checkQuery('sum(rate(impulse_requests_total[5m])').errors.length).toBeGreaterThan(0);
    expect(checkQuery('up == 0').metrics).toEqual(['up']);
    expect(KNOWN_METRICS.has('up')).toBe(false);
    expect(KNOWN_METRICS.has(`${metrics.pollDuration.name}_bucket`)).toBe(true);
    expect(() => sel(metrics.cpuUsageRatio, { service: 'x' })).toThrow(/no label 'service'/);
  });
});
