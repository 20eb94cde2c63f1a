#!/usr/bin/env bash
# Load and fault runs with Gatling (bench/load/, Gatling 3.15 Java DSL): two Switchboard replicas (the packaged jar
# started twice) on a PostgreSQL and a Redis started for the run only (Debian's PostgreSQL 15 binaries in a fresh
# cluster on a free port, a redis-server on a free port: the machine's shared servers are never touched), a fake
# OpenAI-compatible provider with a realistic latency (first token after 200 ms, 20 tokens 10 ms apart), and the
# Gatling simulation switchboard.load.MixedLoadSimulation (sign-in, chat and SSE chat, history, knowledge search,
# round-robin over the replicas).
#   bench/load.sh [scenario]      scenario: mix (default), kill-chat, kill-ingest, pg-restart, redis-down, provider-down
#   USERS=100 DURATION=60         concurrent virtual users, seconds of each user's loop (the issue's target: 1000, 300)
#   PAUSE=1-3                     think time between a user's steps, min-max seconds (people: e.g. PAUSE=10-20)
#   FAULT_AT=20 OUTAGE=10         seconds into the loop when the fault starts; seconds a stopped service stays down
#   HEAP=512m DOCS=20             heap of each replica; documents uploaded by kill-ingest
#   PROFILE=1                     also a JFR recording of each replica (hot methods in bench/out/load-profile-*.txt)
#                                 and pg_stat_statements (the costliest statements in bench/out/load-statements.txt)
# Always measured during the Gatling run: CPU seconds of each replica, PostgreSQL, Gatling, Redis and the fake
# provider (/proc, bench/load/sampler.py), the server-side time per endpoint and the database pool's waits
# (each replica's /metrics before and after, bench/load/metrics.py).
# Afterwards: every chat turn acknowledged with 200 must be in the database with its answer, no turn twice, every
# upload acknowledged with 202 indexed; recovery time = fault cleared (or replica killed) → both replicas ready and
# a chat turn answered on each.
source "$(dirname "$0")/lib.sh"
SCENARIO=${1:-mix}
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
case "$SCENARIO" in mix|kill-chat|kill-ingest|pg-restart|redis-down|provider-down) ;; *)
  echo "unknown scenario $SCENARIO (mix, kill-chat, kill-ingest, pg-restart, redis-down, provider-down)" >&2; exit 2;; esac
export USERS=${USERS:-100} DURATION=${DURATION:-60} PAUSE=${PAUSE:-1-3}
FAULT_AT=${FAULT_AT:-20} OUTAGE=${OUTAGE:-10} HEAP=${HEAP:-512m} DOCS=${DOCS:-20}
FIRST_MS=200 TOKENS=20 TOKEN_MS=10
MODEL_MS=$(( FIRST_MS + (TOKENS - 1) * TOKEN_MS ))
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
JAR=$(jar_path)
WORK=$(mktemp -d /tmp/switchboard-load-XXXX)
export LOAD_DIR="$WORK"
chmod 755 "$WORK"
cp "$JAR" "$WORK/switchboard.jar"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/pg/postmaster.pid" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# --- PostgreSQL of our own (root cannot run it: the postgres system user does) ---
PGPORT=$(free_port)
mkdir -p "$WORK/pg" "$WORK/pgrun" && chown postgres "$WORK/pg" "$WORK/pgrun"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >/dev/null
start_pg() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pgrun/pg.log" -w \
  -o "-p $PGPORT -k $WORK/pgrun -c listen_addresses=127.0.0.1 -c max_connections=200${PROFILE:+ -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all}" start >/dev/null; }
