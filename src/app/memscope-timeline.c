/* SPDX-License-Identifier: MIT */
/* The machine's memory over time, stacked used / cache / swap with pressure, and a selectable range. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "memscope-chart-math.h"
#include "memscope-format.h"
#include "memscope-style.h"
#include "memscope-timeline.h"

#define FINE_SPAN_S 3600.0    /* points are kept as they come for this long ... */
#define COARSE_RES_S 60.0     /* ... then one per minute ... */
#define COARSE_MAX 10080      /* ... for a week at most */
#define MIN_HEIGHT 120
#define MIN_WIDTH 240
#define AXIS_HEIGHT 16        /* time labels under the graph */
#define LEGEND_HEIGHT 18      /* the legend above it, so event marks never cover it */
#define Y_LABEL_SPACING 30    /* at least this many pixels between size labels ... */
#define X_LABEL_SPACING 120   /* ... and between time labels */
#define MIN_LIVE_SPAN_S 60.0  /* a fresh start shows at least a minute */
#define MIN_DRAG_PX 3.0       /* a shorter drag is a click: it clears the selection */

struct _MemscopeTimeline
{
  GtkWidget parent_instance;

  /* owned */
  GArray *coarse; /* MemscopeTimelinePoint, one per COARSE_RES_S bucket, oldest first */
  GArray *fine;   /* MemscopeTimelinePoint of the last FINE_SPAN_S */

  GArray *marks;   /* Mark, in time order */
  char *used_label;
  char *empty_text;  /* said while there is nothing to draw; NULL: collecting samples */

  double span_s;
  gboolean live;
  gboolean show_cursor; /* the cursor is drawn without focus: an event was jumped to */
  double plot_x0;       /* left edge of the plot: the size labels' gutter, as last drawn */

  /* The axes' labels as last drawn, for the accessible description and tests. */
  GPtrArray *size_labels;
  GPtrArray *time_labels;

  /* What the last drawing showed: a new point that moves nothing by a pixel is not drawn. */
  gboolean drawn_valid;
  MemscopeTimelinePoint drawn_point;
  double drawn_s_per_px;
  double drawn_kib_per_px;
  double drawn_psi_per_px;
  double drawn_top_kib;

  gboolean has_selection;
  double sel_from_s, sel_to_s;

  /* dragging, and the keyboard's anchor and moving end */
  double drag_anchor_s;
  gboolean dragging;
  double key_anchor_s;
  double key_cursor_s;
  gboolean key_cursor_set;
};

typedef struct
{
  double time_s;
  char *text;
} Mark;

G_DEFINE_FINAL_TYPE (MemscopeTimeline, memscope_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPAN_S,
  PROP_LIVE,
  PROP_HAS_SELECTION,
  N_PROPS
};

