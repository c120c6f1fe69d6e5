/* SPDX-License-Identifier: MIT */
/* For tests only: the build directory of a program given by path. */
#pragma once

#include "memscope-data-dirs.h"

G_BEGIN_DECLS

/* The meson build directory `program` was built in, when `program` is that build's
 * BUILD/src/app/memscope (or any program in BUILD/src/app); NULL for an installed program. */
char       *memscope_data_dirs_find_build_root   (const char *program);

G_END_DECLS
