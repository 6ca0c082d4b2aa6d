#!/usr/bin/env bash
# The whole test suite: lint, then every test on SQLite, then again on a real PostgreSQL
# server that this script installs (Debian package) if missing and starts on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory .venv/.installed-test
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== tests on SQLite"
.venv/bin/python -m pytest -q -p no:cacheprovider

echo "== tests on PostgreSQL"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
start_postgres
TEST_DATABASE_URL="$KENESH_PG_URL" .venv/bin/python -m pytest -q -p no:cacheprovider
