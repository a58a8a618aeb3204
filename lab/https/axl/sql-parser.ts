// The SELECT subset IMPulse needs, parsed honestly: anything outside it is Informix error -201.
//
//   select [skip N] [first M] ( * | count(*) [[as] a] | expr [[as] a] {, …} ) from table [[as] t]
//     [where cond] [order by (column | position) [asc|desc] {, …}]
//   cond    := cond or cond | cond and cond | not cond | ( cond ) | predicate
//   predicate := value (= | != | <> | < | > | <= | >=) value | value [not] like 'pattern'
//              | value is [not] null | value [not] in ( literal {, literal} )
//   value   := literal | [table.]column | lower(value) | upper(value) | trim(value)
import { syntaxError } from './sql-error';
import { tokenize, type Token } from './sql-lexer';

export type Value =
  | { kind: 'literal'; value: string | number | null }
  | { kind: 'column'; table?: string; name: string }
  | { kind: 'call'; fn: 'lower' | 'upper' | 'trim'; arg: Value };

export type Cond =
  | { kind: 'and' | 'or'; left: Cond; right: Cond }
  | { kind: 'not'; arg: Cond }
  | { kind: 'compare'; op: '=' | '<>' | '<' | '>' | '<=' | '>='; left: Value; right: Value }
  | { kind: 'like'; negated: boolean; value: Value; pattern: string }
  | { kind: 'isnull'; negated: boolean; value: Value }
  | { kind: 'in'; negated: boolean; value: Value; list: Array<string | number> };

export type SelectItem = { kind: 'star' } | { kind: 'count'; alias: string } | { kind: 'value'; value: Value; alias: string };

export interface OrderItem {
  /** Column reference or 1-based select-list position. */
  key: Value | number;
  desc: boolean;
}

export interface SelectStatement {
  skip: number;
  first?: number;
  items: SelectItem[];
  table: string;
  tableAlias?: string;
  where?: Cond;
  orderBy: OrderItem[];
}

const RESERVED = new Set(['SELECT', 'SKIP', 'FIRST', 'FROM', 'WHERE', 'ORDER', 'BY', 'AND', 'OR', 'NOT', 'LIKE', 'IS', 'NULL', 'IN', 'AS', 'ASC', 'DESC', 'GROUP', 'HAVING', 'UNION', 'INTO', 'LIMIT']);

class Parser {
  private i = 0;
  constructor(private readonly t: Token[]) {}

  private peek(): Token | undefined {
    return this.t[this.i];
  }
  private next(): Token {
    const tok = this.t[this.i++];
    if (!tok) throw syntaxError();
    return tok;
  }
  private isWord(w: string, tok = this.peek()): boolean {
    return tok?.kind === 'word' && tok.upper === w;
  }
  private isOp(o: string, tok = this.peek()): boolean {
    return tok?.kind === 'op' && tok.value === o;
  }
  private word(w: string): void {
    if (!this.isWord(w)) throw syntaxError();
    this.i++;
  }
  private op(o: string): void {
    if (!this.isOp(o)) throw syntaxError();
    this.i++;
  }
  private identifier(): string {
    const tok = this.next();
    if (tok.kind !== 'word' || RESERVED.has(tok.upper)) throw syntaxError();
    return tok.value.toLowerCase();
  }
  private nonNegativeInt(): number {
    const tok = this.next();
    if (tok.kind !== 'number' || !Number.isInteger(tok.value) || tok.value < 0) throw syntaxError();
    return tok.value;
  }

  statement(): SelectStatement {
    this.word('SELECT');
    let skip = 0;
    let first: number | undefined;
    if (this.isWord('SKIP')) {
      this.i++;
      skip = this.nonNegativeInt();
    }
    if (this.isWord('FIRST')) {
      this.i++;
      first = this.nonNegativeInt();
    }
    const items = this.selectList();
    this.word('FROM');
    const table = this.identifier();
    let tableAlias: string | undefined;
    if (this.isWord('AS')) {
      this.i++;
      tableAlias = this.identifier();
    } else if (this.peek()?.kind === 'word' && !RESERVED.has((this.peek() as { upper: string }).upper)) {
      tableAlias = this.identifier();
    }
    let where: Cond | undefined;
    if (this.isWord('WHERE')) {
      this.i++;
      where = this.or();
    }
    const orderBy: OrderItem[] = [];
    if (this.isWord('ORDER')) {
      this.i++;
      this.word('BY');
      do {
        if (orderBy.length > 0) this.op(',');
        const tok = this.peek();
        const key: Value | number = tok?.kind === 'number' ? this.nonNegativeInt() : this.value();
        let desc = false;
        if (this.isWord('ASC')) this.i++;
        else if (this.isWord('DESC')) {
          this.i++;
          desc = true;
        }
        orderBy.push({ key, desc });
      } while (this.isOp(','));
    }
    if (this.peek()) throw syntaxError();
    return { skip, first, items, table, tableAlias, where, orderBy };
  }

