// Number and time formatting shared by the server-rendered pages and the chart component (pure,
// no Node APIs, so client components can import it). Times render in UTC with the zone said, so
// the server's and the browser's output agree (no hydration mismatch) and a pasted value is exact.

export type ValueUnit = '' | 'count' | 'ratio' | 'percent' | 'bytes' | 'seconds' | 'requests' | 'ms' | 'state';

export function formatValue(v: number | null | undefined, unit: ValueUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'ratio':
      return `${trim(v * 100)} %`;
    case 'percent':
      return `${trim(v)} %`;
    case 'bytes':
      return bytes(v);
    case 'seconds':
      // Sub-second figures (ping, poll time) in ms; longer ones as a duration.
      if (Math.abs(v) < 1) return `${trim(v * 1000)} ms`;
      return Math.abs(v) < 90 ? `${trim(v)} s` : duration(v);
    case 'ms':
      return `${trim(v)} ms`;
    case 'state':
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
    default:
      return Math.abs(v) >= 10_000 ? Math.round(v).toLocaleString('en') : trim(v);
  }
}

/** A state value with its meaning: "2 (good)". */
export function formatState(v: number | null | undefined, states: Readonly<Record<number, string>> | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const meaning = Number.isInteger(v) ? states?.[v] : undefined;
  return meaning ? `${v} (${meaning})` : formatValue(v, 'state');
}

function trim(v: number): string {
  const a = Math.abs(v);
  const s = a >= 100 || Number.isInteger(v) ? Math.round(v).toString() : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : Number(v.toPrecision(2)).toString();
  return s.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${trim(v)} ${units[i]}`;
}

/** 45 s, 12 min, 3 h 5 min, 4 d 2 h. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.floor(s / 3600);
  if (h < 48) return `${h} h ${Math.round((s - h * 3600) / 60)} min`;
  const d = Math.floor(s / 86400);
  return `${d} d ${Math.round((s - d * 86400) / 3600)} h`;
}

/** "2026-05-04 13:02:11 UTC". */
export function formatTime(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "13:02" or "05-04 13:02" for chart ticks, depending on the range. */
export function formatTick(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 36 * 3_600_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** "12 s ago", "3 min ago" relative to `now`. */
export function ago(ms: number | undefined, now: number): string {
  if (ms === undefined) return 'never';
  return `${duration((now - ms) / 1000)} ago`;
}

/**
 * The part of a distinguished name a person recognises: its common name (CN), else the name as
 * given. Accepts one RDN per line (as node's X509Certificate prints) or comma-separated.
 */
export function commonName(dn: string): string {
  const cn = /(?:^|[\n,]\s*)CN=([^\n,]+)/.exec(dn)?.[1]?.trim();
  return cn || dn.split('\n')[0];
}
