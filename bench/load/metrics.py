#!/usr/bin/env python3
"""Server-side figures of a load run (bench/load.sh) from the replicas' Prometheus /metrics, read before and after
the Gatling run: per endpoint (method and URI template, both replicas together) the requests served, their mean and
the p95 of http.server.requests (the upper bound of the histogram bucket holding the 95th percentile: time inside
the server, from Tomcat receiving the request to the response written, without the client's or the network's
queueing); per replica the database pool's acquisitions, mean and max wait, and the mean time a connection was held.

usage: metrics.py BEFORE_A AFTER_A BEFORE_B AFTER_B   (files holding /metrics text)"""
import re, sys
from collections import defaultdict

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(path):
    rows = []
    for line in open(path):
        m = LINE.match(line)
        if m and not line.startswith("#"):
            rows.append((m.group(1), dict(LABEL.findall(m.group(3) or "")), float(m.group(4))))
    return rows


def http(rows):
    buckets, counts, sums = defaultdict(float), defaultdict(float), defaultdict(float)
    for name, labels, value in rows:
        if not name.startswith("http_server_requests_seconds") or "uri" not in labels:
            continue
        key = (labels.get("method"), labels["uri"])
        if name.endswith("_bucket"):
            buckets[key + (float(labels["le"]),)] += value
        elif name.endswith("_count"):
            counts[key] += value
        elif name.endswith("_sum"):
            sums[key] += value
    return buckets, counts, sums


def pool(rows):
    out = defaultdict(float)
    for name, labels, value in rows:
        if name.startswith("hikaricp_connections_acquire_seconds") or name.startswith("hikaricp_connections_usage_seconds"):
            out[name] += value
    return out


def delta(after, before):
    return {k: v - before.get(k, 0.0) for k, v in after.items()}


files = sys.argv[1:5]
b = defaultdict(float); c = defaultdict(float); s = defaultdict(float)
pools = []
for before, after in ((files[0], files[1]), (files[2], files[3])):
    rb, ra = parse(before), parse(after)
    (bb, cb, sb), (ba, ca, sa) = http(rb), http(ra)
    for k, v in delta(ba, bb).items(): b[k] += v
    for k, v in delta(ca, cb).items(): c[k] += v
    for k, v in delta(sa, sb).items(): s[k] += v
    pa, pb = pool(ra), pool(rb)
    pools.append((delta(pa, pb), pa.get("hikaricp_connections_acquire_seconds_max", 0.0)))

WANTED = [("POST", "/api/auth/login"), ("POST", "/api/chat"), ("GET", "/api/sessions"),
          ("GET", "/api/sessions/{id}/messages"), ("POST", "/api/knowledge/search")]
print("| endpoint (server side, both replicas) | requests | mean ms | p95 ms (bucket upper bound) |")
print("|---|---|---|---|")
for key in WANTED:
    n = c.get(key, 0.0)
    if n <= 0:
        continue
    edges = sorted((k[2], v) for k, v in b.items() if k[:2] == key)
    p95 = next((le for le, v in edges if v >= 0.95 * n), float("inf"))
    p95s = "> largest bucket" if p95 == float("inf") else f"{p95 * 1000:.0f}"
    print(f"| `{key[0]} {key[1]}` | {n:.0f} | {1000 * s[key] / n:.1f} | {p95s} |")
for name, (d, amax) in zip("ab", pools):
    acq = d.get("hikaricp_connections_acquire_seconds_count", 0.0)
    use = d.get("hikaricp_connections_usage_seconds_count", 0.0)
    print(f"\n- database pool of replica {name}: {acq:.0f} connections acquired, mean wait "
          f"{1000 * d.get('hikaricp_connections_acquire_seconds_sum', 0.0) / max(acq, 1):.2f} ms, max wait (last window) "
          f"{1000 * amax:.1f} ms; held {1000 * d.get('hikaricp_connections_usage_seconds_sum', 0.0) / max(use, 1):.1f} ms "
          f"on average", end="")
print()
