#!/usr/bin/env bash
# The whole test suite: lint and type check, then every test on SQLite (one process, as a
# forum runs it), then again on real PostgreSQL and Redis servers (as several processes run
# it), which this script installs from Debian's packages if missing and starts on 127.0.0.1.
# Line coverage of both passes together (bot processes the tests start included) is printed
# at the end, and the run fails below COVERAGE_MIN percent.
set -euo pipefail
cd "$(dirname "$0")/.."
# Measured: 95 % for both passes together (a fresh clone of c503cc0, `CI=true bash .ci/run`).
COVERAGE_MIN="${COVERAGE_MIN:-90}"

make --no-print-directory .venv/.installed-test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy

rm -f .coverage .coverage.*
# The 25 slowest tests of each pass are listed: where the suite's time goes (issue 14).
coverage_run=(.venv/bin/python -m coverage run -m pytest -q -p no:cacheprovider --durations=25)

# The public site's browser tests drive Debian's Chromium (installed here if missing).
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh
ensure_chromium

echo "== tests on SQLite"
"${coverage_run[@]}"

echo "== tests on PostgreSQL and Redis"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/redis.sh
source scripts/redis.sh
start_postgres
start_redis
trap 'stop_postgres; stop_redis' EXIT
TEST_DATABASE_URL="$KENESH_PG_URL" TEST_REDIS_URL="$KENESH_REDIS_URL" "${coverage_run[@]}"

echo "== line coverage (SQLite and PostgreSQL passes together; files at 100% not listed)"
.venv/bin/python -m coverage combine --quiet
.venv/bin/python -m coverage report --fail-under="$COVERAGE_MIN"
