// Property-based fuzzing of every parser (fast-check). Shared by the unit test (a few thousand cases
// in `npm test`) and `npm run fuzz` (≥ 100,000 cases per parser, reporting cases/s and findings).
//
// Inputs: arbitrary text, and mutations of real captures and lab outputs (truncate anywhere,
// duplicate or drop lines, swap spaces and tabs, insert CR, random bytes, huge lines).
// Properties:
//   typed     — a parser returns a result or throws its typed error (ParseError, or SoapFaultError
//               for a fault document), nothing else; unparsed rows keep raw text within MAX_RAW.
//   fast      — at most 100 ms per 64 KB of input (`npm run fuzz`; the unit test allows 1 s, which
//               catches catastrophic backtracking without being a flaky timing test).
//   one-row   — damaging one record line of a clean output costs that record only: every other
//               record is still read, at its line, with the same content.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { CollectError, ParseError, SoapFaultError } from '../../collectors/errors';
import { parsers, parserKinds, type ParserKind } from '../../collectors/parsers/index';
import { MAX_RAW } from '../../collectors/parsers/problems';

const capturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/captures');
export const TEXT_KINDS = parserKinds.filter((k) => !['perfmon', 'controlcenter', 'axl-sql'].includes(k));

/** Capture texts of a kind (the fixtures with a .txt/.xml body; sidecars and READMEs excluded). */
export function corpus(kind: ParserKind): string[] {
  const dir = path.join(capturesDir, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(txt|xml)$/.test(f))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .map((t) => t.split('\n').filter((l) => l.trim() !== '...').join('\n'));
}

type Op = ['truncate' | 'dup' | 'drop' | 'tabs' | 'cr' | 'bytes' | 'huge', number, number, string];

const opArb: fc.Arbitrary<Op> = fc.tuple(
  fc.constantFrom('truncate', 'dup', 'drop', 'tabs', 'cr', 'bytes', 'huge'),
  fc.nat(),
  fc.nat(),
  fc.string({ unit: 'binary', maxLength: 24 }),
) as fc.Arbitrary<Op>;

export function mutate(text: string, ops: Op[]): string {
  let t = text;
  for (const [op, a, b, s] of ops) {
    const lines = t.split('\n');
    const i = lines.length ? a % lines.length : 0;
    switch (op) {
      case 'truncate':
        t = t.slice(0, t.length ? a % t.length : 0);
        break;
      case 'dup':
        lines.splice(i, 0, lines[i] ?? '');
        t = lines.join('\n');
        break;
      case 'drop':
        lines.splice(i, 1);
        t = lines.join('\n');
        break;
      case 'tabs':
        t = b % 2 ? t.replace(/ {2,}/g, '\t') : t.replace(/\t/g, '    ');
        break;
      case 'cr':
        t = b % 3 === 0 ? t.replace(/\n/g, '\r\n') : b % 3 === 1 ? t.replace(/\n/g, '\r\r\n') : `${t.slice(0, a % (t.length + 1))}\r${t.slice(a % (t.length + 1))}`;
        break;
      case 'bytes':
        t = `${t.slice(0, a % (t.length + 1))}${s}${t.slice(a % (t.length + 1))}`;
        break;
      case 'huge': {
        const n = 1000 + (b % 60_000);
        const line = (s || 'x').repeat(Math.ceil(n / Math.max(1, (s || 'x').length))).slice(0, n);
        lines.splice(i, 0, line);
        t = lines.join('\n');
        break;
      }
    }
  }
  return t;
}

/** Arbitrary inputs for a parser: pure noise, line-shaped noise, and mutated captures. */
export function inputArb(kind: ParserKind): fc.Arbitrary<string> {
  const base = corpus(kind);
  const noise = [
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }).map((ls) => ls.join('\n')),
  ];
  if (!base.length) return fc.oneof(...noise);
  return fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom(...base), fc.array(opArb, { minLength: 1, maxLength: 4 })).map(([t, ops]) => mutate(t, ops)), weight: 4 },
    { arbitrary: noise[0], weight: 1 },
    { arbitrary: noise[1], weight: 1 },
  );
}

export interface Finding {
  kind: ParserKind;
  property: string;
  message: string;
  input: string;
}

