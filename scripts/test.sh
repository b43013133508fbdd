#!/usr/bin/env bash
# One command from a fresh clone to every test passing: unit, integration, and end-to-end in
# Debian's headless Chromium (installed with apt when missing). Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" requirements-test.txt
# The gates first: ruff (lint + format check) and mypy (strict on domain, services, security,
# integrations). The architecture and catalogue contract tests run with the unit tests.
if [ "$#" -eq 0 ]; then lint_start=$SECONDS; "$(dirname "${BASH_SOURCE[0]}")/lint.sh"; echo "==> lint: $((SECONDS - lint_start)) s"; fi

if [ ! -x /usr/bin/chromium ]; then
  echo "==> Installing Chromium from Debian's packages"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y --no-install-recommends chromium >/dev/null \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends chromium >/dev/null; }
fi

# With PostgreSQL at hand, the migration test also runs there (it makes and drops its own database).
if pg_isready -q -h 127.0.0.1 2>/dev/null; then
  export SOCIALIZIOZ_TEST_POSTGRES_URL="${SOCIALIZIOZ_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
fi

if [ "$#" -gt 0 ]; then exec python -m pytest "$@"; fi
# Each phase prints its wall-clock time, and the browser lanes their slowest tests (--durations),
# so a CI log shows where the time goes (docs/testing.md).
phase() { local name="$1" start=$SECONDS; shift; "$@"; echo "==> $name: $((SECONDS - start)) s"; }
# Two runs: the browser tests keep Playwright's event loop and the app's environment for their
# whole session, which must not leak into the asyncio-based unit and integration tests.
# The unit and integration tests run on every core (pytest-xdist): each worker has its own temporary
# data folder, SQLite files and PostgreSQL databases. SOCIALIZIOZ_TEST_WORKERS=0 runs them in one process.
phase "unit + integration" python -m pytest tests/unit tests/integration -n "${SOCIALIZIOZ_TEST_WORKERS:-auto}"
# The browser tests on two workers (two Chromiums against one server), then the few that change
# what the whole server or sandbox does (marked serial in tests/e2e/conftest.py) alone.
# Each browser lane has a ceiling far above its usual time (CI: ~18, ~5 and ~2 min), so a stalled
# run fails with its log instead of using up CI's 90 minutes (a hung test alone fails after 600 s:
# pyproject.toml).
guard() {
  local seconds="$1" status=0; shift
  timeout --kill-after=30 "$seconds" "$@" || status=$?
  # a lane killed by its ceiling leaves the app server it started (its own process group) behind
  [ "$status" -ne 124 ] && [ "$status" -ne 137 ] || pkill -f "$ROOT/.venv/bin/python scripts/serve.py" || true
  return "$status"
}
phase "e2e" guard 2700 python -m pytest tests/e2e -m "not serial" -n "${SOCIALIZIOZ_E2E_WORKERS:-2}" --dist loadfile -v --durations=25
phase "e2e, serial" guard 1200 python -m pytest tests/e2e -m serial -v --durations=15
# The connect flow and the live-state attacks again with several backend workers (PostgreSQL +
# Redis, when they answer). It serves the e2e run's build again (tests/e2e/conftest.py).
if pg_isready -q -h 127.0.0.1 2>/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  SOCIALIZIOZ_E2E_MULTI_WORKER=1 phase "e2e, several workers" guard 900 python -m pytest tests/e2e/test_connect_flow.py tests/e2e/test_security_live_state.py \
    -k "(desktop and (happy or confirm_adds)) or test_security_live_state" -q
fi
