#!/usr/bin/env python3
"""CPU per request class on one replica (bench/load.sh, after the Gatling run): for each class, sequential requests
from one keep-alive client, and the replica's CPU time (user + system, all threads, /proc/<pid>/stat) before and
after; the replica's background CPU (schedulers, the index follower), read over an idle window first, is taken off
pro rata. CPU time, unlike latency, hardly depends on what else runs on the machine.

usage: probe.py BASE PID EMAIL PASSWORD KB N   (prints markdown lines; the member's newest session is paged)"""
import http.client, json, os, sys, time
from urllib.parse import urlparse

base, pid, email, password, kb, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
TICK = os.sysconf("SC_CLK_TCK")
url = urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)


def cpu():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def call(method, path, body=None, token=None, accept="application/json"):
    headers = {"Accept": accept, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
    return data


login = lambda: json.loads(call("POST", "/api/auth/login", {"email": email, "password": password}))["accessToken"]
token = login()
session = json.loads(call("GET", "/api/sessions?limit=1", token=token))["sessions"][0]["id"]
messages = len(json.loads(call("GET", f"/api/sessions/{session}/messages?limit=50", token=token))["messages"])
classes = [
    ("`GET /health/live` (no authentication: the web stack's floor)", n, lambda: call("GET", "/health/live")),
    ("`GET /api/sessions?limit=20`", n, lambda: call("GET", "/api/sessions?limit=20", token=token)),
    (f"`GET /api/sessions/{{id}}/messages?limit=50` ({messages} messages)", n,
     lambda: call("GET", f"/api/sessions/{session}/messages?limit=50", token=token)),
    ("`POST /api/knowledge/search` (topK 5, query embedded)", n, lambda: call("POST", "/api/knowledge/search",
     {"query": "pump controller reset procedure", "knowledgeBaseIds": [kb], "topK": 5}, token=token)),
    ("`POST /api/chat` (a turn in a new session, the fake model)", max(10, n // 4),
     lambda: call("POST", "/api/chat", {"agent": "load", "message": "how do I reset the pump controller?"}, token=token)),
    ("`POST /api/chat` SSE (a turn in a new session, the fake model)", max(10, n // 4),
     lambda: call("POST", "/api/chat", {"agent": "load", "message": "how do I reset the pump controller?"}, token=token,
                  accept="text/event-stream")),
    ("`POST /api/auth/login` (Argon2 password check)", max(5, n // 20), login),
]
c0, t0 = cpu(), time.time()
time.sleep(5)
idle_rate = (cpu() - c0) / (time.time() - t0)
print(f"| request (one client, sequential, replica a) | requests | replica CPU ms per request | wall ms per request |")
print("|---|---|---|---|")
for name, count, request in classes:
    for _ in range(min(20, count)):
        request()  # warm-up
    c0, t0 = cpu(), time.time()
    for _ in range(count):
        request()
    wall = time.time() - t0
    used = max(0.0, cpu() - c0 - idle_rate * wall)
    print(f"| {name} | {count} | {1000 * used / count:.1f} | {1000 * wall / count:.1f} |")
print(f"\n(background CPU of the idle replica, taken off pro rata: {1000 * idle_rate:.0f} ms/s; /proc ticks are {1000 // TICK} ms, so a figure is ± {1000 / TICK / max(1, n // 20):.1f} ms at the fewest requests)")
