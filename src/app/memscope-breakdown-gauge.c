/* SPDX-License-Identifier: MIT */
/* A drawn gauge of a few sizes out of a total (e.g. anonymous / file / shared / swap), each with
 * its value and share. */

#include "config.h"

#include <glib/gi18n.h>

#include "memscope-breakdown-gauge.h"
#include "memscope-chart-math.h"
#include "memscope-format.h"
#include "memscope-style.h"
#include "memscope-text-cache.h"

#define ROW_HEIGHT 22
#define STACK_HEIGHT 10
#define STACK_GAP 8
#define BAR_HEIGHT 8
#define COLUMN_GAP 8
#define MIN_BAR_WIDTH 60
#define MIN_SLIVER_PX 2
/* Narrower than a row of label, bar and value, a part takes two lines: its label, then its bar
 * and value. */
#define LABEL_LINE_HEIGHT 18

typedef struct
{
  char   *id;
  char   *label;
  gint64  value_kib;
} Part;

struct _MemscopeBreakdownGauge
{
  GtkWidget parent_instance;

  /* owned */
  char   *title;
  char   *total_label;
  char   *summary;
  Part    parts[MEMSCOPE_BREAKDOWN_MAX_PARTS];
  guint   n_parts;
  gint64  total_kib;
  gboolean stacked;
  MemscopeTextCache *texts;
  int     label_width; /* cached column widths, -1 until measured with the current font */
  int     value_width;
};

G_DEFINE_FINAL_TYPE (MemscopeBreakdownGauge, memscope_breakdown_gauge, GTK_TYPE_WIDGET)

/* Stock theme colours for the parts memscope knows, so related parts look related (private,
 * proportional and resident in the colours of the list's columns) and the peak stays quiet. */
static const struct
{
  const char *id;
  const char *theme_name;
  float       alpha;
  const char *fallback;
} part_colors[] = {
  { "anon", "accent_bg_color", 1.0f, "#3584e4" },
  { "file", "success_color", 1.0f, "#26a269" },
  { "shmem", "accent_color", 0.55f, "#1c71d8" },
  { "swap", "warning_color", 1.0f, "#c64600" },
  { "uss", "accent_bg_color", 1.0f, "#3584e4" },
  { "pss", "success_color", 1.0f, "#26a269" },
  { "rss", "theme_fg_color", 0.55f, "#77767b" },
  { "hwm", "theme_fg_color", 0.3f, "#77767b" },
};

static void
part_color (MemscopeBreakdownGauge *self,
            guint                   index,
            GdkRGBA                *out)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  g_autofree char *name = g_strdup_printf ("memscope_breakdown_%s", self->parts[index].id);

  if (gtk_style_context_lookup_color (context, name, out))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (part_colors); i++)
    if (g_str_equal (part_colors[i].id, self->parts[index].id))
      {
        memscope_style_lookup_color (GTK_WIDGET (self), part_colors[i].theme_name, NULL,
                                     part_colors[i].fallback, out);
        out->alpha *= part_colors[i].alpha;
        return;
      }
  /* An unknown part: the text colour, fainter for each further part. */
  gtk_style_context_get_color (context, out);
  out->alpha *= MAX (0.8f - 0.12f * (float) index, 0.2f);
}

/* "120 MiB · 60 %" */
static char *
value_text (MemscopeBreakdownGauge *self,
            guint                   index)
{
  gint64 value = self->parts[index].value_kib;
  g_autofree char *size = memscope_format_size (value);
  g_autofree char *share = NULL;

  if (value < 0 || self->total_kib <= 0)
    return g_steal_pointer (&size);
  share = memscope_format_share (value, self->total_kib);
  return g_strdup_printf ("%s · %s", size, share);
}

/* Labels repeat every frame and values often do: shaped once, kept in the cache. */
static PangoLayout *
make_layout (MemscopeBreakdownGauge *self,
             const char             *text)
{
  if (self->texts == NULL)
    self->texts = memscope_text_cache_new (GTK_WIDGET (self), 1.0);
  return g_object_ref (memscope_text_cache_get (self->texts, text));
}

static int
text_width (MemscopeBreakdownGauge *self,
            const char             *text)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static int
label_column_width (MemscopeBreakdownGauge *self)
{
  if (self->label_width < 0)
    {
      self->label_width = 0;
      for (guint i = 0; i < self->n_parts; i++)
        self->label_width = MAX (self->label_width, text_width (self, self->parts[i].label));
    }
  return self->label_width;
}

static int
value_column_width (MemscopeBreakdownGauge *self)
{
  /* Wide enough for a large value and share, so the bars do not resize every tick. */
  if (self->value_width < 0)
    self->value_width = MAX (text_width (self, "1023.9 MiB · 100 %"),
                             text_width (self, MEMSCOPE_FORMAT_UNKNOWN));
  return self->value_width;
}

static void
draw_text (MemscopeBreakdownGauge *self,
           cairo_t                *cr,
           const char             *text,
           double                  x,
           double                  y_center,
           double                  right_edge,
           const GdkRGBA          *color)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  if (right_edge > 0)
    x = right_edge - width;
  cairo_move_to (cr, x, y_center - height / 2.0);
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, layout);
}

