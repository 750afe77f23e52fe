#!/usr/bin/env bash
# Rating throughput: the release server on loopback with a fresh database, driven by wrk
# with rating POSTs, next to a bare axum handler measured in the same run.
#
#   bench/rating.sh                  # SQLite (the default backend)
#   bench/rating.sh --postgres       # PostgreSQL at $BENCH_POSTGRES_URL (a fresh database)
#   DURATION=20s CONNECTIONS="64 256" bench/rating.sh
#   SKIP_LEDGER_AB=1 bench/rating.sh # without the run that drops the public record's trigger
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

# The public record's share: the same load with the ratings' recording trigger dropped (the
# rest of the product unchanged), in the same run and on the same database.
if [ -z "${SKIP_LEDGER_AB:-}" ]; then
  ledger_rps=$app_rps
  if [ "$BACKEND" = sqlite ]; then count "DROP TRIGGER ratings_are_recorded" >/dev/null; else count "DROP TRIGGER ratings_are_recorded ON ratings" >/dev/null; fi
  run "rating-post-$BACKEND-without-ledger" "$APP/c/A01" "$connections" "$ROOT/bench/post-rating.lua"
  echo "  -> with the public record: $(( 100 * ledger_rps / RPS ))% of the rate without it ($connections connections)"
fi

stored=$(count "SELECT COUNT(*) FROM ratings")
echo "ratings stored: $stored (warm-up included; every acknowledged rating is committed and synced)"
