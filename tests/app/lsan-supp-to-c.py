#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns lsan.supp into a C file defining __lsan_default_suppressions, so a test program carries
its suppressions and needs no file from the tree (a child that drops privileges may be unable to
read the checkout).  Usage: lsan-supp-to-c.py INPUT OUTPUT"""

import sys

rules = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(line)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("/* Generated from lsan.supp by lsan-supp-to-c.py. */\n")
    out.write("const char *__lsan_default_suppressions (void);\n\n")
    out.write("const char *\n__lsan_default_suppressions (void)\n{\n  return\n")
    for rule in rules:
        out.write('    "%s\\n"\n' % rule.replace("\\", "\\\\").replace('"', '\\"'))
    out.write('    "";\n}\n')