static int
content_top (MemscopeBreakdownGauge *self)
{
  return self->stacked ? STACK_HEIGHT + STACK_GAP : 0;
}

/* The width a part needs on one line: label, bar and value. */
static int
one_line_width (MemscopeBreakdownGauge *self)
{
  return label_column_width (self) + value_column_width (self) + 2 * COLUMN_GAP + MIN_BAR_WIDTH;
}

/* The width a part needs on two lines: the label over a bar and the value. */
static int
two_line_width (MemscopeBreakdownGauge *self)
{
  return MAX (label_column_width (self), MIN_BAR_WIDTH + COLUMN_GAP + value_column_width (self));
}

static gboolean
two_lines_at (MemscopeBreakdownGauge *self,
              int                     width)
{
  return width >= 0 && width < one_line_width (self);
}

static int
part_height (MemscopeBreakdownGauge *self,
             gboolean                two_lines)
{
  return two_lines ? LABEL_LINE_HEIGHT + ROW_HEIGHT : ROW_HEIGHT;
}

static void
memscope_breakdown_gauge_snapshot (GtkWidget   *widget,
                                   GtkSnapshot *snapshot)
{
  MemscopeBreakdownGauge *self = MEMSCOPE_BREAKDOWN_GAUGE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean two_lines = two_lines_at (self, width);
  int label_w = two_lines ? 0 : label_column_width (self);
  int value_w = value_column_width (self);
  double bar_x = two_lines ? 0 : label_w + COLUMN_GAP;
  double bar_w = MAX (width - bar_x - value_w - COLUMN_GAP, 0);
  int step = part_height (self, two_lines);
  int bar_line = two_lines ? LABEL_LINE_HEIGHT : 0;
  GdkRGBA fg, trough;
  cairo_t *cr;

  if (self->n_parts == 0 || width <= 0 || height <= 0)
    return;
  if (self->texts != NULL)
    memscope_text_cache_trim (self->texts);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  trough = fg;
  trough.alpha *= 0.15f;

  if (self->stacked)
    {
      double x = 0;

      gtk_snapshot_append_color (snapshot, &trough, &GRAPHENE_RECT_INIT (0, 0, width, STACK_HEIGHT));
      for (guint i = 0; i < self->n_parts; i++)
        {
          double w = memscope_chart_bar_width (self->parts[i].value_kib, self->total_kib, width,
                                               MIN_SLIVER_PX);
          GdkRGBA color;

          w = MIN (w, width - x);
          if (w <= 0)
            continue;
          part_color (self, i, &color);
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (x, 0, w, STACK_HEIGHT));
          x += w;
        }
    }

  for (guint i = 0; i < self->n_parts; i++)
    {
      double y = content_top (self) + i * step + bar_line;
      double bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
      double w = memscope_chart_bar_width (self->parts[i].value_kib, self->total_kib, bar_w,
                                           MIN_SLIVER_PX);
      GdkRGBA color;

      part_color (self, i, &color);
      gtk_snapshot_append_color (snapshot, &trough,
                                 &GRAPHENE_RECT_INIT (bar_x, bar_y, bar_w, BAR_HEIGHT));
      if (w > 0)
        gtk_snapshot_append_color (snapshot, &color,
                                   &GRAPHENE_RECT_INIT (bar_x, bar_y, w, BAR_HEIGHT));
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; i < self->n_parts; i++)
    {
      double top = content_top (self) + i * step;
      double y_center = top + bar_line + ROW_HEIGHT / 2.0;
      g_autofree char *value = value_text (self, i);

      draw_text (self, cr, self->parts[i].label, 0,
                 two_lines ? top + LABEL_LINE_HEIGHT / 2.0 : y_center, 0, &fg);
      draw_text (self, cr, value, 0, y_center, width, &fg);
    }
  cairo_destroy (cr);
}

static void
memscope_breakdown_gauge_measure (GtkWidget      *widget,
                                  GtkOrientation  orientation,
                                  int             for_size,
                                  int            *minimum,
                                  int            *natural,
                                  int            *minimum_baseline,
                                  int            *natural_baseline)
{
  MemscopeBreakdownGauge *self = MEMSCOPE_BREAKDOWN_GAUGE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* A narrow panel reflows each part onto two lines rather than cut its text. */
      *minimum = two_line_width (self);
      *natural = one_line_width (self) + 80;
    }
  else
    *minimum = *natural = content_top (self)
                          + (int) self->n_parts * part_height (self, two_lines_at (self, for_size));
}

static GtkSizeRequestMode
memscope_breakdown_gauge_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
update_summary (MemscopeBreakdownGauge *self)
{
  GString *text = g_string_new (self->title);

  g_assert (MEMSCOPE_IS_BREAKDOWN_GAUGE (self));

  for (guint i = 0; i < self->n_parts; i++)
    {
      g_autofree char *value = value_text (self, i);

      g_string_append_printf (text, i == 0 ? ": %s %s" : "; %s %s", self->parts[i].label, value);
    }
  if (self->total_label != NULL && self->total_kib > 0)
    {
      g_autofree char *total = memscope_format_size (self->total_kib);

      g_string_append_printf (text, _(" (of %s %s)"), self->total_label, total);
    }

  g_free (self->summary);
  self->summary = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->summary, -1);
}

