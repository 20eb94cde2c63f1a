#!/usr/bin/env bash
# The chat page in Debian's headless Chromium (Selenium, /usr/bin/chromium + /usr/bin/chromedriver, as the browser
# tests): bytes transferred on the first load with a cold cache (Resource Timing transferSize, compressed), navigation
# start → the message box usable (the `switchboard:chat-ready` mark chat.js sets once its handlers are wired), and Send
# → first rendered token minus the fake provider's first-token delay. Baselines in the same run: the document alone;
# the fake's first token read straight by an HTTP client, taking turns with the sends.
#   bench/web-chat.sh        (LOADS=10 cold loads, SENDS=30 sends, FIRST_TOKEN_MS=200)
source "$(dirname "$0")/lib.sh"
export LOADS=${LOADS:-10} SENDS=${SENDS:-30} FIRST_TOKEN_MS=${FIRST_TOKEN_MS:-200}
prepare_load_generator web-chat

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
chromium_version=$(/usr/bin/chromium --version 2>/dev/null || echo "chromium (version unknown)")
started=$(now_ms)
java -cp "$CP" bench.WebChatBench web-chat "$WORK/switchboard.jar" "$WORK" "$OUT" | tee "$OUT/web-chat.txt"
elapsed_s=$(( ($(now_ms) - started) / 1000 ))

report=$(cat <<REPORT

## Chat page in the browser: first load, time to usable, first rendered token — $(date -u +%Y-%m-%d)

- machine: $(machine); ${chromium_version}, headless; the browser, the load generator (with the fake provider), Switchboard and its embedded PostgreSQL share the machine; load average at the start: ${load_at_start}
- command: \`bench/web-chat.sh\` (LOADS=$LOADS, SENDS=$SENDS, FIRST_TOKEN_MS=$FIRST_TOKEN_MS; took ${elapsed_s} s)
- set-up: Switchboard from the jar (default settings: \`server.compression\` on for text types, SSE excluded), signed in as the bootstrap admin through \`/sign-in\` over \`http://localhost\`; persona \`bench\`; the fake OpenAI-compatible provider streams its answer word by word after FIRST_TOKEN_MS. Bytes: the browser cache cleared and disabled, \`/\` loaded, the sum of Resource Timing \`transferSize\` of the document and of every resource until 1 s without a new one (the sessions list included). Usable: navigation start → the \`switchboard:chat-ready\` mark. First token: a click on Send in a new chat → the first text in the answer (MutationObserver).

$(cat "$OUT/web-chat.txt")
REPORT
)
echo "$report"
append_result "$report"
