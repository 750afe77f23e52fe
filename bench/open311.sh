#!/usr/bin/env bash
# Open311's public lists on a generated set (1 million ratings, 100,000 complaints over a
# year), the release server on loopback, each next to the bare axum baseline in the same run:
#   - GET /open311/v2/requests.json, the default window (the last 90 days, newest 1,000);
#   - the same, filtered by category and status;
#   - one complaint by number (requests/{id}.json).
#
#   bench/open311.sh                 # SQLite
#   bench/open311.sh --postgres      # PostgreSQL at $BENCH_POSTGRES_URL
RATINGS="${RATINGS:-1000000}"
COMPLAINTS="${COMPLAINTS:-100000}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres
NO_AUTOSTART=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-8s}"
# Open311's lists spend the downloads' budget of their address; all load comes from one.
export COUNTERPOINT_DOWNLOADS_PER_MINUTE=4000000000 COUNTERPOINT_DOWNLOADS_BURST=4000000000

say "generating the data set ($BACKEND)"
env DATABASE_URL="$DB_URL" RUST_LOG=warn "$TARGET_DIR/release/server" generate-data \
  --ratings "$RATINGS" --counters 100 --complaints "$COMPLAINTS" >/dev/null
echo "cases: $(count "SELECT COUNT(*) FROM cases WHERE kind = 'complaint'")"
start_app
for _ in $(seq 1 2400); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$APP/readyz")" = 200 ] && break
  sleep 0.05
done
ID="$(count "SELECT MAX(id) FROM cases WHERE kind = 'complaint'")"
curl -s -o /dev/null -w "requests.json: %{size_download} bytes, HTTP %{http_code}\n" "$APP/open311/v2/requests.json"

run "bare-axum-baseline" "$BASE/track/0000" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/bare-axum-baseline-8.txt"
run "requests-$BACKEND" "$APP/open311/v2/requests.json" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/requests-$BACKEND-8.txt"
run "filtered-$BACKEND" "$APP/open311/v2/requests.json?service_code=delay,rude_language&status=closed" 8 "$ROOT/bench/p95.lua"
grep p95 "$WORK/filtered-$BACKEND-8.txt"
run "one-$BACKEND" "$APP/open311/v2/requests/$ID.json" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/one-$BACKEND-8.txt"
