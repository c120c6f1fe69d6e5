/* SPDX-License-Identifier: MIT */
/* Colours from the theme, for widgets that draw themselves. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The theme's colour called name, else the one called fallback_name (may be NULL), else
 * fallback_rgba (a colour gdk_rgba_parse() reads, e.g. "#3584e4"). */
void memscope_style_lookup_color (GtkWidget  *widget,
                                  const char *name,
                                  const char *fallback_name,
                                  const char *fallback_rgba,
                                  GdkRGBA    *out);

G_END_DECLS
