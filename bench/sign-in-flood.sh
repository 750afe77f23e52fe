#!/usr/bin/env bash
# A flood of wrong sign-ins beside the rating form: rating POSTs alone, then the same with
# 64 connections sending wrong sign-ins under ever new names (each a password check, as
# from an attacker with many addresses: the per-address limit is raised for the run), and
# the server's peak memory. Password checks are paced (`CheckGate`): the flood must leave
# ratings at 90% of their rate alone and the server under 300 MB.
#
#   bench/sign-in-flood.sh              # SQLite
#   DURATION=20s bench/sign-in-flood.sh
BACKEND=sqlite
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

say "warming up"
wrk -t1 -c8 -d2s -s "$ROOT/bench/post-rating.lua" "$APP/c/A01" >/dev/null
say "rating POSTs alone, then beside the flood, $DURATION each"
run "rating-alone" "$APP/c/A01" 64 "$ROOT/bench/post-rating.lua"; alone=$RPS
seconds="${DURATION%s}"
wrk -t1 -c64 -d"$(( seconds + 4 ))s" -s "$ROOT/bench/sign-in-flood.lua" "$APP/staff/login" >"$WORK/flood.txt" &
flood=$!
sleep 2
run "rating-beside-sign-in-flood" "$APP/c/A01" 64 "$ROOT/bench/post-rating.lua"; beside=$RPS
wait "$flood"
# Alone again after the flood: this machine's speed drifts, so the flood is set against the
# mean of a run before it and one after it.
run "rating-alone-after" "$APP/c/A01" 64 "$ROOT/bench/post-rating.lua"; alone=$(( (alone + RPS) / 2 ))
echo "  -> rating POSTs beside the flood: $(( 100 * beside / alone ))% of their rate alone (mean of before and after)"
sent=$(awk '/requests in/ { print $1 }' "$WORK/flood.txt")
echo "  -> sign-ins sent by the flood: $sent ($(awk '/Requests\/sec/ { print $2 }' "$WORK/flood.txt")/s)"
echo "  -> server peak memory: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$APP_PID/status")"
