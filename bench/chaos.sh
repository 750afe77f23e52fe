#!/usr/bin/env bash
# Crash under load: the release server is killed with SIGKILL at a random moment while
# ratings, complaints with photos, tracking reads and staff acceptances pour in, restarted,
# and checked against the clients' record of every acknowledged write (20 cycles unless
# CYCLES says otherwise). Prints cycles, requests, writes acknowledged, lost and
# half-written (both must be 0: the run fails otherwise), and the slowest restart.
#
#   bench/chaos.sh               # SQLite
#   bench/chaos.sh --postgres    # PostgreSQL on 127.0.0.1:5432
#
# The load driver is server/tests/chaos.rs (the README's test command runs it for two
# cycles on each backend against the debug build).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_build_tools
build_release
backend=sqlite
[ "${1:-}" = --postgres ] && backend=postgres
say "${CYCLES:-20} kill -9 cycles on $backend against the release build"
cd "$ROOT"
COUNTERPOINT_SERVER_BINARY="$TARGET_DIR/release/server" COUNTERPOINT_CHAOS_CYCLES="${CYCLES:-20}" \
  cargo test -q -p server --features app/test-support --test chaos -- --nocapture --exact \
  "a_server_killed_under_load_on_${backend}_loses_no_acknowledged_write"
