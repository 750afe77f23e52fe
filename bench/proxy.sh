#!/usr/bin/env bash
# Rating POSTs through Debian's nginx in front of three app servers over one PostgreSQL,
# next to one server reached directly and one behind the same nginx, and the bare axum
# baseline, all in the same run on loopback.
#
#   bench/proxy.sh
#   DURATION=20s CONNECTIONS=128 bench/proxy.sh
#
# On a machine of two cores the three servers, nginx, PostgreSQL and wrk share them: the
# figure shows what the proxy and the sharing cost here, not how three machines scale.
CONNECTIONS="${CONNECTIONS:-64}"
BACKEND=postgres
NO_AUTOSTART=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -x /usr/sbin/nginx ] || apt_install nginx-light

start_app
ONE="$APP"
others=()
for i in 2 3; do
  others+=("$(start "$WORK/server-$i.log" env COUNTERPOINT_BIND=127.0.0.1:0 DATABASE_URL="$DB_URL" \
    COUNTERPOINT_PHOTO_DIR="$WORK/photos" COUNTERPOINT_EXPORT_DIR="$WORK/exports-$i" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    COUNTERPOINT_RATE_LIMIT_PER_MINUTE=4000000000 COUNTERPOINT_RATE_LIMIT_BURST=4000000000 \
    RUST_LOG=warn "$TARGET_DIR/release/server")")
done
strip() { echo "${1#http://}"; }
mkdir -p "$WORK/proxy-one" "$WORK/proxy-three"
PROXY_ONE=$(start "$WORK/proxy-one.log" "$ROOT/scripts/proxy" "$ROOT/target/site" "$WORK/proxy-one" "$(strip "$ONE")")
PROXY_THREE=$(start "$WORK/proxy-three.log" "$ROOT/scripts/proxy" "$ROOT/target/site" "$WORK/proxy-three" \
  "$(strip "$ONE")" "$(strip "${others[0]}")" "$(strip "${others[1]}")")

say "warming up"
wrk -t1 -c8 -d2s -s "$ROOT/bench/post-rating.lua" "$PROXY_THREE/c/A01" >/dev/null
say "measuring for $DURATION each, $THREADS wrk threads, $(nproc) cores"
for connections in $CONNECTIONS; do
  run "bare-axum-baseline" "$BASE/c/A01" "$connections" "$ROOT/bench/post-rating.lua"; base=$RPS
  run "one-server-direct" "$ONE/c/A01" "$connections" "$ROOT/bench/post-rating.lua"; one=$RPS
  run "nginx-one-server" "$PROXY_ONE/c/A01" "$connections" "$ROOT/bench/post-rating.lua"; proxied=$RPS
  run "nginx-three-servers" "$PROXY_THREE/c/A01" "$connections" "$ROOT/bench/post-rating.lua"; three=$RPS
  echo "  -> $connections connections: one server $(( 100 * one / base ))% of the baseline;" \
    "behind nginx $(( 100 * proxied / one ))% of direct; three behind nginx $(( 100 * three / one ))% of one direct"
done
stored=$(count "SELECT COUNT(*) FROM ratings")
echo "ratings stored: $stored (warm-up included; every acknowledged rating is committed)"
