// PerfMon counter paths (wire-formats §1.6): `\\host\Object\Counter` or `\\host\Object(Instance)\Counter`.
// Instance names may themselves hold parentheses, so the instance is everything between the
// first '(' of the object part and its final ')'.

export interface CounterPath {
  host: string;
  object: string;
  instance?: string;
  counter: string;
}

export function parseCounterPath(path: string): CounterPath | undefined {
  if (!path.startsWith('\\\\')) return undefined;
  const rest = path.slice(2);
  const firstSep = rest.indexOf('\\');
  const lastSep = rest.lastIndexOf('\\');
  if (firstSep <= 0 || lastSep === firstSep || lastSep === rest.length - 1) return undefined;
  const host = rest.slice(0, firstSep);
  const objectPart = rest.slice(firstSep + 1, lastSep);
  const counter = rest.slice(lastSep + 1);
  const open = objectPart.indexOf('(');
  if (open < 0) return objectPart === '' ? undefined : { host, object: objectPart, counter };
  if (!objectPart.endsWith(')') || open === 0) return undefined;
  return { host, object: objectPart.slice(0, open), instance: objectPart.slice(open + 1, -1), counter };
}

export function formatCounterPath(p: CounterPath): string {
  return `\\\\${p.host}\\${p.object}${p.instance !== undefined ? `(${p.instance})` : ''}\\${p.counter}`;
}