start_pg
psql_q() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d switchboard -At -c "$1"; }
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qc 'create database switchboard' >/dev/null
[ -z "${PROFILE:-}" ] || psql_q 'create extension pg_stat_statements' >/dev/null
# --- Redis of our own ---
RPORT=$(free_port)
start_redis() { redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 & REDIS_PID=$!; PIDS+=("$REDIS_PID"); }
start_redis
# --- the fake provider ---
FPORT=$(free_port)
start_fake() { java "$BENCH_DIR/load/FakeProvider.java" "$FPORT" "$FIRST_MS" "$TOKENS" "$TOKEN_MS" > "$WORK/fake.log" 2>&1 & FAKE_PID=$!; PIDS+=("$FAKE_PID"); }
start_fake
# --- two replicas ---
ADMIN=admin@load.test ADMIN_PW="load-admin-password-$RANDOM$RANDOM"
declare -A APP_PID APP_PORT
start_app() { # name
  local name=$1
  [ -n "${APP_PORT[$name]:-}" ] || APP_PORT[$name]=$(free_port)
  java -Xmx"$HEAP" ${PROFILE:+-XX:StartFlightRecording=name=load,settings=profile,filename=$WORK/$name.jfr} \
    -jar "$WORK/switchboard.jar" --server.port="${APP_PORT[$name]}" --server.address=127.0.0.1 \
    --switchboard.data-dir="$WORK/data-$name" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PGPORT/switchboard" --spring.datasource.username=postgres \
    --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$RPORT" \
    --switchboard.bootstrap.admin-email="$ADMIN" --switchboard.bootstrap.admin-password="$ADMIN_PW" \
    --switchboard.metering.login-per-address-per-minute=10000000 --switchboard.metering.login-per-account-per-minute=10000000 \
    --switchboard.metering.anonymous-per-address-per-minute=10000000 \
    --switchboard.metering.global-requests-per-second=1000000 --switchboard.metering.default-tier=enterprise \
    --switchboard.metering.tiers.enterprise.requests-per-minute=100000000 \
    --switchboard.metering.tiers.enterprise.tokens-per-day=100000000000 \
    --switchboard.llm.providers.fake.kind=openai --switchboard.llm.providers.fake.base-url="http://127.0.0.1:$FPORT/v1" \
    --switchboard.llm.providers.fake.api-key=x --switchboard.llm.default-chain=fake:gpt-load \
    --switchboard.security.outbound.allowed-networks=127.0.0.1/32 \
    --logging.level.root=WARN >> "$WORK/app-$name.log" 2>&1 &
  APP_PID[$name]=$!; PIDS+=("${APP_PID[$name]}")
}
base() { echo "http://127.0.0.1:${APP_PORT[$1]}"; }
start_app a
wait_for_200 "$(base a)/health/ready" 300 || { tail -50 "$WORK/app-a.log" >&2; exit 1; }
start_app b
wait_for_200 "$(base b)/health/ready" 300 || { tail -50 "$WORK/app-b.log" >&2; exit 1; }
log "replicas ready: $(base a) $(base b); PostgreSQL :$PGPORT, Redis :$RPORT, fake provider :$FPORT"
BASES="$(base a),$(base b)"
export BASES

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
call() { curl -sf -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" "$@"; }
TOKEN=$(curl -sf "$(base a)/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN\",\"password\":\"$ADMIN_PW\"}" | json "['accessToken']")
call "$(base a)/api/personas" -d '{"slug":"load","name":"Load","instructions":"Answer briefly.","membersAllowed":true}' >/dev/null
KB=$(call "$(base a)/api/knowledge-bases" -d '{"name":"Plant handbooks"}' | json "['id']")
export KB
write_doc() { # n → a Markdown document of a few sections
  local n=$1 f="$WORK/doc-$1.md"
  { echo "# Handbook $n"; for s in 1 2 3 4 5 6; do
      echo; echo "## Section $s of handbook $n"; echo
      echo "To reset the pump controller of line $n, stop the feed, hold the reset key for $s seconds and check pressure valve $s$n."
      echo "Maintenance of conveyor $s in hall $n is supervised by the shift lead; record every intervention in log $n-$s."
    done; } > "$f"
  echo "$f"
}
upload() { # base n → document id (202 expected)
  local out code
  out=$(curl -s -w '\n%{http_code}' "$1/api/documents?knowledgeBaseId=$KB" -H "Authorization: Bearer $TOKEN" -F "file=@$(write_doc "$2")")
  code=$(tail -1 <<<"$out")
  [ "$code" = 202 ] && head -1 <<<"$out" | json "['id']" >> "$WORK/uploads-acked.txt" || echo "upload $2 -> $code" >> "$WORK/uploads-refused.txt"
}
for n in 1 2 3 4 5; do upload "$(base a)" "$n"; done
until [ "$(psql_q "select count(*) from knowledge_documents where status='indexed'")" -ge 5 ]; do sleep 0.5; done
# Members to sign in as (virtual users share them when USERS exceeds ACCOUNTS).
ACCOUNTS=${ACCOUNTS:-$(( USERS < 200 ? USERS : 200 ))}
echo "email,password" > "$WORK/users.csv"
for i in $(seq 1 "$ACCOUNTS"); do
  call "$(base a)/api/users" -d "{\"email\":\"user$i@load.test\",\"password\":\"load-user-password-$i\",\"role\":\"MEMBER\"}" >/dev/null
  echo "user$i@load.test,load-user-password-$i" >> "$WORK/users.csv"
done
# Warm-up (JIT, pools, the embedding model): turns, streams, history and searches on each replica, not measured.
for b in "$(base a)" "$(base b)"; do
  for i in $(seq 1 "${WARMUP:-15}"); do
    call "$b/api/chat" -d '{"agent":"load","message":"warm-up"}' -o /dev/null
    call "$b/api/chat" -H 'Accept: text/event-stream' -d '{"agent":"load","message":"warm-up"}' -o "$WORK/warmup-sse.txt"
    call "$b/api/sessions?limit=20" -o /dev/null
    call "$b/api/knowledge/search" -d "{\"query\":\"pump controller reset\",\"knowledgeBaseIds\":[\"$KB\"],\"topK\":5}" -o /dev/null
  done
done
log "set-up done: persona load, knowledge base $KB (5 documents indexed), $ACCOUNTS members"

# --- heap samples every 5 s from each replica's /metrics (loopback reads it without a token) ---
heap_mb() { curl -s --max-time 2 "$1/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%.0f", s / 1048576}'; }
( while :; do echo "$(date +%s) $(heap_mb "$(base a)") $(heap_mb "$(base b)")" >> "$WORK/heap.txt"; sleep 5; done ) & PIDS+=($!)

# --- recovery probe: both replicas ready and answering a chat turn ---
ready_and_chatting() {
  local b
  for b in "$(base a)" "$(base b)"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$b/health/ready")" = 200 ] || return 1
    call --max-time 10 "$b/api/chat" -d '{"agent":"load","message":"probe"}' -o /dev/null || return 1
  done
}
wait_recovered() { # since_ms → prints ms until recovered
  local since=$1
  until ready_and_chatting; do sleep 0.25; done
  echo $(( $(now_ms) - since ))
}

