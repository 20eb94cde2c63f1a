#!/usr/bin/env bash
# Guard time per statement (JMH): SqlGuard.check over the valid-query corpus of each dialect
# (src/test/resources/sql/valid), against JSqlParser's parse alone of the same statements in the same run.
# No database, no Switchboard process: the guard in this JVM.
#   bench/sql-guard.sh        (JMH_ARGS: extra JMH options, e.g. "-wi 2 -i 3" for a quicker run)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
run_jmh sql-guard SqlGuardBench
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
    err = float(m["scoreError"]) / count[dialect]  # "NaN" when a single iteration gives no interval
    table[(dialect, name)] = (per, err)
print("| dialect | statements | guard µs/statement | JSqlParser parse alone µs/statement | ratio guard/parse |")
print("|---|---|---|---|---|")
for dialect in ("postgresql", "mariadb"):
    g, ge = table[(dialect, "guard")]
    p, pe = table[(dialect, "parseOnly")]
    pm = lambda v, e: f"{v:.1f}" + ("" if e != e else f" ± {e:.1f}")
    print(f"| {dialect} | {count[dialect]} | {pm(g, ge)} | {pm(p, pe)} | {g / p:.2f} |")
PY
)
report=$(cat <<REPORT

## SQL guard time per statement (JMH) — $(date -u +%Y-%m-%d)

- machine: $(machine); load average at the start: ${load_at_start}
- command: \`bench/sql-guard.sh\`${JMH_ARGS:+ (JMH_ARGS="$JMH_ARGS")} (took ${elapsed_s} s)
- set-up (read from JMH's JSON result): ${setup}; one invocation checks every statement of the dialect's valid-query corpus (\`src/test/resources/sql/valid\`), the score divided by the number of statements. \`guard\` = \`SqlGuard.check\` (lexical screen, parse, walk, node coverage, LIMIT, print, parse and walk the printed SQL again); baseline in the same run = \`CCJSqlParserUtil.parseStatements\` of the same statements with JSqlParser's defaults (its own parse thread per call). Error = JMH's 99.9 % interval.

$figures
REPORT
)
echo "$report"
append_result "$report"
