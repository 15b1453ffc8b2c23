# Start and stop a throwaway PostgreSQL cluster in a temporary directory (sourced by test.sh
# and the benches). Unix socket only; nothing listens on the network; fsync off for speed.

pg_temp_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && echo "$dir"
  done | sort -V | tail -n 1
}

pg_temp_as_owner() {
  # PostgreSQL refuses to run as root; CI runs as root, so run as the postgres user there.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_temp_start() {
  PG_TEMP_BIN="$(pg_temp_bin)"
  if [ -z "$PG_TEMP_BIN" ]; then
    echo "PostgreSQL server binaries not found: apt-get install postgresql (or DUCHA_SKIP_POSTGRES=1)" >&2
    return 1
  fi
  PG_TEMP_DIR="$(mktemp -d -t ducha-pg.XXXXXX)"
  chmod 755 "$PG_TEMP_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEMP_DIR"
  pg_temp_as_owner "$PG_TEMP_BIN/initdb" -D "$PG_TEMP_DIR/data" -U ducha -A trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_TEMP_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEMP_DIR/initdb.log" >&2; return 1; }
  pg_temp_as_owner "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -l "$PG_TEMP_DIR/server.log" -w \
    -o "-k $PG_TEMP_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PG_TEMP_DIR/server.log" >&2; return 1; }
  pg_temp_as_owner "$PG_TEMP_BIN/createdb" -h "$PG_TEMP_DIR" -U ducha ducha
  PG_TEMP_URL="postgres://ducha@/ducha?host=$PG_TEMP_DIR"
  export PG_TEMP_URL PG_TEMP_DIR PG_TEMP_BIN
  echo "PostgreSQL $("$PG_TEMP_BIN/postgres" --version | awk '{print $3}') running in $PG_TEMP_DIR"
}

pg_temp_stop() {
  [ -n "${PG_TEMP_DIR:-}" ] || return 0
  pg_temp_as_owner "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEMP_DIR"
  PG_TEMP_DIR=""
}
