#!/usr/bin/env bash
# Ingestion throughput end to end: SciFact abstracts (every other one Markdown, the others HTML) uploaded over HTTP
# (POST /api/documents, the bootstrap admin's API key) into a fresh knowledge base of a running Switchboard, timed until
# every document is indexed, in chunks/s; against the in-process bge-small alone embedding the very chunk texts the
# pipeline made, one call per document and 32 chunks a call, the faster taken as the baseline (in the load generator's
# JVM while Switchboard idles), the two taking turns. Process CPU time of each side and a JFR profile of Switchboard by ingestion stage.
#   bench/ingestion.sh        (DOCS=1000 abstracts, WARMUP_DOCS=1000 other abstracts first, PAPERS_PER_DOC=1 abstracts a document, ROUNDS=2, UPLOAD_CLIENTS=4, INGESTION_WORKERS=2; APP_JVM_ARGS: options for Switchboard's JVM, and the load generator's, which runs the baseline model)
source "$(dirname "$0")/lib.sh"
export DOCS=${DOCS:-1000} WARMUP_DOCS=${WARMUP_DOCS:-1000} PAPERS_PER_DOC=${PAPERS_PER_DOC:-1} ROUNDS=${ROUNDS:-2} UPLOAD_CLIENTS=${UPLOAD_CLIENTS:-4} INGESTION_WORKERS=${INGESTION_WORKERS:-2}
prepare_load_generator ingestion

jvm_args=""; [ -z "${APP_JVM_ARGS:-}" ] || jvm_args="APP_JVM_ARGS=\"$APP_JVM_ARGS\" "
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
# shellcheck disable=SC2086 # APP_JVM_ARGS holds several JVM options: split on purpose
java ${APP_JVM_ARGS:-} -cp "$CP" bench.IngestionBench "$WORK/switchboard.jar" "$WORK" "$OUT" "$SCIFACT/corpus.jsonl" \
  | tee "$OUT/ingestion.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Ingestion throughput, end to end against the embedding model alone — $(date -u +%Y-%m-%d)

- machine: $(machine); **the load generator (which also runs the model-alone baseline), Switchboard and its embedded PostgreSQL share the $(nproc) cores**; load average at the start: ${load_at_start}
- command: \`${jvm_args}bench/ingestion.sh\` (DOCS=$DOCS, WARMUP_DOCS=$WARMUP_DOCS, PAPERS_PER_DOC=$PAPERS_PER_DOC, ROUNDS=$ROUNDS, UPLOAD_CLIENTS=$UPLOAD_CLIENTS, INGESTION_WORKERS=$INGESTION_WORKERS; took ${elapsed_s} s)
- set-up: the first $DOCS SciFact abstracts, $PAPERS_PER_DOC a document (more than one: each a section under its title, \`##\`/\`<h2>\`), every other document as Markdown (\`# title\` + text) and the others as HTML (\`<h1>\` title, \`<p>\` text), uploaded over HTTP (\`POST /api/documents\`, multipart, the bootstrap admin's API key) by $UPLOAD_CLIENTS clients into a fresh knowledge base each round; the time runs from the first upload to the last document's \`updated_at\` as \`indexed\` (polled in the database every 250 ms). After a warm-up of $WARMUP_DOCS other abstracts through the same path (the JIT compiling the pipeline meanwhile). Baseline in the same run, after each round while Switchboard idles: \`BgeSmallEmbedder.embedDocuments\` (the same class and settings, 2 inference threads) on the very chunk texts the pipeline made (read back from \`knowledge_chunks\`), one call per document from $INGESTION_WORKERS threads (as documents ingested one by one call it), and 32 consecutive chunks a call from one thread (as the pipeline batches chunks across documents, \`switchboard.knowledge.ingestion-batch-documents\`); the verdict takes the faster of the two. Target: end to end ≥ 0.8 of raw.

$(cat "$OUT/ingestion.txt")
REPORT
)
echo "$report"
append_result "$report"
