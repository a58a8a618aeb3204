// The storage format of history chunks: an hour of one series' raw samples, or a day of its
// 5-minute rollups, in one blob. A row per sample would cost ~20 bytes on disk (1.4 GB for 48 h
// of the full mesh); these blobs cost 2–4 bytes per sample:
//   - times: first time, then delta-of-delta varints (a regular poll interval encodes as 0);
//   - values: PerfMon values are integers, and ratios are integers / 100, so each chunk picks the
//     smallest decimal scale k (0–6) at which every value is an integer mantissa and stores the
//     mantissas as zigzag varint deltas (an unchanged value is one 0 byte); anything else (rare)
//     falls back to float64;
//   - rollups store per bucket its index, sample count, min, max − min and sum − count·min, so a
//     flat bucket costs five small varints and avg = sum / count is exact in the chunk's scale.
// A rollup day that deflates to less than 3/4 of its size is stored deflated (a flat day shrinks
// to a few bytes); raw hours are not (poll times carry jitter that does not compress, and they are
// read for every chart, where inflating costs more than it saves). The first byte tells the format.

import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface Sample {
  t: number;
  v: number;
}

/** One rolled-up bucket: its start (epoch ms), sample count, min, max and sum. */
export interface Bucket {
  t: number;
  n: number;
  min: number;
  max: number;
  sum: number;
}

const RAW_V1 = 1;
const ROLLUP_V1 = 2;
const DEFLATED = 0x80;
const FLOAT_MODE = 255;
const MAX_SCALE = 6;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
/** Mantissas stay well inside 2^53 so sums of a day of them are exact. */
const MAX_MANTISSA = 2 ** 40;

// ---- varints (arithmetic, not bitwise: values exceed 32 bits)

class Writer {
  buf = new Uint8Array(256);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  uvarint(n: number): void {
    this.ensure(10);
    while (n >= 128) {
      this.buf[this.len++] = (n % 128) + 128;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
  }
  svarint(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  f64(v: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, v, true);
    this.len += 8;
  }
  bytes(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len);
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('history chunk truncated');
    return this.buf[this.pos++];
  }
  uvarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= buf.length) throw new RangeError('history chunk truncated');
    let b = buf[pos++];
    if (b < 128) {
      this.pos = pos;
      return b;
    }
    let n = b & 127;
    let mul = 128;
    for (;;) {
      if (pos >= buf.length) throw new RangeError('history chunk truncated');
      b = buf[pos++];
      n += (b & 127) * mul;
      if (b < 128) {
        this.pos = pos;
        return n;
      }
      mul *= 128;
    }
  }
  svarint(): number {
    const z = this.uvarint();
    // Integer ops while they are exact (nearly always): float % and / cost several times more.
    return z < 0x80000000 ? (z >>> 1) ^ -(z & 1) : z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  f64(): number {
    if (this.pos + 8 > this.buf.length) throw new RangeError('history chunk truncated');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }
}

/**
 * The smallest decimal scale at which `v` is an integer mantissa, or -1. A value one rounding step
 * away from a decimal (57 × 0.01 = 0.5700000000000001) counts as that decimal.
 */
export function decimalScale(v: number): number {
  if (!Number.isFinite(v)) return -1;
  for (let k = 0; k <= MAX_SCALE; k++) {
    const m = Math.round(v * POW10[k]);
    if (Math.abs(m) > MAX_MANTISSA) return -1;
    const back = m / POW10[k];
    if (back === v || Math.abs(back - v) <= Math.abs(v) * 4e-16) return k;
  }
  return -1;
}

/** The scale every value fits, or FLOAT_MODE. */
function scaleOf(values: Iterable<number>): number {
  let k = 0;
  for (const v of values) {
    const s = decimalScale(v);
    if (s < 0) return FLOAT_MODE;
    if (s > k) k = s;
  }
  return k;
}

function seal(kind: number, w: Writer, deflate: boolean): Buffer {
  const body = w.bytes();
  if (deflate && body.length >= 48) {
    const z = deflateRawSync(body, { level: 6 });
    if (z.length + 1 < body.length * 0.75) return Buffer.concat([Buffer.of(kind | DEFLATED), z]);
  }
  return Buffer.concat([Buffer.of(kind), body]);
}

