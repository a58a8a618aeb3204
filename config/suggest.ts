// "Did you mean" for unknown fields: the known keys at that place in the schema, by edit distance,
// or the sub-section where the key exists (e.g. `knownHosts` written directly under a cluster).
import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Peels optional/nullable/default/pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    if ((d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'readonly') && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else break;
  }
  return s;
}

/** The object shape reached by following `path` through the schema, if any. */
export function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> | undefined {
  let s = unwrap(schema);
  for (const key of path) {
    const d = defOf(s);
    if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) s = unwrap(d.shape[key]);
    else if (d.type === 'array' && typeof key === 'number' && d.element) s = unwrap(d.element);
    else return undefined;
  }
  const d = defOf(s);
  return d.type === 'object' ? d.shape : undefined;
}

export function suggestKey(schema: z.ZodType, path: readonly PropertyKey[], key: string): string | undefined {
  const shape = shapeAt(schema, path);
  if (!shape) return undefined;
  const known = Object.keys(shape);
  const lower = key.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = name.toLowerCase() === lower ? 0 : distance(lower, name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  if (best && best.d <= limit) return `did you mean '${best.name}'?`;
  // Written one level too high: the key exists in a sub-section (ssh.knownHosts, tls.caBundle…).
  for (const name of known) {
    const sub = shapeAt(shape[name], []) ?? shapeAt(shape[name], [0]);
    if (sub && Object.hasOwn(sub, key)) return `'${key}' belongs under '${name}:'`;
  }
  return `expected one of ${known.join(', ')}`;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
