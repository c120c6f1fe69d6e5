/* SPDX-License-Identifier: MIT */
/* The side panel with the basic facts of one process (the full inspector grows from it). */
#pragma once

#include <gtk/gtk.h>

#include "memscope-inspect-details.h"
#include "memscope-process-row.h"
#include "memscope-snapshot.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_INSPECT_PANEL (memscope_inspect_panel_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeInspectPanel, memscope_inspect_panel, MEMSCOPE, INSPECT_PANEL, GtkWidget)

GtkWidget          *memscope_inspect_panel_new     (void);
MemscopeProcessRow *memscope_inspect_panel_get_row (MemscopeInspectPanel *self);
void                memscope_inspect_panel_set_row (MemscopeInspectPanel *self,
                                                    MemscopeProcessRow   *row);
/* Each applied snapshot: the inspected process's history and LEAK fit, or its exit. */
void                memscope_inspect_panel_apply_snapshot (MemscopeInspectPanel   *self,
                                                           const MemscopeSnapshot *snapshot);
MemscopeInspectDetails *memscope_inspect_panel_get_details (MemscopeInspectPanel *self);
/* The panel's width (remembered in GSettings as inspect-panel-width). */
void                memscope_inspect_panel_set_width (MemscopeInspectPanel *self,
                                                      int                   width);

/* The width the panel wants (the user's), and the width the window gives it for now instead
 * (G_MAXINT: the one it wants). */
int                     memscope_inspect_panel_get_width     (MemscopeInspectPanel *self);
void                    memscope_inspect_panel_set_max_width (MemscopeInspectPanel *self,
                                                              int                   max_width);
int                     memscope_inspect_panel_get_max_width (MemscopeInspectPanel *self);

/* The narrowest the panel's content can be laid out without being cut. */
int                     memscope_inspect_panel_get_content_min_width (MemscopeInspectPanel *self);

G_END_DECLS
