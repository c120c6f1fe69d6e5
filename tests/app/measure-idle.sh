#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A measurement, not a test: the window's cost with default settings (no GSK_RENDERER, GDK_DEBUG
# or GDK_DISABLE) beside gnome-system-monitor (process tab, its 3 s refresh) measured at the same
# time on the same processes, in a plain Xvfb (1280x800), a private session bus and a PID
# namespace of its own (unshare -pf --mount-proc: only the workload is listed, so every run lists
# the same processes whatever else the machine runs).
# Cases: single-threaded idle processes until /proc lists 300, then 2,000; then 300 with 10 more
# started every second, each living LIFE seconds (1.5 unless --churn-life).  Prints, per case,
# CPU over SECONDS, RSS and [heap] at the end, and how long memscope took to show its window,
# then a table of all cases.
# Usage: tests/app/measure-idle.sh BUILDDIR [SECONDS] [--churn-life LIFE] [--cases LIST]
#   LIST: a comma-separated choice of idle-300, idle-2000 and churn (default: all three).
# Needs root (for the namespace), Xvfb, xdotool and dbus-run-session; gnome-system-monitor when
# installed (it is not a dependency of memscope: without it there is no comparison).
set -eu
build=$(cd "$1" && pwd)
shift
seconds=60
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  seconds=$1
  shift
fi
life=1.5 cases=idle-300,idle-2000,churn
while [ $# -gt 0 ]; do
  case $1 in
    --churn-life) life=$2; shift ;;
    --cases) cases=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
args=("$build" "$seconds" --churn-life "$life" --cases "$cases")

if [ -z "${MS_MEASURE_NS:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root: the measurement lists only its own processes in a PID namespace" >&2
    exit 2
  fi
  MS_MEASURE_NS=1 exec unshare -pf --mount-proc "$0" "${args[@]}"
fi

if [ -z "${MS_MEASURE_INNER:-}" ]; then
  fifo_dir=$(mktemp -d)
  mkfifo "$fifo_dir/display"
  exec {fd}<>"$fifo_dir/display"
  Xvfb -displayfd "$fd" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null; rm -rf "$fifo_dir"' EXIT
  read -r -t 60 display <&"$fd"
  DISPLAY=":$display" MS_MEASURE_INNER=1 dbus-run-session -- "$0" "${args[@]}" 2>/dev/null
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

# figures PID T0 T1: "CPU% RSS-MiB heap-MiB" of PID over the case's seconds.
figures() {
  local pid=$1 t0=$2 t1=$3 rss heap
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  heap=$(awk '/\[heap\]/ { h = 1; next } h && /^Rss:/ { print $2; exit }' "/proc/$pid/smaps")
  awk -v t="$((t1 - t0))" -v hz="$hz" -v s="$seconds" -v r="$rss" -v h="${heap:-0}" \
    'BEGIN { printf "%.2f %.1f %.1f", t / hz / s * 100, r / 1024, h / 1024 }'
}

table=()
# measure_case TITLE: both programs start, settle, and are measured over the same seconds.
measure_case() {
  local title=$1 ms gsm=0 t_start t_win m0 m1 g0=0 g1=0 mf gf="" n
  n=$(ls -d /proc/[0-9]* | wc -l)
  echo "$title ($n processes listed)"
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
  mf=$(figures "$ms" "$m0" "$m1")
  echo "  memscope's window on screen $(( (t_win - t_start) / 1000000 )) ms after start"
  set -- $mf
  printf '  %-22s CPU %5.2f %% of one core, RSS %.1f MiB, heap %.1f MiB\n' "memscope (1 s)" "$1" "$2" "$3"
  if [ "$gsm" -gt 0 ]; then
    gf=$(figures "$gsm" "$g0" "$g1")
    set -- $gf
    printf '  %-22s CPU %5.2f %% of one core, RSS %.1f MiB, heap %.1f MiB\n' "gnome-system-monitor" "$1" "$2" "$3"
    kill "$gsm"
  else
    echo "  gnome-system-monitor is not installed: no comparison"
  fi
  table+=("$title|$n|$mf|${gf:-- - -}")
  kill "$ms"
  wait "$ms" 2>/dev/null || true
  [ "$gsm" -gt 0 ] && { wait "$gsm" 2>/dev/null || true; }
  if [ -s "$work/memscope.err" ]; then
    echo "  memscope wrote to stderr:"
    sed 's/^/    /' "$work/memscope.err"
  fi
}

work=$(mktemp -d)
echo "$seconds s per case, after 10 s to settle; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
case ",$cases," in *,idle-300,*)
  fill_to 300
  measure_case "300 idle processes" ;;
esac
case ",$cases," in *,idle-2000,*)
  fill_to 2000
  measure_case "2,000 idle processes"
  kill "${fillers[@]}" 2>/dev/null || true
  wait "${fillers[@]}" 2>/dev/null || true
  fillers=() ;;
esac
case ",$cases," in *,churn,*)
  fill_to 300
  (
    trap 'exit 0' TERM
    while :; do
      for _ in 1 2 3 4 5 6 7 8 9 10; do sleep "$life" & done
      sleep 1
    done
  ) &
  churner=$!
  sleep 3
  measure_case "300 + 10 a second living $life s" ;;
esac
rm -rf "$work"

echo
echo "| case | processes | memscope CPU | RSS | heap | gnome-system-monitor CPU | RSS |"
echo "|---|---|---|---|---|---|---|"
for row in "${table[@]}"; do
  IFS='|' read -r title n mf gf <<<"$row"
  read -r mc mr mh <<<"$mf"
  read -r gc gr _ <<<"$gf"
  printf '| %s | %s | %s %% | %s MiB | %s MiB | %s %% | %s MiB |\n' "$title" "$n" "$mc" "$mr" "$mh" "$gc" "$gr"
done