enum {
  RANGE_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gint64
point_total (const MemscopeTimelinePoint *p)
{
  return p->used_kib + MAX (p->cache_kib, 0) + p->swap_kib;
}

static guint
n_points (MemscopeTimeline *self)
{
  return self->coarse->len + self->fine->len;
}

static const MemscopeTimelinePoint *
point_at (MemscopeTimeline *self,
          guint             i)
{
  if (i < self->coarse->len)
    return &g_array_index (self->coarse, MemscopeTimelinePoint, i);
  return &g_array_index (self->fine, MemscopeTimelinePoint, i - self->coarse->len);
}

static gboolean
last_time (MemscopeTimeline *self,
           double           *t)
{
  guint n = n_points (self);

  if (n == 0)
    return FALSE;
  *t = point_at (self, n - 1)->time_s;
  return TRUE;
}

/* The time range the x axis shows. */
static gboolean
visible_range (MemscopeTimeline *self,
               double           *from_s,
               double           *to_s)
{
  double last;

  if (!last_time (self, &last))
    return FALSE;
  *to_s = last;
  if (self->span_s > 0)
    {
      double span = self->span_s;

      /* Live, a fresh start fills the graph instead of being a sliver at the right of an empty
       * hour: the range grows with the data up to the span chosen. */
      if (self->live)
        span = MIN (span, MAX (last - point_at (self, 0)->time_s, MIN_LIVE_SPAN_S));
      *from_s = last - span;
    }
  else
    *from_s = point_at (self, 0)->time_s;
  if (*to_s - *from_s < 1.0)
    *from_s = *to_s - 1.0;
  return TRUE;
}

/* The plot's size: the widget less the legend above, the time labels below and the size
 * labels' gutter at the left (its origin is plot_x0, LEGEND_HEIGHT). */
static void
graph_rect (MemscopeTimeline *self,
            double           *w,
            double           *h)
{
  *w = MAX (gtk_widget_get_width (GTK_WIDGET (self)) - self->plot_x0, 1);
  *h = MAX (gtk_widget_get_height (GTK_WIDGET (self)) - AXIS_HEIGHT - LEGEND_HEIGHT, 1);
}

static double
x_to_time (MemscopeTimeline *self,
           double            x)
{
  double from, to, w, h;

  if (!visible_range (self, &from, &to))
    return 0;
  graph_rect (self, &w, &h);
  return from + CLAMP ((x - self->plot_x0) / w, 0.0, 1.0) * (to - from);
}

static double
time_to_x (double t,
           double from,
           double to,
           double w)
{
  return (t - from) / (to - from) * w;
}

static void
format_offset (char   *buf,
               gsize   len,
               double  seconds)
{
  int s = (int) llround (fabs (seconds));

  if (s >= 3600)
    g_snprintf (buf, len, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  else
    g_snprintf (buf, len, "%d:%02d", s / 60, s % 60);
}

/* One stacked band between `lower` and `upper` (functions of a point), filled. */
typedef gint64 (*band_fn) (const MemscopeTimelinePoint *p);

static gint64 band_zero (const MemscopeTimelinePoint *p) { return 0; }
static gint64 band_used (const MemscopeTimelinePoint *p) { return p->used_kib; }
static gint64 band_cache (const MemscopeTimelinePoint *p) { return p->used_kib + MAX (p->cache_kib, 0); }
static gint64 band_swap (const MemscopeTimelinePoint *p) { return point_total (p); }

/* One point per pixel column at most (the busiest, so a short peak stays visible): an hour at
 * 1 s draws as a few hundred vertices, not 3,600. */
static GArray *
pick_points (MemscopeTimeline *self,
             guint             first,
             guint             last,
             double            from,
             double            to,
             double            w)
{
  GArray *picked = g_array_sized_new (FALSE, FALSE, sizeof (guint), (guint) w + 2);
  int column = G_MININT;

  for (guint i = first; i <= last; i++)
    {
      int c = (int) floor (time_to_x (point_at (self, i)->time_s, from, to, w));

      if (c != column || picked->len == 0 || i == last)
        {
          g_array_append_val (picked, i);
          column = c;
        }
      else if (point_total (point_at (self, i))
               > point_total (point_at (self, g_array_index (picked, guint, picked->len - 1))))
        g_array_index (picked, guint, picked->len - 1) = i;
    }
  return picked;
}

static void
fill_band (MemscopeTimeline *self,
           cairo_t          *cr,
           GArray           *picked,
           double            from,
           double            to,
           double            w,
           double            h,
           double            max_kib,
           band_fn           lower,
           band_fn           upper)
{
  for (guint k = 0; k < picked->len; k++)
    {
      const MemscopeTimelinePoint *p = point_at (self, g_array_index (picked, guint, k));
      double x = time_to_x (p->time_s, from, to, w);
      double y = h - upper (p) / max_kib * h;

      if (k == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  for (guint k = picked->len; k-- > 0;)
    {
      const MemscopeTimelinePoint *p = point_at (self, g_array_index (picked, guint, k));

      cairo_line_to (cr, time_to_x (p->time_s, from, to, w), h - lower (p) / max_kib * h);
    }
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* Draws text with its left (align 0), centre (0.5) or right (1) at x and its top at y. */
static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align)
{
  int tw, th;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, x - tw * align, y);
  pango_cairo_show_layout (cr, layout);
}

static int
text_width (PangoLayout *layout,
            const char  *text)
{
  int tw, th;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  return tw;
}

/* The legend, right-aligned in the strip above the plot; returns its left edge. */
static double
draw_legend (MemscopeTimeline *self,
             cairo_t          *cr,
             PangoLayout      *layout,
             double            right,
             const GdkRGBA    *fg,
             const GdkRGBA    *used,
             const GdkRGBA    *cache,
             const GdkRGBA    *swap,
             const GdkRGBA    *pressure,
             gboolean          any_cache,
             gboolean          any_psi)
{
  struct { const GdkRGBA *color; const char *name; gboolean line; gboolean shown; } items[] = {
    { used, self->used_label != NULL ? self->used_label : _("Used"), FALSE, TRUE },
    { cache, _("Cache"), FALSE, any_cache },
    { swap, _("Swap"), FALSE, TRUE },
    { pressure, _("Pressure"), TRUE, any_psi },
  };
  double x = right;
  GdkRGBA text_color = *fg;

  g_assert (MEMSCOPE_IS_TIMELINE (self));

  text_color.alpha *= 0.8f;
  for (int i = G_N_ELEMENTS (items) - 1; i >= 0; i--)
    {
      int tw, th;

      if (!items[i].shown)
        continue;
      pango_layout_set_text (layout, items[i].name, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      x -= tw;
      gdk_cairo_set_source_rgba (cr, &text_color);
      cairo_move_to (cr, x, 1);
      pango_cairo_show_layout (cr, layout);
      x -= 13;
      gdk_cairo_set_source_rgba (cr, items[i].color);
      if (items[i].line)
        cairo_rectangle (cr, x, 1 + th / 2.0 - 1, 9, 2);
      else
        cairo_rectangle (cr, x, 1 + th / 2.0 - 4, 9, 8);
      cairo_fill (cr);
      x -= 14;
    }
  return x;
}

static void
memscope_timeline_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  MemscopeTimeline *self = MEMSCOPE_TIMELINE (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA fg, dim, used, cache, swap, pressure, grid, sel;
  double from, to, w, h, max_kib, data_max_kib = 0, total_kib = 0, unit_kib, legend_left;
  double width = gtk_widget_get_width (widget);
  guint n = n_points (self), first = 0, last;
  gboolean any_cache = FALSE, any_psi = FALSE;
  MemscopeAxis size_axis, time_axis;
  GArray *picked;
  PangoLayout *layout;
  cairo_t *cr;
  int gutter = 0;

  gtk_style_context_get_color (context, &fg);
  dim = fg;
  dim.alpha *= 0.7f;
  memscope_style_lookup_color (widget, "accent_bg_color", NULL, "#3584e4", &used);
  cache = used;
  cache.alpha *= 0.35f;
  memscope_style_lookup_color (widget, "warning_color", NULL, "#c88800", &swap);
  memscope_style_lookup_color (widget, "error_color", NULL, "#c01c28", &pressure);
  grid = fg;
  grid.alpha *= 0.15f;
  memscope_style_lookup_color (widget, "accent_color", NULL, "#1c71d8", &sel);
  sel.alpha = 0.2f;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width,
                                                                 gtk_widget_get_height (widget)));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  {
    PangoFontDescription *font = pango_font_description_new ();

    pango_font_description_set_absolute_size (font, 9 * PANGO_SCALE * 96.0 / 72.0);
    pango_layout_set_font_description (layout, font);
    pango_font_description_free (font);
  }

  self->drawn_valid = FALSE;
  g_ptr_array_set_size (self->size_labels, 0);
  g_ptr_array_set_size (self->time_labels, 0);
  if (!visible_range (self, &from, &to) || n < 2)
    {
      self->plot_x0 = 0;
      graph_rect (self, &w, &h);
      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_rectangle (cr, 0.5, LEGEND_HEIGHT + 0.5, w - 1, h - 1);
      cairo_stroke (cr);
      fg.alpha *= 0.6f;
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout,
                 self->empty_text != NULL ? self->empty_text : _("Collecting memory samples…"),
                 w / 2, LEGEND_HEIGHT + h / 2 - 8, 0.5);
      g_object_unref (layout);
      cairo_destroy (cr);
      return;
    }

  /* The points inside the range, and one each side so the bands reach the edges. */
  while (first + 1 < n && point_at (self, first + 1)->time_s < from)
    first++;
  last = n - 1;
  for (guint i = first; i <= last; i++)
    {
      const MemscopeTimelinePoint *p = point_at (self, i);

      data_max_kib = MAX (data_max_kib, (double) point_total (p));
      total_kib = MAX (total_kib, (double) p->total_kib);
      any_cache |= p->cache_kib >= 0;
      any_psi |= !isnan (p->psi_some_avg10);
    }

  /* The size scale follows the data from a visible 0; the machine's total is a reference line
   * when it is in range. */
  h = MAX (gtk_widget_get_height (widget) - AXIS_HEIGHT - LEGEND_HEIGHT, 1);
  unit_kib = memscope_chart_zero_size_axis (memscope_chart_timeline_top (data_max_kib, total_kib),
                                            (guint) MAX (h / Y_LABEL_SPACING, 1) + 1, &size_axis);
  max_kib = size_axis.hi;
  for (guint i = 0; i < size_axis.n_ticks; i++)
    {
      char *text = memscope_chart_format_size_in (size_axis.ticks[i], unit_kib, size_axis.step);

      gutter = MAX (gutter, text_width (layout, text));
      g_ptr_array_add (self->size_labels, text);
    }
  /* A gutter as wide as the usual widest label, so that the plot does not shift sideways when
   * the scale changes from MiB to GiB. */
  gutter = MAX (gutter, text_width (layout, "1000 MiB"));
  self->plot_x0 = gutter + 8;
  graph_rect (self, &w, &h);

  if (w > 0 && h > 0)
    {
      self->drawn_valid = TRUE;
      self->drawn_point = *point_at (self, last);
      self->drawn_s_per_px = (to - from) / w;
      self->drawn_kib_per_px = max_kib / h;
      self->drawn_psi_per_px = 100.0 / h;
      self->drawn_top_kib = max_kib;
    }

  /* The strip above: the legend at the right, the total at the left when it is off the scale. */
  legend_left = draw_legend (self, cr, layout, width - 4, &fg, &used, &cache, &swap, &pressure,
                             any_cache, any_psi);
  if (total_kib > max_kib)
    {
      g_autofree char *size = memscope_format_size ((gint64) total_kib);
      /* Translators: the machine's memory, larger than the top of the timeline's scale. */
      g_autofree char *note = g_strdup_printf (_("Total %s, above the scale"), size);

      if (self->plot_x0 + text_width (layout, note) < legend_left - 8)
        {
          gdk_cairo_set_source_rgba (cr, &dim);
          draw_text (cr, layout, note, self->plot_x0, 1, 0);
        }
    }

  /* Size labels in the gutter, each centred on its grid line (inside the plot's height). */
  gdk_cairo_set_source_rgba (cr, &dim);
  for (guint i = 0; i < size_axis.n_ticks; i++)
    {
      double y = LEGEND_HEIGHT + h - size_axis.ticks[i] / max_kib * h;
      int tw, th;

      pango_layout_set_text (layout, g_ptr_array_index (self->size_labels, i), -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      y = CLAMP (y - th / 2.0, LEGEND_HEIGHT - 2, LEGEND_HEIGHT + h - th + 2);
      cairo_move_to (cr, self->plot_x0 - 6 - tw, y);
      pango_cairo_show_layout (cr, layout);
    }

  cairo_translate (cr, self->plot_x0, LEGEND_HEIGHT);

  /* Grid: a line per size tick, the 0 line solid. */
  gdk_cairo_set_source_rgba (cr, &grid);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < size_axis.n_ticks; i++)
    {
      double y = floor (h - size_axis.ticks[i] / max_kib * h) + 0.5;

      cairo_move_to (cr, 0, MIN (y, h - 0.5));
      cairo_line_to (cr, w, MIN (y, h - 0.5));
    }
  cairo_stroke (cr);

  picked = pick_points (self, first, last, from, to, w);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, w, h);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, &used);
  fill_band (self, cr, picked, from, to, w, h, max_kib, band_zero, band_used);
  if (any_cache)
    {
      gdk_cairo_set_source_rgba (cr, &cache);
      fill_band (self, cr, picked, from, to, w, h, max_kib, band_used, band_cache);
    }
  gdk_cairo_set_source_rgba (cr, &swap);
  fill_band (self, cr, picked, from, to, w, h, max_kib, band_cache, band_swap);

  /* Pressure: percent of time stalled, on its own 0–100 % scale. */
  if (any_psi)
    {
      gboolean pen_down = FALSE;

      gdk_cairo_set_source_rgba (cr, &pressure);
      cairo_set_line_width (cr, 1.5);
      for (guint k = 0; k < picked->len; k++)
        {
          const MemscopeTimelinePoint *p = point_at (self, g_array_index (picked, guint, k));
          double x = time_to_x (p->time_s, from, to, w);

          if (isnan (p->psi_some_avg10))
            {
              pen_down = FALSE;
              continue;
            }
          if (pen_down)
            cairo_line_to (cr, x, h - 1 - p->psi_some_avg10 / 100.0 * (h - 2));
          else
            cairo_move_to (cr, x, h - 1 - p->psi_some_avg10 / 100.0 * (h - 2));
          pen_down = TRUE;
        }
      cairo_stroke (cr);
    }

  /* Event marks: small triangles hanging from the plot's top edge, under the legend. */
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *m = &g_array_index (self->marks, Mark, i);
      double x;

      if (m->time_s < from || m->time_s > to)
        continue;
      x = time_to_x (m->time_s, from, to, w);
      gdk_cairo_set_source_rgba (cr, &pressure);
      cairo_move_to (cr, x - 4, 0);
      cairo_line_to (cr, x + 4, 0);
      cairo_line_to (cr, x, 7);
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  if (self->has_selection)
    {
      double x0 = time_to_x (self->sel_from_s, from, to, w);
      double x1 = time_to_x (self->sel_to_s, from, to, w);

      gdk_cairo_set_source_rgba (cr, &sel);
      cairo_rectangle (cr, x0, 0, MAX (x1 - x0, 1), h);
      cairo_fill (cr);
      sel.alpha = 0.9f;
      gdk_cairo_set_source_rgba (cr, &sel);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, floor (x0) + 0.5, 0);
      cairo_line_to (cr, floor (x0) + 0.5, h);
      cairo_move_to (cr, floor (x1) + 0.5, 0);
      cairo_line_to (cr, floor (x1) + 0.5, h);
      cairo_stroke (cr);
    }
  if ((gtk_widget_has_focus (widget) || self->show_cursor) && self->key_cursor_set)
    {
      double x = floor (time_to_x (self->key_cursor_s, from, to, w)) + 0.5;

      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, (double[]) { 3, 2 }, 2, 0);
      cairo_move_to (cr, x, 0);
      cairo_line_to (cr, x, h);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_restore (cr);
  g_array_unref (picked);


  /* The machine's total as a reference: a dashed line with its size, when in range. */
  if (total_kib > 0 && total_kib <= max_kib)
    {
      double y = floor (h - total_kib / max_kib * h) + 0.5;
      g_autofree char *size = memscope_format_size ((gint64) total_kib);
      /* Translators: the machine's memory, labelling its line on the timeline. */
      g_autofree char *label = g_strdup_printf (_("Total %s"), size);
      int tw, th;

      gdk_cairo_set_source_rgba (cr, &dim);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_move_to (cr, 0, y);
      cairo_line_to (cr, w, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      /* Below the line when it is at the top; above it otherwise. */
      cairo_move_to (cr, w - 4 - tw, y - th - 1 >= 8 ? y - th - 1 : y + 2);
      pango_cairo_show_layout (cr, layout);
    }

  /* Time labels: round steps, one unit, "now" at the right when live. */
  {
    double origin = self->live ? to : point_at (self, 0)->time_s;
    double unit_s;

    memscope_chart_nice_time_axis (from - origin, to - origin,
                                   (guint) MAX (w / X_LABEL_SPACING, 1) + 1, &time_axis);
    unit_s = memscope_chart_time_unit (&time_axis);
    gdk_cairo_set_source_rgba (cr, &dim);
    for (guint i = 0; i < time_axis.n_ticks; i++)
      {
        char *text = memscope_chart_format_time_in (time_axis.ticks[i], unit_s, self->live);
        double x = time_to_x (origin + time_axis.ticks[i], from, to, w);
        int tw = text_width (layout, text);

        gdk_cairo_set_source_rgba (cr, &grid);
        cairo_move_to (cr, floor (x) + 0.5, h);
        cairo_line_to (cr, floor (x) + 0.5, h + 3);
        cairo_stroke (cr);
        gdk_cairo_set_source_rgba (cr, &dim);
        draw_text (cr, layout, text, CLAMP (x - tw / 2.0, -self->plot_x0 + 2, w - tw - 2), h + 2, 0);
        g_ptr_array_add (self->time_labels, text);
      }
  }

  g_object_unref (layout);
  cairo_destroy (cr);
}

