// `show status` (reference/wire-formats.md §4.6). Reads the line-broken layout and the TechNote's
// one-line layout the same way: the text is read as a sequence of labelled fields in Cisco's order,
// whitespace (including line breaks) being insignificant. Disk columns are read by the header
// (`Total Free Used`), not by position.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, lineOfOffset, readCli, type JoinedLine } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

const COMMAND = 'show status';

const kb = z.number().int().nonnegative();
const pctValue = z.number().nullable();
export const showStatusSchema = z.object({
  /** Null only when the line could not be read (it is then in `unparsed`); likewise below. */
  hostName: z.string().min(1).nullable(),
  date: z.string().min(1).nullable(),
  timeZone: z.string().nullable(),
  locale: z.string().nullable(),
  productVersion: z.string().min(1).nullable(),
  osVersion: z.string().nullable(),
  uptime: z
    .object({
      /** The `uptime` line verbatim, whitespace collapsed. */
      text: z.string(),
      seconds: z.number().int().nonnegative(),
      users: z.number().int().nonnegative().nullable(),
      loadAverage: z.tuple([z.number(), z.number(), z.number()]).nullable(),
    })
    .nullable(),
  /** Percentages as printed. */
  cpu: z.object({ idle: pctValue, system: pctValue, user: pctValue, iowait: pctValue, irq: pctValue, soft: pctValue }),
  memory: z.object({ totalKB: kb.nullable(), freeKB: kb.nullable(), usedKB: kb.nullable(), cachedKB: kb.nullable(), sharedKB: kb.nullable(), buffersKB: kb.nullable() }),
  disks: z.array(
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
  ),
  unparsed: z.array(unparsedSchema),
});
export type ShowStatus = z.infer<typeof showStatusSchema>;

/** Every label `show status` prints, in print order; a field's value runs to the next label. */
const LABELS: Array<[key: string, re: string]> = [
  ['hostName', 'Host Name\\s*:'],
  ['date', 'Date\\s*:'],
  ['timeZone', 'Time Zone\\s*:'],
  ['locale', 'Locale\\s*:'],
  ['productVersion', 'Product Ver(?:sion)?\\s*:'],
  ['osVersion', 'Unified OS Version\\s*:'],
  ['uptime', 'Uptime\\s*:'],
  ['cpu', 'CPU Idle\\s*:'],
];
const VERSION = /^\d+(?:\.\d+)+-\d+$/;

