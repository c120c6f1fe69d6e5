#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the proc trees the window tests read (cgroup v1 and v2 variants), in real kernel formats.
# Run it from anywhere after changing it; its output is kept in the repository beside it.
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BTIME = 1700000000
PAGE_KIB = 4

FIREFOX_SCOPE = ("/user.slice/user-1000.slice/user@1000.service/app.slice/"
                 "app-gnome-org.mozilla.firefox-4242.scope")
EDITOR_SCOPE = ("/user.slice/user-1000.slice/user@1000.service/app.slice/"
                "app-gnome-org.gnome.TextEditor-5151.scope")
SESSION = "/user.slice/user-1000.slice/session-2.scope"
SYSTEM = "/system.slice/postgresql.service"


def proc(pid, comm, ppid, uid, rss_kib, start, state="S", cmdline=None, cgroup=SESSION,
         swap_kib=0, pss_kib=None, exe=None, kernel=False, threads=1):
    return dict(pid=pid, comm=comm, ppid=ppid, uid=uid, rss_kib=rss_kib, start=start,
                state=state, cmdline=cmdline if cmdline is not None else [comm], cgroup=cgroup,
                swap_kib=swap_kib, pss_kib=pss_kib, exe=exe, kernel=kernel, threads=threads)


def processes():
    ps = [
        proc(1, "systemd", 0, 0, 12288, 5, cmdline=["/sbin/init"], cgroup="/init.scope",
             exe="/usr/lib/systemd/systemd", pss_kib=6144),
        proc(2, "kthreadd", 0, 0, 0, 5, cmdline=[], cgroup="/", kernel=True),
        proc(120, "postgres", 1, 105, 65536, 800, cmdline=["/usr/lib/postgresql/15/bin/postgres",
             "-D", "/var/lib/postgresql/15/main"], cgroup=SYSTEM,
             exe="/usr/lib/postgresql/15/bin/postgres"),
        proc(300, "gnome-text-edit", 1, 1000, 98304, 4000,
             cmdline=["/usr/bin/gnome-text-editor", "notes.txt"], cgroup=EDITOR_SCOPE,
             exe="/usr/bin/gnome-text-editor", pss_kib=81920, threads=6),
        proc(400, "leaky", 1, 1000, 51200, 9000, cmdline=["./leaky", "--grow", "8"],
             exe="/home/alice/bin/leaky", pss_kib=51000),
        proc(500, "cron", 1, 0, 3072, 700, cmdline=["/usr/sbin/cron", "-f"],
             cgroup="/system.slice/cron.service", exe="/usr/sbin/cron", pss_kib=1200),
        proc(600, "defunct-child", 400, 1000, 0, 9500, state="Z", cmdline=[]),
        proc(700, "weird ) (name", 1, 1000, 4096, 9600,
             cmdline=["/usr/bin/weird", "a,b", "say \"hi\""], exe="/usr/bin/weird",
             pss_kib=2048),
    ]
    # A browser: one parent and nine content processes in one app scope.
    ps.append(proc(200, "firefox", 1, 1000, 409600, 3000, cmdline=["/usr/lib/firefox/firefox"],
                   cgroup=FIREFOX_SCOPE, exe="/usr/lib/firefox/firefox", pss_kib=307200,
                   swap_kib=2048, threads=80))
    for i in range(9):
        pid = 201 + i
        rss = 102400 + 10240 * i
        ps.append(proc(pid, "Isolated Web Co", 200, 1000, rss, 3100 + i,
                       cmdline=["/usr/lib/firefox/firefox", "-contentproc", "-childID", str(i + 1),
                                "tab"],
                       cgroup=FIREFOX_SCOPE, exe="/usr/lib/firefox/firefox",
                       # Even content processes have PSS read, odd ones not yet.
                       pss_kib=(rss * 3 // 4) if i % 2 == 0 else None, threads=25))
    return ps


def cgroup_text(p, version):
    if version == 1:
        return ("12:memory:%s\n11:cpu,cpuacct:%s\n1:name=systemd:%s\n0::/\n"
                % (p["cgroup"], p["cgroup"], p["cgroup"]))
    return "0::%s\n" % p["cgroup"]


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)


def write_proc(root, p, version):
    d = os.path.join(root, str(p["pid"]))
    os.makedirs(d)
    flags = 0x00208040 if p["kernel"] else 0x00400100
    rss_pages = p["rss_kib"] // PAGE_KIB
    utime, stime = 100 + p["pid"], 50
    stat = ("%d (%s) %s %d %d %d 0 -1 %d 100 0 0 0 %d %d 0 0 20 0 %d 0 %d %d %d "
            "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"
            % (p["pid"], p["comm"], p["state"], p["ppid"], p["pid"], p["pid"], flags, utime,
               stime, p["threads"], p["start"] * 100, p["rss_kib"] * 2048, rss_pages))
    write(os.path.join(d, "stat"), stat)
    size_pages = rss_pages * 2 + 1000 if not p["kernel"] else 0
    write(os.path.join(d, "statm"), "%d %d %d 10 0 %d 0\n"
          % (size_pages, rss_pages, rss_pages // 4, rss_pages))
    uid = p["uid"]
    lines = ["Name:\t%s" % p["comm"].replace("\n", "\\n"), "Umask:\t0022",
             "State:\t%s (%s)" % (p["state"], {"S": "sleeping", "Z": "zombie"}[p["state"]]),
             "Tgid:\t%d" % p["pid"], "Ngid:\t0", "Pid:\t%d" % p["pid"], "PPid:\t%d" % p["ppid"],
             "TracerPid:\t0", "Uid:\t%d\t%d\t%d\t%d" % (uid, uid, uid, uid),
             "Gid:\t%d\t%d\t%d\t%d" % (uid, uid, uid, uid), "FDSize:\t64", "Groups:\t"]
    if not p["kernel"] and p["state"] != "Z":
        anon = p["rss_kib"] * 3 // 4
        lines += ["VmPeak:\t%8d kB" % (p["rss_kib"] * 2), "VmSize:\t%8d kB" % (p["rss_kib"] * 2),
                  "VmLck:\t       0 kB", "VmPin:\t       0 kB",
                  "VmHWM:\t%8d kB" % p["rss_kib"], "VmRSS:\t%8d kB" % p["rss_kib"],
                  "RssAnon:\t%8d kB" % anon, "RssFile:\t%8d kB" % (p["rss_kib"] - anon),
                  "RssShmem:\t       0 kB", "VmData:\t%8d kB" % anon, "VmStk:\t     132 kB",
                  "VmExe:\t     100 kB", "VmLib:\t    4000 kB", "VmPTE:\t     200 kB",
                  "VmSwap:\t%8d kB" % p["swap_kib"]]
    lines += ["Threads:\t%d" % p["threads"], "SigQ:\t0/63000", "voluntary_ctxt_switches:\t10",
              "nonvoluntary_ctxt_switches:\t1"]
    write(os.path.join(d, "status"), "\n".join(lines) + "\n")
    write(os.path.join(d, "cmdline"), "".join(a + "\0" for a in p["cmdline"]))
    write(os.path.join(d, "cgroup"), cgroup_text(p, version))
    if p["pss_kib"] is not None:
        pss = p["pss_kib"]
        write(os.path.join(d, "smaps_rollup"),
              "55d0c0000000-7ffd00000000 ---p 00000000 00:00 0                          [rollup]\n"
              "Rss:            %8d kB\nPss:            %8d kB\nPss_Anon:       %8d kB\n"
              "Pss_File:       %8d kB\nPss_Shmem:             0 kB\nShared_Clean:          0 kB\n"
              "Shared_Dirty:          0 kB\nPrivate_Clean:  %8d kB\nPrivate_Dirty:  %8d kB\n"
              "Referenced:     %8d kB\nAnonymous:      %8d kB\nSwap:           %8d kB\n"
              "SwapPss:        %8d kB\nLocked:                0 kB\n"
              % (p["rss_kib"], pss, pss // 2, pss - pss // 2, pss // 4, pss - pss // 4,
                 p["rss_kib"], pss // 2, p["swap_kib"], p["swap_kib"]))
    if p["exe"]:
        os.symlink(p["exe"], os.path.join(d, "exe"))


def write_tree(root, version):
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    write(os.path.join(root, "meminfo"),
          "MemTotal:       16303428 kB\nMemFree:         6123456 kB\n"
          "MemAvailable:    9800000 kB\nBuffers:          204800 kB\n"
          "Cached:          3145728 kB\nSwapCached:         1024 kB\n"
          "Shmem:            262144 kB\nSlab:             409600 kB\n"
          "SwapTotal:       2097148 kB\nSwapFree:        1548574 kB\n")
    write(os.path.join(root, "stat"),
          "cpu  1000 20 300 40000 50 0 10 0 0 0\nintr 0\nctxt 0\nbtime %d\nprocesses 900\n"
          "procs_running 1\nprocs_blocked 0\n" % BTIME)
    write(os.path.join(root, "vmstat"), "nr_free_pages 1530864\noom_kill 0\n")
    if version == 2:
        os.makedirs(os.path.join(root, "pressure"))
        write(os.path.join(root, "pressure", "memory"),
              "some avg10=1.50 avg60=0.80 avg300=0.20 total=123456\n"
              "full avg10=0.40 avg60=0.10 avg300=0.00 total=23456\n")
    for p in processes():
        write_proc(root, p, version)


def main():
    write_tree(os.path.join(HERE, "proc-v1"), 1)
    write_tree(os.path.join(HERE, "proc-v2"), 2)
    write(os.path.join(HERE, "passwd"),
          "root:x:0:0:root:/root:/bin/bash\n"
          "postgres:x:105:110:PostgreSQL administrator:/var/lib/postgresql:/bin/bash\n"
          "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