RAMP=${RAMP:-$(( USERS / 10 < 1 ? 1 : (USERS / 10 > 30 ? 30 : USERS / 10) ))}; export RAMP
log "Gatling: $USERS users over ${RAMP} s, each looping ${DURATION} s, scenario $SCENARIO"
# The Gatling project compiled before the measured span (its compilation would count as the generator's CPU).
# shellcheck disable=SC2086 # MVN_OFFLINE: Maven options (default -o), split on purpose
(cd "$ROOT" && ./mvnw -B -ntp ${MVN_OFFLINE--o} -q -f bench/load/pom.xml test-compile > "$WORK/gatling-compile.log" 2>&1) \
  || { cat "$WORK/gatling-compile.log" >&2; exit 1; }
[ -z "${PROFILE:-}" ] || psql_q 'select pg_stat_statements_reset()' >/dev/null
curl -s "$(base a)/metrics" > "$WORK/metrics-a-before.txt"; curl -s "$(base b)/metrics" > "$WORK/metrics-b-before.txt"
LOAD_BEFORE_GATLING=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(now_ms); GATLING_FROM=$(date +%H:%M:%S)
# shellcheck disable=SC2086 # MVN_OFFLINE: Maven options (default -o), split on purpose
(cd "$ROOT" && ./mvnw -B -ntp ${MVN_OFFLINE--o} -f bench/load/pom.xml gatling:test > "$WORK/gatling.log" 2>&1) & GATLING_PID=$!; PIDS+=("$GATLING_PID")
PG_PID=$(head -1 "$WORK/pg/postmaster.pid")
python3 "$BENCH_DIR/load/sampler.py" "$WORK/cpu.txt" "a=${APP_PID[a]}" "b=${APP_PID[b]}" "postgres=$PG_PID" \
  "gatling=$GATLING_PID" "redis=$REDIS_PID" "fake=$FAKE_PID" & SAMPLER_PID=$!; PIDS+=("$SAMPLER_PID")

