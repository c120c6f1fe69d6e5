# SPDX-License-Identifier: MIT
"""memscope-probe serve over HTTP: hostile process names give an exposition that promtool and the
Prometheus client's parsers accept; bad requests and slow clients neither crash the server nor hold
up sampling or another client's scrape; bad options get clear messages."""

import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import mserve  # noqa: E402
import mstest  # noqa: E402
from mstest import check  # noqa: E402

INTERVAL_S = 0.25


def samples_total(serve):
    status, _, body = mserve.scrape(serve)
    if status != 200:
        return None
    return mserve.find(mserve.parse_text(body.decode()), "memscope_samples_total")[0]


def wait_samples(serve, at_least, timeout=30):
    deadline = time.monotonic() + timeout
    n = samples_total(serve)
    while (n is None or n < at_least) and time.monotonic() < deadline:
        time.sleep(0.1)
        n = samples_total(serve)
    return n


def test_hostile_names(serve, children):
    check(wait_samples(serve, 3) >= 3, "serve samples")
    status, headers, body = mserve.scrape(serve)
    check(status == 200, "GET /metrics answers 200, not %r" % status)
    check(headers.get("content-type") == "text/plain; version=0.0.4; charset=utf-8",
          "the text format's content type: %r" % headers.get("content-type"))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        check(False, "the exposition is valid UTF-8 (%s)" % e)
        return
    lint = subprocess.run([mserve.promtool(), "check", "metrics"], input=body, capture_output=True)
    check(lint.returncode == 0 and lint.stdout.strip() == b"",
          "promtool check metrics accepts the exposition with hostile names: rc %d %s %s"
          % (lint.returncode, lint.stdout.decode(errors="replace"),
             lint.stderr.decode(errors="replace")))
    samples = mserve.parse_text(text)
    status, headers, body = mserve.scrape(serve, accept="application/openmetrics-text;"
                                          "version=1.0.0,text/plain;version=0.0.4;q=0.5")
    check(status == 200 and headers.get("content-type", "").startswith(
        "application/openmetrics-text; version=1.0.0"), "OpenMetrics on request: %r" % headers)
    check(body.endswith(b"\n# EOF\n"), "OpenMetrics ends in # EOF")
    try:
        om = mserve.parse_openmetrics(body.decode("utf-8"))
    except Exception as e:  # the parser raises ValueError and others on bad input
        check(False, "the OpenMetrics parser accepts the exposition: %r" % e)
        om = {}
    for pid, raw, _ in children.procs:
        want = mserve.expected_label(raw)
        for name, parsed in (("text", samples), ("OpenMetrics", om)):
            got = [dict(ls).get("comm") for (n, ls), v in parsed.items()
                   if n == "memscope_process_resident_bytes" and dict(ls).get("pid") == str(pid)]
            check(got == [want], "%s: process %d named %r comes back as %r, not %r"
                  % (name, pid, raw, want, got))


