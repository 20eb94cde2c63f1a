#!/usr/bin/env python3
"""CPU accounting of a load run (bench/load.sh): every 2 s, the cumulative CPU time (user + system, all threads) of
each named process tree, read from /proc/<pid>/stat, and the machine's busy and idle time from /proc/stat. A process
that exits keeps the last value read, so a tree's figure survives the end of its root. On SIGTERM prints, as
key=value lines, each tree's CPU seconds over the sampled span, the machine's busy share and the span itself.

usage: sampler.py OUT_FILE name=pid[,pid...] ...  (a pid's descendants are included)"""
import os, signal, sys, time

TICK = os.sysconf("SC_CLK_TCK")
out = sys.argv[1]
trees = {}
for arg in sys.argv[2:]:
    name, pids = arg.split("=", 1)
    trees[name] = [int(p) for p in pids.split(",") if p]


def children():
    kids = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                kids.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                pass
    return kids


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def machine():
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]
    return sum(cpu) - idle, idle


seen = {name: {} for name in trees}  # name -> pid -> (first ticks, last ticks)
start_machine, start = machine(), time.time()
loads = []
initial = [True]


def sample():
    kids = children()
    for name, roots in trees.items():
        stack = list(roots)
        while stack:
            pid = stack.pop()
            stack.extend(kids.get(pid, []))
            t = ticks(pid)
            if t is not None:
                first, _ = seen[name].get(pid, (t if initial[0] else 0, t))
                seen[name][pid] = (first, t)
    initial[0] = False
    loads.append(float(open("/proc/loadavg").read().split()[0]))


def finish(*_):
    sample()
    busy0, idle0 = start_machine
    busy1, idle1 = machine()
    span = time.time() - start
    with open(out, "w") as f:
        for name in trees:
            # A process first seen after the first sample started during the run (a new backend, Gatling's fork): from zero.
            total = sum(last - first for first, last in seen[name].values())
            f.write(f"{name}={total / TICK:.1f}\n")
        f.write(f"span={span:.1f}\n")
        f.write(f"busy={100.0 * (busy1 - busy0) / max(1, (busy1 - busy0) + (idle1 - idle0)):.0f}\n")
        f.write(f"machine_cpu_s={(busy1 - busy0) / TICK:.1f}\n")
        f.write(f"load_max={max(loads):.1f}\n")
    sys.exit(0)


signal.signal(signal.SIGTERM, finish)
while True:
    sample()
    time.sleep(2)
