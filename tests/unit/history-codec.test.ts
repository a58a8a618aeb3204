// History blobs: what goes in comes out (exactly, or one rounding step from a decimal), rollups
// compute exact min/avg/max, and the format is as compact as the size target needs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketize, decimalScale, decodeRaw, decodeRawArrays, decodeRollupDay, encodeRaw, encodeRollupDay, DAY_MS, ROLLUP_STEP_MS, type Sample } from '../../db/history-codec';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function series(n: number, f: (i: number) => number, every = 30_000, jitter = (i: number) => (i * 7919) % 1500): Sample[] {
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * every + jitter(i), v: f(i) }));
}

describe('raw chunks', () => {
  it('round-trips integers, ratios and arbitrary floats', () => {
    const cases: Sample[][] = [
      series(120, (i) => 12_000 + ((i * 37) % 50) - 25),
      series(120, (i) => ((i * 13) % 100) * 0.01),
      series(120, (i) => Math.sin(i) * 1e-3 + Math.PI),
      series(120, (i) => (i % 3 === 0 ? -5 : 1_900_000 * 1024)),
      series(1, () => 42),
      [],
    ];
    for (const c of cases) {
      const back = decodeRaw(encodeRaw(c));
      expect(back.map((s) => s.t)).toEqual(c.map((s) => s.t));
      back.forEach((s, i) => expect(s.v).toBeCloseTo(c[i].v, 12));
    }
  });

  it('is exact for any finite values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dt: fc.integer({ min: 0, max: 10_000_000 }), v: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }) }), { maxLength: 200 }), (rows) => {
        let t = T0;
        const samples = rows.map((r) => ({ t: (t += r.dt), v: r.v }));
        const back = decodeRaw(encodeRaw(samples));
        expect(back.map((s) => s.t)).toEqual(samples.map((s) => s.t));
        back.forEach((s, i) => expect(Math.abs(s.v - samples[i].v)).toBeLessThanOrEqual(Math.abs(samples[i].v) * 1e-15));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes into parallel arrays, checking the sample count', () => {
    const c = series(10, (i) => i * 0.5);
    const blob = encodeRaw(c);
    const d = decodeRawArrays(blob, 10);
    expect([...d.t]).toEqual(c.map((s) => s.t));
    expect([...d.v]).toEqual(c.map((s) => s.v));
    expect(() => decodeRawArrays(blob, 9)).toThrow(/holds 10 samples, its row says 9/);
  });

  it('filters by time while decoding', () => {
    const c = series(10, (i) => i, 1000, () => 0);
    expect(decodeRaw(encodeRaw(c), [], T0 + 2000, T0 + 4000).map((s) => s.v)).toEqual([2, 3, 4]);
  });

  it('costs a few bytes per sample for a varying PerfMon series, and two for a flat regular one', () => {
    const varying = encodeRaw(series(120, (i) => 0.3 + (((i * 7) % 11) - 5) * 0.01));
    const flat = encodeRaw(series(120, () => 2, 30_000, () => 0));
    expect(varying.length / 120).toBeLessThan(4);
    expect(flat.length / 120).toBeLessThan(2.1);
  });

  it('names a damaged blob', () => {
    expect(() => decodeRaw(Buffer.of(9, 1, 2))).toThrow(/unknown format/);
    expect(() => decodeRaw(encodeRaw(series(50, (i) => i)).subarray(0, 10))).toThrow();
  });
});

describe('decimal scale', () => {
  it('finds the decimal a PerfMon ratio came from', () => {
    expect(decimalScale(57 * 0.01)).toBe(2);
    expect(decimalScale(3)).toBe(0);
    expect(decimalScale(0.163 / 1000)).toBe(6);
    expect(decimalScale(Math.PI)).toBe(-1);
    expect(decimalScale(Number.NaN)).toBe(-1);
  });
});

describe('rollups', () => {
  const day = Date.UTC(2026, 0, 5);

  it('keep exact min, avg and max per 5-minute bucket', () => {
    const samples: Sample[] = [];
    for (let i = 0; i < 2880; i++) samples.push({ t: day + i * 30_000 + 500, v: ((i * 31) % 97) * 0.01 });
    const { blob, buckets } = encodeRollupDay(day, samples);
    expect(buckets).toBe(288);
    const back = decodeRollupDay(day, blob);
    for (const b of back) {
      const inBucket = samples.filter((s) => s.t >= b.t && s.t < b.t + ROLLUP_STEP_MS).map((s) => s.v);
      expect(b.n).toBe(inBucket.length);
      // Ratios come back as their decimal (0.95, not 95 × 0.01 = 0.9500000000000001).
      expect(b.min).toBeCloseTo(Math.min(...inBucket), 15);
      expect(b.max).toBeCloseTo(Math.max(...inBucket), 15);
      expect(b.sum / b.n).toBeCloseTo(inBucket.reduce((a, v) => a + v, 0) / inBucket.length, 12);
    }
  });

  it('keep gaps as gaps and fall back to floats when values are not decimals', () => {
    const samples = [
      { t: day + 10_000, v: Math.PI },
      { t: day + 20_000, v: Math.E },
      { t: day + 5 * ROLLUP_STEP_MS, v: 1 / 3 },
    ];
    const back = decodeRollupDay(day, encodeRollupDay(day, samples).blob);
    expect(back.map((b) => (b.t - day) / ROLLUP_STEP_MS)).toEqual([0, 5]);
    expect(back[0]).toMatchObject({ n: 2, min: Math.E, max: Math.PI, sum: Math.PI + Math.E });
    expect(back[1]).toMatchObject({ n: 1, min: 1 / 3, max: 1 / 3 });
  });

  it('agree with bucketize over the same samples', () => {
    const samples = series(600, (i) => 1000 + (i % 17));
    const d = Math.floor(samples[0].t / DAY_MS) * DAY_MS;
    expect(decodeRollupDay(d, encodeRollupDay(d, samples).blob)).toEqual(bucketize(samples));
  });

  it('cost a few bytes per bucket', () => {
    const samples: Sample[] = [];
    for (let i = 0; i < 2880; i++) samples.push({ t: day + i * 30_000, v: 1_200_000 * 1024 + ((i * 7919) % 4000) * 1024 });
    const { blob } = encodeRollupDay(day, samples);
    expect(blob.length / 288).toBeLessThan(10);
    const flat = encodeRollupDay(day, samples.map((s) => ({ ...s, v: 2 }))).blob;
    expect(flat.length).toBeLessThan(40);
  });
});
