#!/usr/bin/env bash
# Identity and metering costs, embedded shape, one client: login p50/p95/p99; the per-request cost of API-key
# and JWT authentication (GET /api/auth/me) against GET /health/live in the same run; a rate-limit decision for
# a key's request (its bucket and its user's) in-process and in Redis (needs Redis on 127.0.0.1:6379).
#   bench/identity.sh        (REQUESTS=2000 per endpoint, ARGON2_MEMORY_KIB=12288, ARGON2_ITERATIONS=3: the password hash's costs)
source "$(dirname "$0")/lib.sh"
REQUESTS=${REQUESTS:-2000} ARGON2_MEMORY_KIB=${ARGON2_MEMORY_KIB:-12288} ARGON2_ITERATIONS=${ARGON2_ITERATIONS:-3}
# The API-key cache's lifetime, read from the class that sets it.
KEY_CACHE_S=$(grep -oP 'TTL_SECONDS = \K[0-9]+' "$ROOT/src/main/java/dev/switchboard/identity/internal/apikey/ApiKeyCache.java" || echo '?')
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
JAR=$(jar_path)
DATA=$(mktemp -d "$OUT/identity-XXXX")
PORT=$(free_port)
PASSWORD="bench-admin-password-$(date +%s)"

java -jar "$JAR" --switchboard.data-dir="$DATA" --server.port="$PORT" \
  --switchboard.bootstrap.admin-email=bench@example.test --switchboard.bootstrap.admin-password="$PASSWORD" \
  --switchboard.metering.login-per-address-per-minute=100000 --switchboard.metering.login-per-account-per-minute=100000 \
  --switchboard.metering.global-requests-per-second=1000000 --switchboard.metering.default-tier=enterprise \
  --switchboard.metering.tiers.enterprise.requests-per-minute=10000000 \
  --switchboard.identity.password.argon2-memory-kib="$ARGON2_MEMORY_KIB" --switchboard.identity.password.argon2-iterations="$ARGON2_ITERATIONS" \
  > "$OUT/identity-app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; rm -rf "$DATA"' EXIT
wait_for_200 "http://127.0.0.1:$PORT/health/ready" 120

compile_benchmarks
CP_FILE="$DATA/classpath.txt"
bench_classpath "$CP_FILE"
java -Dbench.lua="$ROOT/src/main/resources/metering/token-buckets.lua" -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")" bench.IdentityBench "http://127.0.0.1:$PORT" bench@example.test "$PASSWORD" "$REQUESTS" \
  | tee "$OUT/identity.txt"

val() { awk -v k="$1" -v f="$2" '$1 == k { for (i = 2; i <= NF; i++) { split($i, a, "="); if (a[1] == f) print a[2] } }' "$OUT/identity.txt"; }
report=$(cat <<REPORT

## Identity and metering costs — $(date -u +%Y-%m-%d)

- machine: $(machine); one sequential client on the same machine; load average at the start: ${load_at_start}
- command: \`bench/identity.sh\` (REQUESTS=$REQUESTS per endpoint, after a warm-up of half as many; ARGON2_MEMORY_KIB=$ARGON2_MEMORY_KIB, ARGON2_ITERATIONS=$ARGON2_ITERATIONS)
- login (Argon2id m=$ARGON2_MEMORY_KIB KiB t=$ARGON2_ITERATIONS, refresh token written): p50 $(val login_ms p50) ms, **p95 $(val login_ms p95) ms** (target < 200 ms), p99 $(val login_ms p99) ms
- login with an unknown e-mail address (refused, same Argon2id work against a dummy hash): p50 $(val unknown_login_ms p50) ms, p95 $(val unknown_login_ms p95) ms → unknown / known at p50 = $(awk "BEGIN {printf \"%.2f\", $(val unknown_login_ms p50) / $(val login_ms p50)}")
- baseline \`GET /health/live\` (no authentication): p50 $(val baseline_health_ms p50) ms, p99 $(val baseline_health_ms p99) ms
- \`GET /api/auth/me\` with an API key (cached for ${KEY_CACHE_S} s, \`ApiKeyCache.TTL_SECONDS\`, cleared on every replica by revocation): p50 $(val api_key_me_ms p50) ms, p99 $(val api_key_me_ms p99) ms → added over the baseline at p50: $(awk "BEGIN {printf \"%.3f\", $(val api_key_me_ms p50) - $(val baseline_health_ms p50)}") ms
- \`GET /api/auth/me\` with a JWT (signature check + principal look-up): p50 $(val jwt_me_ms p50) ms, p99 $(val jwt_me_ms p99) ms
- rate-limit decision for a key's request (its bucket and its user's, all or nothing) in Redis: Switchboard's Lua script run over Lettuce from the load generator: p50 $(val decision_redis_us p50) µs, p99 $(val decision_redis_us p99) µs; the in-process decision, through \`LocalRateLimiter\` itself: \`bench/rate-limit.sh\` (JMH)
REPORT
)
echo "$report"
append_result "$report"
