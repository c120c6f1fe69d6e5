/* SPDX-License-Identifier: MIT */
/* Stop / Continue / End / Kill for the inspected process (End application for a group), each
 * confirmed by name, with the outcome shown and never swallowed. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-process-row.h"
#include "memscope-sampler-thread.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_PROCESS_ACTIONS (memscope_process_actions_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeProcessActions, memscope_process_actions, MEMSCOPE, PROCESS_ACTIONS,
                      GtkWidget)

GtkWidget  *memscope_process_actions_new              (void);

/* The process (or group) the buttons act on; NULL makes them insensitive.  Clears the message. */
void        memscope_process_actions_set_row          (MemscopeProcessActions *self,
                                                       MemscopeProcessRow     *row);
/* What sends the signals, where the processes live; for a remote's every message names the
 * machine.  Until set, an unstarted sampler of this machine's. */
void        memscope_process_actions_set_sampler      (MemscopeProcessActions *self,
                                                       MemscopeSamplerThread  *sampler);
/* The process has exited: nothing left to signal, the buttons go insensitive. */
void        memscope_process_actions_set_exited       (MemscopeProcessActions *self,
                                                       gboolean                exited);

/* Asks to send sig (SIGSTOP, SIGCONT, SIGTERM, SIGKILL) to the row's process, or SIGTERM to every
 * member of a group row: a confirmation naming the process(es) first, except for SIGCONT. */
void        memscope_process_actions_request          (MemscopeProcessActions *self,
                                                       int                     sig);

/* What the last action did, and whether it failed ("" before any). */
const char *memscope_process_actions_get_message      (MemscopeProcessActions *self);
gboolean    memscope_process_actions_get_failed       (MemscopeProcessActions *self);

G_END_DECLS
