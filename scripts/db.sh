#!/usr/bin/env bash
# Project-local PostgreSQL: a private cluster under .data/, reachable only over a unix socket
# (listen_addresses=''), so it needs no system service, no root password and no free TCP port.
#
#   scripts/db.sh [--test] start          init (once) + start + wait until ready (+ create customer_room)
#   scripts/db.sh [--test] stop | status
#   scripts/db.sh [--test] url [DB]       print the sqlx URL (DB defaults to customer_room / postgres)
#   scripts/db.sh [--test] ensure-db NAME | drop-db NAME
#   scripts/db.sh [--test] psql [ARGS]    psql on the cluster's postgres database
#   scripts/db.sh clean                   stop both clusters and delete them
#
# Dev cluster: $CR_DATA_DIR/pg (default .data/pg), port CR_PG_PORT (54329), db customer_room.
#   With DATABASE_URL set, nothing is started: `url` just prints DATABASE_URL.
# --test: throwaway cluster .data/test-pg (a link into /dev/shm where it is a tmpfs), port
#   CR_TEST_PG_PORT (54339), fsync off. Tests create
#   their own databases (tests/common/db.rs), which works because `app` is the cluster's superuser.
#   With TEST_DATABASE_URL set, that server is used instead (DATABASE_URL is ignored here, so
#   `make test` never touches a dev database).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${CR_DATA_DIR:-.data}
[[ $DATA == /* ]] || DATA=$ROOT/$DATA

MODE=dev
if [[ ${1:-} == --test ]]; then MODE="test"; shift; fi
CMD=${1:-}
shift || true

if [[ $MODE == test ]]; then
  NAME=test-pg PORT=${CR_TEST_PG_PORT:-54339} DEFAULT_DB=postgres EXT_URL=${TEST_DATABASE_URL:-}
  # Durability is pointless for a throwaway test cluster and fsync is slow on a busy disk.
  EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
else
  NAME=pg PORT=${CR_PG_PORT:-54329} DEFAULT_DB=customer_room EXT_URL=${DATABASE_URL:-}
  EXTRA_OPTS=""
fi
PG_USER=app

PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
[[ -x $PGBIN/pg_ctl ]] || PGBIN=""
if [[ -z $PGBIN && -z $EXT_URL && $CMD != url ]]; then
  echo "db.sh: PostgreSQL server binaries not found (run scripts/setup.sh)" >&2
  exit 1
fi

log() { echo "db.sh: $*" >&2; }

valid_name() {
  [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { log "invalid database name '$1'"; exit 2; }
}

# initdb/postgres refuse to run as root, and these machines run everything as root: run the
# server side as the `postgres` system user then. `cd /` because postgres may not be able to
# read the caller's working directory.
as_pg() {
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where the cluster lives. Normally $DATA/$NAME. If the postgres user cannot reach it (a clone
# below root's 0700 home) or the socket path would exceed the ~107-byte unix socket limit, the
# cluster goes to /var/tmp/customer-room-<hash>/$NAME and $DATA/$NAME becomes a symlink to it.
WANT=$DATA/$NAME
resolve_dir() {
  if [[ -L $WANT ]]; then DIR=$(readlink "$WANT"); else DIR=$WANT; fi
}
# The test cluster goes to memory (/dev/shm) where that is a tmpfs: every test copies a
# template database (hundreds of small files) and drops it again, and on ext4 that file churn
# was most of PostgreSQL's CPU time over a run of the tests. It is throwaway: a reboot that
# empties /dev/shm only means a new initdb and template.
RELOC_BASE=/var/tmp
if [[ $MODE == test && $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs && -w /dev/shm ]]; then
  RELOC_BASE=/dev/shm
fi
relocated_dir() {
  echo "$RELOC_BASE/customer-room-$(printf %s "$WANT" | sha256sum | cut -c1-10)/$NAME"
}
prepare_dir() {
  resolve_dir
  if [[ -L $WANT ]]; then # relocated earlier; the target may have been cleaned from /var/tmp
    mkdir -p "$DIR"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$DIR" "$(dirname "$DIR")"; fi
    return 0
  fi
  [[ -e $DIR/db/PG_VERSION ]] && return 0
  mkdir -p "$DIR"
  local ok=1
  (( ${#DIR} + 20 < 100 )) || ok=0
  [[ $RELOC_BASE != /dev/shm ]] || ok=0
  if [[ $ok == 1 && $EUID -eq 0 ]]; then
    chown postgres: "$DIR"
    runuser -u postgres -- test -w "$DIR" || ok=0
  fi
  if [[ $ok == 0 ]]; then
    rmdir "$DIR" 2>/dev/null || true
    DIR=$(relocated_dir)
    if [[ $RELOC_BASE == /dev/shm ]]; then
      log "test cluster in memory: $DIR"
    else
      log "postgres cannot use $WANT (permissions or path length); using $DIR"
    fi
    mkdir -p "$DIR"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$DIR" "$(dirname "$DIR")"; fi
    ln -sfn "$DIR" "$WANT"
  fi
}

url_for() { # DB -> URL. sqlx needs a host in the URL; ?host= points it at the socket dir.
  if [[ -n $EXT_URL ]]; then
    # Same server, other database: replace the path segment of the URL.
    sed -E "s#^([a-z]+://[^/?]*)(/[^?]*)?#\1/$1#" <<<"$EXT_URL"
  else
    resolve_dir
    echo "postgres://$PG_USER@localhost:$PORT/$1?host=$DIR"
  fi
}

psql_admin() { # psql on the maintenance db, as the client user (root can always reach the socket)
  if [[ -n $EXT_URL ]]; then
    psql "$(url_for postgres)" -v ON_ERROR_STOP=1 -X -q "$@"
  else
    resolve_dir
    "$PGBIN/psql" -h "$DIR" -p "$PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -X -q "$@"
  fi
}

running() { [[ -e $DIR/db/PG_VERSION ]] && as_pg "$PGBIN/pg_ctl" -D "$DIR/db" status >/dev/null 2>&1; }

ensure_db() {
  valid_name "$1"
  if [[ -z $(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'") ]]; then
    psql_admin -c "CREATE DATABASE \"$1\""
    log "created database $1"
  fi
}

start() {
  mkdir -p "$DATA"
  # Serialize concurrent starts (e.g. `make run` and `make test` in parallel).
  exec 9>"$DATA/.$NAME.lock"
  flock 9
  prepare_dir
  if [[ ! -e $DIR/db/PG_VERSION ]]; then
    log "initdb $DIR/db"
    # -U app: the app user is the cluster superuser (so it can CREATE DATABASE for the tests).
    as_pg "$PGBIN/initdb" -D "$DIR/db" -A trust -U "$PG_USER" -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  if ! running; then
    log "starting $NAME on socket $DIR port $PORT"
    # 9>&-: the postmaster must not inherit the lock fd, or the lock is held until it exits.
    as_pg "$PGBIN/pg_ctl" -D "$DIR/db" -l "$DIR/log" -w -t 60 \
      -o "-k $DIR -p $PORT -c listen_addresses='' $EXTRA_OPTS" start >/dev/null 9>&- \
      || { tail -n 30 "$DIR/log" >&2; exit 1; }
  fi
  for _ in $(seq 1 60); do
    "$PGBIN/pg_isready" -q -h "$DIR" -p "$PORT" && break
    sleep 0.5
  done
  "$PGBIN/pg_isready" -q -h "$DIR" -p "$PORT" || { log "server not ready"; tail -n 30 "$DIR/log" >&2; exit 1; }
  if [[ $DEFAULT_DB != postgres ]]; then ensure_db "$DEFAULT_DB"; fi
}

stop() {
  resolve_dir
  if running; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR/db" -m fast -w stop >/dev/null
    log "stopped $NAME"
  fi
}

case $CMD in
  start)
    if [[ -n $EXT_URL ]]; then log "using the given database URL; no local cluster started"; exit 0; fi
    start ;;
  stop)
    [[ -n $EXT_URL ]] || stop ;;
  status)
    if [[ -n $EXT_URL ]]; then echo "external: $EXT_URL"; exit 0; fi
    resolve_dir
    if running; then echo "running: $DIR (port $PORT)"; else echo "stopped: $DIR"; exit 3; fi ;;
  url)
    if [[ -n $EXT_URL && -z ${1:-} ]]; then echo "$EXT_URL"; exit 0; fi
    url_for "${1:-$DEFAULT_DB}" ;;
  ensure-db)
    ensure_db "${1:?usage: db.sh ensure-db NAME}" ;;
  drop-db)
    valid_name "${1:?usage: db.sh drop-db NAME}"
    psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" ;;
  psql)
    psql_admin "$@" ;;
  clean)
    # Stop and delete both clusters (including relocated ones).
    env -u DATABASE_URL -u TEST_DATABASE_URL "$0" stop || true
    env -u DATABASE_URL -u TEST_DATABASE_URL "$0" --test stop || true
    for n in pg test-pg; do
      if [[ -L $DATA/$n ]]; then
        target=$(readlink "$DATA/$n")
        rm -rf "$target"
        rmdir "$(dirname "$target")" 2>/dev/null || true
      fi
      rm -rf "${DATA:?}/$n" "$DATA/.$n.lock"
    done
    log "removed $DATA/pg and $DATA/test-pg" ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
