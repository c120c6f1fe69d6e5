# SPDX-License-Identifier: MIT
"""Shared helpers for the live desktop tests: checks that collect failures, children that are
always ended, the real servers (dunst, status-notifier-watcher, the tray bar), what reaches the
notification server, D-Bus properties and leak-sim.  Used under build-aux/xvfb-session."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

LEAK_SIM = os.environ.get("MS_LEAK_SIM", "leak-sim")
NOTIFICATIONS = "org.freedesktop.Notifications"
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_IFACE = "org.kde.StatusNotifierItem"
# Unique per run, so leak simulators of other test runs on the machine are not mistaken for it;
# markup characters, so the tests see that names are escaped where markup is read.
LEAKY_NAME = "<b>x&y-%d" % (os.getpid() % 100000)
LEAKY_ESCAPED = "&lt;b&gt;x&amp;y-%d" % (os.getpid() % 100000)

_failures = []
_children = []


def check(condition, message):
    """Records a failed expectation (the test goes on, so one run shows every failure)."""
    if not condition:
        _failures.append(message)
        print("FAIL: " + message, file=sys.stderr, flush=True)
    return condition


def spawn(args, quiet=False, **kwargs):
    """Starts a child that is ended when the test ends; quiet drops its output."""
    if quiet:
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
    proc = subprocess.Popen(args, **kwargs)
    _children.append(proc)
    return proc


def stop(proc):
    """SIGTERM, then SIGKILL after 10 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(predicate, timeout_s, step_s=0.25):
    """Whether predicate() became true within timeout_s (asked every step_s)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()


def bus_wait(name):
    subprocess.run(["gdbus", "wait", "--session", "--timeout", "10", name], check=True)


_bus = None


def call(dest, path, iface, method, args=None, reply=None):
    """A method call on the session bus; returns the unpacked reply."""
    global _bus
    if _bus is None:
        _bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    return _bus.call_sync(dest, path, iface, method, args,
                          GLib.VariantType(reply) if reply else None,
                          Gio.DBusCallFlags.NONE, 5000, None).unpack()


def prop(dest, path, iface, name):
    return call(dest, path, "org.freedesktop.DBus.Properties", "Get",
                GLib.Variant("(ss)", (iface, name)), "(v)")[0]


# The servers a scenario stands up are not under test: the suite's G_DEBUG=fatal-warnings would
# make a warning of theirs (dunst's about an icon it cannot find, say) end them mid-scenario.
SERVER_ENV = {k: v for k, v in os.environ.items() if k != "G_DEBUG"}


# The kernel's OOM-kill counter is the machine's, not a scenario's: the OOM kill that the
# serve-prometheus scenario causes reaches every memscope of the group as an "Out of memory"
# popup.  The scenarios that count popups are about leaks, so their dunst drops those.
DUNST_RULES = """[memscope-oom-of-another-scenario]
    summary = "Out of memory*"
    skip_display = true
    history_ignore = true
"""
_dunst_dir = None


def start_dunst(config=""):
    """The notification server with DUNST_RULES and config (more dunstrc sections), once it
    owns its bus name."""
    global _dunst_dir
    if _dunst_dir is None:
        _dunst_dir = tempfile.TemporaryDirectory(prefix="memscope-dunst-")
    rc = os.path.join(_dunst_dir.name, "dunstrc")
    with open(rc, "w") as f:
        f.write(config + DUNST_RULES)
    proc = spawn(["dunst", "-config", rc], quiet=True, env=SERVER_ENV)
    bus_wait(NOTIFICATIONS)
    return proc


def start_watcher():
    """The tray's status-notifier-watcher, once it owns its bus name."""
    proc = spawn(["status-notifier-watcher"], quiet=True, env=SERVER_ENV)
    bus_wait(WATCHER)
    return proc


def start_tray_bar():
    """A real tray host: a 32-pixel bar along the bottom of the screen."""
    return spawn(["gtk-sni-tray-standalone", "--bottom", "--size", "32"], quiet=True,
                 env=SERVER_ENV)


