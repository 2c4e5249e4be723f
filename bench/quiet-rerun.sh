#!/usr/bin/env bash
# The benchmarks quoted in bench/RESULTS.md, one after the other, on a quiet
# machine (nothing else running). Logs go to $OUT (default /tmp/otel-lab-bench).
#
#   npm run build && bench/quiet-rerun.sh [--with-10m]
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-/tmp/otel-lab-bench}"
mkdir -p "$out"
run() {
  local name="$1"
  shift
  echo "== $name: $* (load: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S))"
  "$@" >"$out/$name.log" 2>&1
  echo "   exit $? -> $out/$name.log"
}
run ingest-http node dist/bench/ingest-http.js --seconds 30 --read-seconds 20
run ingest-http-serve node dist/bench/ingest-http.js --seconds 30 --read-seconds 0 --backend process
run read-during-ingest node dist/bench/read-during-ingest.js
run trace-search-1m node dist/bench/trace-search.js --spans 1000000 --runs 100
run metrics-ingest node dist/bench/metrics-ingest.js --samples 2000000
run promql-vs-prometheus node bench/promql-vs-prometheus.mjs
run promql-vs-prometheus-uncached node bench/promql-vs-prometheus.mjs --store duckdb --cache-bytes 0 --compact
run shop-footprint node bench/shop-footprint.mjs --seconds 60 --backend
if [ "${1:-}" = "--with-10m" ]; then
  run trace-search-10m node dist/bench/trace-search.js --spans 10000000 --runs 100
fi
