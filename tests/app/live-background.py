# SPDX-License-Identifier: MIT
"""memscope --background against a real notification server (dunst): no window is mapped, the
first time it says how to get back, a leak is still notified, the notification's action opens
the window with the panel on that process (memscope logs the process it inspects), the tray
item asks for attention and toggles the window, Ignore stores the program and quiets the tray,
and Ctrl+Q quits.  Runs under build-aux/xvfb-session with MS_MEMSCOPE and
MS_LEAK_SIM set."""

import os
import signal
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

MEMSCOPE = os.environ["MS_MEMSCOPE"]
LEAK_SIM = os.environ["MS_LEAK_SIM"]
APP_ID = "io.github.memscope.Memscope"
# Unique per run, so leak simulators of other test runs on the machine are not mistaken for it.
LEAKY_NAME = "<b>x&y-%d" % (os.getpid() % 100000)
DETECT_LIMIT_S = 60

failures = []
children = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr, flush=True)
    return condition


def spawn(args, **kwargs):
    proc = subprocess.Popen(args, **kwargs)
    children.append(proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def visible_windows():
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^memscope$"],
                         capture_output=True, text=True)
    return out.stdout.split()


def wait_for(predicate, timeout_s, step_s=0.25):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()


def item_prop(name):
    """A property of the tray item memscope registered with the watcher."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def get(dest, path, iface, prop):
        return bus.call_sync(dest, path, "org.freedesktop.DBus.Properties", "Get",
                             GLib.Variant("(ss)", (iface, prop)), GLib.VariantType("(v)"),
                             Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
    items = get("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                "org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems")
    if len(items) != 1:
        return None
    return get(items[0], "/StatusNotifierItem", "org.kde.StatusNotifierItem", name)


def activate_item():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    items = bus.call_sync("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                          "org.freedesktop.DBus.Properties", "Get",
                          GLib.Variant("(ss)", ("org.kde.StatusNotifierWatcher",
                                                "RegisteredStatusNotifierItems")),
                          GLib.VariantType("(v)"), Gio.DBusCallFlags.NONE, 5000,
                          None).unpack()[0]
    bus.call_sync(items[0], "/StatusNotifierItem", "org.kde.StatusNotifierItem", "Activate",
                  GLib.Variant("(ii)", (0, 0)), None, Gio.DBusCallFlags.NONE, 5000, None)


def main():
    spawn(["dunst"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["gdbus", "wait", "--session", "--timeout", "10",
                    "org.freedesktop.Notifications"], check=True)
    work = tempfile.TemporaryDirectory(prefix="memscope-background-")
    sent_path = os.path.join(work.name, "notifications.log")
    with open(sent_path, "w") as sent:
        spawn(["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'"],
              stdout=sent, stderr=subprocess.DEVNULL)
    time.sleep(0.5)

    def sent_text():
        # A handle of our own: sharing the writer's file offset would garble the log.
        with open(sent_path, errors="replace") as f:
            return f.read()

    spawn(["status-notifier-watcher"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["gdbus", "wait", "--session", "--timeout", "10",
                    "org.kde.StatusNotifierWatcher"], check=True)

    env = dict(os.environ, GSETTINGS_BACKEND="memory", G_MESSAGES_DEBUG="memscope")
    log_path = os.path.join(work.name, "memscope.log")
    with open(log_path, "w") as log:
        # GLib writes debug messages to stdout.
        app = spawn([MEMSCOPE, "--background"], env=env, stdout=log, stderr=subprocess.STDOUT)

    def log_text():
        with open(log_path, errors="replace") as f:
            return f.read()

    check(wait_for(lambda: "memscope is running in the background" in sent_text(), 20),
          "no notice on going to the background")
    check(app.poll() is None, "memscope --background did not keep running")
    check(visible_windows() == [], "a window was mapped in background mode")
    # Out of the way, so the action clicked below is the leak's.
    subprocess.run(["dunstctl", "close-all"], check=False)

    # Launching it again in the background changes nothing.
    again = subprocess.run([MEMSCOPE, "--background"], env=env, timeout=20,
                           stderr=subprocess.DEVNULL)
    check(again.returncode == 0, "a second --background exited with %d" % again.returncode)
    check(visible_windows() == [], "a second --background mapped a window")

    leaky = spawn([LEAK_SIM, "--name", LEAKY_NAME, "--start", "64", "--rate", "8", "--max",
                   "1024", "--duration", "120"], stdout=subprocess.PIPE,
                  env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    line = leaky.stdout.readline().decode()
    check(line.startswith("ready "), "leak-sim did not start: %r" % line)
    started = time.monotonic()
    title = 'string "%s is leaking memory"' % LEAKY_NAME
    if not check(wait_for(lambda: title in sent_text(), DETECT_LIMIT_S, 0.5),
                 "no leak notification within %d s in the background" % DETECT_LIMIT_S):
        return
    print("leak notified after %.0f s in the background" % (time.monotonic() - started),
          flush=True)
    check(visible_windows() == [], "alerting mapped a window")
    check(item_prop("Status") == "NeedsAttention", "the tray item does not ask for attention")

    # The notification's default action opens the window with that process inspected.
    time.sleep(0.5)
    subprocess.run(["dunstctl", "action", "0"], check=True)
    check(wait_for(lambda: visible_windows() != [], 15), "the action mapped no window")
    inspected = "Inspecting process %d " % leaky.pid
    if not check(wait_for(lambda: inspected in log_text(), 20),
                 "the action did not open the panel on the leaking process"):
        print("# memscope's log:\n" + log_text()[-3000:], flush=True)

    # The tray icon toggles the window; memscope keeps running while it is hidden.
    activate_item()
    check(wait_for(lambda: visible_windows() == [], 10), "the tray icon did not hide the window")
    check(app.poll() is None, "memscope quit when the tray hid its window")
    activate_item()
    check(wait_for(lambda: visible_windows() != [], 10), "the tray icon did not show the window")

    # The notification's Ignore button (the same app action, called as the server would) stores
    # the program's executable path.
    with open("/proc/%d/stat" % leaky.pid) as f:
        starttime = int(f.read().rsplit(")", 1)[1].split()[19])
    subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID,
                    "--object-path", "/" + APP_ID.replace(".", "/"),
                    "--method", "org.gtk.Actions.Activate", "ignore-process",
                    "[<(%d, uint64 %d)>]" % (leaky.pid, starttime), "{}"],
                   check=True, stdout=subprocess.DEVNULL)
    exe = os.path.realpath(LEAK_SIM)
    check(wait_for(lambda: "Ignoring %s from now on" % exe in log_text(), 10),
          "Ignore did not store the program's executable path")
    # The test runs on this machine's real /proc: another process may be leaking too, so the
    # tray may rightly stay NeedsAttention; what must go is the ignored program.
    def ignored_gone():
        tooltip = item_prop("ToolTip")
        return item_prop("Status") == "Passive" or (
            tooltip is not None and "(pid %d)" % leaky.pid not in tooltip[3])
    if not check(wait_for(ignored_gone, 10),
                 "the tray still asks for attention for an ignored program"):
        print("# tray: %r %r" % (item_prop("Status"), item_prop("ToolTip")), flush=True)
    stop(leaky)

    # Ctrl+Q quits for real, although starting in the background holds the application.
    windows = visible_windows()
    if check(len(windows) == 1, "%d windows, want 1" % len(windows)):
        subprocess.run(["xdotool", "windowfocus", "--sync", windows[0]], check=False)
        subprocess.run(["xdotool", "key", "--window", windows[0], "ctrl+q"], check=False)
        try:
            check(app.wait(15) == 0, "memscope exited with %s after Ctrl+Q" % app.returncode)
        except subprocess.TimeoutExpired:
            check(False, "memscope kept running after Ctrl+Q")


if __name__ == "__main__":
    try:
        main()
    finally:
        for child in reversed(children):
            stop(child)
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
