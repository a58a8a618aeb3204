// The node page's chart data: a history answer bucketed onto one time grid per chart (gaps where
// nothing was collected, bounded points), the range from the query string, and what the page says
// when history cannot be drawn. Both back ends answer the same shape, so one shaping serves both.
import { describe, expect, it } from 'vitest';
import type { HistoryBackend, HistoryQuery, HistoryResult, SeriesResult } from '../../collectors/history/types';
import { MAX_POINTS, nodeCharts, parseRange, shapeHistory, shapeSeries, type ChartMeta } from '../../collectors/views/charts';
import { toCsv } from '../../collectors/views/csv';
import { duration, formatState, formatTick, formatTime, formatValue } from '../../collectors/views/format';

const H = 3_600_000;
const cpu: ChartMeta = { id: 'cpu', title: 'CPU', unit: 'ratio' };
const parts: ChartMeta = { id: 'partition', title: 'Partition used', unit: 'ratio', split: 'partition' };

function series(id: string, stepMs: number, lines: Record<string, Array<[number, number]>>): SeriesResult {
  return { id, stepMs, lines: Object.entries(lines).map(([key, pts]) => ({ key, labels: (key ? { partition: key } : {}) as Record<string, string>, points: pts.map(([t, v]) => ({ t, v })) })) };
}

