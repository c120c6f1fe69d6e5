/* SPDX-License-Identifier: MIT */
/* A drawn graph of one process's footprint, RSS, PSS and swap over the last minutes, with its
 * baseline and, when it leaks, the fitted growth line. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "detector.h"
#include "memscope-chart-math.h"
#include "memscope-format.h"
#include "memscope-style.h"
#include "memscope-text-cache.h"
#include "memscope-trend-graph.h"

#define PAD 4.0
#define TICK_GAP 6.0
#define MIN_TICK_SPACING_X 64.0
#define MIN_TICK_SPACING_Y 32.0
#define HOVER_RADIUS 3.5
/* A gap between points longer than three of the coarse tier's 15 s is a hole in the samples (a
 * paused sampler); a stretch of unchanged sizes keeps its points closer together. */
#define HOLE_S (3 * 15.0)
G_STATIC_ASSERT ((int) MS_HISTORY_FLAT_STEP_S < (int) HOLE_S);

struct _MemscopeTrendGraph
{
  GtkWidget parent_instance;

  /* owned */
  GArray *points; /* ms_history_point_t */
  double  now_s;
  double  window_s;
  gint64  baseline_kib;
  gboolean leaking;
  double  rate_kib_s;
  double  duration_s;
  double  exhaust_s;
  char   *summary;
  char   *leak_text;
  int     header_height; /* at the width last drawn, to know when it changes */
  MemscopeTextCache *texts;

  /* hover, in widget coordinates; x < 0 when the pointer is away */
  double  hover_x;
};

G_DEFINE_FINAL_TYPE (MemscopeTrendGraph, memscope_trend_graph, GTK_TYPE_WIDGET)

static const char *series_color_names[MEMSCOPE_N_SERIES] = {
  "memscope_trend_footprint", "memscope_trend_rss", "memscope_trend_pss", "memscope_trend_swap",
};
static const char *series_fallback_names[MEMSCOPE_N_SERIES] = {
  "accent_bg_color", "theme_fg_color", "success_color", "warning_color",
};
static const char *series_fallback_rgba[MEMSCOPE_N_SERIES] = {
  "#3584e4", "#77767b", "#26a269", "#c64600",
};

static const char *
series_name (MemscopeSeries series)
{
  switch (series)
    {
    case MEMSCOPE_SERIES_FOOTPRINT: return _("Footprint");
    case MEMSCOPE_SERIES_RSS: return _("RSS");
    case MEMSCOPE_SERIES_PSS: return _("PSS");
    case MEMSCOPE_SERIES_SWAP: return _("Swap");
    case MEMSCOPE_N_SERIES:
    default: return "";
    }
}

static double
window_start (MemscopeTrendGraph *self)
{
  return self->now_s - self->window_s;
}

static const ms_history_point_t *
get_points (MemscopeTrendGraph *self,
            gsize              *n)
{
  *n = self->points->len;
  return (const ms_history_point_t *) (gpointer) self->points->data;
}

static void
update_texts (MemscopeTrendGraph *self)
{
  GString *text = g_string_new (NULL);
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);

  g_assert (MEMSCOPE_IS_TREND_GRAPH (self));

  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    {
      MemscopeSeriesStats stats;
      g_autofree char *now = NULL;
      g_autofree char *min = NULL;
      g_autofree char *max = NULL;

      memscope_chart_series_stats (points, n, s, window_start (self), &stats);
      if (s > 0)
        g_string_append (text, "\n");
      if (stats.n == 0)
        {
          g_string_append_printf (text, _("%s: no data"), series_name (s));
          continue;
        }
      now = memscope_format_size (stats.current_kib);
      min = memscope_format_size (stats.min_kib);
      max = memscope_format_size (stats.max_kib);
      g_string_append_printf (text, _("%s: now %s, min %s, max %s"), series_name (s), now, min,
                              max);
    }

  g_clear_pointer (&self->leak_text, g_free);
  if (self->leaking && isfinite (self->rate_kib_s))
    {
      g_autofree char *rate = memscope_format_signed_rate (self->rate_kib_s);

      if (isfinite (self->exhaust_s) && self->exhaust_s > 0)
        {
          g_autofree char *when = memscope_format_duration (self->exhaust_s);

          self->leak_text = g_strdup_printf (_("LEAK %s, available memory runs out in %s"),
                                             rate, when);
        }
      else
        self->leak_text = g_strdup_printf (_("LEAK %s"), rate);
      g_string_append_printf (text, "\n%s", self->leak_text);
    }

  g_free (self->summary);
  self->summary = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->summary, -1);
}

