# SPDX-License-Identifier: MIT
"""docs/prometheus: promtool accepts the alerting rules and their unit tests pass; the unit tests
catch a rule that fires too early or on the wrong metric; the rules use only metrics the man page
documents; the systemd unit passes systemd-analyze verify."""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import mserve  # noqa: E402
import mstest  # noqa: E402
from mstest import check  # noqa: E402

SOURCE_ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCS = os.path.join(SOURCE_ROOT, "docs", "prometheus")
RULES = os.path.join(DOCS, "memscope-rules.yml")
RULE_TESTS = os.path.join(DOCS, "memscope-rules.test.yml")
UNIT = os.path.join(DOCS, "memscope-serve.service")
MAN = os.path.join(SOURCE_ROOT, "data", "memscope-probe.1")


def promtool(*args, cwd=None):
    p = subprocess.run([mserve.promtool()] + list(args), capture_output=True, cwd=cwd, timeout=120)
    return p.returncode, (p.stdout + p.stderr).decode(errors="replace")


def mutated(tmp, old, new):
    """Copies the rules and their tests to tmp with one change to the rules; returns the test path."""
    with open(RULES) as f:
        text = f.read()
    check(old in text, "the rules hold %r to mutate" % old)
    with open(os.path.join(tmp, "memscope-rules.yml"), "w") as f:
        f.write(text.replace(old, new))
    shutil.copy(RULE_TESTS, tmp)
    return os.path.join(tmp, "memscope-rules.test.yml")


def main():
    rc, out = promtool("check", "rules", RULES)
    check(rc == 0 and "SUCCESS: 3 rules found" in out, "promtool check rules: %s" % out)
    rc, out = promtool("test", "rules", RULE_TESTS, cwd=DOCS)
    check(rc == 0 and "SUCCESS" in out, "promtool test rules: %s" % out)

    # The unit tests must notice a rule that is wrong.
    for old, new, what in (("for: 5m", "for: 1m", "a leak alert that does not wait 5 minutes"),
                           ("< 3600", "< 36000", "an exhaustion bar of ten hours"),
                           ("increase(memscope_oom_kills_total[5m]) > 0",
                            "memscope_oom_kills_total > 0", "an OOM alert that never resolves")):
        with mstest.temp_dir() as tmp:
            rc, out = promtool("test", "rules", mutated(tmp, old, new), cwd=tmp)
            check(rc != 0 and "FAILED" in out, "the rule tests catch %s" % what)

    with open(RULES) as f:
        used = set(re.findall(r"\bmemscope_[a-z0-9_]+", f.read()))
    with open(MAN) as f:
        man = f.read().replace("\\_", "_").replace("\\-", "-")
    for name in sorted(used):
        check(name in man, "the man page documents %s, which the rules use" % name)

    analyze = shutil.which("systemd-analyze")
    if not check(analyze is not None, "systemd-analyze is installed (Debian's systemd package)"):
        mstest.finish()
    with mstest.temp_dir() as tmp:
        # verify wants the program to exist: point the unit at the one just built.
        with open(UNIT) as f:
            unit = f.read()
        check("ExecStart=/usr/bin/memscope-probe serve" in unit, "the unit runs serve")
        # Through a link in the temporary directory: the build tree's path may hold spaces,
        # which a unit's command line would need quoted.
        probe = os.path.join(tmp, "memscope-probe")
        os.symlink(os.path.abspath(mserve.PROBE), probe)
        path = os.path.join(tmp, "memscope-serve.service")
        with open(path, "w") as f:
            f.write(unit.replace("/usr/bin/memscope-probe", probe))
        # --man=no: the man page is not installed from a build tree.
        p = subprocess.run([analyze, "verify", "--man=no", path], capture_output=True, timeout=120)
        out = (p.stdout + p.stderr).decode(errors="replace")
        check(p.returncode == 0 and "memscope-serve.service" not in out,
              "systemd-analyze verify accepts the unit: %s" % out)
    mstest.finish()


if __name__ == "__main__":
    main()
