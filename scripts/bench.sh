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
#   6. hostile input: tests/hostile/ run with CR_HOSTILE_SUMMARY=1, its "hostile input: N calls,
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
cr_leptos_build --release --precompress
# The ceiling binary, with the release profile the server was just built with.
cargo build --release --features ssr --bin bench-ceiling
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
echo "== wrk -t2 -c${BENCH_CONNECTIONS:-32} -d${BENCH_DURATION:-10s} (server: release, 127.0.0.1:$port)"
ceiling_addr=127.0.0.1:$((port + 99))
DATABASE_URL="$("$ROOT/scripts/db.sh" --test url "$DB")" CR_BENCH_CEILING_ADDR=$ceiling_addr \
  "$CEILING_BIN" >"$LOGS/ceiling.log" 2>&1 &
CEILING_PID=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://$ceiling_addr/ping-db" && break; sleep 0.2; done
room_args=()
[[ -z $cookie ]] || room_args=(-H "Cookie: $cookie")
# Alternating, best of two each: a slow patch of the machine (another process, the kernel)
# then lands on one run of each rather than on one side of the ratio.
for round in 1 2; do
  run_wrk "room-$round" "$room_url" "${room_args[@]}"
  run_wrk "ceiling-$round" "http://$ceiling_addr/ping-db"