FAULT="none" RECOVERY_MS="" OUTAGE_NOTE=""
if [ "$SCENARIO" != mix ]; then
  sleep $(( RAMP + FAULT_AT ))
  case "$SCENARIO" in
    kill-chat)
      log "kill -9 replica b (pid ${APP_PID[b]}) during chat"
      kill -9 "${APP_PID[b]}"; t0=$(now_ms); FAULT="replica b killed with SIGKILL ${FAULT_AT} s into the loop, restarted ${OUTAGE} s later"
      sleep "$OUTAGE"; start_app b; RECOVERY_MS=$(wait_recovered "$t0") ;;
    kill-ingest)
      for n in $(seq 101 $(( 100 + DOCS ))); do upload "$(base b)" "$n"; done
      log "kill -9 replica b (pid ${APP_PID[b]}) right after $DOCS uploads to it were acknowledged"
      kill -9 "${APP_PID[b]}"; t0=$(now_ms)
      FAULT="$DOCS documents uploaded through replica b, b killed with SIGKILL right after the last 202, restarted ${OUTAGE} s later"
      pending=$(psql_q "select count(*) from knowledge_documents where status not in ('indexed','failed')")
      OUTAGE_NOTE="documents not yet indexed when b died: $pending"
      sleep "$OUTAGE"; start_app b; RECOVERY_MS=$(wait_recovered "$t0") ;;
    pg-restart)
      log "restarting PostgreSQL (our own, port $PGPORT)"
      t0=$(now_ms); runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null
      FAULT="PostgreSQL (the run's own) stopped -m fast ${FAULT_AT} s into the loop, started again ${OUTAGE} s later"
      sleep "$OUTAGE"; start_pg; t1=$(now_ms); RECOVERY_MS=$(wait_recovered "$t1") ;;
    redis-down)
      log "stopping Redis (our own, port $RPORT)"
      kill -9 "$REDIS_PID"; t0=$(now_ms)
      FAULT="Redis (the run's own) killed ${FAULT_AT} s into the loop, started again ${OUTAGE} s later"
      sleep "$OUTAGE"; start_redis; t1=$(now_ms); RECOVERY_MS=$(wait_recovered "$t1") ;;
    provider-down)
      log "stopping the fake provider"
      kill -9 "$FAKE_PID"; t0=$(now_ms)
      FAULT="the fake provider killed ${FAULT_AT} s into the loop, started again ${OUTAGE} s later"
      sleep "$OUTAGE"; start_fake; t1=$(now_ms); RECOVERY_MS=$(wait_recovered "$t1") ;;
  esac
  log "recovered ${RECOVERY_MS} ms after the fault was cleared (kill: after the kill)"
