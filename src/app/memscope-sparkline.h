/* SPDX-License-Identifier: MIT */
/* A small line of one row's delta over the last minute. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-process-row.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_SPARKLINE (memscope_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeSparkline, memscope_sparkline, MEMSCOPE, SPARKLINE, GtkWidget)

GtkWidget          *memscope_sparkline_new     (void);
MemscopeProcessRow *memscope_sparkline_get_row (MemscopeSparkline  *self);
void                memscope_sparkline_set_row (MemscopeSparkline  *self,
                                                MemscopeProcessRow *row);
/* The rows have a new point: redraws the sparklines whose picture changes. */
void                memscope_sparkline_update_all (void);

G_END_DECLS
