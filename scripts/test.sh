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

step "tests on SQLite"
python -m pytest "$@"

step "tests on PostgreSQL"
if [ "${DUCHA_SKIP_POSTGRES:-}" = 1 ]; then
  echo "skipped: DUCHA_SKIP_POSTGRES=1"
  exit 0
fi
source scripts/pg_temp.sh
pg_temp_start
trap 'pg_temp_stop; cleanup' EXIT
DUCHA_DATABASE_URL="$PG_TEMP_URL" python -m pytest -m "not browser" "$@"
