// The condition language: PromQL rendering and native evaluation agree with PromQL's semantics
// (checked against real promtool in tests/e2e/alerts-promtool.test.ts), promtool's series
// notation, and the Go template formatting of annotations.
import { describe, expect, it } from 'vitest';
import { metrics } from '../../collectors/metrics/catalogue';
import { evaluate, EvalError, cleanLabels } from '../../alerts/evaluate';
import { not, on, oneOf, Q } from '../../alerts/language';
import { duration, toPromQL } from '../../alerts/promql';
import { s } from '../../alerts/rule';
import { expandValues, SeriesNotationError, SeriesSource } from '../../alerts/series';
import { goFixed, goG4, L, renderTemplate, t, toGoTemplate, V } from '../../alerts/template';

const at = (minutes: number) => minutes * 60_000;
const labelsOf = (v: ReadonlyArray<{ labels: Record<string, string> }>) => v.map((x) => cleanLabels(x.labels));

describe('selectors and rendering', () => {
  it('renders selectors from the metric catalogue with escaped values, regexes of exact names and offsets', () => {
    const q = Q.metric(metrics.serviceStatus, { status: 'Started', service: oneOf(['Cisco XCP Router', 'A.B "x"']) }, { offset: 600 });
    expect(toPromQL(q.expr)).toBe('impulse_service_status{status="Started", service=~"Cisco XCP Router|A\\\\.B \\"x\\""} offset 10m');
    expect(toPromQL(Q.metric(metrics.haNodeState, { state: oneOf(['Idle']) }).eq(1).expr)).toBe('impulse_ha_node_state{state="Idle"} == 1');
  });

  it('refuses labels a metric does not have', () => {
    expect(() => Q.metric(metrics.cpuUsageRatio, { service: 'x' })).toThrow(/has no label 'service'/);
  });

  it('parenthesises every operation so precedence never matters', () => {
    const q = Q.metric(metrics.cpuUsageRatio).gt(0.9).and(Q.metric(metrics.memoryUsedRatio).subtractedFrom(1).lt(0.1), on('cluster', 'node')).or(Q.absent(metrics.collectorInfo));
    expect(toPromQL(q.expr)).toBe('((impulse_cpu_usage_ratio > 0.9) and on (cluster, node) ((1 - impulse_memory_used_ratio) < 0.1)) or absent(impulse_collector_info)');
  });

  it('writes durations in the largest whole unit', () => {
    expect([0, 45, 60, 90, 600, 3600, 7200, 86400].map(duration)).toEqual(['0s', '45s', '1m', '90s', '10m', '1h', '2h', '1d']);
  });
});

describe('native evaluation', () => {
  const src = new SeriesSource([
    s(metrics.serviceStatus, { cluster: 'c', node: 'n1', service: 'Cisco XCP Router', status: 'Started' }, '1 0'),
    s(metrics.serviceStatus, { cluster: 'c', node: 'n2', service: 'Cisco XCP Router', status: 'Started' }, '1 1'),
    s(metrics.serviceReasonCode, { cluster: 'c', node: 'n1', service: 'Cisco XCP Router' }, '_ -1019'),
    s(metrics.haNodeState, { cluster: 'c', node: 'n1', group: 'g', state: 'Normal' }, '1 1'),
    s(metrics.certificateNotAfter, { cluster: 'c', node: 'n1', unit: 'tomcat', port: '8443', source: 'tls', store: 'own' }, '864000 864000'),
    s(metrics.certificateNotAfter, { cluster: 'c', node: 'n1', unit: 'tomcat', port: '', source: 'cli', store: 'own' }, '432000 432000'),
  ]);

  it('filters keep the value, sets match on labels without the metric name, `on` restricts the match', () => {
    const down = Q.metric(metrics.serviceStatus, { status: 'Started' }).eq(0);
    expect(labelsOf(evaluate(down.expr, src, at(1)))).toEqual([{ cluster: 'c', node: 'n1', service: 'Cisco XCP Router', status: 'Started' }]);
    const explained = down.and(Q.metric(metrics.serviceReasonCode), on('cluster', 'node', 'service'));
    expect(evaluate(explained.expr, src, at(1))).toHaveLength(1);
    const unexplained = down.unless(Q.metric(metrics.serviceReasonCode), on('cluster', 'node', 'service'));
    expect(evaluate(unexplained.expr, src, at(1))).toEqual([]);
    // Without `on`, the label sets differ (status), so nothing matches.
    expect(evaluate(down.and(Q.metric(metrics.serviceReasonCode)).expr, src, at(1))).toEqual([]);
  });

  it('`or` adds right-hand elements whose labels the left lacks, the left value wins', () => {
    const a = Q.metric(metrics.serviceStatus, { node: 'n1', status: 'Started' }).maxBy('cluster', 'node');
    const b = Q.metric(metrics.serviceStatus, { status: 'Started' }).maxBy('cluster', 'node').times(10);
    const r = evaluate(a.or(b).expr, src, at(0));
    expect(r.map((x) => [x.labels.node, x.value]).sort()).toEqual([
      ['n1', 1],
      ['n2', 10],
    ]);
  });

  it('aggregates by labels, drops empty label values, counts, and does time() arithmetic', () => {
    const days = Q.metric(metrics.certificateNotAfter, { store: 'own' }).minBy('cluster', 'node', 'unit').minusTime().div(86400);
    const r = evaluate(days.expr, src, at(0));
    expect(r).toEqual([{ labels: { cluster: 'c', node: 'n1', unit: 'tomcat' }, value: 5 }]);
    expect(evaluate(Q.metric(metrics.certificateNotAfter, { port: '' }).expr, src, at(0))).toHaveLength(1);
    expect(evaluate(Q.metric(metrics.certificateNotAfter, { port: not('') }).expr, src, at(0))).toHaveLength(1);
    expect(evaluate(Q.metric(metrics.serviceStatus).count().expr, src, at(0))).toEqual([{ labels: {}, value: 2 }]);
  });

  it('one-to-one arithmetic with `on` keeps only the `on` labels and refuses many-to-many', () => {
    const diff = Q.metric(metrics.serviceStatus).minus(Q.metric(metrics.haNodeState), on('cluster', 'node'));
    expect(evaluate(diff.expr, src, at(0))).toEqual([{ labels: { cluster: 'c', node: 'n1' }, value: 0 }]);
    const many = Q.metric(metrics.serviceStatus).minus(Q.metric(metrics.certificateNotAfter), on('cluster', 'node'));
    expect(() => evaluate(many.expr, src, at(0))).toThrow(EvalError);
  });

  it('absent() returns the equality labels of its selector when nothing matches', () => {
    expect(evaluate(Q.absent(metrics.collectorInfo, { shard: '1/2' }).expr, src, 0)).toEqual([{ labels: { shard: '1/2' }, value: 1 }]);
    expect(evaluate(Q.absent(metrics.serviceStatus).expr, src, 0)).toEqual([]);
  });
});

