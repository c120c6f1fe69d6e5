/* SPDX-License-Identifier: MIT */
/* Follows the desktop's light/dark preference through the Settings portal. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_COLOR_SCHEME (memscope_color_scheme_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeColorScheme, memscope_color_scheme, MEMSCOPE, COLOR_SCHEME, GObject)

/* Starts reading org.freedesktop.appearance color-scheme and watching its changes; without a
 * portal (or a session bus) it silently does nothing. */
MemscopeColorScheme *memscope_color_scheme_new            (void);
gboolean             memscope_color_scheme_get_prefer_dark (MemscopeColorScheme *self);

G_END_DECLS