def test_bad_requests(serve):
    host, port = serve.host, serve.port
    status, headers, body = mserve.scrape(serve, method="HEAD")
    check(status == 200 and body == b"" and headers.get("content-type", "").startswith("text/plain"),
          "HEAD /metrics: headers only (%r, %d bytes)" % (status, len(body)))
    status, _, body = mserve.scrape(serve, path="/nope")
    check(status == 404 and b"/metrics" in body, "an unknown path is 404 and points to /metrics")
    status, _, _ = mserve.scrape(serve, path="/metrics?x=%00%ff")
    check(status == 200, "a query string is ignored (%r)" % status)
    status, _, _ = mserve.scrape(serve, path="/")
    check(status == 200, "/ answers (%r)" % status)
    status, headers, _ = mserve.http(host, port, b"POST /metrics HTTP/1.1\r\nHost: x\r\n"
                                     b"Content-Length: 5\r\nConnection: close\r\n\r\nhello")
    check(status == 405 and "GET" in headers.get("allow", ""), "POST is 405 with Allow (%r)" % status)
    status, _, _ = mserve.http(host, port, b"BREW /metrics HTTP/1.1\r\nHost: x\r\n"
                               b"Connection: close\r\n\r\n")
    check(status == 405, "an unknown method is 405 (%r)" % status)
    for what, request in (
            ("a huge request line", b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("a huge header", b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * (1 << 20)
             + b"\r\n\r\n"),
            ("many headers", b"GET /metrics HTTP/1.1\r\n" + b"X-H: v\r\n" * 20000 + b"\r\n"),
            ("binary garbage", bytes(range(256)) * 4 + b"\r\n\r\n"),
            ("a bad version", b"GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n")):
        try:
            status, _, _ = mserve.http(host, port, request)
        except (BrokenPipeError, ConnectionResetError):
            status = "reset"
        check(status != 200 and serve.alive(),
              "%s is refused (%r) and the server lives on" % (what, status))
    check(samples_total(serve) is not None, "after the bad requests a scrape still answers")


def test_slow_clients(serve):
    """Clients that connect and never send, send half a request, or ask and never read: sampling
    goes on and another client's scrape answers, each in well under the sampling interval."""
    host, port = serve.host, serve.port
    hogs = []
    for i in range(20):
        s = socket.create_connection((host, port))
        if i % 3 == 1:
            s.sendall(b"GET /metr")
        elif i % 3 == 2:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")  # and never reads
        hogs.append(s)
    start_n = samples_total(serve)
    check(start_n is not None, "a scrape answers while 20 slow clients hang")
    latencies = []
    deadline = time.monotonic() + 30
    n = start_n or 0
    while n < (start_n or 0) + 12 and time.monotonic() < deadline:
        t0 = time.monotonic()
        got = samples_total(serve)
        latencies.append(time.monotonic() - t0)
        n = got if got is not None else n
        time.sleep(0.05)
    check(n >= (start_n or 0) + 12, "sampling went on while slow clients hung: %s -> %s samples"
          % (start_n, n))
    if latencies:
        latencies.sort()
        print("scrapes beside 20 slow clients: %d, median %.1f ms, worst %.1f ms"
              % (len(latencies), 1000 * latencies[len(latencies) // 2], 1000 * latencies[-1]))
        check(latencies[-1] < 5, "no scrape waited on a slow client (worst %.2f s)" % latencies[-1])
    # The silent ones are dropped after the connection timeout (10 s).
    silent = hogs[0]
    silent.settimeout(30)
    t0 = time.monotonic()
    try:
        closed = silent.recv(1) == b""
    except (socket.timeout, ConnectionResetError):
        closed = False
    check(closed, "a client that never sends is dropped (after %.1f s)" % (time.monotonic() - t0))
    print("a silent client was dropped after %.1f s" % (time.monotonic() - t0))
    return hogs


def test_options():
    def run(*args):
        p = subprocess.run([mserve.PROBE, "serve"] + list(args), capture_output=True, timeout=60)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    rc, out, _ = run("--help")
    check(rc == 0 and "/metrics" in out and "127.0.0.1:10164" in out, "--help says where it serves")
    for args, what in ((["--listen", "example.org:80"], "--listen"),
                       (["--listen", "127.0.0.1:99999"], "port"),
                       (["--interval", "0.1"], "--interval"),
                       (["--top", "-1"], "--top"),
                       (["--textfile", "/nonexistent/dir"], "not a directory"),
                       (["extra"], "unexpected argument"),
                       (["--bogus"], "unknown option")):
        rc, _, err = run(*args)
        check(rc == 2 and what in err and "\n" == err[-1:] and err.count("\n") == 1,
              "serve %s: exit 2 with one line naming %r (rc %d: %r)" % (args, what, rc, err))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        rc, _, err = run("--listen", "127.0.0.1:%d" % port)
        check(rc == 1 and ("cannot listen on 127.0.0.1:%d: Address already in use" % port) in err,
              "a busy port: exit 1 and why (rc %d: %r)" % (rc, err))


def test_bounded_series():
    """With --top 0 --groups 0 only tagged processes (here a zombie) and their groups get series;
    IPv6 loopback serves too, where the machine has it."""
    zombie = subprocess.Popen(["true"])  # never waited for until the end: a zombie meanwhile
    try:
        serve = mserve.Serve("--listen", "[::1]:0", "--interval", INTERVAL_S, "--top", 0,
                             "--groups", 0)
    except RuntimeError as e:
        check("cannot listen on [::1]:0" in str(e), "IPv6 serves or says why not: %s" % e)
        serve = mserve.Serve("--listen", "127.0.0.1:0", "--interval", INTERVAL_S, "--top", 0,
                             "--groups", 0)
    with serve:
        def tagged():
            status, _, body = mserve.scrape(serve)
            samples = mserve.parse_text(body.decode()) if status == 200 else {}
            return mserve.find(samples, "memscope_process_state", pid=zombie.pid,
                               state="zombie") == [1], samples
        check(mstest.wait_for(lambda: tagged()[0], 30), "the zombie is tagged and exported")
        samples = tagged()[1]
        # Other processes of the machine may be tagged too (other tests' zombies): every
        # exported process must be tagged, and every exported group hold one of them.
        pids = {dict(ls)["pid"] for (n, ls), v in samples.items()
                if n == "memscope_process_resident_bytes"}
        tagged_pids = {dict(ls)["pid"] for (n, ls), v in samples.items()
                       if n == "memscope_process_state" and v == 1}
        check(str(zombie.pid) in pids and pids == tagged_pids,
              "only tagged processes have series: %s, tagged %s" % (pids, tagged_pids))
        groups = {dict(ls)["group"] for (n, ls), v in samples.items()
                  if n == "memscope_group_processes"}
        tagged_groups = {dict(ls)["group"] for (n, ls), v in samples.items()
                         if n == "memscope_process_resident_bytes"}
        check(groups == tagged_groups, "only the tagged processes' groups have series: %s, %s"
              % (groups, tagged_groups))
        check(mserve.find(samples, "memscope_groups")[0] > 1,
              "memscope_groups still counts every group")
        check(serve.stop() == 0, "serve on %s ends cleanly" % serve.url)
    zombie.wait()


def main():
    test_options()
    test_bounded_series()
    with mserve.NamedChildren(mserve.HOSTILE_NAMES) as children, \
            mserve.Serve("--listen", "127.0.0.1:0", "--interval", INTERVAL_S, "--top", 100000,
                         "--groups", 100000) as serve:
        test_hostile_names(serve, children)
        test_bad_requests(serve)
        hogs = test_slow_clients(serve)
        t0 = time.monotonic()
        status = serve.stop()
        check(status == 0, "SIGTERM ends serve with status 0 while clients hang (%r, %.1f s)"
              % (status, time.monotonic() - t0))
        for s in hogs:
            s.close()
        err = serve.stderr.decode(errors="replace")
        check("Sanitizer" not in err and "runtime error" not in err, "no sanitizer report: " + err)
    mstest.finish()


if __name__ == "__main__":
    main()
