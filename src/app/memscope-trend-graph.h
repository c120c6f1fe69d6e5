/* SPDX-License-Identifier: MIT */
/* A drawn graph of one process's footprint, RSS, PSS and swap over the last minutes, with its
 * baseline and, when it leaks, the fitted growth line. */
#pragma once

#include <gtk/gtk.h>

#include "history.h"
#include "memscope-chart-math.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_TREND_GRAPH (memscope_trend_graph_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeTrendGraph, memscope_trend_graph, MEMSCOPE, TREND_GRAPH, GtkWidget)

GtkWidget  *memscope_trend_graph_new            (void);

/* Copies the points (oldest first, times on the sampler clock) and the sampler clock of now. */
void        memscope_trend_graph_set_points     (MemscopeTrendGraph       *self,
                                                 const ms_history_point_t *points,
                                                 gsize                     n_points,
                                                 double                    now_s);
/* The footprint at the baseline (< 0: none). */
void        memscope_trend_graph_set_baseline   (MemscopeTrendGraph       *self,
                                                 gint64                    baseline_kib);
/* The detector's fitted LEAK growth: rate, how long it has been seen and the seconds until
 * available memory runs out at that rate (NAN when unknown).  leaking FALSE hides the line. */
void        memscope_trend_graph_set_leak       (MemscopeTrendGraph       *self,
                                                 gboolean                  leaking,
                                                 double                    rate_kib_s,
                                                 double                    duration_s,
                                                 double                    exhaust_s);
/* How far back the graph looks: 60, 300, 900 or 3600 seconds (others are accepted). */
void        memscope_trend_graph_set_window     (MemscopeTrendGraph       *self,
                                                 double                    window_s);
double      memscope_trend_graph_get_window     (MemscopeTrendGraph       *self);

/* "Footprint: now 280 MiB, min 100 MiB, max 300 MiB ..." for the window shown: what the graph
 * draws as its header and screen readers get as its description. */
const char *memscope_trend_graph_get_summary    (MemscopeTrendGraph       *self);
/* What hovering at offset_s (seconds before now, <= 0) shows; NULL when no point is near. */
char       *memscope_trend_graph_dup_value_at   (MemscopeTrendGraph       *self,
                                                 double                    offset_s);

/* Where the legend's entries are drawn at the widget's width: the swatch at x, the text from
 * text_x with its whole (natural) width, on line `line` whose top is y. */
typedef struct
{
  int   x;
  int   y;
  int   text_x;
  int   text_width;
  guint line;
} MemscopeLegendEntry;

void        memscope_trend_graph_get_legend     (MemscopeTrendGraph       *self,
                                                 MemscopeLegendEntry       entries[MEMSCOPE_N_SERIES]);

/* Whether the LEAK line is drawn on ahead of the last point: how far (seconds), and whether it
 * ends where available memory runs out (else at the graph's right edge, with an arrow). */
gboolean    memscope_trend_graph_get_forecast   (MemscopeTrendGraph       *self,
                                                 double                   *ahead_s,
                                                 gboolean                 *runs_out);

G_END_DECLS
