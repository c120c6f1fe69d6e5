#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# What a screen reader sees of the window: rows and cells with their text, named buttons.
# Runs under build-aux/xvfb-session; memscope gets GTK's accessibility bridge (GTK_A11Y removed).
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The screen-reader side (libatspi, in this process) warns about its own start-up races, such as
# asking for an application's cache before it is exported; G_DEBUG=fatal-warnings is for memscope,
# so it is taken from this process before GLib loads and handed to memscope only.
APP_G_DEBUG = os.environ.pop("G_DEBUG", None)

import pyatspi  # noqa: E402

BUTTON_ROLES = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON}


def find_app(name, timeout_s):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == name:
                return app
        time.sleep(0.2)
    raise AssertionError("%s never appeared on the accessibility bus" % name)


def walk(node, out, depth=0, limit=20000):
    """Every accessible under node (breadth is bounded so a huge list cannot hang the test)."""
    if node is None or depth > 60 or len(out) >= limit:
        return out
    out.append(node)
    for i in range(node.childCount):
        walk(node.getChildAtIndex(i), out, depth + 1, limit)
    return out


def rows_of(app):
    rows = []
    for node in walk(app, []):
        if node.getRole() == pyatspi.ROLE_TABLE_ROW:
            cells = [c for c in (node.getChildAtIndex(i) for i in range(node.childCount))
                     if c is not None and c.getRole() == pyatspi.ROLE_TABLE_CELL]
            if cells:
                texts = [" ".join(n.name for n in walk(c, []) if n.getRole() == pyatspi.ROLE_LABEL)
                         for c in cells]
                rows.append(texts)
    return rows


def main():
    memscope = os.environ["MS_MEMSCOPE"]
    fixture = os.path.join(os.environ["MS_TESTDATA"], "app", "proc-v2")
    work = tempfile.mkdtemp(prefix="memscope-atspi-")
    proc_root = os.path.join(work, "proc")
    shutil.copytree(fixture, proc_root, symlinks=True)

    env = dict(os.environ)
    if APP_G_DEBUG is not None:
        env["G_DEBUG"] = APP_G_DEBUG
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    env["MEMSCOPE_PROC_ROOT"] = proc_root
    env["MEMSCOPE_SYS_ROOT"] = proc_root
    env["GSETTINGS_BACKEND"] = "memory"
    child = subprocess.Popen([memscope], env=env)
    failures = []
    try:
        app = find_app("memscope", 30)
        deadline = time.monotonic() + 30
        rows = []
        while time.monotonic() < deadline:
            rows = rows_of(app)
            if any("firefox" in cells for cells in rows):
                break
            time.sleep(0.3)
        print("# %d rows exposed" % len(rows))
        for cells in rows[:3]:
            print("# row: %s" % " | ".join(cells))

        browser = [cells for cells in rows if "firefox" in cells]
        if not browser:
            failures.append("no row shows the text 'firefox'")
        else:
            cells = browser[0]
            if len(cells) < 10:
                failures.append("the firefox row has %d cells, want 10" % len(cells))
            if "200" not in cells:
                failures.append("the firefox row does not show its PID 200: %r" % cells)
            if "alice" not in cells:
                failures.append("the firefox row does not show its user: %r" % cells)
            if not any("MiB" in c for c in cells):
                failures.append("the firefox row shows no size: %r" % cells)
        if len(rows) < 10:
            failures.append("only %d rows exposed" % len(rows))
        if not any("postgres" in cells for cells in rows):
            failures.append("no row shows 'postgres'")

        buttons = [n for n in walk(app, []) if n.getRole() in BUTTON_ROLES]
        print("# %d buttons" % len(buttons))
        if len(buttons) < 5:
            failures.append("only %d buttons found" % len(buttons))
        for button in buttons:
            name = (button.name or "").strip()
            print("# button %s: %r" % (button.getRoleName(), name))
            if not name:
                failures.append("a %s has no accessible name" % button.getRoleName())
    finally:
        child.terminate()
        child.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    for failure in failures:
        print("FAIL: " + failure)
    if failures:
        return 1
    print("ok: rows, cells and buttons are exposed with text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
