#!/usr/bin/env bash
# Search latency (POST /api/knowledge/search, query embedding included) over a knowledge base of 100,000 chunks: the
# SciFact abstracts ingested by the real pipeline, filled up to 100,000 chunks with document and chunk rows (text, vector,
# model) inserted with SQL into the running Switchboard's database (copies of the real chunks and synthetic ones mixed
# from them: no model run), which its index follower indexes as a replica's index gets another replica's chunks; one
# client, then CONCURRENCY closed-loop clients driven by wrk (so that the load generator takes little of the shared cores),
# after a warm-up at that level. Baselines in the same run: the same search over the
# pipeline's SciFact knowledge base alone, GET /health/live from the same client, the query embedding alone; then the
# retrieval's steps timed in-process on the same index.
#   bench/search.sh        (REAL_DOCS=5183, CHUNKS=100000, REQUESTS=1000 (one client, per request kind), CONCURRENCY=4,16,
#                           LEVEL_SECONDS=15 per level and knowledge base, WARMUP_SECONDS=60 per level, TOP_K=8, FOLLOW_TIMEOUT_MIN=30, MERGE_TIMEOUT_MIN=10, PROFILE=1: a JFR profile of Switchboard during the first CONCURRENCY level over the large knowledge base; APP_JVM_ARGS="--add-modules jdk.incubator.vector" by default, as deploy/Dockerfile runs Switchboard (Lucene's vector scoring; APP_JVM_ARGS= turns it off): options for Switchboard's JVM, and the load generator's, which runs the baseline model)
source "$(dirname "$0")/lib.sh"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
export REAL_DOCS=${REAL_DOCS:-5183} CHUNKS=${CHUNKS:-100000} REQUESTS=${REQUESTS:-1000} CONCURRENCY=${CONCURRENCY:-4,16} TOP_K=${TOP_K:-8}
export LEVEL_SECONDS=${LEVEL_SECONDS:-15} WARMUP_SECONDS=${WARMUP_SECONDS:-60}
prepare_load_generator search
export APP_JVM_ARGS=${APP_JVM_ARGS---add-modules jdk.incubator.vector}

jvm_args=""; [ -z "${APP_JVM_ARGS:-}" ] || jvm_args="APP_JVM_ARGS=\"$APP_JVM_ARGS\" "
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
# shellcheck disable=SC2086 # APP_JVM_ARGS holds several JVM options: split on purpose
java ${APP_JVM_ARGS:-} -cp "$CP" bench.SearchBench "$WORK/switchboard.jar" "$WORK" "$OUT" "$SCIFACT/corpus.jsonl" \
  "$SCIFACT/queries-train.jsonl" | tee "$OUT/search.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Knowledge search latency over $CHUNKS chunks — $(date -u +%Y-%m-%d)

- machine: $(machine); **the load generator, Switchboard and its embedded PostgreSQL share the $(nproc) cores**; load average at the start: ${load_at_start}
- command: \`${jvm_args}bench/search.sh\` (REAL_DOCS=$REAL_DOCS, CHUNKS=$CHUNKS, REQUESTS=$REQUESTS per request kind with one client, CONCURRENCY=$CONCURRENCY, LEVEL_SECONDS=$LEVEL_SECONDS per level and knowledge base after WARMUP_SECONDS=$WARMUP_SECONDS, TOP_K=$TOP_K; took ${elapsed_s} s, ingestion and fill included)
- set-up: \`POST /api/knowledge/search {query, knowledgeBaseIds: [one], topK: $TOP_K}\` with the bootstrap admin's API key; queries: SciFact training claims in random order (each embedded by the server: the figures include the query embedding); a search is checked (200 and $TOP_K results, each kept only if its chunk row exists). One client: the search over $CHUNKS chunks, the same over the pipeline's SciFact base and \`GET /health/live\` taking turns, after a warm-up; then closed loops of CONCURRENCY connections driven by wrk (-t1, -t2 from 2 connections; each answer checked in its Lua script: status 200 and $TOP_K results, otherwise counted as failed), after a warm-up over the large knowledge base at the same level. Target: p99 < 50 ms.

$(cat "$OUT/search.txt")
REPORT
)
echo "$report"
append_result "$report"
