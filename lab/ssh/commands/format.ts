// Date and column helpers shared by the CLI renderers. The lab runs its simulated clock in UTC, so
// every timestamp prints with the zone name "UTC" (real nodes print their local zone, e.g. "IST").
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const p2 = (n: number): string => String(n).padStart(2, '0');

function hms(d: Date): string {
  return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** `date(1)` style: `Tue Aug  1 15:10:52 UTC 2023` (day space-padded), as `utils dbreplication runtimestate` and `utils ntp status` print. */
export function unixDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} UTC ${d.getUTCFullYear()}`;
}

/** Java `Date.toString()` style: `Thu Jan 02 10:11:12 UTC 2020` (day zero-padded), as the certificate dump prints. */
export function javaDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${hms(d)} UTC ${d.getUTCFullYear()}`;
}

/** `show status` Date line: `Fri Sep 29, 2023 17:20:40`. */
export function statusDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())}, ${d.getUTCFullYear()} ${hms(d)}`;
}

/** `show network cluster` "using TCP since" stamp: `Thu Oct 28 11:24:16 2021` (ctime without zone). */
export function ctimeDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${hms(d)} ${d.getUTCFullYear()}`;
}

/** `2022-02-20 00:02:37`, as `utils core active list` prints. */
export function isoLocal(d: Date): string {
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${hms(d)}`;
}

/** `2023-07-17-16-47`, the stamp in `Cluster Replication State: BROADCAST SYNC ended at:`. */
export function dashStamp(d: Date): string {
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}-${p2(d.getUTCHours())}-${p2(d.getUTCMinutes())}`;
}

/** Pads `text` to `width` columns, always leaving at least one space after it. */
export function col(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width, ' ');
}

/** A stable small integer from a string (FNV-1a), for per-node variation that never changes between runs. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
