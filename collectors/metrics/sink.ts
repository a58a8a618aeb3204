// How sources turn observations into samples: they call a MetricSink with a catalogue id,
// labels and a value. Helpers for the one-hot convention live here too.
import type { MetricId } from './catalogue';
import { metrics } from './catalogue';

export type Labels = Record<string, string>;
export type MetricSink = (id: MetricId, labels: Labels, value: number) => void;

/**
 * One-hot: 1 for `current`, 0 for every other known value. A current value outside the known
 * set is matched case-insensitively (Cisco prints "not Running" and "Not Running" for the same
 * HA state, reference/ha.md §1); an unknown one is exported verbatim so nothing is hidden.
 */
export function emitOneHot(out: MetricSink, id: MetricId, labels: Labels, current: string): void {
  const def = metrics[id];
  if (!('oneHot' in def) || !def.oneHot) throw new Error(`${def.name} is not a one-hot metric`);
  const label = def.oneHot.label;
  const known: readonly string[] = def.oneHot.values;
  const canonical = canonicalValue(known, current);
  for (const v of known) out(id, { ...labels, [label]: v }, v === canonical ? 1 : 0);
  if (!known.includes(canonical)) out(id, { ...labels, [label]: canonical }, 1);
}

export function canonicalValue(known: readonly string[], value: string): string {
  const v = value.trim();
  if (known.includes(v)) return v;
  const lower = v.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower) ?? v;
}
