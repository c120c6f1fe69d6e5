#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# memscope-probe stream as a program: hello and snapshots decoded by an independent reader of
# docs/stream-protocol.md, requests (interval, smaps groups, signals), wrong starttimes, another
# protocol version, a 1.0 window with this probe and the probe speaking 1.0 or 1.1, baselines
# restored (1.2), the OOM-kill counter's validity, garbage on stdin, and ending when stdin closes
# or on SIGTERM.
import errno
import fcntl
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest

PROBE = os.environ["MS_PROBE"]
TESTDATA = os.environ.get("MS_TESTDATA", os.path.join(os.path.dirname(__file__), "..", "data"))
# The minor version this reader speaks: 1.1 appends the OOM-kill counter's validity to snapshots,
# 1.2 adds the restore-baselines request.
MINOR = 2

FRAME_HELLO, FRAME_SNAPSHOT, FRAME_EVENTS, FRAME_SMAPS, FRAME_SIGNAL, FRAME_ERROR = range(1, 7)
REQ_HELLO, REQ_INTERVAL, REQ_PSS, REQ_SMAPS, REQ_SIGNAL, REQ_RESET, REQ_RESTORE = range(0x81, 0x88)
CAP_OWN_DETECTOR = 1 << 5
ZOMBIE_PID = 600  # tests/data/app/proc-v2: "defunct-child", state Z
SIG_STOP, SIG_CONT, SIG_TERM, SIG_KILL = 1, 2, 3, 4
KIND_MEMFD = 6


