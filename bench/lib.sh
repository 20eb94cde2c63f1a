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

jar_path() {
  local jar
  jar=$(ls "$ROOT"/target/switchboard-*.jar 2>/dev/null | grep -v original | head -1 || true)
  if [ -z "$jar" ] || [ -n "${REBUILD:-}" ]; then
    (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests package) >&2
    jar=$(ls "$ROOT"/target/switchboard-*.jar | grep -v original | head -1)
  fi
  echo "$jar"
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

machine() { echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), JDK $(java_major "$JAVA_HOME")"; }

append_result() { printf '%s\n' "$1" >> "$BENCH_DIR/RESULTS.md"; }

# prepare_load_generator NAME: a private work directory $WORK (removed on exit) with copies of the jar
# ($WORK/switchboard.jar), the compiled classes and the fake provider, so that a build running meanwhile cannot pull
# them from under the run; and $CP, the class path of the Java load generators in bench/src (launched as source files:
# KnowledgeBench.java uses ChatBench.java beside it, which needs JDK 22+).
prepare_load_generator() {
  local jar cp_file="$OUT/classpath.txt"
  jar=$(jar_path)
  # The fake provider lives in the test classes (a jar built with -DskipTests still compiles them).
  if [ ! -f "$ROOT/target/test-classes/dev/switchboard/fakellm/FakeLlmServer.class" ]; then
    (cd "$ROOT" && ./mvnw -q -B -ntp test-compile) >&2
  fi
  WORK=$(mktemp -d "$OUT/$1-XXXX")
  trap 'rm -rf "$WORK"' EXIT
  cp "$jar" "$WORK/switchboard.jar"
  mkdir -p "$WORK/fake/dev/switchboard" && cp -r "$ROOT/target/test-classes/dev/switchboard/fakellm" "$WORK/fake/dev/switchboard/"
  cp -r "$ROOT/target/classes" "$WORK/classes"
  (cd "$ROOT" && ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$cp_file" > /dev/null)
  CP="$WORK/fake:$WORK/classes:$(cat "$cp_file")"
}

# SciFact (BEIR format): corpus and training split, beside the repository unless SCIFACT says otherwise.
SCIFACT=${SCIFACT:-$ROOT/../shared/data/scifact}
