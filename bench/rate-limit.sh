#!/usr/bin/env bash
# In-process rate-limit decision (JMH): Switchboard's LocalRateLimiter deciding on a key's bucket and its user's,
# against the same limiter on one bucket and Bucket4j alone on two buckets, in the same run. No Switchboard process.
#   bench/rate-limit.sh        (JMH_ARGS: extra JMH options, e.g. "-wi 2 -i 3 -f 1" for a quicker run)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
run_jmh rate-limit RateLimitBench
score() { python3 -c 'import json,sys; print(next(r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1])) if r["benchmark"].endswith("." + sys.argv[2])))' "$WORK/result.json" "$1"; }
table=$(java -cp "$CP" bench.support.JmhReport table "$WORK/result.json")
report=$(cat <<REPORT

## In-process rate-limit decision (JMH) — $(date -u +%Y-%m-%d)

- machine: $(machine); load average at the start: ${load_at_start}
- command: \`bench/rate-limit.sh\`${JMH_ARGS:+ (JMH_ARGS="$JMH_ARGS")} (took ${elapsed_s} s)
- set-up (read from JMH's JSON result): ${setup}
- \`localKeyAndUser\` = \`LocalRateLimiter.consume\` (Switchboard's limiter without Redis) on a key's bucket and its user's, every decision allowed; baselines in the same run: \`localOneBucket\` = the same limiter on one bucket, \`bucket4jTwoBuckets\` = Bucket4j alone taking a token from each of two buckets held in fields. Error = JMH's 99.9 % interval.

${table}

- LocalRateLimiter on two buckets / Bucket4j alone on two buckets: $(python3 -c "print(f'{$(score localKeyAndUser) / $(score bucket4jTwoBuckets):.2f}×')")
REPORT
)
echo "$report"
append_result "$report"
