/* SPDX-License-Identifier: MIT */
/* Colours from the theme, for widgets that draw themselves. */

#include "config.h"

#include "memscope-style.h"

void
memscope_style_lookup_color (GtkWidget  *widget,
                             const char *name,
                             const char *fallback_name,
                             const char *fallback_rgba,
                             GdkRGBA    *out)
{
  GtkStyleContext *context;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL && fallback_rgba != NULL && out != NULL);

  context = gtk_widget_get_style_context (widget);
  if (gtk_style_context_lookup_color (context, name, out))
    return;
  if (fallback_name != NULL && gtk_style_context_lookup_color (context, fallback_name, out))
    return;
  gdk_rgba_parse (out, fallback_rgba);
}
