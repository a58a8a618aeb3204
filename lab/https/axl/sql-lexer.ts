// Tokens of the SELECT subset the lab's AXL understands (see sql-parser.ts).
import { syntaxError } from './sql-error';

export type Token =
  | { kind: 'word'; value: string; upper: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'op'; value: string };

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j])) j++;
      const value = sql.slice(i, j);
      out.push({ kind: 'word', value, upper: value.toUpperCase() });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(sql[i + 1] ?? '') && prevAllowsSign(out))) {
      let j = i + 1;
      while (j < sql.length && /[0-9.]/.test(sql[j])) j++;
      const n = Number(sql.slice(i, j));
      if (!Number.isFinite(n)) throw syntaxError();
      out.push({ kind: 'number', value: n });
      i = j;
    } else if (c === "'" || c === '"') {
      // Informix (without DELIMIDENT) takes both quote styles as string literals; doubled quote escapes.
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= sql.length) throw syntaxError();
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j++];
      }
      out.push({ kind: 'string', value });
      i = j + 1;
    } else {
      const two = sql.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '<>' || two === '!=') {
        out.push({ kind: 'op', value: two });
        i += 2;
      } else if ('=<>(),*.'.includes(c)) {
        out.push({ kind: 'op', value: c });
        i++;
      } else {
        throw syntaxError();
      }
    }
  }
  return out;
}

function prevAllowsSign(out: Token[]): boolean {
  const p = out[out.length - 1];
  return !p || (p.kind === 'op' && p.value !== ')') || (p.kind === 'word' && ['AND', 'OR', 'NOT', 'IN', 'LIKE', 'SKIP', 'FIRST', 'WHERE'].includes(p.upper));
}
