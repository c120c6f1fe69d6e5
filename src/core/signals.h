/* SPDX-License-Identifier: MIT */
/* Stop, continue, end or kill one process, identified by (pid, starttime) so a reused pid is safe. */
#pragma once

#include <stdint.h>

/* Sends sig to the process (pid, starttime).  Only SIGSTOP, SIGCONT, SIGTERM and SIGKILL are
 * allowed.  Where the kernel has pidfds (Linux 5.3+) the pid is opened first and its starttime
 * checked afterwards, so the signal reaches exactly that process even if the pid is reused at the
 * same moment; elsewhere the check and kill() are as close together as they can be.
 * proc_root is where stat is read (normally "/proc").
 * Returns 0, or -errno: -EINVAL (a signal not listed, or pid <= 0), -ESRCH (the process is gone,
 * or the pid now belongs to another process), -EPERM (not ours to signal). */
int ms_signal_process (const char *proc_root, int32_t pid, uint64_t starttime, int sig);

/* "SIGSTOP", "SIGCONT", "SIGTERM", "SIGKILL", or NULL for another signal. */
const char *ms_signal_name (int sig);
