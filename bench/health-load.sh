#!/usr/bin/env bash
# GET /health throughput and latency at 64 connections with wrk (Debian package), against a running
# embedded-shape Switchboard. Baseline in the same run: the JDK's own minimal HTTP server (jwebserver)
# serving the same JSON as a static file.
#   bench/health-load.sh        (DURATION=20s WARMUP=20s CONNECTIONS=64 THREADS=2)
source "$(dirname "$0")/lib.sh"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
DURATION=${DURATION:-20s}; WARMUP=${WARMUP:-20s}; CONNECTIONS=${CONNECTIONS:-64}; THREADS=${THREADS:-2}
JAR=$(jar_path)
DATA=$(mktemp -d "$OUT/health-XXXX")
PORT=$(free_port)

java -jar "$JAR" --switchboard.data-dir="$DATA" --server.port="$PORT" > "$OUT/health-app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; rm -rf "$DATA"' EXIT
wait_for_200 "http://127.0.0.1:$PORT/health/ready" 120
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$PORT/health" > /dev/null   # warm-up (JIT)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/health" > "$OUT/health-wrk.txt"

STATIC=$(mktemp -d "$OUT/static-XXXX"); BPORT=$(free_port)
curl -s "http://127.0.0.1:$PORT/health" > "$STATIC/health.json"
jwebserver -b 127.0.0.1 -p "$BPORT" -d "$STATIC" -o NONE > /dev/null 2>&1 &
BASE=$!
trap 'kill $APP $BASE 2>/dev/null || true; rm -rf "$DATA" "$STATIC"' EXIT
wait_for_200 "http://127.0.0.1:$BPORT/health.json" 30
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$BPORT/health.json" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$BPORT/health.json" > "$OUT/health-baseline-wrk.txt"

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1" | tr '\n' ' '; }

report=$(cat <<REPORT

## GET /health under load — $(date -u +%Y-%m-%d)

- machine: $(machine); client and server share the $(nproc) cores
- command: \`bench/health-load.sh\` (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, after a $WARMUP warm-up)
- Switchboard \`/health\`: **$(rps "$OUT/health-wrk.txt") req/s**, p50 $(pct "$OUT/health-wrk.txt" 50%), p99 **$(pct "$OUT/health-wrk.txt" 99%)** $(errors "$OUT/health-wrk.txt")
- baseline, jwebserver serving the same JSON statically: $(rps "$OUT/health-baseline-wrk.txt") req/s, p50 $(pct "$OUT/health-baseline-wrk.txt" 50%), p99 $(pct "$OUT/health-baseline-wrk.txt" 99%)
- Switchboard / baseline throughput = $(awk "BEGIN {printf \"%.2f\", $(rps "$OUT/health-wrk.txt") / $(rps "$OUT/health-baseline-wrk.txt")}")×
REPORT
)
echo "$report"
append_result "$report"
