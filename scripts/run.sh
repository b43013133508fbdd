#!/usr/bin/env bash
# One command from a fresh clone to a running app on the embedded default:
# SQLite in data/, the provider sandbox, and a seeded demo workspace whose sign-in it prints.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" requirements.txt

echo "==> Applying database migrations and seeding the demo"
python -m socializioz.cli migrate seed
echo "==> Serving the production build on one port, on ${SOCIALIZIOZ_BIND_HOST:-127.0.0.1} (rebuilt only when sources changed)"
# Loopback by default: the demo's password is published. SOCIALIZIOZ_BIND_HOST=0.0.0.0 exposes it.
exec python scripts/serve.py --loglevel warning --backend-host "${SOCIALIZIOZ_BIND_HOST:-127.0.0.1}"
