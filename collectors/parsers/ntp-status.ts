// `utils ntp status` (reference/wire-formats.md §4.10): `ntpd (pid N) is running...`, the ntpq
// peers table (read by its header), then `synchronised to NTP server (x) at stratum N` or
// `unsynchronised`, `polling server every N s`, and the current time lines.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, num, readCli } from './cli-text';

const COMMAND = 'utils ntp status';

const peerSchema = z.object({
  /** ntpq tally code: '*' system peer, '+' candidate, '-' outlier, 'x' falseticker, '#', 'o', or ' '. */
  tally: z.string().max(1),
  remote: z.string().min(1),
  refid: z.string(),
  stratum: z.number().int().nullable(),
  type: z.string(),
  when: z.string(),
  pollSeconds: z.number().nullable(),
  /** Octal reach register as printed (377 = last eight polls answered). */
  reach: z.string(),
  delayMs: z.number().nullable(),
  offsetMs: z.number().nullable(),
  jitterMs: z.number().nullable(),
  line: z.number().int().positive(),
});
export const ntpStatusSchema = z.object({
  running: z.boolean(),
  pid: z.number().int().nullable(),
  synchronised: z.boolean(),
  /** Server named in "synchronised to NTP server (x)"; null when unsynchronised. */
  server: z.string().nullable(),
  stratum: z.number().int().nullable(),
  timeCorrectWithinMs: z.number().nullable(),
  pollingSeconds: z.number().nullable(),
  peers: z.array(peerSchema),
  /** "Current time in UTC is : …" verbatim. */
  currentTimeUtc: z.string().nullable(),
  /** Status lines this parser does not interpret, verbatim (e.g. "time server re-starting"). */
  notes: z.array(z.string()),
});
export type NtpStatus = z.infer<typeof ntpStatusSchema>;

const PEER_COLUMNS = ['remote', 'refid', 'st', 't', 'when', 'poll', 'reach', 'delay', 'offset', 'jitter'];

export function parseNtpStatus(text: string, source?: string): NtpStatus {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /utils\s+ntp\s+status/);
  const out: NtpStatus = {
    running: false,
    pid: null,
    synchronised: false,
    server: null,
    stratum: null,
    timeCorrectWithinMs: null,
    pollingSeconds: null,
    peers: [],
    currentTimeUtc: null,
    notes: [],
  };
  let seenDaemon = false;
  let seenSync = false;
  let columns: string[] | undefined;
  let inTable = false;
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (!t) {
      inTable = false;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^ntpd\s+(?:\(pid\s+(\d+)\)\s+)?is\s+(not\s+)?running/.exec(t))) {
      seenDaemon = true;
      out.running = !m[2];
      out.pid = m[1] ? Number(m[1]) : null;
    } else if (/^remote\s+refid\b/.test(t)) {
      columns = t.split(/\s+/);
      const missing = PEER_COLUMNS.filter((c) => !columns!.includes(c));
      if (missing.length) throw new ParseError(input, line, `peers header "${t}" lacks ${missing.join(', ')}`);
    } else if (/^=+$/.test(t) && columns) {
      inTable = true;
    } else if (inTable && columns) {
      out.peers.push(readPeer(raw, columns, input, line));
    } else if ((m = /^synchronised to (?:NTP server|local net) \(([^)]+)\) at stratum (\d+)$/.exec(t))) {
      seenSync = true;
      out.synchronised = true;
      out.server = m[1];
      out.stratum = Number(m[2]);
    } else if (/^unsynchronised$/.test(t)) {
      seenSync = true;
      out.synchronised = false;
    } else if ((m = /^time correct to within (\d+(?:\.\d+)?) ms$/.exec(t))) out.timeCorrectWithinMs = Number(m[1]);
    else if ((m = /^polling server every (\d+) s$/.exec(t))) out.pollingSeconds = Number(m[1]);
    else if ((m = /^Current time in UTC is\s*:\s*(.+)$/.exec(t))) out.currentTimeUtc = m[1];
    else if (/^Current time in .+ is\s*:/.test(t)) continue;
    else if (/^time server re-starting$|^No association ID's returned$/.test(t)) out.notes.push(t);
    else throw new ParseError(input, line, `unexpected line: "${t}"`);
  }
  if (!seenDaemon) throw new ParseError(input, lines[0]?.line, 'no "ntpd … is running" line');
  if (out.running && !seenSync) throw new ParseError(input, lines[lines.length - 1]?.line, 'no "synchronised"/"unsynchronised" line (truncated output?)');
  return checked(ntpStatusSchema, out, input);
}

function readPeer(raw: string, header: string[], input: string, line: number): NtpStatus['peers'][number] {
  // Every ntpq column is one token; map tokens to the header names in order.
  const tally = /^[*+\-x#o.]/.test(raw) ? raw[0] : ' ';
  const tokens = (tally === ' ' ? raw : raw.slice(1)).trim().split(/\s+/);
  if (tokens.length !== header.length) throw new ParseError(input, line, `peer row has ${tokens.length} values for ${header.length} columns: "${raw.trim()}" (truncated output?)`);
  const cell = (name: string) => tokens[header.indexOf(name)];
  const opt = (name: string) => (cell(name) === '-' ? null : num(cell(name), input, line, name));
  return {
    tally,
    remote: cell('remote'),
    refid: cell('refid'),
    stratum: opt('st'),
    type: cell('t'),
    when: cell('when'),
    pollSeconds: opt('poll'),
    reach: cell('reach'),
    delayMs: opt('delay'),
    offsetMs: opt('offset'),
    jitterMs: opt('jitter'),
    line,
  };
}
