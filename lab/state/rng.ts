// Seeded randomness for the lab. Everything the lab shows is a pure function of the seed and
// a key (cluster, node, user index, counter…), so two labs with the same seed look the same and
// nothing has to be stored to answer "what is user 41,237's name".

/** 32-bit FNV-1a over a string, mixed with a seed. Stable across runs and platforms. */
export function hash32(seed: number, ...parts: (string | number)[]): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const part of parts) {
    const s = typeof part === 'number' ? `#${part}` : part;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x1f; // part separator, so ("ab","c") ≠ ("a","bc")
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return avalanche(h);
}

/** Final mix (murmur3 fmix32) so nearby inputs give unrelated outputs. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) from a hash of the parts. */
export function unit(seed: number, ...parts: (string | number)[]): number {
  return hash32(seed, ...parts) / 0x1_0000_0000;
}

/** Seeded PRNG (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

export function rngFor(seed: number, ...parts: (string | number)[]): Rng {
  return new Rng(hash32(seed, ...parts));
}

/** A lower-case UUID (version 4 layout) derived from the parts. */
export function uuidFrom(seed: number, ...parts: (string | number)[]): string {
  const hex = [0, 1, 2, 3].map((k) => hash32(seed, ...parts, k).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
