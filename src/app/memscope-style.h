/* SPDX-License-Identifier: MIT */
/* Colours from the theme, for widgets that draw themselves, kept readable against their
 * backgrounds. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* WCAG 2's bar for text (AA): growth and shrink text and their sparklines reach it. */
#define MEMSCOPE_STYLE_MIN_CONTRAST 4.5

/* The theme's colour called name, else the one called fallback_name (may be NULL), else
 * fallback_rgba (a colour gdk_rgba_parse() reads, e.g. "#3584e4").  Inside a selected row (a
 * selected ancestor), a colour called name + "_selected" comes first: memscope defines such
 * variants where the theme's colour would be hard to read on the selection. */
void   memscope_style_lookup_color (GtkWidget     *widget,
                                    const char    *name,
                                    const char    *fallback_name,
                                    const char    *fallback_rgba,
                                    GdkRGBA       *out);

/* Whether widget or one of its ancestors is selected (a selected list row). */
gboolean memscope_style_in_selected_row (GtkWidget *widget);

/* WCAG 2's contrast ratio, from 1 to 21, of color drawn on an opaque background (a translucent
 * color is blended onto it first). */
double memscope_style_contrast     (const GdkRGBA *color,
                                    const GdkRGBA *background);

/* color (blended onto the first background, opaque) if it reaches ratio on every one of
 * backgrounds, else the colour nearest to it, mixed toward black or toward white, that does;
 * where neither does, the better of the two.  Whole 8-bit channels, as CSS writes them. */
void   memscope_style_readable     (const GdkRGBA *color,
                                    const GdkRGBA *backgrounds,
                                    guint          n_backgrounds,
                                    double         ratio,
                                    GdkRGBA       *out);

/* The CSS that defines memscope's growth and shrink colours (memscope_grow_color,
 * memscope_shrink_color and their _selected variants) for the theme widget's style uses: the
 * theme's error and success colours where they reach MEMSCOPE_STYLE_MIN_CONTRAST on the list's
 * and the window's background (or the selection's), the nearest colours that do where not; and
 * the tag pills' background and text (memscope_leak_pill, memscope_leak_pill_text, likewise
 * spike and zombie): the theme's error and warning colours and a grey of its text colour, with
 * white or dark text, whichever reads, the background moved where neither reaches the bar. */
char  *memscope_style_tones_css    (GtkWidget *widget);

/* Gives display memscope's growth and shrink colours and keeps them readable when the theme or
 * its dark variant changes (memscope_load_style calls it). */
void   memscope_style_install_tones (GdkDisplay *display);

G_END_DECLS
