# SPDX-License-Identifier: MIT
"""Leak alerts of the application itself (memscope --background: its own sampler, detector,
alerts controller, notifier and tray) against real servers: dunst for notifications,
status-notifier-watcher and gtk-sni-tray-standalone for the tray.  What memscope does is read
from what reached the servers (dbus-monitor, the watcher, the item's properties and menu) and
from its debug log.  A scenario of the live group (run-live.py), under build-aux/xvfb-session
with MS_MEMSCOPE (memscope in its build tree, where it finds its icons) and MS_LEAK_SIM set."""

import os
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mslive  # noqa: E402
from mslive import (ITEM_IFACE, LEAKY_ESCAPED, LEAKY_NAME, STEADY_S, BusLog, call,  # noqa: E402
                    check, dunst_count, leak_sim, prop, registered_items, spawn, start_dunst,
                    start_tray_bar, start_watcher, stop, visible_windows, wait_for,
                    SentNotifications)
from gi.repository import GLib  # noqa: E402

MEMSCOPE = os.environ["MS_MEMSCOPE"]
DETECT_LIMIT_S = 60
LEAK_SIM_S = 150
OTHER_NAME = "leaky-two"


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
    new_icons = BusLog(work.name, "new-icon.log",
                       "type='signal',interface='%s',member='NewIcon'" % ITEM_IFACE)

    log_path = os.path.join(work.name, "memscope.log")
    with open(log_path, "w") as log:
        # GLib writes debug messages to stdout.
        app = spawn([MEMSCOPE, "--background"], stdout=log, stderr=subprocess.STDOUT,
                    env=dict(os.environ, GSETTINGS_BACKEND="memory",
                             MEMSCOPE_STATE_DIR=os.path.join(work.name, "state"),
                             G_MESSAGES_DEBUG="memscope"))

    def log_count(text):
        with open(log_path, errors="replace") as f:
            return f.read().count(text)

    def sent_count(text):
        return sent.text().count(text)

    check(wait_for(lambda: "memscope is running in the background" in sent.text(), 20),
          "memscope --background did not start")
    # Out of the way: the popups counted below are the leaks'.
    subprocess.run(["dunstctl", "close-all"], check=False)
    check(wait_for(lambda: len(registered_items()) == 1, 10),
          "the item did not register with the watcher")
    items = registered_items()
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
    # Any host can show it: by name from the theme path (the build tree's own icons, as memscope
    # runs from there, with nothing set to say so), or from the pixmaps.
    theme_path = prop(item, "/StatusNotifierItem", ITEM_IFACE, "IconThemePath")
    for name in ("IconName", "AttentionIconName"):
        icon = prop(item, "/StatusNotifierItem", ITEM_IFACE, name)
        check(os.path.isfile(os.path.join(theme_path, "hicolor", "symbolic", "apps",
                                          icon + ".svg")),
              "IconThemePath %r does not hold %s %r" % (theme_path, name, icon))
    for name in ("IconPixmap", "AttentionIconPixmap"):
        pixmaps = prop(item, "/StatusNotifierItem", ITEM_IFACE, name)
        sizes = [(w, h, len(data)) for w, h, data in pixmaps]
        check(len(sizes) > 0 and all(w in (16, 22, 32, 48) and h == w and n == w * h * 4
                                     for w, h, n in sizes), "%s sizes %r" % (name, sizes))

    # A click on the icon in the tray bar (the bottom 32 pixels of the screen) shows the window;
    # activating the item again hides it, and memscope goes on in the background.
    clicked = False
    for _ in range(10):
        subprocess.run(["xdotool", "mousemove", "16", "784", "click", "1"], check=False)
        if wait_for(lambda: visible_windows() != [], 1):
            clicked = True
            break
    check(clicked, "a click on the tray icon did not show the window")
    call(item, "/StatusNotifierItem", ITEM_IFACE, "Activate", GLib.Variant("(ii)", (0, 0)))
    check(wait_for(lambda: visible_windows() == [], 10), "activating the item did not hide it")

    steady, steady_pid = leak_sim("steady-sim", 0, LEAK_SIM_S)
    leaky, leaky_pid = leak_sim(LEAKY_NAME, 8, LEAK_SIM_S)
    other, other_pid = leak_sim(OTHER_NAME, 8, LEAK_SIM_S)
    # When they begin to grow.
    started = time.monotonic() + STEADY_S
    titles = ['string "%s is leaking memory"' % name for name in (LEAKY_NAME, OTHER_NAME)]
    if not check(wait_for(lambda: all(t in sent.text() for t in titles),
                          STEADY_S + DETECT_LIMIT_S, 0.5),
                 "both leaks not notified within %d s of their growth" % DETECT_LIMIT_S):
        return
    print("note: leaks notified %.0f s after they began to grow" % (time.monotonic() - started),
          flush=True)
    check(wait_for(lambda: dunst_count() == 2, 5),
          "dunst displays %d notifications, want 2" % dunst_count())

    # What reached the server: the title plain, the name in the body escaped.
    text = sent.text()
    check("string \"%s (pid %d) grows " % (LEAKY_ESCAPED, leaky_pid) in text,
          "body without the escaped name")
    check("<b>x" not in text.split("is leaking memory", 1)[-1].split("array [", 1)[0],
          "the raw name reached the body")

    status = prop(item, "/StatusNotifierItem", ITEM_IFACE, "Status")
    check(status == "NeedsAttention", "Status %s during the leak" % status)
    # The icon itself changes, for hosts that ignore the status, and the host is told.
    icon = prop(item, "/StatusNotifierItem", ITEM_IFACE, "IconName")
    check(icon.endswith("-tray-attention-symbolic"), "IconName %r during the leak" % icon)
    check(wait_for(lambda: new_icons.text().count("member=NewIcon") == 1, 5),
          "%d NewIcon signals when the leak began, want 1"
          % new_icons.text().count("member=NewIcon"))
    tooltip = prop(item, "/StatusNotifierItem", ITEM_IFACE, "ToolTip")
    check("%s (pid %d) grows" % (LEAKY_ESCAPED, leaky_pid) in tooltip[3],
          "ToolTip %r does not name the leak" % (tooltip,))

    # Clicking a popup's default action inspects its process (and dunst closes that popup).
    names = {leaky_pid: LEAKY_NAME, other_pid: OTHER_NAME}
    subprocess.run(["dunstctl", "action", "0"], check=True)
    check(wait_for(lambda: any(log_count("Inspecting process %d " % pid) == 1 for pid in names),
                   15), "dunstctl action 0 did not inspect the process")
    clicked = leaky_pid if log_count("Inspecting process %d " % leaky_pid) else other_pid
    unclicked = other_pid if clicked == leaky_pid else leaky_pid
    check(wait_for(lambda: visible_windows() != [], 10), "the action showed no window")
    # Hidden again, so the next inspection is the menu's.
    call(item, "/StatusNotifierItem", ITEM_IFACE, "Activate", GLib.Variant("(ii)", (0, 0)))
    check(wait_for(lambda: visible_windows() == [], 10), "activating the item did not hide it")

    # The process whose popup is still up exits: the popup is withdrawn from the screen.
    check(wait_for(lambda: dunst_count() == 1, 5),
          "dunst displays %d notifications after the action, want 1" % dunst_count())
    closes = sent_count("member=CloseNotification")
    stop(leaky if unclicked == leaky_pid else other)
    check(wait_for(lambda: sent_count("member=CloseNotification") > closes, 10),
          "no CloseNotification reached dunst when the process exited")
    check(wait_for(lambda: dunst_count() == 0, 5),
          "dunst displays %d notifications after the exit, want 0" % dunst_count())

    # The menu lists the leak that goes on; its entry inspects it.
    menu_path, labels = menu_items(item)
    texts = [label for _, label in labels]
    for want in ("Show memscope", "Pause alerts for an hour", "Quit"):
        check(want in texts, "menu %r lacks %r" % (texts, want))
    check(not any(label.startswith("Inspect " + names[unclicked]) for label in texts),
          "menu %r still lists the process that exited" % (texts,))
    inspect_items = [ident for ident, label in labels
                     if label.startswith("Inspect " + names[clicked])]
    if check(len(inspect_items) == 1, "menu %r does not list the leak" % (texts,)):
        click(item, menu_path, inspect_items[0])
        check(wait_for(lambda: log_count("Inspecting process %d " % clicked) == 2, 15),
              "the menu entry did not inspect the process")
        check(wait_for(lambda: visible_windows() != [], 10),
              "inspecting from the menu showed no window")

    # A restarted watcher gets the item again.
    went = "The StatusNotifierWatcher went away"
    registered = "Tray item registered with the StatusNotifierWatcher"
    n_registered = log_count(registered)
    stop(watcher)
    check(wait_for(lambda: log_count(went) == 1, 5), "the watcher's exit went unnoticed")
    watcher = start_watcher()
    check(wait_for(lambda: log_count(registered) > n_registered, 15),
          "not registered again with a new watcher")
    check(wait_for(lambda: registered_items() == [item], 5),
          "new watcher lists %r" % (registered_items(),))

    # The last leaking process exits: the tray quiets down.
    stop(leaky if clicked == leaky_pid else other)
    check(wait_for(lambda: prop(item, "/StatusNotifierItem", ITEM_IFACE, "Status") == "Passive",
                   10), "the tray still asks for attention after the leaks exited")
    icon = prop(item, "/StatusNotifierItem", ITEM_IFACE, "IconName")
    check(icon.endswith("-tray-symbolic") and "attention" not in icon,
          "IconName %r after the leaks exited" % icon)
    check(wait_for(lambda: new_icons.text().count("member=NewIcon") == 2, 5),
          "%d NewIcon signals after the leaks exited, want 2"
          % new_icons.text().count("member=NewIcon"))

    # The steady one was watched all along and never notified.
    check("steady-sim is leaking" not in sent.text(), "a steady process was notified")
    stop(steady)

    # Quit from the tray menu ends memscope.
    menu_path, labels = menu_items(item)
    quit_ids = [ident for ident, label in labels if label == "Quit"]
    if check(len(quit_ids) == 1, "no Quit entry"):
        click(item, menu_path, quit_ids[0])
        try:
            check(app.wait(15) == 0, "memscope exited with %s after Quit" % app.returncode)
        except subprocess.TimeoutExpired:
            check(False, "memscope kept running after Quit from the tray menu")
    stop(dunst)


if __name__ == "__main__":
    mslive.run(main, ("dunst", "dunstctl", "status-notifier-watcher", "gtk-sni-tray-standalone",
                      "dbus-monitor", "xdotool"))
