/* SPDX-License-Identifier: MIT */
/* The Alerts part of Preferences: notifications, machine thresholds, ignored programs, login. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-background.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_ALERTS_PREFERENCES (memscope_alerts_preferences_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeAlertsPreferences, memscope_alerts_preferences, MEMSCOPE,
                      ALERTS_PREFERENCES, GtkBox)

/* Follows and writes the alert keys of `settings`; under "start at login" it shows why
 * `background` turned it back off (NULL: no such line). */
GtkWidget *memscope_alerts_preferences_new           (GSettings                 *settings,
                                                      MemscopeBackground        *background);

G_END_DECLS
