// `npm run bench [name…]`: runs each benchmark file in its own process (so RSS and CPU are its
// own) and prints its figures. A benchmark is bench/<name>.bench.ts; it prints lines through
// bench/report.ts and exits non-zero only when it could not measure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`bench: unknown benchmark(s) ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, [path.join(here, '..', 'bin', 'run-ts.mjs'), path.join(here, `${name}.bench.ts`)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.log(`!! ${name} could not complete (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
