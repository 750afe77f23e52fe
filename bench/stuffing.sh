#!/usr/bin/env bash
# Stuffing: the release server with its holds as shipped, a counter's honest ratings of the
# day, then 1,000 fake ratings at it, in each way the throttles must catch. After each, the
# counter's numbers for the day as the statistics will publish them (the day's counts, less
# upheld appeals and held ratings), and the held ratings by reason.
#
#   bench/stuffing.sh                # SQLite
#   bench/stuffing.sh --postgres     # PostgreSQL at $BENCH_POSTGRES_URL
#   FAKES=300 bench/stuffing.sh      # fewer fake ratings
#
# Signed tickets (the third way, forged signatures) are not built yet; nothing measures them.
FAKES="${FAKES:-1000}"
HONEST="${HONEST:-12}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres
NO_AUTOSTART=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KEEP_HOLDS=1 start_app

# The counter's day as it will be published: counted ratings and the good rate.
published() {
  local counter="$1" day
  day=$(count "SELECT max(day) FROM ratings")
  count "SELECT (SELECT COALESCE(SUM(n1+n2+n3+n4+n5), 0) FROM rating_daily d JOIN counters c ON c.id = d.counter_id WHERE c.code = '$counter' AND d.day = '$day')
              - (SELECT COUNT(*) FROM ratings_left_out o JOIN counters c ON c.id = o.counter_id WHERE c.code = '$counter' AND o.day = '$day'),
                (SELECT COALESCE(SUM(n3+n4+n5), 0) FROM rating_daily d JOIN counters c ON c.id = d.counter_id WHERE c.code = '$counter' AND d.day = '$day')
              - (SELECT COUNT(*) FROM ratings_left_out o JOIN counters c ON c.id = o.counter_id WHERE c.code = '$counter' AND o.day = '$day' AND o.level >= 3)" \
    | tr '|' ' ' | awk '{ if ($1 > 0) printf "%d counted, good rate %.1f%%", $1, 100 * $2 / $1; else printf "0 counted, no rate" }'
}
held() {
  count "SELECT h.reason || ' ' || COUNT(*) FROM rating_holds h JOIN counters c ON c.id = h.counter_id WHERE c.code = '$1' GROUP BY h.reason ORDER BY h.reason" | tr '\n' ' '
}

for way in one-address fifty-addresses; do
  counter=$([ "$way" = one-address ] && echo A01 || echo A02)
  say "$way: $HONEST honest ratings at $counter, then $FAKES fake ones ($BACKEND)"
  echo "honest answers: $(python3 "$ROOT/bench/stuffing.py" "$APP" "$counter" honest "$HONEST")"
  before=$(published "$counter")
  start_ms=$(date +%s%3N)
  echo "fake answers:   $(python3 "$ROOT/bench/stuffing.py" "$APP" "$counter" "$way" "$FAKES") in $(( $(date +%s%3N) - start_ms )) ms"
  echo "  -> published for the day: before $before; after $(published "$counter")"
  echo "  -> held by reason: $(held "$counter")"
done
echo "public record: $(env DATABASE_URL="$DB_URL" RUST_LOG=warn "$TARGET_DIR/release/server" verify 2>&1 | tail -1)"
