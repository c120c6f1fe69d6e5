/* SPDX-License-Identifier: MIT */
/* The in-depth part of the inspect panel: breakdown gauges, trend graph, what grows inside, and
 * the actions on the process (signals, copy, export). */
#pragma once

#include <gtk/gtk.h>

#include "memscope-breakdown-gauge.h"
#include "memscope-inspect-history.h"
#include "memscope-process-actions.h"
#include "memscope-process-row.h"
#include "memscope-smaps-view.h"
#include "memscope-trend-graph.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_INSPECT_DETAILS (memscope_inspect_details_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeInspectDetails, memscope_inspect_details, MEMSCOPE, INSPECT_DETAILS,
                      GtkWidget)

GtkWidget              *memscope_inspect_details_new                (void);

/* The process or group shown (NULL: none).  A process row starts its smaps reading. */
void                    memscope_inspect_details_set_row            (MemscopeInspectDetails *self,
                                                                     MemscopeProcessRow     *row);
MemscopeProcessRow     *memscope_inspect_details_get_row            (MemscopeInspectDetails *self);
/* What reads the process's smaps and sends its signals, where the processes live (here, on a
 * Flatpak's host or on a remote machine).  Until set, an unstarted sampler of this machine's. */
void                    memscope_inspect_details_set_sampler        (MemscopeInspectDetails *self,
                                                                     MemscopeSamplerThread  *sampler);
/* Re-reads the row's values into the gauges; call once per applied snapshot. */
void                    memscope_inspect_details_update             (MemscopeInspectDetails *self);
/* The worker's copy of the process's history and LEAK fit, and the sampler clock now.  Ignored
 * when it is about another process. */
void                    memscope_inspect_details_set_history        (MemscopeInspectDetails *self,
                                                                     MemscopeInspectHistory *history,
                                                                     double                  now_s);
/* The process has exited: said plainly, the last data stays, the actions go insensitive. */
void                    memscope_inspect_details_set_exited         (MemscopeInspectDetails *self,
                                                                     gboolean                exited);
gboolean                memscope_inspect_details_get_exited         (MemscopeInspectDetails *self);

/* Everything the panel shows about the process as plain text ("Copy details"). */
char                   *memscope_inspect_details_dup_text           (MemscopeInspectDetails *self);
/* The history shown, as a trace CSV (NULL when there is none). */
char                   *memscope_inspect_details_dup_csv            (MemscopeInspectDetails *self);

/* What the last copy or export did ("" before any). */
const char             *memscope_inspect_details_get_export_message (MemscopeInspectDetails *self);

MemscopeBreakdownGauge *memscope_inspect_details_get_composition    (MemscopeInspectDetails *self);
MemscopeBreakdownGauge *memscope_inspect_details_get_sharing        (MemscopeInspectDetails *self);
MemscopeTrendGraph     *memscope_inspect_details_get_trend_graph    (MemscopeInspectDetails *self);
MemscopeSmapsView      *memscope_inspect_details_get_smaps_view     (MemscopeInspectDetails *self);
MemscopeProcessActions *memscope_inspect_details_get_actions        (MemscopeInspectDetails *self);

G_END_DECLS
