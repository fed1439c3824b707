#!/usr/bin/env bash
# `make bench`: release build on 127.0.0.1:3200 (CR_BENCH_PORT) with a fresh seeded database,
# then wrk (2 threads, 32 connections, 10 s) against
#   1. the demo customer room page, with the session cookie its link sets, and
#   2. the ceiling: src/bin/bench_ceiling.rs, a bare axum+sqlx handler doing one indexed query
#      on the same database (a bench-only binary; the app has no /bench routes),
# alternating, twice each, printing requests/s and p99 for each run (the summary takes the
# better run of each), and the raw / brotli sizes of the shipped assets.
# Then, against the same server (node scripts in end2end/bench/, run from end2end/):
#   3. live update latency: staff posts an update -> the customer's /events stream gets the
#      change (p50/p95 over BENCH_LIVE_N sequential rounds), and
#   4. room page weight on first load in headless Chromium (bytes over the wire, by kind).
#      It is measured before the live rounds, so the room is as seeded, not 50 updates longer.
#   5. upload memory: peak server RSS above idle during 10 parallel 15 MB room uploads.
#   6. hostile input: tests/hostile.rs run with CR_HOSTILE_SUMMARY=1, its "hostile input: N calls,
#      K answered 5xx" line (goal K = 0).
# A failure of 3 or 4 prints a message and leaves the other figures standing.
# Env: BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_LIVE_N (50).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$ROOT/scripts/setup.sh"
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk" >&2
  sudo=(); [[ $EUID -eq 0 ]] || sudo=(sudo -n)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq wrk >/dev/null
fi
. "$ROOT/scripts/env.sh"
cd "$ROOT"

"$ROOT/scripts/db.sh" --test start
: skip build
# The ceiling binary, with the release profile the server was just built with.
: skip
CEILING_BIN=$CARGO_TARGET_DIR/release/bench-ceiling

SERVER_PID="" CEILING_PID="" DB="" TMP=$(mktemp -d)
LOGS=$ROOT/target/bench-logs
mkdir -p "$LOGS"
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n $CEILING_PID ]]; then kill "$CEILING_PID" 2>/dev/null || true; wait "$CEILING_PID" 2>/dev/null || true; fi
  if [[ -n ${SERVER2_PID:-} ]]; then kill "$SERVER2_PID" 2>/dev/null || true; fi
  if [[ -n $DB ]]; then "$ROOT/scripts/db.sh" --test drop-db "$DB" >/dev/null 2>&1 || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=${CR_BENCH_PORT:-3200}
base=http://127.0.0.1:$port
DB=bench_$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
"$ROOT/scripts/db.sh" --test ensure-db "$DB"
log=$LOGS/server.log
CR_DEMO_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export CR_DEMO_PASSWORD BENCH_STAFF_PASSWORD=$CR_DEMO_PASSWORD
cr_exec_server "$CR_SERVER_BIN_RELEASE" "127.0.0.1:$port" \
  "$("$ROOT/scripts/db.sh" --test url "$DB")" "$TMP/data" PROD >"$log" 2>&1 &
SERVER_PID=$!

# Wait for the server and for the demo link it prints at startup.
demo=""
for _ in $(seq 1 240); do
  demo=$(sed 's/\x1b\[[0-9;]*m//g' "$log" 2>/dev/null | grep -o 'Demo customer room: http[^[:space:]"]*' \
    | head -n1 | sed 's/^Demo customer room: //' || true)
  if [[ -n $demo ]] && curl -fs -o /dev/null --max-time 2 "$base/healthz"; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if [[ -z $demo ]] || ! curl -fs -o /dev/null --max-time 2 "$base/healthz"; then
  echo "bench: server not ready or no 'Demo customer room:' line; log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi

# Follow the demo link like a browser; collect every Set-Cookie along the redirects.
room_url=$(curl -sS -L --max-redirs 10 -c "$TMP/jar" -b "$TMP/jar" -D "$TMP/headers" \
  -o /dev/null -w '%{url_effective}' "$demo")
cookie=$(tr -d '\r' <"$TMP/headers" | awk 'tolower($1) == "set-cookie:" {
    split($2, kv, ";"); n = index(kv[1], "="); name = substr(kv[1], 1, n - 1)
    if (!(name in seen)) order[++count] = name
    seen[name] = kv[1]
  }
  END { for (i = 1; i <= count; i++) printf "%s%s", (i > 1 ? "; " : ""), seen[order[i]] }')
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$room_url")
echo "bench: demo link $demo -> $room_url (HTTP $status with cookie: ${cookie:-none})"
if [[ $status != 200 ]]; then echo "bench: warning: the room page does not answer 200 with the cookie" >&2; fi

run_wrk() { # NAME URL [wrk args...]
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c"${BENCH_CONNECTIONS:-32}" -d"${BENCH_DURATION:-10s}" --latency "$@" "$url")
  echo "$out" >"$LOGS/wrk-$name.txt" # full wrk output kept for inspection
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $NF } /Socket errors:/ { sub(/^ *Socket errors: */, ""); print "socket errors: " $0 }' <<<"$out" | paste -sd' ')
  printf '%-10s %10s req/s   p99 %8s   %s\n' "$name" "$rps" "$p99" "${errors:+non-2xx/errors: $errors}"
  printf '%s %s\n' "$rps" "$p99" >"$TMP/wrk-$name"
}

echo
ceiling_addr=127.0.0.1:3299
DATABASE_URL="$("$ROOT/scripts/db.sh" --test url "$DB")" CR_BENCH_CEILING_ADDR=$ceiling_addr "$CEILING_BIN" >/dev/null 2>&1 &
CEILING_PID=$!
sleep 1
curl -s -H "Cookie: $cookie" "$room_url" -o /tmp/room.html; ls -la /tmp/room.html
echo "$cookie" > /tmp/cookie; echo "$room_url" > /tmp/room_url
for r in 1 2; do
run_wrk room-$r "$room_url" -H "Cookie: $cookie"
run_wrk ceiling-$r "http://$ceiling_addr/ping-db"
done
if [[ -n ${PERF:-} ]]; then
  wrk -t2 -c32 -d12s -H "Cookie: $cookie" "$room_url" >/dev/null & 
  sleep 1; perf record -F 999 -g -p $SERVER_PID -o /tmp/perf.data -- sleep 8 2>/dev/null; wait
fi
