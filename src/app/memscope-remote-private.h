/* SPDX-License-Identifier: MIT */
/* For tests only: where the static probe is for another program, and a pretend architecture. */
#pragma once

#include "memscope-remote.h"

G_BEGIN_DECLS

/* memscope_remote_find_static_probe() for the given program (its absolute path, e.g.
 * BUILD/src/app/memscope). */
char       *memscope_remote_find_static_probe_for         (const char *program);
/* Pretends the static probe is built for another architecture (NULL: what its ELF header says), to show the mismatch
 * path without a second architecture. */
void        memscope_remote_set_local_machine_for_testing (const char *machine);

/* The uname -m name of the processor the probe (an ELF file's bytes) runs on, or NULL when it is
 * not one memscope knows; the pretend architecture when one is set. */
char       *memscope_remote_probe_machine                 (GBytes *probe);
/* Whether the probe can run where `uname -sm` said uname_sm: Linux, on the probe's processor. */
gboolean    memscope_remote_check_uname                   (const MemscopeRemoteDestination *dest,
                                                           const char *uname_sm,
                                                           GBytes     *probe,
                                                           GError    **error);
/* Every remote command (uname, the copy) is ended after this many seconds instead of its own
 * limit (0: the real limits again), to show the timeout without waiting for it. */
void        memscope_remote_set_timeout_for_testing       (guint seconds);

G_END_DECLS
