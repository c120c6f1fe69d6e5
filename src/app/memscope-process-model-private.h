/* SPDX-License-Identifier: MIT */
/* For tests only: who reads /proc, and group names from their keys. */
#pragma once

#include "memscope-process-model.h"

G_BEGIN_DECLS

/* Who reads /proc (getuid () by default; tests and a probe running as another user set it). */
void                  memscope_process_model_set_reader_uid   (MemscopeProcessModel *self,
                                                               uid_t                 uid);

/* A group's name, safe to show, for a grouping key ("app:…", "tree:<exe>:<pid>", "name:…",
 * "kernel"): the desktop application's name, else the full name of the tree's topmost process
 * (`top_name`, NULL when unknown: then the executable's file name), else the name in the key. */
char                 *memscope_group_label                    (const char           *key,
                                                               const char           *top_name);

G_END_DECLS