done
best_of_two() { # NAME: the run with more requests/s becomes $TMP/wrk-NAME
  sort -k1,1 -g -r "$TMP/wrk-$1-1" "$TMP/wrk-$1-2" 2>/dev/null | head -n1 >"$TMP/wrk-$1"
}
best_of_two room
best_of_two ceiling
# The same room with every view rendered: a query string is never answered from a kept page
# (server::http::room_pages), so this is the cost of a room nobody opened in the last 20 s.
run_wrk "room-rendered" "$room_url?rendered" "${room_args[@]}"
if [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/bench/ping-db") != 404 ]]; then
  echo "bench: warning: the app answers /bench/ping-db; benchmark routes must not ship" >&2
fi

# Asset sizes. cargo-leptos --precompress writes .br next to each file; fall back to the
# brotli CLI (if installed) or gzip when a .br is missing.
echo
echo "== shipped assets ($CR_SITE_ROOT/pkg)"
printf '%-36s %10s %10s\n' file raw brotli
shopt -s nullglob
for f in "$CR_SITE_ROOT"/pkg/*.wasm "$CR_SITE_ROOT"/pkg/*.js "$CR_SITE_ROOT"/pkg/*.css; do
  raw=$(stat -c %s "$f")
  if [[ -f $f.br ]]; then
    br=$(stat -c %s "$f.br")
  elif command -v brotli >/dev/null; then
    br=$(brotli -c -q 11 "$f" | wc -c)
  else
    br="$(gzip -9 -c "$f" | wc -c) (gzip)"
  fi
  printf '%-36s %10s %10s\n' "$(basename "$f")" "$raw" "$br"
done

# Live update latency and first-load page weight (end2end/bench/*.mjs; they need end2end's
# node_modules, which setup.sh installs). Weight runs first so it sees the seeded room.
run_node() { # LABEL SCRIPT: prints the script's output, or why it failed; never fails itself
  local label=$1 script=$2 out rc=0
  out=$(cd "$ROOT/end2end" && BENCH_BASE=$base BENCH_COOKIE=$cookie BENCH_ROOM_URL=$room_url \
    timeout 300 node "$script" 2>&1) || rc=$?
  if [[ $rc -eq 0 && -n $out ]]; then
    printf '%s\n' "$out"
  else
    printf 'bench: %s measurement failed (exit %s%s)\n' "$label" "$rc" "$([[ $rc -eq 124 ]] && echo ', timed out after 300 s')"
    [[ -z $out ]] || sed 's/^/  /' <<<"$out"
  fi
}
weight=$(run_node "first-load weight" bench/weight.mjs)

# 4b. Lighthouse (npm `lighthouse`, cached outside the clone; mobile preset with its default
#     throttling) on the same three pages, with Debian's Chromium.
LH_VERSION=13.5.0
LH_DIR=$CACHE/tools/lighthouse-$LH_VERSION
lighthouse_pages() {
  local lh=$LH_DIR/node_modules/.bin/lighthouse name url
  if [[ ! -x $lh ]]; then
    mkdir -p "$LH_DIR"
    npm install --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >&2 || {
      echo "bench: could not install lighthouse"; return; }
  fi
  for page in "room|$room_url" "request form|$base/" "my requests|$base/my-requests"; do
    name=${page%%|*} url=${page#*|}
    local out=$LOGS/lighthouse-${name// /-}.json
    if ! timeout 180 "$lh" "$url" --quiet --chrome-path=/usr/bin/chromium \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --only-categories=performance,accessibility,best-practices,seo \
      --extra-headers="{\"Cookie\": \"$cookie\"}" --output=json --output-path="$out" >/dev/null 2>&1; then
      echo "bench: lighthouse failed on $name"
      continue
    fi
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const c = (k) => Math.round((r.categories[k]?.score ?? 0) * 100);
      const a = (k) => r.audits[k]?.numericValue ?? NaN;
      console.log(`lighthouse ${process.argv[2]}: performance ${c("performance")}, accessibility ${c("accessibility")}, ` +
        `best practices ${c("best-practices")}, SEO ${c("seo")}; LCP ${(a("largest-contentful-paint") / 1000).toFixed(2)} s, ` +
        `TBT ${Math.round(a("total-blocking-time"))} ms, CLS ${a("cumulative-layout-shift").toFixed(3)}`);
    ' "$out" "$name"
  done
}
lighthouse=$(lighthouse_pages)
echo
echo "== live update & first load (server: release, 127.0.0.1:$port)"
live=$(run_node "live update latency" bench/live.mjs)
live200=$(BENCH_LIVE_STREAMS=199 BENCH_LIVE_LABEL="(200 streams)" run_node "live update latency, 200 streams" bench/live.mjs)
# A second instance on the same database (no demo seeding): staff post to it, the streams
# stay on the first, so each change crosses PostgreSQL NOTIFY between instances.
port2=$((port + 2))
CR_SEED_DEMO=0 cr_exec_server "$CR_SERVER_BIN_RELEASE" "127.0.0.1:$port2" \
  "$("$ROOT/scripts/db.sh" --test url "$DB")" "$TMP/data" PROD >"$LOGS/server2.log" 2>&1 &
SERVER2_PID=$!
for _ in $(seq 1 120); do curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port2/healthz" && break; sleep 0.5; done
live2=$(BENCH_LIVE_STREAMS=199 BENCH_LIVE_POST_BASE=http://127.0.0.1:$port2 \
  BENCH_LIVE_LABEL="(200 streams, posted to a second instance)" run_node "live update latency, two instances" bench/live.mjs)
# The other way: a customer writes in the room, 200 open boards (staff streams) hear it;
# once on one instance, once with the customer on the second instance.
board200=$(BENCH_LIVE_DIRECTION=customer BENCH_LIVE_STREAMS=199 BENCH_LIVE_LABEL="(200 boards)" \
  run_node "board event latency, 200 boards" bench/live.mjs)
board2=$(BENCH_LIVE_DIRECTION=customer BENCH_LIVE_STREAMS=199 BENCH_LIVE_POST_BASE=http://127.0.0.1:$port2 \
  BENCH_LIVE_LABEL="(200 boards, customer on a second instance)" \
  run_node "board event latency, two instances" bench/live.mjs)
# Customers posting on a steady clock (5 a second, 100 posts) rather than one after another.
board_steady=$(BENCH_LIVE_DIRECTION=customer BENCH_LIVE_STREAMS=199 BENCH_LIVE_RATE=5 BENCH_LIVE_N=100 \
  BENCH_LIVE_LABEL="(200 boards, steady 5 posts/s)" run_node "board event latency, steady rate" bench/live.mjs)
kill "$SERVER2_PID" 2>/dev/null || true
wait "$SERVER2_PID" 2>/dev/null || true
live=$(printf '%s\n%s\n%s\n%s\n%s\n%s' "$live" "$live200" "$live2" "$board200" "$board2" "$board_steady")
printf '%s\n%s\n%s\n' "$live" "$weight" "$lighthouse"

# 5. Upload memory: the server's peak RSS above idle while 10 parallel 15 MB uploads go to the
#    demo room (goal: under 150 MB). The files are PDFs, which are stored without decoding, so
#    this measures how uploads are buffered (they stream to disk), not image decoding (which
#    runs at most two at a time). RSS is sampled from /proc/PID/status every 20 ms; VmHWM is
#    read too, after resetting it (`echo 5 > clear_refs`) where the kernel allows.
upload_memory() {
  local status=/proc/$SERVER_PID/status reference=${room_url##*/} file=$TMP/upload-15mb.pdf
  if [[ ! -r $status ]]; then echo "bench: $status not readable; upload memory skipped"; return; fi
  { printf '%%PDF-1.4\n'; head -c 15000000 /dev/zero | tr '\0' ' '; printf '\n%%%%EOF\n'; } >"$file"
  kb() { awk -v k="$1:" '$1 == k { print $2 }' "$status"; }
  sleep 1
  local idle peak hwm="" reset=0 rss i ok=0 pids=()
  idle=$(kb VmRSS); peak=$idle
  if echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null; then reset=1; fi
  for i in $(seq 1 10); do
    curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H 'Accept: application/json' \
      -F "client_key=bench-upload-$i-$$" -F "files=@$file;type=application/pdf" \
      "$base/room/$reference/photos" >"$TMP/upload-$i.code" &
    pids+=($!)
  done
  running() { local p; for p in "${pids[@]}"; do if kill -0 "$p" 2>/dev/null; then return 0; fi; done; return 1; }
  sample() { rss=$(kb VmRSS); if [[ -n $rss ]] && ((rss > peak)); then peak=$rss; fi; }
  while running; do sample; sleep 0.02; done
  wait "${pids[@]}" 2>/dev/null || true
  sample
  if [[ $reset -eq 1 ]]; then hwm=$(kb VmHWM); fi
  for i in $(seq 1 10); do
    if [[ $(cat "$TMP/upload-$i.code" 2>/dev/null) == 200 ]]; then ok=$((ok + 1)); fi
  done
  printf 'uploads    %d/10 answered 200   idle RSS %d MB   peak RSS %d MB   peak above idle %d MB (goal < 150)%s\n' \
    "$ok" $((idle / 1024)) $((peak / 1024)) $(((peak - idle) / 1024)) \
    "${hwm:+   VmHWM since reset $((hwm / 1024)) MB ($(((hwm - idle) / 1024)) MB above idle)}"
}
echo
echo "== upload memory: 10 parallel 15 MB uploads (server: release, 127.0.0.1:$port)"
uploads=$(upload_memory)
printf '%s\n' "$uploads"

