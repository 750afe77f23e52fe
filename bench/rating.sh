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
CONNECTIONS="${CONNECTIONS:-64 256}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

say "warming up"
wrk -t1 -c8 -d2s -s "$ROOT/bench/post-rating.lua" "$APP/c/A01" >/dev/null
say "measuring for $DURATION each, $THREADS wrk threads, $(nproc) cores, backend $BACKEND"
for connections in $CONNECTIONS; do
  run "bare-axum-baseline" "$BASE/c/A01" "$connections" "$ROOT/bench/post-rating.lua"; base_rps=$RPS
  run "rating-post-$BACKEND" "$APP/c/A01" "$connections" "$ROOT/bench/post-rating.lua"; app_rps=$RPS
  echo "  -> rating POSTs at $connections connections: $(( 100 * app_rps / base_rps ))% of the bare baseline"
done

stored=$(count "SELECT COUNT(*) FROM ratings")
echo "ratings stored: $stored (warm-up included; every acknowledged rating is committed and synced)"
