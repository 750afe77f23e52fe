#!/usr/bin/env bash
# Rating throughput: the release server on loopback with a fresh database, driven by wrk
# with rating POSTs, next to a bare axum handler measured in the same run.
#
#   bench/rating.sh                  # SQLite (the default backend)
#   bench/rating.sh --postgres       # PostgreSQL at $BENCH_POSTGRES_URL (a fresh database)
#   DURATION=20s CONNECTIONS="64 256" bench/rating.sh
#
# Loopback only, bounded in time. The rate limit is raised for the run: all load comes
# from one address, which the product would otherwise (rightly) throttle.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_build_tools
command -v wrk >/dev/null || apt_install wrk
command -v sqlite3 >/dev/null || apt_install sqlite3

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64 256}"
THREADS="${THREADS:-2}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres

build_release
say "building the bare axum baseline"
(cd "$ROOT" && cargo build --release -q -p bench-baseline)

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${PG_DB:-}" ]; then psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts a program that prints "listening on http://ADDR" and echoes ADDR.
start() {
  local log="$1"; shift
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    if grep -qoE 'listening on http://[0-9.:]+' "$log"; then
      grep -oE 'listening on http://[0-9.:]+' "$log" | head -1 | sed 's/listening on //'
      return
    fi
    sleep 0.1
  done
  echo "did not start: $*" >&2; cat "$log" >&2; exit 1
}

if [ "$BACKEND" = postgres ]; then
  PG_ADMIN="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
  PG_DB="cp_bench_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
  DB_URL="${PG_ADMIN%/*}/$PG_DB"
else
  DB_URL="sqlite://$WORK/bench.db"
fi

APP=$(start "$WORK/server.log" env COUNTERPOINT_BIND=127.0.0.1:0 DATABASE_URL="$DB_URL" \
  LEPTOS_SITE_ROOT="$ROOT/target/site" COUNTERPOINT_RATE_LIMIT_PER_MINUTE=4000000000 \
  COUNTERPOINT_RATE_LIMIT_BURST=4000000000 RUST_LOG=warn "$TARGET_DIR/release/server")
BASE=$(start "$WORK/baseline.log" "$TARGET_DIR/release/bench-baseline")

# Prints one result line; sets RPS to the requests per second.
run() {
  local name="$1" url="$2" connections="$3" out="$WORK/$1-$3.txt"
  wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency -s "$ROOT/bench/post-rating.lua" "$url" >"$out"
  RPS=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$out")
  local p99 total errors
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  total=$(awk '/requests in/ { print $1 }' "$out")
  errors=$(awk '/Non-2xx or 3xx/ { print $NF }' "$out")
  printf '%-22s %5s conns %9s req/s   p99 %8s   requests %9s   errors %s\n' "$name" "$connections" "$RPS" "$p99" "$total" "${errors:-0}"
}

say "warming up"
wrk -t1 -c8 -d2s -s "$ROOT/bench/post-rating.lua" "$APP/c/A01" >/dev/null
say "measuring for $DURATION each, $THREADS wrk threads, $(nproc) cores, backend $BACKEND"
for connections in $CONNECTIONS; do
  run "bare-axum-baseline" "$BASE/c/A01" "$connections"; base_rps=$RPS
  run "rating-post-$BACKEND" "$APP/c/A01" "$connections"; app_rps=$RPS
  echo "  -> rating POSTs at $connections connections: $(( 100 * app_rps / base_rps ))% of the bare baseline"
done

if [ "$BACKEND" = sqlite ]; then
  stored=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM ratings")
else
  stored=$(psql "$DB_URL" -qtAc "SELECT COUNT(*) FROM ratings")
fi
echo "ratings stored: $stored (warm-up included; every acknowledged rating is committed and synced)"
