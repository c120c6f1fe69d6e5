/* SPDX-License-Identifier: MIT */
/* Reading /proc files through descriptors: kept-open re-reads, open-read-close, growing reads. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Reads a kept descriptor from offset 0 into buf (at most cap - 1 bytes) and NUL-terminates.
 * Returns the length, or -errno (a process that exited gives -ESRCH or 0 bytes). */
ssize_t ms_pread_all (int fd, char *buf, size_t cap);

/* Opens `path` relative to dirfd read-only.  With keep_fd non-NULL the descriptor is handed back
 * for later ms_pread_all calls; otherwise it is closed.  Returns the length or -errno. */
ssize_t ms_read_at (int dirfd, const char *path, char *buf, size_t cap, int *keep_fd);

/* Reads a whole file of any size (smaps can be megabytes) into *buf, growing it (ms_grow) as
 * needed; NUL-terminated.  Returns the length or -errno. */
ssize_t ms_read_at_grow (int dirfd, const char *path, char **buf, size_t *cap);

/* Iterates the numeric entries (pids) of a directory descriptor without allocating: rewinds and
 * calls fn for each.  Returns 0, or -errno when the directory cannot be read. */
int ms_scan_pids (int dirfd, void (*fn) (int pid, void *user), void *user);
