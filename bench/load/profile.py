#!/usr/bin/env python3
"""Where a replica's Java CPU samples went during a load run: reads `jfr print --events jdk.ExecutionSample` text
(stdin), keeps the samples between START and END (HH:MM:SS, the recording's clock), and prints each request class's
share (a sample belongs to the first class whose marker appears anywhere in its stack) and, per class, the frames
of Switchboard's own code (dev.switchboard) that were nearest to the top of the stack, with their counts. Native
code (the embedding model's ONNX runtime, the JDK's crypto intrinsics) is not in these samples.

usage: jfr print --events jdk.ExecutionSample --stack-depth 200 X.jfr | profile.py START END"""
import re, sys
from collections import Counter, defaultdict

CLASSES = [
    ("password hashing (Argon2)", ("Argon2",)),
    ("sign-in (besides hashing)", ("AuthController",)),
    ("chat turn", ("ChatController", "chat.internal.turn")),
    ("GET /api/sessions", ("SessionController.list",)),
    ("GET /api/sessions/{id}/messages", ("SessionController.messages",)),
    ("POST /api/knowledge/search", ("KnowledgeController.search",)),
    ("authentication (JWT, principal)", ("BearerTokenAuthenticationFilter", "JwtCallerConverter")),
    ("request handling outside controllers (filters, metering, JSON, Tomcat)", ("org.apache.catalina", "org.apache.coyote", "org.apache.tomcat")),
    ("knowledge index follower / ingestion", ("knowledge.internal",)),
]
start, end = sys.argv[1], sys.argv[2]
counts, own = Counter(), defaultdict(Counter)
total = 0
time = None
frames = []
for line in sys.stdin:
    line = line.strip()
    if line.startswith("startTime"):
        time = line.split("=")[1].strip()[:8]
        frames = []
    elif line.endswith(")") and "line:" in line or re.match(r"^[\w$.]+\(.*\)( line: \d+)?$", line):
        frames.append(line)
    elif line == "]" and time is not None:
        if start <= time <= end:
            stack = "\n".join(frames)
            name = next((n for n, markers in CLASSES if any(m in stack for m in markers)), "other (schedulers, GC-free JVM work, Redis, pools)")
            counts[name] += 1
            total += 1
            top = next((f.split("(")[0] for f in frames if f.startswith("dev.switchboard")), None)
            if top:
                own[name][top] += 1
        time = None
print(f"{total} samples between {start} and {end}\n")
print("| class | samples | share |")
print("|---|---|---|")
for name, n in counts.most_common():
    print(f"| {name} | {n} | {100.0 * n / max(total, 1):.1f} % |")
for name, n in counts.most_common():
    print(f"\n{name}: Switchboard frames nearest the top")
    for frame, k in own[name].most_common(6):
        print(f"  {k:6d}  {frame}")
