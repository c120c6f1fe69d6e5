# SPDX-License-Identifier: MIT
"""Live: a real Prometheus (Debian's), started here on 127.0.0.1 with a temporary config and data
directory, scrapes `memscope-probe serve` every second and loads docs/prometheus's alerting rules.
A leak-sim with a hostile name leaks 8 MiB/s after 20 s of steady state; once serve tags it, the
test finds the leak through Prometheus's HTTP API (state, rate near 8 MiB/s, duration, confidence,
time to exhaustion, the leak alert pending) under the name the process gave itself, and none for a
steady leak-sim that Prometheus saw all along.  A real OOM kill in a memory cgroup of the test's
own raises the OOM-kill counter in Prometheus and fires the OOM alert.  Exit 0 when every check passed; each failed one prints "FAIL: ..."."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "probe"))
import mserve  # noqa: E402
import mstest  # noqa: E402
from mstest import check  # noqa: E402

RULES = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "prometheus", "memscope-rules.yml"))
LEAK_NAME = b'leak"y\\{}'
RATE_MIB_S = 8
STEADY_S = 30
# The detector needs 45 s of growth after the steady stretch; Prometheus adds a scrape or two.
DEADLINE_S = 110


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Prometheus:
    """A Prometheus server of our own: loopback only, temporary config and data, ended by pid."""

    def __init__(self, tmp, target):
        binary = shutil.which("prometheus")
        if binary is None:
            print("FAIL: prometheus is missing: install Debian's prometheus package "
                  "(build-aux/deps test)", file=sys.stderr)
            sys.exit(1)
        self.port = free_port()
        config = os.path.join(tmp, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n"
                    "  scrape_interval: 1s\n"
                    "  scrape_timeout: 1s\n"
                    "  evaluation_interval: 1s\n"
                    "rule_files:\n"
                    "  - %s\n"
                    "scrape_configs:\n"
                    "  - job_name: memscope\n"
                    "    static_configs:\n"
                    "      - targets: ['%s']\n" % (json.dumps(RULES), target))
        self.log = open(os.path.join(tmp, "prometheus.log"), "wb")
        self.proc = subprocess.Popen(
            [binary, "--config.file=" + config, "--storage.tsdb.path=" + os.path.join(tmp, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port, "--log.level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=tmp)
        self.base = "http://127.0.0.1:%d" % self.port
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("prometheus did not get ready; see its log")

    def api(self, path, **params):
        url = self.base + "/api/v1/" + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as r:
            reply = json.load(r)
        if reply.get("status") != "success":
            raise RuntimeError("prometheus said %r" % reply)
        return reply["data"]

    def query(self, expr):
        return self.api("query", query=expr)["result"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def vmstat_oom_kills():
    with open("/proc/vmstat") as f:
        for line in f:
            if line.startswith("oom_kill "):
                return int(line.split()[1])
    return None


class OomKill:
    """A real OOM kill, safely: a child in a memory cgroup of its own with a 64 MiB limit touches
    4 MiB every 0.25 s until the kernel kills it (only it: the limit is the cgroup's)."""

    def __init__(self):
        name = "memscope-serve-test-%d" % os.getpid()
        if os.path.isdir("/sys/fs/cgroup/memory"):  # cgroup v1
            self.path = os.path.join("/sys/fs/cgroup/memory", name)
            limit_file = "memory.limit_in_bytes"
        else:  # v2
            self.path = os.path.join("/sys/fs/cgroup", name)
            limit_file = "memory.max"
        os.mkdir(self.path)
        with open(os.path.join(self.path, limit_file), "w") as f:
            f.write(str(64 << 20))
        code = ("import sys, time\n"
                "sys.stdin.readline()\n"
                "hold = []\n"
                "while True:\n"
                "    hold.append(bytearray(b'x') * (4 << 20))\n"
                "    time.sleep(0.25)\n")
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
        with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
            f.write(str(self.proc.pid))
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdin.close()
        deadline = time.monotonic() + 10
        while os.path.isdir(self.path) and time.monotonic() < deadline:
            try:
                os.rmdir(self.path)
            except OSError:
                time.sleep(0.1)


def main():
    t0 = time.monotonic()
    prometheus = oom = None
    with mstest.temp_dir() as tmp, \
            mstest.LeakSim(LEAK_NAME.decode("utf-8", "surrogateescape"), 64, rate=RATE_MIB_S,
                           steady=STEADY_S) as leaky, \
            mstest.LeakSim("steady", 64, rate=0) as steady, \
            mserve.Serve("--listen", "127.0.0.1:0", "--top", 100000) as serve:
        try:
            prometheus = Prometheus(tmp, "127.0.0.1:%d" % serve.port)
            print("note: prometheus ready after %.1f s" % (time.monotonic() - t0))
            # An OOM kill once Prometheus has scraped the counter before it, during the steady
            # stretch, so it costs no time of its own.
            check(mstest.wait_for(lambda: prometheus.query('up{job="memscope"} == 1'), 30),
                  "Prometheus scrapes serve")
            oom_before = vmstat_oom_kills()
            try:
                oom = OomKill()
            except OSError as e:
                check(False, "a memory cgroup for an OOM kill: %s" % e)
                oom = None
            if oom is not None:
                status = oom.wait(30)
                oom.close()
                check(status == -9, "the kernel killed the child over its cgroup's limit (%r)"
                      % status)
                check(vmstat_oom_kills() >= oom_before + 1, "vmstat counted the OOM kill")
            # Wait for the leak to be tagged and scraped (the condition, not a fixed time).
            tagged = []
            deadline = t0 + DEADLINE_S
            while time.monotonic() < deadline:
                tagged = prometheus.query('memscope_process_state{job="memscope",pid="%d",'
                                          'state="leak"} == 1' % leaky.pid)
                if tagged:
                    break
                time.sleep(1)
            print("note: leak found through Prometheus after %.1f s" % (time.monotonic() - t0))
            up = prometheus.query('up{job="memscope"}')
            check(up and up[0]["value"][1] == "1", "Prometheus scrapes serve: %r" % up)
            if check(tagged, "Prometheus has the LEAK state of leak-sim %d within %d s"
                     % (leaky.pid, DEADLINE_S)):
                check_signals(prometheus, tagged, leaky, steady)
            if oom is not None:
                rose = prometheus.query("max_over_time(memscope_oom_kills_total[10m])"
                                        " - min_over_time(memscope_oom_kills_total[10m])")
                check(rose and float(rose[0]["value"][1]) >= 1,
                      "Prometheus saw the OOM-kill counter rise: %r" % rose)
                firing = [a for a in prometheus.api("alerts")["alerts"]
                          if a["labels"].get("alertname") == "MemscopeOOMKill"]
                check(firing and firing[0]["state"] == "firing",
                      "the OOM-kill alert fires: %r" % firing)
        finally:
            if prometheus is not None:
                prometheus.stop()
            status = serve.stop()
            check(status == 0, "serve ends cleanly on SIGTERM (%r)" % status)
    print("note: scenario took %.1f s" % (time.monotonic() - t0))
    mstest.finish()


def check_signals(prometheus, tagged, leaky, steady):
    """The leak's signals in Prometheus, and none for the steady one."""
    leak_sel = '{job="memscope",pid="%d"}' % leaky.pid
    steady_sel = '{job="memscope",pid="%d"}' % steady.pid
    labels = tagged[0]["metric"]
    check(labels.get("comm") == mserve.expected_label(LEAK_NAME),
          "the hostile name reaches Prometheus intact: %r" % labels.get("comm"))
    rate = prometheus.query("memscope_process_leak_rate_bytes_per_second" + leak_sel)
    rate_mib_s = float(rate[0]["value"][1]) / (1 << 20) if rate else 0
    check(0.5 * RATE_MIB_S <= rate_mib_s <= 1.5 * RATE_MIB_S,
          "the leak rate in Prometheus is near %d MiB/s: %.2f" % (RATE_MIB_S, rate_mib_s))
    # Seconds to exhaustion: what is available, at the leak's rate.
    projected = prometheus.query("memscope_process_leak_exhaustion_seconds%s"
                                 " * on(instance) group_left"
                                 " memscope_process_leak_rate_bytes_per_second%s"
                                 " / on(instance) group_left memscope_memory_available_bytes"
                                 % (leak_sel, leak_sel))
    check(projected and 0.8 <= float(projected[0]["value"][1]) <= 1.25,
          "exhaustion seconds x rate is the available memory: %r" % projected)
    duration = prometheus.query("memscope_process_leak_duration_seconds" + leak_sel)
    check(duration and float(duration[0]["value"][1]) >= 30,
          "the leak's duration is there: %r" % duration)
    confidence = prometheus.query("memscope_process_leak_confidence_ratio" + leak_sel)
    check(confidence and 0.5 <= float(confidence[0]["value"][1]) <= 1,
          "the leak's confidence is there: %r" % confidence)
    print("note: rate %.2f MiB/s, duration %s s, confidence %s"
          % (rate_mib_s, duration and duration[0]["value"][1],
             confidence and confidence[0]["value"][1]))

    # The steady one: seen all along, never a leak signal.
    seen = prometheus.query("count_over_time(memscope_process_resident_bytes%s[10m])"
                            % steady_sel)
    check(seen and float(seen[0]["value"][1]) >= 10,
          "Prometheus saw the steady leak-sim all along: %r" % seen)
    ever = prometheus.query('max_over_time(memscope_process_state{job="memscope",pid="%d",'
                            'state="leak"}[10m])' % steady.pid)
    check(ever and ever[0]["value"][1] == "0", "the steady one was never tagged: %r" % ever)
    for family in ("rate_bytes_per_second", "duration_seconds", "confidence_ratio",
                   "exhaustion_seconds"):
        found = prometheus.query("count_over_time(memscope_process_leak_%s%s[10m])"
                                 % (family, steady_sel))
        check(found == [], "no leak %s for the steady one: %r" % (family, found))

    # The alerting rules are loaded and the leak alert is pending (it fires after 5 min).
    groups = prometheus.api("rules")["groups"]
    names = sorted(r["name"] for g in groups for r in g["rules"])
    check(names == ["MemscopeLeak", "MemscopeMemoryExhaustionWithinHour", "MemscopeOOMKill"],
          "Prometheus loaded the alerting rules: %s" % names)
    deadline = time.monotonic() + 10
    pending = []
    while not pending and time.monotonic() < deadline:
        pending = [a for a in prometheus.api("alerts")["alerts"]
                   if a["labels"].get("alertname") == "MemscopeLeak"
                   and a["labels"].get("pid") == str(leaky.pid)]
        if not pending:
            time.sleep(0.5)
    check(pending and pending[0]["state"] == "pending",
          "the leak alert is pending for leak-sim %d: %r" % (leaky.pid, pending))
    check(not any(a["labels"].get("pid") == str(steady.pid)
                  for a in prometheus.api("alerts")["alerts"]),
          "no alert for the steady one")


if __name__ == "__main__":
    main()
