# SPDX-License-Identifier: MIT
"""One popup per leak: memscope --background watches a 4 MiB/s leak-sim while dunst expires each
popup after 5 s, so a re-sent notification (even as an update of the same id) would pop up again.
From the first popup on it watches long enough for the old 60 s refresh to have re-sent it, then
counts what was sent (dbus-monitor) and what dunst showed (its history and what it displays): one
popup about the leak, and none about memscope itself.  Runs under build-aux/xvfb-session with
MS_MEMSCOPE and MS_LEAK_SIM set."""

import json
import os
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mslive  # noqa: E402
from mslive import (LEAKY_NAME, STEADY_S, SentNotifications, check, leak_sim,  # noqa: E402
                    spawn, start_dunst, wait_for)

MEMSCOPE = os.environ["MS_MEMSCOPE"]
DETECT_LIMIT_S = 60
# Past the 60 s at which the old policy re-sent its popup, within the group's budget.
WATCH_S = 65
TITLE = "%s is leaking memory" % LEAKY_NAME


def dunst_summaries():
    """Summaries of every popup dunst has shown: closed ones (history) and those still up."""
    subprocess.run(["dunstctl", "close-all"], check=False)
    # close-all moves the displayed popups to the history.
    out = subprocess.run(["dunstctl", "history"], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    entries = data.get("data", [[]])[0]
    return [e.get("summary", {}).get("data", "") for e in entries]


def main():
    work = tempfile.TemporaryDirectory(prefix="memscope-one-popup-")
    start_dunst("[global]\n    idle_threshold = 0\n"
                "[urgency_low]\n    timeout = 5\n"
                "[urgency_normal]\n    timeout = 5\n"
                "[urgency_critical]\n    timeout = 5\n")
    sent = SentNotifications(work.name)

    env = dict(os.environ, GSETTINGS_BACKEND="memory")
    spawn([MEMSCOPE, "--background"], env=env, stdout=subprocess.DEVNULL,
          stderr=subprocess.DEVNULL)
    check(wait_for(lambda: "memscope is running in the background" in sent.text(), 20),
          "no notice on going to the background")

    leak_sim(LEAKY_NAME, 4, STEADY_S + DETECT_LIMIT_S + WATCH_S + 30)
    started = time.monotonic() + STEADY_S
    marker = 'string "%s"' % TITLE
    if not check(wait_for(lambda: marker in sent.text(), STEADY_S + DETECT_LIMIT_S, 0.5),
                 "no leak popup within %d s of the growth" % DETECT_LIMIT_S):
        return
    print("note: leak popup %.0f s after it began to grow" % (time.monotonic() - started),
          flush=True)
    time.sleep(WATCH_S)  # the duration watched is the measurement itself, not a wait for a state

    n_sent = sent.text().count(marker)
    summaries = dunst_summaries()
    n_shown = sum(1 for s in summaries if s == TITLE)
    about_self = [s for s in summaries if s.startswith("memscope is leaking")]
    print("note: %d Notify call(s) for the leak, %d popup(s) in dunst over %d s"
          % (n_sent, n_shown, WATCH_S), flush=True)
    check(n_sent == 1, "the leak's notification was sent %d times, want once" % n_sent)
    check(n_shown == 1, "dunst showed %d popups for the leak, want 1: %r" % (n_shown, summaries))
    check(not about_self, "popups about memscope itself: %r" % about_self)


if __name__ == "__main__":
    mslive.run(main, ("dunst", "dunstctl", "dbus-monitor"))