/* The tooltip is asked for when shown: setting it every tick would ask the X server where the
 * pointer is each time. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  MemscopeBreakdownGauge *self = MEMSCOPE_BREAKDOWN_GAUGE (widget);

  gtk_tooltip_set_text (tooltip, self->summary);
  return self->summary != NULL;
}

static void
memscope_breakdown_gauge_finalize (GObject *object)
{
  MemscopeBreakdownGauge *self = (MemscopeBreakdownGauge *) object;

  for (guint i = 0; i < self->n_parts; i++)
    {
      g_free (self->parts[i].id);
      g_free (self->parts[i].label);
    }
  g_free (self->title);
  g_free (self->total_label);
  g_free (self->summary);
  g_clear_pointer (&self->texts, memscope_text_cache_free);

  G_OBJECT_CLASS (memscope_breakdown_gauge_parent_class)->finalize (object);
}

static void
memscope_breakdown_gauge_css_changed (GtkWidget         *widget,
                                      GtkCssStyleChange *change)
{
  MemscopeBreakdownGauge *self = MEMSCOPE_BREAKDOWN_GAUGE (widget);

  GTK_WIDGET_CLASS (memscope_breakdown_gauge_parent_class)->css_changed (widget, change);
  g_clear_pointer (&self->texts, memscope_text_cache_free);
  self->label_width = self->value_width = -1;
  /* Fonts and colours come from the theme: a dark-mode switch or a font change redraws. */
  gtk_widget_queue_resize (widget);
}

static void
memscope_breakdown_gauge_class_init (MemscopeBreakdownGaugeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = memscope_breakdown_gauge_finalize;
  widget_class->snapshot = memscope_breakdown_gauge_snapshot;
  widget_class->measure = memscope_breakdown_gauge_measure;
  widget_class->get_request_mode = memscope_breakdown_gauge_get_request_mode;
  widget_class->css_changed = memscope_breakdown_gauge_css_changed;

  gtk_widget_class_set_css_name (widget_class, "breakdowngauge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
memscope_breakdown_gauge_init (MemscopeBreakdownGauge *self)
{
  self->total_kib = -1;
  self->label_width = self->value_width = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

GtkWidget *
memscope_breakdown_gauge_new (const char *title)
{
  MemscopeBreakdownGauge *self = g_object_new (MEMSCOPE_TYPE_BREAKDOWN_GAUGE, NULL);

  self->title = g_strdup (title != NULL ? title : "");
  update_summary (self);
  return GTK_WIDGET (self);
}

int
memscope_breakdown_gauge_add_part (MemscopeBreakdownGauge *self,
                                   const char             *id,
                                   const char             *label)
{
  Part *part;

  g_return_val_if_fail (MEMSCOPE_IS_BREAKDOWN_GAUGE (self), -1);
  g_return_val_if_fail (id != NULL && label != NULL, -1);

  if (self->n_parts >= MEMSCOPE_BREAKDOWN_MAX_PARTS)
    return -1;
  part = &self->parts[self->n_parts];
  part->id = g_strdup (id);
  part->label = g_strdup (label);
  part->value_kib = -1;
  gtk_widget_add_css_class (GTK_WIDGET (self), id);
  self->n_parts++;
  self->label_width = -1;
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return (int) self->n_parts - 1;
}

void
memscope_breakdown_gauge_set_values (MemscopeBreakdownGauge *self,
                                     const gint64           *values_kib,
                                     guint                   n,
                                     gint64                  total_kib,
                                     const char             *total_label,
                                     gboolean                stacked)
{
  gboolean changed = FALSE;

  g_return_if_fail (MEMSCOPE_IS_BREAKDOWN_GAUGE (self));
  g_return_if_fail (values_kib != NULL || n == 0);

  n = MIN (n, self->n_parts);
  for (guint i = 0; i < n; i++)
    if (self->parts[i].value_kib != values_kib[i])
      {
        self->parts[i].value_kib = values_kib[i];
        changed = TRUE;
      }
  if (self->total_kib != total_kib)
    {
      self->total_kib = total_kib;
      changed = TRUE;
    }
  if (g_strcmp0 (self->total_label, total_label) != 0)
    {
      g_free (self->total_label);
      self->total_label = g_strdup (total_label);
      changed = TRUE;
    }
  if (self->stacked != !!stacked)
    {
      self->stacked = !!stacked;
      gtk_widget_queue_resize (GTK_WIDGET (self));
      changed = TRUE;
    }
  if (!changed)
    return;

  update_summary (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
memscope_breakdown_gauge_get_summary (MemscopeBreakdownGauge *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_BREAKDOWN_GAUGE (self), NULL);
  return self->summary;
}