def registered_items():
    return prop(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems")


def item_prop(name):
    """A property of the one tray item registered with the watcher; None unless there is one."""
    items = registered_items()
    if len(items) != 1:
        return None
    return prop(items[0], "/StatusNotifierItem", ITEM_IFACE, name)


def dunstctl(*args):
    """Runs dunstctl; fails the test when it does."""
    subprocess.run(["dunstctl"] + list(args), check=True)


def dunst_count():
    """How many popups dunst shows now."""
    out = subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True)
    return int(out.stdout.strip() or -1)


class BusLog:
    """The session bus messages that match a rule, as dbus-monitor prints them."""

    def __init__(self, work_dir, name, match):
        self.path = os.path.join(work_dir, name)
        with open(self.path, "w") as log:
            spawn(["dbus-monitor", "--session", match], stdout=log, stderr=subprocess.DEVNULL)
        # The monitor prints the loss of its own name once it listens; before that a message
        # could pass unseen.
        check(wait_for(lambda: "NameLost" in self.text(), 10, 0.05), "dbus-monitor did not start")

    def text(self):
        # A handle of our own: sharing the writer's file offset would garble the log.
        with open(self.path, errors="replace") as f:
            return f.read()


class SentNotifications(BusLog):
    """Everything sent to the notification server."""

    def __init__(self, work_dir):
        super().__init__(work_dir, "notifications.log", "interface='%s'" % NOTIFICATIONS)


# How long a leak-sim holds its start size before it grows: a leak after a steady stretch is what
# the detector meets most; one from birth looks like a warm-up at first.
STEADY_S = 30


def leak_sim(name, rate_mib_s, duration_s):
    """A leak-sim that holds 64 MiB for STEADY_S, then grows (at most to 2 GiB, more than a test
    lets it reach), once it is ready: (process, pid).  Its growth starts STEADY_S from now."""
    proc = spawn([LEAK_SIM, "--name", name, "--start", "64", "--steady", str(STEADY_S),
                  "--rate", str(rate_mib_s), "--max", "2048", "--duration", str(duration_s)],
                 stdout=subprocess.PIPE,
                 # It leaks on purpose: a sanitizer's leak report would only be noise.
                 env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    line = proc.stdout.readline().decode()
    if not check(line.startswith("ready "), "leak-sim did not start: %r" % line):
        return proc, proc.pid
    return proc, int(line.split()[1])


def visible_windows(name="^memscope$"):
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                         capture_output=True, text=True)
    return out.stdout.split()


def run(main, tools=()):
    """Runs main() when every tool is installed, ends all children, exits 1 on any failure."""
    for tool in tools:
        if shutil.which(tool) is None:
            check(False, "%s is missing (build-aux/deps test installs it)" % tool)
    try:
        if not _failures:
            main()
    finally:
        for child in reversed(_children):
            stop(child)
    if _failures:
        print("%d check(s) failed" % len(_failures), file=sys.stderr)
        sys.exit(1)
    print("all checks passed")


class Sshd:
    """A real OpenSSH server on 127.0.0.1, run by tests/ms-sshd-run (tests/ms-sshd.h: keys,
    configuration and the sessions' PATH and cache in a temporary directory of its own, never the
    system's service or keys), its sessions' PATH holding `probe`.  `config` is the ssh client
    configuration (for MEMSCOPE_SSH_CONFIG) with the fixture's host aliases, `pid` the listener,
    `bare_cache` the cache of the alias whose sessions have no probe.  close() ends it."""

    def __init__(self, probe):
        self.proc = spawn([os.environ["MS_SSHD_RUN"], probe], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
        fields = {}
        for line in self.proc.stdout:
            key, _, value = line.rstrip("\n").partition(" ")
            if key == "ready":
                break
            fields[key] = value
        check("pid" in fields, "ms-sshd-run did not start sshd")
        self.config = fields.get("config")
        self.pid = int(fields.get("pid", "0"))
        self.bare_cache = fields.get("bare-cache")
        self.dir = fields.get("dir")

    def log(self):
        try:
            with open(os.path.join(self.dir, "sshd.log"), errors="replace") as f:
                return f.read()
        except (OSError, TypeError):
            return "(no sshd log)"

    def close(self):
        """End of input: the fixture ends sshd and removes its directory."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(30)
