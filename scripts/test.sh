#!/usr/bin/env bash
# The whole test suite: installs what it needs (npm deps, Debian packages), type-checks, then runs
# the unit, integration and end-to-end projects. `npm test` and .ci/run call this. Extra arguments
# go to vitest (e.g. `npm test -- --project unit`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/system-deps.sh
npx tsc --noEmit -p .
mkdir -p tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-report.json "$@" || status=$?
# A plain closing line ("N passed, N failed, N skipped") that any CI can read.
node -e '
  const r = JSON.parse(require("fs").readFileSync("tmp/vitest-report.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
