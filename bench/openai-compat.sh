#!/usr/bin/env bash
# The OpenAI-compatible endpoints of issue 19: /v1/embeddings throughput against the embedding model called in process
# (the ratio), and the latency /v1/responses adds to /v1/chat/completions for the same persona (fake model answering at
# once). One Switchboard (child JVM, embedded PostgreSQL), one client.
#   bench/openai-compat.sh        (BATCH=32 texts per request, ROUNDS=5; REQUESTS=500 of each kind, WARMUP=100;
#                                  PARTS=embeddings,latency — either alone to run only that part)
source "$(dirname "$0")/lib.sh"
export BATCH=${BATCH:-32} ROUNDS=${ROUNDS:-5} REQUESTS=${REQUESTS:-500} WARMUP=${WARMUP:-100} PARTS=${PARTS:-embeddings,latency}
[ -f "$SCIFACT/corpus.jsonl" ] || { echo "SciFact not found in $SCIFACT (set SCIFACT=dir)" >&2; exit 1; }
prepare_load_generator openai-compat

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
java -cp "$CP" bench.OpenAiCompatBench "$WORK/switchboard.jar" "$WORK" "$OUT" "$SCIFACT" | tee "$OUT/openai-compat.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

EMBEDDINGS_SETUP="" LATENCY_SETUP=""
[[ $PARTS == *embeddings* ]] && EMBEDDINGS_SETUP=" Embeddings: the first $BATCH SciFact abstracts (title + text, cut to 1,000 characters), one request of all $BATCH per call, 4 calls a round; the baseline embeds the same $BATCH texts with \`BgeSmallEmbedder\` (default workers) in the load generator's JVM while Switchboard is idle, alternating with it round by round."
[[ $PARTS == *latency* ]] && LATENCY_SETUP=" Latency: one client, \`/v1/chat/completions\`, \`/v1/responses\` with \`store: false\`, stored \`/v1/responses\` and \`/api/chat\` taking turns."
report=$(cat <<REPORT

## OpenAI-compatible endpoints: embeddings throughput, responses latency — $(date -u +%Y-%m-%d)

- machine: $(machine); **the load generator (with the fake provider and, for the baseline, its own copy of the embedding model), Switchboard and its embedded PostgreSQL share the cores**; load average at the start: ${load_at_start}
- command: \`bench/openai-compat.sh\` (PARTS=$PARTS, BATCH=$BATCH, ROUNDS=$ROUNDS, REQUESTS=$REQUESTS, WARMUP=$WARMUP; took ${elapsed_s} s)
- set-up: Switchboard from the jar with the default in-process embedding model (bge-small-en-v1.5-q), enterprise API key, default chain \`fake:gpt-bench\` (\`FakeLlmServer\`, OpenAI wire format, answering at once).${EMBEDDINGS_SETUP}${LATENCY_SETUP}

$(cat "$OUT/openai-compat.txt")
REPORT
)
echo "$report"
append_result "$report"
