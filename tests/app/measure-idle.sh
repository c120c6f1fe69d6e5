#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A measurement, not a test: the window's cost with default settings (no GSK_RENDERER, GDK_DEBUG
# or GDK_DISABLE) beside gnome-system-monitor (process tab, its 3 s refresh) measured at the same
# time on the same processes, in a plain Xvfb (1280x800) and a private session bus.
# Cases: idle single-threaded processes until /proc lists 300, then 2,000; then 300 with 10 more
# started every second, each living about 1.5 s.  Prints CPU over SECONDS, RSS and [heap], and
# how long memscope took to show its window.
# Usage: tests/app/measure-idle.sh BUILDDIR [SECONDS]
# gnome-system-monitor is installed from Debian's packages for this when missing (as root).
set -eu
build=$(cd "$1" && pwd)
seconds=${2:-60}

if [ -z "${MS_MEASURE_INNER:-}" ]; then
  if ! command -v gnome-system-monitor >/dev/null && [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends gnome-system-monitor >/dev/null \
      || { apt-get update -q >/dev/null \
           && apt-get install -y -q --no-install-recommends gnome-system-monitor >/dev/null; } \
      || echo "could not install gnome-system-monitor: no comparison" >&2
  fi
  fifo_dir=$(mktemp -d)
  mkfifo "$fifo_dir/display"
  exec {fd}<>"$fifo_dir/display"
  Xvfb -displayfd "$fd" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null; rm -rf "$fifo_dir"' EXIT
  read -r -t 60 display <&"$fd"
  DISPLAY=":$display" MS_MEASURE_INNER=1 dbus-run-session -- "$0" "$build" "$seconds" 2>/dev/null
  exit $?
fi

unset GSK_RENDERER GDK_DEBUG GDK_DISABLE
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory
hz=$(getconf CLK_TCK)
fillers=()
churner=""
stop_all() {
  if [ "${#fillers[@]}" -gt 0 ]; then kill "${fillers[@]}" 2>/dev/null || true; fi
  if [ -n "$churner" ]; then kill "$churner" 2>/dev/null || true; fi
}
trap stop_all EXIT

fill_to() {
  local have
  have=$(ls -d /proc/[0-9]* | wc -l)
  while [ "$have" -lt "$1" ]; do
    sleep 7200 &
    fillers+=("$!")
    have=$((have + 1))
  done
}

report() {
  local name=$1 pid=$2 t0=$3 t1=$4
  awk -v n="$name" -v t="$((t1 - t0))" -v hz="$hz" -v s="$seconds" \
    'BEGIN { printf "  %-22s CPU %5.2f %% of one core", n, t / hz / s * 100 }'
  awk '/^VmRSS:/ { printf ", RSS %d MiB", $2 / 1024 }' "/proc/$pid/status"
  awk '/\[heap\]/ { h = 1; next } h && /^Rss:/ { printf ", heap %d MiB\n", $2 / 1024; exit }' \
    "/proc/$pid/smaps"
}

# measure_case TITLE: both programs start, settle, and are measured over the same seconds.
measure_case() {
  local title=$1 ms gsm=0 t_start t_win m0 m1 g0=0 g1=0
  echo "$title ($(ls -d /proc/[0-9]* | wc -l) processes listed)"
  t_start=$(date +%s%N)
  "$build/src/app/memscope" >/dev/null 2>"$work/memscope.err" &
  ms=$!
  xdotool search --sync --onlyvisible --pid "$ms" --name '^memscope$' >/dev/null
  t_win=$(date +%s%N)
  if command -v gnome-system-monitor >/dev/null; then
    gnome-system-monitor --show-processes-tab >/dev/null 2>&1 &
    gsm=$!
    xdotool search --sync --onlyvisible --name 'System Monitor' >/dev/null
  fi
  sleep 10
  m0=$(awk '{ print $14 + $15 }' "/proc/$ms/stat")
  [ "$gsm" -gt 0 ] && g0=$(awk '{ print $14 + $15 }' "/proc/$gsm/stat")
  sleep "$seconds"
  m1=$(awk '{ print $14 + $15 }' "/proc/$ms/stat")
  [ "$gsm" -gt 0 ] && g1=$(awk '{ print $14 + $15 }' "/proc/$gsm/stat")
  echo "  memscope's window on screen $(( (t_win - t_start) / 1000000 )) ms after start"
  report "memscope (1 s)" "$ms" "$m0" "$m1"
  if [ "$gsm" -gt 0 ]; then
    report "gnome-system-monitor" "$gsm" "$g0" "$g1"
    kill "$gsm"
  else
    echo "  gnome-system-monitor is not installed: no comparison"
  fi
  kill "$ms"
  wait "$ms" 2>/dev/null || true
  [ "$gsm" -gt 0 ] && { wait "$gsm" 2>/dev/null || true; }
  if [ -s "$work/memscope.err" ]; then
    echo "  memscope wrote to stderr:"
    sed 's/^/    /' "$work/memscope.err"
  fi
}

work=$(mktemp -d)
fill_to 300
n_small=${#fillers[@]}
measure_case "300 processes"
fill_to 2000
measure_case "2,000 processes"
kill "${fillers[@]:$n_small}" 2>/dev/null || true
fillers=("${fillers[@]:0:$n_small}")
(
  trap 'exit 0' TERM
  while :; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 1.5 & done
    sleep 1
  done
) &
churner=$!
sleep 3
measure_case "about 300 processes + 10 started per second, each living 1.5 s"
rm -rf "$work"
