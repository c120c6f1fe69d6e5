# SPDX-License-Identifier: MIT
"""Leak alerts against real servers: dunst for notifications, status-notifier-watcher and
gtk-sni-tray-standalone for the tray.  A scenario of the live group (run-live.py), under
build-aux/xvfb-session with MS_ALERTS_HARNESS (a windowless program that alerts like memscope in
the background), MS_LEAK_SIM and MEMSCOPE_ICON_THEME_PATH set."""

import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mslive  # noqa: E402
from mslive import (ITEM_IFACE, LEAKY_ESCAPED, LEAKY_NAME, STEADY_S, call, check,  # noqa: E402
                    dunst_count, dunstctl, leak_sim, prop, registered_items, spawn, start_dunst,
                    start_tray_bar, start_watcher, stop, wait_for, SentNotifications)
from gi.repository import GLib  # noqa: E402

HARNESS = os.environ["MS_ALERTS_HARNESS"]
DETECT_LIMIT_S = 60
LEAK_SIM_S = 150


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
    dunst = start_dunst()
    watcher = start_watcher()
    start_tray_bar()
    work = tempfile.TemporaryDirectory(prefix="memscope-alerts-")
    sent = SentNotifications(work.name)

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

    steady, steady_pid = leak_sim("steady-sim", 0, LEAK_SIM_S)
    leaky, leaky_pid = leak_sim(LEAKY_NAME, 8, LEAK_SIM_S)
    other, other_pid = leak_sim("leaky-two", 8, LEAK_SIM_S)
    # When they begin to grow.
    started = time.monotonic() + STEADY_S
    ids = {}
    while len(ids) < 2:
        left = DETECT_LIMIT_S - (time.monotonic() - started)
        match = out.wait(r"alert leak (\S+) (%d|%d)" % (leaky_pid, other_pid), left)
        if not check(match is not None, "%d of 2 leaks notified within %d s"
                     % (len(ids), DETECT_LIMIT_S)):
            return
        ids[int(match.group(2))] = match.group(1)
    print("note: leaks notified %.0f s after they began to grow" % (time.monotonic() - started),
          flush=True)
    check(wait_for(lambda: dunst_count() == 2, 5),
          "dunst displays %d notifications, want 2" % dunst_count())

    # What reached the server: the title plain, the name in the body escaped.
    text = sent.text()
    check('string "%s is leaking memory"' % LEAKY_NAME in text, "title not sent as plain text")
    check("string \"%s (pid %d) grows " % (LEAKY_ESCAPED, leaky_pid) in text,
          "body without the escaped name")
    check("<b>x" not in text.split("is leaking memory", 1)[-1].split("array [", 1)[0],
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
    dunstctl("action", "0")
    match = out.wait(r"inspect (%d|%d) \d+" % (leaky_pid, other_pid), 5)
    check(match is not None, "dunstctl action 0 did not inspect the process")
    clicked = int(match.group(1)) if match else leaky_pid
    unclicked = other_pid if clicked == leaky_pid else leaky_pid

    # The process whose popup is still up exits: the popup is withdrawn from the screen.
    before = dunst_count()
    stop(leaky if unclicked == leaky_pid else other)
    check(out.wait("withdraw %s" % re.escape(ids[unclicked]), 10) is not None,
          "the notification was not withdrawn when the process exited")
    check(wait_for(lambda: "member=CloseNotification" in sent.text(), 5),
          "no CloseNotification reached dunst")
    check(wait_for(lambda: dunst_count() == before - 1, 5),
          "dunst displays %d notifications, %d before the exit" % (dunst_count(), before))

    # A restarted watcher gets the item again.
    stop(watcher)
    check(out.wait("registered 0", 5) is not None, "the watcher's exit went unnoticed")
    watcher = start_watcher()
    check(out.wait("registered 1", 15) is not None, "not registered again with a new watcher")
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
    mslive.run(main, ("dunst", "dunstctl", "status-notifier-watcher", "gtk-sni-tray-standalone",
                      "dbus-monitor", "xdotool"))
