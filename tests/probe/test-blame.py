#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""memscope-probe blame: help, usage errors, the ranking of a fixture, windows, bad traces."""

import os
import sys

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mstest  # noqa: E402
from mstest import check  # noqa: E402

SMALL = os.path.join(mstest.TESTDATA, "traces", "small.csv")

# tests/data/traces/small.csv between the samples at 1 s and 4 s, worked out by hand:
# (pid, starttime, comm, start, end, started_inside, exited_inside)
EXPECTED = [
    (100, 1000, "grower", 2000, 5000, False, False),
    (400, 1900, 'late, "starter"', 0, 3000, True, False),
    (600, 2000, "new 600", 0, 700, True, False),
    (2, 0, "kthreadd", 0, 0, False, False),
    (300, 1200, "steady", 3000, 3000, False, False),
    (600, 50, "old 600", 100, 0, False, True),
    (500, 1300, "quitter", 2000, 0, False, True),
    (200, 1100, "shrinker", 7000, 4000, False, False),
]
# Machine used + swap used: 40000 at 1 s, 45000 + 1000 at 4 s; the processes explain 1600.
UNATTRIBUTED = 6000 - 1600


def main():
    rc, out, err = mstest.probe("blame", "--help")
    text = out.decode()
    check(rc == 0, "blame --help exits 0")
    for opt in ("--from", "--to", "--json", "--help"):
        check(opt in text, "blame --help lists %s" % opt)

    usage_errors = [
        ["blame"],
        ["blame", SMALL],
        ["blame", SMALL, "--from", "1"],
        ["blame", SMALL, "--to", "4"],
        ["blame", SMALL, "--from", "4", "--to", "1"],
        ["blame", SMALL, "--from", "2", "--to", "2"],
        ["blame", SMALL, "--from", "x", "--to", "4"],
        ["blame", SMALL, "--from", "1", "--to", "nan"],
        ["blame", SMALL, "--from", "1", "--to", "4", "--bogus"],
        ["blame", SMALL, SMALL, "--from", "1", "--to", "4"],
        ["blame", SMALL, "--from"],
    ]
    for args in usage_errors:
        rc, out, err = mstest.probe(*args)
        check(rc == 2 and err.strip() != "" and out == b"",
              "%s is a usage error (rc %d, stderr %r)" % (args[1:], rc, err))

    # The fixture's ranking, field by field.
    rc, out, err = mstest.probe("blame", "--json", SMALL, "--from", "1", "--to", "4")
    check(rc == 0, "blame --json exits 0: %s" % err)
    rows = mstest.json_lines(out)
    check(len(rows) == len(EXPECTED) + 1, "%d rows and the unattributed line: %r"
          % (len(EXPECTED), rows))
    for want, got in zip(EXPECTED, rows):
        pid, starttime, comm, start, end, started, exited = want
        check(got == {"pid": pid, "starttime": starttime, "comm": comm, "start_kib": start,
                      "end_kib": end, "delta_kib": end - start, "started_inside": started,
                      "exited_inside": exited},
              "row %r is %r" % (got, want))
    check(rows[-1] == {"unattributed_kib": UNATTRIBUTED},
          "last line is the unattributed growth: %r" % rows[-1:])
    deltas = [r["delta_kib"] for r in rows[:-1]]
    check(deltas == sorted(deltas, reverse=True), "largest growth first, shrinkers last")

    # Times between samples use the last sample at or before each end: 1.5 -> 1, 4.9 -> 4.
    rc, out2, err = mstest.probe("blame", "--json", SMALL, "--from", "1.5", "--to", "4.9")
    check(rc == 0 and out2 == out, "a window between samples snaps to earlier samples")
    # A --to past the end uses the last sample.
    rc, out3, err = mstest.probe("blame", "--json", SMALL, "--from", "1", "--to", "1000")
    check(rc == 0 and out3 == out, "--to past the end uses the last sample")

    # The table.
    rc, out, err = mstest.probe("blame", SMALL, "--from", "1", "--to", "4")
    table = out.decode()
    check(rc == 0, "blame (table) exits 0")
    check(table.index("grower") < table.index("shrinker"), "the table ranks grower first")
    check("started inside" in table and "exited inside" in table, "the table marks the window")
    check("not explained by any process" in table, "the table gives the unattributed growth")

    # Windows outside the trace are runtime errors that say where the trace is.
    for frm, to, hint in (("-5", "2", "first sample is at 0.000"), ("4", "10", "last sample"),
                          ("9", "10", "last sample"), ("1.2", "1.7", "between")):
        rc, out, err = mstest.probe("blame", SMALL, "--from", frm, "--to", to)
        check(rc == 1 and hint in err and out == b"",
              "window %s..%s is outside: rc %d, %r" % (frm, to, rc, err))

    with mstest.temp_dir() as tmp:
        # No machine rows: no unattributed line.
        bare = os.path.join(tmp, "bare.csv")
        samples = mstest.leak_trace_samples(10)
        mstest.write_trace(bare, samples, machine=False)
        rc, out, err = mstest.probe("blame", "--json", bare, "--from", "0", "--to", "10")
        rows = mstest.json_lines(out)
        check(rc == 0 and all("unattributed_kib" not in r for r in rows),
              "no machine rows, no unattributed line: %r" % rows)
        check(rows and rows[0]["pid"] == 4242 and rows[0]["delta_kib"] == 8192 * 10,
              "the leaker is first: %r" % rows[:1])

        # A hostile comm: valid JSON, stray byte as \u00ff.
        hostile = os.path.join(tmp, "hostile.csv")
        mstest.write_trace(hostile, [
            (0.0, [{"pid": 5, "starttime": 1, "comm": 'a,"b"\n\udcff', "rss": 10}], None),
            (1.0, [{"pid": 5, "starttime": 1, "comm": 'a,"b"\n\udcff', "rss": 20}], None),
        ])
        rc, out, err = mstest.probe("blame", "--json", hostile, "--from", "0", "--to", "1")
        rows = mstest.json_lines(out)
        check(rc == 0 and rows[0]["comm"] == 'a,"b"\n\u00ff' and b"\\u00ff" in out,
              "hostile comm in JSON: %r" % out)

        # A bad line inside the window: error naming it, exit 1.
        bad = os.path.join(mstest.TESTDATA, "traces", "bad-number.csv")
        rc, out, err = mstest.probe("blame", "--json", bad, "--from", "0", "--to", "2")
        check(rc == 1 and "bad-number.csv:9:" in err and "rss_kib" in err,
              "a bad line in the window is an error naming line 9: %r" % err)
        # Reading stops past --to, before the bad line: the error is the window's own.
        rc, out, err = mstest.probe("blame", "--json", bad, "--from", "0", "--to", "0.5")
        check(rc == 1 and "between" in err, "window 0..0.5 has one sample only: %r" % err)

    mstest.finish()


if __name__ == "__main__":
    main()
