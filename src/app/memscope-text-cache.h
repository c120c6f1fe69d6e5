/* SPDX-License-Identifier: MIT */
/* Shaped text kept between frames for drawn widgets: labels that repeat every tick are shaped
 * once, which is most of what drawing a chart costs. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _MemscopeTextCache MemscopeTextCache;

/* Layouts for widget's font, scaled by scale (1.0 for the widget's own size), with tabular
 * figures so changing numbers keep their width. */
MemscopeTextCache *memscope_text_cache_new   (GtkWidget         *widget,
                                              double             scale);
void               memscope_text_cache_free  (MemscopeTextCache *self);

/* The layout of text (borrowed: valid until the next trim or clear). */
PangoLayout       *memscope_text_cache_get   (MemscopeTextCache *self,
                                              const char        *text);
/* Call at the start of each frame: forgets everything once too many texts have been seen. */
void               memscope_text_cache_trim  (MemscopeTextCache *self);
/* The font or theme changed: everything is shaped again. */
void               memscope_text_cache_clear (MemscopeTextCache *self);

G_END_DECLS
