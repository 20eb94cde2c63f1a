#!/usr/bin/env bash
# Retrieval quality on SciFact's training split through the real command: `java -jar switchboard.jar eval-retrieval
# --baselines` ingests the 5,183 abstracts through the real pipeline (upload, parsing, chunking, embedding, Lucene index:
# the ingestion jobs any upload runs) into a fresh data directory, then runs the 809 judged claims through BM25 alone,
# dense search alone (the baselines, same index, same run) and the hybrid retrieval Switchboard serves.
#   bench/retrieval.sh        (SCIFACT=../shared/data/scifact; takes 10–30 minutes on 2 cores)
source "$(dirname "$0")/lib.sh"
[ -f "$SCIFACT/corpus.jsonl" ] || { echo "no SciFact corpus in $SCIFACT (set SCIFACT)" >&2; exit 1; }
JAR=$(jar_path)
WORK=$(mktemp -d "$OUT/retrieval-XXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$JAR" "$WORK/switchboard.jar"

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
java -jar "$WORK/switchboard.jar" eval-retrieval --corpus "$SCIFACT/corpus.jsonl" --queries "$SCIFACT/queries-train.jsonl" \
  --qrels "$SCIFACT/qrels-train.tsv" --baselines --switchboard.data-dir="$WORK/data" \
  --switchboard.database.embedded.port="$(free_port)" > "$OUT/retrieval.log" 2>&1 || { tail -30 "$OUT/retrieval.log" >&2; exit 1; }
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

# The command's own lines (the model's and ONNX Runtime's start-up lines stay in the log).
value() { grep -E "^$1" "$OUT/retrieval.log" | tail -1 | sed -E "s/.*$2=([0-9.]+).*/\1/"; }
ingested=$(grep -E '^ingested [0-9]+ documents' "$OUT/retrieval.log" | tail -1)
searched=$(grep -E '^searched [0-9]+ queries' "$OUT/retrieval.log" | tail -1)
warning=$(grep -E '^warning:' "$OUT/retrieval.log" || true)
bm25_ndcg=$(value 'BM25 alone' 'nDCG@10'); bm25_recall=$(value 'BM25 alone' 'Recall@100')
dense_ndcg=$(value 'dense alone' 'nDCG@10'); dense_recall=$(value 'dense alone' 'Recall@100')
ndcg=$(value 'nDCG@10=' 'nDCG@10'); recall=$(value 'Recall@100=' 'Recall@100'); queries=$(value 'queries=' 'queries')
[ -n "$ndcg" ] && [ -n "$bm25_ndcg" ] && [ -n "$dense_ndcg" ] || { tail -30 "$OUT/retrieval.log" >&2; exit 1; }
verdict=$(python3 -c "print('met' if $ndcg >= 0.72 else '**missed**')")
ratios=$(python3 -c "print(f'hybrid / BM25 = {$ndcg / $bm25_ndcg:.3f}, hybrid / dense = {$ndcg / $dense_ndcg:.3f}')")

report=$(cat <<REPORT

## Retrieval quality on SciFact (training split), end to end through \`eval-retrieval\` — $(date -u +%Y-%m-%d)

- machine: $(machine); load average at the start: ${load_at_start}
- command: \`bench/retrieval.sh\`, i.e. \`java -jar switchboard.jar eval-retrieval --corpus corpus.jsonl --queries queries-train.jsonl --qrels qrels-train.tsv --baselines --switchboard.data-dir=<fresh>\` on \`shared/data/scifact\` (took ${elapsed_s} s in all, start-up included)
- set-up: each abstract uploaded (\`Documents.upload\`: type detection, content-addressed storage, the job queued) as Markdown (\`# title\` + text) and ingested by the ingestion jobs (2 workers: parse, clean, chunk, embed with bge-small-en-v1.5-q, Lucene index), exactly as an upload over HTTP is; then every judged claim searched with topK 100 through \`KnowledgeSearch\` (hybrid: 100 BM25 + 100 dense candidates, weighted RRF) and, for the baselines, through the index alone (BM25; dense with the same query embedding); documents ranked by their best chunk. ${ingested}; ${searched} (hybrid).${warning:+ $warning}

| retrieval | nDCG@10 | Recall@100 |
|---|---|---|
| BM25 alone (baseline, same index, same run) | ${bm25_ndcg} | ${bm25_recall} |
| dense alone (baseline, same index, same run) | ${dense_ndcg} | ${dense_recall} |
| **hybrid (what Switchboard serves)** | **${ndcg}** | ${recall} |

- **nDCG@10 ${ndcg} over ${queries} claims → target ≥ 0.72 ${verdict}**; ${ratios}
REPORT
)
echo "$report"
append_result "$report"