describe("promtool's series notation", () => {
  it('expands numbers, a+bxn, a-bxn, axn, _, _xn and stale', () => {
    expect(expandValues('1 2x2 0+5x3 10-1x2 _ _x2 stale -3')).toEqual([1, 2, 2, 2, 0, 5, 10, 15, 10, 9, 8, undefined, undefined, undefined, 'stale', -3]);
    expect(() => expandValues('1 two')).toThrow(SeriesNotationError);
  });

  it('an instant selector sees the latest sample up to 5 minutes old; stale hides it; offsets and ranges look back', () => {
    const src = new SeriesSource([s(metrics.cpuUsageRatio, { cluster: 'c', node: 'n' }, '1 _x6 2 stale 3')]);
    const v = (m: number) => src.instant('cpuUsageRatio', at(m)).map((x) => x.value);
    expect([v(0), v(5), v(6), v(7), v(8), v(9)]).toEqual([[1], [1], [], [2], [], [3]]);
    expect(evaluate(Q.metric(metrics.cpuUsageRatio, {}, { offset: 120 }).expr, src, at(9)).map((x) => x.value)).toEqual([2]);
    expect(evaluate(Q.maxOverTime(metrics.cpuUsageRatio, 600).expr, src, at(9)).map((x) => x.value)).toEqual([3]);
  });
});

describe('annotation templates', () => {
  const tpl = t`${L.service} on ${L.node}: ${V.percent} (${V.int}, ${V.fixed1})`;

  it('render to Go templates for Prometheus', () => {
    expect(toGoTemplate(tpl)).toBe('{{ $labels.service }} on {{ $labels.node }}: {{ $value | humanizePercentage }} ({{ printf "%.0f" $value }}, {{ printf "%.1f" $value }})');
  });

  it('render natively as Prometheus does, "<no value>" for a missing label', () => {
    expect(renderTemplate(tpl, { service: 'Cisco SIP Proxy' }, 0.8512)).toBe('Cisco SIP Proxy on <no value>: 85.12% (1, 0.9)');
  });

  it("format numbers like Go's %.Nf (ties to even) and %.4g", () => {
    expect([goFixed(2.5, 0), goFixed(3.5, 0), goFixed(-0.5, 0), goFixed(10.25, 1), goFixed(10.35, 1), goFixed(4.16, 1)]).toEqual(['2', '4', '-0', '10.2', '10.3', '4.2']);
    expect([goG4(85), goG4(100), goG4(0.05), goG4(123456), goG4(0.00001234), goG4(99.99)]).toEqual(['85', '100', '0.05', '1.235e+05', '1.234e-05', '99.99']);
  });
});
