#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Process 1 of a scenario's own PID namespace (run-live.py starts it through unshare): runs the
scenario, passes SIGTERM, SIGINT and SIGHUP on to it, reaps every orphan that is handed to it (a
zombie left standing would be a process the scenario's memscope tags), and exits with the
scenario's status once the scenario ends; the kernel then ends what is left in the namespace.

Usage: nsinit.py COMMAND [ARG...]"""

import os
import signal
import sys

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def main():
    argv = sys.argv[1:]
    if not argv:
        print("usage: nsinit.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    child = os.fork()
    if child == 0:
        try:
            os.execvp(argv[0], argv)
        except OSError as e:
            print("nsinit.py: cannot run %s: %s" % (argv[0], e.strerror), file=sys.stderr)
            os._exit(127)

    def forward(sig, _frame):
        try:
            os.kill(child, sig)
        except ProcessLookupError:
            pass

    for sig in FORWARDED:
        signal.signal(sig, forward)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return 1
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
