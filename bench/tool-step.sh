#!/usr/bin/env bash
# The added time of one tool step of a chat turn, excluding the tool and the model: POST /api/chat turns of a persona
# whose (fake) model first calls a trivial tool (search_knowledge without a knowledge base) and then answers, against
# the same turn of a persona without tools, one client, the two taking turns. Each turn's model time is what
# Switchboard recorded (switchboard_llm_latency_seconds_sum around the turn), the tool's own time is measured in the
# load generator's JVM; both are subtracted.
#   bench/tool-step.sh        (TURNS=500 of each persona, WARMUP=100)
source "$(dirname "$0")/lib.sh"
export TURNS=${TURNS:-500} WARMUP=${WARMUP:-100}
prepare_load_generator tool-step

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
java -cp "$CP" bench.ToolStepBench tool-step "$WORK/switchboard.jar" "$WORK" "$OUT" | tee "$OUT/tool-step.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Added time of a tool step — $(date -u +%Y-%m-%d)

- machine: $(machine); **the load generator (and the fake provider, in the same JVM), Switchboard and its embedded PostgreSQL share the $(nproc) cores**; load average at the start: ${load_at_start}${BUSY_NOTE:+; $BUSY_NOTE}
- command: \`bench/tool-step.sh\` (TURNS=$TURNS of each persona, WARMUP=$WARMUP; took ${elapsed_s} s)
- set-up: one sequential client, \`POST /api/chat\` (new session each turn) with an enterprise API key; default chain \`fake:gpt-bench\` (\`FakeLlmServer\`, OpenAI wire format, answering at once). Persona \`tooled\` (allowed \`search_knowledge\`, no knowledge base): the fake asks for one \`search_knowledge\` call, the tool answers at once that there is no knowledge base, the fake then answers. Persona \`bench\` (no tools): the fake answers. The two take turns. Model time per turn = growth of \`switchboard_llm_latency_seconds_sum\` (every call of the turn, as Switchboard timed it) read from \`/metrics\` right before and after the turn. Added time of a tool step = (latency − model time) with the step − the same percentile without − the tool's own time.

$(cat "$OUT/tool-step.txt")
REPORT
)
echo "$report"
append_result "$report"
