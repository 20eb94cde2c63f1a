#!/usr/bin/env bash
# Guard time per statement (JMH): SqlGuard.check over the valid-query corpus of each dialect
# (src/test/resources/sql/valid), against JSqlParser's parse alone of the same statements in the same run.
# No database, no Switchboard process: the guard in this JVM.
#   bench/sql-guard.sh        (JMH_ARGS: extra JMH options, e.g. "-wi 2 -i 3" for a quicker run)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -d target/classes/dev/switchboard/sql/internal/guard ] && [ -z "${REBUILD:-}" ] || ./mvnw -q -B -ntp -DskipTests compile >&2
WORK=$(mktemp -d "$OUT/sql-guard-XXXX")
trap 'rm -rf "$WORK"' EXIT
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" > /dev/null
# JMH is not a project dependency (the default build stays as it is): fetched into the local repository here.
for artifact in jmh-core jmh-generator-annprocess; do
  ./mvnw -q -B -ntp dependency:get -Dartifact=org.openjdk.jmh:$artifact:1.37 > /dev/null
done
M2="${MAVEN_REPO:-$HOME/.m2/repository}/org/openjdk/jmh"
JMH="$M2/jmh-core/1.37/jmh-core-1.37.jar:$M2/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar"
JOPT=$(find "${MAVEN_REPO:-$HOME/.m2/repository}/net/sf/jopt-simple" -name 'jopt-simple-*.jar' | sort | tail -1)
MATH=$(find "${MAVEN_REPO:-$HOME/.m2/repository}/org/apache/commons/commons-math3" -name 'commons-math3-*.jar' | sort | tail -1)
CP="$ROOT/target/classes:$(cat "$WORK/cp.txt"):$JMH:$JOPT:$MATH"
mkdir -p "$WORK/classes"
javac -proc:full -cp "$CP" -d "$WORK/classes" "$BENCH_DIR/src/SqlGuardBench.java"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
java -cp "$WORK/classes:$CP" org.openjdk.jmh.Main bench.SqlGuardBench ${JMH_ARGS:-} -rf json -rff "$WORK/result.json" \
  | tee "$OUT/sql-guard.txt" >&2
elapsed_s=$(( ($(now_ms) - started) / 1000 ))
figures=$(python3 - "$WORK/result.json" "$ROOT/src/test/resources/sql/valid" <<'PY'
import json, sys, os
results = json.load(open(sys.argv[1]))
count = {}
for dialect in ("postgresql", "mariadb"):
    count[dialect] = sum(1 for line in open(os.path.join(sys.argv[2], dialect + ".sql")) if line.startswith("=== "))
table = {}
for r in results:
    name = r["benchmark"].split(".")[-1]
    dialect = r["params"]["dialect"]
    m = r["primaryMetric"]
    per = m["score"] / count[dialect]
    err = m["scoreError"] / count[dialect]
    table[(dialect, name)] = (per, err)
print("| dialect | statements | guard µs/statement | JSqlParser parse alone µs/statement | ratio guard/parse |")
print("|---|---|---|---|---|")
for dialect in ("postgresql", "mariadb"):
    g, ge = table[(dialect, "guard")]
    p, pe = table[(dialect, "parseOnly")]
    print(f"| {dialect} | {count[dialect]} | {g:.1f} ± {ge:.1f} | {p:.1f} ± {pe:.1f} | {g / p:.2f} |")
PY
)
report=$(cat <<REPORT

## SQL guard time per statement (JMH) — $(date -u +%Y-%m-%d)

- machine: $(machine); other helpers' builds share the 2 cores; load average at the start: ${load_at_start}
- command: \`bench/sql-guard.sh\`${JMH_ARGS:+ (JMH_ARGS="$JMH_ARGS")} (took ${elapsed_s} s)
- set-up: JMH 1.37, average time, 1 fork, 5 warm-up and 5 measured iterations of 2 s; one invocation checks every statement of the dialect's valid-query corpus (\`src/test/resources/sql/valid\`), the score divided by the number of statements. \`guard\` = \`SqlGuard.check\` (lexical screen, parse, walk, node coverage, LIMIT, print, parse and walk the printed SQL again); baseline in the same run = \`CCJSqlParserUtil.parseStatements\` of the same statements with JSqlParser's defaults (its own parse thread per call). Error = JMH's 99.9 % interval.

$figures
REPORT
)
echo "$report"
append_result "$report"
