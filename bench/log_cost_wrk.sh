#!/bin/bash
# The access log's cost as served: `rolodex serve` with the log on, then off, in turn,
# each driven by wrk on one path (stderr to a file, as a person would redirect it), with
# the server's CPU per request from /proc. Needs wrk (`apt-get install wrk`).
#
#   bench/log_cost_wrk.sh [ROUNDS=3] [SECONDS=10] [PATH=/healthz]
#
# Prints one line per run: requests/s, the server's user+system CPU per request, and the
# access lines written. See docs/benchmarks.md ("The access log's cost").
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; SECONDS_EACH=${2:-10}; TARGET=${3:-/healthz}
PYTHON=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d /tmp/rolodex-log-cost.XXXX)
trap 'rm -rf "$WORK"' EXIT
ROLODEX_DATA_DIR=$WORK/data $PYTHON -m rolodex.cli accounts create \
  --email log-cost@example.com --password log-cost-password >/dev/null 2>&1
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq 1 "$ROUNDS"); do
  for log in true false; do
    port=$($PYTHON -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    ROLODEX_DATA_DIR=$WORK/data ROLODEX_WEBHOOK_WORKER=false ROLODEX_RATE_LIMIT_ENABLED=false \
      ROLODEX_ACCESS_LOG=$log $PYTHON -m rolodex.cli serve --port "$port" \
      2>"$WORK/log-$log-$round.txt" >/dev/null &
    server=$!
    for _ in $(seq 1 300); do
      curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
      sleep 0.2
    done
    wrk -t1 -c32 -d2s "http://127.0.0.1:$port$TARGET" >/dev/null  # warm-up
    before=$(cpu_ticks "$server")
    out=$(wrk -t1 -c32 -d"${SECONDS_EACH}s" "http://127.0.0.1:$port$TARGET")
    after=$(cpu_ticks "$server")
    kill "$server"; wait "$server" 2>/dev/null || true
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    done_requests=$(echo "$out" | awk '/requests in/ {print $1}')
    tick=$(getconf CLK_TCK)
    lines=$(grep -c '"logger":"rolodex.access"' "$WORK/log-$log-$round.txt" || true)
    awk -v r="$round" -v l="$log" -v rps="$rps" -v t=$((after - before)) -v n="$done_requests" \
      -v hz="$tick" -v lines="$lines" \
      'BEGIN { printf "round %s access log %-5s %10s req/s %6.1f us CPU per request, %s lines\n", r, l, rps, t / hz * 1e6 / n, lines }'
  done
done
