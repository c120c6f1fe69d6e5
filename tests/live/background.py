# SPDX-License-Identifier: MIT
"""memscope --background against a real notification server (dunst): no window is mapped, the
first time it says how to get back, a leak is still notified, the notification's action opens
the window with the panel on that process (memscope logs the process it inspects), the tray
item asks for attention and toggles the window, Ignore stores the program and quiets the tray,
and Ctrl+Q quits.  A scenario of the live group (run-live.py), under build-aux/xvfb-session with
MS_MEMSCOPE and MS_LEAK_SIM set."""

import os
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mslive  # noqa: E402
from mslive import (ITEM_IFACE, LEAKY_NAME, STEADY_S, call, check, dunst_count,  # noqa: E402
                    dunstctl, item_prop, leak_sim, registered_items, spawn, start_dunst,
                    start_watcher, stop, visible_windows, wait_for, SentNotifications)
from gi.repository import GLib  # noqa: E402

MEMSCOPE = os.environ["MS_MEMSCOPE"]
LEAK_SIM = os.environ["MS_LEAK_SIM"]
APP_ID = "io.github.memscope.Memscope"
DETECT_LIMIT_S = 60


def activate_item():
    call(registered_items()[0], "/StatusNotifierItem", ITEM_IFACE, "Activate",
         GLib.Variant("(ii)", (0, 0)))


def main():
    start_dunst()
    work = tempfile.TemporaryDirectory(prefix="memscope-background-")
    sent = SentNotifications(work.name)
    start_watcher()

    env = dict(os.environ, GSETTINGS_BACKEND="memory", G_MESSAGES_DEBUG="memscope")
    log_path = os.path.join(work.name, "memscope.log")
    with open(log_path, "w") as log:
        # GLib writes debug messages to stdout.
        app = spawn([MEMSCOPE, "--background"], env=env, stdout=log, stderr=subprocess.STDOUT)

    def log_text():
        with open(log_path, errors="replace") as f:
            return f.read()

    check(wait_for(lambda: "memscope is running in the background" in sent.text(), 20),
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

    leaky, leaky_pid = leak_sim(LEAKY_NAME, 8, 150)
    # When it begins to grow.
    started = time.monotonic() + STEADY_S
    title = 'string "%s is leaking memory"' % LEAKY_NAME
    if not check(wait_for(lambda: title in sent.text(), STEADY_S + DETECT_LIMIT_S, 0.5),
                 "no leak notification within %d s of the growth in the background"
                 % DETECT_LIMIT_S):
        print("# memscope's log:\n" + log_text()[-3000:], flush=True)
        return
    print("note: leak notified %.0f s after it began to grow, in the background"
          % (time.monotonic() - started), flush=True)
    check(visible_windows() == [], "alerting mapped a window")
    check(item_prop("Status") == "NeedsAttention", "the tray item does not ask for attention")

    # The notification's default action opens the window with that process inspected.
    check(wait_for(lambda: dunst_count() >= 1, 10), "dunst shows no popup for the leak")
    dunstctl("action", "0")
    check(wait_for(lambda: visible_windows() != [], 15), "the action mapped no window")
    inspected = "Inspecting process %d " % leaky_pid
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
    with open("/proc/%d/stat" % leaky_pid) as f:
        starttime = int(f.read().rsplit(")", 1)[1].split()[19])
    subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID,
                    "--object-path", "/" + APP_ID.replace(".", "/"),
                    "--method", "org.gtk.Actions.Activate", "ignore-process",
                    "[<(%d, uint64 %d)>]" % (leaky_pid, starttime), "{}"],
                   check=True, stdout=subprocess.DEVNULL)
    exe = os.path.realpath(LEAK_SIM)
    check(wait_for(lambda: "Ignoring %s from now on" % exe in log_text(), 10),
          "Ignore did not store the program's executable path")
    # The test runs on this machine's real /proc: another process may be leaking too, so the
    # tray may rightly stay NeedsAttention; what must go is the ignored program.
    def ignored_gone():
        tooltip = item_prop("ToolTip")
        return item_prop("Status") == "Passive" or (
            tooltip is not None and "(pid %d)" % leaky_pid not in tooltip[3])
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
    mslive.run(main, ("dunst", "dunstctl", "status-notifier-watcher", "dbus-monitor", "xdotool",
                      "gdbus"))