static void
memscope_timeline_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = MIN_WIDTH;
  else
    *minimum = *natural = MIN_HEIGHT + AXIS_HEIGHT + LEGEND_HEIGHT;
}

static void
update_accessible (MemscopeTimeline *self)
{
  g_autofree char *description = NULL;
  double first;

  g_assert (MEMSCOPE_IS_TIMELINE (self));

  if (self->has_selection && n_points (self) > 0)
    {
      char a[32], b[32];

      first = point_at (self, 0)->time_s;
      format_offset (a, sizeof a, self->sel_from_s - first);
      format_offset (b, sizeof b, self->sel_to_s - first);
      /* Translators: a selected stretch of the memory timeline, from one time to another. */
      description = g_strdup_printf (_("Selected from %s to %s"), a, b);
    }
  else
    description = g_strdup (_("Drag, or hold Shift and press the arrow keys, to select a range"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

static void
set_selection (MemscopeTimeline *self,
               double            a,
               double            b,
               gboolean          emit)
{
  gboolean had = self->has_selection;

  g_assert (MEMSCOPE_IS_TIMELINE (self));

  self->sel_from_s = MIN (a, b);
  self->sel_to_s = MAX (a, b);
  /* A drag that starts in the empty part of the axis means "from the first sample on". */
  if (n_points (self) > 0)
    {
      double first = point_at (self, 0)->time_s, last;

      last_time (self, &last);
      self->sel_from_s = CLAMP (self->sel_from_s, first, last);
      self->sel_to_s = CLAMP (self->sel_to_s, first, last);
    }
  self->has_selection = TRUE;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SELECTION]);
  if (emit)
    g_signal_emit (self, signals[RANGE_SELECTED], 0, self->sel_from_s, self->sel_to_s);
}

void
memscope_timeline_clear_selection (MemscopeTimeline *self)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  if (!self->has_selection)
    return;
  self->has_selection = FALSE;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SELECTION]);
}