export function parseShowStatus(text: string, source?: string): ShowStatus {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /show\s+status/);
  const problems = new RowProblems();
  // One string with single spaces, and a map from its offsets back to raw lines.
  let s = '';
  const starts: JoinedLine[] = [];
  for (const l of lines) {
    const t = l.text.replace(/\s+/g, ' ').trim();
    if (!t) continue;
    if (s) s += ' ';
    starts.push({ at: s.length, line: l.line, raw: l.text });
    s += t;
  }
  if (!s) throw new ParseError(input, undefined, 'empty output');
  const at = (pos: number) => lineOfOffset(starts, pos);
  const problem = (pos: number, reason: string) => {
    const st = at(Math.max(0, Math.min(pos, s.length - 1)));
    problems.add(st.line, st.raw, reason);
  };

  // Header fields: each label where it is (older releases omit some), value up to the next label.
  const found: Array<{ key: string; at: number; end: number }> = [];
  for (const [key, re] of LABELS) {
    const m = new RegExp(`(?:^| )${re}`).exec(s);
    if (m) found.push({ key, at: m.index, end: m.index + m[0].length });
  }
  found.sort((a, b) => a.at - b.at);
  const header: Record<string, { value: string; at: number }> = {};
  found.forEach((f, k) => {
    if (f.key === 'cpu') return;
    const end = k + 1 < found.length ? found[k + 1].at : s.length;
    header[f.key] = { value: s.slice(f.end, end).trim(), at: f.end };
  });
  const field = (key: string, valid: (v: string) => boolean, what: string): string | null => {
    const h = header[key];
    if (!h) return null;
    if (!h.value || !valid(h.value)) {
      problem(h.at, `${what} "${h.value.slice(0, 60)}" ${h.value ? 'is not readable' : 'is empty'}`);
      return null;
    }
    return h.value;
  };
  const hostName = field('hostName', (v) => !/\s/.test(v), 'Host Name');
  const date = field('date', () => true, 'Date');
  const timeZone = field('timeZone', () => true, 'Time Zone');
  const locale = field('locale', (v) => !/\s/.test(v), 'Locale');
  const productVersion = field('productVersion', (v) => VERSION.test(v), 'Product Ver');
  const osVersion = field('osVersion', (v) => VERSION.test(v), 'Unified OS Version');
  let uptime: ShowStatus['uptime'] = null;
  if (header.uptime) {
    uptime = problems.row(at(header.uptime.at).line, at(header.uptime.at).raw, () => parseUptime(header.uptime.value, input, at(header.uptime.at).line)) ?? null;
  }

  // CPU and memory: labelled numbers after "CPU Idle:".
  const cpuAt = found.find((f) => f.key === 'cpu')?.at ?? -1;
  const body = cpuAt >= 0 ? cpuAt : s.length;
  const num = (label: string, unit: '%' | 'K'): number | null => {
    const re = new RegExp(`(?:^| )${label}:\\s*(\\S*)`, 'y');
    const m = new RegExp(`(?:^| )${label}:\\s*`).exec(s.slice(body));
    if (!m) return null;
    re.lastIndex = body + m.index;
    const v = re.exec(s)![1];
    const n = unit === '%' ? /^(\d+(?:\.\d+)?)%$/.exec(v) : /^(\d+)K$/.exec(v);
    if (!n) {
      problem(body + m.index + m[0].length, `${label}: expected a number with "${unit}", got "${v}"`);
      return null;
    }
    return Number(n[1]);
  };
  if (cpuAt < 0 && found.length) problem(s.length - 1, 'no "CPU Idle:" section (truncated output?)');
  const cpu = { idle: num('CPU Idle', '%'), system: num('System', '%'), user: num('User', '%'), iowait: num('IOWAIT', '%'), irq: num('IRQ', '%'), soft: num('Soft', '%') };
  const memory = { totalKB: num('Memory Total', 'K'), freeKB: num('Free', 'K'), usedKB: num('Used', 'K'), cachedKB: num('Cached', 'K'), sharedKB: num('Shared', 'K'), buffersKB: num('Buffers', 'K') };

  // Disks: columns named by the header (`Total Free Used` in any order), one record per `Disk/`.
  const disks: ShowStatus['disks'] = [];
  const hm = /(?:^| )((?:Total|Free|Used)(?: (?:Total|Free|Used)){2})(?= |$)/.exec(s.slice(body));
  const head = hm && new Set(hm[1].split(' ')).size === 3 ? hm[1].split(' ') : ['Total', 'Free', 'Used'];
  if (hm && new Set(hm[1].split(' ')).size !== 3) problem(body + hm.index, `disk header "${hm[1]}" does not name Total, Free and Used once each; read in that order`);
  const diskStarts = [...s.matchAll(/(?:^| )(Disk\/\S+)/g)].map((m) => m.index! + (m[0].startsWith(' ') ? 1 : 0));
  if (hm) {
    // Text between the disk header and the first disk (a disk line cut down to a stub) is a row too.
    const from = body + hm.index + hm[0].length;
    const stray = s.slice(from, diskStarts.find((d) => d >= from) ?? s.length).trim();
    if (stray) problem(from + 1, `expected "Disk/<name> <n>K <n>K <n>K (<n>%)", got "${stray.slice(0, 80)}" (truncated output?)`);
  }
  diskStarts.forEach((from, k) => {
    const to = k + 1 < diskStarts.length ? diskStarts[k + 1] : s.length;
    const seg = s.slice(from, to).trim();
    const st = at(from);
    const disk = problems.row(st.line, st.raw, () => {
      const m = /^Disk\/(\S+) (\d+)K (\d+)K (\d+)K \((\d+)%\)(?= |$)/.exec(seg);
      // Text after a complete disk record belongs to another line (a stub of a cut line): it costs itself.
      if (m && m[0].length < seg.length) problem(from + m[0].length + 1, `unexpected text after the disk lines: "${seg.slice(m[0].length).trim().slice(0, 80)}"`);
      if (!m) throw new ParseError(input, st.line, `expected "Disk/<name> <n>K <n>K <n>K (<n>%)", got "${seg.slice(0, 80)}" (truncated output?)`);
      const v: Record<string, number> = {};
      head.forEach((h, idx) => (v[h] = Number(m[2 + idx])));
      if (Number(m[5]) > 100) throw new ParseError(input, st.line, `disk usage ${m[5]}% is above 100%`);
      return { name: m[1], totalKB: v.Total, freeKB: v.Free, usedKB: v.Used, usedPercent: Number(m[5]), line: st.line };
    });
    if (disk) disks.push(disk);
  });
  const anything = hostName ?? productVersion ?? uptime ?? (disks.length ? disks : null) ?? (Object.values(cpu).some((v) => v !== null) ? cpu : null);
  if (!anything) throw problems.nothingRead(input, { line: starts[0]?.line, detail: 'no "Host Name :", "Product Ver :", "CPU Idle:" or "Disk/" field could be read' });
  return checked(showStatusSchema, { hostName, date, timeZone, locale, productVersion, osVersion, uptime, cpu, memory, disks, unparsed: problems.list() }, input);
}

/** ` 17:20:42 up 141 days,  1:12,  1 user,  load average: 2.22, 0.98, 0.82` (also "up 5 min", "up 10:47"). */
function parseUptime(text: string, input: string, line: number): ShowStatus['uptime'] {
  const m = /\bup\s+(?:(\d+)\s+days?,\s*)?(?:(\d+):(\d{2})|(\d+)\s+mins?)/.exec(text);
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
