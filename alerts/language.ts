// The condition language of the rule catalogue: a small, structured expression tree that renders
// to PromQL (alerts/promql.ts, for Prometheus rule files) and evaluates natively (alerts/evaluate.ts,
// for the embedded evaluator), from one definition. It is deliberately not a PromQL parser: it has
// exactly the operations the catalogue needs, each with PromQL's semantics (vector matching on
// labels, the metric name never part of a match, filters that keep the left value).
//
//   const down = Q.metric(metrics.serviceStatus, { status: 'Started', service: oneOf(HA_CRITICAL_SERVICES) }).eq(0);
//
// Metric names come from the collectors' catalogue only: a selector takes a MetricDef, never a string.
import { metrics, type MetricDef, type MetricId } from '../collectors/metrics/catalogue';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export type CmpOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type ArithOp = '+' | '-' | '*' | '/';
export type AggOp = 'max' | 'min' | 'sum' | 'count';
export type SetOp = 'and' | 'or' | 'unless';

export type Expr =
  /** Instant vector selector; `offset` in seconds. */
  | { readonly t: 'select'; readonly metric: MetricId; readonly matchers: readonly Matcher[]; readonly offset?: number }
  /** max_over_time(selector[window]); window in seconds. */
  | { readonly t: 'maxOverTime'; readonly metric: MetricId; readonly matchers: readonly Matcher[]; readonly window: number }
  /** Aggregation; `by` undefined aggregates everything into one series without labels. */
  | { readonly t: 'agg'; readonly op: AggOp; readonly by?: readonly string[]; readonly expr: Expr }
  /** Filter: keeps the elements whose value compares true with the number. */
  | { readonly t: 'cmp'; readonly op: CmpOp; readonly expr: Expr; readonly value: number }
  /** Arithmetic with a scalar: a number or time() (evaluation time, seconds). `scalarLeft`: scalar op vector. */
  | { readonly t: 'scalar'; readonly op: ArithOp; readonly expr: Expr; readonly value: number | 'time'; readonly scalarLeft?: boolean }
  /** One-to-one arithmetic between two vectors, matched on all labels or on the `on` labels. */
  | { readonly t: 'arith'; readonly op: ArithOp; readonly left: Expr; readonly right: Expr; readonly on?: readonly string[] }
  /** Set operations, matched on all labels or on the `on` labels. */
  | { readonly t: 'set'; readonly op: SetOp; readonly left: Expr; readonly right: Expr; readonly on?: readonly string[] }
  /** absent(selector): one series (the selector's equality labels, value 1) when it selects nothing. */
  | { readonly t: 'absent'; readonly metric: MetricId; readonly matchers: readonly Matcher[] };

/** A label value condition in a selector object: a string is an exact match. */
export type LabelMatch = string | { op: MatchOp; value: string };

/** Regex of exactly these values (escaped), matched whole as PromQL does. */
export function oneOf(values: readonly string[]): LabelMatch {
  return values.length === 1 ? values[0] : { op: '=~', value: values.map(escapeRegex).join('|') };
}
export function noneOf(values: readonly string[]): LabelMatch {
  return { op: '!~', value: values.map(escapeRegex).join('|') };
}
export function not(value: string): LabelMatch {
  return { op: '!=', value };
}