function open(blob: Uint8Array, kind: number): Reader {
  const head = blob[0];
  if ((head & ~DEFLATED) !== kind) throw new RangeError(`history chunk: unknown format ${head}`);
  const body = blob.subarray(1);
  return new Reader(head & DEFLATED ? inflateRawSync(body) : body);
}

// ---- raw chunks

/** Encodes samples sorted by time (no two at the same ms). */
export function encodeRaw(samples: readonly Sample[]): Buffer {
  const w = new Writer();
  const n = samples.length;
  w.uvarint(n);
  if (n === 0) return seal(RAW_V1, w, false);
  w.uvarint(samples[0].t);
  let prevT = samples[0].t;
  let prevD = 0;
  for (let i = 1; i < n; i++) {
    const d = samples[i].t - prevT;
    w.svarint(d - prevD);
    prevD = d;
    prevT = samples[i].t;
  }
  const k = scaleOf(samples.map((s) => s.v));
  w.byte(k);
  if (k === FLOAT_MODE) for (const s of samples) w.f64(s.v);
  else {
    let prev = 0;
    for (const s of samples) {
      const m = Math.round(s.v * POW10[k]);
      w.svarint(m - prev);
      prev = m;
    }
  }
  return seal(RAW_V1, w, false);
}

/** Decodes a raw chunk; with `from`/`to`, only samples within them (inclusive) are pushed to `out`. */
export function decodeRaw(blob: Uint8Array, out: Sample[] = [], from = -Infinity, to = Infinity): Sample[] {
  const { t, v } = decodeRawArrays(blob);
  for (let i = 0; i < t.length; i++) if (t[i] >= from && t[i] <= to) out.push({ t: t[i], v: v[i] });
  return out;
}

/** A decoded chunk as two parallel arrays (times, values). */
export interface DecodedChunk {
  t: Float64Array;
  v: Float64Array;
}

/** Decodes a whole chunk into two arrays (the cache's form); `n`, the row's sample count, is checked when given. */
export function decodeRawArrays(blob: Uint8Array, expected?: number): DecodedChunk {
  const r = open(blob, RAW_V1);
  const n = r.uvarint();
  if (expected !== undefined && n !== expected) throw new RangeError(`history chunk holds ${n} samples, its row says ${expected}`);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  if (n === 0) return { t, v };
  t[0] = r.uvarint();
  let d = 0;
  for (let i = 1; i < n; i++) {
    d += r.svarint();
    t[i] = t[i - 1] + d;
  }
  const k = r.byte();
  if (k === FLOAT_MODE) for (let i = 0; i < n; i++) v[i] = r.f64();
  else {
    if (k > MAX_SCALE) throw new RangeError(`history chunk: bad scale ${k}`);
    const p = POW10[k];
    let m = 0;
    for (let i = 0; i < n; i++) v[i] = (m += r.svarint()) / p;
  }
  return { t, v };
}

// ---- rollups

export const ROLLUP_STEP_MS = 5 * 60_000;
export const DAY_MS = 86_400_000;

/**
 * Buckets `samples` (sorted by time) into `stepMs` buckets aligned to the epoch. With `scale`,
 * sums are accumulated as integer mantissas (exact); without, as floats.
 */
export function bucketize(samples: readonly Sample[], stepMs = ROLLUP_STEP_MS): Bucket[] {
  const out: Bucket[] = [];
  let cur: Bucket | undefined;
  for (const s of samples) {
    const t = Math.floor(s.t / stepMs) * stepMs;
    if (!cur || cur.t !== t) {
      cur = { t, n: 0, min: s.v, max: s.v, sum: 0 };
      out.push(cur);
    }
    cur.n++;
    cur.sum += s.v;
    if (s.v < cur.min) cur.min = s.v;
    if (s.v > cur.max) cur.max = s.v;
  }
  return out;
}

/**
 * Encodes one day of a series' rollups from its raw samples of that day (sorted). Buckets are
 * computed here, in integer mantissas where the values allow, so min/avg/max are exact.
 */
