/* SPDX-License-Identifier: MIT */
/* The machine's memory at a glance: used and total RAM, swap and memory pressure. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "memscope-format.h"
#include "memscope-memory-gauge.h"
#include "memscope-style.h"

#define GAUGE_WIDTH 300
#define GAUGE_HEIGHT 30
#define LABEL_WIDTH 38
#define BAR_WIDTH 110
/* A narrow window (800 px with the inspect panel) takes its room from the bars first. */
#define GAUGE_MIN_WIDTH 236
#define BAR_MIN_WIDTH 46

struct _MemscopeMemoryGauge
{
  GtkWidget parent_instance;

  ms_meminfo_t mem;
  ms_pressure_t pressure;
  gboolean have_mem;

  /* owned */
  char *tooltip;
  char *drawn; /* what the last drawing showed, in words and pixels */
};

G_DEFINE_FINAL_TYPE (MemscopeMemoryGauge, memscope_memory_gauge, GTK_TYPE_WIDGET)

static void
rounded_bar (cairo_t       *cr,
             double         x,
             double         y,
             double         width,
             double         height,
             const GdkRGBA *color)
{
  double r = height / 2.0;

  if (width <= 0)
    return;
  r = MIN (r, width / 2.0);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - r, y + r, r, -G_PI / 2, G_PI / 2);
  cairo_arc (cr, x + r, y + r, r, G_PI / 2, 3 * G_PI / 2);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill (cr);
}

static void
draw_text (MemscopeMemoryGauge *self,
           cairo_t             *cr,
           const char          *text,
           double               x,
           double               y_center,
           const GdkRGBA       *color,
           gboolean             small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x, y_center - height / 2.0);
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
draw_row (MemscopeMemoryGauge *self,
          cairo_t             *cr,
          double               y,
          double               bar_height,
          const char          *label,
          double               fraction,
          const char          *value,
          const GdkRGBA       *fg,
          const GdkRGBA       *trough,
          const GdkRGBA       *fill)
{
  double y_center = y + bar_height / 2.0;
  double bar_width = CLAMP (BAR_WIDTH - (GAUGE_WIDTH - gtk_widget_get_width (GTK_WIDGET (self))),
                            BAR_MIN_WIDTH, BAR_WIDTH);

  draw_text (self, cr, label, 0, y_center, fg, TRUE);
  rounded_bar (cr, LABEL_WIDTH, y, bar_width, bar_height, trough);
  rounded_bar (cr, LABEL_WIDTH, y, MAX (bar_height, bar_width * CLAMP (fraction, 0.0, 1.0)),
               bar_height, fraction > 0 ? fill : trough);
  draw_text (self, cr, value, LABEL_WIDTH + bar_width + 8, y_center, fg, TRUE);
}

static void
memscope_memory_gauge_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  MemscopeMemoryGauge *self = MEMSCOPE_MEMORY_GAUGE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, trough, fill, swap_fill, pressure_high;
  g_autofree char *ram_text = NULL;
  g_autofree char *swap_text = NULL;
  g_autofree char *used = NULL;
  g_autofree char *total = NULL;
  double ram_fraction = 0, swap_fraction = 0;
  cairo_t *cr;

  if (!self->have_mem)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  memscope_style_lookup_color (widget, "memscope_gauge_trough", NULL, "rgba(128,128,128,0.25)",
                               &trough);
  memscope_style_lookup_color (widget, "memscope_gauge_ram", NULL, "#3584e4", &fill);
  memscope_style_lookup_color (widget, "memscope_gauge_swap", NULL, "#9141ac", &swap_fill);
  memscope_style_lookup_color (widget, "memscope_pressure_high", NULL, "#e01b24", &pressure_high);

  if (self->mem.mem_total_kib > 0)
    {
      gint64 used_kib = self->mem.mem_total_kib - self->mem.mem_available_kib;

      ram_fraction = (double) used_kib / (double) self->mem.mem_total_kib;
      used = memscope_format_size (used_kib);
      total = memscope_format_size (self->mem.mem_total_kib);
      ram_text = g_strdup_printf ("%s / %s", used, total);
    }
  else
    ram_text = g_strdup (MEMSCOPE_FORMAT_UNKNOWN);

  if (self->mem.swap_total_kib > 0)
    {
      gint64 swap_used_kib = self->mem.swap_total_kib - self->mem.swap_free_kib;

      g_clear_pointer (&used, g_free);
      g_clear_pointer (&total, g_free);
      swap_fraction = (double) swap_used_kib / (double) self->mem.swap_total_kib;
      used = memscope_format_size (swap_used_kib);
      total = memscope_format_size (self->mem.swap_total_kib);
      swap_text = g_strdup_printf ("%s / %s", used, total);
    }
  else
    swap_text = g_strdup (_("none"));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  {
    double row_h = 8;
    double gap = (height - 2 * row_h) / 3.0;

    draw_row (self, cr, gap, row_h, _("RAM"), ram_fraction, ram_text, &fg, &trough, &fill);
    draw_row (self, cr, 2 * gap + row_h, row_h, _("Swap"), swap_fraction, swap_text,
              &fg, &trough, &swap_fill);
    /* Pressure shows only once tasks stall at all, in the warning colour when it hurts. */
    if (self->pressure.valid && self->pressure.some_avg10 >= 0.1)
      {
        g_autofree char *psi = g_strdup_printf (_("PSI %.0f%%"), self->pressure.some_avg10);

        draw_text (self, cr, psi, width - 52, height / 2.0,
                   self->pressure.some_avg10 >= 10.0 ? &pressure_high : &fg, TRUE);
      }
  }
  cairo_destroy (cr);
}