# 5b. The board with 500 open requests: server render time (wrk, 4 connections) and its
#     first-load bytes in Chromium. The requests are added straight into the bench database.
board_bench() {
  local url=$base/staff/board staff_cookie
  psql -q "$("$ROOT/scripts/db.sh" --test url "$DB")" >/dev/null <<'SQL'
INSERT INTO customers (id, first_name, last_name, email, phone)
  SELECT gen_random_uuid(), 'Bench', 'Customer ' || g, 'bench' || g || '@example.com', '+6140000' || lpad(g::text, 4, '0')
  FROM generate_series(1, 500) g;
INSERT INTO requests (id, reference, customer_id, contact_email, contact_phone, first_name, last_name,
    address_line, suburb, state, postcode, service_type, preferred_window, notes, status, idempotency_key, created_at)
  SELECT gen_random_uuid(), 'CR-B' || lpad(upper(to_hex(g)), 5, '0'), c.id, c.email, c.phone, c.first_name, c.last_name,
    g || ' Bench Street', 'Newtown', 'NSW', '2042', 'Plumbing', 'any', 'Bench request',
    (ARRAY['new', 'confirmed', 'accepted', 'quoted'])[1 + g % 4], gen_random_uuid(), now() - make_interval(mins => g)
  FROM generate_series(1, 500) g JOIN customers c ON c.email = 'bench' || g || '@example.com';
SQL
  staff_cookie=$(curl -s -o /dev/null -D - -H 'Accept: application/json' \
    --data-urlencode "email=owner@demo.customerroom.test" --data-urlencode "password=$CR_DEMO_PASSWORD" \
    "$base/api/staff_sign_in" | tr -d '\r' | awk 'tolower($1) == "set-cookie:" { split($2, kv, ";"); print kv[1]; exit }')
  BENCH_CONNECTIONS=4 BENCH_DURATION=5s run_wrk board "$url" -H "Cookie: $staff_cookie"
  (cd "$ROOT/end2end" && BENCH_BASE=$base BENCH_COOKIE=$staff_cookie BENCH_ROOM_URL=$url BENCH_PAGES="board|$url" \
    timeout 120 node bench/weight.mjs 2>&1) || echo "bench: board weight failed"
}
echo
echo "== the job board with 500 open requests (server: release, 127.0.0.1:$port)"
boardw=$(board_bench)
printf '%s\n' "$boardw"

