/* SPDX-License-Identifier: MIT */
/* Descriptor-level reads of /proc files. */
#include "config.h"

#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc.h"

ssize_t
ms_pread_all (int fd, char *buf, size_t cap)
{
  size_t len = 0;

  if (cap == 0)
    return -EINVAL;
  while (len + 1 < cap)
    {
      ssize_t n = pread (fd, buf + len, cap - 1 - len, (off_t) len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  buf[len] = '\0';
  return (ssize_t) len;
}

ssize_t
ms_read_at (int dirfd, const char *path, char *buf, size_t cap, int *keep_fd)
{
  int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  ssize_t n;

  if (fd < 0)
    return -errno;
  n = ms_pread_all (fd, buf, cap);
  if (keep_fd != NULL && n >= 0)
    *keep_fd = fd;
  else
    close (fd);
  return n;
}

ssize_t
ms_read_at_grow (int dirfd, const char *path, char **buf, size_t *cap)
{
  int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  size_t len = 0;

  if (fd < 0)
    return -errno;
  for (;;)
    {
      ssize_t n;

      if (len + 4096 > *cap && ms_grow ((void **) buf, cap, len + 65536, 1) != 0)
        {
          close (fd);
          return -ENOMEM;
        }
      n = read (fd, *buf + len, *cap - 1 - len);
      if (n < 0)
        {
          int err = errno;

          if (err == EINTR)
            continue;
          close (fd);
          return -err;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  close (fd);
  (*buf)[len] = '\0';
  return (ssize_t) len;
}

struct linux_dirent64
{
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

int
ms_scan_pids (int dirfd, void (*fn) (int pid, void *user), void *user)
{
  /* Aligned for the kernel's records; 32 KiB holds about a thousand entries per call. */
  static _Thread_local union
  {
    char bytes[32768];
    uint64_t align;
  } buf;

  if (lseek (dirfd, 0, SEEK_SET) < 0)
    return -errno;
  for (;;)
    {
      long n = syscall (SYS_getdents64, dirfd, buf.bytes, sizeof buf.bytes);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        return 0;
      for (long off = 0; off < n;)
        {
          struct linux_dirent64 *d = (struct linux_dirent64 *) (buf.bytes + off);
          const char *s = d->d_name;
          long pid = 0;

          off += d->d_reclen;
          if (*s < '1' || *s > '9')
            continue;
          for (; *s >= '0' && *s <= '9' && pid <= INT32_MAX / 10; s++)
            pid = pid * 10 + (*s - '0');
          if (*s == '\0' && pid > 0 && pid <= INT32_MAX)
            fn ((int) pid, user);
        }
    }
}
