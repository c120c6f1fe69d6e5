# SPDX-License-Identifier: MIT
"""Helpers for the tests of `memscope-probe serve`: start it, scrape it, parse what it says, and
make processes with hostile names."""

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

PROBE = os.environ.get("MS_PROBE", "memscope-probe")

# Names a process can give itself (the kernel keeps 15 bytes): quotes, backslashes, braces, a line
# feed, a tab and bytes that are not UTF-8.
HOSTILE_NAMES = [b'a"b\\c{}', b"x\ny", b"\xff\xfeok", b"tab\tz", b'},{="q"']


def expected_label(raw):
    """The label value serve should give a raw name: invalid bytes as the same code points."""
    out = []
    i = 0
    while i < len(raw):
        for n in (4, 3, 2, 1):
            try:
                out.append(raw[i:i + n].decode("utf-8"))
                i += n
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(chr(raw[i]))
            i += 1
    return "".join(out)


class Serve:
    """A `memscope-probe serve` child, started and waited for until it says where it serves."""

    def __init__(self, *args, env=None):
        self.proc = subprocess.Popen([PROBE, "serve"] + [str(a) for a in args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.url = None
        self.textfile = None
        self.stderr = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (self.url is None and self.textfile is None):
            line = self._read_line(deadline)
            if line is None:
                break
            if line.startswith("listening on "):
                self.url = line.split(" ", 2)[2]
            elif line.startswith("writing "):
                self.textfile = line.split(" ", 1)[1]
        if self.url is None and self.textfile is None:
            self.stop()
            raise RuntimeError("serve did not start: %s" % self.stderr.decode("utf-8", "replace"))
        host_port = self.url.split("/")[2] if self.url else None
        if host_port:
            host, port = host_port.rsplit(":", 1)
            self.host, self.port = host.strip("[]"), int(port)

    def _read_line(self, deadline):
        fd = self.proc.stdout.fileno()
        data = b""
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 1)
            if not chunk:
                return None
            data += chunk
        return data.decode("utf-8", "replace").strip()

    def alive(self):
        return self.proc.poll() is None

    def read_stderr(self):
        """Adds what serve has written to stderr so far to self.stderr, without waiting."""
        os.set_blocking(self.proc.stderr.fileno(), False)
        chunk = self.proc.stderr.read()
        if chunk:
            self.stderr += chunk
        return self.stderr

    def stop(self, timeout=20):
        """SIGTERM, then the exit status (None when it had to be killed)."""
        status = self.proc.poll()
        if status is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                status = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                status = None
        rest = self.proc.stderr.read()  # None when set non-blocking and nothing is left
        if rest:
            self.stderr += rest
        self.proc.stdout.close()
        self.proc.stderr.close()
        return status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None or not self.proc.stdout.closed:
            self.stop()


def http(host, port, request, timeout=10):
    """Sends raw request bytes; returns (status code or None, headers dict, body bytes)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = None
    if lines and lines[0].startswith(b"HTTP/1."):
        status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode()] = value.strip().decode("latin-1")
    return status, headers, body


def scrape(serve, accept=None, method="GET", path="/metrics", timeout=10):
    request = "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n" % (method, path, serve.host)
    if accept:
        request += "Accept: %s\r\n" % accept
    return http(serve.host, serve.port, (request + "\r\n").encode(), timeout)


def parse_text(text):
    """Parses the text format with the Prometheus Python client: {(name, labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def parse_openmetrics(text):
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def find(samples, name, **labels):
    """Values of the samples of `name` whose labels include `labels`."""
    return [v for (n, ls), v in samples.items()
            if n == name and all(dict(ls).get(k) == str(w) for k, w in labels.items())]


def promtool():
    path = shutil.which("promtool")
    if path is None:
        print("FAIL: promtool is missing: install Debian's prometheus package "
              "(build-aux/deps test)", file=sys.stderr)
        sys.exit(1)
    return path


class NamedChildren:
    """Idle children that rename themselves (writing /proc/self/comm) to each given raw name."""

    def __init__(self, names):
        self.procs = []
        code = ("import sys, time\n"
                "open('/proc/self/comm', 'wb').write(bytes.fromhex(sys.argv[1]))\n"
                "print('ready', flush=True)\n"
                "sys.stdin.read()\n")
        for name in names:
            p = subprocess.Popen([sys.executable, "-c", code, name.hex()], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE)
            p.stdout.readline()
            self.procs.append((p.pid, name, p))

    def close(self):
        for _, _, p in self.procs:
            p.stdin.close()
            p.wait(10)
            p.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
