/* SPDX-License-Identifier: MIT */
/* Preferences: refresh interval, memory value, detector sensitivity, background, columns. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-background.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_PREFERENCES_DIALOG (memscope_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MemscopePreferencesDialog, memscope_preferences_dialog, MEMSCOPE, PREFERENCES_DIALOG, GtkWindow)

/* Follows and writes `settings`; under the background switches it shows why `background` (the
 * application's) turned one back off (NULL: no such lines). */
GtkWidget *memscope_preferences_dialog_new (GtkWindow          *parent,
                                            GSettings          *settings,
                                            MemscopeBackground *background);

G_END_DECLS
