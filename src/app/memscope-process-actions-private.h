/* SPDX-License-Identifier: MIT */
/* For tests only: the confirmation being shown, for the test to answer. */
#pragma once

#include "memscope-process-actions.h"

G_BEGIN_DECLS

/* The confirmation being shown, if any (answer it with gtk_dialog_response). */
GtkWidget *memscope_process_actions_get_confirmation (MemscopeProcessActions *self);

G_END_DECLS
