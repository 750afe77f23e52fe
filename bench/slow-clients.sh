#!/usr/bin/env bash
# Slow clients: rating-page GETs measured by wrk (p99 in the table), first alone, then
# while SLOW (1,000) other connections idle or trickle their headers or bodies a byte a
# second (bench/slow-clients.py), against the release server on loopback. The server cuts
# each slow one after its header deadline or when its body falls behind the minimum pace.
#
#   bench/slow-clients.sh
#   SLOW=2000 DURATION=20s bench/slow-clients.sh
SLOW="${SLOW:-1000}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
host_port="${APP#http://}"
say "rating page GETs, alone, then beside $SLOW slow connections ($DURATION each)"
run "bare-axum-baseline" "$BASE/track/0000000000000000000000000" 16
run "rating-page-alone" "$APP/c/A01" 16
python3 "$ROOT/bench/slow-clients.py" "${host_port%:*}" "${host_port##*:}" "$SLOW" > "$WORK/slow.txt" &
slow_pid=$!
sleep 3
run "rating-page-beside-slow" "$APP/c/A01" 16
kill -TERM "$slow_pid"; wait "$slow_pid" 2>/dev/null || true
cat "$WORK/slow.txt"
