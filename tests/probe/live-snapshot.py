#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# memscope-probe snapshot against real processes: its numbers agree with what the kernel says
# in /proc/PID/status and smaps_rollup, and delta follows what a leak-sim has touched.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mstest  # noqa: E402
from mstest import check  # noqa: E402


def kernel_kib(pid, filename, key):
    with open("/proc/%d/%s" % (pid, filename)) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def snapshot_of(pid, *args):
    rc, out, err = mstest.probe("snapshot", "--json", *args)
    if not check(rc == 0, "snapshot failed: " + err):
        return None
    procs = [p for p in json.loads(out.decode("utf-8"))["processes"] if p["pid"] == pid]
    check(len(procs) == 1, "leak-sim %d is in the snapshot once" % pid)
    return procs[0] if procs else None


# A steady process: RSS within 2 % of VmRSS, PSS within 5 % of smaps_rollup's Pss.
with mstest.LeakSim("steady-200", 200, rate=0) as sim:
    p = snapshot_of(sim.pid, "--pss")
    vmrss = kernel_kib(sim.pid, "status", "VmRSS")
    pss = kernel_kib(sim.pid, "smaps_rollup", "Pss")
    if p:
        check(abs(p["rss_kib"] - vmrss) <= vmrss * 0.02,
              "rss_kib %d within 2 %% of VmRSS %d" % (p["rss_kib"], vmrss))
        check(p["pss_kib"] is not None and abs(p["pss_kib"] - pss) <= pss * 0.05,
              "pss_kib %s within 5 %% of Pss %d" % (p["pss_kib"], pss))
        check(p["rss_kib"] >= 200 * 1024, "a 200 MiB leak-sim holds at least 200 MiB: %d" % p["rss_kib"])
        check(p["comm"] == "steady-200", "comm is the --name: %r" % p["comm"])
        check(p["starttime"] == sim.starttime(), "starttime matches /proc/PID/stat")
        check(abs(p["delta_kib"]) < 1024, "a steady process has no delta: %d" % p["delta_kib"])
        check(p["footprint_kib"] == p["rss_kib"] + p["swap_kib"], "footprint = rss + swap")

# A growing process: the snapshot's delta over its half second lies within what leak-sim says it
# touched from just before the snapshot to just after it.
with mstest.LeakSim("grower-8", 64, rate=16) as sim:
    before = sim.touched_kib()
    p = snapshot_of(sim.pid)
    after = sim.touched_kib()
    if p:
        grown = after - before
        check(grown > 0, "leak-sim grew during the snapshot: %d KiB" % grown)
        check(0 < p["delta_kib"] <= grown + 1024,
              "delta %d KiB is positive and at most the %d KiB touched around it"
              % (p["delta_kib"], grown))

mstest.finish()