static int header_height (MemscopeTrendGraph *self,
                          int                 width);

static void
changed (MemscopeTrendGraph *self)
{
  update_texts (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      int header = header_height (self, gtk_widget_get_width (GTK_WIDGET (self)));

      /* A legend that takes another line, or a leak's text, asks for more height. */
      if (header != self->header_height)
        {
          self->header_height = header;
          gtk_widget_queue_resize (GTK_WIDGET (self));
        }
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* Tick labels repeat every frame: shaped once, kept in the cache. */
static PangoLayout *
make_layout (MemscopeTrendGraph *self,
             const char         *text)
{
  if (self->texts == NULL)
    self->texts = memscope_text_cache_new (GTK_WIDGET (self), 0.83);
  return g_object_ref (memscope_text_cache_get (self->texts, text));
}

typedef struct
{
  double x0, x1, y0, y1; /* the plot area: x0 left, y0 bottom */
  MemscopeAxis time_axis;
  MemscopeAxis size_axis;
} Geometry;

/* While it leaks, the graph looks ahead a quarter of its window: the fitted line runs on to
 * where available memory would run out, or to the edge with an arrow when that is later. */
static gboolean
forecasting (MemscopeTrendGraph *self)
{
  return self->leaking && isfinite (self->rate_kib_s) && self->rate_kib_s > 0
         && self->points->len > 0;
}

static double
forecast_span (MemscopeTrendGraph *self)
{
  return forecasting (self) ? self->window_s / 4 : 0;
}

/* How far ahead of the last point the leak line goes, and whether it reaches exhaustion. */
static double
forecast_end (MemscopeTrendGraph *self,
              gboolean           *reaches)
{
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);
  double last_offset = n > 0 ? points[n - 1].time_s - self->now_s : 0;
  double room = forecast_span (self) - last_offset;

  *reaches = isfinite (self->exhaust_s) && self->exhaust_s > 0 && self->exhaust_s <= room;
  return *reaches ? self->exhaust_s : MAX (room, 0);
}

/* The size range of everything drawn: the series in the window, the baseline, the leak line. */
static void
value_range (MemscopeTrendGraph *self,
             double             *lo,
             double             *hi)
{
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);
  gboolean any = FALSE;

  *lo = *hi = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (points[i].time_s < window_start (self))
        continue;
      for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
        {
          gint64 v = memscope_chart_point_value (&points[i], s);

          if (v < 0)
            continue;
          if (!any || v < *lo)
            *lo = (double) v;
          if (!any || v > *hi)
            *hi = (double) v;
          any = TRUE;
        }
    }
  if (self->baseline_kib >= 0)
    {
      *lo = any ? MIN (*lo, self->baseline_kib) : self->baseline_kib;
      *hi = any ? MAX (*hi, self->baseline_kib) : self->baseline_kib;
    }
  if (forecasting (self) && any)
    {
      gboolean reaches;
      double ahead = forecast_end (self, &reaches);

      *hi = MAX (*hi, points[n - 1].footprint_kib + self->rate_kib_s * ahead);
    }
}

