#!/usr/bin/env bash
# The side-by-side of issue 16: each catalogue query on Yurong and on
# PostGraphile, one after the other, in one run, with wrk. Both servers must
# be up on the same PostgreSQL database (README.md says how); this script
# only measures.
#
#   bench/postgraphile/compare.sh            # from the repository root
#
# Environment (defaults in brackets):
#   YURONG_URL  [http://127.0.0.1:18391/graphql]
#   PGL_URL     [http://127.0.0.1:5678/graphql]
#   THREADS [2]  CONNS [8]  DURATION [30s]  N [60000]
#   WARMUP  [5s] an unmeasured wrk run of the same query on each server first
#               (V8's JIT, both servers' cached plans of the operation)
#   QUERIES     [typename by_id products city_page city_count ordered_page ordered_last before_page]
#   ROUNDS  [1]  a second round runs PostGraphile first
#   READY_WAIT [3600] seconds to wait for Yurong's /readyz (its search index)
#   ORDER       Yurong's orderBy literal for ordered_* [detected from its schema]
#
# Prints one markdown row per query and round: req/s and p99 of each, the
# ratio Yurong / PostGraphile, and the load average before each run. A run
# with any bad response (non-200 or a GraphQL error) is reported as such,
# never as a figure.
set -euo pipefail
cd "$(dirname "$0")/../.."

YURONG_URL=${YURONG_URL:-http://127.0.0.1:18391/graphql}
PGL_URL=${PGL_URL:-http://127.0.0.1:5678/graphql}
THREADS=${THREADS:-2}
CONNS=${CONNS:-8}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
N=${N:-60000}
ROUNDS=${ROUNDS:-1}
QUERIES=${QUERIES:-typename by_id products city_page city_count ordered_page ordered_last before_page}
SCRIPT=bench/postgraphile/catalog.lua
export N

post() { # URL BODY
  curl -sS --max-time 30 -H 'Content-Type: application/json' --data-binary "$2" "$1"
}
b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }

# Both servers answer?
for u in "$YURONG_URL" "$PGL_URL"; do
  if ! post "$u" '{"query":"{ __typename }"}' | grep -q '"Query"'; then
    echo "compare.sh: no GraphQL server at $u" >&2
    exit 1
  fi
done

# Yurong ready? It serves while it still builds its search index in the
# background, which would take CPU from the runs: wait for /readyz (up to
# READY_WAIT seconds, default 3600).
ready="${YURONG_URL%/graphql}/readyz"
for ((i = 0; ; i++)); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$ready")" = 200 ] && break
  if (( i >= ${READY_WAIT:-3600} )); then
    echo "compare.sh: $ready is not 200 after ${READY_WAIT:-3600} s" >&2
    exit 1
  fi
  (( i % 60 == 0 )) && echo "compare.sh: waiting for $ready" >&2
  sleep 1
done

