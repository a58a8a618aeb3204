#!/usr/bin/env bash
# `npm start`: installs npm dependencies when needed, builds the dashboard when it has no
# production build (`impulse start` rebuilds a stale one itself), then runs IMPulse.
# Arguments go to `impulse start` (e.g. npm start -- --config impulse.config.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
dev=0
for arg in "$@"; do [ "$arg" = "--dev" ] && dev=1; done
if [ "$dev" = 0 ] && [ ! -f .next/BUILD_ID ]; then
  echo "start: building the dashboard (next build)" >&2
  NEXT_TELEMETRY_DISABLED=1 node node_modules/next/dist/bin/next build
fi
exec node bin/impulse.mjs start "$@"
