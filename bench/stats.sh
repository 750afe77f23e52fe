#!/usr/bin/env bash
# Statistics on a generated year: 10 million ratings over 365 days, 500 counters, 100,000
# complaints (the generator prints a progress bar), then the release server on loopback:
#   - /stats for the whole centre over the year: the first (computed) answer once the
#     server says it is ready (/readyz), then wrk
#     (p95 from bench/p95.lua) on the same view, which is cached until it can change;
#   - 20 different counters' and 20 departments' year views and the whole centre's last 12
#     months one by one, each computed once (uncached): their p95;
#   - the open-data CSV of the whole year: the first download, 20 more (kept by ETag), and
#     20 other years each once (days rendered ahead, joined); the server's peak memory;
#   - rating POSTs on the big database next to the bare axum baseline.
#
#   bench/stats.sh                 # SQLite
#   bench/stats.sh --postgres      # PostgreSQL at $BENCH_POSTGRES_URL
#   RATINGS=1000000 COMPLAINTS=10000 bench/stats.sh    # a smaller set
RATINGS="${RATINGS:-10000000}"
COUNTERS="${COUNTERS:-500}"
COMPLAINTS="${COMPLAINTS:-100000}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres
NO_AUTOSTART=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-8s}"

say "generating the data set ($BACKEND)"
/usr/bin/time -f "generator: %e s, peak memory %M KB" env DATABASE_URL="$DB_URL" RUST_LOG=warn \
  "$TARGET_DIR/release/server" generate-data --ratings "$RATINGS" --counters "$COUNTERS" --complaints "$COMPLAINTS"
echo "ratings stored: $(count "SELECT COUNT(*) FROM ratings"); cases: $(count "SELECT COUNT(*) FROM cases")"
start_app
YEAR_AT="$(date -d yesterday +%Y-%m-%d)"
VIEW="/stats?period=custom&from=$(date -d '365 days ago' +%Y-%m-%d)&to=$YEAR_AT"

say "the whole centre over the year"
# A load balancer sends citizens to a server once /readyz says its start-up work (the
# first roll-up, the open data rendered ahead) is done; so does this script.
started=$(date +%s.%N)
for _ in $(seq 1 2400); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$APP/readyz")" = 200 ] && break
  sleep 0.05
done
echo "ready $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s after listening"
curl -s -o /dev/null -w "first answer (computed): %{time_total} s, %{size_download} bytes, HTTP %{http_code}\n" "$APP$VIEW"
# The same year one day later is computed on the same roll-ups, its data now cached.
curl -s -o /dev/null -w "a year one day later (computed): %{time_total} s, HTTP %{http_code}\n" \
  "$APP/stats?period=custom&from=$(date -d '364 days ago' +%Y-%m-%d)&to=$YEAR_AT"
run "bare-axum-baseline" "$BASE/track/0000" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/bare-axum-baseline-8.txt"
run "stats-year-$BACKEND" "$APP$VIEW" 8 "$ROOT/bench/p95.lua"; grep p95 "$WORK/stats-year-$BACKEND-8.txt"

say "20 counters' year views, each computed (no cache)"
times=()
for n in $(seq 1 20); do
  code=$(printf 'G%03d' "$n")
  times+=("$(curl -s -o /dev/null -w '%{time_total}' "$APP$VIEW&level=counter&unit=$code")")
done
summary() { sort -n | awk -v what="$1" '{ a[NR] = $1 } END { printf "%s: median %.1f ms, p95 %.1f ms, max %.1f ms\n", what, a[int(NR/2)+1]*1000, a[int(NR*0.95)]*1000, a[NR]*1000 }'; }
printf '%s\n' "${times[@]}" | summary "counter views"
times=()
for code in $(count "SELECT code FROM departments ORDER BY code LIMIT 20"); do
  times+=("$(curl -s -o /dev/null -w '%{time_total}' "$APP$VIEW&level=department&unit=$code")")
done
printf '%s\n' "${times[@]}" | summary "department views (${#times[@]})"
times=()
for m in $(seq 1 12); do
  at=$(date -d "$m months ago" +%Y-%m-01)
  times+=("$(curl -s -o /dev/null -w '%{time_total}' "$APP/stats?period=month&at=$at")")
done
printf '%s\n' "${times[@]}" | summary "whole-centre month views (12)"

say "open data for the year"
# The downloads land in memory (/dev/shm), not on this machine's disk: a file written by
# the client (truncated and written again for each kept download) is not server time.
GOT="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
trap 'rm -rf "$GOT"; cleanup' EXIT
EXPORT="$APP/stats/export.csv?period=custom&from=$(date -d '365 days ago' +%Y-%m-%d)&to=$YEAR_AT"
curl -s -o "$GOT/year.csv" -w "export.csv, first download: %{time_total} s, %{size_download} bytes, HTTP %{http_code}\n" "$EXPORT"
echo "rows: $(( $(wc -l < "$GOT/year.csv") - 2 ))"
times=()
for n in $(seq 1 20); do
  times+=("$(curl -s -o "$GOT/again.csv" -w '%{time_total}' "$EXPORT")")
done
cmp -s "$GOT/year.csv" "$GOT/again.csv" && echo "the kept download is the same file" || echo "THE KEPT DOWNLOAD DIFFERS"
printf '%s\n' "${times[@]}" | summary "export.csv, 20 more downloads"
# Ranges never asked for before (another ETag each, so nothing kept whole): the days are
# joined from those the server rendered ahead at start.
times=()
for n in $(seq 1 20); do
  from=$(date -d "$((365 + n)) days ago" +%Y-%m-%d); to=$(date -d "$((1 + n)) days ago" +%Y-%m-%d)
  times+=("$(curl -s -o /dev/null -w '%{time_total}' "$APP/stats/export.csv?period=custom&from=$from&to=$to")")
done
printf '%s\n' "${times[@]}" | summary "export.csv, 20 other years, each downloaded once"
echo "server memory: $(awk '/VmRSS|VmHWM/ { printf "%s %d MB  ", $1, $2/1024 }' "/proc/$APP_PID/status")"

say "rating POSTs on the big database"
run "bare-axum-baseline" "$BASE/c/A01" 64 "$ROOT/bench/post-rating.lua"; base_rps=$RPS
run "rating-post-$BACKEND" "$APP/c/A01" 64 "$ROOT/bench/post-rating.lua"; app_rps=$RPS
echo "  -> $(( 100 * app_rps / base_rps ))% of the bare baseline"
echo "server memory after: $(awk '/VmRSS|VmHWM/ { printf "%s %d MB  ", $1, $2/1024 }' "/proc/$APP_PID/status")"
