/* SPDX-License-Identifier: MIT */
/* The tray icon drawn as pixels, for hosts that do not find it by name.  Cairo only, no GTK. */

#include "config.h"

#include <cairo.h>

#include "memscope-tray-pixmap.h"

/* The symbolic icons are drawn on a 16-unit grid (data/icons/hicolor/symbolic/apps). */
#define GRID 16.0
/* Around every shape, so a light icon still shows on a light panel; in grid units. */
#define RIM_WIDTH 0.8

/* Colours a panel of either kind leaves readable: the shapes light, their rim dark. */
static const double shape_rgba[] = { 0.965, 0.961, 0.957, 1.0 };
static const double rim_rgba[] = { 0.141, 0.122, 0.192, 1.0 };
static const double mark_rgba[] = { 0.929, 0.200, 0.231, 1.0 };

static void
module_path (cairo_t          *cr,
             MemscopeTrayIcon  icon)
{
  if (icon == MEMSCOPE_TRAY_ICON_QUIET)
    {
      /* The whole module with its window (even-odd), four pins and a flat trend line. */
      cairo_new_sub_path (cr);
      cairo_arc (cr, 2, 4, 1, G_PI, 1.5 * G_PI);
      cairo_arc (cr, 14, 4, 1, 1.5 * G_PI, 2 * G_PI);
      cairo_arc (cr, 14, 11, 1, 0, 0.5 * G_PI);
      cairo_arc (cr, 2, 11, 1, 0.5 * G_PI, G_PI);
      cairo_close_path (cr);
      cairo_rectangle (cr, 3, 5, 10, 5);
      for (int x = 3; x <= 12; x += 3)
        cairo_rectangle (cr, x, 13, 1, 2);
      cairo_rectangle (cr, 4, 7, 8, 1);
    }
  else
    {
      /* The module's left part, open to the right where the mark stands, two pins and a rising
       * line. */
      cairo_new_sub_path (cr);
      cairo_move_to (cr, 9, 3);
      cairo_line_to (cr, 2, 3);
      cairo_arc_negative (cr, 2, 4, 1, 1.5 * G_PI, G_PI);
      cairo_line_to (cr, 1, 11);
      cairo_arc_negative (cr, 2, 11, 1, G_PI, 0.5 * G_PI);
      cairo_line_to (cr, 9, 12);
      cairo_line_to (cr, 9, 10);
      cairo_line_to (cr, 3, 10);
      cairo_line_to (cr, 3, 5);
      cairo_line_to (cr, 9, 5);
      cairo_close_path (cr);
      cairo_rectangle (cr, 3, 13, 1, 2);
      cairo_rectangle (cr, 6, 13, 1, 2);
      cairo_move_to (cr, 4, 9);
      cairo_line_to (cr, 8, 6);
      cairo_line_to (cr, 8.6, 6.8);
      cairo_line_to (cr, 4.6, 9.8);
      cairo_close_path (cr);
    }
}

static void
mark_path (cairo_t *cr)
{
  /* An exclamation mark. */
  cairo_move_to (cr, 11, 1);
  cairo_line_to (cr, 14, 1);
  cairo_line_to (cr, 13.5, 9);
  cairo_line_to (cr, 11.5, 9);
  cairo_close_path (cr);
  cairo_rectangle (cr, 11.5, 11, 2, 2);
}

static void
draw (cairo_t          *cr,
      MemscopeTrayIcon  icon)
{
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 2 * RIM_WIDTH);

  /* The rim first, all shapes at once so it does not cover a neighbour, and the module's window
   * filled like it: on a light panel the window reads as a dark screen, not as a grey mesh. */
  if (icon == MEMSCOPE_TRAY_ICON_QUIET)
    cairo_rectangle (cr, 3, 5, 10, 5);
  else
    cairo_rectangle (cr, 3, 5, 6, 5);
  cairo_set_source_rgba (cr, rim_rgba[0], rim_rgba[1], rim_rgba[2], rim_rgba[3]);
  cairo_fill (cr);
  module_path (cr, icon);
  if (icon == MEMSCOPE_TRAY_ICON_ATTENTION)
    mark_path (cr);
  cairo_set_source_rgba (cr, rim_rgba[0], rim_rgba[1], rim_rgba[2], rim_rgba[3]);
  cairo_stroke (cr);

  module_path (cr, icon);
  cairo_set_source_rgba (cr, shape_rgba[0], shape_rgba[1], shape_rgba[2], shape_rgba[3]);
  cairo_fill (cr);
  if (icon == MEMSCOPE_TRAY_ICON_ATTENTION)
    {
      mark_path (cr);
      cairo_set_source_rgba (cr, mark_rgba[0], mark_rgba[1], mark_rgba[2], mark_rgba[3]);
      cairo_fill (cr);
    }
}

static GVariant *
pixmap_at (MemscopeTrayIcon icon,
           int              size)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  const guint8 *pixels;
  int stride;
  guint8 *data;
  gsize n_bytes = (gsize) size * size * 4;

  /* The rim reaches RIM_WIDTH past the grid's shapes, which keep that far from its edges. */
  cairo_scale (cr, size / GRID, size / GRID);
  draw (cr, icon);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = g_malloc (n_bytes);
  for (int y = 0; y < size; y++)
    {
      const guint32 *row = (const guint32 *) (pixels + (gsize) y * stride);

      for (int x = 0; x < size; x++)
        {
          /* Cairo keeps native-endian words with the colour premultiplied by alpha. */
          guint32 argb = row[x];
          guint a = argb >> 24;
          guint8 *out = data + ((gsize) y * size + x) * 4;

          out[0] = a;
          for (int c = 0; c < 3; c++)
            {
              guint v = (argb >> (16 - 8 * c)) & 0xff;

              out[1 + c] = a == 0 ? 0 : (v * 255 + a / 2) / a;
            }
        }
    }
  cairo_surface_destroy (surface);

  return g_variant_new ("(ii@ay)", size, size,
                        g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, data, n_bytes, TRUE,
                                                 g_free, data));
}

GVariant *
memscope_tray_pixmap_new (MemscopeTrayIcon icon)
{
  static const int sizes[] = { MEMSCOPE_TRAY_PIXMAP_SIZES };
  GVariantBuilder builder;

  g_return_val_if_fail (icon == MEMSCOPE_TRAY_ICON_QUIET || icon == MEMSCOPE_TRAY_ICON_ATTENTION,
                        NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(iiay)"));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_variant_builder_add_value (&builder, pixmap_at (icon, sizes[i]));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
