/* SPDX-License-Identifier: MIT */
/* For tests only: points a seam of memscope-seams.h elsewhere between cases. */
#pragma once

#include "memscope-seams.h"

G_BEGIN_DECLS

/* As if the environment variable `name` ("MEMSCOPE_PROC_ROOT", "MEMSCOPE_PASSWD",
 * "MEMSCOPE_SYS_ROOT", "MEMSCOPE_STATE_DIR", "MEMSCOPE_HOST_PROBE" or "MEMSCOPE_SSH_CONFIG") had
 * held `value` at start; NULL or "" gives the default.  The environment itself is left alone: the
 * host probe gets the proc root and passwd file on its command line, but other programs a test
 * starts do not see it, so set the variable too for those.  Call it while no sampler runs. */
void memscope_seams_set (const char *name,
                         const char *value);

G_END_DECLS
