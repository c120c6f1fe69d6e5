/* SPDX-License-Identifier: MIT */
/* How the window draws: GTK's cairo renderer and no GL stack, unless the user chose otherwise. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* In main(), before GTK starts: asks GDK not to open GL at display start-up, unless the user set
 * GSK_RENDERER or a GL option of their own.  Returns whether memscope chose (FALSE: the user did). */
gboolean memscope_render_policy_prepare (void);

/* Right after gtk_init(), before any window is realized or any child started: gives the
 * environment back as the user set it (children inherit the user's choice, not memscope's) and
 * picks the cairo renderer for the display's surfaces. */
void     memscope_render_policy_apply   (GdkDisplay *display);

G_END_DECLS
