#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The live group: scenarios that watch real processes against real servers for tens of seconds,
started all at once and reported as TAP subtests, so their waits overlap instead of adding up.

Every memscope a scenario starts reads the whole /proc, so scenarios running side by side would
see each other's leaking simulators (an extra popup, a summary where one popup was expected).
Each scenario therefore runs in a PID namespace of its own with its own /proc (unshare, as root
or in a user namespace; tests/live/nsinit.py is its process 1).  Where neither is allowed the
scenarios run one after another, each with the group's budget.

A scenario is a program that exits 0 when every check passed and prints "FAIL: ..." lines to
stderr for the checks that did not; lines it prints that begin with "note: " (how long a
detection took, say) are shown as TAP comments whether it passed or not.  Each runs in its own process group (and, where it needs a
desktop, in its own X display and session bus through build-aux/xvfb-session), with its output
kept in a log that is printed when it fails.  The group's budget is GROUP_BUDGET_S of wall time
for all of them together (tests/README.md): a scenario still running at the deadline is ended and
fails.

Usage: run-live.py [NAME...]   (only the named scenarios; all of them by default)
Environment: MS_XVFB_SESSION (the wrapper) and whatever the scenarios read (MS_PROBE,
MS_LEAK_SIM, MS_MEMSCOPE, ...), set by tests/live/meson.build."""

import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
PYTHON = sys.executable

# The whole group, wall time.  Scenarios wait on conditions with their own deadlines; this one
# only ends a scenario that hangs.
GROUP_BUDGET_S = int(os.environ.get("MS_LIVE_BUDGET_S", "240"))

# name: what the subtest is called
# display: True to run inside its own Xvfb + session bus (build-aux/xvfb-session)
# argv: the command, paths relative to tests/
SCENARIOS = [
    {"name": "probe-record", "display": False, "argv": [PYTHON, "live/record.py"]},
    {"name": "alerts-tray", "display": True, "argv": [PYTHON, "live/alerts.py"]},
    {"name": "background", "display": True, "argv": [PYTHON, "live/background.py"]},
    {"name": "serve-prometheus", "display": False, "argv": [PYTHON, "live/serve-prometheus.py"]},
    {"name": "one-popup", "display": True, "argv": [PYTHON, "live/one-popup.py"]},
    {"name": "remote-window", "display": True, "argv": [PYTHON, "live/remote.py"]},
]


# Ways to give a scenario a /proc of its own, tried in order.
UNSHARE = [
    ["unshare", "--pid", "--fork", "--mount-proc"],
    ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"],
]


def isolation():
    """The first UNSHARE prefix that works here, or None."""
    for prefix in UNSHARE:
        try:
            probe = subprocess.run(prefix + ["true"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return None


def command(scenario, isolate):
    argv = [a if not a.startswith(("live/", "probe/", "app/")) else os.path.join(TESTS, a)
            for a in scenario["argv"]]
    if isolate is not None:
        argv = isolate + [PYTHON, os.path.join(HERE, "nsinit.py")] + argv
    # The X server and the bus stay outside the namespace: Xvfb takes a display by a lock file
    # holding its pid, and a pid from another namespace would look stale to the others.
    if scenario["display"]:
        argv = [os.environ["MS_XVFB_SESSION"]] + argv
    return argv


def end_group(proc):
    """SIGTERM to the scenario's process group, SIGKILL if it is still there 10 s later."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait_s)
            return
        except subprocess.TimeoutExpired:
            pass


def main():
    wanted = sys.argv[1:]
    unknown = [n for n in wanted if n not in [s["name"] for s in SCENARIOS]]
    if unknown:
        print("run-live.py: no scenario named %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    scenarios = [s for s in SCENARIOS if not wanted or s["name"] in wanted]
    print("1..%d" % len(scenarios), flush=True)

    isolate = isolation()
    if isolate is None:
        print("# no PID namespace can be made here: the scenarios run one after another",
              flush=True)
    logs = tempfile.TemporaryDirectory(prefix="memscope-live-")
    waiting = list(scenarios)
    running = {}
    started = time.monotonic()

    def start_next():
        scenario = waiting.pop(0)
        log = open(os.path.join(logs.name, scenario["name"] + ".log"), "w+b")
        proc = subprocess.Popen(command(scenario, isolate), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        running[proc] = (scenario, log, time.monotonic())

    number = 0
    failed = 0
    try:
        while running or waiting:
            # Side by side when each has its own /proc; else one at a time.
            while waiting and (isolate is not None or not running):
                start_next()
            budget_from = started if isolate is not None else min(t for _, _, t in running.values())
            deadline_hit = time.monotonic() - budget_from > GROUP_BUDGET_S
            for proc in list(running):
                if proc.poll() is None and not deadline_hit:
                    continue
                scenario, log, t0 = running.pop(proc)
                timed_out = proc.poll() is None
                # Whatever it left in its group (a server, a simulator) goes with it.
                end_group(proc)
                number += 1
                ok = not timed_out and proc.returncode == 0
                elapsed = time.monotonic() - t0
                log.seek(0)
                text = log.read().decode("utf-8", "replace")
                log.close()
                if not ok:
                    failed += 1
                    why = ("still running after the group's %d s budget" % GROUP_BUDGET_S
                           if timed_out else "exit status %d" % proc.returncode)
                    print("not ok %d - %s (%.0f s; %s)" % (number, scenario["name"], elapsed, why))
                    for line in text.rstrip("\n").split("\n"):
                        print("# " + line)
                else:
                    print("ok %d - %s (%.0f s)" % (number, scenario["name"], elapsed))
                    for line in text.split("\n"):
                        if line.startswith("note: "):
                            print("# %s: %s" % (scenario["name"], line[6:]))
                sys.stdout.flush()
            if running or waiting:
                time.sleep(0.2)
    finally:
        for proc in running:
            end_group(proc)
        logs.cleanup()
    print("# the live group took %.0f s" % (time.monotonic() - started), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