# 6. hostile input: tests/hostile/'s corpus over every server function and plain route,
#    in process against the test build (goal: 0 answered 5xx). Failing prints why; the
#    other figures stand.
echo
echo "== hostile input (tests/hostile/, debug build, in-process router)"
hostile_log=$LOGS/hostile.log
if env "${CR_DEV_BUILD_ENV[@]}" DATABASE_URL="$("$ROOT/scripts/db.sh" --test url postgres)" \
  CR_HOSTILE_SUMMARY=1 cargo test --features ssr --test it hostile:: -- --nocapture >"$hostile_log" 2>&1; then
  # One line per part (the test deals the endpoints into parts that run side by side).
  grep '^hostile input, part' "$hostile_log" | sort -u | tee "$TMP/hostile-parts"
  awk '{ for (i = 1; i < NF; i++) { if ($(i + 1) == "calls,") c += $i; if ($(i + 1) == "answered") k += $i } }
    END { printf "hostile input: %d calls, %d answered 5xx\n", c, k }' "$TMP/hostile-parts" | tee "$TMP/hostile"
else
  grep '^hostile input, part' "$hostile_log" | sort -u || echo "hostile input: the test did not finish (see $hostile_log)"
  echo "bench: tests/hostile/ failed (see $hostile_log)"
fi

# 6b. alerts: a burst of 2000 emails through two outbox workers to a real local SMTP server
#     (aiosmtpd, tests/outbox_throughput.rs, debug build): hand-offs per second (goal >= 500)
#     and the delay from the outbox row to the server's receipt.
echo
echo "== alerts to a local SMTP server (tests/outbox_throughput.rs, 2000 messages, 2 workers)"
alerts_log=$LOGS/alerts.log
if env "${CR_DEV_BUILD_ENV[@]}" DATABASE_URL="$("$ROOT/scripts/db.sh" --test url postgres)" \
  CR_BENCH_ALERTS=2000 cargo test --features ssr --test it outbox_throughput:: -- --nocapture >"$alerts_log" 2>&1; then
  grep -m1 '^ALERTS ' "$alerts_log" | tee "$TMP/alerts"
else
  echo "bench: tests/outbox_throughput.rs failed (see $alerts_log)"
fi

# 6c. customer search: 100,000 customers seeded by the test itself (names from small lists,
#     one in five with a business, one in ten with a request), then 200 mixed searches through
#     the server function (name, business, phone typed two ways, email, reference): p50/p95.
echo
echo "== customer search at 100,000 customers (tests/customer_search.rs, debug build, in-process router)"
search_log=$LOGS/customer-search.log
if env "${CR_DEV_BUILD_ENV[@]}" DATABASE_URL="$("$ROOT/scripts/db.sh" --test url postgres)" \
  CR_BENCH_SEARCH=100000 cargo test --features ssr --test it customer_search::search_bench -- --nocapture >"$search_log" 2>&1; then
  grep -m1 '^CUSTOMER_SEARCH ' "$search_log" | tee "$TMP/search"