static void
compute_geometry (MemscopeTrendGraph *self,
                  int                 width,
                  int                 height,
                  int                 header_height,
                  Geometry           *g)
{
  double lo, hi;
  int label_w = 0, label_h = 0;

  g_assert (MEMSCOPE_IS_TREND_GRAPH (self));

  value_range (self, &lo, &hi);
  g->y0 = height - PAD;
  g->y1 = header_height + PAD;
  {
    g_autoptr(PangoLayout) layout = make_layout (self, "0");

    pango_layout_get_pixel_size (layout, NULL, &label_h);
  }
  g->y0 -= label_h + TICK_GAP / 2;
  /* The top size label is centred on the top line: room for its upper half below the header. */
  g->y1 += label_h / 2.0;
  memscope_chart_size_axis (lo, hi, (guint) MAX ((g->y0 - g->y1) / MIN_TICK_SPACING_Y + 1, 2),
                            &g->size_axis);
  for (guint i = 0; i < g->size_axis.n_ticks; i++)
    {
      g_autofree char *text = memscope_chart_format_size_tick (g->size_axis.ticks[i],
                                                               g->size_axis.step);
      g_autoptr(PangoLayout) layout = make_layout (self, text);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      label_w = MAX (label_w, w);
    }
  g->x0 = PAD + label_w + TICK_GAP;
  /* Room on the right for half of the "now" label. */
  g->x1 = width - PAD - 12;
  memscope_chart_time_axis (self->window_s,
                            (guint) MAX ((g->x1 - g->x0) * self->window_s
                                         / (self->window_s + forecast_span (self))
                                         / MIN_TICK_SPACING_X + 1, 2),
                            &g->time_axis);
  /* The future, when there is a forecast, right of now: no ticks there, only the line. */
  g->time_axis.hi += forecast_span (self);
}

static double
x_of (const Geometry *g,
      double          offset_s)
{
  return memscope_chart_scale (&g->time_axis, offset_s, g->x0, g->x1);
}

static double
y_of (const Geometry *g,
      double          kib)
{
  return memscope_chart_scale (&g->size_axis, kib, g->y0, g->y1);
}

/* Points that fall in one pixel column (an hour of 1 s samples in a few pixels) are drawn as
 * that column's span: the same picture, peaks kept, for a fraction of the stroking. */
typedef struct
{
  gboolean open;
  double   column;
  double   x, y_first, y_min, y_max, y_last;
} Column;

static void
column_flush (cairo_t *cr,
              Column  *col)
{
  if (!col->open)
    return;
  if (col->y_min != col->y_max)
    {
      cairo_line_to (cr, col->x, col->y_first == col->y_min ? col->y_max : col->y_min);
      cairo_line_to (cr, col->x, col->y_first == col->y_min ? col->y_min : col->y_max);
    }
  cairo_line_to (cr, col->x, col->y_last);
  col->open = FALSE;
}

static void
draw_series (MemscopeTrendGraph *self,
             cairo_t            *cr,
             const Geometry     *g,
             MemscopeSeries      series,
             const GdkRGBA      *color,
             double              line_width)
{
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);
  gboolean drawing = FALSE;
  Column col = { FALSE };

  cairo_save (cr);
  cairo_rectangle (cr, g->x0, g->y1, g->x1 - g->x0, g->y0 - g->y1);
  cairo_clip (cr);
  cairo_set_line_width (cr, line_width);
  /* Bevel joins: round ones cost most of the stroking here. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  gdk_cairo_set_source_rgba (cr, color);
  for (gsize i = 0; i < n; i++)
    {
      gint64 v = memscope_chart_point_value (&points[i], series);
      double x, y;

      /* One point before the window keeps the line running into the left edge. */
      if (i + 1 < n && points[i + 1].time_s < window_start (self))
        continue;
      /* A hole longer than a few samples of the coarse tier (a paused sampler) breaks the line
       * rather than bridging it with a segment that was never measured; so does unknown PSS. */
      if (v < 0 || (drawing && i > 0 && points[i].time_s - points[i - 1].time_s > HOLE_S))
        {
          column_flush (cr, &col);
          drawing = FALSE;
          if (v < 0)
            continue;
        }
      x = x_of (g, points[i].time_s - self->now_s);
      y = y_of (g, (double) v);
      if (!drawing)
        {
          cairo_move_to (cr, x, y);
          /* A lone point is a dot, not nothing. */
          cairo_line_to (cr, x + 0.01, y);
          drawing = TRUE;
          continue;
        }
      if (col.open && floor (x) == col.column)
        {
          col.y_min = MIN (col.y_min, y);
          col.y_max = MAX (col.y_max, y);
          col.y_last = y;
          continue;
        }
      column_flush (cr, &col);
      col.open = TRUE;
      col.column = floor (x);
      col.x = x;
      col.y_first = col.y_min = col.y_max = col.y_last = y;
      cairo_line_to (cr, x, y);
    }
  column_flush (cr, &col);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_text (MemscopeTrendGraph *self,
           cairo_t            *cr,
           const char         *text,
           double              x,
           double              y,
           double              x_align,
           double              y_align,
           const GdkRGBA      *color)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * x_align, y - h * y_align);
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, layout);
}

