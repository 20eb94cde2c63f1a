#!/usr/bin/env bash
# The added cost of tracing on a chat turn: the same sequential turns (POST /api/chat, new session each, the fake
# provider answering at once) against two Switchboards running side by side and taking turns: tracing off (no endpoint:
# the default) and on (every trace recorded and exported over OTLP/HTTP to a local receiver that decodes nothing and
# answers 200). One run.
#   bench/tracing.sh          (TURNS=300 measured per mode after WARMUP=100)
source "$(dirname "$0")/lib.sh"
TURNS=${TURNS:-300} WARMUP=${WARMUP:-100}
JAR=$(jar_path)
if [ ! -f "$ROOT/target/test-classes/dev/switchboard/fakellm/FakeLlmServer.class" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp test-compile) >&2
fi
WORK=$(mktemp -d "$OUT/tracing-XXXX")
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
cp "$JAR" "$WORK/switchboard.jar"
mkdir -p "$WORK/fake/dev/switchboard" && cp -r "$ROOT/target/test-classes/dev/switchboard/fakellm" "$WORK/fake/dev/switchboard/"
CP_FILE="$OUT/classpath.txt"
(cd "$ROOT" && ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$CP_FILE" > /dev/null)

FAKE_PORT=$(free_port)
java -cp "$WORK/fake:$(cat "$CP_FILE")" dev.switchboard.fakellm.FakeLlmServer "$FAKE_PORT" > "$WORK/fake.log" 2>&1 &
PIDS+=($!)

# The OTLP/HTTP receiver: counts export requests and bytes, answers an empty ExportTraceServiceResponse.
OTLP_PORT=$(free_port)
python3 - "$OTLP_PORT" "$WORK/otlp.txt" > /dev/null 2>&1 <<'PY' &
import sys, http.server
port, out = int(sys.argv[1]), sys.argv[2]
stats = {"requests": 0, "bytes": 0}
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        stats["requests"] += 1; stats["bytes"] += len(body)
        open(out, "w").write(f"{stats['requests']} {stats['bytes']}\n")
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
PY
PIDS+=($!)

# start_app NAME EXTRA_ARGS...: starts Switchboard in the background; its port goes to $WORK/NAME.port.
start_app() {
  local name=$1; shift
  local port db
  port=$(free_port); db=$(free_port)
  java -Xmx1g -jar "$WORK/switchboard.jar" --switchboard.data-dir="$WORK/data-$name" --server.port="$port" \
    --switchboard.database.embedded.port="$db" --switchboard.bootstrap.admin-email=bench@example.com \
    --switchboard.bootstrap.admin-password="$PASSWORD" --switchboard.metering.default-tier=enterprise \
    --switchboard.metering.tiers.enterprise.requests-per-minute=100000000 \
    --switchboard.metering.tiers.enterprise.tokens-per-day=100000000000 \
    --switchboard.metering.global-requests-per-second=1000000 \
    --switchboard.llm.providers.fake.kind=openai --switchboard.llm.providers.fake.base-url="http://127.0.0.1:$FAKE_PORT/v1" \
    --switchboard.llm.providers.fake.api-key=x --switchboard.llm.default-chain=fake:gpt-bench \
    --switchboard.security.outbound.allowed-networks=127.0.0.1/32 "$@" > "$OUT/tracing-$name-app.log" 2>&1 &
  PIDS+=($!)
  echo "$port" > "$WORK/$name.port"
}

# prepare NAME: waits until ready, signs in, makes the persona; the access token goes to $WORK/NAME.token.
prepare() {
  local port token
  port=$(cat "$WORK/$1.port")
  wait_for_200 "http://127.0.0.1:$port/health/ready" 900
  token=$(curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"bench@example.com\",\"password\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$port/api/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["accessToken"])')
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"slug":"bench","name":"Bench","instructions":"You answer briefly."}' "http://127.0.0.1:$port/api/personas"
  echo "$token" > "$WORK/$1.token"
}

# turn NAME: one turn against that instance; prints its time in seconds.
turn() {
  curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $(cat "$WORK/$1.token")" -H 'Content-Type: application/json' \
    -d '{"agent":"bench","message":"What is the travel policy for trains?"}' "http://127.0.0.1:$(cat "$WORK/$1.port")/api/chat"
}

# stats FILE: p50 p95 mean in ms.
stats() {
  python3 - "$1" <<'PY'
import sys, statistics
t = sorted(float(x) * 1000 for x in open(sys.argv[1]))
print(f"{t[len(t)//2]:.2f} {t[int(len(t)*0.95)-1]:.2f} {statistics.mean(t):.2f}")
PY
}

PASSWORD="bench-admin-password-$RANDOM$RANDOM"
started=$(now_ms)
# Both instances run side by side and take turns, so that whatever else the machine does weighs on both alike.
start_app off
start_app on --management.opentelemetry.tracing.export.otlp.endpoint="http://127.0.0.1:$OTLP_PORT/v1/traces" \
  --management.tracing.sampling.probability=1.0
prepare off
prepare on
: > "$WORK/off.times"; : > "$WORK/on.times"
for i in $(seq 1 $((WARMUP + TURNS))); do
  off=$(turn off); on=$(turn on)
  if [ "$i" -gt "$WARMUP" ]; then echo "$off" >> "$WORK/off.times"; echo "$on" >> "$WORK/on.times"; fi
done
read -r off_p50 off_p95 off_mean < <(stats "$WORK/off.times")
read -r on_p50 on_p95 on_mean < <(stats "$WORK/on.times")
sleep 6   # one more export interval (5 s), so that the receiver's count includes the last batch
read -r exports bytes < "$WORK/otlp.txt" || { exports=0; bytes=0; }
elapsed_s=$(( ($(now_ms) - started) / 1000 ))
ratio() { python3 -c "print(f'{$1/$2:.3f}')"; }

report=$(cat <<REPORT

## Tracing: the added cost on a chat turn, off vs on — $(date -u +%Y-%m-%d)

- machine: $(machine); curl, the fake provider, the OTLP receiver (Python), both Switchboards and their embedded PostgreSQLs share the cores (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), other work included)
- command: \`bench/tracing.sh\` (TURNS=$TURNS sequential turns per mode after WARMUP=$WARMUP, the two instances taking turns, one run; took ${elapsed_s} s)
- set-up: persona \`bench\`, default chain \`fake:gpt-bench\` answering at once; each turn a new session (\`POST /api/chat\`, JWT). **off**: no endpoint (the default: no exporter, sampler records nothing). **on**: \`management.opentelemetry.tracing.export.otlp.endpoint\` set to a local OTLP/HTTP receiver, sampling probability 1.0, content capture off; the receiver got $exports export requests, $bytes bytes of protobuf.
- client latency per turn (ms, curl \`time_total\`):

| mode | p50 | p95 | mean |
|---|---|---|---|
| off (baseline) | $off_p50 | $off_p95 | $off_mean |
| on, exporting | $on_p50 | $on_p95 | $on_mean |
| on / off | $(ratio "$on_p50" "$off_p50") | $(ratio "$on_p95" "$off_p95") | $(ratio "$on_mean" "$off_mean") |
REPORT
)
echo "$report"
append_result "$report"