export function escapeRegex(v: string): string {
  return v.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

const idByName = new Map<string, MetricId>((Object.entries(metrics) as [MetricId, MetricDef][]).map(([id, d]) => [d.name, id]));

function idOf(def: MetricDef): MetricId {
  const id = idByName.get(def.name);
  if (!id || metrics[id] !== def) throw new Error(`alerts: ${def.name} is not a metric of collectors/metrics/catalogue.ts`);
  return id;
}

function toMatchers(def: MetricDef, match: Record<string, LabelMatch>): Matcher[] {
  return Object.entries(match).map(([label, m]) => {
    if (!def.labels.includes(label)) throw new Error(`alerts: ${def.name} has no label '${label}' (labels: ${def.labels.join(', ') || 'none'})`);
    return typeof m === 'string' ? { label, op: '=', value: m } : { label, op: m.op, value: m.value };
  });
}

/** A fluent wrapper over Expr, so rule conditions read close to the PromQL they render to. */
export class Q {
  private constructor(readonly expr: Expr) {}

  static of(expr: Expr): Q {
    return new Q(expr);
  }

  static metric(def: MetricDef, match: Record<string, LabelMatch> = {}, opts: { offset?: number } = {}): Q {
    return new Q({ t: 'select', metric: idOf(def), matchers: toMatchers(def, match), ...(opts.offset ? { offset: opts.offset } : {}) });
  }

  static maxOverTime(def: MetricDef, window: number, match: Record<string, LabelMatch> = {}): Q {
    return new Q({ t: 'maxOverTime', metric: idOf(def), matchers: toMatchers(def, match), window });
  }

  static absent(def: MetricDef, match: Record<string, LabelMatch> = {}): Q {
    return new Q({ t: 'absent', metric: idOf(def), matchers: toMatchers(def, match) });
  }

  private cmp(op: CmpOp, value: number): Q {
    return new Q({ t: 'cmp', op, expr: this.expr, value });
  }
  eq(v: number): Q {
    return this.cmp('==', v);
  }
  ne(v: number): Q {
    return this.cmp('!=', v);
  }
  gt(v: number): Q {
    return this.cmp('>', v);
  }
  lt(v: number): Q {
    return this.cmp('<', v);
  }
  ge(v: number): Q {
    return this.cmp('>=', v);
  }
  le(v: number): Q {
    return this.cmp('<=', v);
  }

  private agg(op: AggOp, by?: readonly string[]): Q {
    return new Q({ t: 'agg', op, by, expr: this.expr });
  }
  maxBy(...by: string[]): Q {
    return this.agg('max', by);
  }
  minBy(...by: string[]): Q {
    return this.agg('min', by);
  }
  sumBy(...by: string[]): Q {
    return this.agg('sum', by);
  }
  countBy(...by: string[]): Q {
    return this.agg('count', by);
  }
  /** count() of everything: one series without labels. */
  count(): Q {
    return this.agg('count');
  }
  max(): Q {
    return this.agg('max');
  }

  /** this − time(): seconds from now until a timestamp value. */
  minusTime(): Q {
    return new Q({ t: 'scalar', op: '-', expr: this.expr, value: 'time' });
  }
  plus(v: number): Q {
    return new Q({ t: 'scalar', op: '+', expr: this.expr, value: v });
  }
  times(v: number): Q {
    return new Q({ t: 'scalar', op: '*', expr: this.expr, value: v });
  }
  div(v: number): Q {
    return new Q({ t: 'scalar', op: '/', expr: this.expr, value: v });
  }
  /** v − this. */
  subtractedFrom(v: number): Q {
    return new Q({ t: 'scalar', op: '-', expr: this.expr, value: v, scalarLeft: true });
  }
  /** One-to-one difference of two vectors. */
  minus(other: Q, on?: readonly string[]): Q {
    return new Q({ t: 'arith', op: '-', left: this.expr, right: other.expr, on });
  }

  and(other: Q, on?: readonly string[]): Q {
    return new Q({ t: 'set', op: 'and', left: this.expr, right: other.expr, on });
  }
  or(other: Q, on?: readonly string[]): Q {
    return new Q({ t: 'set', op: 'or', left: this.expr, right: other.expr, on });
  }
  unless(other: Q, on?: readonly string[]): Q {
    return new Q({ t: 'set', op: 'unless', left: this.expr, right: other.expr, on });
  }
}

/** `on(...)` labels, as a readable argument: `.and(x, on('cluster', 'node'))`. */
export function on(...labels: string[]): readonly string[] {
  return labels;
}

/** Every metric an expression reads, with the longest look-back it needs (offset or range), seconds. */
export function metricsOf(e: Expr, into = new Map<MetricId, number>()): Map<MetricId, number> {
  const note = (id: MetricId, back: number) => into.set(id, Math.max(into.get(id) ?? 0, back));
  switch (e.t) {
    case 'select':
      note(e.metric, e.offset ?? 0);
      break;
    case 'maxOverTime':
      note(e.metric, e.window);
      break;
    case 'absent':
      note(e.metric, 0);
      break;
    case 'agg':
    case 'cmp':
    case 'scalar':
      metricsOf(e.expr, into);
      break;
    case 'arith':
    case 'set':
      metricsOf(e.left, into);
      metricsOf(e.right, into);
      break;
  }
  return into;
}
