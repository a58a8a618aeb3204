// `utils ntp status` (reference/wire-formats.md §4.10): `ntpd (pid N) is running...`, the ntpq
// peers table (read by its header), then `synchronised to NTP server (x) at stratum N` or
// `unsynchronised`, `polling server every N s`, and the current time lines.
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, num, readCli, splitBefore } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

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
  /** `ntpd … is running` / `is not running`; null when that line is missing or unreadable. */
  running: z.boolean().nullable(),
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
  unparsed: z.array(unparsedSchema),
});
export type NtpStatus = z.infer<typeof ntpStatusSchema>;

const PEER_COLUMNS = ['remote', 'refid', 'st', 't', 'when', 'poll', 'reach', 'delay', 'offset', 'jitter'];

export function parseNtpStatus(text: string, source?: string): NtpStatus {
  const input = inputName(COMMAND, source);
  // Documents that lost the line breaks: a record starts at each status phrase and peer row.
  const lines = splitBefore(
    readCli(text, input, /utils\s+ntp\s+status/),
    /(?<=\s)(?:remote\s+refid\b|={10,}|[*+\-x#o.]?\d{1,3}(?:\.\d{1,3}){3}\s+\S+\s+\d+\s+[a-z]\s|(?:un)?synchroni[sz]ed\b|time correct to within|polling server every|Current time in|time server re-starting|No association ID's returned)/g,
  );
  const problems = new RowProblems();
  const out: NtpStatus = {
    running: null,
    pid: null,
    synchronised: false,
    server: null,
    stratum: null,
    timeCorrectWithinMs: null,
    pollingSeconds: null,
    peers: [],
    currentTimeUtc: null,
    notes: [],
    unparsed: [],
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
      if (missing.length) {
        problems.add(line, raw, `peers header "${t}" lacks ${missing.join(', ')}; the peers table is not read`);
        columns = undefined;
      }
    } else if (/^=+$/.test(t) && columns) {
      inTable = true;
    } else if (inTable && columns && !/^(?:un)?synchroni[sz]ed\b/.test(t)) {
      const header = columns;
      const peer = problems.row(line, raw, () => readPeer(raw, header, input, line));
      if (peer) out.peers.push(peer);
    } else if ((m = /^synchroni[sz]ed to (?:NTP server|local net) \(([^)]+)\) at stratum (\d+)$/.exec(t))) {
      inTable = false;
      seenSync = true;
      out.synchronised = true;
      out.server = m[1];
      out.stratum = Number(m[2]);
    } else if (/^unsynchroni[sz]ed$/.test(t)) {
      inTable = false;
      seenSync = true;
      out.synchronised = false;
    } else if ((m = /^time correct to within (\d+(?:\.\d+)?) ms$/.exec(t))) out.timeCorrectWithinMs = Number(m[1]);
    else if ((m = /^polling server every (\d+) s$/.exec(t))) out.pollingSeconds = Number(m[1]);
    else if ((m = /^Current time in UTC is\s*:\s*(.+)$/.exec(t))) out.currentTimeUtc = m[1];
    else if (/^Current time in .+ is\s*:/.test(t)) continue;
    else if (/^time server re-starting$|^No association ID's returned$/.test(t)) out.notes.push(t);
    else problems.add(line, raw, `unexpected line: "${t}"`);
  }
  if (!seenDaemon && !seenSync && !out.peers.length) throw problems.nothingRead(input, { line: lines[0]?.line, detail: 'no "ntpd … is running" line, peers table or synchronisation status' });
  if (!seenDaemon) problems.add(lines[0]?.line ?? 0, lines[0]?.text ?? '', 'no "ntpd … is running" line: whether ntpd runs is unknown');
  if (out.running && !seenSync) problems.add(lines[lines.length - 1]?.line ?? 0, lines[lines.length - 1]?.text ?? '', 'no "synchronised"/"unsynchronised" line (truncated output?)');
  out.unparsed = problems.list();
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
