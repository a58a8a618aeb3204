// Header-driven reading of fixed-width CLI tables. Column starts come from the header (or from the
// rule of dashes under it), never from hard-coded offsets: VOS releases add, drop and widen columns.
import { ParseError } from '../errors';
import { expandTabs } from './cli-text';

export interface Column {
  /** Header text of the column (all header lines joined, whitespace collapsed). */
  name: string;
  start: number;
}

/** Columns from a rule line such as `-----   ------   ---` and the header lines above it. */
export function columnsFromRule(rule: string, headers: string[], ruleChar = '-'): Column[] {
  const r = expandTabs(rule);
  const esc = ruleChar.replace(/[-\\^$*+?.()|[\]{}]/g, '\\$&');
  const starts: number[] = [];
  const re = new RegExp(`${esc}+`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(r))) starts.push(m.index);
  const hs = headers.map(expandTabs);
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : Infinity;
    const name = hs
      .map((h) => h.slice(start, end === Infinity ? undefined : end).trim())
      .filter(Boolean)
      .join(' ')
      .replace(/\s+/g, ' ');
    return { name, start };
  });
}

/** Columns from a single header line whose names are separated by two or more spaces. */
export function columnsFromHeader(header: string): Column[] {
  const h = expandTabs(header);
  const cols: Column[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(h))) cols.push({ name: m[0], start: m.index });
  return cols;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Splits a data row into cells by the header's column starts. Columns listed in `multiWord` may
 * hold text with spaces; the others hold one token. A value wider than its column pushes the
 * rest of the row right (printf `%-Ns` overflow); that shift is carried to the later columns.
 * Returns one cell per column ('' for an empty cell).
 */
export function splitRow(line: string, columns: Column[], multiWord: ReadonlySet<number>, input: string, lineNo: number): string[] {
  const row = expandTabs(line);
  const cells: Array<{ start: number; end: number } | undefined> = columns.map(() => undefined);
  const colAt = (pos: number) => {
    let c = 0;
    for (let i = 0; i < columns.length; i++) if (columns[i].start <= pos) c = i;
    return c;
  };
  let shift = 0;
  let cur = -1;
  let prevEnd = 0;
  for (const t of tokens(row)) {
    let c = colAt(t.start - shift);
    const next = cur + 1;
    const single = cur >= 0 && !multiWord.has(cur);
    if (single && next < columns.length && prevEnd - shift > columns[next].start - 1) {
      // The previous value ran into the next column: the rest of the row is shifted right.
      c = next;
      shift = Math.max(shift, t.start - columns[next].start);
    } else if (c <= cur) {
      c = single ? next : cur;
    }
    if (c >= columns.length) throw new ParseError(input, lineNo, `more values than the ${columns.length} columns of the header: "${line.trim()}"`);
    prevEnd = t.end;
    const cell = cells[c];
    cells[c] = cell ? { start: cell.start, end: t.end } : { start: t.start, end: t.end };
    cur = c;
  }
  return cells.map((c) => (c ? row.slice(c.start, c.end) : ''));
}

/** Finds the index of the column whose header matches; undefined when absent. */
export function findColumn(columns: Column[], re: RegExp): number | undefined {
  const i = columns.findIndex((c) => re.test(c.name));
  return i < 0 ? undefined : i;
}