void
memscope_timeline_select (MemscopeTimeline *self,
                          double            from_s,
                          double            to_s)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  set_selection (self, from_s, to_s, TRUE);
}

void
memscope_timeline_set_cursor (MemscopeTimeline *self,
                              double            time_s)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  self->key_cursor_s = time_s;
  self->key_cursor_set = TRUE;
  self->show_cursor = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
memscope_timeline_get_cursor (MemscopeTimeline *self,
                              double           *time_s)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), FALSE);

  if (!self->key_cursor_set)
    return FALSE;
  if (time_s != NULL)
    *time_s = self->key_cursor_s;
  return TRUE;
}

double
memscope_timeline_get_x_for_time (MemscopeTimeline *self,
                                  double            time_s)
{
  double from, to, w, h;

  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), 0);

  if (!visible_range (self, &from, &to))
    return self->plot_x0;
  graph_rect (self, &w, &h);
  return self->plot_x0 + time_to_x (time_s, from, to, w);
}

gboolean
memscope_timeline_get_time_visible (MemscopeTimeline *self,
                                    double            time_s)
{
  double from, to;

  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), FALSE);

  return visible_range (self, &from, &to) && time_s >= from && time_s <= to;
}

char **
memscope_timeline_dup_axis_labels (MemscopeTimeline *self,
                                   GtkOrientation    orientation)
{
  GPtrArray *labels, *copy;

  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), NULL);

  labels = orientation == GTK_ORIENTATION_VERTICAL ? self->size_labels : self->time_labels;
  copy = g_ptr_array_new ();
  for (guint i = 0; i < labels->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (labels, i)));
  g_ptr_array_add (copy, NULL);
  return (char **) g_ptr_array_free (copy, FALSE);
}

