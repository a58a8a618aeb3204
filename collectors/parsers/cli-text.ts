// Cleaning of raw VOS admin-CLI shell output (reference/wire-formats.md §4.1): the shell is a PTY,
// so output carries VT100/ANSI sequences, CRLF and stray CR, backspaces, the echoed command line,
// pagination prompts and the trailing `admin:` prompt. Parsers read the cleaned lines and keep the
// original line numbers so a ParseError can point into the capture the operator is looking at.
import { ParseError } from '../errors';

export interface CliLine {
  /** Cleaned text (no control characters, no trailing whitespace). */
  text: string;
  /** 1-based line number in the raw output (CRLF, LF and a lone CR each end a line). */
  line: number;
}

// CSI (ESC [ … final), OSC (ESC ] … BEL|ST), charset selection (ESC ( B), and two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_=>78]|\x9b[0-?]*[ -/]*[@-~]/g;
const PAGINATION = [
  /Press <enter> for 1 line, <space> for one page, or <q> to quit/g,
  /options: q=quit, n=next, p=prev, b=begin, e=end \(lines \d+ - \d+ of \d+\) :/g,
];
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
/** `admin:` (or another admin user's name) followed by an echoed command. */
const PROMPT = /^([A-Za-z0-9_.-]+):\s?/;
const ECHO_VERBS = /^(?:utils|show|set|file|run|ha|license|unset|delete)\b/;
const TRAILING_PROMPT = /^[A-Za-z0-9_.-]+:\s*$/;
/** Lines a VOS CLI prints instead of output when it refused a command. */
const CLI_ERRORS = [/^No valid command entered\b/, /^Executed command unsuccessfully\b/, /^Invalid command\b/];

function applyBackspaces(s: string): string {
  if (!s.includes('\b')) return s;
  const out: string[] = [];
  for (const ch of s) {
    if (ch === '\b') out.pop();
    else out.push(ch);
  }
  return out.join('');
}

/**
 * Cleans raw output into lines with their raw line numbers.
 * `echo` matches the command text after the prompt on the first line; when given, only the prompt
 * and that text are removed (some Cisco documents print the output on the same line as the
 * command). Without it, a first line that is a prompt followed by a CLI verb is removed whole.
 */
export function cleanCliLines(raw: string, echo?: RegExp): CliLine[] {
  const parts = raw.replace(ANSI, '').split(/\r*\n|\r+/);
  const lines: CliLine[] = [];
  let erasing = false;
  for (let i = 0; i < parts.length; i++) {
    let text = parts[i];
    let paged = false;
    for (const p of PAGINATION) {
      if (p.test(text)) {
        paged = true;
        text = text.replace(p, '');
      }
      p.lastIndex = 0;
    }
    text = applyBackspaces(text).replace(CONTROL, '').trimEnd();
    // After a pagination prompt the terminal blanks the prompt line with spaces and CR.
    if (paged || (erasing && text === '')) {
      erasing = true;
      if (text === '') continue;
    } else erasing = false;
    lines.push({ text, line: i + 1 });
  }
  // Echoed command: the first non-blank line.
  const first = lines.findIndex((l) => l.text.trim() !== '');
  if (first >= 0) {
    const l = lines[first];
    const m = PROMPT.exec(l.text);
    if (m) {
      const rest = l.text.slice(m[0].length);
      if (echo) {
        const e = new RegExp(`^\\s*(?:${echo.source})`, echo.flags.replace('g', '')).exec(rest);
        if (e) {
          const remainder = rest.slice(e[0].length);
          if (remainder.trim() === '') lines.splice(first, 1);
          else lines[first] = { text: remainder, line: l.line };
        }
      } else if (ECHO_VERBS.test(rest.trimStart())) {
        lines.splice(first, 1);
      }
    }
  }
  // Trailing prompt and blank lines.
  while (lines.length && lines[lines.length - 1].text.trim() === '') lines.pop();
  if (lines.length && TRAILING_PROMPT.test(lines[lines.length - 1].text.trim())) lines.pop();
  while (lines.length && lines[lines.length - 1].text.trim() === '') lines.pop();
  return lines;
}

/** Public form of the cleaner: the cleaned output as text with LF line ends. */
export function cleanCliOutput(raw: string, echo?: RegExp): string {
  return cleanCliLines(raw, echo)
    .map((l) => l.text)
    .join('\n');
}

/**
 * Cleans and rejects outputs the CLI prints when it refused the command (e.g. `No valid command
 * entered` on a release that lacks it) so no parser mistakes them for an empty, healthy result.
 */
export function readCli(raw: string, input: string, echo?: RegExp): CliLine[] {
  if (typeof raw !== 'string') throw new ParseError(input, undefined, 'expected text');
  const lines = cleanCliLines(raw, echo);
  for (const l of lines) {
    const t = l.text.trim();
    if (CLI_ERRORS.some((re) => re.test(t))) throw new ParseError(input, l.line, `the CLI refused the command: "${t}"`);
  }
  return lines;
}

/** Expands tabs to 8-column stops so header-derived column offsets line up with data rows. */
export function expandTabs(s: string): string {
  if (!s.includes('\t')) return s;
  let out = '';
  for (const ch of s) {
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}

/** Names the parsed input in errors, e.g. "utils ha status (imp01-pub.txt)". */
export function inputName(command: string, source?: string): string {
  return source ? `${command} (${source})` : command;
}

/** Strict decimal parse; throws ParseError naming the line. */
export function num(text: string, input: string, line: number | undefined, what: string): number {
  const t = text.trim();
  if (!/^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/.test(t)) throw new ParseError(input, line, `${what}: expected a number, got "${text}"`);
  return Number(t);
}

/** Strict integer parse; throws ParseError naming the line. */
export function int(text: string, input: string, line: number | undefined, what: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new ParseError(input, line, `${what}: expected an integer, got "${text}"`);
  return Number(t);
}

/** A line joined into one string for stream reading: where it starts in that string. */
export interface JoinedLine {
  at: number;
  line: number;
  raw: string;
}

/** The joined line holding offset `pos` (binary search: a 10 MB output has 100,000s of lines). */
export function lineOfOffset(starts: readonly JoinedLine[], pos: number): JoinedLine {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid].at <= pos) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo] ?? { at: 0, line: 1, raw: '' };
}

/**
 * Cisco documents often lose an output's line breaks (the whole output on one line, runs of blanks
 * kept). Splits each line before every match of `anchors` that is not at its start, keeping the
 * physical line number, so the line-based readers see the records again. Anchors must be global.
 */
export function splitBefore(lines: CliLine[], anchors: RegExp, when?: (text: string) => boolean): CliLine[] {
  const out: CliLine[] = [];
  for (const l of lines) {
    // Most lines hold one record: `when` skips the (costlier) anchor search on them.
    if (when && !when(l.text)) {
      out.push(l);
      continue;
    }
    anchors.lastIndex = 0;
    const cuts: number[] = [];
    for (let m = anchors.exec(l.text); m; m = anchors.exec(l.text)) {
      if (m.index > 0 && l.text.slice(0, m.index).trim() !== '') cuts.push(m.index);
      if (m[0].length === 0) anchors.lastIndex++;
    }
    if (!cuts.length) {
      out.push(l);
      continue;
    }
    let from = 0;
    for (const c of cuts) {
      out.push({ text: l.text.slice(from, c).trimEnd(), line: l.line });
      from = c;
    }
    out.push({ text: l.text.slice(from), line: l.line });
  }
  return out;
}
