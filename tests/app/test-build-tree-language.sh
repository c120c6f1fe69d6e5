#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# memscope run from its build tree speaks the user's language from the build's own catalogues,
# with nothing in its environment pointing at them.  MS_MEMSCOPE is the program in the build tree.
set -u

fail() { echo "FAIL: $*"; exit 1; }

unset MS_LOCALEDIR
de=$(LANG=C.UTF-8 LANGUAGE=de "$MS_MEMSCOPE" --help) || fail "--help exited with $?"
grep -qF 'Version ausgeben und beenden' <<<"$de" || fail "--help with LANGUAGE=de is not German: $de"
en=$(LANG=C.UTF-8 LANGUAGE=en "$MS_MEMSCOPE" --help) || fail "--help exited with $?"
grep -qF 'Print the version and exit' <<<"$en" || fail "--help with LANGUAGE=en is not English: $en"
echo "ok: the build tree's memscope speaks German with LANGUAGE=de"
