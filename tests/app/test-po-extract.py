#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every translatable message in the C files of po/POTFILES.in is one string literal (adjacent
literals allowed), so xgettext extracts it whole: a format macro such as G_GUINT64_FORMAT between
literals cuts the message where the macro stands, and the cut message never shows translated."""

import os
import re
import sys

SRCDIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# The keywords of meson's glib preset that take messages, with the arguments that are messages
# (0-based; C_ and NC_ take a context first).
KEYWORDS = {"_": [0], "N_": [0], "C_": [0, 1], "NC_": [0, 1], "g_dgettext": [1],
            "g_dngettext": [1, 2], "ngettext": [0, 1], "g_dpgettext2": [1, 2], "Q_": [0]}
LITERAL = r'"(?:\\.|[^"\\])*"'


def call_args(text, start):
    """The top-level arguments of the call whose "(" ends at start, and where it closes."""
    args, cur, depth, i = [], "", 1, start
    while i < len(text) and depth > 0:
        c = text[i]
        if c == '"':
            m = re.compile(LITERAL).match(text, i)
            cur += m.group(0)
            i = m.end()
            continue
        if c == "'":
            m = re.compile(r"'(?:\\.|[^'\\])*'").match(text, i)
            cur += m.group(0)
            i = m.end()
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                break
        if c == "," and depth == 1:
            args.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    args.append(cur)
    return args


def strip_comments(text):
    """Comments become spaces (newlines kept); literals stay as they are."""
    out, i = [], 0
    pattern = re.compile(r'%s|\'(?:\\.|[^\'\\])*\'|/\*.*?\*/|//[^\n]*' % LITERAL, re.S)
    for m in pattern.finditer(text):
        out.append(text[i:m.start()])
        tok = m.group(0)
        out.append(tok if tok[0] in "\"'" else re.sub(r"[^\n]", " ", tok))
        i = m.end()
    out.append(text[i:])
    return "".join(out)


def main():
    with open(os.path.join(SRCDIR, "po", "POTFILES.in"), encoding="utf-8") as f:
        files = [line.strip() for line in f if line.strip().endswith(".c")]
    if not files:
        print("not ok 1 po/POTFILES.in lists no C file")
        return 1
    messages, bad = 0, []
    call = re.compile(r"(?<![\w.>])(%s)\s*\(" % "|".join(re.escape(k) for k in KEYWORDS))
    for name in files:
        with open(os.path.join(SRCDIR, name), encoding="utf-8") as f:
            text = strip_comments(f.read())
        for m in call.finditer(text):
            args = call_args(text, m.end())
            for index in KEYWORDS[m.group(1)]:
                if index >= len(args):
                    continue
                arg = args[index].strip()
                if not re.search(LITERAL, arg):
                    continue  # a variable, as in _(name): nothing for xgettext to read here
                messages += 1
                rest = re.sub(LITERAL, "", arg).strip()
                if rest:
                    line = text.count("\n", 0, m.start()) + 1
                    bad.append("%s:%d: %s" % (name, line, " ".join(arg.split())[:100]))
    ok = True
    # The scan finds what it must: the app has hundreds of messages.
    if messages < 300:
        print("not ok 1 only %d translatable messages found" % messages)
        ok = False
    else:
        print("ok 1 %d translatable messages found in %d files" % (messages, len(files)))
    if bad:
        print("not ok 2 messages xgettext would cut (format the part apart, pass it as %s):")
        for b in bad:
            print("# " + b)
        ok = False
    else:
        print("ok 2 every message is one string literal")
    print("1..2")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
