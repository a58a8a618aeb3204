// Native evaluation of a condition (alerts/language.ts) over samples, with PromQL's semantics for
// the operations the language has: a label with an empty value is the same as no label; matching
// ignores the metric name; filters keep the left-hand value; one-to-one arithmetic with `on` keeps
// only the `on` labels; `or` adds the right-hand elements whose match labels the left lacks.
import type { MetricId } from '../collectors/metrics/catalogue';
import type { ArithOp, CmpOp, Expr, Matcher } from './language';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  /** Labels without the metric name; a label whose value is "" counts as absent. */
  readonly labels: Labels;
  readonly value: number;
}

export interface RangeSeries {
  readonly labels: Labels;
  readonly values: readonly number[];
}

/** Where samples come from: the live collector (alerts/live-source.ts) or test series (alerts/series.ts). */
export interface SampleSource {
  /** What an instant selector sees at `atMs`: each series' latest sample, as Prometheus would see it. */
  instant(metric: MetricId, atMs: number): readonly Sample[];
  /**
   * instant() filtered by a selector's matchers (`test` is their compiled form; `matchers` is the
   * same array object every time a rule evaluates), for a source that can reuse what it selected
   * before. Optional: without it, instant() is filtered.
   */
  select?(metric: MetricId, atMs: number, matchers: readonly Matcher[], test: (labels: Labels) => boolean): readonly Sample[];
  /** Each series' samples with timestamps in [fromMs, toMs] (both ends included, as Prometheus 2.x). */
  range(metric: MetricId, fromMs: number, toMs: number): readonly RangeSeries[];
}

export type Vector = readonly Sample[];

export class EvalError extends Error {
  override name = 'EvalError';
}

/**
 * Evaluates at `atMs`. `memo` shares results between conditions evaluated at the same time (rules
 * that read the same sub-expression compute it once); results are never modified in place.
 */
export function evaluate(e: Expr, src: SampleSource, atMs: number, memo?: Map<string, Vector>): Vector {
  if (!memo) return compute(e, src, atMs, undefined);
  const key = keyOf(e);
  let v = memo.get(key);
  if (!v) memo.set(key, (v = compute(e, src, atMs, memo)));
  return v;
}

const keys = new WeakMap<Expr, string>();
function keyOf(e: Expr): string {
  let k = keys.get(e);
  if (k === undefined) keys.set(e, (k = JSON.stringify(e)));
  return k;
}

/**
 * Operations are pure functions of their operands: when an evaluation sees the very same operand
 * arrays as the previous one (a source that returns unchanged selections as the same array), the
 * previous result is returned as is. Only what depends on the time itself (time(), offsets,
 * ranges, absent) is always computed.
 */
const previous = new WeakMap<Expr, { inputs: readonly Vector[]; result: Vector }>();

function reuse(e: Expr, inputs: readonly Vector[], run: () => Vector): Vector {
  const p = previous.get(e);
  if (p && p.inputs.length === inputs.length && p.inputs.every((v, i) => v === inputs[i])) return p.result;
  const result = run();
  previous.set(e, { inputs, result });
  return result;
}

function compute(e: Expr, src: SampleSource, atMs: number, memo: Map<string, Vector> | undefined): Vector {
  const sub = (x: Expr) => evaluate(x, src, atMs, memo);
  if (e.t === 'agg' || e.t === 'cmp' || e.t === 'scalar') {
    const input = sub(e.expr);
    if (e.t === 'scalar' && e.value === 'time') return computeOp(e, [input], atMs);
    return reuse(e, [input], () => computeOp(e, [input], atMs));
  }
  if (e.t === 'arith' || e.t === 'set') {
    const inputs = [sub(e.left), sub(e.right)];
    return reuse(e, inputs, () => computeOp(e, inputs, atMs));
  }
  return computeOp(e, [], atMs, src);
}

function computeOp(e: Expr, inputs: readonly Vector[], atMs: number, src?: SampleSource): Vector {
  const sub = (i: number) => inputs[i];
  switch (e.t) {
    case 'select': {
      const match = compile(e.matchers);
      const at = atMs - (e.offset ?? 0) * 1000;
      return src!.select ? src!.select(e.metric, at, e.matchers, match) : src!.instant(e.metric, at).filter((s) => match(s.labels));
    }
    case 'maxOverTime': {
      const match = compile(e.matchers);
      const out: Sample[] = [];
      for (const s of src!.range(e.metric, atMs - e.window * 1000, atMs)) {
        if (!s.values.length || !match(s.labels)) continue;
        let max = -Infinity;
        for (const v of s.values) if (v > max || Number.isNaN(max)) max = v;
        out.push({ labels: s.labels, value: max });
      }
      return out;
    }
    case 'absent': {
      const match = compile(e.matchers);
      if (src!.instant(e.metric, atMs).some((s) => match(s.labels))) return [];
      const labels: Record<string, string> = {};
      for (const m of e.matchers) if (m.op === '=' && m.value !== '') labels[m.label] = m.value;
      return [{ labels, value: 1 }];
    }
    case 'agg':
      return aggregate(e.op, e.by, sub(0));
    case 'cmp': {
      const test = comparator(e.op, e.value);
      return sub(0).filter((s) => test(s.value));
    }
    case 'scalar': {
      const scalar = e.value === 'time' ? atMs / 1000 : e.value;
      const op = arith(e.op);
      return sub(0).map((s) => ({ labels: s.labels, value: e.scalarLeft ? op(scalar, s.value) : op(s.value, scalar) }));
    }
    case 'arith':
      return oneToOne(e.op, sub(0), sub(1), e.on);
    case 'set': {
      const left = sub(0);
      const right = sub(1);
      const sig = signature(e.on);
      if (e.op === 'or') {
        const have = new Set(left.map((s) => sig(s.labels)));
        return [...left, ...right.filter((s) => !have.has(sig(s.labels)))];
      }
      const rightSigs = new Set(right.map((s) => sig(s.labels)));
      return left.filter((s) => rightSigs.has(sig(s.labels)) === (e.op === 'and'));
    }
  }
}

