/* SPDX-License-Identifier: MIT */
/* "Start at login": writes or removes memscope's XDG autostart entry. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $XDG_CONFIG_HOME/autostart/<app id>.desktop */
char     *memscope_autostart_dup_path (void);

/* Writes the entry (it starts `memscope --background`) or removes it; removing one that is not
 * there succeeds. */
gboolean  memscope_autostart_set      (gboolean   enabled,
                                       GError   **error);
gboolean  memscope_autostart_get      (void);

G_END_DECLS
