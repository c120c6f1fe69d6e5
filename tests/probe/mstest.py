# SPDX-License-Identifier: MIT
"""Shared helpers for the probe's program tests: run the probe, spawn leak-sim, write traces."""

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

PROBE = os.environ.get("MS_PROBE", "memscope-probe")
LEAK_SIM = os.environ.get("MS_LEAK_SIM", "leak-sim")
TESTDATA = os.environ.get("MS_TESTDATA", os.path.join(os.path.dirname(__file__), "..", "data"))

HEADER = ("time_s,pid,starttime,comm,state,rss_kib,pss_kib,swap_kib,ppid,uid,user,group,"
          "anon_kib,file_kib,shmem_kib,cpu_pct,mem_total_kib,mem_available_kib,swap_total_kib,"
          "psi_some_avg10,psi_full_avg10")

_failures = []


def check(condition, message):
    """Records a failed expectation (the test goes on, so one run shows every failure)."""
    if not condition:
        _failures.append(message)
        print("FAIL: " + message, file=sys.stderr, flush=True)
    return condition


def finish():
    """Exits 1 when any check failed, 0 otherwise."""
    if _failures:
        print("%d check(s) failed" % len(_failures), file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


def wait_for(predicate, timeout_s, step_s=0.1):
    """Whether predicate() became true within timeout_s (asked every step_s)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()


def probe(*args, stdin=None, timeout=120):
    """Runs memscope-probe; returns (exit status, stdout bytes, stderr text)."""
    proc = subprocess.run([PROBE] + [str(a) for a in args], input=stdin, capture_output=True,
                          timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def json_lines(data):
    """Parses one JSON object per line; raises ValueError on any line that is not one."""
    objects = []
    for line in data.decode("utf-8").splitlines():
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError("not an object: " + line)
        objects.append(obj)
    return objects


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="memscope-test-")


def csv_field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class LeakSim:
    """A leak-sim child: started, waited for until its ready line, stopped by its pid."""

    def __init__(self, name, start_mib, rate=None, pattern=None, max_mib=None, duration=None,
                 steady=None):
        args = [LEAK_SIM, "--name", name, "--start", str(start_mib)]
        if steady is not None:
            args += ["--steady", str(steady)]
        if rate is not None:
            args += ["--rate", str(rate)]
        if pattern is not None:
            args += ["--pattern", pattern]
        if max_mib is not None:
            args += ["--max", str(max_mib)]
        if duration is not None:
            args += ["--duration", str(duration)]
        env = dict(os.environ)
        # It leaks on purpose: a sanitizer's leak report would only be noise.
        env["ASAN_OPTIONS"] = "detect_leaks=0"
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, env=env)
        self.pid = None
        line = self.read_line(60)
        if not line.startswith("ready "):
            self.stop()
            raise RuntimeError("leak-sim did not get ready: %r" % line)
        self.pid = int(line.split()[1])
        # When it began to hold its start size: a --steady stretch counts from here.
        self.ready_at = time.monotonic()

    def read_line(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        data = b""
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            chunk = os.read(fd, 1)
            if not chunk:
                break
            data += chunk
        return data.decode("utf-8", "replace").strip()

    def touched_kib(self):
        """Asks with SIGUSR1 how much it holds now."""
        os.kill(self.proc.pid, signal.SIGUSR1)
        line = self.read_line(10)
        if not line.startswith("touched "):
            raise RuntimeError("unexpected leak-sim output: %r" % line)
        return int(line.split()[1])

    def footprint_kib(self):
        """Its own resident + swapped memory, as the kernel counts it (allocator and sanitizer
        overhead included, which touched_kib leaves out)."""
        fields = {}
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.split()
        return int(fields["VmRSS"][0]) + int(fields.get("VmSwap", ["0"])[0])

    def starttime(self):
        with open("/proc/%d/stat" % self.proc.pid, "rb") as f:
            stat = f.read()
        return int(stat[stat.rindex(b")") + 2:].split()[19])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def write_trace(path, samples, machine=True, header=HEADER):
    """Writes a trace.  samples: list of (time_s, [proc dict, ...], machine dict or None); a
    proc dict has pid, starttime, comm, rss (KiB) and optionally swap, pss, state, ppid."""
    with open(path, "w", newline="", encoding="utf-8", errors="surrogateescape") as f:
        f.write(header + "\n")
        for time_s, procs, mach in samples:
            t = "%.3f" % time_s
            if machine:
                m = mach or {"total": 16 << 20, "available": 8 << 20, "swap_total": 0,
                             "swap_used": 0}
                f.write("%s,0,0,[machine],,%d,,%d,,,,,,,,,%d,%d,%d,,\n"
                        % (t, m["total"] - m["available"], m.get("swap_used", 0), m["total"],
                           m["available"], m.get("swap_total", 0)))
            for p in procs:
                pss = p.get("pss")
                f.write("%s,%d,%d,%s,%s,%d,%s,%d,%d,1000,user,%s,%d,0,0,1.00,,,,,\n"
                        % (t, p["pid"], p["starttime"], csv_field(p["comm"]), p.get("state", "S"),
                           p["rss"], "" if pss is None else str(pss), p.get("swap", 0),
                           p.get("ppid", 1), csv_field(p["comm"]), p["rss"]))


def leak_trace_samples(seconds, leak_rate_kib_s=8192, start_kib=200 * 1024, others=3, steady_s=0):
    """A trace where pid 4242 ("leaky one") stays flat for steady_s, then grows steadily, and a
    few others stay flat."""
    samples = []
    for t in range(seconds + 1):
        procs = [{"pid": 4242, "starttime": 99, "comm": "leaky one",
                  "rss": start_kib + leak_rate_kib_s * max(t - steady_s, 0)}]
        for i in range(others):
            procs.append({"pid": 100 + i, "starttime": 10 + i, "comm": "flat%d" % i,
                          "rss": 50000 + (t % 3) * 4})
        samples.append((float(t), procs, None))
    return samples


def write_big_trace(path, seconds, n_procs):
    """A trace of n_procs processes sampled every second, written fast (no per-row formatting
    beyond the time and one size): for timing replay on hours of data."""
    rows = []
    for i in range(n_procs):
        pid = 1000 + i
        # One process in fifty grows slowly; the rest wobble around a level.
        rows.append((",%d,%d,proc-%d,S," % (pid, pid * 7, i),
                     ",,0,1,1000,user,group-%d,0,0,0,0.50,,,,,\n" % i,
                     20000 + 37 * i, 1 if i % 50 == 0 else 0))
    with open(path, "w") as f:
        f.write(HEADER + "\n")
        for t in range(seconds):
            ts = "%d.000" % t
            parts = ["%s,0,0,[machine],,%d,,0,,,,,,,,,16000000,%d,0,,\n"
                     % (ts, 6000000 + t, 10000000 - t)]
            wobble = t % 7
            for head, tail, base, grows in rows:
                parts.append(ts + head + str(base + wobble + (t * 4 if grows else 0)) + tail)
            f.write("".join(parts))
