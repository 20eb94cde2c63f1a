#!/usr/bin/env bash
# History pages (GET /api/sessions/{id}/messages?after=..&limit=50) of random sessions at random offsets in a
# database holding 1,000,000 messages (2,000 sessions × 500, seeded with SQL for the API key's owner), from one
# client and from 16; GET /api/auth/me (same key) and GET /health/live from the same client are the baseline.
#   bench/history.sh        (HISTORY_SESSIONS=2000, MESSAGES_PER_SESSION=500, REQUESTS=2000, CONCURRENCY=16)
source "$(dirname "$0")/lib.sh"
export HISTORY_SESSIONS=${HISTORY_SESSIONS:-2000} MESSAGES_PER_SESSION=${MESSAGES_PER_SESSION:-500}
export REQUESTS=${REQUESTS:-2000} CONCURRENCY=${CONCURRENCY:-16}
prepare_load_generator history

started=$(now_ms)
java -cp "$CP" bench.HistoryBench "$WORK/switchboard.jar" "$WORK" "$OUT" \
  | tee "$OUT/history.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## History pages in a database of $((HISTORY_SESSIONS * MESSAGES_PER_SESSION)) messages — $(date -u +%Y-%m-%d)

- machine: $(machine); client and Switchboard (with its embedded PostgreSQL) share the cores
- command: \`bench/history.sh\` (REQUESTS=$REQUESTS of each request from one client, the three taking turns; then 2×REQUESTS from CONCURRENCY=$CONCURRENCY closed-loop clients; after a warm-up; took ${elapsed_s} s)
- set-up: the sessions belong to the API key's owner (the bootstrap admin) and tenant, so ownership and row-level security apply as in production; each request asks for 50 messages after a random \`after\` in [0, 450] of a random session, and is checked (50 messages, numbered after+1…after+50). Target: p99 < 20 ms (the seed's bound: < 500 ms). Baselines from the same client in the same run: \`GET /api/auth/me\` with the same API key (authentication, rate limit, no query) and \`GET /health/live\`.

$(cat "$OUT/history.txt")
REPORT
)
echo "$report"
append_result "$report"
