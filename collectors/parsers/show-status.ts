// `show status` (reference/wire-formats.md §4.6). Reads the line-broken layout and the TechNote's
// one-line layout the same way: the text is read as a sequence of labelled fields in Cisco's order,
// whitespace (including line breaks) being insignificant. Disk columns are read by the header
// (`Total Free Used`), not by position.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli } from './cli-text';

const COMMAND = 'show status';

const kb = z.number().int().nonnegative();
export const showStatusSchema = z.object({
  hostName: z.string().min(1),
  date: z.string().min(1),
  timeZone: z.string().nullable(),
  locale: z.string().nullable(),
  productVersion: z.string().min(1),
  osVersion: z.string().nullable(),
  uptime: z.object({
    /** The `uptime` line verbatim, whitespace collapsed. */
    text: z.string(),
    seconds: z.number().int().nonnegative(),
    users: z.number().int().nonnegative().nullable(),
    loadAverage: z.tuple([z.number(), z.number(), z.number()]).nullable(),
  }),
  /** Percentages as printed. */
  cpu: z.object({
    idle: z.number(),
    system: z.number(),
    user: z.number(),
    iowait: z.number(),
    irq: z.number(),
    soft: z.number(),
  }),
  memory: z.object({ totalKB: kb, freeKB: kb, usedKB: kb, cachedKB: kb.nullable(), sharedKB: kb.nullable(), buffersKB: kb.nullable() }),
  disks: z
    .array(
      z.object({
        /** Partition as printed after `Disk/`, e.g. "active", "logging". */
        name: z.string().min(1),
        totalKB: kb,
        freeKB: kb,
        usedKB: kb,
        /** df-style percentage as printed (used / (used + available), rounded up). */
        usedPercent: z.number().int().min(0).max(100),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
});
export type ShowStatus = z.infer<typeof showStatusSchema>;

/** The header labels in print order; the value of each runs to the next label. */
const HEADER_LABELS: Array<[key: string, re: RegExp]> = [
  ['hostName', /Host Name\s*:/y],
  ['date', /Date\s*:/y],
  ['timeZone', /Time Zone\s*:/y],
  ['locale', /Locale\s*:/y],
  ['productVersion', /Product Ver\s*:/y],
  ['osVersion', /Unified OS Version\s*:/y],
  ['uptime', /Uptime\s*:/y],
];

export function parseShowStatus(text: string, source?: string): ShowStatus {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /show\s+status/);
  // One string with single spaces, and a map from its offsets back to raw line numbers.
  let s = '';
  const starts: Array<{ at: number; line: number }> = [];
  for (const l of lines) {
    const t = l.text.replace(/\s+/g, ' ').trim();
    if (!t) continue;
    if (s) s += ' ';
    starts.push({ at: s.length, line: l.line });
    s += t;
  }
  if (!s) throw new ParseError(input, undefined, 'empty output');
  const lineAt = (pos: number) => {
    let line = starts[0].line;
    for (const st of starts) if (st.at <= pos) line = st.line;
    return line;
  };
  const fail = (pos: number, what: string): never => {
    throw new ParseError(input, lineAt(Math.min(pos, s.length - 1)), `${what}; found "${s.slice(pos, pos + 40)}"`);
  };

  // Header: locate each label in order; a label may be absent (older releases), but order holds.
  const found: Array<{ key: string; at: number; end: number }> = [];
  let pos = 0;
  for (const [key, re] of HEADER_LABELS) {
    const plain = new RegExp(`(?:^| )${re.source}`, 'g');
    plain.lastIndex = pos;
    const m = plain.exec(s);
    if (!m) continue;
    found.push({ key, at: m.index, end: m.index + m[0].length });
    pos = m.index + m[0].length;
  }
  const cpuAt = s.search(/(?:^| )CPU Idle\s*:/);
  if (cpuAt < 0) fail(pos, 'no "CPU Idle:" section');
  if (!found.length || found[0].key !== 'hostName' || found[0].at !== 0) fail(0, 'output does not start with "Host Name :"');
  const header: Record<string, string> = {};
  found.forEach((f, k) => {
    const end = k + 1 < found.length ? found[k + 1].at : cpuAt;
    header[f.key] = s.slice(f.end, end).trim();
  });
  for (const key of ['hostName', 'date', 'productVersion', 'uptime']) {
    if (!header[key]) fail(0, `missing "${key}" field`);
  }
  if (/\s/.test(header.hostName)) fail(found[0].end, `Host Name "${header.hostName}" contains spaces (unknown field?)`);
  if (!/^\d+(?:\.\d+)+-\d+$/.test(header.productVersion)) fail(found.find((f) => f.key === 'productVersion')!.end, `Product Ver "${header.productVersion}" is not a version`);
  if (header.osVersion !== undefined && !/^\d+(?:\.\d+)+-\d+$/.test(header.osVersion)) fail(found.find((f) => f.key === 'osVersion')!.end, `Unified OS Version "${header.osVersion}" is not a version`);
  if (header.locale !== undefined && /\s/.test(header.locale)) fail(found.find((f) => f.key === 'locale')!.end, `Locale "${header.locale}" contains spaces (unknown field?)`);
  const uptimeAt = found.find((f) => f.key === 'uptime')!.end;
  const uptime = parseUptime(header.uptime, input, lineAt(uptimeAt));

  // CPU, memory, disks: a fixed sequence of labelled numbers.
  pos = cpuAt === 0 ? 0 : cpuAt + 1;
  const take = (re: RegExp, what: string): RegExpExecArray => {
    const y = new RegExp(re.source, 'y');
    y.lastIndex = pos;
    const m = y.exec(s);
    if (!m) return fail(pos, `expected ${what}`);
    pos = y.lastIndex;
    if (s[pos] === ' ') pos++;
    return m;
  };
  const pct = (label: string) => Number(take(new RegExp(`${label}:\\s*(\\d+(?:\\.\\d+)?)%`), `"${label}: n%"`)[1]);
  const cpu = { idle: pct('CPU Idle'), system: pct('System'), user: pct('User'), iowait: pct('IOWAIT'), irq: pct('IRQ'), soft: pct('Soft') };
  const k = (label: string) => Number(take(new RegExp(`${label}:\\s*(\\d+)K`), `"${label}: nK"`)[1]);
  const optK = (label: string) => (new RegExp(`${label}:`, 'y').test(s.slice(pos, pos + label.length + 1)) ? k(label) : null);
  const memory = { totalKB: k('Memory Total'), freeKB: k('Free'), usedKB: k('Used'), cachedKB: optK('Cached'), sharedKB: optK('Shared'), buffersKB: optK('Buffers') };
  const head = take(/((?:Total|Free|Used)(?: (?:Total|Free|Used)){2})/, 'the disk header "Total Free Used"')[1].split(' ');
  if (new Set(head).size !== 3) fail(pos, `disk header "${head.join(' ')}" does not name Total, Free and Used once each`);
  const disks: ShowStatus['disks'] = [];
  while (pos < s.length) {
    const at = pos;
    const m = take(/Disk\/(\S+) (\d+)K (\d+)K (\d+)K \((\d+)%\)/, 'a disk line "Disk/<name> <n>K <n>K <n>K (<n>%)" (truncated output?)');
    const v: Record<string, number> = {};
    head.forEach((h, idx) => (v[h] = Number(m[2 + idx])));
    disks.push({ name: m[1], totalKB: v.Total, freeKB: v.Free, usedKB: v.Used, usedPercent: Number(m[5]), line: lineAt(at) });
  }
  return checked(
    showStatusSchema,
    {
      hostName: header.hostName,
      date: header.date,
      timeZone: header.timeZone ?? null,
      locale: header.locale ?? null,
      productVersion: header.productVersion,
      osVersion: header.osVersion ?? null,
      uptime,
      cpu,
      memory,
      disks,
    },
    input,
  );
}

/** ` 17:20:42 up 141 days,  1:12,  1 user,  load average: 2.22, 0.98, 0.82` (also "up 5 min", "up 10:47"). */
function parseUptime(text: string, input: string, line: number): ShowStatus['uptime'] {
  const m = /\bup\s+(?:(\d+)\s+days?,\s*)?(?:(\d+):(\d{2})|(\d+)\s+min)/.exec(text);
  if (!m) throw new ParseError(input, line, `Uptime "${text}" is not an uptime line`);
  const seconds = Number(m[1] ?? 0) * 86400 + (m[2] !== undefined ? Number(m[2]) * 3600 + Number(m[3]) * 60 : Number(m[4]) * 60);
  const u = /(\d+)\s+users?/.exec(text);
  const la = /load average:\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(text);
  return {
    text,
    seconds,
    users: u ? Number(u[1]) : null,
    loadAverage: la ? [Number(la[1]), Number(la[2]), Number(la[3])] : null,
  };
}