fi
wait "$GATLING_PID" || true
elapsed_s=$(( ($(now_ms) - started) / 1000 ))
kill -TERM "$SAMPLER_PID"; wait "$SAMPLER_PID" || true
GATLING_TO=$(date +%H:%M:%S)
curl -s "$(base a)/metrics" > "$WORK/metrics-a-after.txt"; curl -s "$(base b)/metrics" > "$WORK/metrics-b-after.txt"
server=$(python3 "$BENCH_DIR/load/metrics.py" "$WORK"/metrics-{a-before,a-after,b-before,b-after}.txt) || server="(no /metrics figures)"
cpu() { sed -n "s/^$1=//p" "$WORK/cpu.txt"; }
if [ -n "${PROFILE:-}" ]; then
  for name in a b; do
    jcmd "${APP_PID[$name]}" JFR.dump name=load filename="$WORK/$name-dump.jfr" >/dev/null 2>&1 || true
    { echo "# replica $name, JFR (settings=profile), Java execution samples of the Gatling run ($GATLING_FROM-$GATLING_TO) by request class"
      jfr print --events jdk.ExecutionSample --stack-depth 200 "$WORK/$name-dump.jfr" \
        | python3 "$BENCH_DIR/load/profile.py" "$GATLING_FROM" "$GATLING_TO"
      echo; echo "# the whole life of the replica (start-up, set-up and warm-up included)"
      jfr view --width 200 hot-methods "$WORK/$name-dump.jfr"
      jfr view --width 200 contention-by-site "$WORK/$name-dump.jfr"
    } > "$OUT/load-profile-$name.txt" 2>&1 || true
    cp "$WORK/$name-dump.jfr" "$OUT/load-$name.jfr" 2>/dev/null || true
  done
  PROFILE_SUMMARY=$(sed -n '/^| class/,/^$/p' "$OUT/load-profile-a.txt")
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d switchboard -c "select calls, round(total_exec_time::numeric, 1) total_ms,
      round(mean_exec_time::numeric, 3) mean_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 220) query
      from pg_stat_statements order by total_exec_time desc limit 25" > "$OUT/load-statements.txt" 2>&1 || true
fi
# Ingestion left over by a killed replica: wait (at most 120 s) until nothing is queued or in progress.
deadline=$(( $(date +%s) + 120 ))
while [ "$(psql_q "select count(*) from knowledge_documents where status not in ('indexed','failed')")" != 0 ] \
  && [ "$(date +%s)" -lt "$deadline" ]; do sleep 1; done
INGEST_DONE_MS=""
[ "$SCENARIO" = kill-ingest ] && INGEST_DONE_MS=$(( $(now_ms) - t0 ))

