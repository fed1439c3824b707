#!/usr/bin/env bash
# `make run`: release build (precompressed assets) served on 127.0.0.1:3000 (CR_ADDR overrides)
# against the local dev database, with the demo data seeded.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$ROOT/scripts/setup.sh"
. "$ROOT/scripts/env.sh"

"$ROOT/scripts/db.sh" start
db_url=${DATABASE_URL:-$("$ROOT/scripts/db.sh" url)}

cr_leptos_build --release --precompress

addr=${CR_ADDR:-127.0.0.1:3000}
echo "run: serving http://$addr (site $CR_SITE_ROOT, db $db_url)" >&2
cr_exec_server "$CR_SERVER_BIN_RELEASE" "$addr" "$db_url" "${CR_DATA_DIR:-.data}" PROD
