#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A measurement, not a test: what watching a machine over ssh costs while idle, beside a local
# `memscope-probe stream` measured at the same time on the same processes.  The "remote" machine
# is this one, through a real sshd on 127.0.0.1 (tests/ms-sshd-run, keys in a temporary
# directory), with ssh run as memscope runs it.  Prints CPU (percent of one core over SECONDS),
# RSS, time to the first frame and the stream's rate for the local probe, the remote probe, the
# sshd processes serving the connection and the ssh client.  When Xvfb, xdotool and
# dbus-run-session are installed it also runs, on one Xvfb display and each with a session bus of
# its own, `memscope` (this computer's window) and `memscope --remote` (a window on the same
# machine through the same sshd) with default settings, and prints each memscope process alone
# (its ssh child and the remote probe are the figures above) over the same seconds.
# Usage: tests/app/measure-remote.sh BUILDDIR [SECONDS]
set -eu
build=$(cd "$1" && pwd)
seconds=${2:-30}
probe="$build/src/probe/memscope-probe"
hz=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()

sshd_run=""
cleanup() {
  if [ "${#pids[@]}" -gt 0 ]; then kill "${pids[@]}" 2>/dev/null || true; fi
  # End of input stops the fixture, which ends sshd and removes its directory.
  if [ -n "$sshd_run" ]; then exec {sshd_in}>&-; wait "$sshd_run" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The fixture prints where its files are, then "ready"; closing its input stops it.
mkfifo "$work/sshd-in" "$work/sshd-out"
"$build/tests/ms-sshd-run" "$probe" <"$work/sshd-in" >"$work/sshd-out" &
sshd_run=$!
exec {sshd_in}>"$work/sshd-in"
exec {sshd_out}<"$work/sshd-out"
while read -r key value <&"$sshd_out"; do
  case $key in
    config) config=$value ;;
    pid) listener=$value ;;
    ready) break ;;
  esac
done

# CPU ticks (utime + stime) of a process; the fields after comm, which may hold spaces.
ticks() {
  sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

rss_mib() {
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Every process below pid (not pid itself).
descendants() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = parent[p]; while (q > 1) { if (q == root) { print p; break }
                                                              q = parent[q] } } }'
}

now_ms() {
  date +%s%3N
}

# A stream: its input held open by this script, its output counted and dropped.
start_stream() {
  local name=$1
  shift
  mkfifo "$work/$name-in" "$work/$name-out"
  exec {hold}<>"$work/$name-in"
  { head -c 1 >/dev/null; now_ms >"$work/$name-first"; wc -c >"$work/$name-bytes"; } \
    <"$work/$name-out" &
  pids+=("$!")
  now_ms >"$work/$name-start"
  "$@" <"$work/$name-in" >"$work/$name-out" 2>"$work/$name-err" &
  pids+=("$!")
  last_pid=$!
}

start_stream local "$probe" stream
local_pid=$last_pid
# The options memscope_remote_build_stream_argv() gives ssh; the remote command execs the probe
# as memscope's does once sh has found it.
start_stream remote ssh -T -x -a -e none -o BatchMode=yes -o ConnectTimeout=8 \
  -o ServerAliveInterval=3 -o ServerAliveCountMax=3 -o ClearAllForwardings=yes \
  -F "$config" memscope-test -- "exec sh -c 'exec memscope-probe stream'"
ssh_pid=$last_pid

for name in local remote; do
  for _ in $(seq 200); do [ -s "$work/$name-first" ] && break; sleep 0.05; done
  [ -s "$work/$name-first" ] || { echo "no frame from the $name probe:" >&2;
                                   cat "$work/$name-err" >&2; exit 1; }
done

remote_probe=""
served=()
for p in $(descendants "$listener"); do
  if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = memscope-probe ]; then
    remote_probe=$p
  else
    served+=("$p")
  fi
done
[ -n "$remote_probe" ] || { echo "the remote probe was not found under sshd" >&2; exit 1; }

sum_ticks() {
  local total=0 p
  for p in "$@"; do total=$((total + $(ticks "$p" 2>/dev/null || echo 0))); done
  echo "$total"
}
sum_rss() {
  local p
  for p in "$@"; do rss_mib "$p" 2>/dev/null || true; echo; done | awk '{ s += $1 } END { printf "%.1f", s }'
}

