// Renders a condition (alerts/language.ts) to PromQL for Prometheus rule files. Every operand
// that is itself an operation is parenthesised, so PromQL's precedence rules never matter.
import { metrics } from '../collectors/metrics/catalogue';
import type { Expr, Matcher } from './language';

export function toPromQL(e: Expr): string {
  switch (e.t) {
    case 'select':
      return `${selector(e.metric, e.matchers)}${e.offset ? ` offset ${duration(e.offset)}` : ''}`;
    case 'maxOverTime':
      return `max_over_time(${selector(e.metric, e.matchers)}[${duration(e.window)}])`;
    case 'absent':
      return `absent(${selector(e.metric, e.matchers)})`;
    case 'agg':
      return `${e.op}${e.by ? ` by (${e.by.join(', ')})` : ''} (${toPromQL(e.expr)})`;
    case 'cmp':
      return `${operand(e.expr)} ${e.op} ${num(e.value)}`;
    case 'scalar': {
      const scalar = e.value === 'time' ? 'time()' : num(e.value);
      return e.scalarLeft ? `${scalar} ${e.op} ${operand(e.expr)}` : `${operand(e.expr)} ${e.op} ${scalar}`;
    }
    case 'arith':
    case 'set':
      return `${operand(e.left)} ${e.op}${e.on ? ` on (${e.on.join(', ')})` : ''} ${operand(e.right)}`;
  }
}

function operand(e: Expr): string {
  const text = toPromQL(e);
  return e.t === 'cmp' || e.t === 'scalar' || e.t === 'arith' || e.t === 'set' ? `(${text})` : text;
}

function selector(id: keyof typeof metrics, matchers: readonly Matcher[]): string {
  const name = metrics[id].name;
  if (!matchers.length) return name;
  return `${name}{${matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ')}}`;
}

function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`alerts: ${v} cannot be a PromQL number`);
  return String(v);
}

/** Seconds as a PromQL duration in the largest whole unit (90 → 90s, 600 → 10m, 86400 → 1d). */
export function duration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`alerts: durations are whole seconds, got ${seconds}`);
  if (seconds === 0) return '0s';
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds % n === 0) return `${seconds / n}${unit}`;
  return `${seconds}s`;
}
