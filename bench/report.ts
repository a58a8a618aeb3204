// One line per figure: "<label>: <value> <unit>  (target <op> <target>: ok|MISSED)  [<ratio>× baseline <label>]".
export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** Target the issue names, e.g. { op: '<=', value: 20 }. */
  target?: { op: '<=' | '>=' | '=='; value: number };
  /** A baseline measured in the same run, for a ratio. */
  baseline?: { label: string; value: number };
}

/** Best (lowest) duration of `runs` calls, ms: the run least disturbed by GC and other processes. */
export function best(f: () => unknown, runs: number): number {
  let t = Infinity;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t = Math.min(t, performance.now() - s);
  }
  return t;
}

export function report(f: Figure): boolean {
  const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 2 : 1);
  let line = `${f.label}: ${v} ${f.unit}`;
  let ok = true;
  if (f.target) {
    const t = f.target;
    ok = t.op === '<=' ? f.value <= t.value : t.op === '>=' ? f.value >= t.value : f.value === t.value;
    line += `  (target ${t.op} ${t.value}: ${ok ? 'ok' : 'MISSED'})`;
  }
  if (f.baseline && f.baseline.value !== 0) {
    line += `  [${(f.value / f.baseline.value).toFixed(3)}× ${f.baseline.label} = ${f.baseline.value}]`;
  }
  console.log(line);
  return ok;
}
