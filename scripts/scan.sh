#!/usr/bin/env bash
# `make scan`: the open-source web scanner wapiti 3 against the release build, once with a
# customer session and once with a staff session; prints the findings by module and fails
# (exit 1) on any finding that SECURITY.md's "Accepted scanner findings" section does not list.
#
#   1. release build as `make run` does it, served on 127.0.0.1:3300 (CR_SCAN_PORT) with a
#      throwaway database on the test cluster and the demo data (random CR_DEMO_PASSWORD);
#   2. a customer session (the seed's printed demo room link, followed like a browser) and a
#      staff session (the demo owner signing in at /api/staff_sign_in), both taken before any
#      scan runs, so the scanner's failed sign-ins can't slow the staff sign-in down;
#   3. wapiti with each session's cookies, crawl scoped to the app, every callback option
#      pointed at a listener on 127.0.0.1 (nothing leaves the machine), bounded in time;
#   4. reports in target/scan/ (customer.json, staff.json, logs, summary.tsv for `make bench`).
#
# wapiti is installed from PyPI (pinned) into a venv under ~/.cache/customer-room/tools the
# first time (~2 minutes); only this script needs it. Bounds (defaults fit ~10 minutes for both
# runs on 2 cores; the attacks are a floor, not a ceiling):
# Env: CR_SCAN_PORT (3300), CR_SCAN_MODULES (comma list), CR_SCAN_CRAWL_SECONDS (60, per run),
#      CR_SCAN_ATTACK_SECONDS (25, per module and run), CR_SCAN_TIMEOUT (10, per request),
#      CR_SCAN_ONLY (customer|staff: one run only).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

WAPITI_VERSION=3.2.3
MODULES=${CR_SCAN_MODULES:-xss,sql,timesql,exec,file,crlf,redirect,csrf,http_headers,cookieflags,csp,upload,backup}
CRAWL_SECONDS=${CR_SCAN_CRAWL_SECONDS:-60}
ATTACK_SECONDS=${CR_SCAN_ATTACK_SECONDS:-25}
TIMEOUT=${CR_SCAN_TIMEOUT:-10}
case ${CR_SCAN_ONLY:-} in
  "") RUNS=(customer staff) ;;
  customer | staff) RUNS=("$CR_SCAN_ONLY") ;;
  *) echo "scan: CR_SCAN_ONLY must be customer or staff" >&2; exit 2 ;;
esac

say() { echo "scan: $*" >&2; }
started=$SECONDS

"$ROOT/scripts/setup.sh"
. "$ROOT/scripts/env.sh"
cd "$ROOT"

# --- wapiti, pinned, in its own venv (a .complete marker: a half-finished install is redone) ---
WAPITI_DIR=$CACHE/tools/wapiti3-$WAPITI_VERSION
WAPITI=$WAPITI_DIR/bin/wapiti
if [[ ! -e $WAPITI_DIR/.complete ]]; then
  say "installing wapiti3 $WAPITI_VERSION into $WAPITI_DIR (once)"
  rm -rf "$WAPITI_DIR"
  python3 -m venv "$WAPITI_DIR"
  "$WAPITI_DIR/bin/pip" install -q --disable-pip-version-check "wapiti3==$WAPITI_VERSION"
  touch "$WAPITI_DIR/.complete"
fi
PY=$WAPITI_DIR/bin/python

"$ROOT/scripts/db.sh" --test start
cr_leptos_build --release --precompress

OUT=$ROOT/target/scan
mkdir -p "$OUT"
rm -f "$OUT"/customer.* "$OUT"/staff.* "$OUT"/summary.tsv
SERVER_PID="" LISTENER_PID="" DB="" TMP=$(mktemp -d)
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n $LISTENER_PID ]]; then kill "$LISTENER_PID" 2>/dev/null || true; wait "$LISTENER_PID" 2>/dev/null || true; fi
  if [[ -n $DB ]]; then "$ROOT/scripts/db.sh" --test drop-db "$DB" >/dev/null 2>&1 || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=${CR_SCAN_PORT:-3300}
base=http://127.0.0.1:$port
if curl -s -o /dev/null --max-time 2 "$base/"; then
  say "something is already listening on $base; stop it first (or set CR_SCAN_PORT)"
  exit 1
fi

