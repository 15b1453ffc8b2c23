#!/usr/bin/env bash
# The whole suite: lint, Django checks, tests on SQLite, then on a throwaway PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export DUCHA_DATA_DIR="${DUCHA_DATA_DIR:-$(mktemp -d)}"
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
trap pg_temp_stop EXIT
DUCHA_DATABASE_URL="$PG_TEMP_URL" python -m pytest -m "not browser" "$@"
