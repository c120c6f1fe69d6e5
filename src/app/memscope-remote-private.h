/* SPDX-License-Identifier: MIT */
/* For tests only: where the static probe is for another program, and a pretend architecture. */
#pragma once

#include "memscope-remote.h"

G_BEGIN_DECLS

/* memscope_remote_find_static_probe() for the given program (its absolute path, e.g.
 * BUILD/src/app/memscope). */
char       *memscope_remote_find_static_probe_for         (const char *program);
/* Pretends this machine is another architecture (NULL: the real one again), to show the mismatch
 * path without a second architecture. */
void        memscope_remote_set_local_machine_for_testing (const char *machine);

/* Every remote command (uname, the copy) is ended after this many seconds instead of its own
 * limit (0: the real limits again), to show the timeout without waiting for it. */
void        memscope_remote_set_timeout_for_testing       (guint seconds);

G_END_DECLS