# The scanner's callback endpoint: wapiti pings it and plants its URL in payloads (SSRF, XSS,
# file inclusion), so it must answer, and must be here. Anything that calls it is logged.
"$PY" - "$TMP/endpoint.port" >"$OUT/endpoint.log" 2>&1 <<'EOF' &
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    do_POST = do_HEAD = do_GET
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
EOF
LISTENER_PID=$!
for _ in $(seq 1 50); do [[ -s $TMP/endpoint.port ]] && break; sleep 0.1; done
[[ -s $TMP/endpoint.port ]] || { say "the callback listener did not start"; cat "$OUT/endpoint.log" >&2; exit 1; }
endpoint=http://127.0.0.1:$(cat "$TMP/endpoint.port")/

DB=scan_$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
"$ROOT/scripts/db.sh" --test ensure-db "$DB"
CR_DEMO_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export CR_DEMO_PASSWORD
log=$OUT/server.log
CR_SEED_DEMO=1 cr_exec_server "$CR_SERVER_BIN_RELEASE" "127.0.0.1:$port" \
  "$("$ROOT/scripts/db.sh" --test url "$DB")" "$TMP/data" PROD >"$log" 2>&1 &
SERVER_PID=$!

# The server migrates and seeds before it listens; the seed prints the demo room link.
demo=""
for _ in $(seq 1 240); do
  demo=$(sed 's/\x1b\[[0-9;]*m//g' "$log" 2>/dev/null | grep -o 'Demo customer room: http[^[:space:]"]*' \
    | head -n1 | sed 's/^Demo customer room: //' || true)
  if [[ -n $demo ]] && curl -fs -o /dev/null --max-time 2 "$base/healthz"; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if [[ -z $demo ]] || ! curl -fs -o /dev/null --max-time 2 "$base/healthz"; then
  say "server not ready or no 'Demo customer room:' line; log:"
  tail -n 40 "$log" >&2
  exit 1
fi
staff_email=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -o 'Demo staff login: *[^ ]*' | head -n1 | awk '{ print $NF }')
[[ -n $staff_email ]] || { say "no 'Demo staff login:' line in $log"; exit 1; }

# Sessions. curl's jars keep the cookies exactly as the server set them (flags included);
# they become wapiti's JSON cookie file below.
room_url=$(curl -sS -L --max-redirs 10 -c "$TMP/customer.jar" -b "$TMP/customer.jar" \
  -o /dev/null -w '%{url_effective}' "$demo")
curl -sS -o /dev/null -c "$TMP/staff.jar" --data-urlencode "email=$staff_email" \
  --data-urlencode "password=$CR_DEMO_PASSWORD" "$base/api/staff_sign_in"

# "200 and not the sign-in page" for URL with the jar's cookies: the session works.
session_ok() { # JAR URL
  local code
  code=$(curl -s -o /dev/null -w '%{http_code} %{url_effective}' -L -b "$1" "$2")
  [[ $code == "200 $2" ]]
}
session_ok "$TMP/customer.jar" "$room_url" || { say "the demo room link gave no working customer session ($room_url)"; exit 1; }
session_ok "$TMP/staff.jar" "$base/staff" || { say "staff sign-in as $staff_email failed"; exit 1; }
say "customer session for $room_url, staff session for $staff_email"

# Netscape cookie jar (curl) -> wapiti's JSON cookie file ({host: {path: {name: attrs}}}).
jar_to_json() { # JAR JSON
  "$PY" - "$1" "$2" <<'EOF'
import json, sys
jar = {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("#HttpOnly_"):
        line = line[len("#HttpOnly_"):]
    elif not line or line.startswith("#"):
        continue
    domain, _sub, path, secure, expires, name, value = line.split("\t")
    jar.setdefault(domain.lstrip("."), {}).setdefault(path, {})[name] = {
        "value": value, "expires": int(expires) or None, "secure": secure == "TRUE",
        "port": None, "version": 0}
json.dump(jar, open(sys.argv[2], "w"), indent=1)
EOF
}

# Pages whose use would end the session being scanned, and the live stream (never ends).
excluded=(
  -x "$base/api/sign_out*" -x "$base/api/room_access_end*" -x "$base/events*"
  -x "$base/api/staff_team_active*" -x "$base/api/staff_team_role*"
)
scan() { # WHO START_URL...
  local who=$1 s=()
  shift
  for u in "$@"; do s+=(-s "$u"); done
  jar_to_json "$TMP/$who.jar" "$TMP/$who.cookies.json"
  rm -rf "$OUT/session-$who"
  say "wapiti $WAPITI_VERSION as $who: modules $MODULES (crawl ≤ ${CRAWL_SECONDS}s, each module ≤ ${ATTACK_SECONDS}s)"
  local t0=$SECONDS rc=0
  "$WAPITI" -u "$base/" --scope folder "${s[@]}" "${excluded[@]}" -m "$MODULES" \
    -c "$TMP/$who.cookies.json" \
    --endpoint "$endpoint" --external-endpoint "$endpoint" --internal-endpoint "$endpoint" \
    --dns-endpoint localhost --no-bugreport \
    --store-session "$OUT/session-$who" --store-config "$OUT/config" --flush-session \
    --max-scan-time "$CRAWL_SECONDS" --max-attack-time "$ATTACK_SECONDS" -t "$TIMEOUT" \
    --max-links-per-page 60 --max-files-per-dir 40 --tasks 4 \
    -f json -o "$OUT/$who.json" -v 1 >"$OUT/$who.log" 2>&1 || rc=$?
  say "$who scan: $((SECONDS - t0)) s, wapiti exit $rc (log target/scan/$who.log)"
  if [[ ! -s $OUT/$who.json ]]; then say "no report from the $who scan; last log lines:"; tail -n 30 "$OUT/$who.log" >&2; exit 1; fi
  local jar=$TMP/$who.jar url=$room_url
  [[ $who == customer ]] || url=$base/staff
  session_ok "$jar" "$url" || say "warning: the $who session no longer works after the scan: later requests ran signed out"
}
for who in "${RUNS[@]}"; do
  case $who in
    customer) scan customer "$room_url" "$base/my-requests" ;;
    staff) scan staff "$base/staff" "$base/staff/team" ;;
  esac
