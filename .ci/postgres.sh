# A throwaway PostgreSQL cluster for the tests, sourced by .ci/run (and usable by hand:
#   source .ci/postgres.sh && start_test_postgres ... stop_test_postgres).
# Its data folder and unix socket live in a private temporary folder; it listens on no TCP
# port, trusts only that socket, and is removed by stop_test_postgres.

_pg_bin_dir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$found" && -x "$found/initdb" ]] && echo "$found"
}

# PostgreSQL refuses to run as root: CI runs as root, so the cluster belongs to `postgres`.
_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_test_postgres() {
  local bin
  if ! bin=$(_pg_bin_dir); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    bin=$(_pg_bin_dir)
  fi
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  TRACKER_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tracker-pg.XXXXXX")
  [[ $(id -u) -eq 0 ]] && chown postgres "$TRACKER_PG_DIR"
  chmod 700 "$TRACKER_PG_DIR"
  _pg_as_owner "$bin/initdb" --pgdata="$TRACKER_PG_DIR/data" --username=tracker \
    --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$TRACKER_PG_DIR/initdb.log"
  # Durability is worth nothing in a cluster thrown away after the run; speed is.
  _pg_as_owner "$bin/pg_ctl" --pgdata="$TRACKER_PG_DIR/data" --log="$TRACKER_PG_DIR/server.log" \
    --wait --silent start \
    -o "-c listen_addresses='' -k $TRACKER_PG_DIR -p 5432 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  export TRACKER_PG_BIN="$bin"
  export TRACKER_PG_DIR
  export TRACKER_TEST_POSTGRES_URL="postgresql+psycopg://tracker@/postgres?host=$TRACKER_PG_DIR&port=5432"
  export TRACKER_REQUIRE_POSTGRES=1
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') test server at $TRACKER_PG_DIR"
}

stop_test_postgres() {
  [[ -n "${TRACKER_PG_DIR:-}" && -d "$TRACKER_PG_DIR" ]] || return 0
  _pg_as_owner "$TRACKER_PG_BIN/pg_ctl" --pgdata="$TRACKER_PG_DIR/data" --mode=fast --wait \
    --silent stop || true
  rm -rf "$TRACKER_PG_DIR"
  unset TRACKER_PG_DIR
}