  private selectList(): SelectItem[] {
    if (this.isOp('*')) {
      this.i++;
      return [{ kind: 'star' }];
    }
    const items: SelectItem[] = [];
    do {
      if (items.length > 0) this.op(',');
      if (this.isWord('COUNT') && this.isOp('(', this.t[this.i + 1])) {
        this.i += 2;
        this.op('*');
        this.op(')');
        items.push({ kind: 'count', alias: this.alias() ?? 'count' });
      } else {
        const value = this.value();
        if (value.kind === 'literal') throw syntaxError();
        const alias = this.alias() ?? defaultName(value);
        items.push({ kind: 'value', value, alias });
      }
    } while (this.isOp(','));
    return items;
  }

  private alias(): string | undefined {
    if (this.isWord('AS')) {
      this.i++;
      return this.identifier();
    }
    const tok = this.peek();
    if (tok?.kind === 'word' && !RESERVED.has(tok.upper)) return this.identifier();
    return undefined;
  }

  private or(): Cond {
    let left = this.and();
    while (this.isWord('OR')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Cond {
    let left = this.not();
    while (this.isWord('AND')) {
      this.i++;
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Cond {
    if (this.isWord('NOT')) {
      this.i++;
      return { kind: 'not', arg: this.not() };
    }
    if (this.isOp('(')) {
      // A parenthesised condition (values never start with '(' in this subset).
      this.i++;
      const c = this.or();
      this.op(')');
      return c;
    }
    return this.predicate();
  }

  private predicate(): Cond {
    const value = this.value();
    const tok = this.peek();
    if (tok?.kind === 'op' && ['=', '!=', '<>', '<', '>', '<=', '>='].includes(tok.value)) {
      this.i++;
      const op = tok.value === '!=' ? '<>' : (tok.value as '=' | '<>' | '<' | '>' | '<=' | '>=');
      return { kind: 'compare', op, left: value, right: this.value() };
    }
    let negated = false;
    if (this.isWord('IS')) {
      this.i++;
      if (this.isWord('NOT')) {
        this.i++;
        negated = true;
      }
      this.word('NULL');
      return { kind: 'isnull', negated, value };
    }
    if (this.isWord('NOT')) {
      this.i++;
      negated = true;
    }
    if (this.isWord('LIKE')) {
      this.i++;
      const p = this.next();
      if (p.kind !== 'string') throw syntaxError();
      return { kind: 'like', negated, value, pattern: p.value };
    }
    if (this.isWord('IN')) {
      this.i++;
      this.op('(');
      const list: Array<string | number> = [];
      do {
        if (list.length > 0) this.op(',');
        const lit = this.next();
        if (lit.kind !== 'string' && lit.kind !== 'number') throw syntaxError();
        list.push(lit.value);
      } while (this.isOp(','));
      this.op(')');
      return { kind: 'in', negated, value, list };
    }
    throw syntaxError();
  }

  private value(): Value {
    const tok = this.next();
    if (tok.kind === 'string' || tok.kind === 'number') return { kind: 'literal', value: tok.value };
    if (tok.kind !== 'word') throw syntaxError();
    if (tok.upper === 'NULL') return { kind: 'literal', value: null };
    if ((tok.upper === 'LOWER' || tok.upper === 'UPPER' || tok.upper === 'TRIM') && this.isOp('(')) {
      this.i++;
      const arg = this.value();
      this.op(')');
      return { kind: 'call', fn: tok.upper.toLowerCase() as 'lower' | 'upper' | 'trim', arg };
    }
    if (RESERVED.has(tok.upper)) throw syntaxError();
    if (this.isOp('.')) {
      this.i++;
      return { kind: 'column', table: tok.value.toLowerCase(), name: this.identifier() };
    }
    return { kind: 'column', name: tok.value.toLowerCase() };
  }
}

/**
 * A bare or qualified column keeps its name. Informix labels an unnamed expression
 * "(expression)", which is not an XML element name; the lab answers it as `expression`.
 */
function defaultName(v: Value): string {
  return v.kind === 'column' ? v.name : 'expression';
}

export function parseSelect(sql: string): SelectStatement {
  const tokens = tokenize(sql);
  return new Parser(tokens).statement();
}
