/* SPDX-License-Identifier: MIT */
/* A drawn gauge of a few sizes out of a total (e.g. anonymous / file / shared / swap), each with
 * its value and share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_BREAKDOWN_GAUGE (memscope_breakdown_gauge_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeBreakdownGauge, memscope_breakdown_gauge, MEMSCOPE, BREAKDOWN_GAUGE,
                      GtkWidget)

#define MEMSCOPE_BREAKDOWN_MAX_PARTS 6

/* title names the gauge for screen readers ("Where the memory is"). */
GtkWidget  *memscope_breakdown_gauge_new          (const char             *title);

/* Adds a part shown as one row.  id ("anon", "file" ...) becomes a CSS class of the gauge and
 * picks the theme colour @memscope_breakdown_ID (falling back to a stock theme colour).  Returns
 * the part's index, or -1 past MEMSCOPE_BREAKDOWN_MAX_PARTS. */
int         memscope_breakdown_gauge_add_part     (MemscopeBreakdownGauge *self,
                                                   const char             *id,
                                                   const char             *label);

/* Sets every part's value (n values, in order of adding; < 0 for unknown) and the total the
 * shares are of (e.g. the footprint), with how to name it.  When `stacked`, the parts add up to
 * the total and a stacked bar sums them up above the rows.  Redraws only on change. */
void        memscope_breakdown_gauge_set_values   (MemscopeBreakdownGauge *self,
                                                   const gint64           *values_kib,
                                                   guint                   n,
                                                   gint64                  total_kib,
                                                   const char             *total_label,
                                                   gboolean                stacked);

/* The text screen readers get as the gauge's label: its title and every value with its share. */
const char *memscope_breakdown_gauge_get_summary  (MemscopeBreakdownGauge *self);

G_END_DECLS
