#!/usr/bin/env bash
# `make messages`: refresh the template and both catalogs from the code, in one canonical form
# (sorted, unwrapped, no locations, no obsolete entries, a fixed creation date), so that running
# it twice changes nothing and tests/test_catalogs.py can check the catalogs are in that form.
# Usage: scripts/messages.sh [LOCALES_DIR] (default: locales). pybabel comes from PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
locales="${1:-locales}"

pybabel -q extract -F babel.cfg -k _ -k N_ -k __ --no-location --sort-output --no-wrap \
    -o "$locales/messages.pot" bot handlers db
pybabel -q update -i "$locales/messages.pot" -d "$locales" -D messages --no-wrap \
    --no-fuzzy-matching --ignore-obsolete
# pybabel stamps the time of the run: keep a fixed date, or every run would change the files.
sed -i 's/^"POT-Creation-Date: .*"$/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/' \
    "$locales/messages.pot" "$locales"/*/LC_MESSAGES/messages.po
