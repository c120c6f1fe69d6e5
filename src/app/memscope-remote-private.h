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

G_END_DECLS
