#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Makes docs/screenshot.png: memscope on a fixture proc tree in which one process leaks, one spikes
# and one is a zombie, with the leaking one inspected.  Not a test; run it under an X session:
#   build-aux/xvfb-session /usr/bin/python3 tests/app/screenshot.py BUILDDIR OUT.png [WIDTH]
# WIDTH is the window's (1270 unless given); GTK_THEME=Default:dark shows the dark variant.
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SECONDS = 80
STEP_S = 0.5


def rewrite(path, text):
    # In place, as the kernel's files change: the sampler keeps descriptors open.
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, text.encode(), 0)
        os.ftruncate(fd, len(text.encode()))
    finally:
        os.close(fd)


def set_memory(root, pid, rss_kib, cpu_ticks=None):
    d = os.path.join(root, str(pid))
    with open(os.path.join(d, "stat")) as f:
        stat = f.read()
    head, rest = stat[:stat.rindex(")") + 1], stat[stat.rindex(")") + 1:].split()
    rest[21] = str(rss_kib // 4)          # field 24: resident pages
    if cpu_ticks is not None:
        rest[11] = str(cpu_ticks)          # field 14: utime
    rewrite(os.path.join(d, "stat"), head + " " + " ".join(rest) + "\n")
    with open(os.path.join(d, "status")) as f:
        lines = f.read().split("\n")
    out = []
    for line in lines:
        if line.startswith("VmRSS:"):
            line = "VmRSS:\t%8d kB" % rss_kib
        elif line.startswith("RssAnon:"):
            line = "RssAnon:\t%8d kB" % (rss_kib * 3 // 4)
        elif line.startswith("RssFile:"):
            line = "RssFile:\t%8d kB" % (rss_kib - rss_kib * 3 // 4)
        elif line.startswith("VmHWM:"):
            line = "VmHWM:\t%8d kB" % rss_kib
        out.append(line)
    rewrite(os.path.join(d, "status"), "\n".join(out))
    rewrite(os.path.join(d, "statm"), "%d %d 100 10 0 %d 0\n" % (rss_kib // 2, rss_kib // 4,
                                                                 rss_kib // 4))


def main():
    build, out = sys.argv[1], sys.argv[2]
    width = sys.argv[3] if len(sys.argv) > 3 else "1270"
    src = os.path.dirname(os.path.abspath(__file__))
    fixture = os.path.join(src, "..", "data", "app", "proc-v2")
    work = tempfile.mkdtemp(prefix="memscope-shot-")
    root = os.path.join(work, "proc")
    shutil.copytree(fixture, root, symlinks=True)

    env = dict(os.environ)
    env.update(MEMSCOPE_PROC_ROOT=root, MEMSCOPE_SYS_ROOT=root,
               MEMSCOPE_PASSWD=os.path.join(src, "..", "data", "app", "passwd"),
               GSETTINGS_SCHEMA_DIR=os.path.join(build, "data"), GSETTINGS_BACKEND="memory")
    app = subprocess.Popen([os.path.join(build, "src", "app", "memscope")], env=env)
    stop = threading.Event()
    driver = threading.Thread()
    try:
        def drive():
            leaky_kib, firefox_cpu, leaky_cpu, editor_cpu = 51200, 0, 0, 0
            start = time.monotonic()
            step = 0
            # Keeps going while the screenshot is taken, so CPU % is not caught at rest.
            while not stop.is_set():
                step += 1
                leaky_kib += 4096                      # 8 MiB/s, steadily
                leaky_cpu += 6
                firefox_cpu += 11
                editor_cpu += 1
                set_memory(root, 400, leaky_kib, 9000 + leaky_cpu)
                set_memory(root, 200, 409600 + (step % 7) * 256, 300 + firefox_cpu)
                set_memory(root, 300, 98304 - min(step, 40) * 64, 400 + editor_cpu)
                if time.monotonic() - start > SECONDS - 6:
                    set_memory(root, 205, 143360 + 600 * 1024)   # a sudden jump: SPIKE
                time.sleep(STEP_S)

        driver = threading.Thread(target=drive)
        driver.start()
        time.sleep(SECONDS)
        find = ["xdotool", "search", "--sync", "--onlyvisible", "--name", "^memscope$"]
        wid = subprocess.check_output(find, text=True).split()[0]
        subprocess.run(["xdotool", "windowsize", "--sync", wid, width, "780"], check=False)
        time.sleep(0.5)
        subprocess.run(find + ["windowfocus", "--sync", "key", "--delay", "80", "d", "j", "Return"],
                       check=True)
        time.sleep(1.5)
        subprocess.run(["import", "-window", wid, out], check=True)
    finally:
        stop.set()
        if driver.is_alive():
            driver.join()
        app.terminate()
        app.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
