// Degrade per row, never per output: a parser reads record by record, and a record it cannot read
// becomes an `unparsed` entry (its line, the raw text, the reason) next to the records it could.
// Only output with nothing recognisable at all is a ParseError for the whole command.
import { z } from 'zod';
import { ParseError } from '../errors';

export const unparsedSchema = z.object({
  /** 1-based line in the parsed text (0 when the problem is about the whole output). */
  line: z.number().int().nonnegative(),
  /** The line as printed: control characters removed, secrets masked, at most MAX_RAW characters. */
  raw: z.string(),
  reason: z.string().min(1),
});
export type Unparsed = z.infer<typeof unparsedSchema>;

/** Longest raw text kept per unparsed row (the dashboard shows it next to the node's last error). */
export const MAX_RAW = 300;
/** Unparsed rows listed per output; the rest are summed up in one last entry. */
export const MAX_UNPARSED = 1000;

// `password: x`, `passwd=x`, `secret x`, `community x`, `key: x`: CLI output never prints the
// collector's own secrets, but a row of a foreign command may; mask the value, keep the word.
const SECRET = /\b(pass(?:word|wd|phrase)?|secret|community|token|private[ -]?key|api[-_ ]?key)(\s*[:=]\s*|\s+)(\S+)/gi;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A raw line made safe to store, log and show: no control characters, secrets masked, truncated. */
export function safeRaw(text: string): string {
  let t = text.replace(CONTROL, '').replace(/\t/g, ' ');
  if (t.length > 4 * MAX_RAW) t = t.slice(0, 4 * MAX_RAW);
  t = t.replace(SECRET, (_m, word: string, sep: string) => `${word}${sep}****`);
  return t.length > MAX_RAW ? `${t.slice(0, MAX_RAW - 1)}…` : t;
}

/** The unparsed rows of one parse. */
export class RowProblems {
  private readonly rows: Unparsed[] = [];
  private dropped = 0;
  private lastDroppedLine = 0;

  add(line: number, raw: string, reason: string): void {
    if (this.rows.length >= MAX_UNPARSED) {
      this.dropped++;
      this.lastDroppedLine = line;
      return;
    }
    this.rows.push({ line, raw: safeRaw(raw), reason });
  }

  /**
   * Runs a row reader; a ParseError it throws becomes an unparsed row (other errors propagate).
   * Row errors are data, never shown with a stack: capturing one per row cost more than reading
   * the row (17,000 unreadable rows took 180 ms, found by `npm run fuzz`).
   */
  row<T>(line: number, raw: string, read: () => T): T | undefined {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      this.add(err.line ?? line, raw, err.detail);
      return undefined;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  get count(): number {
    return this.rows.length + this.dropped;
  }

  get first(): Unparsed | undefined {
    return this.rows[0];
  }

  list(): Unparsed[] {
    if (!this.dropped) return [...this.rows];
    return [...this.rows, { line: this.lastDroppedLine, raw: '', reason: `${this.dropped} more unreadable line(s) not listed` }];
  }

  /**
   * The ParseError for an output of which nothing could be read: names the first unreadable line
   * (and its reason) when there is one, else `fallback`.
   */
  nothingRead(input: string, fallback: { line?: number; detail: string }): ParseError {
    const f = this.rows[0];
    if (f) return new ParseError(input, f.line, `${f.reason}${this.count > 1 ? ` (and ${this.count - 1} more unreadable line(s); nothing could be read)` : ' (nothing else could be read)'}`);
    return new ParseError(input, fallback.line, fallback.detail);
  }
}