done
if ! kill -0 "$SERVER_PID" 2>/dev/null; then say "the server died during the scan; log: $log"; exit 1; fi
# wapiti itself pings the endpoint once per run ("GET / "); any other request came via the app.
if grep -v '"GET / HTTP' "$OUT/endpoint.log" | grep -q .; then say "note: the callback listener was called (target/scan/endpoint.log)"; fi

# Findings by module; each checked against SECURITY.md's accepted list. A line there is
#   - `MODULE` `PATTERN` — reason
# PATTERN (fnmatch, `*` wildcard) is matched against "CATEGORY: INFO" of each finding.
echo
rc=0
"$PY" - "$ROOT/SECURITY.md" "$OUT" "$MODULES" "$((SECONDS - started))" "$(git rev-parse --short HEAD)" "${RUNS[@]}" <<'EOF' || rc=$?
import fnmatch, json, os, re, sys, time
security, out, modules, elapsed, commit, *runs = sys.argv[1:]
modules = modules.split(",")
text = open(security, encoding="utf-8").read()
section = re.search(r"^## Accepted scanner findings\n(.*?)(?=^## |\Z)", text, re.S | re.M)
accepted = re.findall(r"^- `([a-z_]+)` `([^`]+)`", section.group(1) if section else "", re.M)

counts, unaccepted = {}, []
for who in runs:
    report = json.load(open(os.path.join(out, who + ".json"), encoding="utf-8"))
    for kind in ("vulnerabilities", "anomalies"):
        for category, items in report.get(kind, {}).items():
            for f in items:
                mod = f.get("module") or "?"
                key = f"{category}: {f.get('info', '')}"
                ok = any(m == mod and fnmatch.fnmatchcase(key, p) for m, p in accepted)
                c = counts.setdefault(mod, {r: 0 for r in runs} | {"new": 0})
                c[who] += 1
                if not ok:
                    c["new"] += 1
                    unaccepted.append((who, mod, f, category))
rows = modules + sorted(set(counts) - set(modules))
head = ["module"] + [f"findings ({r})" for r in runs] + ["not accepted"]
table = [[m] + [str(counts.get(m, {}).get(r, 0)) for r in runs] + [str(counts.get(m, {}).get("new", 0))] for m in rows]
table.append(["total"] + [str(sum(c[r] for c in counts.values())) for r in runs] + [str(len(unaccepted))])
widths = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]
fmt = lambda r: "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
print(f"== wapiti findings by module (release build; reports in target/scan/)")
print(fmt(head))
for r in table:
    print(fmt(r))
with open(os.path.join(out, "summary.tsv"), "w", encoding="utf-8") as f:
    f.write(f"# make scan {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} commit {commit}, {elapsed} s\n")
    f.write("\t".join(head) + "\n")
    for r in table:
        f.write("\t".join(r) + "\n")
if unaccepted:
    print(f"\n{len(unaccepted)} finding(s) not in SECURITY.md's accepted list:")
    for who, mod, f, category in unaccepted:
        param = f" [{f['parameter']}]" if f.get("parameter") else ""
        print(f"  {who:8} {mod:12} {category}: {f['method']} {f['path']}{param}\n{'':24}{f.get('info', '').strip()}")
    sys.exit(1)
print("\nevery finding is accepted in SECURITY.md")
EOF
say "done in $((SECONDS - started)) s"
exit $rc
