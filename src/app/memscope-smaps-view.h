/* SPDX-License-Identifier: MIT */
/* What grows inside one process: its smaps mappings grouped by kind, with RSS / PSS / swap and
 * the change since the view started watching it, read off the UI thread every few seconds. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-sampler-thread.h"
#include "smaps-groups.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_SMAPS_VIEW (memscope_smaps_view_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeSmapsView, memscope_smaps_view, MEMSCOPE, SMAPS_VIEW, GtkWidget)

/* How often the smaps is re-read while the view is visible. */
#define MEMSCOPE_SMAPS_REFRESH_MS 3000
/* Groups listed; the rest are summed up in one line. */
#define MEMSCOPE_SMAPS_MAX_ROWS 24

GtkWidget  *memscope_smaps_view_new             (void);

/* Watches the process (pid, starttime): the first reading is the baseline changes are counted
 * from.  pid <= 0 stops watching and clears. */
void        memscope_smaps_view_set_process     (MemscopeSmapsView *self,
                                                 gint32             pid,
                                                 guint64            starttime);
/* What reads the smaps, where the processes live.  Until set, an unstarted sampler of this
 * machine's (reading under memscope_proc_root ()). */
void        memscope_smaps_view_set_sampler     (MemscopeSmapsView     *self,
                                                 MemscopeSamplerThread *sampler);
/* Reads again now unless a read is already running. */
void        memscope_smaps_view_refresh         (MemscopeSmapsView *self);

/* Readings completed for the current process (the baseline counts as the first). */
guint       memscope_smaps_view_get_n_reads     (MemscopeSmapsView *self);
/* The status line: when it was read, or why it cannot be. */
const char *memscope_smaps_view_get_status      (MemscopeSmapsView *self);
/* Growth (RSS + swap change) since the baseline summed over the groups of one kind. */
gint64      memscope_smaps_view_get_growth_kib  (MemscopeSmapsView *self,
                                                 ms_smaps_kind_t    kind);
/* Rows shown, and what row i shows: its cells joined by tabs. */
guint       memscope_smaps_view_get_n_rows      (MemscopeSmapsView *self);
char       *memscope_smaps_view_dup_row_text    (MemscopeSmapsView *self,
                                                 guint              row);
/* Every shown row as text, for "Copy details". */
char       *memscope_smaps_view_dup_text        (MemscopeSmapsView *self);

G_END_DECLS