static void
memscope_memory_gauge_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GAUGE_MIN_WIDTH;
      *natural = GAUGE_WIDTH;
    }
  else
    *minimum = *natural = GAUGE_HEIGHT;
}

static gboolean
memscope_memory_gauge_query_tooltip (GtkWidget  *widget,
                                     int         x,
                                     int         y,
                                     gboolean    keyboard_tooltip,
                                     GtkTooltip *tooltip)
{
  MemscopeMemoryGauge *self = MEMSCOPE_MEMORY_GAUGE (widget);

  if (self->tooltip == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->tooltip);
  return TRUE;
}

static void
memscope_memory_gauge_finalize (GObject *object)
{
  MemscopeMemoryGauge *self = MEMSCOPE_MEMORY_GAUGE (object);

  g_free (self->tooltip);
  g_free (self->drawn);

  G_OBJECT_CLASS (memscope_memory_gauge_parent_class)->finalize (object);
}

static void
memscope_memory_gauge_class_init (MemscopeMemoryGaugeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = memscope_memory_gauge_finalize;
  widget_class->snapshot = memscope_memory_gauge_snapshot;
  widget_class->query_tooltip = memscope_memory_gauge_query_tooltip;
  widget_class->measure = memscope_memory_gauge_measure;

  gtk_widget_class_set_css_name (widget_class, "memorygauge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
memscope_memory_gauge_init (MemscopeMemoryGauge *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Machine memory"), -1);
}

GtkWidget *
memscope_memory_gauge_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_MEMORY_GAUGE, NULL);
}

void
memscope_memory_gauge_update (MemscopeMemoryGauge *self,
                              const ms_meminfo_t  *mem,
                              const ms_pressure_t *pressure)
{
  g_autofree char *used = NULL;
  g_autofree char *total = NULL;
  g_autofree char *swap_used = NULL;
  g_autofree char *swap_total = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *pressure_text = NULL;
  g_autofree char *picture = NULL;

  g_return_if_fail (MEMSCOPE_IS_MEMORY_GAUGE (self));
  g_return_if_fail (mem != NULL);

  if (self->have_mem && memcmp (&self->mem, mem, sizeof *mem) == 0
      && ((pressure == NULL && !self->pressure.valid)
          || (pressure != NULL && memcmp (&self->pressure, pressure, sizeof *pressure) == 0)))
    return;

  self->mem = *mem;
  if (pressure != NULL)
    self->pressure = *pressure;
  else
    self->pressure.valid = FALSE;
  self->have_mem = TRUE;

  used = memscope_format_size (mem->mem_total_kib - mem->mem_available_kib);
  total = memscope_format_size (mem->mem_total_kib);
  swap_used = memscope_format_size (mem->swap_total_kib - mem->swap_free_kib);
  swap_total = memscope_format_size (mem->swap_total_kib);
  if (self->pressure.valid)
    pressure_text = g_strdup_printf (_("Memory pressure: some %.1f%% (10 s), %.1f%% (60 s); "
                                       "full %.1f%% (10 s)"),
                                     self->pressure.some_avg10, self->pressure.some_avg60,
                                     self->pressure.full_avg10);
  else
    pressure_text = g_strdup (_("Memory pressure: not available (the kernel has no PSI)"));
  tooltip = g_strdup_printf (_("RAM: %s used of %s\nSwap: %s used of %s\n%s"),
                             used, total, swap_used, swap_total, pressure_text);
  /* The tooltip is handed out when asked (query-tooltip): setting it every second would make GTK
   * ask the display server where the pointer is, every second. */
  if (g_strcmp0 (tooltip, self->tooltip) != 0)
    {
      g_free (self->tooltip);
      self->tooltip = g_steal_pointer (&tooltip);
      gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      self->tooltip, -1);
    }

  /* Drawn again only when a figure, a bar's length in pixels or the pressure note changes. */
  picture = g_strdup_printf ("%s|%s|%s|%s|%d|%d|%.0f|%d", used, total, swap_used, swap_total,
                             mem->mem_total_kib > 0
                               ? (int) lround (BAR_WIDTH * (double) (mem->mem_total_kib
                                                                     - mem->mem_available_kib)
                                               / (double) mem->mem_total_kib)
                               : -1,
                             mem->swap_total_kib > 0
                               ? (int) lround (BAR_WIDTH * (double) (mem->swap_total_kib
                                                                     - mem->swap_free_kib)
                                               / (double) mem->swap_total_kib)
                               : -1,
                             self->pressure.valid && self->pressure.some_avg10 >= 0.1
                               ? self->pressure.some_avg10 : -1.0,
                             self->pressure.valid && self->pressure.some_avg10 >= 10.0);
  if (g_strcmp0 (picture, self->drawn) != 0)
    {
      g_free (self->drawn);
      self->drawn = g_steal_pointer (&picture);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}
