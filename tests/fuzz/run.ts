// `npm run fuzz [-- --runs N] [--kind k] [--seed S]`: ≥ 100,000 fast-check cases per parser on
// arbitrary text and mutated captures (tests/fuzz/harness.ts), plus the one-damaged-row property on
// every parser with records. Reports cases/s and findings (crashes: anything thrown but the typed
// error; hangs: over 100 ms per 64 KB; row losses); exits 1 when there is a finding.
import fc from 'fast-check';
import { parserKinds, type ParserKind } from '../../collectors/parsers/index';
import { checkOneRow, checkTyped, cleanBases, inputArb, ROW_KINDS } from './harness';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(opt('runs') ?? 100_000);
const seed = Number(opt('seed') ?? Date.now() % 2 ** 31);
const only = opt('kind');
const kinds = parserKinds.filter((k) => !only || k === only);

interface Row {
  kind: ParserKind;
  property: string;
  cases: number;
  seconds: number;
  finding?: string;
}
const rows: Row[] = [];

function run(kind: ParserKind, property: string, prop: fc.IProperty<never> | fc.IPropertyWithHooks<never>, numRuns: number): void {
  let cases = 0;
  const counted = prop as unknown as { run: (v: unknown) => unknown };
  const inner = counted.run.bind(counted);
  counted.run = (v: unknown) => {
    cases++;
    return inner(v);
  };
  const t0 = performance.now();
  const out = fc.check(prop, { numRuns, seed, endOnFailure: false });
  const seconds = (performance.now() - t0) / 1000;
  const finding = out.failed
    ? `${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)} — counterexample ${JSON.stringify(out.counterexample).slice(0, 400)} (seed ${seed}, path ${out.counterexamplePath})`
    : undefined;
  rows.push({ kind, property, cases, seconds, finding });
  const rate = Math.round(cases / Math.max(seconds, 1e-6));
  process.stdout.write(`${kind.padEnd(28)} ${property.padEnd(8)} ${String(cases).padStart(8)} cases ${seconds.toFixed(1).padStart(6)} s ${String(rate).padStart(8)} cases/s ${finding ? `FINDING: ${finding}` : 'ok'}\n`);
}

process.stdout.write(`impulse fuzz: ${runs} cases per parser and property, seed ${seed}\n`);
for (const kind of kinds) {
  run(
    kind,
    'typed',
    fc.property(inputArb(kind), (input) => {
      const problem = checkTyped(kind, input, 100);
      if (problem) throw new Error(problem);
    }) as never,
    runs,
  );
}
for (const kind of ROW_KINDS.filter((k) => kinds.includes(k))) {
  const bases = cleanBases(kind);
  if (!bases.length) continue;
  run(
    kind,
    'one-row',
    fc.property(fc.constantFrom(...bases), fc.nat(), fc.nat(), (base, pick, cut) => {
      const problem = checkOneRow(kind, base, pick, cut);
      if (problem) throw new Error(problem);
    }) as never,
    Math.max(1000, Math.round(runs / 10)),
  );
}
const total = rows.reduce((n, r) => n + r.cases, 0);
const seconds = rows.reduce((n, r) => n + r.seconds, 0);
const findings = rows.filter((r) => r.finding);
const crashes = findings.filter((r) => /threw|TypeError|RangeError/.test(r.finding!)).length;
const hangs = findings.filter((r) => /took .* ms/.test(r.finding!)).length;
process.stdout.write(
  `\n${total} cases in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} cases/s); findings: ${findings.length} (${crashes} crashes, ${hangs} hangs, ${findings.length - crashes - hangs} other)\n`,
);
process.exit(findings.length ? 1 : 0);
