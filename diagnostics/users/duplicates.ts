// Finds values that occur more than once among millions without a map of millions of strings: each
// value's case-folded 32-bit hash goes into a typed array, a radix sort finds the hashes that occur
// twice or more, and only the rows carrying such a hash have their strings compared. This is what
// makes 2.25 million users evaluate in a couple of seconds (bench/diagnostics.bench.ts).

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const foldCache = new Map<number, number>();

function foldWide(c: number): number {
  let f = foldCache.get(c);
  if (f === undefined) foldCache.set(c, (f = String.fromCharCode(c).toLowerCase().charCodeAt(0)));
  return f;
}

/**
 * FNV-1a of `s` with letters folded to lower case ("AAA@BBB.CCC" and "aaa@bbb.ccc" hash alike),
 * continuing from `from` (another string's hash: hash(a + b) === foldedHash(b, foldedHash(a))).
 */
export function foldedHash(s: string, from = FNV_OFFSET): number {
  let h = from;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ASCII: `| 32` is lower case for letters and a fixed map for the rest; the hash only has to
    // agree on strings equal ignoring case (the strings of equal hashes are compared afterwards).
    h = Math.imul(h ^ (c < 128 ? c | 32 : foldWide(c)), FNV_PRIME);
  }
  return h >>> 0;
}

const enum U {
  Local,
  LabelStart,
  Label,
}

/**
 * The folded hash of a directory URI when it is in the user@domain format (users/syntax.ts's rules),
 * or 0 when it is not — in one pass, without allocating. Non-ASCII characters take the slower road.
 */
export function validUriHash(s: string): number {
  let h = FNV_OFFSET;
  let state = U.Local;
  let localLength = 0;
  let domainStart = -1;
  let labelFirstDigit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return 0; // not in a domain; a local part with such characters is judged by the slow path
    h = Math.imul(h ^ (c | 32), FNV_PRIME);
    if (state === U.Local) {
      if (c === 64) {
        if (localLength === 0) return 0;
        state = U.LabelStart;
        domainStart = i + 1;
      } else if (c <= 32) return 0;
      else localLength++;
      continue;
    }
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (state === U.LabelStart) {
      if (!alnum) return 0; // an empty label, a hyphen first, or another character
      labelFirstDigit = c <= 57;
      state = U.Label;
    } else if (c === 46) state = U.LabelStart;
    else if (!alnum && c !== 45) return 0;
  }
  if (state !== U.Label || labelFirstDigit || s.length - domainStart > 255) return 0;
  return h >>> 0 || 1;
}

/** A sorted copy of `a` (LSD radix sort, two 16-bit passes). */
export function sortedU32(a: Uint32Array): Uint32Array {
  const n = a.length;
  const tmp = new Uint32Array(n);
  const out = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let i = 0; i < n; i++) count[a[i] & 0xffff]++;
  for (let i = 1; i < 65536; i++) count[i] += count[i - 1];
  for (let i = n - 1; i >= 0; i--) tmp[--count[a[i] & 0xffff]] = a[i];
  count.fill(0);
  for (let i = 0; i < n; i++) count[tmp[i] >>> 16]++;
  for (let i = 1; i < 65536; i++) count[i] += count[i - 1];
  for (let i = n - 1; i >= 0; i--) out[--count[tmp[i] >>> 16]] = tmp[i];
  return out;
}

/** Non-zero hashes present more than once in `h` (0 marks "no value"), and `h` sorted. */
export function repeatedHashes(h: Uint32Array): Set<number> & { sorted: Uint32Array } {
  const s = sortedU32(h);
  const out = new Set<number>() as Set<number> & { sorted: Uint32Array };
  for (let i = 1; i < s.length; i++) if (s[i] !== 0 && s[i] === s[i - 1]) out.add(s[i]);
  out.sorted = s;
  return out;
}

/** Membership in a sorted array of hashes: a bitmap of the top 24 bits first, then a binary search. */
export function sortedMembership(sorted: Uint32Array): (h: number) => boolean {
  const bits = new Uint8Array(1 << 21);
  for (let i = 0; i < sorted.length; i++) bits[sorted[i] >>> 11] |= 1 << ((sorted[i] >>> 8) & 7);
  return (h) => {
    if (h === 0 || (bits[h >>> 11] & (1 << ((h >>> 8) & 7))) === 0) return false;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = sorted[mid];
      if (v === h) return true;
      if (v < h) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
}

/** Non-zero hashes present in both sorted arrays. */
export function commonHashes(a: Uint32Array, b: Uint32Array): Set<number> {
  const out = new Set<number>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      if (a[i] !== 0) out.add(a[i]);
      i++;
      j++;
    }
  }
  return out;
}

/**
 * Groups of entries whose text is equal ignoring case, among the entries whose hash is in `wanted`.
 * Groups come back with ascending entries, ordered by their first entry.
 */
/** Membership in a small set of hashes, answered mostly by a bitmap of their top 24 bits. */
export function hashFilter(wanted: ReadonlySet<number>): (h: number) => boolean {
  const bits = new Uint8Array(1 << 21);
  for (const h of wanted) bits[h >>> 11] |= 1 << ((h >>> 8) & 7);
  return (h) => h !== 0 && (bits[h >>> 11] & (1 << ((h >>> 8) & 7))) !== 0 && wanted.has(h);
}

export function groupsOf(hashes: Uint32Array, wanted: ReadonlySet<number>, text: (e: number) => string, minSize = 2): number[][] {
  if (!wanted.size) return [];
  const isWanted = hashFilter(wanted);
  const buckets = new Map<number, number[]>();
  for (let e = 0; e < hashes.length; e++) {
    const h = hashes[e];
    if (!isWanted(h)) continue;
    const b = buckets.get(h);
    if (b) b.push(e);
    else buckets.set(h, [e]);
  }
  const groups: number[][] = [];
  for (const b of buckets.values()) {
    const byText = new Map<string, number[]>();
    for (const e of b) {
      const t = text(e).toLowerCase();
      const list = byText.get(t);
      if (list) list.push(e);
      else byText.set(t, [e]);
    }
    for (const list of byText.values()) if (list.length >= minSize) groups.push(list);
  }
  return groups.sort((x, y) => x[0] - y[0]);
}

/** Groups of entries whose text is equal ignoring case (undefined / '' left out). */
export function equalGroups(count: number, text: (e: number) => string | undefined): number[][] {
  const h = new Uint32Array(count);
  for (let e = 0; e < count; e++) {
    const t = text(e);
    if (t) h[e] = foldedHash(t) || 1;
  }
  return groupsOf(h, repeatedHashes(h), (e) => text(e)!);
}