/** Labels as an alert carries them: sorted, empty values dropped. */
export function cleanLabels(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (labels[k] !== '') out[k] = labels[k];
  return out;
}

/** A key identifying a label set (empty values dropped). */
export function labelKey(labels: Labels): string {
  let key = '';
  for (const k of Object.keys(labels).sort()) if (labels[k] !== '') key += `${k}\u0001${labels[k]}\u0000`;
  return key;
}

function signature(on: readonly string[] | undefined): (l: Labels) => string {
  if (!on) return labelKey;
  return (l) => {
    let key = '';
    for (const k of on) key += `${l[k] ?? ''}\u0000`;
    return key;
  };
}

function aggregate(op: 'max' | 'min' | 'sum' | 'count', by: readonly string[] | undefined, input: Vector): Vector {
  const groups = new Map<string, { labels: Record<string, string>; value: number }>();
  for (const s of input) {
    let key = '';
    if (by) for (const k of by) key += `${s.labels[k] ?? ''}\u0000`;
    let g = groups.get(key);
    if (!g) {
      const labels: Record<string, string> = {};
      if (by) for (const k of by) if (s.labels[k]) labels[k] = s.labels[k];
      groups.set(key, { labels, value: op === 'count' ? 1 : s.value });
      continue;
    }
    switch (op) {
      case 'count':
        g.value++;
        break;
      case 'sum':
        g.value += s.value;
        break;
      case 'max':
        if (s.value > g.value || Number.isNaN(g.value)) g.value = s.value;
        break;
      case 'min':
        if (s.value < g.value || Number.isNaN(g.value)) g.value = s.value;
        break;
    }
  }
  return [...groups.values()];
}

function oneToOne(op: ArithOp, left: Vector, right: Vector, on: readonly string[] | undefined): Vector {
  const sig = signature(on);
  const rightBySig = new Map<string, Sample>();
  for (const s of right) {
    const k = sig(s.labels);
    if (rightBySig.has(k)) throw new EvalError('many-to-many matching not allowed: matching labels must be unique on one side');
    rightBySig.set(k, s);
  }
  const seen = new Set<string>();
  const f = arith(op);
  const out: Sample[] = [];
  for (const s of left) {
    const k = sig(s.labels);
    const r = rightBySig.get(k);
    if (!r) continue;
    if (seen.has(k)) throw new EvalError('found duplicate series for the match group on the left hand-side of the operation');
    seen.add(k);
    let labels = s.labels;
    if (on) {
      const kept: Record<string, string> = {};
      for (const l of on) if (s.labels[l]) kept[l] = s.labels[l];
      labels = kept;
    }
    out.push({ labels, value: f(s.value, r.value) });
  }
  return out;
}

function arith(op: ArithOp): (a: number, b: number) => number {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => a / b;
  }
}

function comparator(op: CmpOp, v: number): (x: number) => boolean {
  switch (op) {
    case '==':
      return (x) => x === v;
    case '!=':
      return (x) => x !== v;
    case '>':
      return (x) => x > v;
    case '<':
      return (x) => x < v;
    case '>=':
      return (x) => x >= v;
    case '<=':
      return (x) => x <= v;
  }
}

type LabelTest = (labels: Labels) => boolean;
const compiled = new WeakMap<readonly Matcher[], LabelTest>();

/** One test for a selector's matchers, compiled once per condition. */
export function compile(matchers: readonly Matcher[]): LabelTest {
  let test = compiled.get(matchers);
  if (test) return test;
  const tests = matchers.map((m): LabelTest => {
    const value = valueTest(m);
    return (l) => value(l[m.label] ?? '');
  });
  test = tests.length === 0 ? () => true : tests.length === 1 ? tests[0] : (l) => tests.every((t) => t(l));
  compiled.set(matchers, test);
  return test;
}

function valueTest(m: Matcher): (v: string) => boolean {
  switch (m.op) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~':
    case '!~': {
      const positive = regexTest(m.value);
      return m.op === '=~' ? positive : (v) => !positive(v);
    }
  }
}

/** PromQL regexes match the whole value. An alternation of plain words becomes a set lookup. */
function regexTest(source: string): (v: string) => boolean {
  const words = literalAlternatives(source);
  if (words) {
    const set = new Set(words);
    return (v) => set.has(v);
  }
  const re = new RegExp(`^(?:${source})$`, 's');
  return (v) => re.test(v);
}

function literalAlternatives(source: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \s…: a real regex
      cur += next;
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else if ('^$.?*+()[]{}'.includes(c)) return undefined;
    else cur += c;
  }
  out.push(cur);
  return out;
}
