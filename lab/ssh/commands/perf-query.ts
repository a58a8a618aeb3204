// `show perf query class "<obj>"` and `show perf query counter "<obj>" "<ctr>"` — wire-formats.md
// §4.8: the `query class` layout ([WIRE-like] Memory capture), filtered to the counter for
// `query counter` with a `==>query counter :` header [RECONSTRUCTED]. Values are the node's
// single-sample PerfMon values (`counters.value`), printed as integers.
import type { CounterObject, LabNode } from '../../model';
import { col } from './format';
import { immediate, type CliCommandSpec, type CliContext } from './types';

/** Names compare case-insensitively and ignoring blanks ("Active JsmSessions" as one source types it). */
const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function findObject(node: LabNode, name: string): CounterObject | undefined {
  const want = norm(name);
  return node.counters.objects().find((o) => norm(o.name) === want);
}

function valueText(v: number): string {
  return String(Math.round(v));
}

function classBlock(node: LabNode, obj: CounterObject, counters: readonly string[], at: number): string[] {
  const lines = [` - Perf class (${obj.name}) has instances and values:`];
  const instances = obj.multiInstance ? node.counters.instances(obj.name) : [undefined];
  for (const inst of instances) {
    for (const c of counters) {
      const v = node.counters.value(obj.name, inst, c, at);
      if (v === undefined || !Number.isFinite(v)) continue;
      lines.push(`${col(inst ?? '', 20)}-> ${col(c, 31)}= ${valueText(v)}`);
    }
  }
  return lines;
}

/** Up to five comma-separated names (the CLI guide's limit). */
function splitList(args: readonly string[]): string[] | undefined {
  const names = args.join(' ').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length >= 1 && names.length <= 5 ? names : undefined;
}

// Wording for an unknown class or counter is not captured; this mirrors the CLI's terse errors.
const unknownClass = (name: string): string => `\nInvalid class name: ${name}\n`;
const unknownCounter = (obj: string, name: string): string => `\nInvalid counter name: ${obj}(${name})\n`;

export function renderQueryClass(ctx: CliContext, classes: readonly string[]): string {
  const at = ctx.now.getTime();
  const out = ['==>query class :', ''];
  for (const name of classes) {
    const obj = findObject(ctx.node, name);
    if (!obj) return unknownClass(name);
    out.push(...classBlock(ctx.node, obj, obj.counters.map((c) => c.name).sort(byName), at));
  }
  return out.join('\n') + '\n';
}

export function renderQueryCounter(ctx: CliContext, objectName: string, counters: readonly string[]): string {
  const obj = findObject(ctx.node, objectName);
  if (!obj) return unknownClass(objectName);
  const names: string[] = [];
  for (const c of counters) {
    const def = obj.counters.find((d) => norm(d.name) === norm(c));
    if (!def) return unknownCounter(obj.name, c);
    names.push(def.name);
  }
  return ['==>query counter :', '', ...classBlock(ctx.node, obj, names, ctx.now.getTime())].join('\n') + '\n';
}

export const perfQueryClass: CliCommandSpec = {
  words: ['show', 'perf', 'query', 'class'],
  run(ctx, args) {
    const classes = splitList(args);
    return classes ? immediate(renderQueryClass(ctx, classes)) : undefined;
  },
};

export const perfQueryCounter: CliCommandSpec = {
  words: ['show', 'perf', 'query', 'counter'],
  run(ctx, args) {
    if (args.length < 2) return undefined;
    const counters = splitList(args.slice(1));
    return counters ? immediate(renderQueryCounter(ctx, args[0], counters)) : undefined;
  },
};