class Cursor:
    """Reads the fields of one payload; raises ValueError when a field runs past its end."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, fmt):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ValueError("payload ends inside a field at byte %d" % self.pos)
        value = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return value if len(value) > 1 else value[0]

    def str(self):
        n = self.take("<H")
        if self.pos + n > len(self.data):
            raise ValueError("string runs past the payload")
        s = self.data[self.pos:self.pos + n]
        self.pos += n
        return s

    def done(self):
        return self.pos == len(self.data)


def decode(payload, peer_minor=MINOR, own_minor=MINOR):
    """One frame as a dict, read as a reader of version 1.own_minor from a peer that said
    1.peer_minor: fields of a version both speak are read, and every byte must be accounted for
    unless the peer speaks a newer minor version (ValueError otherwise)."""
    c = Cursor(payload)
    kind = c.take("<B")
    f = {"type": kind}
    if kind == FRAME_HELLO:
        f["magic"] = c.data[1:5]
        c.pos = 5
        f["major"], f["minor"], f["caps"], f["max_frame"] = c.take("<HHII")
        f["software"] = c.str().decode()
    elif kind == FRAME_SNAPSHOT:
        f["time_s"], f["time_unix"], f["interval_s"] = c.take("<ddd")
        mem = c.take("<9q")
        f["mem_total_kib"], f["mem_available_kib"] = mem[0], mem[1]
        f["pressure_valid"] = c.take("<B")
        c.take("<dddd")
        f["oom_kill"] = c.take("<Q")
        procs = []
        for _ in range(c.take("<I")):
            p = {}
            p["pid"], p["ppid"], p["starttime"], p["uid"], p["state"], p["kthread"], p["threads"] = \
                c.take("<iiQIBBi")
            for name in ("comm", "user", "group", "cmdline", "exe"):
                p[name] = c.str()
            (p["rss_kib"], p["anon_kib"], p["file_kib"], p["shmem_kib"], p["swap_kib"],
             p["hwm_kib"], p["pss_kib"], p["uss_kib"], p["swap_pss_kib"]) = c.take("<9q")
            p["pss_age_s"] = c.take("<d")
            p["footprint_kib"], p["baseline_kib"], p["delta_kib"] = c.take("<3q")
            p["first_seen_s"], p["start_unix"], p["cpu_pct"] = c.take("<ddd")
            p["tags"] = c.take("<I")
            procs.append(p)
        f["procs"] = procs
        if min(peer_minor, own_minor) >= 1:
            f["oom_valid"] = c.take("<B")
            if f["oom_valid"] not in (0, 1):
                raise ValueError("oom_kill valid is %d" % f["oom_valid"])
    elif kind == FRAME_EVENTS:
        events = []
        for _ in range(c.take("<I")):
            t, pid, st = c.take("<diQ")
            comm = c.str()
            tag, is_set = c.take("<BB")
            c.take("<5d")
            events.append({"time_s": t, "pid": pid, "starttime": st, "comm": comm, "tag": tag,
                           "set": is_set})
        f["events"] = events
    elif kind in (FRAME_SMAPS, FRAME_SIGNAL):
        f["id"], f["result"], f["pid"], f["starttime"] = c.take("<IiiQ")
        if kind == FRAME_SIGNAL:
            f["signal"] = c.take("<B")
        elif f["result"] == 0:
            groups = []
            for _ in range(c.take("<I")):
                kind_g = c.take("<B")
                name = c.str()
                mappings = c.take("<I")
                size, rss, pss, swap, private = c.take("<5q")
                groups.append({"kind": kind_g, "name": name, "mappings": mappings, "size_kib": size,
                               "rss_kib": rss, "pss_kib": pss, "swap_kib": swap,
                               "private_kib": private})
            f["groups"] = groups
    elif kind == FRAME_ERROR:
        f["request"] = c.take("<Q")
        f["text"] = c.str().decode("utf-8", "replace")
    else:
        raise ValueError("unknown frame type %d" % kind)
    f["trailing"] = len(payload) - c.pos
    if not c.done() and not (kind != FRAME_HELLO and peer_minor > own_minor):
        raise ValueError("%d bytes left over in a frame of type %d" % (len(payload) - c.pos, kind))
    return f


def frame(payload):
    return struct.pack("<I", len(payload)) + payload


def hello_request(major=1, minor=MINOR, caps=0):
    sw = b"test-stream.py"
    return frame(bytes([REQ_HELLO]) + b"MSCP" + struct.pack("<HHIIH", major, minor, caps, 64 << 20,
                                                            len(sw)) + sw)


def interval_request(seconds):
    return frame(bytes([REQ_INTERVAL]) + struct.pack("<d", seconds))


def smaps_request(req_id, pid, starttime):
    return frame(bytes([REQ_SMAPS]) + struct.pack("<IiQ", req_id, pid, starttime))


def signal_request(req_id, pid, starttime, code):
    return frame(bytes([REQ_SIGNAL]) + struct.pack("<IiQB", req_id, pid, starttime, code))


def reset_request(pid=0, starttime=0):
    return frame(bytes([REQ_RESET]) + struct.pack("<iQ", pid, starttime))


def restore_request(baselines):
    """baselines: (pid, starttime, baseline_kib) triples."""
    return frame(bytes([REQ_RESTORE]) + struct.pack("<I", len(baselines))
                 + b"".join(struct.pack("<iQq", *b) for b in baselines))


def starttime_of(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        stat = f.read()
    return int(stat[stat.rindex(b")") + 2:].split()[19])


def state_of(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        stat = f.read()
    return chr(stat[stat.rindex(b")") + 2])


F_SETPIPE_SZ = 1031  # fcntl: set a pipe's capacity (Linux)

class Probe:
    """A running `memscope-probe stream` and a reader of its frames."""

    def __init__(self, *args, own_minor=MINOR):
        self.own_minor = own_minor
        self.peer_minor = None
        self.proc = subprocess.Popen([PROBE, "stream", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""

    def send(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def payload(self, timeout=10):
        """The next payload, or None at end of stream; fails on a timeout or a cut frame."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack_from("<I", self.buf)[0]
                if n == 0 or n > 64 << 20:
                    raise AssertionError("bad frame length %d" % n)
                if len(self.buf) >= 4 + n:
                    p = self.buf[4:4 + n]
                    self.buf = self.buf[4 + n:]
                    return p
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no frame within %s s" % timeout)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                if self.buf:
                    raise AssertionError("stream ended inside a frame")
                return None
            self.buf += chunk

    def next(self, kind=None, timeout=10):
        """The next decoded frame (of `kind` when given, skipping others)."""
        deadline = time.monotonic() + timeout
        while True:
            p = self.payload(max(deadline - time.monotonic(), 0.01))
            if p is None:
                return None
            f = decode(p, self.peer_minor if self.peer_minor is not None else self.own_minor,
                       self.own_minor)
            if f["type"] == FRAME_HELLO:
                self.peer_minor = f["minor"]
            if kind is None or f["type"] == kind:
                return f

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except BrokenPipeError:
                pass

    def stderr(self):
        return self.proc.stderr.read().decode("utf-8", "replace")


