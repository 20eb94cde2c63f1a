#!/usr/bin/env bash
# Start-up to ready (first start with database initialisation, warm restarts) and idle memory, embedded
# shape, for the jar as built and for the jar with a JVM class cache (JDK 24+: AOT cache, JEP 483/514;
# JDK 21-23: AppCDS). Baselines in the same run: PostgreSQL alone from the same binaries (time) and an idle
# JVM (memory).
#   bench/startup.sh            (RUNS=5 warm restarts per mode)
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
JAR=$(jar_path)
DATA=$(mktemp -d "$OUT/startup-XXXX")
PORT=$(free_port)
JDK=$(java_major "$JAVA_HOME")

# start_to_ready JAVA_ARGS...: sets ELAPSED to the ms from launch to /health/ready = 200 and APP to the pid
start_to_ready() {
  local t0; t0=$(now_ms)
  java "$@" --switchboard.data-dir="$DATA" --server.port="$PORT" > "$OUT/startup-app.log" 2>&1 &
  APP=$!
  wait_for_200 "http://127.0.0.1:$PORT/health/ready" 120
  ELAPSED=$(( $(now_ms) - t0 ))
}
stop_app() { kill "$APP"; wait "$APP" 2>/dev/null || true; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

start_to_ready -jar "$JAR"; first=$ELAPSED
sleep 5
jvm_rss=$(rss_kb "$APP"); pg_pss=$(postgres_pss_kb "$DATA/postgres")
stop_app

plain=(); for _ in $(seq 1 "$RUNS"); do start_to_ready -jar "$JAR"; plain+=( "$ELAPSED" ); stop_app; done

# The class cache needs the jar extracted (stable class path), and one training run that exits after refresh.
EXTRACTED="$OUT/extracted"; rm -rf "$EXTRACTED"
java -Djarmode=tools -jar "$JAR" extract --destination "$EXTRACTED" > /dev/null
APP_JAR=$(ls "$EXTRACTED"/*.jar | head -1)
if [ "$JDK" -ge 24 ]; then
  CACHE_MODE="AOT cache (-XX:AOTCache)"; TRAIN=(-XX:AOTCacheOutput="$EXTRACTED/app.aot"); USE=(-XX:AOTCache="$EXTRACTED/app.aot")
else
  CACHE_MODE="AppCDS (-XX:SharedArchiveFile)"; TRAIN=(-XX:ArchiveClassesAtExit="$EXTRACTED/app.jsa"); USE=(-XX:SharedArchiveFile="$EXTRACTED/app.jsa")
fi
java "${TRAIN[@]}" -Dspring.context.exit=onRefresh -jar "$APP_JAR" --switchboard.data-dir="$DATA" --server.port="$PORT" > "$OUT/startup-training.log" 2>&1
cached=(); for _ in $(seq 1 "$RUNS"); do start_to_ready "${USE[@]}" -jar "$APP_JAR"; cached+=( "$ELAPSED" ); stop_app; done

# Baseline 1: PostgreSQL alone, same binaries, same (initialised) data directory.
PG_BIN=$(dirname "$(ls -d /tmp/embedded-pg/PG-*/bin/pg_ctl | head -1)")
# As root, run it in a user namespace the way the embedded-postgres library does (PostgreSQL refuses root).
AS_USER=(); [ "$(id -u)" = 0 ] && AS_USER=(unshare -U)
t0=$(now_ms); "${AS_USER[@]}" "$PG_BIN/pg_ctl" -D "$DATA/postgres" -o "-p $(free_port) -c listen_addresses=127.0.0.1" -w -l "$OUT/startup-pg.log" start > /dev/null
pg_only=$(( $(now_ms) - t0 )); "${AS_USER[@]}" "$PG_BIN/pg_ctl" -D "$DATA/postgres" -m fast -w stop > /dev/null

# Baseline 2: an idle JVM running nothing (same JDK, default heap settings).
compile_benchmarks
java -cp "$ROOT/target/test-classes" bench.support.IdleJvm & IDLE=$!; sleep 3; idle_rss=$(rss_kb "$IDLE"); kill "$IDLE"; wait "$IDLE" 2>/dev/null || true
rm -rf "$DATA"

plain_median=$(median "${plain[@]}"); cached_median=$(median "${cached[@]}")
report=$(cat <<REPORT

## Start-up and idle memory — $(date -u +%Y-%m-%d)

- machine: $(machine)
- command: \`bench/startup.sh\` (RUNS=$RUNS); "ready" = \`GET /health/ready\` answers 200
- first start to ready, plain jar (initdb + migrations): **${first} ms** (target < 15 000 ms)
- warm restart to ready, plain jar, median of $RUNS: **${plain_median} ms** (runs: ${plain[*]}; target < 6 000 ms)
- warm restart to ready, extracted jar with $CACHE_MODE, median of $RUNS: **${cached_median} ms** (runs: ${cached[*]})
- baseline, PostgreSQL alone from the same binaries: ${pg_only} ms → plain warm start / PostgreSQL alone = $(awk "BEGIN {printf \"%.1f\", $plain_median / $pg_only}")×; cached / plain = $(awk "BEGIN {printf \"%.2f\", $cached_median / $plain_median}")×
- idle memory 5 s after the first start: JVM RSS **$(( jvm_rss / 1024 )) MB** + embedded PostgreSQL PSS $(( pg_pss / 1024 )) MB = **$(( (jvm_rss + pg_pss) / 1024 )) MB** (target < 512 MB)
- baseline, an idle JVM doing nothing: RSS $(( idle_rss / 1024 )) MB → Switchboard JVM / idle JVM = $(awk "BEGIN {printf \"%.1f\", $jvm_rss / $idle_rss}")×
REPORT
)
echo "$report"
append_result "$report"
