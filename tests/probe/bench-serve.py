#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark of `memscope-probe serve` (prints figures, never fails):
1. a scrape's time with 2,000 processes running, beside Debian's prometheus-process-exporter
   scraped on the same processes (all of them, grouped by name: its usual setup);
2. CPU used over the same minute by serve scraped every 15 s, beside
   `memscope-probe record --interval 1 --pss --events FILE` and the process exporter scraped
   every 15 s.

Usage: tests/probe/bench-serve.py [--probe PATH] [--processes N] [--scrapes N] [--seconds S]
(PATH defaults to _build/src/probe/memscope-probe; the process exporter comes from
build-aux/deps test)."""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mserve  # noqa: E402

TICK_S = os.sysconf("SC_CLK_TCK")


def count_processes():
    return sum(1 for name in os.listdir("/proc") if name.isdigit())


def cpu_s(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK_S


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return True
        except OSError:
            time.sleep(0.2)
    return False


def time_scrapes(url, n):
    times, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as r:
            size = len(r.read())
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))], size


def fmt_ms(s):
    return "%.1f ms" % (1000 * s)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", default=os.path.join("_build", "src", "probe", "memscope-probe"))
    parser.add_argument("--processes", type=int, default=2000)
    parser.add_argument("--scrapes", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    mserve.PROBE = args.probe
    exporter = shutil.which("prometheus-process-exporter")

    idle = []
    tmp = tempfile.TemporaryDirectory(prefix="memscope-bench-")
    procs = []
    exp = lean = None
    try:
        want = args.processes - count_processes()
        for _ in range(max(0, want)):
            idle.append(subprocess.Popen(["sleep", "3600"]))
        time.sleep(1)
        print("processes running: %d" % count_processes())

        # 1. Scrape time.
        serve = mserve.Serve("--listen", "127.0.0.1:0")
        procs.append(serve)
        full = mserve.Serve("--listen", "127.0.0.1:0", "--top", 100000, "--groups", 100000)
        procs.append(full)
        if exporter:
            config = os.path.join(tmp.name, "process-exporter.yml")
            with open(config, "w") as f:
                f.write("process_names:\n  - name: '{{.Comm}}'\n    cmdline:\n      - '.+'\n")
            exp_port = free_port()
            exp = subprocess.Popen([exporter, "-config.path", config,
                                    "-web.listen-address", "127.0.0.1:%d" % exp_port],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            exp_url = "http://127.0.0.1:%d/metrics" % exp_port
            # The same without PSS and per-thread figures, closer to what serve reads per sample.
            lean_port = free_port()
            lean = subprocess.Popen([exporter, "-config.path", config, "-gather-smaps=false",
                                     "-threads=false",
                                     "-web.listen-address", "127.0.0.1:%d" % lean_port],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lean_url = "http://127.0.0.1:%d/metrics" % lean_port
            if not wait_http(exp_url) or not wait_http(lean_url):
                print("prometheus-process-exporter did not answer")
                exp.terminate()
                lean.terminate()
                exp = lean = None
        else:
            print("prometheus-process-exporter is not installed (build-aux/deps test installs it)")

        time.sleep(3)  # a few samples, so serve's figures are steady
        print("\n1. One scrape of /metrics, %d scrapes in a row (median, 90th percentile, size)"
              % args.scrapes)
        med, p90, size = time_scrapes(serve.url, args.scrapes)
        _, _, body = mserve.scrape(serve)
        sample_s = mserve.find(mserve.parse_text(body.decode()),
                               "memscope_sample_duration_seconds")[0]
        print("  memscope-probe serve (defaults)       %9s %9s %8d bytes" % (fmt_ms(med), fmt_ms(p90), size))
        med, p90, size = time_scrapes(full.url, args.scrapes)
        print("  memscope-probe serve (every process)  %9s %9s %8d bytes" % (fmt_ms(med), fmt_ms(p90), size))
        print("    (serve answers from its last sample; one sample took %s, every second)"
              % fmt_ms(sample_s))
        if exp:
            med, p90, size = time_scrapes(exp_url, args.scrapes)
            print("  prometheus-process-exporter           %9s %9s %8d bytes" % (fmt_ms(med), fmt_ms(p90), size))
            print("    (it reads /proc, smaps included, during each scrape)")
            med, p90, size = time_scrapes(lean_url, args.scrapes)
            print("  ... -gather-smaps=false -threads=false %9s %9s %8d bytes" % (fmt_ms(med), fmt_ms(p90), size))
            lean.terminate()
            lean.wait(30)
            lean = None
        full.stop()
        procs.remove(full)

        # 2. CPU over the same stretch.
        record_out = os.path.join(tmp.name, "trace.csv")
        events = os.path.join(tmp.name, "events.jsonl")
        record = subprocess.Popen([args.probe, "record", "--interval", "1", "--pss", "--events",
                                   events, record_out], stdout=subprocess.DEVNULL)
        time.sleep(1)
        start = {"serve": cpu_s(serve.proc.pid), "record": cpu_s(record.pid)}
        if exp:
            start["exporter"] = cpu_s(exp.pid)
        t0 = time.monotonic()
        next_scrape = t0
        while time.monotonic() - t0 < args.seconds:
            if time.monotonic() >= next_scrape:
                urllib.request.urlopen(serve.url, timeout=30).read()
                if exp:
                    urllib.request.urlopen(exp_url, timeout=60).read()
                next_scrape += 15
            time.sleep(0.2)
        wall = time.monotonic() - t0
        used = {"serve": cpu_s(serve.proc.pid) - start["serve"],
                "record": cpu_s(record.pid) - start["record"]}
        if exp:
            used["exporter"] = cpu_s(exp.pid) - start["exporter"]
        record.send_signal(signal.SIGTERM)
        record.wait(30)
        print("\n2. CPU over %.0f s with %d processes (percent of one core)" % (wall, count_processes()))
        print("  memscope-probe serve, scraped every 15 s          %5.2f %%  (%.2f s)"
              % (100 * used["serve"] / wall, used["serve"]))
        print("  memscope-probe record --interval 1 --pss --events %5.2f %%  (%.2f s)"
              % (100 * used["record"] / wall, used["record"]))
        if exp:
            print("  prometheus-process-exporter, scraped every 15 s   %5.2f %%  (%.2f s)"
                  % (100 * used["exporter"] / wall, used["exporter"]))
    finally:
        for p in procs:
            p.stop()
        for p in (exp, lean):
            if p is not None:
                p.terminate()
                p.wait(30)
        for p in idle:
            p.kill()
        for p in idle:
            p.wait()
        tmp.cleanup()


if __name__ == "__main__":
    main()
