#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""memscope-probe record: help, usage errors, unwritable files, the CSV it writes, stopping."""

import csv
import io
import os
import signal
import subprocess
import sys
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mstest  # noqa: E402
from mstest import check  # noqa: E402

MACHINE_COLUMNS = ("mem_total_kib", "mem_available_kib", "swap_total_kib", "psi_some_avg10",
                   "psi_full_avg10")


def parse_trace(data):
    """Rows as dicts, grouped into samples by time_s (in order)."""
    text = data.decode("utf-8", "surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    samples = []
    for fields in reader:
        check(len(fields) == len(header), "row has %d fields: %r" % (len(header), fields))
        row = dict(zip(header, fields))
        if not samples or samples[-1][0] != row["time_s"]:
            samples.append((row["time_s"], []))
        samples[-1][1].append(row)
    return header, samples


def check_trace(data, n_samples, label):
    header, samples = parse_trace(data)
    check(",".join(header) == mstest.HEADER, "%s: the header is the documented one" % label)
    check(data.endswith(b"\n"), "%s: the trace ends with a complete line" % label)
    if n_samples is not None:
        check(len(samples) == n_samples, "%s: %d samples, not %d" % (label, n_samples,
                                                                     len(samples)))
    times = [float(t) for t, _ in samples]
    check(times == sorted(times) and len(set(times)) == len(times),
          "%s: times rise: %r" % (label, times))
    check(not times or times[0] == 0.0, "%s: the first sample is at 0" % label)
    for t, rows in samples:
        machine = rows[0]
        check(machine["pid"] == "0" and machine["comm"] == "[machine]",
              "%s: sample %s starts with the machine row" % (label, t))
        check(sum(1 for r in rows if r["pid"] == "0") == 1, "%s: one machine row per sample" % label)
        total = int(machine["mem_total_kib"])
        available = int(machine["mem_available_kib"])
        check(total > 0 and 0 <= available <= total and int(machine["rss_kib"]) == total - available,
              "%s: machine rss is MemTotal - MemAvailable" % label)
        procs = rows[1:]
        check(len(procs) > 1, "%s: sample %s lists processes" % (label, t))
        check(str(os.getpid()) in [r["pid"] for r in procs],
              "%s: this test's own process is in sample %s" % (label, t))
        for r in procs:
            check(all(r[c] == "" for c in MACHINE_COLUMNS),
                  "%s: machine columns are empty on process rows: %r" % (label, r))
            check(int(r["rss_kib"]) >= 0 and int(r["swap_kib"]) >= 0 and int(r["starttime"]) >= 0,
                  "%s: sizes are numbers: %r" % (label, r))
            check(r["pss_kib"] == "" or int(r["pss_kib"]) >= 0, "%s: pss empty or a size" % label)
            check(len(r["state"]) == 1, "%s: one-letter state: %r" % (label, r["state"]))
            check(r["cpu_pct"] == "" or float(r["cpu_pct"]) >= 0, "%s: cpu empty or >= 0" % label)
    return samples


def main():
    rc, out, err = mstest.probe("record", "--help")
    text = out.decode()
    check(rc == 0, "record --help exits 0")
    for opt in ("--interval", "--count", "--duration", "--pss", "--events", "--help"):
        check(opt in text, "record --help lists %s" % opt)

    with mstest.temp_dir() as tmp:
        trace = os.path.join(tmp, "trace.csv")
        usage_errors = [
            ["record"],
            ["record", "--interval", "0.1", trace],
            ["record", "--interval", "61", trace],
            ["record", "--interval", "abc", trace],
            ["record", "--count", "0", trace],
            ["record", "--count", "-3", trace],
            ["record", "--count", "2", "--duration", "1", trace],
            ["record", "--duration", "-1", trace],
            ["record", "--bogus", trace],
            ["record", trace, trace],
            ["record", "--events", "-", "-"],
            ["record", trace, "--interval"],
        ]
        for args in usage_errors:
            rc, out, err = mstest.probe(*args)
            check(rc == 2 and err.strip() != "" and out == b"",
                  "%s is a usage error (rc %d, %r)" % (args[1:], rc, err))
        check(not os.path.exists(trace), "usage errors create no file")

        # Unwritable destinations are runtime errors that name the path.
        for bad in (os.path.join(tmp, "no-such-dir", "t.csv"), tmp):
            rc, out, err = mstest.probe("record", "--count", "1", bad)
            check(rc == 1 and bad in err, "unwritable %s: rc %d, %r" % (bad, rc, err))
        rc, out, err = mstest.probe("record", "--count", "1", "--events",
                                    os.path.join(tmp, "no-such-dir", "e.jsonl"), trace)
        check(rc == 1 and "no-such-dir" in err, "unwritable events file: rc %d, %r" % (rc, err))

        # Two samples a quarter second apart, to a file, with events.
        events = os.path.join(tmp, "events.jsonl")
        rc, out, err = mstest.probe("record", "--count", "2", "--interval", "0.25", "--events",
                                    events, trace)
        check(rc == 0, "record --count 2 exits 0: %s" % err)
        with open(trace, "rb") as f:
            data = f.read()
        samples = check_trace(data, 2, "file")
        if len(samples) == 2:
            check(0.2 <= float(samples[1][0]) <= 1.5, "second sample about 0.25 s later: %s"
                  % samples[1][0])
        with open(events, "rb") as f:
            mstest.json_lines(f.read())  # raises on anything that is not JSON lines
        rc, out, err = mstest.probe("replay", "--json", trace)
        check(rc == 0, "the recorded trace replays: %s" % err)
        rc, out, err = mstest.probe("blame", "--json", trace, "--from", "0", "--to", "10")
        check(rc == 0 and b"unattributed_kib" in out, "the recorded trace blames: %s" % err)

        # To standard output.
        rc, out, err = mstest.probe("record", "--count", "2", "--interval", "0.25", "-")
        check(rc == 0, "record - exits 0: %s" % err)
        check_trace(out, 2, "stdout")

        # --duration: samples at 0, 0.25 and 0.5 (a slot a slow tick overran is skipped, so on a
        # loaded machine there may be fewer, but never one past the end).
        rc, out, err = mstest.probe("record", "--duration", "0.5", "--interval", "0.25", "-")
        check(rc == 0, "record --duration exits 0")
        samples = check_trace(out, None, "duration")
        times = [float(t) for t, _ in samples]
        check(2 <= len(times) <= 3 and times[-1] <= 0.75,
              "--duration 0.5 samples until 0.5 s: %r" % times)

        # --pss: this test's own PSS is readable (same user), so it is filled.
        rc, out, err = mstest.probe("record", "--count", "1", "--pss", "-")
        _, samples = parse_trace(out)
        mine = [r for r in samples[0][1] if r["pid"] == str(os.getpid())] if samples else []
        check(rc == 0 and mine and mine[0]["pss_kib"] != "" and int(mine[0]["pss_kib"]) > 0,
              "record --pss fills pss_kib: %r" % mine)

        # SIGINT ends the recording cleanly: exit 0 and a complete last sample.
        proc = subprocess.Popen([mstest.PROBE, "record", "--interval", "0.25", trace],
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.1)
            with open(trace, "rb") as f:
                if f.read().count(b"[machine]") >= 3:
                    break
        for sig in (signal.SIGINT, signal.SIGTERM):
            if sig == signal.SIGTERM:
                proc = subprocess.Popen([mstest.PROBE, "record", "--interval", "60", trace],
                                        stderr=subprocess.PIPE)
                time.sleep(1.0)
            proc.send_signal(sig)
            try:
                rc = proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
                check(False, "record ends within 10 s of %s" % sig.name)
            err = proc.stderr.read().decode()
            proc.stderr.close()
            check(rc == 0, "record exits 0 on %s, not %d (%s)" % (sig.name, rc, err))
            with open(trace, "rb") as f:
                data = f.read()
            samples = check_trace(data, None, sig.name)
            check(len(samples) >= (3 if sig == signal.SIGINT else 1),
                  "%s: the samples taken are kept (%d)" % (sig.name, len(samples)))
            rc, out, err = mstest.probe("replay", trace)
            check(rc == 0, "%s: the interrupted trace replays cleanly: %s" % (sig.name, err))

    mstest.finish()


if __name__ == "__main__":
    main()
