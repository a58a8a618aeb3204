// The chart series are defined once, against the metric catalogue: a series whose metric was
// renamed or whose split label does not exist would draw nothing, silently.
import { describe, expect, it } from 'vitest';
import { metrics } from '../../collectors/metrics/catalogue';
import { SERIES, SERIES_GROUPS, seriesForProduct, seriesIntervalMs } from '../../collectors/metrics/series';

describe('chart series', () => {
  it('every series reads a catalogue metric and splits by one of its labels', () => {
    for (const s of SERIES) {
      const def = metrics[s.metric];
      expect(def, `${s.id}: metric ${s.metric}`).toBeDefined();
      expect(def.type, `${s.id}: charts read gauges`).toBe('gauge');
      if (s.splitBy !== undefined) {
        expect(def.labels, `${s.id}: split label`).toContain(s.splitBy);
        expect(['cluster', 'node']).not.toContain(s.splitBy);
      }
      // Every label other than cluster, node and the split one would merge distinct series into one line.
      expect(def.labels.filter((l) => l !== 'cluster' && l !== 'node' && l !== s.splitBy), `${s.id}: unsplit labels`).toEqual([]);
    }
  });

  it('units agree with the catalogue', () => {
    for (const s of SERIES) {
      const unit = metrics[s.metric].unit;
      const expected = unit === '' ? ['count', 'state'] : [unit];
      expect(expected, `${s.id}: ${s.unit} vs catalogue ${unit || 'none'}`).toContain(s.unit);
    }
  });

  it('ids are unique, groups known, and every product has charts', () => {
    expect(new Set(SERIES.map((s) => s.id)).size).toBe(SERIES.length);
    for (const s of SERIES) expect(SERIES_GROUPS).toContain(s.group);
    expect(seriesForProduct('imp').map((s) => s.id)).toContain('jsm-sessions');
    expect(seriesForProduct('cucm').map((s) => s.id)).not.toContain('jsm-sessions');
    expect(seriesForProduct('cucm').map((s) => s.id)).toContain('cpu');
  });

  it('a series is sampled at its source\'s interval', () => {
    const polling = { perfmon: 15, replication: 120 } as never;
    const byId = new Map(SERIES.map((s) => [s.id, s]));
    expect(seriesIntervalMs(byId.get('cpu')!, { polling })).toBe(15_000);
    expect(seriesIntervalMs(byId.get('replication-queue')!, { polling })).toBe(120_000);
    expect(seriesIntervalMs(byId.get('target-up')!, { polling })).toBe(15_000);
    expect(seriesIntervalMs(byId.get('cpu')!)).toBe(30_000);
  });
});
