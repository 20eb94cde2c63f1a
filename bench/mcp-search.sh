#!/usr/bin/env bash
# MCP tools/call of search_knowledge against the REST search (POST /api/knowledge/search) over the same knowledge
# base: the first REAL_DOCS SciFact abstracts ingested by the real pipeline; one client, the two and GET /health/live
# taking turns, each search with a random SciFact training claim, query embedding included in both.
#   bench/mcp-search.sh    (REAL_DOCS=1000, REQUESTS=1000, TOP_K=8; APP_JVM_ARGS: options for Switchboard's JVM)
source "$(dirname "$0")/lib.sh"
export REAL_DOCS=${REAL_DOCS:-1000} REQUESTS=${REQUESTS:-1000} TOP_K=${TOP_K:-8}
prepare_load_generator mcp-search

jvm_args=""; [ -z "${APP_JVM_ARGS:-}" ] || jvm_args="APP_JVM_ARGS=\"$APP_JVM_ARGS\" "
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
# shellcheck disable=SC2086 # APP_JVM_ARGS holds several JVM options: split on purpose
java ${APP_JVM_ARGS:-} -cp "$CP" bench.McpSearchBench "$WORK/switchboard.jar" "$WORK" "$OUT" "$SCIFACT/corpus.jsonl" \
  "$SCIFACT/queries-train.jsonl" | tee "$OUT/mcp-search.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## MCP search_knowledge against the REST search — $(date -u +%Y-%m-%d)

- machine: $(machine); **the load generator, Switchboard and its embedded PostgreSQL share the $(nproc) cores**; load average at the start: ${load_at_start}
- command: \`${jvm_args}bench/mcp-search.sh\` (REAL_DOCS=$REAL_DOCS, REQUESTS=$REQUESTS per request kind, TOP_K=$TOP_K; took ${elapsed_s} s, ingestion included)
- set-up: \`POST /api/knowledge/search {query, knowledgeBaseIds: [one], topK: $TOP_K}\` with an admin's API key, and the JSON-RPC \`tools/call\` of \`search_knowledge\` with the same arguments posted to \`/api/mcp\` (stateless Streamable HTTP: no initialize, no session) with a key of scopes \`mcp\`, \`knowledge:read\`, both on the enterprise tier; queries: SciFact training claims drawn at random for each request; a search is checked (200, $TOP_K passages, and for MCP \`isError\` false). One client, the three requests taking turns, after a warm-up.

$(cat "$OUT/mcp-search.txt")
REPORT
)
echo "$report"
append_result "$report"
