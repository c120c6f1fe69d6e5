/* SPDX-License-Identifier: MIT */
/* The main window: the live process list with its header bar, banners and inspect panel. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-history.h"
#include "memscope-process-model.h"
#include "memscope-sampler-thread.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_WINDOW (memscope_window_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeWindow, memscope_window, MEMSCOPE, WINDOW, GtkApplicationWindow)

/* Actions of its own besides the pane's: win.inspect-process ("(it)": pid, start time) selects
 * that process and opens the panel on it, waiting a few snapshots for a process not listed yet;
 * win.inspect opens the panel on the selected row.  The property focused-row is the process
 * inspected while the window is shown and active (NULL otherwise). */

/* Shows what `sampler` samples and the history of that machine (owned by the application). */
MemscopeWindow       *memscope_window_new               (GtkApplication        *application,
                                                         MemscopeSamplerThread *sampler,
                                                         MemscopeHistory       *history);
MemscopeProcessModel *memscope_window_get_model         (MemscopeWindow        *self);
GtkColumnView        *memscope_window_get_column_view   (MemscopeWindow        *self);
GtkEditable          *memscope_window_get_search_entry  (MemscopeWindow        *self);
GtkSingleSelection   *memscope_window_get_selection     (MemscopeWindow        *self);
MemscopeProcessRow   *memscope_window_get_row_at        (MemscopeWindow        *self,
                                                         guint                  position);
MemscopeProcessRow   *memscope_window_get_selected_row  (MemscopeWindow        *self);
gboolean              memscope_window_select_row        (MemscopeWindow        *self,
                                                         MemscopeProcessRow    *row);
MemscopeProcessRow   *memscope_window_get_inspected_row (MemscopeWindow        *self);
gboolean              memscope_window_get_paused        (MemscopeWindow        *self);
void                  memscope_window_set_paused        (MemscopeWindow        *self,
                                                         gboolean               paused);
/* The remote machine whose processes the window shows, NULL for this machine. */
const char           *memscope_window_get_remote        (MemscopeWindow        *self);
const char           *memscope_window_get_empty_text    (MemscopeWindow        *self);
const char           *memscope_window_get_undo_text     (MemscopeWindow        *self);
gboolean              memscope_window_get_can_undo_reset (MemscopeWindow       *self);
void                  memscope_window_set_undo_shown_ms (MemscopeWindow        *self,
                                                         guint                  shown_ms);

G_END_DECLS
