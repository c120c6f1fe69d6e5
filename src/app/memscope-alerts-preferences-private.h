/* SPDX-License-Identifier: MIT */
/* For tests only: what the Alerts preferences list. */
#pragma once

#include "memscope-alerts-preferences.h"

G_BEGIN_DECLS

/* How many programs the list of ignored programs shows. */
guint memscope_alerts_preferences_get_n_ignored (MemscopeAlertsPreferences *self);

G_END_DECLS
