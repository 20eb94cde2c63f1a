#!/usr/bin/env bash
# Routing overhead of the OpenAI-compatible API: the same non-streaming POST /v1/chat/completions load sent
# straight to a fast fake provider, through the Portkey AI gateway (npm @portkey-ai/gateway, the peer, installed into
# PORTKEY_DIR on the first run) and through Switchboard (API key, persona `bench`) to it, with wrk at 1, 16 and
# 64 connections; streamed requests' time to the first token, one client, the three taking turns; GET /api/auth/me (same key) and GET /health/live for where the time goes; then a JFR profile of
# Switchboard under the 16-connection load. Reports p50/p99 of both and what Switchboard adds.
# The five targets take turns in ROUNDS short wrk runs at each level; their latency distributions are merged.
# Then a paced load: 16 and 64 connections pausing between requests so that together they send RATES req/s, below
# what the shared cores can serve, direct and through Switchboard taking turns — the overhead a request sees when the
# box is not saturated.
#   bench/routing-overhead.sh        (DURATION=15 s per target and level, ROUNDS=3, WARMUP=40 s, CONNECTIONS=1,16,64,
#                                     RATES=200,500, STREAMS=3000 streamed requests per target)
source "$(dirname "$0")/lib.sh"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v node > /dev/null && command -v npm > /dev/null || { echo "node and npm are missing: apt-get install nodejs npm" >&2; exit 1; }
# The peer gateway, installed once from the npm registry into a cache directory (never during the measured run).
PORTKEY_VERSION=1.15.2
export PORTKEY_DIR=${PORTKEY_DIR:-$HOME/.cache/switchboard-bench/portkey-$PORTKEY_VERSION}
if [ ! -f "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  mkdir -p "$PORTKEY_DIR"
  npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --no-save "@portkey-ai/gateway@$PORTKEY_VERSION" >&2
fi
export STREAMS=${STREAMS:-3000} DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WARMUP=${WARMUP:-40} CONNECTIONS=${CONNECTIONS:-1,16,64} RATES=${RATES:-200,500}
prepare_load_generator routing

load_start=$(cut -d" " -f1-3 /proc/loadavg)
started=$(now_ms)
java -cp "$CP" bench.RoutingBench "$WORK/switchboard.jar" "$WORK" "$OUT" \
  | tee "$OUT/routing-overhead.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Routing overhead, OpenAI-compatible API — $(date -u +%Y-%m-%d)

- machine: $(machine); load average at the start: ${load_start}, at the end: $(cut -d" " -f1-3 /proc/loadavg); **wrk, the fake provider and Switchboard (with its embedded PostgreSQL) share the $(nproc) cores**. wrk is a closed loop: at a level where the box is CPU-bound (compare the rows' req/s with the cores above), latency ≈ connections ÷ throughput and the "added" figures there measure mostly Switchboard's lower throughput (its CPU cost per request), not a delay a lone request would see, and the direct rows' p99 is no stable baseline either. The 1-connection rows and the paced rows (connections pausing between requests so that the box is not saturated) are the closest to the per-request cost.
- command: \`bench/routing-overhead.sh\` (CONNECTIONS=${CONNECTIONS}, RATES=${RATES}, STREAMS=${STREAMS}; wrk -t2, -t1 at 1 connection; ${DURATION} s per target and level in ${ROUNDS} runs of $((DURATION / ROUNDS)) s, the five targets taking turns, each run's latency distribution kept as 1,000 quantiles and merged; after a ${WARMUP} s warm-up through Switchboard at 64 connections and $((WARMUP / 2)) s of each other target; took ${elapsed_s} s)
- set-up: non-streaming \`POST /v1/chat/completions\` (and \`stream: true\` for the first-token rows); the fake (\`FakeLlmServer\`, JDK HttpServer with TCP_NODELAY, OpenAI wire format) answers at once. Direct: \`{"model":"gpt-bench"}\` with the persona's system message and the user message, i.e. what Switchboard forwards; the peer, Portkey's gateway (npm \`@portkey-ai/gateway@${PORTKEY_VERSION}\` from \`${PORTKEY_DIR/#$HOME/\~}\`, \`node build/start-server.js --port=N --headless\`), gets the direct body with \`x-portkey-provider: openai\` and \`x-portkey-custom-host\` = the fake; through Switchboard: \`{"model":"bench"}\` (a persona with that system message, default chain \`fake:gpt-bench\`) with an enterprise API key. Baselines in the same run: the direct calls; \`GET /api/auth/me\` with the same key (authentication, rate limit, no LLM call) and \`GET /health/live\`.
- added = through Switchboard − direct, same percentile, same connections. New connections are counted from the client ports in /proc/net/tcp (any state, TIME_WAIT included) before and after each run. Targets (issue 18): at 1 connection added p50 below the peer's and < 0.8 ms, added p99 < 3 ms; at 16 connections ≥ 2.5× the peer's throughput; streamed first token added < 1 ms at p50; the older rows keep added p50 < 1 ms, p99 < 3 ms (published: LiteLLM 2–12 ms p50 added, TensorZero 0.19 ms p50 / 0.57 ms p99 — on other hardware).

$(cat "$OUT/routing-overhead.txt")
REPORT
)
echo "$report"
append_result "$report"
