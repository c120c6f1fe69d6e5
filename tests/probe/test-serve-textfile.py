# SPDX-License-Identifier: MIT
"""memscope-probe serve --textfile: a reader polling the file through many rewrites never sees a
partial file, no temporary file is left behind, and a directory that vanishes is reported and
survived."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import mserve  # noqa: E402
import mstest  # noqa: E402
from mstest import check  # noqa: E402

REWRITES = 40


def read_whole(path):
    """Reads in small pieces, as a slow reader would, so a rewrite in place would show."""
    with open(path, "rb") as f:
        parts = []
        while True:
            chunk = f.read(4096)
            if not chunk:
                break
            parts.append(chunk)
    return b"".join(parts)


def main():
    with mstest.temp_dir() as tmp:
        out_dir = os.path.join(tmp, "textfiles")
        os.mkdir(out_dir)
        path = os.path.join(out_dir, "memscope.prom")
        with mserve.Serve("--textfile", out_dir, "--interval", 0.25, "--top", 100000,
                          "--groups", 100000) as serve:
            check(serve.url is None, "without --listen, --textfile serves no HTTP")
            check(serve.textfile == path, "serve says where it writes: %r" % serve.textfile)
            check(os.stat(path).st_mode & 0o777 == 0o644, "the file is readable by the collector")
            first = read_whole(path)
            required = [line.split()[2] for line in first.decode().splitlines()
                        if line.startswith("# TYPE ")]
            check("memscope_process_state" in required and len(required) > 15,
                  "the first file holds every family: %s" % required)
            lint = subprocess.run([mserve.promtool(), "check", "metrics"], input=first,
                                  capture_output=True)
            check(lint.returncode == 0, "promtool check metrics accepts the textfile: %s"
                  % lint.stdout.decode(errors="replace"))

            reads = bad = 0
            seen = set()
            start_n = None
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                data = read_whole(path)
                reads += 1
                try:
                    samples = mserve.parse_text(data.decode("utf-8"))
                    n = mserve.find(samples, "memscope_samples_total")[0]
                    families = [line.split()[2] for line in data.decode().splitlines()
                                if line.startswith("# TYPE ")]
                    whole = data.endswith(b"\n") and all(f in families for f in required)
                except Exception as e:  # a partial file fails to parse in many ways
                    whole = False
                    n = None
                    print("partial read %d: %r (%d bytes)" % (reads, e, len(data)))
                if not whole:
                    bad += 1
                    continue
                seen.add(n)
                if start_n is None:
                    start_n = n
                if n >= start_n + REWRITES:
                    break
            rewrites = max(seen) - start_n if seen else 0
            print("textfile: %d reads over %d rewrites of %d bytes (%d versions seen), %d partial"
                  % (reads, rewrites, len(first), len(seen), bad))
            check(bad == 0, "no read saw a partial file (%d of %d did)" % (bad, reads))
            check(rewrites >= REWRITES and len(seen) >= REWRITES // 2,
                  "the file was rewritten %d times while read, %d versions seen"
                  % (rewrites, len(seen)))

            # The directory vanishes: serve says so and goes on; it comes back: so does the file.
            os.rename(out_dir, out_dir + ".gone")
            deadline = time.monotonic() + 30
            while b"retrying" not in serve.read_stderr() and time.monotonic() < deadline:
                time.sleep(0.1)
            check(b"cannot write" in serve.stderr and serve.alive(),
                  "a vanished directory is reported and serve goes on: %r" % serve.stderr)
            os.mkdir(out_dir)
            deadline = time.monotonic() + 30
            while not os.path.exists(path) and time.monotonic() < deadline:
                time.sleep(0.1)
            check(os.path.exists(path), "the file comes back with its directory")
            status = serve.stop()
            check(status == 0, "SIGTERM ends serve with status 0 (%r)" % status)
        left = sorted(os.listdir(out_dir)) + sorted(os.listdir(out_dir + ".gone"))
        check(left == ["memscope.prom", "memscope.prom"],
              "only the textfiles remain, no temporary file: %s" % left)
        err = serve.stderr.decode(errors="replace")
        check("works again" in err, "serve says when writing works again: %r" % err)
    mstest.finish()


if __name__ == "__main__":
    main()