/** Runs one parser on one input: its result, or the error it threw (typed or not). */
export function runParser(kind: ParserKind, input: string): { ok: true; result: unknown; ms: number } | { ok: false; error: unknown; ms: number } {
  const t0 = performance.now();
  try {
    const result = parsers[kind].parse(input, 'fuzz');
    return { ok: true, result, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

/** The typed + fast property for one input; returns a problem description or undefined. */
export function checkTyped(kind: ParserKind, input: string, msPer64k: number): string | undefined {
  const r = runParser(kind, input);
  const allowed = Math.max(1, input.length / 65_536) * msPer64k;
  if (r.ms > allowed) {
    // A garbage-collection pause or a busy core is not the parser: the best of three runs counts.
    const best = Math.min(r.ms, runParser(kind, input).ms, runParser(kind, input).ms);
    if (best > allowed) return `took ${best.toFixed(1)} ms (best of 3) for ${input.length} characters (limit ${allowed.toFixed(0)} ms)`;
  }
  if (!r.ok) {
    const e = r.error;
    if (e instanceof ParseError || e instanceof SoapFaultError) return undefined;
    return `threw ${e instanceof CollectError ? `CollectError(${e.kind})` : e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  const unparsed = (r.result as { unparsed?: Array<{ raw: string; line: number }> }).unparsed ?? [];
  const long = unparsed.find((u) => u.raw.length > MAX_RAW || !Number.isInteger(u.line) || u.line < 0);
  if (long) return `unparsed row with raw of ${long.raw.length} characters or bad line ${long.line}`;
  return undefined;
}

// ---- one damaged row ------------------------------------------------------------------------

/** The records of a result, each with its line and a key of what a person reads from it. */
const RECORDS: Partial<Record<ParserKind, (r: any) => Array<{ line: number; key: string }>>> = {
  'dbreplication-runtimestate': (r) => (r.status === 'ok' ? r.servers.map((s: any) => ({ line: s.line, key: `${s.name} ${s.ip} ${s.setupState} ${s.queue}` })) : []),
  'ha-status': (r) => r.subclusters.flatMap((g: any) => g.nodes.map((n: any) => ({ line: n.line, key: `${g.name} ${n.name} ${n.state} ${n.reason}` }))),
  'service-list': (r) => r.services.map((s: any) => ({ line: s.line, key: `${s.name} ${s.status} ${s.reason}` })),
  'show-status': (r) => r.disks.map((d: any) => ({ line: d.line, key: `${d.name} ${d.totalKB} ${d.usedKB}` })),
  'cert-list': (r) => r.certificates.map((c: any) => ({ line: c.line, key: `${c.unit}/${c.file}` })),
  'network-cluster': (r) => r.nodes.map((n: any) => ({ line: n.line, key: `${n.ip} ${n.hostname} ${n.role}` })),
  'perf-query': (r) => r.classes.flatMap((c: any) => c.values.map((v: any) => ({ line: v.line, key: `${c.name} ${v.instance} ${v.counter} ${v.value}` }))),
  'diagnose-test': (r) => r.modules.map((m: any) => ({ line: m.line, key: `${m.action} ${m.module} ${m.result}` })),
  'ntp-status': (r) => r.peers.map((p: any) => ({ line: p.line, key: `${p.remote} ${p.stratum} ${p.reach}` })),
  'core-active-list': (r) => r.cores.map((c: any) => ({ line: c.line, key: `${c.file} ${c.sizeKB}` })),
  'users-validate': (r) => [
    ...r.duplicateUserIds.map((d: any) => ({ line: d.line, key: `dup ${d.userId} ${d.nodes.join(',')}` })),
    ...r.noDirectoryUri.map((d: any) => ({ line: d.line, key: `nouri ${d.node} ${d.userId}` })),
    ...r.invalidDirectoryUri.map((d: any) => ({ line: d.line, key: `baduri ${d.node} ${d.userId}` })),
    ...r.duplicateDirectoryUris.map((d: any) => ({ line: d.line, key: `dupuri ${d.directoryUri} ${d.users.map((u: any) => `${u.node}/${u.userId}`).join(',')}` })),
  ],
};
export const ROW_KINDS = Object.keys(RECORDS) as ParserKind[];

/** Clean outputs of a kind with at least two records: the base of the one-row property. */
export function cleanBases(kind: ParserKind, extra: string[] = []): string[] {
  const rec = RECORDS[kind]!;
  return [...corpus(kind), ...extra].filter((t) => {
    const r = runParser(kind, t);
    if (!r.ok || ((r.result as { unparsed?: unknown[] }).unparsed ?? []).length !== 0) return false;
    const lines = rec(r.result).map((x) => x.line);
    // One record per line (a document that lost its line breaks has them all on one).
    return lines.length >= 2 && new Set(lines).size === lines.length;
  });
}

/**
 * Truncates one record's line (the cleaned-line numbering of the parser is the raw one, so line n
 * of the text is record line n) and checks that every other record survived, same line, same key.
 */
export function checkOneRow(kind: ParserKind, base: string, pick: number, cut: number): string | undefined {
  const rec = RECORDS[kind]!;
  const before = runParser(kind, base);
  if (!before.ok) return undefined;
  const records = rec(before.result);
  const target = records[pick % records.length];
  const lines = base.split(/\r*\n|\r+/);
  const raw = lines[target.line - 1];
  if (raw === undefined || raw.trim().length < 2) return undefined;
  // Keep the indent and at least one character of the record (a cut to blanks is a dropped line).
  const indent = raw.length - raw.trimStart().length;
  const keep = indent + 1 + (cut % Math.max(1, raw.trimEnd().length - indent - 1));
  lines[target.line - 1] = raw.slice(0, keep);
  const damaged = lines.join('\n');
  const after = runParser(kind, damaged);
  if (!after.ok) {
    const e = after.error;
    // A single-record output may lose everything; with two records or more, never.
    return `damaging line ${target.line} (kept ${keep} characters) lost the whole output: ${e instanceof Error ? e.message : String(e)}`;
  }
  const got = rec(after.result);
  const have = new Set(got.map((g) => `${g.line}\u0000${g.key}`));
  for (const r of records) {
    if (r.line === target.line) continue;
    if (!have.has(`${r.line}\u0000${r.key}`)) return `damaging line ${target.line} (kept ${keep} characters) cost line ${r.line} too ("${r.key}")`;
  }
  const unparsed = (after.result as { unparsed: Array<{ line: number }> }).unparsed;
  const stillRead = got.some((g) => g.line === target.line);
  if (!stillRead && !unparsed.some((u) => u.line === target.line))
    return `damaged line ${target.line} (kept ${keep} characters) is neither read nor listed as unparsed`;
  return undefined;
}
