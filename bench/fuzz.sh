#!/usr/bin/env bash
# The request fuzzer against the release build: REQUESTS (100,000) generated requests at
# every route, signed in as each role and as nobody. Prints how many were answered, how many
# got 500 or more (the run fails on any, or on a panic in the server's log), and the
# server's resident memory after warm-up and after the run.
#
#   bench/fuzz.sh
#   REQUESTS=20000 bench/fuzz.sh
#   SEED=1234 bench/fuzz.sh       # the requests of an earlier run again
#
# The driver is server/tests/fuzz.rs; the README's test command sends 2,000 to the debug build.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_build_tools
build_release
cd "$ROOT"
say "${REQUESTS:-100000} generated requests against the release build"
COUNTERPOINT_SERVER_BINARY="$TARGET_DIR/release/server" COUNTERPOINT_FUZZ_REQUESTS="${REQUESTS:-100000}" \
  COUNTERPOINT_FUZZ_SEED="${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}" \
  cargo test -q -p server --features app/test-support --test fuzz -- --nocapture
