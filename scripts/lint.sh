#!/usr/bin/env bash
# The lint gates: ruff (lint + format check) and mypy (strict on domain/, services/, security/,
# integrations/; the rest of socializioz/ non-strict). Configuration lives in pyproject.toml.
#
#   scripts/lint.sh            run all three gates; exits non-zero if any fails (all three always run)
#   SOCIALIZIOZ_SKIP_LINT=1    skip the gates (quick local runs of scripts/test.sh; CI never sets it)
#
# Never rewrites files: to fix, run `ruff check --fix .` and `ruff format .` yourself.
set -uo pipefail

if [ "${SOCIALIZIOZ_SKIP_LINT:-}" = "1" ]; then
  echo "==> Lint skipped (SOCIALIZIOZ_SKIP_LINT=1)"
  exit 0
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${ROOT}/.venv/bin"
[ -x "$BIN/ruff" ] || BIN="$(dirname "$(command -v ruff)")"

status=0
echo "==> ruff check"
"$BIN/ruff" check . || status=1
echo "==> ruff format --check"
"$BIN/ruff" format --check . || status=1
echo "==> mypy"
"$BIN/mypy" || status=1
exit "$status"
