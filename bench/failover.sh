#!/usr/bin/env bash
# LLM failover under concurrent load: a healthy baseline, then the primary refusing connections, answering 500
# and timing out (1 s timeout, max-retries 0), each with the secondary healthy; end-to-end latency percentiles,
# failed requests, which target answered, and the latency added over the baseline. Runs Switchboard twice:
# circuit breaker effectively off (raw per-request failover), then the default breaker.
#   bench/failover.sh        (REQUESTS=400 per scenario, CONCURRENCY=16 clients)
source "$(dirname "$0")/lib.sh"
REQUESTS=${REQUESTS:-400}
CONCURRENCY=${CONCURRENCY:-16}
prepare_load_generator failover
mkdir -p "$WORK/data"

started=$(now_ms)
java -cp "$CP" bench.FailoverBench \
  "$WORK/switchboard.jar" "$WORK/data" "$OUT" "$REQUESTS" "$CONCURRENCY" | tee "$OUT/failover.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## LLM failover — $(date -u +%Y-%m-%d)

- machine: $(machine); load generator, fake providers and Switchboard share the cores
- command: \`bench/failover.sh\` (REQUESTS=$REQUESTS per scenario from CONCURRENCY=$CONCURRENCY closed-loop clients, scenarios taking turns in 5 rounds, after a warm-up; took ${elapsed_s} s)
- set-up: \`POST /api/providers/test\` with the chain \`<primary>:gpt-bench,secondary:gpt-bench\`; every provider is an in-process \`FakeLlmServer\` (OpenAI wire format) configured with connect/first-token/total timeout 1 s and max-retries 0. Each fault has its own provider id (\`refusing\` = a port nobody listens on, \`erroring\` = always 500, \`stalling\` = answers after 3 s), so each scenario starts with a closed breaker. "Failed" = not 200 with the answering fake's text, or, when the primary is faulty, not answered by the secondary (a healthy primary answered by the secondary is a needless failover, shown under "answered by").
- cold start = the first $((4 * CONCURRENCY)) requests once \`/health/ready\` says UP, through their own providers (\`c-primary\`, \`c-secondary\`), before any warm-up; the warm-up then uses \`w-*\` providers on the same fakes, so the measured breakers start closed.
- "breaker off" = \`minimum-calls\` and \`sliding-window-size\` 100000: every request pays for the failing call. "default breaker" = 50 % of the last 10 calls, at least 4, open 30 s: after a few failures the primary is skipped (\`breaker_open\`).
- added latency = scenario percentile − baseline percentile of the same configuration in the same run; target: at most the configured timeout + 50 ms (1050 ms), judged at p50 and p99. The time Switchboard itself records for the failed attempt (\`attempts[].latencyMs\`) is shown next to it, and for the baseline the same figure for the healthy call.

$(cat "$OUT/failover.txt")
REPORT
)
echo "$report"
append_result "$report"
