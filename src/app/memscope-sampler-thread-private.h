/* SPDX-License-Identifier: MIT */
/* For tests only: the sampler's state. */
#pragma once

#include "memscope-sampler-thread.h"

G_BEGIN_DECLS

/* Whether memscope_sampler_thread_start() has run. */
gboolean memscope_sampler_thread_get_started (MemscopeSamplerThread *self);

G_END_DECLS
