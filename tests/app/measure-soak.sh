#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A measurement, not a test: memscope's own footprint over a long run with default settings (no
# renderer variables), in its own Xvfb and session bus.  Idle processes are started until /proc
# lists PROCESSES; with --churn, 10 more start every second and each lives about 1.5 s (a build
# does more); with --use, the window is driven as a person would (tooltips, the inspect panel on
# one process after another, its range switches, timeline selections).  Every INTERVAL seconds a
# line gives memscope's RSS, [heap] and CPU so far; the end compares the size after the first
# 5 minutes with the last.
# Usage: tests/app/measure-soak.sh BUILDDIR MINUTES [--processes N] [--churn] [--use]
#                                  [--interval S] [--out FILE]
# Needs root (for the PID namespace), Xvfb, xdotool and dbus-run-session.
set -eu
build=$(cd "$1" && pwd)
minutes=$2
shift 2
target=300 churn=0 use=0 interval=30 out=$PWD/memscope-soak.txt
while [ $# -gt 0 ]; do
  case $1 in
    --processes) target=$2; shift ;;
    --churn) churn=1 ;;
    --use) use=1 ;;
    --interval) interval=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# A PID namespace of its own (as in measure-idle.sh): only the workload is listed, so the run
# measures the same processes whatever else the machine runs.
if [ -z "${MS_SOAK_NS:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root: the soak lists only its own processes in a PID namespace" >&2
    exit 2
  fi
  MS_SOAK_NS=1 exec unshare -pf --mount-proc "$0" "$build" "$minutes" --processes "$target" \
    --interval "$interval" --out "$out" \
    $([ "$churn" = 1 ] && echo --churn) $([ "$use" = 1 ] && echo --use)
fi

if [ -z "${MS_SOAK_INNER:-}" ]; then
  # Xvfb first, then the bus (bus-activated X clients need DISPLAY).
  fifo_dir=$(mktemp -d)
  mkfifo "$fifo_dir/display"
  exec {fd}<>"$fifo_dir/display"
  Xvfb -displayfd "$fd" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null; rm -rf "$fifo_dir"' EXIT
  read -r -t 60 display <&"$fd"
  DISPLAY=":$display" MS_SOAK_INNER=1 dbus-run-session -- "$0" "$build" "$minutes" \
    --processes "$target" --interval "$interval" --out "$out" \
    $([ "$churn" = 1 ] && echo --churn) $([ "$use" = 1 ] && echo --use)
  exit $?
fi

unset GSK_RENDERER GDK_DEBUG GDK_DISABLE
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
hz=$(getconf CLK_TCK)
pids=()
stop_all() {
  if [ "${#pids[@]}" -gt 0 ]; then kill "${pids[@]}" 2>/dev/null || true; fi
}
trap stop_all EXIT

have=$(ls -d /proc/[0-9]* | wc -l)
while [ "$have" -lt "$target" ]; do
  sleep 7200 &
  pids+=("$!")
  have=$((have + 1))
done
if [ "$churn" = 1 ]; then
  (
    trap 'exit 0' TERM
    while :; do
      for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 1.5 & done
      sleep 1
    done
  ) &
  pids+=("$!")
fi

"$build/src/app/memscope" >"${out%/*}/soak-stdout.$$" 2>"${out%/*}/soak-stderr.$$" &
app=$!
pids+=("$app")
win=$(xdotool search --sync --onlyvisible --pid "$app" --name '^memscope$' | head -n 1)
xdotool windowmove "$win" 0 0 windowsize --sync "$win" 1280 800

# use_step N: one round of use, on the N-th row of the list.
use_step() {
  local n=$1 y
  y=$((150 + (n % 12) * 28))
  # A tooltip: hover a row's cells long enough for it to show.
  xdotool mousemove --window "$win" 300 "$y"
  sleep 1.2
  xdotool mousemove --window "$win" 700 "$y"
  sleep 1.2
  # Inspect it, switch the graph's range, select a stretch of the timeline, close.
  xdotool click 1
  xdotool key --window "$win" Return
  sleep 2
  xdotool mousemove --window "$win" 1150 "$((120 + (n % 4) * 10))" click 1
  sleep 0.5
  xdotool key --window "$win" Down Return
  sleep 1
  xdotool mousemove --window "$win" 200 760 mousedown 1 mousemove --window "$win" 600 760 mouseup 1
  sleep 1
  xdotool key --window "$win" Escape
  sleep 0.5
}

start=$(date +%s)
end=$((start + minutes * 60))
next=$start
round=0
echo "# memscope soak: $target processes, churn=$churn, use=$use, $minutes min" >"$out"
echo "# seconds rss_mib heap_mib cpu_pct_so_far" >>"$out"
while [ "$(date +%s)" -lt "$end" ]; do
  now=$(date +%s)
  if [ "$now" -ge "$next" ]; then
    kill -0 "$app" 2>/dev/null || { echo "# memscope exited" >>"$out"; break; }
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$app/status")
    heap=$(awk '/\[heap\]/ { h = 1; next } h && /^Rss:/ { print $2; exit }' "/proc/$app/smaps")
    ticks=$(awk '{ print $14 + $15 }' "/proc/$app/stat")
    awk -v t="$((now - start))" -v r="$rss" -v h="${heap:-0}" -v c="$ticks" -v hz="$hz" \
      'BEGIN { printf "%d %.1f %.1f %.2f\n", t, r / 1024, h / 1024, (t > 0 ? c / hz / t * 100 : 0) }' >>"$out"
    next=$((next + interval))
  fi
  if [ "$use" = 1 ]; then
    use_step "$round"
    round=$((round + 1))
  else
    sleep 1
  fi
done
summary=$(awk '!/^#/ { if ($1 >= 300 && base == "") base = $2; last = $2 }
     END { if (base != "") printf "# RSS after 5 min %.1f MiB, at the end %.1f MiB (%+.1f %%)",
           base, last, (last - base) / base * 100 }' "$out")
echo "$summary" >>"$out"
echo "# stderr lines: $(wc -l <"${out%/*}/soak-stderr.$$")" >>"$out"