# Yurong's orderBy on enterprises, if it has one: an enum value naming the
# founding date, e.g. FOUNDED_ON_ASC.
skip_ordered=""
if [ -z "${ORDER:-}" ]; then
  argtype=$(post "$YURONG_URL" '{"query":"{ __type(name: \"Query\") { fields { name args { name type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } }"}' |
    python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in d["data"]["__type"]["fields"]:
    if f["name"] != "enterprises":
        continue
    for a in f["args"]:
        if a["name"] == "orderBy":
            t = a["type"]
            while t.get("ofType"):
                t = t["ofType"]
            print(t["kind"], t["name"])
')
  if [ -z "$argtype" ]; then
    skip_ordered="Yurong's enterprises has no orderBy"
  else
    set -- $argtype
    if [ "$1" = ENUM ]; then
      ORDER=$(post "$YURONG_URL" "{\"query\":\"{ __type(name: \\\"$2\\\") { enumValues { name } } }\"}" |
        python3 -c 'import json,sys; v=[e["name"] for e in json.load(sys.stdin)["data"]["__type"]["enumValues"]]; print(next((x for x in v if "FOUND" in x and x.endswith("ASC")), next((x for x in v if "FOUND" in x), "")))')
    elif [ "$1" = INPUT_OBJECT ]; then
      ORDER="{field: FOUNDED_ON, direction: ASC}"
    fi
    [ -n "${ORDER:-}" ] || skip_ordered="no founding-date order in Yurong's $2"
  fi
fi
export ORDER=${ORDER:-FOUNDED_ON_ASC}

# The cursor of enterprise 30001 in id order on each server, for
# before_page (last: 20, before: it: enterprises 29981..30000).
skip_before=""
pgl_before=$(post "$PGL_URL" '{"query":"{ enterprises(first: 1, offset: 30000) { edges { cursor } } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["enterprises"]["edges"][0]["cursor"])')
y_before=$(post "$YURONG_URL" "{\"query\":\"{ enterprises(first: 1, after: \\\"$(b64url c30000)\\\") { edges { cursor } } }\"}" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["data"]["enterprises"]["edges"][0]["cursor"] if d.get("data") else "")' 2>/dev/null || true)
if [ -z "$y_before" ]; then
  skip_before="no cursor of enterprise 30001 from Yurong"
elif ! post "$YURONG_URL" "{\"query\":\"{ enterprises(last: 20, before: \\\"$y_before\\\") { edges { node { id } } } }\"}" | grep -q "$(b64url Enterprise:30000)"; then
  skip_before="Yurong's enterprises has no last/before (or it does not page back to enterprise 30000)"
fi

load() { cut -d' ' -f1 /proc/loadavg; }

# run TARGET Q URL BEFORE -> "req/s p99 bad load"
run() {
  local out l
  l=$(load)
  out=$(TARGET=$1 Q=$2 BEFORE=$4 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$SCRIPT" "$3" 2>&1)
  printf '%s\n' "$out" >>"${LOG:-/dev/null}"
  local rps p99 bad non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  bad=$(awk '/^bad responses:/ {print $3}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "${rps:-?} ${p99:-?} $(( ${bad:-0} + ${non2xx:-0} )) $l"
}

echo "# $(date -u +%FT%TZ)  wrk -t$THREADS -c$CONNS -d$DURATION (warm-up $WARMUP)  Yurong $YURONG_URL  PostGraphile $PGL_URL  ORDER=$ORDER"
echo
echo "| query | round | Yurong req/s | Yurong p99 | PostGraphile req/s | PostGraphile p99 | Yurong / PostGraphile | ≥ 3× | load avg (Y, P) |"
echo "|---|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for q in $QUERIES; do
    case $q in
      ordered_page|ordered_last) if [ -n "$skip_ordered" ]; then echo "| $q | $round | skipped: $skip_ordered | | | | | | |"; continue; fi ;;
      before_page) if [ -n "$skip_before" ]; then echo "| $q | $round | skipped: $skip_before | | | | | | |"; continue; fi ;;
    esac
    if [ "$WARMUP" != 0 ]; then
      TARGET=yurong Q=$q BEFORE=$y_before wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$SCRIPT" "$YURONG_URL" >/dev/null 2>&1
      TARGET=postgraphile Q=$q BEFORE=$pgl_before wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$SCRIPT" "$PGL_URL" >/dev/null 2>&1
    fi
    if [ $((round % 2)) = 1 ]; then
      y=$(run yurong "$q" "$YURONG_URL" "$y_before"); p=$(run postgraphile "$q" "$PGL_URL" "$pgl_before")
    else
      p=$(run postgraphile "$q" "$PGL_URL" "$pgl_before"); y=$(run yurong "$q" "$YURONG_URL" "$y_before")
    fi
    set -- $y $p
    if [ "$3" != 0 ] || [ "$7" != 0 ]; then
      echo "| $q | $round | $1 ($3 bad) | $2 | $5 ($7 bad) | $6 | bad responses: no figure | | $4, $8 |"
      continue
    fi
    ratio=$(awk -v a="$1" -v b="$5" 'BEGIN { printf "%.2f", a / b }')
    met=$(awk -v r="$ratio" 'BEGIN { print (r >= 3 ? "yes" : "no") }')
    echo "| $q | $round | $1 | $2 | $5 | $6 | $ratio | $met | $4, $8 |"
  done
done
