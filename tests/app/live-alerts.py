# SPDX-License-Identifier: MIT
"""Leak alerts against real servers: dunst for notifications, status-notifier-watcher and
gtk-sni-tray-standalone for the tray.  Runs under build-aux/xvfb-session with MS_ALERTS_HARNESS
(a windowless program that alerts like memscope in the background), MS_LEAK_SIM and
MEMSCOPE_ICON_THEME_PATH set."""

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

HARNESS = os.environ["MS_ALERTS_HARNESS"]
LEAK_SIM = os.environ["MS_LEAK_SIM"]
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_IFACE = "org.kde.StatusNotifierItem"
# Unique per run, so leak simulators of other test runs on the machine are not mistaken for it.
LEAKY_NAME = "<b>x&y-%d" % (os.getpid() % 100000)
LEAKY_ESCAPED = "&lt;b&gt;x&amp;y-%d" % (os.getpid() % 100000)
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


def bus_wait(name):
    subprocess.run(["gdbus", "wait", "--session", "--timeout", "10", name], check=True)


BUS = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def call(dest, path, iface, method, args=None, reply=None):
    return BUS.call_sync(dest, path, iface, method, args,
                         GLib.VariantType(reply) if reply else None,
                         Gio.DBusCallFlags.NONE, 5000, None).unpack()


def prop(dest, path, iface, name):
    return call(dest, path, "org.freedesktop.DBus.Properties", "Get",
                GLib.Variant("(ss)", (iface, name)), "(v)")[0]


def registered_items():
    return prop(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems")


class Lines:
    """Lines a child prints, read on a thread so waits can time out."""

    def __init__(self, stream):
        self.queue = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for raw in stream:
            self.queue.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self.queue.put(None)

    def wait(self, pattern, timeout_s):
        """The first line from now on matching the regex, or None at the timeout or the end."""
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.seen.append(line)
            match = re.fullmatch(pattern, line)
            if match:
                return match


def leak_sim(name, rate):
    proc = spawn([LEAK_SIM, "--name", name, "--start", "64", "--rate", str(rate), "--max", "1024",
                  "--duration", "150"], stdout=subprocess.PIPE,
                 env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    line = proc.stdout.readline().decode()
    assert line.startswith("ready "), line
    return proc, int(line.split()[1])


def dunst_count():
    out = subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True)
    return int(out.stdout.strip() or -1)


def menu_items(item):
    """(id, label) of every entry of the item's exported menu."""
    menu_path = prop(item, "/StatusNotifierItem", ITEM_IFACE, "Menu")
    _, layout = call(item, menu_path, "com.canonical.dbusmenu", "GetLayout",
                     GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))")
    found = []

    def walk(node):
        ident, props, kids = node
        if "label" in props:
            found.append((ident, props["label"]))
        for kid in kids:
            walk(kid)
    walk(layout)
    return menu_path, found


def click(item, menu_path, ident):
    call(item, menu_path, "com.canonical.dbusmenu", "Event",
         GLib.Variant("(isvu)", (ident, "clicked", GLib.Variant("i", 0), 0)))


