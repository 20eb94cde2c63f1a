# shellcheck shell=bash
# Shared helpers for the benchmark scripts. Source it; it picks a JDK 21+ like .ci/run and builds the jar.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
OUT="$BENCH_DIR/out"
mkdir -p "$OUT"

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -lt 21 ]; then
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 21 ] && JAVA_HOME="$candidate"
  done
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

# jar_path: the application's jar in target/, built first when there is none or REBUILD is set.
jar_path() {
  local jar
  jar=$(built_jar)
  if [ -z "$jar" ] || [ -n "${REBUILD:-}" ]; then
    (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests package) >&2
    jar=$(built_jar)
    [ -n "$jar" ] || { echo "the build left no target/switchboard-*.jar" >&2; return 1; }
  fi
  echo "$jar"
}

# built_jar: the first target/switchboard-*.jar that is not the plain jar Spring Boot's repackaging keeps; nothing if none.
built_jar() {
  local jar
  for jar in "$ROOT"/target/switchboard-*.jar; do
    case $jar in
      *original*) ;;
      *) if [ -f "$jar" ]; then echo "$jar"; return 0; fi ;;
    esac
  done
  return 0
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

now_ms() { date +%s%3N; }

# wait_ready URL TIMEOUT_S: polls until 200, prints elapsed ms since $2-start is the caller's business
wait_for_200() {
  local url=$1 deadline=$(( $(date +%s) + $2 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = "200" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for $url" >&2; return 1; }
    sleep 0.05
  done
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

# Proportional set size of the embedded PostgreSQL: the postmaster and its children. PSS shares the shared
# buffers out among the processes instead of counting them once per process, as summed RSS would.
postgres_pss_kb() {
  local postmaster total pid
  postmaster=$(head -1 "$1/postmaster.pid" 2>/dev/null || true)
  [ -n "$postmaster" ] || { echo 0; return; }
  total=$(pss_kb "$postmaster")
  for pid in $(pgrep -P "$postmaster" || true); do total=$(( total + $(pss_kb "$pid") )); done
  echo "$total"
}

# machine: what this run reads of the machine: cores online, the CPU model (/proc/cpuinfo), memory, kernel, JDK.
machine() {
  local model
  model=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)
  echo "$(nproc) cores${model:+ ($model)}, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), JDK $(java_major "$JAVA_HOME"), load average $(cut -d' ' -f1-3 /proc/loadavg) when the report was written"
}

# append_result ENTRY: adds ENTRY (markdown from its "## Title — date" heading) to RESULTS.md, which keeps the latest
# entry of each benchmark at the top and the earlier ones below (bench.support.Results).
append_result() {
  compile_benchmarks
  printf '%s\n' "$1" | java -cp "$ROOT/target/test-classes" bench.support.Results "$BENCH_DIR/RESULTS.md"
}

# compile_benchmarks: the benchmarks in bench/src are a test source root of the build (pom.xml, build-helper), so
# `./mvnw test-compile` compiles them with the tests, JMH's annotation processor included; compiled again here
# when a source is newer than its classes (or REBUILD is set).
compile_benchmarks() {
  local marker="$ROOT/target/test-classes/bench/support/Bench.class"
  if [ -n "${REBUILD:-}" ] || [ ! -f "$marker" ] || [ ! -f "$ROOT/target/test-classes/dev/switchboard/fakellm/FakeLlmServer.class" ] \
      || [ -n "$(find "$BENCH_DIR/src" -name '*.java' -newer "$marker" | head -1)" ]; then
    (cd "$ROOT" && ./mvnw -q -B -ntp test-compile) >&2
  fi
}

# bench_classpath FILE: the test class path of the build (dependencies, JMH included) written to FILE.
bench_classpath() {
  (cd "$ROOT" && ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$1" > /dev/null)
}

# run_jmh NAME CLASS: runs the JMH benchmark bench.CLASS (JMH_ARGS: extra JMH options) on the build's test class
# path, in a private work directory $WORK (removed on exit); JMH's output goes to $OUT/NAME.txt, its JSON result to
# $WORK/result.json and $OUT/NAME.json. Sets $CP (the class path it ran with), $load_at_start, $elapsed_s (seconds)
# and $setup (the set-up read from the JSON result, for the report).
# shellcheck disable=SC2034 # $load_at_start, $elapsed_s and $setup are for the calling script's report
run_jmh() {
  local name=$1 class=$2 started
  compile_benchmarks
  WORK=$(mktemp -d "$OUT/$name-XXXX")
  trap 'rm -rf "$WORK"' EXIT
  bench_classpath "$WORK/cp.txt"
  # The benchmark classes and JMH's generated harness (META-INF/BenchmarkList) come from the build's test-compile.
  CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$WORK/cp.txt")"
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  started=$(now_ms)
  # JMH_ARGS holds several options: split on purpose.
  # shellcheck disable=SC2086
  java -cp "$CP" org.openjdk.jmh.Main "bench.$class" -foe true ${JMH_ARGS:-} -rf json -rff "$WORK/result.json" \
    | tee "$OUT/$name.txt" >&2
  elapsed_s=$(( ($(now_ms) - started) / 1000 ))
  cp "$WORK/result.json" "$OUT/$name.json"
  setup=$(java -cp "$CP" bench.support.JmhReport setup "$WORK/result.json")
}

# prepare_load_generator NAME: a private work directory $WORK (removed on exit) with copies of the jar
# ($WORK/switchboard.jar), the compiled classes, the compiled benchmarks and the fake provider, so that a build
# running meanwhile cannot pull them from under the run; and $CP, the class path to run a benchmark class with
# (`java -cp "$CP" bench.ChatTurnsBench ...`).
prepare_load_generator() {
  local jar cp_file
  jar=$(jar_path)
  compile_benchmarks
  WORK=$(mktemp -d "$OUT/$1-XXXX")
  trap 'rm -rf "$WORK"' EXIT
  cp "$jar" "$WORK/switchboard.jar"
  mkdir -p "$WORK/fake/dev/switchboard" "$WORK/bench-classes/META-INF"
  cp -r "$ROOT/target/test-classes/dev/switchboard/fakellm" "$WORK/fake/dev/switchboard/"
  cp -r "$ROOT/target/test-classes/bench" "$WORK/bench-classes/"
  cp "$ROOT/target/test-classes/META-INF/BenchmarkList" "$WORK/bench-classes/META-INF/" 2>/dev/null || true
  cp -r "$ROOT/target/classes" "$WORK/classes"
  cp_file="$WORK/classpath.txt"
  bench_classpath "$cp_file"
  CP="$WORK/bench-classes:$WORK/fake:$WORK/classes:$(cat "$cp_file")"
}

# SciFact (BEIR format): corpus and training split, beside the repository unless SCIFACT says otherwise.
SCIFACT=${SCIFACT:-$ROOT/../shared/data/scifact}
