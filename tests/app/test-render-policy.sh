#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# With the renderer variables unset memscope draws with cairo and maps no GL stack, its window
# shows something, and its children get the environment the user gave memscope, not memscope's
# own switches; a user's GSK_RENDERER or GDK_DEBUG is honoured and passed on.
# Runs under build-aux/xvfb-session (which sets GSK_RENDERER and GDK_DEBUG: each case unsets them
# for memscope) with MS_MEMSCOPE and MS_PROBE set to the programs.
set -u

work=$(mktemp -d)
app=""
failed=0
cleanup() {
  if [ -n "$app" ]; then
    kill "$app" 2>/dev/null
    wait "$app" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failed=1
}

# The host probe memscope starts (MEMSCOPE_HOST_PROBE): it writes down its environment first.
cat >"$work/probe" <<EOF
#!/bin/sh
env >"$work/child-env.tmp" && mv "$work/child-env.tmp" "$work/child-env"
exec "$MS_PROBE" "\$@"
EOF
chmod +x "$work/probe"

gl_pattern='libLLVM|swrast_dri|libGLX_mesa|libEGL_mesa|_dri\.so'

# Waits up to $2 seconds for the command in "$@" (after two arguments) to succeed.
await() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$what (waited ${seconds} s)"
      return 1
    fi
    sleep 0.2
  done
}

# The window's pixels hold more than a few colours once text and charts are drawn.
window_drawn() {
  local colours
  colours=$(import -window "$window" png:- 2>/dev/null | identify -format '%k' - 2>/dev/null)
  [ -n "$colours" ] && [ "$colours" -gt 16 ]
}

# run_case NAME ENV... : starts memscope with the renderer variables unset and ENV added, waits for
# its window, its first frame and its probe, and leaves its pid in $app.
run_case() {
  local name=$1
  shift
  rm -f "$work/child-env"
  env -u GSK_RENDERER -u GDK_DEBUG -u GDK_DISABLE MEMSCOPE_HOST_PROBE="$work/probe" "$@" \
    "$MS_MEMSCOPE" >"$work/$name.out" 2>"$work/$name.err" &
  app=$!
  window=$(timeout 60 xdotool search --sync --onlyvisible --pid "$app" --name '^memscope$' | head -n 1)
  if [ -z "$window" ]; then
    fail "$name: no window within 60 s"
    return 1
  fi
  await "$name: the probe did not start" 60 test -s "$work/child-env" || return 1
  await "$name: the window shows nothing" 60 window_drawn || return 1
}

end_case() {
  local name=$1
  kill "$app" 2>/dev/null
  wait "$app" 2>/dev/null
  app=""
  if grep -E 'WARNING|CRITICAL|-Message|renderer' "$work/$name.err" "$work/$name.out" >&2; then
    fail "$name: memscope printed GTK or GLib messages"
  fi
}

child_value() {
  sed -n "s/^$1=//p" "$work/child-env"
}

# Default settings: no GL stack, and the child sees none of memscope's switches.
if run_case default; then
  if grep -E "$gl_pattern" "/proc/$app/maps" >&2; then
    fail "default: a GL stack is mapped"
  fi
  for var in GSK_RENDERER GDK_DEBUG GDK_DISABLE; do
    grep -q "^$var=" "$work/child-env" && fail "default: the probe inherited $var=$(child_value $var)"
  done
fi
end_case default

# A user's GDK_DEBUG that says nothing about GL: memscope still draws without GL, and the child
# gets exactly the user's value.
if run_case debug GDK_DEBUG=default-settings; then
  grep -qE "$gl_pattern" "/proc/$app/maps" && fail "debug: a GL stack is mapped"
  [ "$(child_value GDK_DEBUG)" = default-settings ] \
    || fail "debug: the probe got GDK_DEBUG='$(child_value GDK_DEBUG)', want 'default-settings'"
fi
end_case debug

# The user chose the renderer: memscope leaves GL alone and passes the choice on.
if run_case user GSK_RENDERER=gl; then
  [ "$(child_value GSK_RENDERER)" = gl ] \
    || fail "user: the probe got GSK_RENDERER='$(child_value GSK_RENDERER)', want 'gl'"
  grep -q '^GDK_DEBUG=' "$work/child-env" && fail "user: the probe got GDK_DEBUG=$(child_value GDK_DEBUG)"
  # GTK asked for GL, so libepoxy loaded an EGL or GL library (where one is installed).
  if ldconfig -p | grep -qE 'libEGL\.so\.1|libGL\.so\.1'; then
    grep -qE 'libEGL\.so|libGL\.so|libGLX' "/proc/$app/maps" \
      || fail "user: GSK_RENDERER=gl was not honoured (no GL library mapped)"
  fi
fi
end_case user

[ "$failed" -eq 0 ] && echo "ok: cairo without GL by default, children see the user's environment"
exit "$failed"