/* The legend's text for one series: its name and last known value.  The whole history counts,
 * not only the window shown, so an exited process keeps its figures (swap included). */
static char *
legend_text (MemscopeTrendGraph *self,
             MemscopeSeries      series)
{
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);
  MemscopeSeriesStats stats;
  g_autofree char *value = NULL;

  memscope_chart_series_stats (points, n, series, -INFINITY, &stats);
  value = memscope_format_size (stats.current_kib);
  return g_strdup_printf ("%s %s", series_name (series),
                          stats.n > 0 ? value : MEMSCOPE_FORMAT_UNKNOWN);
}

#define SWATCH 8.0
#define SWATCH_GAP 3.0
#define ENTRY_GAP 12.0

/* Where each legend entry goes at this width: entries flow onto more lines rather than being
 * cut at the edge.  Returns the number of lines. */
static guint
legend_layout (MemscopeTrendGraph *self,
               int                 width,
               MemscopeLegendEntry entries[MEMSCOPE_N_SERIES])
{
  double x = PAD;
  guint line = 0;
  int line_h = 0;

  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    {
      g_autofree char *text = legend_text (self, s);
      g_autoptr(PangoLayout) layout = make_layout (self, text);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      line_h = MAX (line_h, h + 2);
      if (s > 0 && x + SWATCH + SWATCH_GAP + w > width - PAD)
        {
          line++;
          x = PAD;
        }
      entries[s].x = (int) x;
      entries[s].line = line;
      entries[s].text_x = (int) (x + SWATCH + SWATCH_GAP);
      entries[s].text_width = w;
      x += SWATCH + SWATCH_GAP + w + ENTRY_GAP;
    }
  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    entries[s].y = (int) (2 + entries[s].line * line_h);
  return line + 1;
}

/* The footprint's range in the window, or NULL with no point in it. */
static char *
range_text (MemscopeTrendGraph *self)
{
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);
  MemscopeSeriesStats stats;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

  memscope_chart_series_stats (points, n, MEMSCOPE_SERIES_FOOTPRINT, window_start (self),
                               &stats);
  if (stats.n == 0)
    return NULL;
  min = memscope_format_size (stats.min_kib);
  max = memscope_format_size (stats.max_kib);
  return g_strdup_printf (_("Footprint in this window: min %s, max %s"), min, max);
}