export function encodeRollupDay(day: number, samples: readonly Sample[]): { blob: Buffer; buckets: number } {
  const k = scaleOf(samples.map((s) => s.v));
  const w = new Writer();
  if (k === FLOAT_MODE) {
    const buckets = bucketize(samples);
    w.uvarint(buckets.length);
    w.byte(FLOAT_MODE);
    writeGaps(w, day, buckets);
    for (const b of buckets) {
      w.uvarint(b.n);
      w.f64(b.min);
      w.f64(b.max);
      w.f64(b.sum);
    }
    return { blob: seal(ROLLUP_V1, w, true), buckets: buckets.length };
  }
  const p = POW10[k];
  const mantissas = samples.map((s) => ({ t: s.t, v: Math.round(s.v * p) }));
  const buckets = bucketize(mantissas);
  w.uvarint(buckets.length);
  w.byte(k);
  // Columns: index gaps, counts, min deltas, ranges, excess sums (better for deflate than rows).
  writeGaps(w, day, buckets);
  let prevN = 0;
  for (const b of buckets) {
    w.svarint(b.n - prevN);
    prevN = b.n;
  }
  let prevMin = 0;
  for (const b of buckets) {
    w.svarint(b.min - prevMin);
    prevMin = b.min;
  }
  for (const b of buckets) w.uvarint(b.max - b.min);
  for (const b of buckets) w.uvarint(b.sum - b.n * b.min);
  return { blob: seal(ROLLUP_V1, w, true), buckets: buckets.length };
}

/** Bucket indexes within the day, as gaps (a bucket after the previous one is 0). */
function writeGaps(w: Writer, day: number, buckets: readonly Bucket[]): void {
  let prev = -1;
  for (const b of buckets) {
    const idx = (b.t - day) / ROLLUP_STEP_MS;
    w.uvarint(idx - prev - 1);
    prev = idx;
  }
}

/** Decodes a day of rollups; buckets starting within [from, to] are pushed to `out`. */
export function decodeRollupDay(day: number, blob: Uint8Array, out: Bucket[] = [], from = -Infinity, to = Infinity): Bucket[] {
  decodeRollupDayEach(day, blob, from, to, (t, n, min, max, sum) => out.push({ t, n, min, max, sum }));
  return out;
}

/** Calls visit for each bucket of the day starting within [from, to], in order (no object per bucket). */
export function decodeRollupDayEach(day: number, blob: Uint8Array, from: number, to: number, visit: (t: number, n: number, min: number, max: number, sum: number) => void): void {
  const r = open(blob, ROLLUP_V1);
  const count = r.uvarint();
  const k = r.byte();
  if (k !== FLOAT_MODE && k > MAX_SCALE) throw new RangeError(`history rollup: bad scale ${k}`);
  const idx = new Float64Array(count);
  let acc = -1;
  for (let i = 0; i < count; i++) idx[i] = acc += r.uvarint() + 1;
  if (k === FLOAT_MODE) {
    for (let i = 0; i < count; i++) {
      const t = day + idx[i] * ROLLUP_STEP_MS;
      const n = r.uvarint();
      const min = r.f64();
      const max = r.f64();
      const sum = r.f64();
      if (t >= from && t <= to) visit(t, n, min, max, sum);
    }
    return;
  }
  const p = POW10[k];
  const ns = new Float64Array(count);
  const mins = new Float64Array(count);
  const ranges = new Float64Array(count);
  acc = 0;
  for (let i = 0; i < count; i++) ns[i] = acc += r.svarint();
  acc = 0;
  for (let i = 0; i < count; i++) mins[i] = acc += r.svarint();
  for (let i = 0; i < count; i++) ranges[i] = r.uvarint();
  for (let i = 0; i < count; i++) {
    const excess = r.uvarint();
    const t = day + idx[i] * ROLLUP_STEP_MS;
    if (t < from || t > to) continue;
    visit(t, ns[i], mins[i] / p, (mins[i] + ranges[i]) / p, (ns[i] * mins[i] + excess) / p);
  }
}