def main():
    dunst = spawn(["dunst"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bus_wait("org.freedesktop.Notifications")
    watcher = spawn(["status-notifier-watcher"], stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
    bus_wait(WATCHER)
    spawn(["gtk-sni-tray-standalone", "--bottom", "--size", "32"], stdout=subprocess.DEVNULL,
          stderr=subprocess.DEVNULL)
    work = tempfile.TemporaryDirectory(prefix="memscope-alerts-")
    sent_path = os.path.join(work.name, "notifications.log")
    with open(sent_path, "w") as sent_file:
        spawn(["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'"],
              stdout=sent_file, stderr=subprocess.DEVNULL)
    time.sleep(0.5)

    def sent_text():
        # A handle of our own: sharing the writer's file offset would garble the log.
        with open(sent_path, errors="replace") as f:
            return f.read()

    harness = spawn([HARNESS], stdout=subprocess.PIPE,
                    env=dict(os.environ, MS_ALERTS_SIBLINGS_ONLY="1"))
    out = Lines(harness.stdout)
    check(out.wait("ready", 20) is not None, "the harness did not start")
    check(out.wait("registered 1", 10) is not None, "the item did not register with the watcher")
    items = registered_items()
    check(len(items) == 1, "watcher lists %r, want one item" % (items,))
    item = items[0] if items else ""
    # Registered under the unique name, so the item lives at the well-known path.
    check(item.startswith(":"), "registered as %r, not a unique name" % item)
    check(prop(item, "/StatusNotifierItem", ITEM_IFACE, "Status") == "Passive", "not Passive")
    check(prop(item, "/StatusNotifierItem", ITEM_IFACE, "Category") == "SystemServices",
          "wrong Category")
    check(prop(item, "/StatusNotifierItem", ITEM_IFACE, "IconName").endswith("-tray-symbolic"),
          "wrong IconName")
    check(prop(item, "/StatusNotifierItem", ITEM_IFACE, "AttentionIconName")
          .endswith("-tray-attention-symbolic"), "wrong AttentionIconName")

    # A click on the icon in the tray bar (the bottom 32 pixels of the screen) activates it.
    clicked = False
    for _ in range(10):
        subprocess.run(["xdotool", "mousemove", "16", "784", "click", "1"], check=False)
        if out.wait("activate", 1) is not None:
            clicked = True
            break
    check(clicked, "a click on the tray icon did not activate the item")

    steady, steady_pid = leak_sim("steady-sim", 0)
    leaky, leaky_pid = leak_sim(LEAKY_NAME, 8)
    other, other_pid = leak_sim("leaky-two", 8)
    started = time.monotonic()
    ids = {}
    while len(ids) < 2:
        left = DETECT_LIMIT_S - (time.monotonic() - started)
        match = out.wait(r"alert leak (\S+) (%d|%d)" % (leaky_pid, other_pid), left)
        if not check(match is not None, "%d of 2 leaks notified within %d s"
                     % (len(ids), DETECT_LIMIT_S)):
            return
        ids[int(match.group(2))] = match.group(1)
    print("leaks notified after %.0f s" % (time.monotonic() - started), flush=True)
    time.sleep(0.5)
    check(dunst_count() == 2, "dunst displays %d notifications, want 2" % dunst_count())

    # What reached the server: the title plain, the name in the body escaped.
    sent = sent_text()
    check('string "%s is leaking memory"' % LEAKY_NAME in sent, "title not sent as plain text")
    check("string \"%s (pid %d) grows " % (LEAKY_ESCAPED, leaky_pid) in sent,
          "body without the escaped name")
    check("<b>x" not in sent.split("is leaking memory", 1)[-1].split("array [", 1)[0],
          "the raw name reached the body")

    status = prop(item, "/StatusNotifierItem", ITEM_IFACE, "Status")
    check(status == "NeedsAttention", "Status %s during the leak" % status)
    tooltip = prop(item, "/StatusNotifierItem", ITEM_IFACE, "ToolTip")
    check("%s (pid %d) grows" % (LEAKY_ESCAPED, leaky_pid) in tooltip[3],
          "ToolTip %r does not name the leak" % (tooltip,))

    menu_path, labels = menu_items(item)
    texts = [label for _, label in labels]
    for want in ("Show memscope", "Pause alerts for an hour", "Quit"):
        check(want in texts, "menu %r lacks %r" % (texts, want))
    inspect_items = [ident for ident, label in labels if label.startswith("Inspect " + LEAKY_NAME)]
    if check(len(inspect_items) == 1, "menu %r does not list the leak" % (texts,)):
        click(item, menu_path, inspect_items[0])
        check(out.wait(r"inspect %d \d+" % leaky_pid, 5) is not None,
              "the menu entry did not inspect the process")

    # Clicking a popup's default action inspects its process (and dunst closes that popup).
    subprocess.run(["dunstctl", "action", "0"], check=True)
    match = out.wait(r"inspect (%d|%d) \d+" % (leaky_pid, other_pid), 5)
    check(match is not None, "dunstctl action 0 did not inspect the process")
    clicked = int(match.group(1)) if match else leaky_pid
    unclicked = other_pid if clicked == leaky_pid else leaky_pid

    # The process whose popup is still up exits: the popup is withdrawn from the screen.
    before = dunst_count()
    stop(leaky if unclicked == leaky_pid else other)
    check(out.wait("withdraw %s" % re.escape(ids[unclicked]), 10) is not None,
          "the notification was not withdrawn when the process exited")
    time.sleep(0.5)
    check("member=CloseNotification" in sent_text(), "no CloseNotification reached dunst")
    check(dunst_count() == before - 1,
          "dunst displays %d notifications, %d before the exit" % (dunst_count(), before))

    # A restarted watcher gets the item again.
    stop(watcher)
    check(out.wait("registered 0", 5) is not None, "the watcher's exit went unnoticed")
    watcher = spawn(["status-notifier-watcher"], stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
    check(out.wait("registered 1", 15) is not None, "not registered again with a new watcher")
    bus_wait(WATCHER)
    check(registered_items() == [item], "new watcher lists %r" % (registered_items(),))

    # The last leaking process exits: the tray quiets down.
    stop(leaky if clicked == leaky_pid else other)
    check(out.wait("withdraw %s" % re.escape(ids[clicked]), 10) is not None,
          "no withdrawal when the clicked process exited")
    status = prop(item, "/StatusNotifierItem", ITEM_IFACE, "Status")
    check(status == "Passive", "Status %s after the process exited" % status)

    # The steady one was watched all along and never notified.
    check(not any(line.startswith("alert ") and line.endswith(" %d" % steady_pid)
                  for line in out.seen), "a steady process was notified")
    stop(steady)

    # Quit from the tray menu ends the program.
    menu_path, labels = menu_items(item)
    quit_ids = [ident for ident, label in labels if label == "Quit"]
    if check(len(quit_ids) == 1, "no Quit entry"):
        click(item, menu_path, quit_ids[0])
        check(out.wait("quit", 5) is not None, "Quit from the menu did nothing")
        try:
            check(harness.wait(10) == 0, "the harness exited with %s" % harness.returncode)
        except subprocess.TimeoutExpired:
            check(False, "the harness kept running after Quit")
    stop(dunst)


if __name__ == "__main__":
    for tool in ("dunst", "dunstctl", "status-notifier-watcher", "gtk-sni-tray-standalone",
                 "dbus-monitor"):
        if shutil.which(tool) is None:
            check(False, "%s is missing (build-aux/deps test installs it)" % tool)
    try:
        if not failures:
            main()
    finally:
        for child in reversed(children):
            stop(child)
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