else
  echo "bench: tests/customer_search.rs failed (see $search_log)"
fi

# 7. Scanner findings by module from the last `make scan` (target/scan/summary.tsv), if it is
#    under a week old; the scan takes ~10 minutes, so the bench never runs it itself.
echo
summary=$ROOT/target/scan/summary.tsv
if [[ -f $summary && -n $(find "$summary" -mmin -10080) ]]; then
  echo "== scanner findings by module (wapiti; $(head -n1 "$summary" | sed 's/^# //'))"
  tail -n +2 "$summary" | awk -F'\t' '{ printf "%-14s", $1; for (i = 2; i <= NF; i++) printf " %20s", $i; print "" }'
else
  echo "== scanner findings: no target/scan report from the last 7 days (run \`make scan\`)"
fi

# The one table: figure, goal, measured, ratio (measured / goal; for "at most" goals under 1
# is good, for "at least" goals over 1 is good).
echo
echo "== summary"
row() { # FIGURE GOAL MEASURED [RATIO]
  printf '%-44s %-10s %-26s %s\n' "$1" "$2" "$3" "${4:-}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print ""; else printf "%.2f", a / b }'; }
ms() { # wrk latency (e.g. 12.3ms, 1.2s, 900us) in ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; print n }'
}
row figure goal measured ratio
read -r room_rps room_p99 <"$TMP/wrk-room" 2>/dev/null || true
read -r ceil_rps _ <"$TMP/wrk-ceiling" 2>/dev/null || true
row "room SSR / bare ceiling" ">= 0.50" "${room_rps:-?} / ${ceil_rps:-?} req/s" "$(ratio "${room_rps:-}" "${ceil_rps:-}")"
row "room SSR p99" "< 50 ms" "${room_p99:-?}" "$(ratio "$(ms "${room_p99:-}")" 50)"
read -r rendered_rps rendered_p99 <"$TMP/wrk-room-rendered" 2>/dev/null || true
row "room SSR, every view rendered (rps / p99)" "(reported)" "${rendered_rps:-?} req/s / ${rendered_p99:-?}" "$(ratio "${rendered_rps:-}" "${ceil_rps:-}")"
while read -r line; do
  label=${line%% first load:*}
  kb=$(sed -n 's/.* \([0-9.]*\) KB transferred.*/\1/p' <<<"$line")
  row "$label first load (brotli, wire)" "<= 150 KB" "${kb:-?} KB" "$(ratio "${kb:-}" 150)"
done < <(grep ' first load: ' <<<"$weight" || true)
while read -r line; do
  label=${line#lighthouse } label=${label%%:*}
  perf=$(sed -n 's/.*performance \([0-9]*\),.*/\1/p' <<<"$line")
  a11y=$(sed -n 's/.*accessibility \([0-9]*\),.*/\1/p' <<<"$line")
  bp=$(sed -n 's/.*best practices \([0-9]*\),.*/\1/p' <<<"$line")
  row "lighthouse $label performance" ">= 95" "${perf:-?}" "$(ratio "${perf:-}" 95)"
  row "lighthouse $label accessibility" "100" "${a11y:-?}" "$(ratio "${a11y:-}" 100)"
  row "lighthouse $label best practices" ">= 95" "${bp:-?}" "$(ratio "${bp:-}" 95)"
done < <(grep '^lighthouse .*: performance' <<<"$lighthouse" || true)
while read -r line; do
  what=$(sed -n 's/^live update latency\(.*\): p50.*/\1/p' <<<"$line")
  p95=$(sed -n 's/.*p95 \([0-9.]*\) ms.*/\1/p' <<<"$line")
  row "live update p95${what:- (1 stream)}" "< 250 ms" "${p95:-?} ms" "$(ratio "${p95:-}" 250)"
done < <(grep '^live update latency' <<<"$live" || true)
while read -r line; do
  what=$(sed -n 's/^board event latency\(.*\): p50.*/\1/p' <<<"$line")
  p95=$(sed -n 's/.*p95 \([0-9.]*\) ms.*/\1/p' <<<"$line")
  row "board event p95${what}" "< 250 ms" "${p95:-?} ms" "$(ratio "${p95:-}" 250)"
done < <(grep '^board event latency' <<<"$live" || true)
read -r _ board_p99 <"$TMP/wrk-board" 2>/dev/null || true
board_p50=$(awk '$1 == "50%" { print $2 }' "$LOGS/wrk-board.txt" 2>/dev/null)
row "board SSR, 500 open requests (p50 / p99)" "< 100 ms" "${board_p50:-?} / ${board_p99:-?}" "$(ratio "$(ms "${board_p99:-}")" 100)"
kb=$(sed -n 's/^board first load: .* \([0-9.]*\) KB transferred.*/\1/p' <<<"$boardw")
row "board first load (brotli, wire)" "<= 300 KB" "${kb:-?} KB" "$(ratio "${kb:-}" 300)"
above=$(sed -n 's/.*peak above idle \([0-9]*\) MB.*/\1/p' <<<"$uploads")
row "upload peak RSS above idle" "< 150 MB" "${above:-?} MB" "$(ratio "${above:-}" 150)"
alert_rate=$(sed -n 's/.* rate=\([0-9]*\).*/\1/p' "$TMP/alerts" 2>/dev/null)
alert_p50=$(sed -n 's/.* p50=\([0-9]*\).*/\1/p' "$TMP/alerts" 2>/dev/null)
alert_p95=$(sed -n 's/.* p95=\([0-9]*\).*/\1/p' "$TMP/alerts" 2>/dev/null)
row "alerts handed to SMTP" ">= 500 /s" "${alert_rate:-?} /s" "$(ratio "${alert_rate:-}" 500)"
row "alert delay, event to hand-off (p50 / p95)" "(reported)" "${alert_p50:-?} / ${alert_p95:-?} ms"
search_p50=$(sed -n 's/.* p50=\([0-9.]*\).*/\1/p' "$TMP/search" 2>/dev/null)
search_p95=$(sed -n 's/.* p95=\([0-9.]*\).*/\1/p' "$TMP/search" 2>/dev/null)
row "customer search, 100k customers (p50 / p95)" "< 100 ms" "${search_p50:-?} / ${search_p95:-?} ms" "$(ratio "${search_p95:-}" 100)"
k=$(sed -n 's/.*calls, \([0-9]*\) answered 5xx.*/\1/p' "$TMP/hostile" 2>/dev/null)
row "hostile input answered 5xx" "0" "${k:-?}"
# Build time: `make test` records every full run (scripts/test.sh → $CACHE/timings/make-test.tsv:
# when, commit, seconds, cold|warm, passed|failed); the bench reports the latest of each kind
# rather than spend half an hour rebuilding. Cold = no compiled dependencies in the target dir.
timings=$CACHE/timings/make-test.tsv
for kind in cold warm; do
  secs=$(awk -F'\t' -v k="$kind" '$4 == k && $5 == "passed" { s = $3 } END { print s }' "$timings" 2>/dev/null || true)
  goal=$([[ $kind == cold ]] && echo "< 25 min" || echo "< 3 min")
  limit=$([[ $kind == cold ]] && echo 1500 || echo 180)
  label=$([[ $kind == cold ]] && echo "make test, cold (tools installed)" || echo "make test, warm (one change)")
  shown=${secs:+$((secs / 60)) min $((secs % 60)) s}
  row "$label" "$goal" "${shown:-no passing run recorded}" "$(ratio "${secs:-}" "$limit")"
done
# Where the latest full run's time went (scripts/test.sh keeps each step's seconds).
steps=$CACHE/timings/make-test-steps.tsv
if [[ -s $steps ]]; then
  last=$(tail -n1 "$steps" | cut -f1)
  echo
  echo "make test at $last ($(tail -n1 "$steps" | cut -f2)), seconds by step:"
  awk -F'\t' -v t="$last" '$1 == t { printf "  %6s  %s\n", $3, $4 }' "$steps"
fi