gboolean
memscope_timeline_get_selection (MemscopeTimeline *self,
                                 double           *from_s,
                                 double           *to_s)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), FALSE);

  if (!self->has_selection)
    return FALSE;
  if (from_s != NULL)
    *from_s = self->sel_from_s;
  if (to_s != NULL)
    *to_s = self->sel_to_s;
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               MemscopeTimeline *self)
{
  g_assert (MEMSCOPE_IS_TIMELINE (self));

  if (n_points (self) < 2)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->show_cursor = FALSE;
  self->dragging = TRUE;
  self->drag_anchor_s = x_to_time (self, x);
  self->key_anchor_s = self->drag_anchor_s;
}

static void
drag_update_cb (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                MemscopeTimeline *self)
{
  double sx, sy;

  g_assert (MEMSCOPE_IS_TIMELINE (self));

  if (!self->dragging || fabs (dx) < MIN_DRAG_PX)
    return;
  gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
  self->key_cursor_s = x_to_time (self, sx + dx);
  self->key_cursor_set = TRUE;
  set_selection (self, self->drag_anchor_s, self->key_cursor_s, FALSE);
}

static void
drag_end_cb (GtkGestureDrag   *gesture,
             double            dx,
             double            dy,
             MemscopeTimeline *self)
{
  g_assert (MEMSCOPE_IS_TIMELINE (self));

  if (!self->dragging)
    return;
  self->dragging = FALSE;
  if (fabs (dx) < MIN_DRAG_PX)
    {
      memscope_timeline_clear_selection (self);
      self->key_cursor_s = self->drag_anchor_s;
      self->key_cursor_set = TRUE;
      return;
    }
  g_signal_emit (self, signals[RANGE_SELECTED], 0, self->sel_from_s, self->sel_to_s);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MemscopeTimeline      *self)
{
  double from, to, step;
  int dir;

  g_assert (MEMSCOPE_IS_TIMELINE (self));

  if (keyval == GDK_KEY_Escape && self->has_selection)
    {
      memscope_timeline_clear_selection (self);
      return GDK_EVENT_STOP;
    }
  if (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left)
    dir = -1;
  else if (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right)
    dir = 1;
  else if (keyval == GDK_KEY_Home || keyval == GDK_KEY_End)
    dir = 0;
  else
    return GDK_EVENT_PROPAGATE;
  if (!visible_range (self, &from, &to))
    return GDK_EVENT_PROPAGATE;

  /* A sixtieth of the view per press (5 s of the 5-minute view); Control moves ten times that. */
  step = (to - from) / 60.0 * ((state & GDK_CONTROL_MASK) ? 10 : 1);
  if (!self->key_cursor_set || self->key_cursor_s < from || self->key_cursor_s > to)
    {
      self->key_cursor_s = self->has_selection ? self->sel_to_s : to;
      self->key_cursor_set = TRUE;
    }
  if (!(state & GDK_SHIFT_MASK) || !self->has_selection)
    self->key_anchor_s = self->key_cursor_s;
  if (dir == 0)
    self->key_cursor_s = keyval == GDK_KEY_Home ? from : to;
  else
    self->key_cursor_s = CLAMP (self->key_cursor_s + dir * step, from, to);

  if (state & GDK_SHIFT_MASK)
    {
      if (self->key_cursor_s != self->key_anchor_s)
        set_selection (self, self->key_anchor_s, self->key_cursor_s, TRUE);
    }
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
  return GDK_EVENT_STOP;
}

