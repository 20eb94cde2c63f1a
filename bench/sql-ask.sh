#!/usr/bin/env bash
# Ask latency excluding the model and the database: POST /api/sql/ask from one client against a sample schema on the
# machine's PostgreSQL (127.0.0.1:5432, database test), the fake provider answering at once with a grouping query;
# each ask's model and database time are what Switchboard recorded for it (/metrics before and after) and are
# subtracted. Baseline in the same run, taking turns: GET /api/sql/connections/{id}.
#   bench/sql-ask.sh        (ASKS=500, WARMUP=100, EXTRA_TABLES=40 allowed tables beside the two queried)
source "$(dirname "$0")/lib.sh"
export ASKS=${ASKS:-500} WARMUP=${WARMUP:-100} EXTRA_TABLES=${EXTRA_TABLES:-40}
prepare_load_generator sql-ask

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
java -cp "$CP" bench.SqlAskBench sql-ask "$WORK/switchboard.jar" "$WORK" "$OUT" | tee "$OUT/sql-ask.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Text-to-SQL ask latency excluding the model and the database — $(date -u +%Y-%m-%d)

- machine: $(machine); the load generator, Switchboard, its embedded PostgreSQL and the queried PostgreSQL server share the machine; load average at the start: ${load_at_start}
- command: \`bench/sql-ask.sh\` (ASKS=$ASKS, WARMUP=$WARMUP, EXTRA_TABLES=$EXTRA_TABLES; took ${elapsed_s} s)
- set-up: a registered PostgreSQL database (the machine's server) allowing \`customers\` (1,000 rows, \`email\` masked), \`orders\` (5,000 rows) and $EXTRA_TABLES more tables; the question "How many customers and how much revenue per region?"; the fake OpenAI-compatible provider answers at once with a join and GROUP BY (4 rows); the bootstrap admin's access token. Model and database time per ask from \`switchboard_llm_latency_seconds_sum\` and \`switchboard_sql_execute_seconds_sum\`.

$(cat "$OUT/sql-ask.txt")
REPORT
)
echo "$report"
append_result "$report"
