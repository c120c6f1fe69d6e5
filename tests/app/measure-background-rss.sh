#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prints memscope's own resident memory over a background run while processes start and exit.
# A benchmark, not a test.  Run inside an X session and a session bus, e.g.
#   build-aux/xvfb-session tests/app/measure-background-rss.sh BUILDDIR [DURATION_S] [N_PROCESSES]
# MS_PROGRAM overrides the program measured (default: BUILDDIR/src/app/memscope --background).
set -u

builddir=${1:?usage: measure-background-rss.sh BUILDDIR [DURATION_S] [N_PROCESSES]}
duration_s=${2:-600}
n_procs=${3:-1000}
export GSETTINGS_SCHEMA_DIR="$builddir/data"
export GSETTINGS_BACKEND=memory

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

if command -v dunst >/dev/null; then
  dunst >/dev/null 2>&1 &
  dunst_pid=$!
  gdbus wait --session --timeout 10 org.freedesktop.Notifications
fi

# shellcheck disable=SC2086
${MS_PROGRAM:-"$builddir/src/app/memscope" --background} >/dev/null 2>&1 &
app=$!
trap 'kill $app ${dunst_pid:-} 2>/dev/null' EXIT
sleep 10
kill -0 "$app" 2>/dev/null || { echo "the program did not keep running" >&2; exit 1; }

start_kib=$(rss_kib "$app")
echo "t_s rss_kib"
echo "0 $start_kib"
begin=$(date +%s)
spacing_ms=$(( duration_s * 1000 / n_procs ))
next_report=60
for i in $(seq "$n_procs"); do
  # Each lives a few seconds, so a few dozen are alive at a time, each sampled and forgotten.
  sleep "$(( (i % 7) + 2 )).$(( i % 10 ))" &
  sleep "$(( spacing_ms / 1000 )).$(printf '%03d' $(( spacing_ms % 1000 )))"
  elapsed=$(( $(date +%s) - begin ))
  if [ "$elapsed" -ge "$next_report" ]; then
    echo "$elapsed $(rss_kib "$app")"
    next_report=$(( next_report + 60 ))
  fi
done
wait_until=$(( begin + duration_s + 10 ))
while [ "$(date +%s)" -lt "$wait_until" ]; do sleep 1; done
end_kib=$(rss_kib "$app")
elapsed=$(( $(date +%s) - begin ))
echo "$elapsed $end_kib"
echo "start ${start_kib} KiB, end ${end_kib} KiB, change $(( end_kib - start_kib )) KiB" \
     "over ${elapsed} s with ${n_procs} processes started and exited"
