// Finds values that occur more than once among millions without a map of millions of strings:
// each value's case-folded 32-bit hash and its entry number are packed into one float64, the
// array is sorted natively, and only runs of equal hashes have their strings compared. This is
// what makes 2.25 million users evaluate in seconds (bench/diagnostics.bench.ts).

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const foldCache = new Map<number, number>();

function fold(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  let f = foldCache.get(c);
  if (f === undefined) foldCache.set(c, (f = String.fromCharCode(c).toLowerCase().charCodeAt(0)));
  return f;
}

/** FNV-1a of the string with letters folded to lower case (so "AAA@BBB.CCC" and "aaa@bbb.ccc" hash alike). */
export function foldedHash(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= fold(s.charCodeAt(i));
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * Groups of entries whose text is equal ignoring case. `text(e)` for e in 0…count-1 returns the
 * value, or undefined / '' to leave the entry out. Groups come back with ascending entries, ordered
 * by their first entry.
 */
export function equalGroups(count: number, text: (e: number) => string | undefined): number[][] {
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  const hashBits = Math.min(32, 53 - indexBits);
  if (hashBits < 16) throw new RangeError(`too many entries to compare (${count})`);
  const span = 2 ** indexBits;
  const shift = 32 - hashBits;
  const keys = new Float64Array(count);
  let m = 0;
  for (let e = 0; e < count; e++) {
    const t = text(e);
    if (!t) continue;
    // Hash 0 is kept for "none": fold it to 1 (a few more strings compared, nothing missed).
    const h = foldedHash(t) >>> shift || 1;
    keys[m++] = h * span + e;
  }
  const sorted = keys.subarray(0, m).sort();
  const groups: number[][] = [];
  let i = 0;
  while (i < m) {
    const h = Math.floor(sorted[i] / span);
    let j = i + 1;
    while (j < m && Math.floor(sorted[j] / span) === h) j++;
    if (j - i > 1) {
      if (j - i === 2) {
        const a = sorted[i] % span;
        const b = sorted[i + 1] % span;
        if (text(a)!.toLowerCase() === text(b)!.toLowerCase()) groups.push(a < b ? [a, b] : [b, a]);
      } else {
        const byText = new Map<string, number[]>();
        for (let k = i; k < j; k++) {
          const e = sorted[k] % span;
          const t = text(e)!.toLowerCase();
          const list = byText.get(t);
          if (list) list.push(e);
          else byText.set(t, [e]);
        }
        for (const list of byText.values()) if (list.length > 1) groups.push(list.sort((x, y) => x - y));
      }
    }
    i = j;
  }
  return groups.sort((x, y) => x[0] - y[0]);
}