# --- what Gatling measured ---
REPORT_DIR=$(ls -dt "$OUT"/gatling/*/ 2>/dev/null | head -1)
stats=$(python3 - "$REPORT_DIR" "$MODEL_MS" <<'PY'
import re, sys, os
d, model = sys.argv[1], int(sys.argv[2])
html = open(os.path.join(d, "index.html")).read()
rows = []
# The report's statistics table: a name, then cells col-2 (total) … col-12 (max).
for m in re.finditer(r'class="ellipsed-name">([^<]*)</span>(.*?)</tr>', html, re.S):
    cells = dict(re.findall(r'class="value [a-z]+ col-(\d+)">([^<]*)<', m.group(2)))
    rows.append((m.group(1), cells))
def num(v):
    return int(v) if v.isdigit() else v
print("| request | count | failed | p50 ms | p95 ms | p99 ms | max ms | p95 excluding the model ms |")
print("|---|---|---|---|---|---|---|---|")
worst, worst_name, over = 0, "", []
for name, c in rows[1:] + rows[:1]:
    chat = name.startswith("chat")
    p95 = num(c["10"])
    excl = p95 - model if chat and isinstance(p95, int) else p95
    if name != "All Requests" and isinstance(excl, int):
        if excl > worst:
            worst, worst_name = excl, name
        if excl >= 100:
            over.append(f"{name} {excl} ms")
    label = "**all**" if name == "All Requests" else name
    print(f"| {label} | {c['2']} | {c['4']} | {c['8']} | {p95} | {c['11']} | {c['12']} | {'—' if name == 'All Requests' else excl} |")
total, ko = int(rows[0][1]["2"]), int(rows[0][1]["4"])
print(f"\nfailed: {ko} of {total} ({100.0 * ko / max(total, 1):.3f} %); worst p95 excluding the model: {worst} ms "
      f"({worst_name}; for chat rows Gatling's p95 minus the fake's {model} ms)")
rate_ok = 100.0 * ko / max(total, 1) < 0.1
print(f"\ntargets (issue 17, point 6): error rate < 0.1 % → {'met' if rate_ok else '**missed**'}; "
      f"p95 excluding the model < 100 ms for every request → "
      + ("**missed** (" + ", ".join(over) + ")" if over else ("met" if ko == 0 else "no verdict: requests failed")))
PY
) || stats="(no Gatling report: see $WORK/gatling.log)"
# CPU per request class, measured on replica a once the load is over (PROBE requests of each; 0: not measured).
probe=""
if [ "$SCENARIO" = mix ] && [ "${PROBE:-300}" -gt 0 ]; then
  probe=$(python3 "$BENCH_DIR/load/probe.py" "$(base a)" "${APP_PID[a]}" user1@load.test load-user-password-1 "$KB" "${PROBE:-300}") \
    || probe="(the CPU probe failed: $probe)"
fi
TOTAL_REQUESTS=$(sed -n 's/^failed: [0-9]* of \([0-9]*\) .*/\1/p' <<<"$stats"); TOTAL_REQUESTS=${TOTAL_REQUESTS:-0}
# The errors of Gatling's last (final) console summary.
errors=$(awk '/^---- Errors/ {buf = ""; on = 1; next} /^====/ {on = 0} on && /^> / {buf = buf $0 "\n"} END {printf "%s", buf}' \
  "$WORK/gatling.log" | head -8)

# --- nothing acknowledged lost, nothing doubled ---
acked=$(wc -l < "$WORK/acked.csv" 2>/dev/null || echo 0)
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d switchboard -qc "create table load_acked (turn text, session_id uuid, message_id uuid)" >/dev/null
[ "$acked" -gt 0 ] && psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d switchboard -qc "\\copy load_acked from '$WORK/acked.csv' csv" >/dev/null
lost_answers=$(psql_q "select count(*) from load_acked a where not exists (select 1 from chat_messages m where m.id = a.message_id and m.session_id = a.session_id and m.role = 'assistant' and m.status = 'complete')")
lost_questions=$(psql_q "select count(*) from load_acked a where not exists (select 1 from chat_messages m where m.session_id = a.session_id and m.role = 'user' and m.content like 'turn ' || a.turn || ':%')")
doubled=$(psql_q "select count(*) from (select content from chat_messages where role = 'user' and content like 'turn %' group by session_id, content having count(*) > 1) d")
doubled_answers=$(psql_q "select count(*) from (select session_id, seq from chat_messages group by session_id, seq having count(*) > 1) d")
uploads_acked=$(wc -l < "$WORK/uploads-acked.txt")
uploads_refused=$( { cat "$WORK/uploads-refused.txt" 2>/dev/null || true; } | wc -l)
ids=$(sed "s/.*/'&'/" "$WORK/uploads-acked.txt" | paste -sd,)
docs_status=$(psql_q "select string_agg(status || ': ' || n, ', ') from (select status, count(*) n from knowledge_documents where id in ($ids) group by status) s")
docs_rows=$(psql_q "select count(*) from knowledge_documents where id in ($ids)")
docs_doubled=$(psql_q "select count(*) from (select knowledge_base_id, sha256 from knowledge_documents group by 1, 2 having count(*) > 1) d")
heap=$(awk 'NR==1 {next} {n++; a[n]=$2; b[n]=$3} END {
  third = int(n / 3); if (third < 1) third = 1
  for (i = 1; i <= n; i++) { if (a[i] > ma) ma = a[i]; if (b[i] > mb) mb = b[i] }
  for (i = 1; i <= third; i++) { fa += a[i]; fb += b[i] } for (i = n - third + 1; i <= n; i++) { la += a[i]; lb += b[i] }
  printf "a: first third avg %d MiB, last third avg %d MiB, max %d MiB; b: first third avg %d MiB, last third avg %d MiB, max %d MiB (%d samples)",
    fa / third, la / third, ma, fb / third, lb / third, mb, n }' "$WORK/heap.txt")

extra=""
[ -z "$probe" ] || extra="
CPU per request class, replica a alone after the run (\`bench/load/probe.py\`):

$probe
"
[ -z "${PROFILE_SUMMARY:-}" ] || extra="$extra
Java execution samples (JFR) of replica a during the Gatling run, by request class (\`bench/out/load-profile-a.txt\`; native code such as the embedding model is not sampled):

$PROFILE_SUMMARY
"
pause_text=${PAUSE/-/–}
report=$(cat <<REPORT

## Gatling load run \`$SCENARIO\`: $USERS users × ${DURATION} s, two replicas — $(date -u +%Y-%m-%d)

- machine: $(machine); the load generator (Gatling), both replicas, their PostgreSQL and Redis and the fake provider share the cores
- load average at the start of the script: $LOAD_AT_START; when Gatling started: $LOAD_BEFORE_GATLING; highest 1-min load during the run: $(cpu load_max)
- command: \`USERS=$USERS DURATION=$DURATION PAUSE=$PAUSE RAMP=$RAMP${PROFILE:+ PROFILE=1} bench/load.sh $SCENARIO\` (ramp ${RAMP} s, each replica -Xmx$HEAP; took ${elapsed_s} s${PROFILE:+; JFR on both replicas and pg_stat_statements on})
- set-up: PostgreSQL 15 (fresh cluster of the run, no pgvector: each replica's local index follows the database), Redis of the run, fake provider with the first token after ${FIRST_MS} ms and ${TOKENS} tokens ${TOKEN_MS} ms apart (model time ${MODEL_MS} ms per turn), $ACCOUNTS member accounts; each virtual user signs in, then loops: chat, SSE chat in the same session, \`GET /api/sessions\`, \`GET /api/sessions/{id}/messages\`, \`POST /api/knowledge/search\` (5 documents), $pause_text s pauses, every request to the next replica in turn
- fault: $FAULT${OUTAGE_NOTE:+ ($OUTAGE_NOTE)}
${RECOVERY_MS:+- recovery: $RECOVERY_MS ms until both replicas were ready and answered a chat turn (timed from the kill for kill-*, from the restart of the stopped service otherwise)}${INGEST_DONE_MS:+; all acknowledged uploads settled ${INGEST_DONE_MS} ms after the kill}

$stats

- acknowledged chat turns (200): $acked; answers missing afterwards: $lost_answers; questions missing: $lost_questions; questions stored twice: $doubled; two messages with one sequence number: $doubled_answers
- uploads acknowledged (202): $uploads_acked (refused: $uploads_refused); their documents: $docs_rows rows, $docs_status; one original stored twice in a base: $docs_doubled
- heap (\`jvm_memory_used_bytes{area="heap"}\` every 5 s): $heap
- request rate: $TOTAL_REQUESTS requests in ${elapsed_s} s = $(python3 -c "print(f'{$TOTAL_REQUESTS / max(1, $elapsed_s):.1f}')") requests/s (ramp and Gatling's start included)
- CPU during the Gatling run ($(cpu span) s; the machine $(cpu busy) % busy, $(cpu machine_cpu_s) CPU s in all, other processes of the machine included): replica a $(cpu a) s, replica b $(cpu b) s, PostgreSQL $(cpu postgres) s, Gatling (Maven and its JVM) $(cpu gatling) s, Redis $(cpu redis) s, fake provider $(cpu fake) s; per request Gatling sent: replicas $(python3 -c "print(f'{1000 * ($(cpu a) + $(cpu b)) / max(1, $TOTAL_REQUESTS):.1f}')") ms, PostgreSQL $(python3 -c "print(f'{1000 * $(cpu postgres) / max(1, $TOTAL_REQUESTS):.1f}')") ms, Gatling $(python3 -c "print(f'{1000 * $(cpu gatling) / max(1, $TOTAL_REQUESTS):.1f}')") ms

$server
$extra
REPORT
)
[ -z "$errors" ] || report="$report
- Gatling's errors (first 8 kinds):
\`\`\`
$errors
\`\`\`"
echo "$report"
append_result "$report"
cp "$WORK/gatling.log" "$OUT/load-$SCENARIO-gatling.log"
