#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# memscope-probe snapshot as a program: JSON fields and types on a fixture tree, the table, errors.
import json
import os
import subprocess
import sys
import unittest

PROBE = os.environ["MS_PROBE"]
DATA = os.environ["MS_TESTDATA"]
ROOT = os.path.join(DATA, "proc", "basic")
PASSWD = os.path.join(DATA, "passwd")


def probe(*args):
    return subprocess.run([PROBE, *args], capture_output=True, timeout=60)


class Snapshot(unittest.TestCase):
    def snapshot(self):
        r = probe("snapshot", "--json", "--proc-root", ROOT, "--passwd", PASSWD)
        self.assertEqual(r.returncode, 0, r.stderr)
        # Strict UTF-8: a byte that is not valid UTF-8 must have been escaped.
        return json.loads(r.stdout.decode("utf-8"))

    def test_machine_fields(self):
        d = self.snapshot()
        self.assertEqual(d["mem_total_kib"], 16303428)
        self.assertEqual(d["mem_available_kib"], 12000000)
        self.assertEqual(d["swap_total_kib"], 2097148)
        self.assertEqual(d["swap_free_kib"], 1048574)
        self.assertIsNone(d["pressure"])  # this tree has no pressure/ folder
        self.assertIsInstance(d["time_unix"], (int, float))

    def test_process_fields(self):
        procs = {p["pid"]: p for p in self.snapshot()["processes"]}
        self.assertEqual(sorted(procs), [1, 2, 3, 100, 101, 102, 103, 104, 107, 108, 109, 110, 111, 112])
        required = ["pid", "starttime", "ppid", "uid", "user", "comm", "state", "kernel_thread", "group",
                    "rss_kib", "anon_kib", "file_kib", "shmem_kib", "swap_kib", "hwm_kib", "pss_kib",
                    "uss_kib", "swap_pss_kib", "pss_age_s", "footprint_kib", "delta_kib", "cpu_pct"]
        for p in procs.values():
            for key in required:
                self.assertIn(key, p)
        odd = procs[100]
        self.assertEqual(odd["comm"], 'a) (b, "c')
        self.assertEqual(odd["user"], "alice")
        self.assertEqual(odd["rss_kib"], 20480)
        self.assertEqual(odd["swap_kib"], 1024)
        self.assertEqual(odd["footprint_kib"], 21504)
        self.assertEqual(odd["pss_kib"], 15360)
        self.assertEqual(odd["delta_kib"], 0)
        self.assertEqual(odd["cpu_pct"], 0)
        self.assertEqual(procs[101]["comm"], "new\nline")
        self.assertTrue(procs[2]["kernel_thread"])
        self.assertEqual(procs[2]["group"], "kernel")
        self.assertIsNone(procs[2]["pss_kib"])
        self.assertEqual(procs[102]["state"], "Z")
        # Denied smaps_rollup: unknown, with no age.
        self.assertIsNone(procs[103]["pss_kib"])
        self.assertIsNone(procs[103]["uss_kib"])
        self.assertIsNone(procs[103]["pss_age_s"])
        self.assertEqual(procs[104]["pss_kib"], 4200)
        self.assertEqual(procs[107]["group"], "app:org.mozilla.firefox")
        self.assertEqual(procs[108]["group"], "app:org.mozilla.firefox")
        self.assertEqual(procs[110]["group"], "tree:/usr/bin/browser:109")
        self.assertEqual(procs[111]["rss_kib"], 17179869184)

    def test_invalid_utf8_comm_is_escaped(self):
        tmp = subprocess.run(["mktemp", "-d"], capture_output=True, text=True).stdout.strip()
        try:
            subprocess.run(["cp", "-a", ROOT + "/.", tmp], check=True)
            with open(os.path.join(tmp, "100", "stat"), "rb") as f:
                stat = f.read()
            with open(os.path.join(tmp, "100", "stat"), "wb") as f:
                f.write(stat.replace(b'a) (b, "c', b"bad\xff\xfe"))
            r = probe("snapshot", "--json", "--proc-root", tmp, "--passwd", PASSWD)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(b"bad\\u00ff\\u00fe", r.stdout)
            procs = {p["pid"]: p for p in json.loads(r.stdout.decode("utf-8"))["processes"]}
            self.assertEqual(procs[100]["comm"], "bad\u00ff\u00fe")
        finally:
            subprocess.run(["rm", "-rf", tmp])

    def test_table(self):
        r = probe("snapshot", "--proc-root", ROOT, "--passwd", PASSWD)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.decode().splitlines()
        self.assertTrue(lines[0].startswith("Memory: "))
        body = [l for l in lines[3:] if l.strip()]
        # Largest footprint first; control bytes in names never reach the terminal raw (\\xNN).
        self.assertIn("huge", body[0])
        self.assertTrue(any("new\\x0aline" in l for l in body))
        self.assertTrue(any("[kthreadd]" in l for l in body))

    def test_help_and_errors(self):
        r = probe("snapshot", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"--pss", r.stdout)
        self.assertIn(b"--json", r.stdout)
        r = probe("snapshot", "--bogus")
        self.assertEqual(r.returncode, 2)
        r = probe("snapshot", "--proc-root", "/nonexistent-memscope-root")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"/nonexistent-memscope-root", r.stderr)
        r = probe("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"unknown command", r.stderr)
        r = probe("--help")
        self.assertEqual(r.returncode, 0)
        for cmd in (b"snapshot", b"record", b"replay", b"blame", b"bench"):
            self.assertIn(cmd, r.stdout)


class Bench(unittest.TestCase):
    def test_bench_prints_figures(self):
        r = probe("bench", "--ticks", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertIn("per process", out)
        self.assertIn("descriptors kept open", out)
        r = probe("bench", "--ticks", "zero")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
