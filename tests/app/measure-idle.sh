#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prints the window's idle cost on this machine's real /proc: CPU over a quiet minute and memory
# (VmRSS, VmHWM, and what of it is shared libraries).  A measurement, not a test.
# Usage: build-aux/xvfb-session tests/app/measure-idle.sh BUILDDIR [SECONDS]
set -eu
build=$1
seconds=${2:-30}
# The cairo renderer, and no GL at all: otherwise GDK loads Mesa (and LLVM, ~50 MiB) under Xvfb
# just to probe for GL, which says nothing about memscope.
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
export GDK_DEBUG="${GDK_DEBUG:-gl-disable}"

"$build/src/app/memscope" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
xdotool search --sync --onlyvisible --name '^memscope$' >/dev/null
sleep 5

ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
sleep "$seconds"
t1=$(ticks)

awk -v t="$((t1 - t0))" -v hz="$hz" -v s="$seconds" \
  'BEGIN { printf "idle CPU: %.2f%% of one core over %d s\n", t / hz / s * 100, s }'
grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):' "/proc/$pid/status"
echo "processes listed: $(ls -d /proc/[0-9]* | wc -l)"
