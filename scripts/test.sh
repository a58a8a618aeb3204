#!/usr/bin/env bash
# The whole test suite: installs what it needs (npm deps, Debian packages), then unit,
# integration and end-to-end tests. `npm test` and .ci/run call this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/system-deps.sh
npx tsc --noEmit -p .
npx vitest run "$@"
