// Annotation templates (summary, description) written once and rendered two ways: as Go templates
// for Prometheus rule files ({{ $labels.node }}, {{ $value | humanizePercentage }}) and natively,
// with the same output, for the embedded evaluator.
//
//   summary: t`${L.service} is not running on ${L.node} (cluster ${L.cluster})`

export type ValueFormat =
  /** Whole number: printf "%.0f". */
  | 'int'
  /** One decimal: printf "%.1f". */
  | 'fixed1'
  /** A ratio 0–1 as a percentage: humanizePercentage ("%.4g%%" of value × 100). */
  | 'percent';

export type TemplatePart = string | { readonly label: string } | { readonly value: ValueFormat };
export type Template = readonly TemplatePart[];

/** Tagged template: literal text with label and value parts. */
export function t(strings: TemplateStringsArray, ...parts: Array<{ label: string } | { value: ValueFormat }>): Template {
  const out: TemplatePart[] = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < parts.length) out.push(parts[i]);
  });
  return out;
}

/** Label parts: `${L.node}`. */
export const L: Record<string, { label: string }> = new Proxy({}, { get: (_t, name) => ({ label: String(name) }) });

/** Value parts. */
export const V = {
  int: { value: 'int' },
  fixed1: { value: 'fixed1' },
  percent: { value: 'percent' },
} as const satisfies Record<string, { value: ValueFormat }>;

/** Labels a template uses. */
export function labelsOf(tpl: Template): string[] {
  return tpl.flatMap((p) => (typeof p === 'object' && 'label' in p ? [p.label] : []));
}

export function toGoTemplate(tpl: Template): string {
  return tpl
    .map((p) => {
      if (typeof p === 'string') {
        if (p.includes('{{')) throw new Error(`alerts: template text cannot contain "{{": ${p}`);
        return p;
      }
      if ('label' in p) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.label)) throw new Error(`alerts: label '${p.label}' cannot be used in a template`);
        return `{{ $labels.${p.label} }}`;
      }
      switch (p.value) {
        case 'int':
          return '{{ printf "%.0f" $value }}';
        case 'fixed1':
          return '{{ printf "%.1f" $value }}';
        case 'percent':
          return '{{ $value | humanizePercentage }}';
      }
    })
    .join('');
}

/** Renders natively, exactly as Prometheus renders the Go template (missing label: "<no value>"). */
export function renderTemplate(tpl: Template, labels: Readonly<Record<string, string>>, value: number): string {
  return tpl
    .map((p) => {
      if (typeof p === 'string') return p;
      if ('label' in p) return labels[p.label] ?? '<no value>';
      switch (p.value) {
        case 'int':
          return goFixed(value, 0);
        case 'fixed1':
          return goFixed(value, 1);
        case 'percent':
          return `${goG4(value * 100)}%`;
      }
    })
    .join('');
}

/** Go's %.<digits>f: rounds the exact binary value like toFixed, but ties to even. */
export function goFixed(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const exact = Math.abs(v).toFixed(Math.min(100, digits + 30));
  const dot = exact.indexOf('.');
  if (/^50*$/.test(exact.slice(dot + 1 + digits))) {
    // A tie (exact decimal expansion ends in 5 right after the last kept digit): toFixed rounds
    // it away from zero, Go to the even neighbour.
    const kept = exact.slice(0, digits ? dot + 1 + digits : dot);
    if (Number(kept.slice(-1)) % 2 === 0) return `${v < 0 ? '-' : ''}${kept}`;
  }
  return v.toFixed(digits);
}

/** Go's %.4g. */
export function goG4(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mant, expText] = v.toExponential(3).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 4) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const fixed = Number(mant) * 10 ** exp;
  const digits = Math.max(0, 3 - exp);
  const s = fixed.toFixed(digits);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
