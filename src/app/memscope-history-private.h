/* SPDX-License-Identifier: MIT */
/* For tests only: waiting for the history's worker. */
#pragma once

#include "memscope-history.h"

G_BEGIN_DECLS

/* Waits until the worker has written everything handed to it so far (tests; a clean stop). */
void             memscope_history_flush             (MemscopeHistory       *self);

G_END_DECLS
