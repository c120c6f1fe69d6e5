/* SPDX-License-Identifier: MIT */
/* A small line of one row's delta over the last minute. */

#include "config.h"

#include "memscope-sparkline.h"
#include "memscope-style.h"

#define SPARK_WIDTH 56
#define SPARK_HEIGHT 16
#define SPARK_SPAN_S 60.0
/* The smallest vertical range drawn: jitter of a few hundred KiB stays a flat line instead of
 * being stretched into a zigzag as tall as a real leak. */
#define SPARK_MIN_RANGE_KIB 4096.0f

struct _MemscopeSparkline
{
  GtkWidget parent_instance;

  /* owned */
  MemscopeProcessRow *row;

  /* A flat line looks the same after another equal sample: no need to draw it again. */
  gboolean drawn_flat;
  float drawn_flat_kib;
};

G_DEFINE_FINAL_TYPE (MemscopeSparkline, memscope_sparkline, GTK_TYPE_WIDGET)

/* Every sparkline showing a row.  A list keeps a couple of hundred rows built, most of them off
 * screen: one pass over them per tick costs far less than a notification from every row. */
static GPtrArray *bound;

enum {
  PROP_0,
  PROP_ROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Whether the points of the last minute all hold one value (set in *value_kib). */
static gboolean
history_is_flat (MemscopeProcessRow *row,
                 float              *value_kib)
{
  MemscopeRowPoint points[MEMSCOPE_ROW_HISTORY];
  gsize n = memscope_process_row_get_history (row, points, G_N_ELEMENTS (points));

  if (n == 0)
    return FALSE;
  for (gsize i = 0; i + 1 < n; i++)
    if (points[i].delta_kib != points[n - 1].delta_kib
        && points[n - 1].time_s - points[i].time_s <= SPARK_SPAN_S)
      return FALSE;
  *value_kib = points[n - 1].delta_kib;
  return TRUE;
}

static void
history_changed_cb (MemscopeSparkline *self)
{
  float value_kib = 0;

  g_assert (MEMSCOPE_IS_SPARKLINE (self));

  /* Hidden windows sample for alerts but draw nothing. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->drawn_flat && history_is_flat (self->row, &value_kib)
      && value_kib == self->drawn_flat_kib)
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
memscope_sparkline_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MemscopeSparkline *self = MEMSCOPE_SPARKLINE (widget);
  MemscopeRowPoint points[MEMSCOPE_ROW_HISTORY];
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA grow, shrink, zero;
  float lo = 0, hi = 0;
  double t_end, t_start;
  gsize n, first = 0;
  cairo_t *cr;

  self->drawn_flat = FALSE;
  if (self->row == NULL)
    return;
  n = memscope_process_row_get_history (self->row, points, G_N_ELEMENTS (points));
  if (n < 2)
    return;
  self->drawn_flat = history_is_flat (self->row, &self->drawn_flat_kib);

  t_end = points[n - 1].time_s;
  t_start = t_end - SPARK_SPAN_S;
  while (first < n - 1 && points[first].time_s < t_start)
    first++;
  for (gsize i = first; i < n; i++)
    {
      lo = MIN (lo, points[i].delta_kib);
      hi = MAX (hi, points[i].delta_kib);
    }
  if (hi - lo < SPARK_MIN_RANGE_KIB)
    {
      float pad = (SPARK_MIN_RANGE_KIB - (hi - lo)) / 2.0f;

      /* Keep zero inside and centred when nothing moved. */
      lo -= pad;
      hi += pad;
    }

  memscope_style_lookup_color (widget, "memscope_grow_color", "error_color", "#c01c28", &grow);
  memscope_style_lookup_color (widget, "memscope_shrink_color", "success_color", "#26a269",
                               &shrink);
  gtk_style_context_get_color (context, &zero);
  zero.alpha *= 0.25f;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.0);

  /* The zero line: growth is above it, shrinking below. */
  {
    double y0 = 1 + (height - 2) * (1.0 - (0 - lo) / (hi - lo));

    gdk_cairo_set_source_rgba (cr, &zero);
    cairo_move_to (cr, 0, (int) y0 + 0.5);
    cairo_line_to (cr, width, (int) y0 + 0.5);
    cairo_stroke (cr);
  }

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (gsize i = first; i < n; i++)
    {
      double x = (points[i].time_s - t_start) / SPARK_SPAN_S * (width - 1);
      double y = 1 + (height - 2) * (1.0 - (points[i].delta_kib - lo) / (hi - lo));

      if (i == first)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (points[n - 1].delta_kib < 0)
    gdk_cairo_set_source_rgba (cr, &shrink);
  else if (points[n - 1].delta_kib > 0)
    gdk_cairo_set_source_rgba (cr, &grow);
  else
    {
      zero.alpha *= 2.0f;
      gdk_cairo_set_source_rgba (cr, &zero);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
memscope_sparkline_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? SPARK_WIDTH : SPARK_HEIGHT;
}

static void
memscope_sparkline_dispose (GObject *object)
{
  MemscopeSparkline *self = (MemscopeSparkline *) object;

  memscope_sparkline_set_row (self, NULL);

  G_OBJECT_CLASS (memscope_sparkline_parent_class)->dispose (object);
}

static void
memscope_sparkline_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MemscopeSparkline *self = MEMSCOPE_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_object (value, self->row);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_sparkline_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MemscopeSparkline *self = MEMSCOPE_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_ROW:
      memscope_sparkline_set_row (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_sparkline_class_init (MemscopeSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = memscope_sparkline_dispose;
  object_class->get_property = memscope_sparkline_get_property;
  object_class->set_property = memscope_sparkline_set_property;

  widget_class->snapshot = memscope_sparkline_snapshot;
  widget_class->measure = memscope_sparkline_measure;

  properties[PROP_ROW] =
    g_param_spec_object ("row", NULL, NULL, MEMSCOPE_TYPE_PROCESS_ROW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
memscope_sparkline_init (MemscopeSparkline *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
memscope_sparkline_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_SPARKLINE, NULL);
}

MemscopeProcessRow *
memscope_sparkline_get_row (MemscopeSparkline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_SPARKLINE (self), NULL);
  return self->row;
}

void
memscope_sparkline_update_all (void)
{
  for (guint i = 0; bound != NULL && i < bound->len; i++)
    history_changed_cb (g_ptr_array_index (bound, i));
}

void
memscope_sparkline_set_row (MemscopeSparkline  *self,
                            MemscopeProcessRow *row)
{
  g_return_if_fail (MEMSCOPE_IS_SPARKLINE (self));
  g_return_if_fail (row == NULL || MEMSCOPE_IS_PROCESS_ROW (row));

  if (self->row == row)
    return;
  if (self->row != NULL && row == NULL)
    g_ptr_array_remove_fast (bound, self);
  else if (self->row == NULL && row != NULL)
    {
      if (bound == NULL)
        bound = g_ptr_array_new ();
      g_ptr_array_add (bound, self);
    }
  g_set_object (&self->row, row);
  self->drawn_flat = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
}