# The windows: memscope's own process in each (found by name below its session's runner).
windows=""
window_pid() {
  local p
  for p in $(descendants "$1"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = memscope ] && { echo "$p"; return; }
  done
}
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null \
   && command -v dbus-run-session >/dev/null; then
  mkfifo "$work/display"
  exec {display_fd}<>"$work/display"
  Xvfb -displayfd "$display_fd" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  pids+=("$!")
  read -r -t 60 display <&"$display_fd"
  # Default settings: no renderer variables, 1 s refresh; settings in memory, not the user's.
  for name in local remote; do
    opts=()
    [ "$name" = remote ] && opts=(--remote memscope-test)
    env -u GSK_RENDERER -u GDK_DEBUG -u GDK_DISABLE DISPLAY=":$display" \
      GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory MEMSCOPE_SSH_CONFIG="$config" \
      MEMSCOPE_STATE_DIR="$work/state-$name" \
      dbus-run-session -- "$build/src/app/memscope" "${opts[@]}" >/dev/null 2>"$work/$name-window.err" &
    pids+=("$!")
    eval "${name}_session=$!"
  done
  DISPLAY=":$display" xdotool search --sync --onlyvisible --name '^memscope$' >/dev/null
  DISPLAY=":$display" xdotool search --sync --onlyvisible --name '^memscope-test' >/dev/null
  lw=$(window_pid "$local_session"); rw=$(window_pid "$remote_session")
  [ -n "$lw" ] && [ -n "$rw" ] || { echo "a memscope window did not start" >&2; exit 1; }
  pids+=("$lw" "$rw")
  windows=yes
  sleep 10 # both settle, as in measure-idle.sh
fi

l0=$(ticks "$local_pid"); r0=$(ticks "$remote_probe")
s0=$(sum_ticks "${served[@]}"); c0=$(ticks "$ssh_pid")
[ -n "$windows" ] && { lw0=$(ticks "$lw"); rw0=$(ticks "$rw"); }
sleep "$seconds"
l1=$(ticks "$local_pid"); r1=$(ticks "$remote_probe")
s1=$(sum_ticks "${served[@]}"); c1=$(ticks "$ssh_pid")
[ -n "$windows" ] && { lw1=$(ticks "$lw"); rw1=$(ticks "$rw"); }
l_rss=$(rss_mib "$local_pid"); r_rss=$(rss_mib "$remote_probe")
s_rss=$(sum_rss "${served[@]}"); c_rss=$(rss_mib "$ssh_pid")
[ -n "$windows" ] && { lw_rss=$(rss_mib "$lw"); rw_rss=$(rss_mib "$rw"); }

# End both streams (end of input) so the counters write their totals.
kill "$local_pid" "$ssh_pid" 2>/dev/null || true
for name in local remote; do
  for _ in $(seq 200); do [ -s "$work/$name-bytes" ] && break; sleep 0.05; done
done
end=$(now_ms)

line() {
  awk -v n="$1" -v t="$2" -v hz="$hz" -v s="$seconds" -v r="$3" \
    'BEGIN { printf "  %-34s CPU %5.2f %% of one core, RSS %6.1f MiB\n", n, t / hz / s * 100, r }'
}
rate() {
  local name=$1 start first bytes
  start=$(cat "$work/$name-start"); first=$(cat "$work/$name-first")
  bytes=$(cat "$work/$name-bytes" 2>/dev/null || echo 0)
  awk -v n="$name" -v f="$((first - start))" -v b="$bytes" -v d="$((end - first))" \
    'BEGIN { printf "  %-34s first frame after %d ms, %.1f KiB/s\n", n " stream", f, b / 1024 / (d / 1000) }'
}

echo "memscope over ssh, idle, $seconds s, $(ls -d /proc/[0-9]* 2>/dev/null | wc -l) processes, 1 s interval"
line "local memscope-probe stream" $((l1 - l0)) "$l_rss"
line "remote memscope-probe (under sshd)" $((r1 - r0)) "$r_rss"
line "sshd serving it (${#served[@]} processes)" $((s1 - s0)) "$s_rss"
line "ssh client" $((c1 - c0)) "$c_rss"
line "remote in all (probe + sshd + ssh)" $((r1 - r0 + s1 - s0 + c1 - c0)) \
  "$(awk -v a="$r_rss" -v b="$s_rss" -v c="$c_rss" 'BEGIN { print a + b + c }')"
rate local
rate remote
if [ -n "$windows" ]; then
  echo "the windows, each memscope process alone, default settings"
  line "memscope (this computer)" $((lw1 - lw0)) "$lw_rss"
  line "memscope --remote (same machine)" $((rw1 - rw0)) "$rw_rss"
  for name in local remote; do
    # What memscope wrote, not the session bus's chatter.
    grep -v -e '^dbus-daemon\[' -e '^$' "$work/$name-window.err" >"$work/$name-window.own" || true
    if [ -s "$work/$name-window.own" ]; then
      echo "  the $name window wrote to stderr:"
      sed 's/^/    /' "$work/$name-window.own"
    fi
  done
else
  echo "(Xvfb, xdotool or dbus-run-session is not installed: no window figures)"
fi
