#!/bin/sh
# SPDX-License-Identifier: MIT
# memscope --remote: --help documents it, and a destination ssh would misread is refused with a
# message and status 1 before anything starts (no display, no bus needed).
set -u
memscope=$1
fail=0

help=$("$memscope" --help 2>&1)
case $help in
  *"--remote=DESTINATION"*) ;;
  *) echo "not ok: --help does not list --remote: $help"; fail=1 ;;
esac

for bad in '-oProxyCommand=x' 'host;rm' '' 'ssh://host:99999' 'user@'; do
  out=$("$memscope" --remote "$bad" 2>&1)
  rc=$?
  if [ $rc -ne 1 ] || [ "${out#memscope: }" = "$out" ]; then
    echo "not ok: --remote '$bad' gave status $rc: $out"
    fail=1
  else
    echo "# --remote '$bad': $out"
  fi
done
[ $fail -eq 0 ] && echo "ok"
exit $fail