/* A header line wrapped to the width (it can be long, and longer translated). */
static PangoLayout *
wrapped_layout (MemscopeTrendGraph *self,
                const char         *text,
                int                 width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_width (layout, MAX (width - 2 * (int) PAD, 1) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

/* The header: the legend (one swatch and value per series, on as many lines as it takes), the
 * footprint's range, and the leak line's text. */
static int
header_height (MemscopeTrendGraph *self,
               int                 width)
{
  g_autoptr(PangoLayout) layout = make_layout (self, "Mg");
  g_autofree char *range = range_text (self);
  MemscopeLegendEntry entries[MEMSCOPE_N_SERIES];
  guint legend_lines = legend_layout (self, width, entries);
  int h, range_h = 0, leak_h = 0;

  pango_layout_get_pixel_size (layout, NULL, &h);
  range_h = h;
  if (range != NULL)
    {
      g_autoptr(PangoLayout) wrapped = wrapped_layout (self, range, width);

      pango_layout_get_pixel_size (wrapped, NULL, &range_h);
    }
  if (self->leak_text != NULL)
    {
      g_autoptr(PangoLayout) leak = wrapped_layout (self, self->leak_text, width);

      pango_layout_get_pixel_size (leak, NULL, &leak_h);
      leak_h += 2;
    }
  return (int) legend_lines * (h + 2) + range_h + 2 + leak_h;
}

static void
memscope_trend_graph_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  MemscopeTrendGraph *self = MEMSCOPE_TREND_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int header_h = header_height (self, width);
  GdkRGBA fg, grid, dim, leak, colors[MEMSCOPE_N_SERIES];
  gsize n;
  const ms_history_point_t *points = get_points (self, &n);
  Geometry g;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  if (self->texts != NULL)
    memscope_text_cache_trim (self->texts);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha *= 0.12f;
  dim = fg;
  dim.alpha *= 0.7f;
  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    memscope_style_lookup_color (widget, series_color_names[s], series_fallback_names[s],
                                 series_fallback_rgba[s], &colors[s]);
  colors[MEMSCOPE_SERIES_RSS].alpha *= 0.6f;
  memscope_style_lookup_color (widget, "memscope_trend_leak", "memscope_grow_color", "#e01b24", &leak);

  compute_geometry (self, width, height, header_h, &g);

  /* Grid lines: rectangles are cheaper than cairo strokes. */
  for (guint i = 0; i < g.size_axis.n_ticks; i++)
    {
      double y = round (y_of (&g, g.size_axis.ticks[i]));

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (g.x0, y, g.x1 - g.x0, 1));
    }
  for (guint i = 0; i < g.time_axis.n_ticks; i++)
    {
      double tx = round (x_of (&g, g.time_axis.ticks[i]));

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (tx, g.y1, 1, g.y0 - g.y1));
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Header: legend with each series' last value, then the footprint's range in the window. */
  {
    MemscopeLegendEntry entries[MEMSCOPE_N_SERIES];
    guint legend_lines = legend_layout (self, width, entries);
    g_autoptr(PangoLayout) probe = make_layout (self, "Mg");
    int line_h;

    pango_layout_get_pixel_size (probe, NULL, &line_h);
    line_h += 2;
    for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
      {
        g_autofree char *text = legend_text (self, s);

        gdk_cairo_set_source_rgba (cr, &colors[s]);
        cairo_rectangle (cr, entries[s].x, entries[s].y + (line_h - 2) / 2.0 - SWATCH / 2,
                         SWATCH, SWATCH);
        cairo_fill (cr);
        draw_text (self, cr, text, entries[s].text_x, entries[s].y, 0, 0, &fg);
      }
    {
      g_autofree char *range = range_text (self);
      int range_h = line_h - 2;

      if (range != NULL)
        {
          g_autoptr(PangoLayout) layout = wrapped_layout (self, range, width);

          cairo_move_to (cr, PAD, 2 + legend_lines * line_h);
          gdk_cairo_set_source_rgba (cr, &dim);
          pango_cairo_show_layout (cr, layout);
          pango_layout_get_pixel_size (layout, NULL, &range_h);
        }
      if (self->leak_text != NULL)
        {
          g_autoptr(PangoLayout) layout = wrapped_layout (self, self->leak_text, width);

          cairo_move_to (cr, PAD, 2 + legend_lines * line_h + range_h + 2);
          gdk_cairo_set_source_rgba (cr, &leak);
          pango_cairo_show_layout (cr, layout);
        }
    }
  }

  /* Axes' labels. */
  for (guint i = 0; i < g.size_axis.n_ticks; i++)
    {
      g_autofree char *text = memscope_chart_format_size_tick (g.size_axis.ticks[i],
                                                               g.size_axis.step);

      draw_text (self, cr, text, g.x0 - TICK_GAP, y_of (&g, g.size_axis.ticks[i]), 1, 0.5, &dim);
    }
  for (guint i = 0; i < g.time_axis.n_ticks; i++)
    {
      g_autofree char *text = memscope_chart_format_time_tick (g.time_axis.ticks[i]);
      double align = i == 0 ? 0 : i + 1 == g.time_axis.n_ticks ? 0.75 : 0.5;

      draw_text (self, cr, text, x_of (&g, g.time_axis.ticks[i]), g.y0 + TICK_GAP / 2, align, 0,
                 &dim);
    }

  /* Baseline: where growth is counted from. */
  if (self->baseline_kib >= 0)
    {
      double y = round (y_of (&g, (double) self->baseline_kib)) + 0.5;
      static const double dash[] = { 4, 3 };

      cairo_save (cr);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_line_width (cr, 1);
      gdk_cairo_set_source_rgba (cr, &dim);
      cairo_move_to (cr, g.x0, y);
      cairo_line_to (cr, g.x1, y);
      cairo_stroke (cr);
      cairo_restore (cr);
      draw_text (self, cr, _("baseline"), g.x0 + 4, y - 1, 0, 1, &dim);
    }

  if (n == 0)
    draw_text (self, cr, _("No history yet"), (g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2, 0.5, 0.5,
               &dim);

  draw_series (self, cr, &g, MEMSCOPE_SERIES_SWAP, &colors[MEMSCOPE_SERIES_SWAP], 1.5);
  draw_series (self, cr, &g, MEMSCOPE_SERIES_PSS, &colors[MEMSCOPE_SERIES_PSS], 1.5);
  draw_series (self, cr, &g, MEMSCOPE_SERIES_RSS, &colors[MEMSCOPE_SERIES_RSS], 1.5);
  draw_series (self, cr, &g, MEMSCOPE_SERIES_FOOTPRINT, &colors[MEMSCOPE_SERIES_FOOTPRINT], 2.5);

  /* The fitted leak: the detector's rate through the current footprint, over the span it saw,
   * and on ahead to where available memory runs out (a dot), or to the edge (an arrow). */
  if (self->leaking && isfinite (self->rate_kib_s) && n > 0)
    {
      double now_kib = (double) points[n - 1].footprint_kib;
      double now_offset = points[n - 1].time_s - self->now_s;
      double span = isfinite (self->duration_s) && self->duration_s > 0 ? self->duration_s
                                                                         : self->window_s;
      double from = MAX (now_offset - span, -self->window_s);
      gboolean reaches = FALSE;
      double ahead = forecasting (self) ? forecast_end (self, &reaches) : 0;
      double end_x = x_of (&g, now_offset + ahead);
      double end_y = y_of (&g, now_kib + self->rate_kib_s * ahead);
      static const double dash[] = { 6, 4 };

      if (forecasting (self))
        {
          GdkRGBA shade = fg;

          /* The future, lightly shaded, so the forecast does not read as measured. */
          shade.alpha *= 0.04f;
          gtk_snapshot_append_color (snapshot, &shade,
                                     &GRAPHENE_RECT_INIT (x_of (&g, 0), g.y1,
                                                          g.x1 - x_of (&g, 0), g.y0 - g.y1));
        }
      cairo_save (cr);
      cairo_rectangle (cr, g.x0, g.y1, g.x1 - g.x0, g.y0 - g.y1);
      cairo_clip (cr);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_line_width (cr, 2);
      gdk_cairo_set_source_rgba (cr, &leak);
      cairo_move_to (cr, x_of (&g, from),
                     y_of (&g, memscope_chart_leak_line (now_offset, now_kib, self->rate_kib_s,
                                                         from)));
      cairo_line_to (cr, x_of (&g, now_offset), y_of (&g, now_kib));
      if (ahead > 0)
        cairo_line_to (cr, end_x, end_y);
      cairo_stroke (cr);
      cairo_restore (cr);
      if (ahead > 0 && reaches)
        {
          /* Where it runs out: a dot, and what it means. */
          gdk_cairo_set_source_rgba (cr, &leak);
          cairo_arc (cr, end_x, end_y, 4, 0, 2 * G_PI);
          cairo_fill (cr);
          draw_text (self, cr, _("out of memory"), MIN (end_x + 6, g.x1), end_y - 4, 1, 1,
                     &leak);
        }
      else if (ahead > 0)
        {
          /* Later than the graph looks: an arrow at the edge, the line goes on. */
          double angle = atan2 (end_y - y_of (&g, now_kib), end_x - x_of (&g, now_offset));

          cairo_save (cr);
          gdk_cairo_set_source_rgba (cr, &leak);
          cairo_translate (cr, end_x, end_y);
          cairo_rotate (cr, angle);
          cairo_move_to (cr, 2, 0);
          cairo_line_to (cr, -7, -5);
          cairo_line_to (cr, -7, 5);
          cairo_close_path (cr);
          cairo_fill (cr);
          cairo_restore (cr);
        }
    }

  /* Hover: a vertical line and a dot on each series at the nearest point. */
  if (self->hover_x >= g.x0 && self->hover_x <= g.x1 && n > 0)
    {
      double offset = memscope_chart_unscale (&g.time_axis, self->hover_x, g.x0, g.x1);
      gssize i = memscope_chart_nearest_point (points, n, self->now_s + offset);

      if (i >= 0 && points[i].time_s >= window_start (self))
        {
          double px = x_of (&g, points[i].time_s - self->now_s);

          gtk_snapshot_append_color (snapshot, &dim,
                                     &GRAPHENE_RECT_INIT (round (px), g.y1, 1, g.y0 - g.y1));
          for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
            {
              gint64 v = memscope_chart_point_value (&points[i], s);

              if (v < 0)
                continue;
              gdk_cairo_set_source_rgba (cr, &colors[s]);
              cairo_arc (cr, px, y_of (&g, (double) v), HOVER_RADIUS, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
    }

  cairo_destroy (cr);
}

static void
memscope_trend_graph_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  MemscopeTrendGraph *self = MEMSCOPE_TREND_GRAPH (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 220;
      *natural = 360;
    }
  else
    {
      /* The plot keeps its height; a legend on more lines or a leak adds to it. */
      int header = header_height (self, for_size > 0 ? for_size : 360);

      *minimum = 120 + header;
      *natural = 160 + header;
    }
}

static GtkSizeRequestMode
memscope_trend_graph_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Where the pointer is, in seconds relative to now; NAN outside the plot. */
static double
offset_at_x (MemscopeTrendGraph *self,
             double              x)
{
  Geometry g;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  compute_geometry (self, width, height, header_height (self, width), &g);
  if (x < g.x0 || x > g.x1)
    return NAN;
  return memscope_chart_unscale (&g.time_axis, x, g.x0, g.x1);
}

static gboolean
query_tooltip_cb (MemscopeTrendGraph *self,
                  int                 x,
                  int                 y,
                  gboolean            keyboard,
                  GtkTooltip         *tooltip)
{
  double offset;
  g_autofree char *text = NULL;

  g_assert (MEMSCOPE_IS_TREND_GRAPH (self));

  /* From the keyboard the summary says it all; under the pointer, the value at that time. */
  offset = keyboard ? 0 : offset_at_x (self, x);
  if (!isfinite (offset))
    return FALSE;
  text = keyboard ? g_strdup (self->summary) : memscope_trend_graph_dup_value_at (self, offset);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           MemscopeTrendGraph       *self)
{
  g_assert (MEMSCOPE_IS_TREND_GRAPH (self));

  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *motion,
          MemscopeTrendGraph       *self)
{
  g_assert (MEMSCOPE_IS_TREND_GRAPH (self));

  self->hover_x = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
memscope_trend_graph_finalize (GObject *object)
{
  MemscopeTrendGraph *self = (MemscopeTrendGraph *) object;

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->leak_text, g_free);
  g_clear_pointer (&self->texts, memscope_text_cache_free);

  G_OBJECT_CLASS (memscope_trend_graph_parent_class)->finalize (object);
}

static void
memscope_trend_graph_css_changed (GtkWidget         *widget,
                                  GtkCssStyleChange *change)
{
  MemscopeTrendGraph *self = MEMSCOPE_TREND_GRAPH (widget);

  GTK_WIDGET_CLASS (memscope_trend_graph_parent_class)->css_changed (widget, change);
  /* A new font or theme: measure and colour afresh. */
  g_clear_pointer (&self->texts, memscope_text_cache_free);
  gtk_widget_queue_draw (widget);
}

static void
memscope_trend_graph_class_init (MemscopeTrendGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = memscope_trend_graph_finalize;
  widget_class->snapshot = memscope_trend_graph_snapshot;
  widget_class->measure = memscope_trend_graph_measure;
  widget_class->get_request_mode = memscope_trend_graph_get_request_mode;
  widget_class->css_changed = memscope_trend_graph_css_changed;

  gtk_widget_class_set_css_name (widget_class, "trendgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
memscope_trend_graph_init (MemscopeTrendGraph *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->points = g_array_new (FALSE, FALSE, sizeof (ms_history_point_t));
  self->window_s = 300;
  self->baseline_kib = -1;
  self->rate_kib_s = NAN;
  self->duration_s = NAN;
  self->exhaust_s = NAN;
  self->hover_x = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  /* Focusable so keyboard users reach the summary tooltip. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Memory over time"), -1);
  update_texts (self);
}

GtkWidget *
memscope_trend_graph_new (void)
{
  return g_object_new (MEMSCOPE_TYPE_TREND_GRAPH, NULL);
}

void
memscope_trend_graph_set_points (MemscopeTrendGraph       *self,
                                 const ms_history_point_t *points,
                                 gsize                     n_points,
                                 double                    now_s)
{
  g_return_if_fail (MEMSCOPE_IS_TREND_GRAPH (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->points, 0);
  if (n_points > 0)
    g_array_append_vals (self->points, points, (guint) n_points);
  self->now_s = now_s;
  changed (self);
}

void
memscope_trend_graph_set_baseline (MemscopeTrendGraph *self,
                                   gint64              baseline_kib)
{
  g_return_if_fail (MEMSCOPE_IS_TREND_GRAPH (self));

  if (self->baseline_kib == baseline_kib)
    return;
  self->baseline_kib = baseline_kib;
  changed (self);
}

void
memscope_trend_graph_set_leak (MemscopeTrendGraph *self,
                               gboolean            leaking,
                               double              rate_kib_s,
                               double              duration_s,
                               double              exhaust_s)
{
  g_return_if_fail (MEMSCOPE_IS_TREND_GRAPH (self));

  leaking = !!leaking;
  if (self->leaking == leaking && !leaking)
    return;
  self->leaking = leaking;
  self->rate_kib_s = rate_kib_s;
  self->duration_s = duration_s;
  self->exhaust_s = exhaust_s;
  changed (self);
}

void
memscope_trend_graph_set_window (MemscopeTrendGraph *self,
                                 double              window_s)
{
  g_return_if_fail (MEMSCOPE_IS_TREND_GRAPH (self));

  if (!isfinite (window_s) || window_s <= 0)
    window_s = 300;
  if (self->window_s == window_s)
    return;
  self->window_s = window_s;
  changed (self);
}

double
memscope_trend_graph_get_window (MemscopeTrendGraph *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TREND_GRAPH (self), 0);
  return self->window_s;
}

const char *
memscope_trend_graph_get_summary (MemscopeTrendGraph *self)
{
  g_return_val_if_fail (MEMSCOPE_IS_TREND_GRAPH (self), NULL);
  return self->summary;
}

char *
memscope_trend_graph_dup_value_at (MemscopeTrendGraph *self,
                                   double              offset_s)
{
  gsize n;
  const ms_history_point_t *points;
  const ms_history_point_t *p;
  gssize i;
  g_autofree char *when = NULL;
  GString *text;

  g_return_val_if_fail (MEMSCOPE_IS_TREND_GRAPH (self), NULL);

  points = get_points (self, &n);
  i = memscope_chart_nearest_point (points, n, self->now_s + offset_s);
  if (i < 0 || points[i].time_s < window_start (self))
    return NULL;
  p = &points[i];
  {
    double ago = self->now_s - p->time_s;

    if (ago < 0.5)
      when = g_strdup (_("Now"));
    else
      {
        g_autofree char *duration = memscope_format_duration (ago);

        when = g_strdup_printf (_("%s ago"), duration);
      }
  }
  text = g_string_new (when);
  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    {
      g_autofree char *value = memscope_format_size (memscope_chart_point_value (p, s));

      g_string_append_printf (text, "\n%s: %s", series_name (s), value);
    }
  return g_string_free (text, FALSE);
}

void
memscope_trend_graph_get_legend (MemscopeTrendGraph  *self,
                                 MemscopeLegendEntry  entries[MEMSCOPE_N_SERIES])
{
  g_return_if_fail (MEMSCOPE_IS_TREND_GRAPH (self));
  g_return_if_fail (entries != NULL);

  legend_layout (self, gtk_widget_get_width (GTK_WIDGET (self)), entries);
}

gboolean
memscope_trend_graph_get_forecast (MemscopeTrendGraph *self,
                                   double             *ahead_s,
                                   gboolean           *runs_out)
{
  gboolean reaches = FALSE;
  double ahead = 0;

  g_return_val_if_fail (MEMSCOPE_IS_TREND_GRAPH (self), FALSE);

  if (forecasting (self))
    ahead = forecast_end (self, &reaches);
  if (ahead_s != NULL)
    *ahead_s = ahead;
  if (runs_out != NULL)
    *runs_out = reaches;
  return forecasting (self);
}
