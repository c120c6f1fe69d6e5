/* SPDX-License-Identifier: MIT */
/* Signals to one process through a pidfd where the kernel has them, kill() elsewhere. */
#include "config.h"

#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "parse.h"
#include "procfs.h"

const char *
ms_signal_name (int sig)
{
  switch (sig)
    {
    case SIGSTOP: return "SIGSTOP";
    case SIGCONT: return "SIGCONT";
    case SIGTERM: return "SIGTERM";
    case SIGKILL: return "SIGKILL";
    default: return NULL;
    }
}

/* 0 when /proc_root/PID/stat shows this starttime, else -ESRCH (or another -errno). */
static int
check_starttime (const char *proc_root, int32_t pid, uint64_t starttime)
{
  char path[64], buf[2048];
  int root_fd;
  ssize_t n;
  ms_stat_t st;

  root_fd = open (proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return -errno;
  snprintf (path, sizeof path, "%d/stat", (int) pid);
  n = ms_read_at (root_fd, path, buf, sizeof buf, NULL);
  close (root_fd);
  if (n == -ENOENT || n == 0)
    return -ESRCH;
  if (n < 0)
    return (int) n;
  if (ms_parse_stat (buf, (size_t) n, &st) != 0 || st.pid != pid || st.starttime != starttime)
    return -ESRCH;
  return 0;
}

#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
/* 1 when the pidfd path decided (result in *result), 0 when pidfds cannot be used here. */
static int
signal_by_pidfd (const char *proc_root, int32_t pid, uint64_t starttime, int sig, int *result)
{
  int pidfd = (int) syscall (SYS_pidfd_open, (pid_t) pid, 0u);
  int err;

  if (pidfd < 0)
    {
      err = errno;
      /* EINVAL here means pid is not a thread-group leader: no such process for us. */
      if (err == ESRCH || err == EINVAL)
        {
          *result = -ESRCH;
          return 1;
        }
      /* An old kernel (ENOSYS), a seccomp filter that refuses unknown calls (EPERM, which
       * pidfd_open itself never returns) or no descriptor left: kill() can still do it. */
      return 0;
    }
  /* The pidfd now names one process for good; checking its starttime after opening leaves no
   * window in which the pid could be handed to someone else unnoticed. */
  err = check_starttime (proc_root, pid, starttime);
  if (err == 0 && syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0u) != 0)
    err = -errno;
  close (pidfd);
  *result = err;
  return 1;
}
#endif

int
ms_signal_process (const char *proc_root, int32_t pid, uint64_t starttime, int sig)
{
  int err;

  /* pid 0 and negative pids address process groups or everything: never that. */
  if (pid <= 0 || ms_signal_name (sig) == NULL)
    return -EINVAL;
  if (proc_root == NULL)
    proc_root = "/proc";
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  if (signal_by_pidfd (proc_root, pid, starttime, sig, &err))
    return err;
#endif
  err = check_starttime (proc_root, pid, starttime);
  if (err != 0)
    return err;
  if (kill ((pid_t) pid, sig) != 0)
    return -errno;
  return 0;
}
