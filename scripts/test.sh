#!/usr/bin/env bash
# The whole suite: lint, Django checks, tests on SQLite, then on a throwaway PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
own_data_dir=""; [ -n "${DUCHA_DATA_DIR:-}" ] || own_data_dir="$(mktemp -d)"
export DUCHA_DATA_DIR="${DUCHA_DATA_DIR:-$own_data_dir}"
cleanup() { [ -z "$own_data_dir" ] || rm -rf "$own_data_dir"; }  # leave nothing in /tmp
trap cleanup EXIT
unset DUCHA_DATABASE_URL

step() { printf '\n== %s\n' "$*"; }

step "ruff"
ruff check .
ruff format --check .

step "django checks"
ducha check --fail-level WARNING
ducha makemigrations --check --dry-run

# Test files are spread over DUCHA_TEST_WORKERS processes (default: one per core, at most 4);
# a file stays on one worker, so its module-scoped demo data is loaded once.
workers="${DUCHA_TEST_WORKERS:-$(python -c 'import os; print(min(4, os.cpu_count() or 1))')}"
parallel=(-n "$workers" --dist loadfile)
[ "$workers" -le 1 ] && parallel=()

step "tests on SQLite"
python -m pytest "${parallel[@]}" "$@"

step "tests on PostgreSQL"
if [ "${DUCHA_SKIP_POSTGRES:-}" = 1 ]; then
  echo "skipped: DUCHA_SKIP_POSTGRES=1"
  exit 0
fi
source scripts/pg_temp.sh
pg_temp_start
trap 'pg_temp_stop; cleanup' EXIT
# Only the tests that touch the database: the others ran above and would run unchanged.
# Browser tests only where marked both_databases (the hostile-text sweep of every page).
DUCHA_DATABASE_URL="$PG_TEMP_URL" DUCHA_DB_TESTS_ONLY=1 \
  python -m pytest "${parallel[@]}" -m "not browser or both_databases" "$@"
