#!/usr/bin/env bash
# `server verify` over a generated history (RATINGS ratings, default 10 million, with
# complaints and their events): the time to recompute the whole public record and check
# every row against it, then `/transparency` p95 next to the bare axum baseline.
#
#   bench/verify.sh                  # SQLite
#   bench/verify.sh --postgres       # PostgreSQL at $BENCH_POSTGRES_URL
#   RATINGS=1000000 bench/verify.sh  # a smaller set
RATINGS="${RATINGS:-10000000}"
COMPLAINTS="${COMPLAINTS:-100000}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres
NO_AUTOSTART=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-8s}"

say "generating the data set ($BACKEND, $RATINGS ratings)"
start_s=$(date +%s)
env DATABASE_URL="$DB_URL" RUST_LOG=warn "$TARGET_DIR/release/server" generate-data \
  --ratings "$RATINGS" --counters 100 --complaints "$COMPLAINTS" >/dev/null
echo "generated in $(( $(date +%s) - start_s )) s; entries: $(count "SELECT COUNT(*) FROM ledger")"

say "server verify"
start_ms=$(date +%s%3N)
rc=0
env DATABASE_URL="$DB_URL" RUST_LOG=warn "$TARGET_DIR/release/server" verify || rc=$?
echo "verify: $(( $(date +%s%3N) - start_ms )) ms (exit status $rc)"

start_app
for _ in $(seq 1 2400); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$APP/readyz")" = 200 ] && break
  sleep 0.05
done
run "bare-axum-baseline" "$BASE/track/0000" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/bare-axum-baseline-8.txt"
run "transparency-$BACKEND" "$APP/transparency" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/transparency-$BACKEND-8.txt"
