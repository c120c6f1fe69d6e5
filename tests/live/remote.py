#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The remote window through a real OpenSSH server: starts sshd on 127.0.0.1 (tests/ms-sshd-run:
keys and configuration in a temporary directory, its sessions' PATH holding this build's
memscope-probe, a second port whose sessions have none), then runs tests/live/remote-live.c's
checks against it through MEMSCOPE_SSH_CONFIG."""

import os
import subprocess
import sys
import tempfile
import time

import mslive
from mslive import check


def main():
    work = tempfile.TemporaryDirectory(prefix="memscope-remote-")
    # First, so its steady stretch passes while the other checks run.
    leaky, leaky_pid = mslive.leak_sim("ms-remote-leak", 8, 200)
    grows_at = time.monotonic() + mslive.STEADY_S
    probe_dir = os.path.dirname(os.environ["MS_PROBE"])
    sshd = mslive.Sshd(os.environ["MS_PROBE"])
    env = dict(os.environ, MEMSCOPE_SSH_CONFIG=sshd.config, MS_SSHD_PID=str(sshd.pid),
               MS_BARE_CACHE=sshd.bare_cache,
               MS_LEAK_PID=str(leaky_pid), MS_LEAK_GROWS_AT="%.3f" % grows_at,
               MS_PROBE_STATIC=os.path.join(probe_dir, "memscope-probe-static"),
               MEMSCOPE_STATE_DIR=os.path.join(work.name, "state"))
    out = subprocess.run([os.environ["MS_REMOTE_LIVE"]], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=200)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith(("ok ", "not ok", "# live-", "# End", "# local", "# The ", "# bare", "# memscope-test")):
            print("note: " + line, flush=True)
    if not check(out.returncode == 0, "remote-live exited with %d" % out.returncode):
        print(out.stdout + out.stderr, file=sys.stderr)
        print(sshd.log(), file=sys.stderr)
    sshd.close()


if __name__ == "__main__":
    mslive.run(main, ("ssh", "ssh-keygen"))
