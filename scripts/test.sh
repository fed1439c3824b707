#!/usr/bin/env bash
# `make test`: fmt check, dev build, then Playwright against the dev-built server (on
# 127.0.0.1:3100, a fresh database) alongside lint (scripts/lint.sh), `cargo nextest run
# --features ssr` and `cargo sqlx prepare --check` (the committed .sqlx/ matches the queries
# and migrations). Exits non-zero if any step fails; the last line of output is
# "N passed, M failed" (Rust tests + Playwright together).
#
#   scripts/test.sh          everything
#   scripts/test.sh rust     fmt + build + lint + Rust tests + sqlx prepare check
#   scripts/test.sh e2e      build + Playwright
# Env: E2E_ARGS (extra `playwright test` args), CR_E2E_PORT (3100), CR_KEEP_E2E_DB=1,
#      CR_E2E_BIN (serve this server binary instead of the dev build),
#      TEST_DATABASE_URL (use that server instead of the local test cluster).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WHAT=${1:-all}
case $WHAT in all | rust | e2e) ;; *) echo "usage: $0 [all|rust|e2e]" >&2; exit 2 ;; esac

PASSED=0 FAILED=0 FAILED_STEPS=() SERVER_PID="" E2E_DB="" E2E_TMP="" MOTO_PID="" E2E_PID="" E2E_SECS=""
LOGS=$ROOT/target/test-logs # target/ is git-ignored; logs survive for inspection
mkdir -p "$LOGS"

# Each step's start, so the run can say where its time went (printed at the end, and kept
# for `make bench` in $CACHE/timings/make-test-steps.tsv).
STEP_NAMES=() STEP_STARTS=()
step() {
  STEP_NAMES+=("$*") STEP_STARTS+=("$SECONDS")
  printf '\n==> %s\n' "$*" >&2
}
step_times() { # one "seconds<TAB>step" line per step
  local i end
  for i in "${!STEP_NAMES[@]}"; do
    end=${STEP_STARTS[i + 1]:-$SECONDS}
    printf '%s\t%s\n' "$((end - STEP_STARTS[i]))" "${STEP_NAMES[i]%%:*}"
  done
  if [[ -n $E2E_SECS ]]; then printf '%s\t%s\n' "$E2E_SECS" "end-to-end, alongside (its own time)"; fi
}

cleanup() {
  if [[ -n $E2E_PID ]]; then kill "$E2E_PID" 2>/dev/null || true; wait "$E2E_PID" 2>/dev/null || true; fi
  E2E_PID=""
  if [[ -n $MOTO_PID ]]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
  MOTO_PID=""
}

# The e2e run's own clean-up (it runs in a subshell of its own, see run_e2e).
cleanup_e2e() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  if [[ -n $E2E_DB && -z ${CR_KEEP_E2E_DB:-} ]]; then
    "$ROOT/scripts/db.sh" --test drop-db "$E2E_DB" >/dev/null 2>&1 || true
  fi
  if [[ -n $E2E_TMP ]]; then rm -rf "$E2E_TMP"; fi
}

