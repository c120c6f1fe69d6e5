#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prints the window's idle cost on this machine's real /proc, and the same for a peer measured in
# the same run: gnome-system-monitor on its process tab (its default 3 s refresh), when installed.
# CPU over a quiet stretch and memory (VmRSS, VmHWM).  A measurement, not a test.
# Both see the same processes: idle ones are started until /proc lists PROCESSES (default 300, the
# size of a busy desktop session), and stopped at the end.
# Usage: build-aux/xvfb-session tests/app/measure-idle.sh BUILDDIR [SECONDS] [PROCESSES]
set -eu
build=$1
seconds=${2:-30}
target=${3:-300}
# The cairo renderer, and no GL at all: otherwise GDK loads Mesa (and LLVM, ~50 MiB) under Xvfb
# just to probe for GL, which says nothing about either program.
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
export GDK_DEBUG="${GDK_DEBUG:-gl-disable}"
hz=$(getconf CLK_TCK)

# measure NAME WINDOW_TITLE_REGEX COMMAND...
measure() {
  local name=$1 title=$2 pid t0 t1
  shift 2
  "$@" >/dev/null 2>&1 &
  pid=$!
  xdotool search --sync --onlyvisible --name "$title" >/dev/null
  sleep 5
  t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  sleep "$seconds"
  t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  awk -v n="$name" -v t="$((t1 - t0))" -v hz="$hz" -v s="$seconds" \
    'BEGIN { printf "%-22s idle CPU %5.2f%% of one core over %d s", n, t / hz / s * 100, s }'
  awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
       END { printf ", RSS %d MiB, peak %d MiB\n", rss / 1024, hwm / 1024 }' "/proc/$pid/status"
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

fillers=()
stop_fillers() {
  if [ "${#fillers[@]}" -gt 0 ]; then kill "${fillers[@]}" 2>/dev/null || true; fi
}
trap stop_fillers EXIT
have=$(ls -d /proc/[0-9]* | wc -l)
while [ "$have" -lt "$target" ]; do
  sleep 3600 &
  fillers+=("$!")
  have=$((have + 1))
done
echo "processes listed: $(ls -d /proc/[0-9]* | wc -l) (${#fillers[@]} idle ones started for this)"
measure "memscope (1 s)" '^memscope$' "$build/src/app/memscope"
if command -v gnome-system-monitor >/dev/null; then
  measure "gnome-system-monitor" 'System Monitor' gnome-system-monitor --show-processes-tab
else
  echo "gnome-system-monitor is not installed: no comparison"
fi