MEMFD_CHILD = r"""
import mmap, os, sys, time
fd = os.memfd_create("ms-stream-test")
os.ftruncate(fd, 4 << 20)
m = mmap.mmap(fd, 4 << 20)
m.write(b"x" * (4 << 20))
print("ready", flush=True)
time.sleep(120)
"""


class Child:
    """A Python child process that holds a touched 4 MiB memfd and sleeps."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", MEMFD_CHILD], stdout=subprocess.PIPE)
        line = self.proc.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError("child did not start: %r" % line)
        self.pid = self.proc.pid
        self.starttime = starttime_of(self.pid)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


class Stream(unittest.TestCase):
    def start(self, *args, own_minor=MINOR):
        probe = Probe(*args, own_minor=own_minor)
        self.addCleanup(probe.close)
        hello = probe.next()
        self.assertEqual(hello["type"], FRAME_HELLO)
        return probe, hello

    def child(self):
        c = Child()
        self.addCleanup(c.close)
        return c

    def test_hello_and_snapshots(self):
        probe, hello = self.start("--interval", "0.2")
        self.assertEqual(hello["magic"], b"MSCP")
        self.assertEqual((hello["major"], hello["minor"]), (1, 2))
        self.assertEqual(hello["caps"] & 0b10111, 0b10111)
        self.assertEqual(hello["max_frame"], 64 << 20)
        self.assertTrue(hello["software"].startswith("memscope-probe "))
        probe.send(hello_request())
        me, my_start = os.getpid(), starttime_of(os.getpid())
        for i in range(3):
            snap = probe.next()
            self.assertEqual(snap["type"], FRAME_SNAPSHOT)
            # Every snapshot is followed by its events frame.
            self.assertEqual(probe.next()["type"], FRAME_EVENTS)
            self.assertGreater(snap["mem_total_kib"], 0)
            self.assertGreater(len(snap["procs"]), 2)
            mine = [p for p in snap["procs"] if p["pid"] == me]
            self.assertEqual(len(mine), 1)
            self.assertEqual(mine[0]["starttime"], my_start)
            self.assertEqual(mine[0]["ppid"], os.getppid())
            self.assertGreater(mine[0]["rss_kib"], 1000)
            self.assertEqual(mine[0]["footprint_kib"], mine[0]["rss_kib"] + mine[0]["swap_kib"])
            self.assertTrue(mine[0]["group"])
            self.assertEqual(mine[0]["user"], b"root")
            if i == 0:
                self.assertEqual(snap["interval_s"], 0)
            else:
                self.assertGreater(snap["interval_s"], 0.1)

    def test_interval_change(self):
        probe, _ = self.start("--interval", "0.1")
        probe.send(hello_request())
        short = [probe.next(FRAME_SNAPSHOT)["interval_s"] for _ in range(3)][1:]
        self.assertTrue(all(s < 0.6 for s in short), short)
        probe.send(interval_request(1.0))
        # The tick already waited for lands first; the one after follows the new interval.
        later = [probe.next(FRAME_SNAPSHOT)["interval_s"] for _ in range(2)]
        self.assertGreater(later[-1], 0.8, later)
        # An interval out of range is refused and changes nothing.
        probe.send(interval_request(0.001))
        err = probe.next(FRAME_ERROR)
        self.assertEqual(err["request"], 3)
        self.assertIn("outside", err["text"])

    def test_smaps_groups(self):
        child = self.child()
        probe, _ = self.start("--interval", "0.5")
        probe.send(hello_request())
        probe.send(smaps_request(7, child.pid, child.starttime))
        reply = probe.next(FRAME_SMAPS)
        self.assertEqual((reply["id"], reply["result"], reply["pid"]), (7, 0, child.pid))
        memfd = [g for g in reply["groups"] if g["kind"] == KIND_MEMFD]
        self.assertEqual([g["name"] for g in memfd], [b"ms-stream-test"])
        self.assertEqual(memfd[0]["size_kib"], 4096)
        self.assertEqual(memfd[0]["rss_kib"], 4096)
        self.assertTrue(any(g["name"] == b"[heap]" for g in reply["groups"]))
        # The same pid with another start time is another process: refused.
        probe.send(smaps_request(8, child.pid, child.starttime + 1))
        reply = probe.next(FRAME_SMAPS)
        self.assertEqual((reply["id"], reply["result"]), (8, -errno.ESRCH))
        self.assertNotIn("groups", reply)

    def test_signals(self):
        child = self.child()
        probe, _ = self.start("--interval", "0.5")
        probe.send(hello_request())
        probe.send(signal_request(1, child.pid, child.starttime + 5, SIG_TERM))
        reply = probe.next(FRAME_SIGNAL)
        self.assertEqual((reply["id"], reply["result"]), (1, -errno.ESRCH))
        self.assertIsNone(child.proc.poll())

        probe.send(signal_request(2, child.pid, child.starttime, SIG_STOP))
        reply = probe.next(FRAME_SIGNAL)
        self.assertEqual((reply["id"], reply["result"], reply["signal"]), (2, 0, SIG_STOP))
        deadline = time.monotonic() + 5
        while state_of(child.pid) != "T" and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(state_of(child.pid), "T")
        probe.send(signal_request(3, child.pid, child.starttime, SIG_CONT))
        self.assertEqual(probe.next(FRAME_SIGNAL)["result"], 0)

        probe.send(signal_request(4, child.pid, child.starttime, SIG_TERM))
        reply = probe.next(FRAME_SIGNAL)
        self.assertEqual((reply["id"], reply["result"]), (4, 0))
        self.assertEqual(child.proc.wait(10), -signal.SIGTERM)
        # Gone: refused, and an unknown signal code is answered too.
        probe.send(signal_request(5, child.pid, child.starttime, SIG_KILL))
        self.assertEqual(probe.next(FRAME_SIGNAL)["result"], -errno.ESRCH)
        probe.send(signal_request(6, os.getpid(), starttime_of(os.getpid()), 77))
        reply = probe.next(FRAME_SIGNAL)
        self.assertEqual((reply["id"], reply["result"]), (6, -errno.EINVAL))

    def test_bad_request_is_answered_and_the_stream_goes_on(self):
        probe, _ = self.start("--interval", "0.5")
        probe.send(hello_request())
        probe.send(frame(b"\x99junk"))
        err = probe.next(FRAME_ERROR)
        self.assertEqual(err["request"], 2)
        self.assertIn("request 2", err["text"])
        self.assertIn("0x99", err["text"])
        probe.send(frame(bytes([REQ_SMAPS]) + b"\x01\x00"))
        err = probe.next(FRAME_ERROR)
        self.assertIn("request 3 (smaps-groups)", err["text"])
        probe.send(smaps_request(9, os.getpid(), starttime_of(os.getpid())))
        reply = probe.next(FRAME_SMAPS)
        self.assertEqual((reply["id"], reply["result"]), (9, 0))
        self.assertIsNone(probe.proc.poll())

    def test_closing_stdin_ends_the_probe(self):
        probe, _ = self.start("--interval", "0.5")
        probe.send(hello_request())
        probe.next(FRAME_SNAPSHOT)
        start = time.monotonic()
        probe.proc.stdin.close()
        status = probe.proc.wait(5)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertEqual(status, 0)
        # Nothing was cut: whatever came after the last read frame is whole.
        while probe.payload() is not None:
            pass

    def test_sigterm_ends_the_probe(self):
        probe, _ = self.start("--interval", "2")
        probe.proc.send_signal(signal.SIGTERM)
        self.assertEqual(probe.proc.wait(5), 0)

    def test_sigterm_ends_a_probe_nobody_reads(self):
        # A one-page pipe that nobody empties: the first snapshot cannot go out, and the
        # probe waits for room.  SIGTERM must still end it.
        probe = Probe("--interval", "2")
        self.addCleanup(probe.close)
        fcntl.fcntl(probe.proc.stdout, F_SETPIPE_SZ, 4096)
        self.assertEqual(probe.next()["type"], FRAME_HELLO)
        time.sleep(0.5)
        self.assertIsNone(probe.proc.poll())
        probe.proc.send_signal(signal.SIGTERM)
        self.assertEqual(probe.proc.wait(5), 0)

    def test_garbage_on_stdin(self):
        probe, _ = self.start("--interval", "0.5")
        probe.send(b"garbage on stdin\n")
        err = probe.next(FRAME_ERROR)
        self.assertIn("frame 1", err["text"])
        self.assertIn("over the limit", err["text"])
        # Not a crash: a clean exit with status 1 and the reason on stderr.
        self.assertEqual(probe.proc.wait(5), 1)
        self.assertIn("over the limit", probe.stderr())

    def test_request_before_hello(self):
        probe, _ = self.start("--interval", "0.5")
        probe.send(interval_request(1.0))
        err = probe.next(FRAME_ERROR)
        self.assertIn("request 1 (set-interval)", err["text"])
        self.assertIn("hello", err["text"])
        self.assertIsNone(probe.proc.poll())

    def test_other_protocol_version(self):
        probe, _ = self.start("--interval", "0.5")
        probe.send(hello_request(major=2, minor=3))
        err = probe.next(FRAME_ERROR)
        self.assertEqual(err["request"], 1)
        self.assertIn("protocol version 2.3", err["text"])
        self.assertEqual(probe.proc.wait(5), 3)

    def test_announced_version(self):
        # What a window sees from a probe of another version (the window's own check says so).
        probe, hello = self.start("--announce-version", "2.0")
        self.assertEqual((hello["major"], hello["minor"]), (2, 0))

    def proc_tree(self, vmstat):
        """A copy of the app's fixture tree whose vmstat holds `vmstat` (None: no vmstat)."""
        d = tempfile.mkdtemp(prefix="ms-stream-")
        self.addCleanup(shutil.rmtree, d, True)
        root = os.path.join(d, "proc")
        shutil.copytree(os.path.join(TESTDATA, "app", "proc-v2"), root, symlinks=True)
        os.unlink(os.path.join(root, "vmstat"))
        if vmstat is not None:
            with open(os.path.join(root, "vmstat"), "w") as f:
                f.write(vmstat)
        return root

    def test_oom_counter_validity(self):
        # 1.1: a counter read as 0 is a reading of 0, not "unknown".
        for vmstat, want in (("nr_free_pages 1\noom_kill 0\n", (1, 0)),
                             ("oom_kill 3\n", (1, 3)),
                             ("nr_free_pages 1\n", (0, 0)),
                             ("oom_kill 12abc\n", (0, 0)),
                             (None, (0, 0))):
            probe, hello = self.start("--interval", "0.2", "--proc-root", self.proc_tree(vmstat))
            self.assertEqual(hello["minor"], MINOR)
            probe.send(hello_request())
            snap = probe.next(FRAME_SNAPSHOT)
            self.assertEqual((snap["oom_valid"], snap["oom_kill"]), want, vmstat)
            self.assertEqual(snap["trailing"], 0)
            probe.close()

    def test_window_1_0_with_this_probe(self):
        # A 1.0 window reads the 1.0 fields, skips the byte 1.1 appended (the probe said 1.2),
        # and its requests are answered as before.
        probe, hello = self.start("--interval", "0.2", "--proc-root",
                                  self.proc_tree("oom_kill 2\n"), own_minor=0)
        self.assertEqual((hello["major"], hello["minor"]), (1, MINOR))
        probe.send(hello_request(minor=0))
        for _ in range(2):
            snap = probe.next(FRAME_SNAPSHOT)
            self.assertNotIn("oom_valid", snap)
            self.assertEqual(snap["trailing"], 1)
            self.assertEqual(snap["oom_kill"], 2)
            self.assertGreater(len(snap["procs"]), 5)
            self.assertEqual(probe.next()["type"], FRAME_EVENTS)
        pid = snap["procs"][0]["pid"]
        probe.send(signal_request(7, pid, snap["procs"][0]["starttime"] + 1, SIG_CONT))
        reply = probe.next(FRAME_SIGNAL)
        self.assertEqual((reply["id"], reply["result"]), (7, -errno.ESRCH))
        self.assertIsNone(probe.proc.poll())

    def test_probe_speaking_1_0(self):
        # What a 1.0 probe sends: its hello says 1.0 and snapshots end after the processes, as a
        # strict reader of 1.1 (nothing may be left over from a peer of an older version) checks.
        probe, hello = self.start("--interval", "0.2", "--announce-version", "1.0",
                                  "--proc-root", self.proc_tree("oom_kill 0\n"))
        self.assertEqual((hello["major"], hello["minor"]), (1, 0))
        probe.send(hello_request())
        snap = probe.next(FRAME_SNAPSHOT)
        self.assertNotIn("oom_valid", snap)
        self.assertEqual((snap["oom_kill"], snap["trailing"]), (0, 0))
        self.assertEqual(probe.next()["type"], FRAME_EVENTS)

    def served(self, probe, number):
        """Waits until request `number` - 1 was served: request `number` must be an interval
        out of range, whose error frame comes back in order."""
        err = probe.next(FRAME_ERROR)
        self.assertEqual(err["request"], number, err)

    def test_restore_baselines(self):
        # 1.2: baselines put back as given take effect, survive later ticks, and a reset after
        # them zeroes the deltas again.  A process that is gone, or named with another
        # starttime, is left alone.
        probe, hello = self.start("--interval", "0.1", "--proc-root", self.proc_tree("oom_kill 0\n"))
        self.assertEqual(hello["minor"], MINOR)
        probe.send(hello_request())
        procs = {p["pid"]: p for p in probe.next(FRAME_SNAPSHOT)["procs"]}
        firefox, editor = procs[200], procs[300]
        self.assertEqual((firefox["delta_kib"], editor["delta_kib"]), (0, 0))
        probe.send(restore_request([(200, firefox["starttime"], firefox["footprint_kib"] - 1000),
                                    (300, editor["starttime"] + 1, 5),
                                    (31999, 1, 5)]))
        probe.send(interval_request(0.001))
        self.served(probe, 3)
        for _ in range(3):
            procs = {p["pid"]: p for p in probe.next(FRAME_SNAPSHOT)["procs"]}
            self.assertEqual(procs[200]["baseline_kib"], firefox["footprint_kib"] - 1000)
            self.assertEqual(procs[200]["delta_kib"], 1000)
            self.assertEqual(procs[300]["baseline_kib"], editor["baseline_kib"])
            self.assertEqual(procs[300]["delta_kib"], 0)
        probe.send(reset_request())
        probe.send(interval_request(0.001))
        self.served(probe, 5)
        procs = {p["pid"]: p for p in probe.next(FRAME_SNAPSHOT)["procs"]}
        self.assertEqual(procs[200]["delta_kib"], 0)
        # A malformed list is refused with a message naming the item; the stream goes on.
        probe.send(restore_request([(200, firefox["starttime"], 7), (-4, 1, 5)]))
        err = probe.next(FRAME_ERROR)
        self.assertEqual(err["request"], 6)
        self.assertIn("process 2 of 2", err["text"])
        self.assertIn("not a process", err["text"])
        procs = {p["pid"]: p for p in probe.next(FRAME_SNAPSHOT)["procs"]}
        self.assertEqual(procs[200]["delta_kib"], 0)
        self.assertIsNone(probe.proc.poll())

    def test_probe_speaking_1_1(self):
        # A 1.1 probe knows no restore-baselines request: it skips one from a newer window (so
        # the baseline stays) and refuses one from a window that said 1.1.
        root = self.proc_tree("oom_kill 0\n")
        for window_minor in (2, 1):
            probe, hello = self.start("--interval", "0.1", "--announce-version", "1.1",
                                      "--proc-root", root)
            self.assertEqual((hello["major"], hello["minor"]), (1, 1))
            probe.send(hello_request(minor=window_minor))
            firefox = [p for p in probe.next(FRAME_SNAPSHOT)["procs"] if p["pid"] == 200][0]
            probe.send(restore_request([(200, firefox["starttime"], firefox["footprint_kib"] - 1000)]))
            probe.send(interval_request(0.001))
            err = probe.next(FRAME_ERROR)
            if window_minor == 1:
                self.assertEqual(err["request"], 2)
                self.assertIn("not a request type", err["text"])
                err = probe.next(FRAME_ERROR)
            self.assertEqual(err["request"], 3)
            snap = probe.next(FRAME_SNAPSHOT)
            self.assertEqual(snap["trailing"], 0)
            self.assertEqual([p["delta_kib"] for p in snap["procs"] if p["pid"] == 200], [0])
            probe.close()

    def zombie_tagged(self, caps):
        """Whether the fixture's unreaped child (pid 600) is tagged within 40 snapshots of a
        probe sampling every 0.1 s (its detector tags a zombie held for 2 s)."""
        root = self.proc_tree("oom_kill 0\n")
        probe, hello = self.start("--interval", "0.1", "--proc-root", root)
        probe.send(hello_request(caps=caps))
        tagged = False
        for _ in range(40):
            snap = probe.next(FRAME_SNAPSHOT)
            tagged |= any(p["pid"] == ZOMBIE_PID and p["tags"] != 0 for p in snap["procs"])
        probe.close()
        return tagged

    def test_window_with_its_own_detector(self):
        # 1.1: a window whose hello says it runs its own detector gets snapshots without tags
        # and no events frames, once the probe has read the hello (frames of ticks before it
        # may still carry events).  A probe speaking 1.0 ignores the bit, as 1.0 did.
        probe, hello = self.start("--interval", "0.2")
        probe.send(hello_request(caps=CAP_OWN_DETECTOR))
        probe.send(interval_request(0.15))
        kinds = [probe.next()["type"] for _ in range(16)]
        self.assertEqual(kinds[8:], [FRAME_SNAPSHOT] * 8, kinds)
        probe.close()
        # Without the bit the probe tags the fixture's zombie; with it, nothing.
        self.assertTrue(self.zombie_tagged(0))
        self.assertFalse(self.zombie_tagged(CAP_OWN_DETECTOR))

        probe, hello = self.start("--interval", "0.2", "--announce-version", "1.0")
        probe.send(hello_request(minor=0, caps=CAP_OWN_DETECTOR))
        for _ in range(4):
            self.assertEqual(probe.next()["type"], FRAME_SNAPSHOT)
            self.assertEqual(probe.next()["type"], FRAME_EVENTS)

    def test_help_and_bad_options(self):
        r = subprocess.run([PROBE, "stream", "--help"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"stream-protocol.md", r.stdout)
        r = subprocess.run([PROBE, "stream", "--interval", "0"], capture_output=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"--interval", r.stderr)
        r = subprocess.run([PROBE, "stream", "--announce-version", "x"], capture_output=True,
                           timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