on_exit() {
  local rc=$?
  trap - EXIT
  cleanup
  if ((${#FAILED_STEPS[@]})); then echo "FAILED: ${FAILED_STEPS[*]}"; fi
  if ((rc == 0 && (FAILED > 0 || ${#FAILED_STEPS[@]} > 0))); then rc=1; fi
  echo "time by step (s):" >&2
  step_times | sed 's/^/  /' >&2
  echo "$PASSED passed, $FAILED failed" | tee "$LOGS/summary.txt"
  # Every full run's duration, for `make bench` (issue 13: cold and incremental build times).
  if [[ $WHAT == all && -n ${TEST_WARMTH:-} ]]; then
    mkdir -p "$CACHE/timings"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" \
      "$((SECONDS - TEST_START))" "$TEST_WARMTH" "$([[ $rc == 0 ]] && echo passed || echo failed)" \
      >>"$CACHE/timings/make-test.tsv"
    step_times | sed "s/^/$(date -u +%FT%TZ)\t$TEST_WARMTH\t/" >>"$CACHE/timings/make-test-steps.tsv"
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# Playwright against the dev-built server, with a fresh database. Writes "passed failed" and
# the steps that failed to $LOGS/e2e.result; run in a subshell (its own traps and clean-up).
run_e2e() {
  trap cleanup_e2e EXIT
  trap 'exit 130' INT TERM
  local e2e_start=$SECONDS p f rc
  FAILED_STEPS=()
  e2e_body || true
  echo "${p:-0} ${f:-0} $((SECONDS - e2e_start)) ${FAILED_STEPS[*]}" >"$LOGS/e2e.result"
}

e2e_body() {
  port=${CR_E2E_PORT:-3100}
  base=http://127.0.0.1:$port
  if curl -s -o /dev/null --max-time 2 "$base/"; then
    echo "something is already listening on $base; stop it first" >&2
    FAILED_STEPS+=(e2e)
    return 1
  fi
  E2E_DB=e2e_$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
  "$ROOT/scripts/db.sh" --test ensure-db "$E2E_DB"
  e2e_url=$("$ROOT/scripts/db.sh" --test url "$E2E_DB")
  E2E_TMP=$(mktemp -d)
  server_log=$LOGS/e2e-server.log
  # Sent messages lose their links in the outbox; the dev log transport keeps a copy here.
  mailbox=$E2E_TMP/mailbox.jsonl
  # The demo staff password is random per run: the seed uses it, Playwright types it.
  CR_DEMO_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  export CR_DEMO_PASSWORD
  CR_DEV_MAILBOX=$mailbox cr_exec_server "${CR_E2E_BIN:-$CR_SERVER_BIN_DEV}" "127.0.0.1:$port" "$e2e_url" "$E2E_TMP" DEV >"$server_log" 2>&1 &
  SERVER_PID=$!

  # The server runs migrations and seeds demo data before it listens.
  ready=0
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null --max-time 2 "$base/healthz"; then ready=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  if ((ready == 0)); then
    echo "server did not become healthy on $base/healthz; last log lines ($server_log):" >&2
    tail -n 40 "$server_log" >&2
    FAILED_STEPS+=(e2e-server)
    return 1
  fi

  report=$LOGS/playwright.json
  rm -f "$report"
  set +e
  # shellcheck disable=SC2086 # E2E_ARGS is word-split on purpose
  (cd "$ROOT/end2end" && BASE_URL=$base E2E_STAFF_PASSWORD=$CR_DEMO_PASSWORD E2E_DATABASE_URL=$e2e_url E2E_MAILBOX=$mailbox PLAYWRIGHT_JSON_OUTPUT_FILE=$report \
    npx --no-install playwright test --reporter=list,json ${E2E_ARGS:-})
  rc=$?
  set -e
  if [[ -s $report ]]; then
    # stats: expected / unexpected / flaky / skipped (retries are 0, so flaky stays 0)
    read -r p f < <(node -e '
      const s = require(process.argv[1]).stats;
      console.log(s.expected + s.flaky, s.unexpected);' "$report")
  else
    p=0 f=0
  fi
  if ((rc != 0 && f == 0)); then FAILED_STEPS+=(e2e); fi
  if ((rc != 0)); then echo "server log: $server_log" >&2; fi
}

TEST_START=$SECONDS
step setup
"$ROOT/scripts/setup.sh"
SETUP_SECS=$((SECONDS - TEST_START))
. "$ROOT/scripts/env.sh"
cd "$ROOT"
# One test run at a time per machine: every checkout builds into the shared $CARGO_TARGET_DIR,
# where cargo names this crate's artifacts by its relative path, so two clones building at
# once overwrite each other's library and a run can test the other clone's code.
exec 7>"$CACHE/.test.lock"
if ! flock -n 7; then
  echo "test.sh: another make test is building in $CARGO_TARGET_DIR; waiting for it" >&2
  flock 7
fi
# Cold: no compiled dependencies yet. A run whose setup installed tools (cargo-leptos alone
# is ~17 minutes) is kept as "setup": the bench's cold figure is for tools already installed.
TEST_WARMTH=$([[ -d $CARGO_TARGET_DIR/debug/deps ]] && echo warm || echo cold)
if ((SETUP_SECS > 120)); then TEST_WARMTH=setup; fi

step "test database cluster"
# 7>&-: the postmaster outlives this run and must not hold its lock.
"$ROOT/scripts/db.sh" --test start 7>&-

if [[ $WHAT != e2e ]]; then
  step "cargo fmt --check"
  if cargo fmt --version >/dev/null 2>&1; then
    cargo fmt --check || FAILED_STEPS+=(fmt)
  else
    echo "rustfmt is not installed for this toolchain; skipping the format check" >&2
  fi
fi

step "cargo leptos build (dev)"
# shellcheck disable=SC2119 # no extra args: a dev build
cr_leptos_build || { FAILED_STEPS+=(build); exit 1; }

# Playwright needs only the server just built, and mostly waits on the browser: it runs
# alongside the lint and the Rust tests (which keep the cores busy) and is shown after them.
rm -f "$LOGS/e2e.result"
if [[ $WHAT == e2e ]]; then
  step "end-to-end (Playwright)"
  (run_e2e)
elif [[ $WHAT == all ]]; then
  echo "==> end-to-end (Playwright) runs alongside the steps below; its output follows them" >&2
  (run_e2e) >"$LOGS/e2e.log" 2>&1 &
  E2E_PID=$!
fi

if [[ $WHAT != e2e ]]; then
  step "lint: clippy (ssr + hydrate, -D warnings), leptosfmt --check, cargo machete"
  "$ROOT/scripts/lint.sh" || FAILED_STEPS+=(lint)
fi

if [[ $WHAT != e2e ]]; then
  step "local S3-compatible store (moto) for the file tests"
  # The store unit tests run on the local disk and on S3; the integration tests' apps keep
  # their files in S3 (a fresh prefix each), the e2e server on the local disk.
  moto_port=$((54400 + RANDOM % 500))
  "$CR_MOTO_DIR/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$LOGS/moto.log" 2>&1 7>&- &
  MOTO_PID=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$moto_port/" && break; sleep 0.1; done
  curl -fsS -X PUT -o /dev/null "http://127.0.0.1:$moto_port/cr-test" || FAILED_STEPS+=(moto)
  export AWS_ENDPOINT=http://127.0.0.1:$moto_port AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test CR_TEST_STORAGE_URL=s3://cr-test

  step "cargo test --features ssr (nextest)"
  # Same env as cargo-leptos' dev server build (CR_DEV_BUILD_ENV), so artifacts are reused.
  # Integration tests create their own databases on the test cluster. cargo-nextest runs each
  # test as its own process (.config/nextest.toml); the crate has no doctests, which it skips.
  set +e
  if cargo nextest --version >/dev/null 2>&1; then
    env "${CR_DEV_BUILD_ENV[@]}" DATABASE_URL="$("$ROOT/scripts/db.sh" --test url postgres)" \
      cargo nextest run --features ssr --no-fail-fast --color never 2>&1 | tee "$LOGS/cargo-test.log"
    rc=${PIPESTATUS[0]}
    # "Summary [ 95.1s] 280 tests run: 279 passed, 1 failed, 0 skipped" (and "N timed out").
    read -r p f < <(awk '/Summary \[/ { for (i = 1; i <= NF; i++) {
        w = $(i+1); gsub(/,/, "", w)
        if (w == "passed") p += $i; if (w == "failed" || w == "timed") f += $i } }
      END { print p + 0, f + 0 }' "$LOGS/cargo-test.log")
  else
    env "${CR_DEV_BUILD_ENV[@]}" DATABASE_URL="$("$ROOT/scripts/db.sh" --test url postgres)" \
      cargo test --features ssr --no-fail-fast 2>&1 | tee "$LOGS/cargo-test.log"
    rc=${PIPESTATUS[0]}
    # "test result: ok. 12 passed; 0 failed; 0 ignored; ..." once per test binary.
    read -r p f < <(sed 's/\x1b\[[0-9;]*m//g' "$LOGS/cargo-test.log" | awk '
      /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
      END { print p + 0, f + 0 }')
  fi
  set -e
  PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
  # A non-zero exit without failed tests means it did not compile or a binary crashed.
  if ((rc != 0 && f == 0)); then FAILED_STEPS+=(cargo-test); fi

  step "cargo sqlx prepare --check"
  # The build reads .sqlx/ (SQLX_OFFLINE); this fails when a query changed without refreshing it.
  cr_sqlx_prepare --check || FAILED_STEPS+=(sqlx-prepare)
fi

if [[ -n $E2E_PID ]]; then
  step "end-to-end (Playwright): the rest of its run"
  wait "$E2E_PID" || true
  E2E_PID=""
  cat "$LOGS/e2e.log"
fi
if [[ $WHAT != rust ]]; then
  if [[ -s $LOGS/e2e.result ]]; then
    read -r p f secs steps <"$LOGS/e2e.result"
    PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
    # shellcheck disable=SC2206 # the failed steps' names, one word each
    FAILED_STEPS+=($steps)
    # Its own step when run alone; beside the others, its time is printed on its own line.
    if [[ $WHAT == all ]]; then E2E_SECS=$secs; fi
  else
    FAILED_STEPS+=(e2e)
  fi
fi

