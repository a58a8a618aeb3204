#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than the lock file.
# `npm install` rather than `npm ci`: it installs exactly what package-lock.json pins, but tolerates
# optional platform packages the registry does not serve (Next's darwin/win32 SWC builds), which
# makes `npm ci` refuse the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
