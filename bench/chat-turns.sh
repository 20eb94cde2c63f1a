#!/usr/bin/env bash
# A full chat turn (POST /api/chat) with a 50-message history, alone and at 200 concurrent sessions, the fake
# provider answering at once and after 200 ms, and 200 sessions pausing between turns as people do; the stateless
# POST /v1/chat/completions carrying the same 50 messages is the baseline. Then 1,000 concurrent SSE streams held open by a slow first token, Switchboard at
# -Xmx512m: how many complete, and the heap. Sessions are seeded with SQL (exactly 50 messages each; every measured
# turn gets a fresh one).
# First, the open-loop step-up issue 18 asks for: turns sent at a fixed rate to fresh 50-message sessions, the fake
# answering after MODEL_MS, the rate raised RATE_FACTOR× every STEP_S seconds from RATE_START until two steps in a row
# miss p95(latency − MODEL_MS) < LIMIT_MS with 0 failed turns; the best rate in turns/s per core, where its time and CPU
# go. BASELINE_JAR=path (a jar of an earlier commit, BASELINE_LABEL=its name) runs the same step-up on it first, in the
# same run, for the ratio. PHASES=stepup stops after the step-up.
#   BASELINE_JAR=/tmp/main.jar BASELINE_LABEL="main c9a78c3" bench/chat-turns.sh
#   bench/chat-turns.sh        (SESSIONS=200 concurrent, TURNS=5 per client, MODEL_MS=200, PACED_TURNS=3 per session
#                               with THINK_MS=5000 (0.4–1.6×) between them, STREAMS=1000, HOLD_S=15, HEAP=512m)
source "$(dirname "$0")/lib.sh"
export SESSIONS=${SESSIONS:-200} TURNS=${TURNS:-5} SEQUENTIAL=${SEQUENTIAL:-100} MODEL_MS=${MODEL_MS:-200}
export PACED_TURNS=${PACED_TURNS:-3} THINK_MS=${THINK_MS:-5000}
export STREAMS=${STREAMS:-1000} HOLD_S=${HOLD_S:-15} RAMP_MS=${RAMP_MS:-5000} HEAP=${HEAP:-512m}
export PHASES=${PHASES:-all} LIMIT_MS=${LIMIT_MS:-50} RATE_START=${RATE_START:-10} RATE_FACTOR=${RATE_FACTOR:-1.25}
export RATE_MAX=${RATE_MAX:-400} STEP_S=${STEP_S:-15}
prepare_load_generator turns
CURRENT_LABEL="commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo ' with uncommitted changes')"
export CURRENT_LABEL
if [ -n "${BASELINE_JAR:-}" ]; then
  cp "$BASELINE_JAR" "$WORK/baseline.jar"
  export BASELINE_LABEL="${BASELINE_LABEL:-$(basename "$BASELINE_JAR")}" BASELINE_JAR="$WORK/baseline.jar"
fi

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms)
java -cp "$CP" bench.ChatTurnsBench "$WORK/switchboard.jar" "$WORK" "$OUT" \
  | tee "$OUT/chat-turns.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Chat turns with a 50-message history: sustained rate under load$([ "$PHASES" = stepup ] || echo ", $SESSIONS concurrent sessions, $STREAMS SSE streams") — $(date -u +%Y-%m-%d)

- machine: $(machine); **the load generator (and the fake provider, in the same JVM), Switchboard and its embedded PostgreSQL share the $(nproc) cores**: a closed loop of $SESSIONS clients can keep the box CPU-bound, so the concurrent figures may be mostly queueing for the cores and the database connections (the pool size the application reported is below); load average at the start: ${load_at_start}
- command: \`bench/chat-turns.sh\` (SESSIONS=$SESSIONS concurrent clients × TURNS=$TURNS turns, SEQUENTIAL=$SEQUENTIAL turns alone, MODEL_MS=$MODEL_MS, PACED_TURNS=$PACED_TURNS per session THINK_MS=$THINK_MS apart, STREAMS=$STREAMS, HOLD_S=$HOLD_S, Switchboard at -Xmx$HEAP for the whole run; one run each after a warm-up of 3 turns per client, as many stateless completions and 100 streams; took ${elapsed_s} s)
- step-up (first section): \`PHASES=$PHASES\`, open loop — each turn sent at its scheduled time whatever the earlier ones are doing — at RATE_START=$RATE_START turns/s (halved while no step has passed, down to 1/s), × RATE_FACTOR=$RATE_FACTOR every STEP_S=$STEP_S s until two steps in a row miss or RATE_MAX=$RATE_MAX; a step passes when p95 of (latency − MODEL_MS) < LIMIT_MS=$LIMIT_MS ms, no turn failed and the sender kept the rate; each step's turns go to sessions seeded for it (exactly 50 messages), after a closed-loop warm-up of 600 turns from 50 clients; Switchboard at -Xmx$HEAP; CPU per turn read from \`/proc\` (Switchboard's JVM; the embedded PostgreSQL: its postmaster, read from \`postmaster.pid\`, and every process under it; the load generator's JVM), "machine busy" from \`/proc/stat\` (every process on the machine, other users' included); "per core" divides by the cores the load generator's JVM reads at run time
- set-up: persona \`bench\` (one system line), default chain \`fake:gpt-bench\` (\`FakeLlmServer\`, in the load generator's JVM), enterprise API key. Sessions seeded with SQL, each with exactly 50 messages (25 user of ~130 characters, 25 assistant of ~390), all inside the $(grep -oP '^ *context-tokens: \K[0-9]+' "$ROOT/src/main/resources/application.yml")-token window of \`switchboard.chat.context-tokens\` (application.yml), so no summary is made; every measured turn goes to a fresh session, so each sees exactly 50 messages and sends 52 to the model (system + 50 + the new one). A turn = persona look-up, session check, history window, token reservation, the model call, then the user message and the answer inserted with the session's update.
- "server time excluding the model": (a) model answering at once: the client latency itself (the fake's own time included); (b) model answering after 200 ms: client latency − 200 ms; (c) client latency − the model call as Switchboard itself timed it (\`attempts[].latencyMs\`, which also holds Switchboard's own outbound-HTTP time). Target: p95 < 30 ms at $SESSIONS concurrent sessions. Baseline in the same run: the stateless \`POST /v1/chat/completions\` with the same 50 messages in the request.

$(cat "$OUT/chat-turns.txt")
REPORT
)
echo "$report"
append_result "$report"
