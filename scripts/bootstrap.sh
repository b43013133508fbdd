#!/usr/bin/env bash
# Prepares everything the app needs, idempotently: the virtualenv with pinned packages, bun from
# npm inside tools/, and the environment Reflex needs to build offline. Sourced by run.sh/test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REQUIREMENTS="${1:-requirements.txt}"

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtualenv (.venv)"
  python3 -m venv .venv
fi
stamp=".venv/.installed-$(cat "$REQUIREMENTS" requirements.txt constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages from $REQUIREMENTS"
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS" -c constraints.txt
  touch "$stamp"
fi

if [ ! -x tools/node_modules/.bin/bun ]; then
  echo "==> Installing bun into tools/ (project-local, from npm)"
  npm install --prefix tools --no-audit --no-fund --loglevel=error
fi

export PATH="$ROOT/tools/node_modules/.bin:$ROOT/.venv/bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}"
export PYTHONDONTWRITEBYTECODE=1
