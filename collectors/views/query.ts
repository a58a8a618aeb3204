// Filters live in the query string so a URL can be pasted into a ticket. Each page model parses
// its own from the raw search params with these helpers (unknown values fall back to defaults).

export type RawQuery = Record<string, string | string[] | undefined>;

export function one(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export function oneOf<T extends string>(q: RawQuery, name: string, allowed: readonly T[], fallback: T): T {
  const v = one(q, name);
  return v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

export function flag(q: RawQuery, name: string): boolean {
  const v = one(q, name);
  return v !== undefined && /^(1|true|on|yes)$/i.test(v);
}

export function positiveInt(q: RawQuery, name: string, fallback: number, max: number): number {
  const v = Number(one(q, name));
  return Number.isInteger(v) && v > 0 ? Math.min(v, max) : fallback;
}

/** From URLSearchParams (route handlers) to the same shape as a page's searchParams. */
export function fromSearchParams(sp: URLSearchParams): RawQuery {
  const out: RawQuery = {};
  for (const k of new Set(sp.keys())) {
    const all = sp.getAll(k);
    out[k] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** A query string of the given filters, leaving out empty and default values. */
export function toQueryString(params: Record<string, string | number | boolean | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || v === false) continue;
    sp.set(k, v === true ? '1' : String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export type SortDir = 'asc' | 'desc';
