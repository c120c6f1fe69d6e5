#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""record --events on real processes: a leak-sim that holds 200 MiB for STEADY_S seconds and then
grows 8 MiB/s is tagged LEAK within 60 s of the growth's start, a steady 200 MiB one is not, and
replaying the trace gives the same events.  leak-sim's own checks run while the recording waits
for the leak, and the recording ends once the leak is tagged (at RECORD_S at the latest): by then
the steady one has been watched longer than the shortest growth the detector can call a leak.
A scenario of the live group (run-live.py)."""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "probe"))
import mstest  # noqa: E402
from mstest import check  # noqa: E402

STEADY_S = 30
DETECT_LIMIT_S = 60
RECORD_S = STEADY_S + DETECT_LIMIT_S + 15
LEAK_RATE_MIB_S = 8


def check_leak_sim():
    """leak-sim itself: options, its name, and the patterns measured by what it says it holds."""
    proc = subprocess.run([mstest.LEAK_SIM, "--help"], capture_output=True)
    text = proc.stdout.decode()
    check(proc.returncode == 0, "leak-sim --help exits 0")
    for opt in ("--name", "--start", "--rate", "--pattern", "--max", "--duration", "--steady",
                "linear", "steps", "sawtooth", "spike"):
        check(opt in text, "leak-sim --help mentions %s" % opt)
    for args in (["--start", "10"], ["--name", "x"], ["--name", "x", "--start", "-1"],
                 ["--name", "x", "--start", "10", "--pattern", "zigzag"],
                 ["--name", "x", "--start", "100", "--max", "50"], ["--bogus"]):
        proc = subprocess.run([mstest.LEAK_SIM] + args, capture_output=True)
        check(proc.returncode == 2 and proc.stderr, "leak-sim %s is a usage error" % args)

    mib = 1024
    with mstest.LeakSim("<b>x&y \"z\"", 16, rate=0) as sim:
        with open("/proc/%d/comm" % sim.pid, "rb") as f:
            check(f.read() == b'<b>x&y "z"\n', "leak-sim takes its name as comm")
        check(sim.touched_kib() == 16 * mib, "ready means the start size is touched")
    # spike: flat for 5 s, then max(rate * 20, 256) MiB more, capped by --max.
    with mstest.LeakSim("spiky", 8, rate=1, pattern="spike") as sim:
        check(sim.touched_kib() < 9 * mib, "spike holds its start size first")
        check(mstest.wait_for(lambda: sim.touched_kib() == (8 + 256) * mib, 30),
              "spike jumps by 256 MiB after 5 s")
    with mstest.LeakSim("capped", 8, rate=1, pattern="spike", max_mib=100) as sim:
        check(mstest.wait_for(lambda: sim.touched_kib() >= 100 * mib, 30),
              "the spike comes")
        check(sim.touched_kib() == 100 * mib, "--max caps the spike at 100 MiB")
    # sawtooth at 64 MiB/s: back near the start at least once a second.
    with mstest.LeakSim("gc", 8, rate=64, pattern="sawtooth") as sim:
        seen = []
        for _ in range(12):
            time.sleep(0.13)
            seen.append(sim.touched_kib())
        check(max(seen) <= (8 + 64) * mib and min(seen) < (8 + 32) * mib < max(seen),
              "sawtooth rises and falls between 8 and 72 MiB: %r" % seen)
    # --steady: flat for that long, then the pattern.
    with mstest.LeakSim("calm", 8, rate=64, steady=1.5) as sim:
        check(sim.touched_kib() < 9 * mib, "--steady holds the start size first")
        check(mstest.wait_for(lambda: sim.touched_kib() >= 24 * mib, 30),
              "after --steady the pattern follows")
    # steps: rate * 10 MiB every 10 s, nothing in between.
    with mstest.LeakSim("stairs", 8, rate=2, pattern="steps") as sim:
        first = sim.touched_kib()
        time.sleep(3)
        check(sim.touched_kib() == first == 8 * mib, "steps holds between steps")
    # --duration ends it by itself with status 0.
    sim = mstest.LeakSim("brief", 1, rate=1, duration=0.5)
    check(sim.proc.wait(10) == 0, "leak-sim --duration exits 0")
    sim.stop()


def leak_tagged(events_path, ident):
    """Whether the events written so far hold a LEAK set for the process (pid, starttime)."""
    try:
        with open(events_path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return False
    # Only whole lines: the recorder may be in the middle of writing the last one.
    for line in data.split(b"\n")[:-1]:
        event = json.loads(line)
        if ((event["pid"], event["starttime"]) == ident and event["tag"] == "LEAK"
                and event["event"] == "set"):
            return True
    return False


def record_until_leak(events_path, trace, leaky_id):
    """Records until the leak is tagged or RECORD_S pass; returns (exit status, stderr text,
    the monotonic time the recording started)."""
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen([mstest.PROBE, "record", "--interval", "1", "--duration",
                                 str(RECORD_S), "--events", events_path, trace],
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            check_leak_sim()
            deadline = time.monotonic() + RECORD_S + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if leak_tagged(events_path, leaky_id):
                    # It finishes the sample in flight and exits 0.
                    proc.send_signal(signal.SIGTERM)
                    break
                time.sleep(0.5)
            rc = proc.wait(60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        err.seek(0)
        return rc, err.read().decode("utf-8", "replace"), started


def main():
    with mstest.temp_dir() as tmp:
        trace = os.path.join(tmp, "trace.csv")
        events_path = os.path.join(tmp, "events.jsonl")
        # Names with characters that need care in CSV and JSON.
        with mstest.LeakSim("leak,<b>x&y", 200, rate=LEAK_RATE_MIB_S, steady=STEADY_S) as leaky, \
                mstest.LeakSim("steady \"q\"", 200, rate=0) as steady:
            growth_from = leaky.ready_at + STEADY_S
            rc, err, recording_from = record_until_leak(events_path, trace,
                                                        (leaky.pid, leaky.starttime()))
            check(rc == 0, "record exits 0: %s" % err)
            held_kib = leaky.touched_kib()
            steady_kib = steady.touched_kib()
            # What the kernel counts for each, allocator and sanitizer overhead included.
            leaky_own_kib = leaky.footprint_kib()
            steady_own_kib = steady.footprint_kib()
            leaky_id = (leaky.pid, leaky.starttime())
            steady_id = (steady.pid, steady.starttime())

        with open(events_path, "rb") as f:
            live = mstest.json_lines(f.read())
        rc, out, err = mstest.probe("replay", "--json", trace)
        check(rc == 0, "the trace replays: %s" % err)
        replayed = mstest.json_lines(out)

        def of(events, ident):
            return [e for e in events if (e["pid"], e["starttime"]) == ident]

        leak_sets = [e for e in of(live, leaky_id) if e["tag"] == "LEAK" and e["event"] == "set"]
        check(len(leak_sets) >= 1, "the growing leak-sim is tagged LEAK: %r" % of(live, leaky_id))
        if leak_sets:
            first = leak_sets[0]
            # The growth's start in the recording's own time.
            growth_s = growth_from - recording_from
            print("note: LEAK %.0f s after the growth began" % (first["time_s"] - growth_s),
                  flush=True)
            check(growth_s - 2 <= first["time_s"] <= growth_s + DETECT_LIMIT_S,
                  "LEAK within %d s of the growth's start (%.0f s), at %s s"
                  % (DETECT_LIMIT_S, growth_s, first["time_s"]))
            check(first["comm"] == "leak,<b>x&y", "the event names it: %r" % first["comm"])
            rate_kib_s = LEAK_RATE_MIB_S * 1024
            check(abs(first["rate_kib_s"] - rate_kib_s) < rate_kib_s * 0.3,
                  "the rate is about %d KiB/s: %s" % (rate_kib_s, first["rate_kib_s"]))
        check(not of(live, steady_id), "the steady leak-sim is never tagged: %r"
              % of(live, steady_id))
        check(replayed == live, "replay gives the live events:\nlive %r\nreplay %r"
              % (live, replayed))

        # What the trace saw of them matches what the kernel says they use, and holds what they
        # say they touched.  Their own code, libc and (in a sanitizer build) the sanitizer's
        # allocator and shadow memory come on top of what they touched, so the upper bound is
        # their own figure read at the end, not what they touched plus a guess.
        last = {}
        with open(trace, newline="", encoding="utf-8", errors="surrogateescape") as f:
            for row in csv.DictReader(f):
                ident = (int(row["pid"]), int(row["starttime"]))
                last[ident] = int(row["rss_kib"]) + int(row["swap_kib"])
        check(leaky_id in last and steady_id in last, "both are in the trace")
        if steady_id in last:
            check(steady_kib <= last[steady_id] and abs(last[steady_id] - steady_own_kib) <= 2048,
                  "steady footprint %d KiB in the trace, %d KiB touched, %d KiB its own figure"
                  % (last[steady_id], steady_kib, steady_own_kib))
        if leaky_id in last:
            check(200 * 1024 < last[leaky_id] <= leaky_own_kib + 2048
                  and held_kib <= leaky_own_kib,
                  "leaky footprint %d KiB in the trace, %d KiB touched, %d KiB its own figure at "
                  "the end" % (last[leaky_id], held_kib, leaky_own_kib))

    mstest.finish()


if __name__ == "__main__":
    main()
