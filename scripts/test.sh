#!/usr/bin/env bash
# The whole test suite: lint, then every test on SQLite (one process, as a forum runs it),
# then again on real PostgreSQL and Redis servers (as several processes run it), which this
# script installs from Debian's packages if missing and starts on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory .venv/.installed-test
.venv/bin/ruff check .
.venv/bin/ruff format --check .

# The public site's browser tests drive Debian's Chromium (installed here if missing).
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh
ensure_chromium

echo "== tests on SQLite"
.venv/bin/python -m pytest -q -p no:cacheprovider

echo "== tests on PostgreSQL and Redis"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/redis.sh
source scripts/redis.sh
start_postgres
start_redis
trap 'stop_postgres; stop_redis' EXIT
TEST_DATABASE_URL="$KENESH_PG_URL" TEST_REDIS_URL="$KENESH_REDIS_URL" \
    .venv/bin/python -m pytest -q -p no:cacheprovider
