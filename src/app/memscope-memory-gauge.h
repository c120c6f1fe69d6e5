/* SPDX-License-Identifier: MIT */
/* The machine's memory at a glance: used and total RAM, swap and memory pressure. */
#pragma once

#include <gtk/gtk.h>

#include "ms-types.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_MEMORY_GAUGE (memscope_memory_gauge_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeMemoryGauge, memscope_memory_gauge, MEMSCOPE, MEMORY_GAUGE, GtkWidget)

GtkWidget *memscope_memory_gauge_new    (void);
void       memscope_memory_gauge_update (MemscopeMemoryGauge  *self,
                                         const ms_meminfo_t   *mem,
                                         const ms_pressure_t  *pressure);

G_END_DECLS