static void
focus_changed_cb (MemscopeTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
mark_clear (gpointer data)
{
  g_free (((Mark *) data)->text);
}

void
memscope_timeline_add_mark (MemscopeTimeline *self,
                            double            time_s,
                            const char       *text)
{
  Mark mark = { time_s, g_strdup (text) };
  guint at = self->marks->len;

  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  while (at > 0 && g_array_index (self->marks, Mark, at - 1).time_s > time_s)
    at--;
  g_array_insert_val (self->marks, at, mark);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
memscope_timeline_get_n_marks (MemscopeTimeline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), 0);
  return self->marks->len;
}

void
memscope_timeline_set_used_label (MemscopeTimeline *self,
                                  const char       *label)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  g_free (self->used_label);
  self->used_label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* What the timeline says while it has fewer than two points to draw (a live one collects them;
 * a recording's is loading, or has too few). */
void
memscope_timeline_set_empty_text (MemscopeTimeline *self,
                                  const char       *text)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  if (g_strcmp0 (self->empty_text, text) == 0)
    return;
  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
memscope_timeline_get_empty_text (MemscopeTimeline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), NULL);
  return self->empty_text != NULL ? self->empty_text : _("Collecting memory samples…");
}

/* The marks near x, joined one per line, for the tooltip. */
static gboolean
query_tooltip_cb (GtkWidget        *widget,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip,
                  MemscopeTimeline *self)
{
  double from, to, w, h;
  g_autoptr (GString) text = g_string_new (NULL);

  if (keyboard || y < LEGEND_HEIGHT || y > LEGEND_HEIGHT + 12 || !visible_range (self, &from, &to))
    return FALSE;
  graph_rect (self, &w, &h);
  x -= self->plot_x0;
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *m = &g_array_index (self->marks, Mark, i);

      if (m->time_s >= from && m->time_s <= to
          && fabs (time_to_x (m->time_s, from, to, w) - x) <= 5)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, m->text);
        }
    }
  if (text->len == 0)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* Moves points older than the fine span into per-minute buckets that keep the busiest point. */
