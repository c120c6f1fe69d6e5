#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# memscope is single instance: launching it again presents the running window and exits.
# Runs under build-aux/xvfb-session with MS_MEMSCOPE set to the program.
set -u

fail() { echo "FAIL: $*"; [ -n "${first:-}" ] && kill "$first" 2>/dev/null; exit 1; }

"$MS_MEMSCOPE" --version | grep -q '^memscope [0-9]' || fail "--version printed no version"
"$MS_MEMSCOPE" --help | grep -q -- '--version' || fail "--help does not list --version"

"$MS_MEMSCOPE" &
first=$!
xdotool search --sync --onlyvisible --name '^memscope$' >/dev/null || fail "no window"
# SIGPIPE is ignored (bit 13 of SigIgn; main() says so, and GIO's sockets ask for it too): a host
# probe that dies mid-request must not end memscope.
sigign=$(awk '/^SigIgn:/ { print $2 }' "/proc/$first/status")
(( (16#$sigign >> 12) & 1 )) || fail "SIGPIPE is not ignored (SigIgn $sigign)"

start=$(date +%s)
timeout 20 "$MS_MEMSCOPE"
rc=$?
[ "$rc" -eq 0 ] || fail "the second launch exited with $rc (124: it kept running)"
kill -0 "$first" 2>/dev/null || fail "the first instance died"
windows=$(xdotool search --onlyvisible --name '^memscope$' | wc -l)
[ "$windows" -eq 1 ] || fail "$windows windows after the second launch, want 1"

kill "$first"
wait "$first" 2>/dev/null
echo "ok: second launch presented the first window and exited in $(( $(date +%s) - start )) s"