describe('shapeSeries', () => {
  it('keeps every point when the range fits, one column per line, labels from the split', () => {
    const from = 0;
    const to = H;
    const pts = Array.from({ length: 120 }, (_, i) => [i * 30_000, i / 120] as [number, number]);
    const c = shapeSeries(series('partition', 30_000, { Active: pts, Common: pts.map(([t, v]) => [t, v / 2]) }), parts, from, to);
    expect(c.bucketMs).toBe(30_000);
    expect(c.lines.map((l) => [l.key, l.label])).toEqual([
      ['l0', 'Active'],
      ['l1', 'Common'],
    ]);
    expect(c.rows[10]).toEqual({ t: 300_000, l0: 10 / 120, l1: 5 / 120 });
    expect(c.lines[0]).toMatchObject({ last: 119 / 120, min: 0, max: 119 / 120 });
  });

  it('bounds the points of a long range by averaging into buckets', () => {
    const to = 7 * 24 * H;
    const pts = Array.from({ length: (7 * 24 * H) / 30_000 }, (_, i) => [i * 30_000, i % 2] as [number, number]);
    const c = shapeSeries(series('cpu', 30_000, { '': pts }), cpu, 0, to);
    expect(c.rows.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(c.bucketMs % 30_000).toBe(0);
    // Alternating 0/1 averages to ½ in every full bucket; min and max keep the extremes.
    expect(c.rows[5].l0).toBeCloseTo(0.5);
    expect(c.lines[0]).toMatchObject({ min: 0, max: 1, label: 'CPU' });
  });

  it('a time nothing was collected is a gap (null), not a line drawn across it', () => {
    const c = shapeSeries(series('cpu', 60_000, { '': [[0, 0.1], [60_000, 0.2], [600_000, 0.3]] }), cpu, 0, 600_000);
    expect(c.rows.map((r) => r.l0)).toEqual([0.1, 0.2, null, null, null, null, null, null, null, null, 0.3]);
    expect(c.lines[0].last).toBe(0.3);
  });

  it('rolled-up points carry their min and max into the line summary', () => {
    const s: SeriesResult = { id: 'cpu', stepMs: 300_000, lines: [{ key: '', labels: {}, points: [{ t: 0, v: 0.4, min: 0.1, max: 0.9 }] }] };
    expect(shapeSeries(s, cpu, 0, 300_000).lines[0]).toMatchObject({ min: 0.1, max: 0.9, last: 0.4 });
  });
});

describe('shapeHistory and nodeCharts', () => {
  const answer: HistoryResult = { backend: 'sqlite', series: [series('cpu', 30_000, { '': [[H - 60_000, 0.2], [H - 30_000, 0.3]] }), series('partition', 30_000, {})] };

  it('charts in the order of the series definitions; series without points are listed as empty', () => {
    const m = shapeHistory(answer, [parts, cpu], 0, H, '1h');
    expect(m.charts.map((c) => c.id)).toEqual(['cpu']);
    expect(m.empty.map((e) => e.id)).toEqual(['partition']);
    expect(m.backend).toBe('sqlite');
  });

  it('asks the back end for the node\'s series over the range, and says why when it cannot draw', async () => {
    const asked: HistoryQuery[] = [];
    const backend = (over: Partial<HistoryBackend>): HistoryBackend => ({
      kind: 'prometheus',
      status: () => ({ available: true }),
      query: async (q) => (asked.push(q), { ...answer, backend: 'prometheus' }),
      ...over,
    });
    const now = 10 * H;
    const m = await nodeCharts(backend({}), { cluster: 'imp01', node: 'imp01-pub', range: '6h', now, metas: [cpu, parts] });
    expect(asked).toEqual([{ cluster: 'imp01', node: 'imp01-pub', series: ['cpu', 'partition'], from: now - 6 * H, to: now, maxPoints: MAX_POINTS }]);
    expect(m.backend).toBe('prometheus');
    expect((await nodeCharts(undefined, { cluster: 'c', node: 'n', range: '1h', now, metas: [cpu] })).unavailable).toMatch(/no history back end/);
    expect((await nodeCharts(backend({ status: () => ({ available: false, reason: 'the database is read-only' }) }), { cluster: 'c', node: 'n', range: '1h', now, metas: [cpu] })).unavailable).toBe(
      'History is unavailable: the database is read-only.',
    );
    const failing = backend({ query: async () => { throw new Error('Prometheus answered 503'); } });
    expect((await nodeCharts(failing, { cluster: 'c', node: 'n', range: '1h', now, metas: [cpu] })).unavailable).toBe('History could not be read: Prometheus answered 503');
  });

  it('the range comes from the query string, 24 h by default', () => {
    expect(parseRange({ range: '7d' })).toBe('7d');
    expect(parseRange({ range: '2y' })).toBe('24h');
    expect(parseRange({})).toBe('24h');
  });
});

describe('formatting', () => {
  it('values by unit', () => {
    expect(formatValue(0.4567, 'ratio')).toBe('45.7 %');
    expect(formatValue(93, 'percent')).toBe('93 %');
    expect(formatValue(1_843_200 * 1024, 'bytes')).toBe('1.76 GiB');
    expect(formatValue(37_500, '')).toBe('37,500');
    expect(formatValue(null, 'ratio')).toBe('—');
    expect(formatValue(0.00031, 'seconds')).toBe('0.31 ms');
    expect(formatValue(1.5, 'seconds')).toBe('1.5 s');
    expect(formatValue(3 * 86400, 'seconds')).toBe('3 d 0 h');
    expect(formatValue(2, 'state')).toBe('2');
    expect(duration(45)).toBe('45 s');
    expect(duration(3 * 3600 + 300)).toBe('3 h 5 min');
    expect(duration(4 * 86400 + 7200)).toBe('4 d 2 h');
  });

  it('state values with their meaning', () => {
    expect(formatState(2, { 2: 'good', 3: 'bad in the cluster' })).toBe('2 (good)');
    expect(formatState(2.5, { 2: 'good' })).toBe('2.5');
    expect(formatState(null, undefined)).toBe('—');
  });

  it('times in UTC, saying so; ticks with the date on long ranges', () => {
    const t = Date.parse('2026-05-04T13:02:11.500Z');
    expect(formatTime(t)).toBe('2026-05-04 13:02:11 UTC');
    expect(formatTick(t, H)).toBe('13:02');
    expect(formatTick(t, 7 * 24 * H)).toBe('05-04 13:02');
  });

  it('CSV quoting (RFC 4180) and formula defusing', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['=1+1', -3], [null, 'line\nbreak']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=1+1,-3\r\n,"line\nbreak"\r\n');
  });
});
