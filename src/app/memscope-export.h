/* SPDX-License-Identifier: MIT */
/* Exports: the process list as CSV, and any widget (timeline, trend graph) as a PNG image. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Writes one line per MemscopeProcessRow of `rows` (in the model's order) under a header:
 * pid,starttime,name,user,group,rss_kib,pss_kib,swap_kib,delta_kib,tags.  Group rows have an
 * empty pid and starttime.  Fields are quoted as the trace format quotes them (RFC 4180). */
gboolean memscope_export_rows_csv   (GListModel  *rows,
                                     const char  *path,
                                     GError     **error);

/* Renders `widget` as it is drawn now (it must be realized and have a size) into a PNG file. */
gboolean memscope_export_widget_png (GtkWidget   *widget,
                                     const char  *path,
                                     GError     **error);

G_END_DECLS
