/* SPDX-License-Identifier: MIT */
/* The processes ranked by how much they grew in a selected stretch, with the unattributed rest. */
#pragma once

#include <gtk/gtk.h>

#include "blame.h"

G_BEGIN_DECLS

/* --- One row ---------------------------------------------------------------------------------- */

#define MEMSCOPE_TYPE_BLAME_ITEM (memscope_blame_item_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeBlameItem, memscope_blame_item, MEMSCOPE, BLAME_ITEM, GObject)

gint32      memscope_blame_item_get_pid            (MemscopeBlameItem *self);
guint64     memscope_blame_item_get_starttime      (MemscopeBlameItem *self);
const char *memscope_blame_item_get_comm           (MemscopeBlameItem *self);
gint64      memscope_blame_item_get_start_kib      (MemscopeBlameItem *self);
gint64      memscope_blame_item_get_end_kib        (MemscopeBlameItem *self);
gint64      memscope_blame_item_get_delta_kib      (MemscopeBlameItem *self);
/* delta / the gross change (all growth, all shrink and the unattributed part as sizes), signed;
 * 0 when nothing changed. */
double      memscope_blame_item_get_share          (MemscopeBlameItem *self);
/* The same in whole percent, rounded so that the sizes of all the list's shares add up to 100. */
int         memscope_blame_item_get_share_pct      (MemscopeBlameItem *self);
/* How many processes the row stands for: 1, more for the short-lived processes of one program
 * merged into one row (pid and starttime are then 0), 0 for the unattributed row. */
guint       memscope_blame_item_get_count          (MemscopeBlameItem *self);
gboolean    memscope_blame_item_get_started_inside (MemscopeBlameItem *self);
gboolean    memscope_blame_item_get_exited_inside  (MemscopeBlameItem *self);
gint64      memscope_blame_item_get_peak_kib       (MemscopeBlameItem *self);
/* The row of growth no process explains (kernel, tmpfs and shared memory, page cache). */
gboolean    memscope_blame_item_get_unattributed   (MemscopeBlameItem *self);

/* --- The list ----------------------------------------------------------------------------------- */

#define MEMSCOPE_TYPE_BLAME_LIST (memscope_blame_list_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeBlameList, memscope_blame_list, MEMSCOPE, BLAME_LIST, GtkWidget)

GtkWidget  *memscope_blame_list_new               (void);
/* MemscopeBlameItem rows in the core's order (largest growth first, shrinkers last, a program's
 * short-lived processes merged), then the unattributed row when the source had machine totals.
 * The view shows them sorted by a clicked column, else by the size of their change. */
GListModel *memscope_blame_list_get_model         (MemscopeBlameList       *self);
/* Shows a computed result at once (times in the result's clock), merged or not as given. */
void        memscope_blame_list_set_result        (MemscopeBlameList       *self,
                                                   const ms_blame_result_t *result);
/* Computes blame over [from_s, to_s] of a trace file (its time_s), off the main thread; a new
 * request cancels the one running.  ::computed is emitted when the list shows the result. */
void        memscope_blame_list_compute_trace     (MemscopeBlameList       *self,
                                                   const char              *path,
                                                   double                   from_s,
                                                   double                   to_s);
/* The same over the rolling recording in a state directory (times in wall-clock seconds). */
void        memscope_blame_list_compute_store     (MemscopeBlameList       *self,
                                                   const char              *dir,
                                                   double                   from_unix,
                                                   double                   to_unix);
void        memscope_blame_list_cancel            (MemscopeBlameList       *self);
gboolean    memscope_blame_list_get_busy          (MemscopeBlameList       *self);
/* The sentence above the rows (the window and growth, or why there is nothing). */
const char *memscope_blame_list_get_summary       (MemscopeBlameList       *self);
/* Machine growth of the shown result in KiB, and whether the source had machine totals. */
gboolean    memscope_blame_list_get_machine_delta (MemscopeBlameList       *self,
                                                   gint64                  *delta_kib);

G_END_DECLS