static void
age_points (MemscopeTimeline *self,
            double            now)
{
  guint moved = 0;

  g_assert (MEMSCOPE_IS_TIMELINE (self));

  while (moved < self->fine->len
         && g_array_index (self->fine, MemscopeTimelinePoint, moved).time_s < now - FINE_SPAN_S)
    {
      const MemscopeTimelinePoint *p = &g_array_index (self->fine, MemscopeTimelinePoint, moved);
      MemscopeTimelinePoint *tail = self->coarse->len > 0
        ? &g_array_index (self->coarse, MemscopeTimelinePoint, self->coarse->len - 1) : NULL;

      if (tail != NULL && floor (tail->time_s / COARSE_RES_S) == floor (p->time_s / COARSE_RES_S))
        {
          if (point_total (p) > point_total (tail))
            *tail = *p;
        }
      else
        g_array_append_val (self->coarse, *p);
      moved++;
    }
  if (moved > 0)
    g_array_remove_range (self->fine, 0, moved);
  if (self->coarse->len > COARSE_MAX)
    g_array_remove_range (self->coarse, 0, self->coarse->len - COARSE_MAX);
  /* Marks before the oldest point can no longer be drawn. */
  {
    double oldest = point_at (self, 0)->time_s;
    guint n = 0;

    while (n < self->marks->len && g_array_index (self->marks, Mark, n).time_s < oldest)
      n++;
    if (n > 0)
      g_array_remove_range (self->marks, 0, n);
  }
}

static gboolean
moves_a_pixel (double a,
               double b,
               double per_px)
{
  return fabs (a - b) >= per_px;
}

/* Whether the picture drawn last would change by at least a pixel with this point: at the
 * default hour-long view a second is a quarter of a pixel, and most ticks change nothing. */
static gboolean
changes_picture (MemscopeTimeline            *self,
                 const MemscopeTimelinePoint *point)
{
  const MemscopeTimelinePoint *drawn = &self->drawn_point;

  if (!self->drawn_valid || point->time_s < drawn->time_s)
    return TRUE;
  return point_total (point) > self->drawn_top_kib
         || moves_a_pixel (point->time_s, drawn->time_s, self->drawn_s_per_px)
         || moves_a_pixel (point->total_kib, drawn->total_kib, self->drawn_kib_per_px)
         || moves_a_pixel (point->used_kib, drawn->used_kib, self->drawn_kib_per_px)
         || moves_a_pixel (point->cache_kib, drawn->cache_kib, self->drawn_kib_per_px)
         || moves_a_pixel (point->swap_kib, drawn->swap_kib, self->drawn_kib_per_px)
         || isnan (point->psi_some_avg10) != isnan (drawn->psi_some_avg10)
         || (!isnan (point->psi_some_avg10)
             && moves_a_pixel (point->psi_some_avg10, drawn->psi_some_avg10,
                               self->drawn_psi_per_px));
}

