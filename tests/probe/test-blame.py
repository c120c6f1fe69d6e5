#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""memscope-probe blame: help, usage errors, the ranking of a fixture, windows, bad traces,
shares of the gross change and merged short-lived processes."""

import os
import random
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


def machine_samples(seed, seconds=60):
    """A machine whose memory in use falls: a grower, shrinkers, processes that exit, a script
    that starts a short-lived sleep every 2 s, and a page cache that no process holds and that
    shrinks.  Samples every second, with machine totals."""
    rnd = random.Random(seed)
    total = 16 << 20
    longs = [(300 + i, 30 + i, "worker-%d" % i, rnd.randint(50, 400) * 1024,
              rnd.choice([-3000, -1500, 0, 800]), rnd.choice([None, None, rnd.randint(10, 50)]))
             for i in range(8)]
    sleeps = [(9000 + j, 900 + j, 2 * j, 2 * j + rnd.randint(3, 15), rnd.randint(500, 900))
              for j in range(30)]
    samples = []
    for t in range(seconds + 1):
        procs = [{"pid": 100, "starttime": 10, "comm": "grower", "rss": 100000 + 2000 * t}]
        for pid, start, comm, base, rate, dies in longs:
            if dies is None or t < dies:
                procs.append({"pid": pid, "starttime": start, "comm": comm,
                              "rss": max(base + rate * t, 0)})
        for pid, start, born, died, rss in sleeps:
            if born <= t < died:
                procs.append({"pid": pid, "starttime": start, "comm": "sleep", "rss": rss})
        cache = (3 << 20) - 30000 * t
        used = sum(p["rss"] for p in procs) + cache
        samples.append((float(t), procs, {"total": total, "available": total - used}))
    return samples


def check_shares(rows, what):
    """The shares of a --json output explain the whole change: sizes add up to 100 %."""
    procs, last = rows[:-1], rows[-1]
    pct = sum(abs(r["share_pct"]) for r in procs) + abs(last["unattributed_share_pct"])
    check(pct == 100, "%s: the sizes of the shares add up to 100 %%, not %d" % (what, pct))
    share = sum(abs(r["share"]) for r in procs) + abs(last["unattributed_share"])
    check(abs(share - 1) < 1e-4, "%s: the shares add up to 1, not %r" % (what, share))
    for r in procs:
        check(r["share_pct"] == 0 or (r["share_pct"] > 0) == (r["delta_kib"] > 0),
              "%s: %s's share has the sign of its change: %r" % (what, r["comm"], r))
    grew = sum(r["delta_kib"] for r in procs if r["delta_kib"] > 0)
    shrank = sum(r["delta_kib"] for r in procs if r["delta_kib"] < 0)
    check(last["grew_kib"] == grew and last["shrank_kib"] == shrank
          and last["gross_kib"] == grew - shrank + abs(last["unattributed_kib"])
          and last["machine_delta_kib"] == grew + shrank + last["unattributed_kib"]
          == last["machine_end_kib"] - last["machine_start_kib"],
          "%s: the parts add up to the machine's change: %r" % (what, last))


def main():
    rc, out, err = mstest.probe("blame", "--help")
    text = out.decode()
    check(rc == 0, "blame --help exits 0")
    for opt in ("--from", "--to", "--json", "--aggregate", "--help"):
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
        # The fields of the first format stay as they were; share and share_pct were added.
        check({k: v for k, v in got.items() if k not in ("share", "share_pct", "peak_kib")}
              == {"pid": pid, "starttime": starttime, "comm": comm, "start_kib": start,
                  "end_kib": end, "delta_kib": end - start, "started_inside": started,
                  "exited_inside": exited},
              "row %r is %r" % (got, want))
    check(rows[-1]["unattributed_kib"] == UNATTRIBUTED,
          "last line is the unattributed growth: %r" % rows[-1:])
    # Gross change 6700 + 5100 + 4400 = 16200 KiB: the grower's 3000 is 18.5 %, 19 rounded.
    check(rows[-1]["gross_kib"] == 16200 and rows[0]["share_pct"] == 19
          and abs(rows[0]["share"] - 3000 / 16200) < 1e-6, "shares of the gross: %r" % rows[0])
    check([r["share_pct"] for r in rows[:-1]] == [19, 19, 4, 0, 0, -1, -12, -18]
          and rows[-1]["unattributed_share_pct"] == 27, "rounded shares: %r" % rows)
    check_shares(rows, "small.csv")
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
        # A machine whose memory in use falls: every row's share of the gross change, signed.
        falling = os.path.join(tmp, "falling.csv")
        mstest.write_trace(falling, machine_samples(18))
        rc, out, err = mstest.probe("blame", "--json", falling, "--from", "5", "--to", "55")
        rows = mstest.json_lines(out)
        check(rc == 0 and rows[-1]["machine_delta_kib"] < 0,
              "the generated machine's memory in use falls: %r" % rows[-1:])
        check(any(r["exited_inside"] for r in rows[:-1])
              and any(r["delta_kib"] < 0 and not r["exited_inside"] for r in rows[:-1])
              and rows[-1]["unattributed_kib"] < 0, "it has exits, shrinkers and a falling rest")
        check_shares(rows, "falling.csv")
        sleeps = [r for r in rows[:-1] if r["comm"] == "sleep"]
        check(len([r for r in sleeps if r["started_inside"] and not r["exited_inside"]]) >= 2
              and len([r for r in sleeps if r["exited_inside"] and not r["started_inside"]]) >= 2,
              "without --aggregate, a row per sleep: %r" % sleeps)
        # Sleeps that came and went between the ends: listed with their peak, no share.
        passing = [r for r in sleeps if r["started_inside"] and r["exited_inside"]]
        check(len(passing) >= 5 and all(r["delta_kib"] == 0 and r["share_pct"] == 0
                                        and 500 <= r["peak_kib"] <= 900 for r in passing)
              and all(r["peak_kib"] == 0 for r in rows[:-1] if r not in passing),
              "sleeps seen only inside the window are listed with their peak: %r" % passing)
        check(all("count" not in r for r in rows), "without --aggregate, no count field")

        # --aggregate: one row per program and direction for the short-lived ones.
        rc, out, err = mstest.probe("blame", "--json", "--aggregate", falling, "--from", "5",
                                    "--to", "55")
        merged = mstest.json_lines(out)
        check(rc == 0, "blame --aggregate exits 0: %s" % err)
        check_shares(merged, "falling.csv --aggregate")
        for kind in ((True, False), (False, True), (True, True)):
            mine = [r for r in sleeps if (r["started_inside"], r["exited_inside"]) == kind]
            got = [r for r in merged[:-1] if r["comm"] == "sleep"
                   and (r["started_inside"], r["exited_inside"]) == kind]
            check(len(got) == 1 and got[0]["count"] == len(mine) and "pid" not in got[0]
                  and got[0]["delta_kib"] == sum(r["delta_kib"] for r in mine)
                  and got[0]["peak_kib"] == sum(r["peak_kib"] for r in mine)
                  and sorted((p["pid"], p["starttime"]) for p in got[0]["processes"])
                  == sorted((r["pid"], r["starttime"]) for r in mine),
                  "sleeps (started, exited) = %s merged into one row: %r" % (kind, got))
        others = [r for r in merged[:-1] if r["comm"] != "sleep"]
        check(all(r["count"] == 1 and "pid" in r for r in others)
              and len(others) == len(rows) - 1 - len(sleeps),
              "every other process keeps its row: %r" % others)
        check(merged[-1] == rows[-1], "the machine's line is the same")
        rc, out, err = mstest.probe("blame", "--aggregate", falling, "--from", "5", "--to", "55")
        table = out.decode()
        check(rc == 0 and "processes, started inside" in table
              and "processes, exited inside" in table and "SHARE" in table
              and "processes, started inside, exited inside, peak " in table
              and "shrank or exited by -" in table, "the merged table: %s" % table)

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
