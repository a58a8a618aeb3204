// PerfMon session handles look like version-1 UUIDs whose node field is the server's MAC
// (`b3592ef4-5451-11ec-8000-005056b71e52`, wire-formats §1.4).

// 100 ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch.
const GREGORIAN_OFFSET = 0x01b21dd213814000n;
let lastTimestamp = 0n;

export function newSessionHandle(mac: string, nowMs: number = Date.now()): string {
  let t = BigInt(Math.floor(nowMs)) * 10000n + GREGORIAN_OFFSET;
  if (t <= lastTimestamp) t = lastTimestamp + 1n; // unique even within one millisecond
  lastTimestamp = t;
  const timeLow = (t & 0xffffffffn).toString(16).padStart(8, '0');
  const timeMid = ((t >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const timeHi = (((t >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  return `${timeLow}-${timeMid}-${timeHi}-8000-${mac.toLowerCase()}`;
}