void
memscope_timeline_append (MemscopeTimeline            *self,
                          const MemscopeTimelinePoint *point)
{
  double last;

  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));
  g_return_if_fail (point != NULL);

  if (last_time (self, &last) && !(point->time_s > last))
    return;
  g_array_append_val (self->fine, *point);
  /* Aging a whole minute at once keeps the removal from the front of the array rare. */
  if (point->time_s - g_array_index (self->fine, MemscopeTimelinePoint, 0).time_s
      > FINE_SPAN_S + COARSE_RES_S)
    age_points (self, point->time_s);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && changes_picture (self, point))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
memscope_timeline_clear (MemscopeTimeline *self)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  g_array_set_size (self->coarse, 0);
  g_array_set_size (self->fine, 0);
  g_array_set_size (self->marks, 0);
  self->key_cursor_set = FALSE;
  self->show_cursor = FALSE;
  memscope_timeline_clear_selection (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
memscope_timeline_get_n_points (MemscopeTimeline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), 0);
  return n_points (self);
}

gboolean
memscope_timeline_get_point (MemscopeTimeline      *self,
                             guint                  index,
                             MemscopeTimelinePoint *out)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), FALSE);

  if (index >= n_points (self))
    return FALSE;
  *out = *point_at (self, index);
  return TRUE;
}

gsize
memscope_timeline_get_memory_bytes (MemscopeTimeline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), 0);
  return (self->coarse->len + self->fine->len) * sizeof (MemscopeTimelinePoint);
}

double
memscope_timeline_get_span_s (MemscopeTimeline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), 0);
  return self->span_s;
}

void
memscope_timeline_set_span_s (MemscopeTimeline *self,
                              double            span_s)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  span_s = MAX (span_s, 0);
  if (self->span_s == span_s)
    return;
  self->span_s = span_s;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN_S]);
}

gboolean
memscope_timeline_get_live (MemscopeTimeline *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TIMELINE (self), FALSE);
  return self->live;
}

void
memscope_timeline_set_live (MemscopeTimeline *self,
                            gboolean          live)
{
  g_return_if_fail (MEMSCOPE_IS_TIMELINE (self));

  live = !!live;
  if (self->live == live)
    return;
  self->live = live;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

static void
memscope_timeline_finalize (GObject *object)
{
  MemscopeTimeline *self = (MemscopeTimeline *) object;

  g_clear_pointer (&self->coarse, g_array_unref);
  g_clear_pointer (&self->fine, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->used_label, g_free);
  g_clear_pointer (&self->size_labels, g_ptr_array_unref);
  g_clear_pointer (&self->time_labels, g_ptr_array_unref);

  g_free (self->empty_text);
  G_OBJECT_CLASS (memscope_timeline_parent_class)->finalize (object);
}

static void
memscope_timeline_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MemscopeTimeline *self = MEMSCOPE_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SPAN_S:
      g_value_set_double (value, self->span_s);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_HAS_SELECTION:
      g_value_set_boolean (value, self->has_selection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_timeline_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MemscopeTimeline *self = MEMSCOPE_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SPAN_S:
      memscope_timeline_set_span_s (self, g_value_get_double (value));
      break;
    case PROP_LIVE:
      memscope_timeline_set_live (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
memscope_timeline_class_init (MemscopeTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = memscope_timeline_finalize;
  object_class->get_property = memscope_timeline_get_property;
  object_class->set_property = memscope_timeline_set_property;

  widget_class->snapshot = memscope_timeline_snapshot;
  widget_class->measure = memscope_timeline_measure;

  properties[PROP_SPAN_S] =
    g_param_spec_double ("span-s", NULL, NULL, 0, G_MAXDOUBLE, 3600,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_SELECTION] =
    g_param_spec_boolean ("has-selection", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The selected stretch, in the points' clock, from_s < to_s: at the end of a drag, and at each
   * Shift+arrow step. */
  signals[RANGE_SELECTED] = g_signal_new ("range-selected", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
memscope_timeline_init (MemscopeTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->coarse = g_array_new (FALSE, FALSE, sizeof (MemscopeTimelinePoint));
  self->fine = g_array_new (FALSE, FALSE, sizeof (MemscopeTimelinePoint));
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_array_set_clear_func (self->marks, mark_clear);
  self->span_s = 3600;
  self->live = TRUE;
  self->size_labels = g_ptr_array_new_with_free_func (g_free);
  self->time_labels = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Memory timeline"), -1);
  update_accessible (self);
}

GtkWidget *
memscope_timeline_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_TIMELINE, NULL);
}
