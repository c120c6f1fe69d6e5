#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""memscope-probe replay: help, usage errors, events of a known trace, bad traces, hostile names."""

import os
import sys

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mstest  # noqa: E402
from mstest import check  # noqa: E402


def known_samples(seconds=300):
    """pid 4242 leaks 8 MiB/s after 30 s steady; 777 (a hostile name) turns zombie at 100 s; 888
    jumps at 150 s; 555 exits normally at 200 s, passing through Z for one sample."""
    samples = mstest.leak_trace_samples(seconds, steady_s=30)
    for t, procs, _ in samples:
        if t >= 100:
            procs.append({"pid": 777, "starttime": 5, "comm": 'z "q",\n\udcff', "rss": 0,
                          "state": "Z"})
        if 190 <= t <= 200:
            procs.append({"pid": 555, "starttime": 7, "comm": "exiting", "rss": 0 if t == 200 else 4000,
                          "state": "Z" if t == 200 else "S"})
        procs.append({"pid": 888, "starttime": 6, "comm": "jumper",
                      "rss": 100000 if t < 150 else 500000})
    return samples


def main():
    with mstest.temp_dir() as tmp:
        trace = os.path.join(tmp, "trace.csv")
        mstest.write_trace(trace, known_samples())

        # --help: stdout, exit 0, every option listed.
        rc, out, err = mstest.probe("replay", "--help")
        check(rc == 0, "replay --help exits 0, not %d" % rc)
        text = out.decode()
        check("Usage: memscope-probe replay" in text and "--json" in text and "--help" in text,
              "replay --help lists its options: %r" % text)

        # Usage errors: exit 2, a message on stderr, nothing on stdout.
        for args in (["replay"], ["replay", "--bogus", trace], ["replay", trace, trace]):
            rc, out, err = mstest.probe(*args)
            check(rc == 2 and err.strip() != "" and out == b"",
                  "%s is a usage error (rc %d, stderr %r)" % (args, rc, err))

        # A missing file is a runtime error naming the file.
        missing = os.path.join(tmp, "missing.csv")
        rc, out, err = mstest.probe("replay", missing)
        check(rc == 1 and missing in err, "a missing trace: rc %d, %r" % (rc, err))

        # The events of the known trace.
        rc, out, err = mstest.probe("replay", "--json", trace)
        check(rc == 0, "replay --json exits 0: %d %s" % (rc, err))
        try:
            events = mstest.json_lines(out)
        except ValueError as e:
            events = []
            check(False, "replay --json prints JSON lines: %s" % e)
        for e in events:
            for key in ("time_s", "pid", "starttime", "comm", "tag", "event"):
                check(key in e, "event has %s: %r" % (key, e))
            check(e.get("tag") in ("LEAK", "SPIKE", "ZOMBIE"), "known tag: %r" % e)
            check(e.get("event") in ("set", "clear"), "set or clear: %r" % e)
        leaks = [e for e in events if e["tag"] == "LEAK" and e["event"] == "set"]
        check(len(leaks) == 1 and leaks[0]["pid"] == 4242 and leaks[0]["starttime"] == 99,
              "exactly the leaking process is tagged LEAK: %r" % leaks)
        if leaks:
            leak = leaks[0]
            check(abs(leak["rate_kib_s"] - 8192) < 8192 * 0.1,
                  "LEAK rate near 8 MiB/s: %r" % leak.get("rate_kib_s"))
            check(leak["comm"] == "leaky one", "LEAK comm: %r" % leak["comm"])
            check(30 < leak["time_s"] <= 90,
                  "LEAK found within a minute of its start: %r" % leak["time_s"])
            check(0 < leak["confidence"] <= 1, "confidence in 0..1: %r" % leak["confidence"])
            check("duration_s" in leak and "exhaust_s" in leak, "LEAK has duration and exhaust")
        check(not any(e["pid"] in (100, 101, 102, 555) for e in events),
              "flat processes are never tagged: %r" % events)
        zombies = [e for e in events if e["tag"] == "ZOMBIE" and e["event"] == "set"]
        # Every exit passes through Z: a zombie is one that stays Z for 2 s.
        check(len(zombies) == 1 and zombies[0]["pid"] == 777 and zombies[0]["time_s"] == 102,
              "the zombie is tagged 2 s after it turns Z: %r" % zombies)
        if zombies:
            # Invalid UTF-8 in comm becomes \u00ff; quotes, commas and newlines survive.
            check(zombies[0]["comm"] == 'z "q",\n\u00ff', "hostile comm: %r" % zombies[0]["comm"])
            check(b"\\u00ff" in out, "the stray byte is escaped as \\u00ff in the JSON")
        spikes = [e for e in events if e["tag"] == "SPIKE" and e["event"] == "set"]
        check(len(spikes) == 1 and spikes[0]["pid"] == 888
              and abs(spikes[0].get("jump_kib", 0) - 400000) < 1000,
              "the jump is a SPIKE of 400000 KiB: %r" % spikes)
        times = [e["time_s"] for e in events]
        check(times == sorted(times), "events come in time order")

        # The readable table says the same things.
        rc, out, err = mstest.probe("replay", trace)
        table = out.decode("utf-8", "replace")
        check(rc == 0, "replay (table) exits 0")
        check("LEAK" in table and "leaky one" in table and "MiB/s" in table,
              "the table explains the leak: %r" % table)
        check("\\xff" in table and "z \"q\",\\x0a" in table,
              "the table escapes control and stray bytes: %r" % table)

        # A bad line after the leak: the events before it are printed, then the error, exit 1.
        bad = os.path.join(tmp, "bad.csv")
        with open(trace, "rb") as f:
            content = f.read()
        lines_before = content.count(b"\n")
        with open(bad, "wb") as f:
            f.write(content + b"301.000,4242,99,leaky one,S,12x,,0,1,1000,user,g,0,0,0,,,,,,\n")
        rc, out, err = mstest.probe("replay", "--json", bad)
        check(rc == 1, "a bad trace exits 1, not %d" % rc)
        check("%s:%d:" % (bad, lines_before + 1) in err and "rss_kib" in err,
              "the error names the file and line %d: %r" % (lines_before + 1, err))
        try:
            partial = mstest.json_lines(out)
        except ValueError:
            partial = []
        check(partial == events, "every event before the bad line is printed (%d of %d)"
              % (len(partial), len(events)))

        # Truncated last line (no newline): also an error naming the line.
        cut = os.path.join(tmp, "cut.csv")
        with open(cut, "wb") as f:
            f.write(content + b"301.000,4242,99,leaky")
        rc, out, err = mstest.probe("replay", "--json", cut)
        check(rc == 1 and ":%d:" % (lines_before + 1) in err,
              "a cut-off trace is an error at line %d: %r" % (lines_before + 1, err))

        # The shipped fixture with a bad number on line 9.
        fixture = os.path.join(mstest.TESTDATA, "traces", "bad-number.csv")
        rc, out, err = mstest.probe("replay", "--json", fixture)
        check(rc == 1 and "bad-number.csv:9:" in err, "fixture error on line 9: %r" % err)

        # Binary garbage and an empty file are errors, not crashes.
        garbage = os.path.join(tmp, "garbage.csv")
        with open(garbage, "wb") as f:
            f.write(mstest.HEADER.encode() + b"\n" + bytes(range(256)) * 4 + b"\n")
        rc, out, err = mstest.probe("replay", garbage)
        check(rc == 1 and "garbage.csv:2:" in err, "garbage is an error at line 2: %r" % err)
        empty = os.path.join(tmp, "empty.csv")
        open(empty, "wb").close()
        rc, out, err = mstest.probe("replay", empty)
        check(rc == 1 and "empty.csv:1:" in err, "an empty file is an error: %r" % err)

        # Standard input works as a trace.
        rc, out, err = mstest.probe("replay", "--json", "-", stdin=content)
        check(rc == 0 and mstest.json_lines(out) == events, "replay reads - as standard input")

    mstest.finish()


if __name__ == "__main__":
    main()
