#!/usr/bin/env bash
# Complaint intake and tracking: the release server on loopback with a fresh database,
# driven by wrk, next to a bare axum handler measured in the same run.
#   - complaint POSTs, text only (urlencoded) and with one 200 KB JPEG (multipart);
#   - tracking page GETs (`/track/{token}`) at 16 connections.
#
#   bench/complaint.sh               # SQLite (the default backend)
#   bench/complaint.sh --postgres    # PostgreSQL at $BENCH_POSTGRES_URL (a fresh database)
#   DURATION=20s bench/complaint.sh
#
# Loopback only, bounded in time. The rate limit is raised for the run: all load comes
# from one address, which the product would otherwise (rightly) throttle.
POST_CONNECTIONS="${POST_CONNECTIONS:-64}"
BACKEND=sqlite
[ "${1:-}" = "--postgres" ] && BACKEND=postgres
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A 200 KB test JPEG: JFIF, an EXIF block with a location (stripped on the way in),
# tables, one scan of entropy-coded bytes.
python3 - "$WORK/photo.jpg" <<'PY'
import struct, sys, random
random.seed(7)
def seg(marker, data): return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data
exif = b"Exif\x00\x00" + b"GPS 23.129,113.264 " * 200
parts = [b"\xff\xd8", seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), seg(0xE1, exif),
         seg(0xDB, b"\x00" + bytes(range(1, 65))),
         seg(0xC0, b"\x08\x02\x00\x02\x00\x01\x01\x11\x00"),
         seg(0xC4, b"\x00" + bytes([0, 1] + [0] * 14) + b"\x00"),
         seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")]
body = bytes(random.randrange(0, 0xFF) for _ in range(200 * 1024 - sum(map(len, parts)) - 2))
open(sys.argv[1], "wb").write(b"".join(parts) + body + b"\xff\xd9")
PY

# One complaint to follow, and its token.
TOKEN=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$APP/complain" \
  --data 'step=send&category=delay&counter=A01&occurred_on=2026-03-02&what_happened=Waited&identity=anonymous&submission_id=bench-track' \
  | sed -E 's#.*/track/([0-9a-z]+).*#\1#')
[ ${#TOKEN} -eq 26 ] || { echo "could not file the complaint to track: '$TOKEN'" >&2; cat "$WORK/server.log" >&2; exit 1; }

say "warming up"
wrk -t1 -c8 -d2s "$APP/track/$TOKEN" >/dev/null
say "measuring for $DURATION each, $THREADS wrk threads, $(nproc) cores, backend $BACKEND"
run "bare-axum-post" "$BASE/complain" "$POST_CONNECTIONS" "$ROOT/bench/post-complaint.lua"; base=$RPS
run "complaint-post-text" "$APP/complain" "$POST_CONNECTIONS" "$ROOT/bench/post-complaint.lua"; text=$RPS
echo "  -> text complaints: $(( 100 * text / base ))% of the bare baseline (target 5,000/s)"
export PHOTO="$WORK/photo.jpg"
run "bare-axum-post-200k" "$BASE/complain" "$POST_CONNECTIONS" "$ROOT/bench/post-complaint.lua"; base=$RPS
run "complaint-post-photo-200k" "$APP/complain" "$POST_CONNECTIONS" "$ROOT/bench/post-complaint.lua"; photo=$RPS
echo "  -> complaints with a 200 KB photo: $(( 100 * photo / base ))% of the bare baseline (target 5,000/s)"
unset PHOTO
run "bare-axum-get" "$BASE/track/$TOKEN" 16 ""; base=$RPS
run "tracking-get" "$APP/track/$TOKEN" 16 ""; track=$RPS
echo "  -> tracking page: $(( 100 * track / base ))% of the bare baseline (target 10,000/s, p99 < 20 ms)"
# The same over 200 cases in turn: views of different cases arrive together.
TOKENS=""
for i in $(seq 1 200); do
  TOKENS="$TOKENS $(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$APP/complain" \
    --data "step=send&category=delay&counter=A01&occurred_on=2026-03-02&what_happened=Waited&identity=anonymous&submission_id=bench-many-$i" \
    | sed -E 's#.*/track/([0-9a-z]+).*#\1#')"
done
export TOKENS
wrk -t1 -c16 -d2s -s "$ROOT/bench/track-many.lua" "$APP" >/dev/null
run "tracking-get-200-cases" "$APP" 16 "$ROOT/bench/track-many.lua"; many=$RPS
echo "  -> tracking pages of 200 cases in turn: $(( 100 * many / base ))% of the bare baseline (target 10,000/s, p99 < 20 ms)"

stored=$(count "SELECT COUNT(*) FROM cases")
photos=$(count "SELECT COUNT(*) FROM photos WHERE case_id IS NOT NULL")
echo "complaints stored: $stored, photos stored: $photos (each acknowledged complaint is committed)"
if grep -q "GPS 23.129" -r "$WORK/photos" 2>/dev/null; then echo "a stored photo kept its location!" >&2; exit 1; fi
