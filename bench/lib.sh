# Shared by the benchmark scripts: tools, the release build and the baseline, a fresh
# database, starting servers that print "listening on http://ADDR", a wrk run, clean-up.
# Source it with BACKEND set (sqlite or postgres).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_build_tools
command -v wrk >/dev/null || apt_install wrk
command -v sqlite3 >/dev/null || apt_install sqlite3

DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"

build_release
say "building the bare axum baseline"
(cd "$ROOT" && cargo build --release -q -p bench-baseline)

WORK="$(mktemp -d)"
# Servers are started inside $(…), a subshell: their ids go to a file the cleanup reads.
cleanup() {
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$WORK/pids"
  fi
  wait 2>/dev/null || true
  if [ -n "${PG_DB:-}" ]; then psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts a program that prints "listening on http://ADDR" and echoes ADDR.
start() {
  local log="$1"; shift
  "$@" >"$log" 2>&1 &
  echo $! >> "$WORK/pids"
  for _ in $(seq 1 300); do
    if grep -qoE 'listening on http://[0-9.:]+' "$log"; then
      grep -oE 'listening on http://[0-9.:]+' "$log" | head -1 | sed 's/listening on //'
      return
    fi
    sleep 0.1
  done
  echo "did not start: $*" >&2; cat "$log" >&2; exit 1
}

if [ "${BACKEND:-sqlite}" = postgres ]; then
  PG_ADMIN="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
  PG_DB="cp_bench_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null
  DB_URL="${PG_ADMIN%/*}/$PG_DB"
else
  DB_URL="sqlite://$WORK/bench.db"
fi

# The release server on a free port with the demo, the rate limit and the stuffing holds
# raised (all load comes from one address, which the product would otherwise rightly
# throttle and hold; KEEP_HOLDS=1 keeps the holds as shipped); and the baseline.
# (A script that must fill the database first sets NO_AUTOSTART=1 and calls start_app.)
start_app() {
  local holds=()
  [ -n "${KEEP_HOLDS:-}" ] || holds=(COUNTERPOINT_HOLD_PER_DEVICE=4000000000 COUNTERPOINT_HOLD_PER_ADDRESS=4000000000
    COUNTERPOINT_HOLD_PER_COUNTER=4000000000 COUNTERPOINT_HOLD_BURST_FLOOR=4000000000)
  APP=$(start "$WORK/server.log" env COUNTERPOINT_BIND=127.0.0.1:0 DATABASE_URL="$DB_URL" \
    COUNTERPOINT_PHOTO_DIR="$WORK/photos" COUNTERPOINT_EXPORT_DIR="$WORK/exports" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    COUNTERPOINT_RATE_LIMIT_PER_MINUTE=4000000000 COUNTERPOINT_RATE_LIMIT_BURST=4000000000 \
    COUNTERPOINT_TRUSTED_PROXIES=127.0.0.1 "${holds[@]}" \
    RUST_LOG=warn "$TARGET_DIR/release/server")
  APP_PID="$(tail -1 "$WORK/pids")"
}
[ -n "${NO_AUTOSTART:-}" ] || start_app
BASE=$(start "$WORK/baseline.log" "$TARGET_DIR/release/bench-baseline")

# A SQL count on the benchmark's database.
count() {
  if [ "${BACKEND:-sqlite}" = sqlite ]; then sqlite3 "$WORK/bench.db" "$1"; else psql "$DB_URL" -qtAc "$1"; fi
}

# run NAME URL CONNECTIONS [LUA]: one wrk run; prints a result line, sets RPS.
run() {
  local name="$1" url="$2" connections="$3" script="${4:-}" out="$WORK/$1-$3.txt"
  if [ -n "$script" ]; then
    wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency -s "$script" "$url" >"$out"
  else
    wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency "$url" >"$out"
  fi
  RPS=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$out")
  local p99 total errors
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  total=$(awk '/requests in/ { print $1 }' "$out")
  errors=$(awk '/Non-2xx or 3xx/ { print $NF }' "$out")
  printf '%-26s %4s conns %8s req/s   p99 %8s   requests %8s   errors %s\n' "$name" "$connections" "$RPS" "$p99" "$total" "${errors:-0}"
}
