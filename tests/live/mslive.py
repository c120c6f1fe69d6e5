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


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SSHD = shutil.which("sshd", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", ""))


class Sshd:
    """A real OpenSSH server on 127.0.0.1 at a free port, with a host key and a client key made in
    a temporary directory (never the system's service or keys); `path` is the PATH its sessions
    get (the "remote" side is this machine), XDG_CACHE_HOME a directory of its own.  `config` is
    an ssh client configuration (for MEMSCOPE_SSH_CONFIG) whose hosts are:
      live-remote    this server, everything right
      live-badkey    this server with another key recorded for it
      live-unknown   this server with no key recorded
      live-refused   this server, logging in with a key it does not accept
      live-closed    a port nothing listens on
    With another `name`, the hosts are NAME-remote and so on, in a directory of its own."""

    def __init__(self, work_dir, path, name="live"):
        self.dir = os.path.join(work_dir, "sshd-" + name)
        os.makedirs(self.dir)
        self.cache = os.path.join(self.dir, "cache")
        os.makedirs(self.cache)
        for key in ("host_key", "user_key", "stranger_key", "other_host_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key,
                            "-f", os.path.join(self.dir, key)], check=True)
        shutil.copy(os.path.join(self.dir, "user_key.pub"),
                    os.path.join(self.dir, "authorized_keys"))
        self.port = free_port()
        conf = os.path.join(self.dir, "sshd_config")
        with open(conf, "w") as f:
            f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s/host_key\n"
                    "AuthorizedKeysFile %s/authorized_keys\nPidFile %s/sshd.pid\n"
                    "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                    # Quoted: the checkout's path (in PATH) may hold spaces.
                    "SetEnv \"PATH=%s\" \"XDG_CACHE_HOME=%s\"\n"
                    % (self.port, self.dir, self.dir, self.dir, path, self.cache))
        # sshd run by root wants its privilege separation directory, which the service unit
        # would have made.
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        # -D: it stays in the foreground, a child of the test, and is ended with it.
        self.proc = spawn([SSHD, "-D", "-e", "-f", conf],
                          stdout=subprocess.DEVNULL,
                          stderr=open(os.path.join(self.dir, "sshd.log"), "w"),
                          env=SERVER_ENV)

        def pub(name):
            with open(os.path.join(self.dir, name + ".pub")) as f:
                return " ".join(f.read().split()[:2])
        hostname = "[127.0.0.1]:%d" % self.port
        for hosts_file, key in (("known_hosts", "host_key"), ("wrong_hosts", "other_host_key")):
            with open(os.path.join(self.dir, hosts_file), "w") as f:
                f.write("%s %s\n" % (hostname, pub(key)))
        open(os.path.join(self.dir, "no_hosts"), "w").close()
        self.config = os.path.join(self.dir, "ssh_config")
        closed = free_port()
        user = os.environ.get("USER") or __import__("pwd").getpwuid(os.getuid()).pw_name
        with open(self.config, "w") as f:
            for host, port, key, hosts in (
                    (name + "-remote", self.port, "user_key", "known_hosts"),
                    (name + "-badkey", self.port, "user_key", "wrong_hosts"),
                    (name + "-unknown", self.port, "user_key", "no_hosts"),
                    (name + "-refused", self.port, "stranger_key", "known_hosts"),
                    (name + "-closed", closed, "user_key", "known_hosts")):
                f.write("Host %s\n  HostName 127.0.0.1\n  Port %d\n  User %s\n"
                        "  IdentityFile %s/%s\n  IdentitiesOnly yes\n  IdentityAgent none\n"
                        "  UserKnownHostsFile %s/%s\n  GlobalKnownHostsFile /dev/null\n"
                        "  StrictHostKeyChecking yes\n"
                        # The cheapest key exchange: a loaded test machine connects sooner.
                        "  KexAlgorithms curve25519-sha256\n"
                        % (host, port, user, self.dir, key, self.dir, hosts))
        check(wait_for(self.ready, 15, 0.1), "sshd did not start: %s" % self.log())

    def ready(self):
        """Whether it listens (the checks' first connection shows whether it lets in)."""
        import socket
        if self.proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def log(self):
        with open(os.path.join(self.dir, "sshd.log"), errors="replace") as f:
            return f.read()
