/* SPDX-License-Identifier: MIT */
/* A benchmark, not a test: what one tick of the inspect panel costs the main thread (new values
 * into the gauges, an hour of history into the graph, and drawing it all), run under Xvfb. */

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "memscope-inspect-details.h"
#include "memscope-seams-private.h"

#define N_TICKS 300
#define WARM_UP 10
/* An hour at the history's resolutions: 5 min at 1 s, then 15 s. */
#define N_POINTS (300 + 220)

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
elapsed_ms (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / 1000.0;
}

/* Runs the widget's own drawing (its snapshot vfunc: a cached frame would measure nothing) and
 * rasterises the result with the window's renderer, as a frame does. */
static void
draw (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    texture = gsk_renderer_render_texture (renderer, node,
                                           &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                gtk_widget_get_height (widget)));
}

typedef struct
{
  gint64 last_us;
  gint64 worst_gap_us;
} Heartbeat;

static gboolean
heartbeat_cb (gpointer data)
{
  Heartbeat *beat = data;
  gint64 now_us = g_get_monotonic_time ();

  if (beat->last_us > 0)
    beat->worst_gap_us = MAX (beat->worst_gap_us, now_us - beat->last_us);
  beat->last_us = now_us;
  return G_SOURCE_CONTINUE;
}

static void
updated_cb (MemscopeSmapsView *view,
            gboolean          *done)
{
  *done = TRUE;
}

/* The smaps of a 2 GiB process: how long the reading takes off the UI thread, and the longest
 * the main loop went without running meanwhile (a 5 ms heartbeat). */
static void
bench_big_smaps (MemscopeInspectDetails *details)
{
  const char *leak_sim = g_getenv ("MS_LEAK_SIM");
  const char *argv[] = { leak_sim, "--name", "ms-bench-2g", "--start", "2048", "--rate", "0",
                         "--duration", "120", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(MemscopeProcessRow) row = NULL;
  g_autofree char *stat_path = NULL;
  g_autofree char *stat = NULL;
  MemscopeSmapsView *view = memscope_inspect_details_get_smaps_view (details);
  ms_proc_t proc = { 0 };
  Heartbeat beat = { 0 };
  GPid pid;
  int out_fd;
  guint beat_id;
  gulong handler;

  if (leak_sim == NULL)
    {
      g_print ("(set MS_LEAK_SIM to a leak-sim to measure the smaps of a 2 GiB process)\n");
      return;
    }
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pid,
                                 NULL, &out_fd, NULL, &error))
    g_error ("%s", error->message);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_io_channel_read_line (out, &line, NULL, NULL, NULL);

  stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_file_get_contents (stat_path, &stat, NULL, NULL);
  proc.pid = pid;
  /* Field 22 after the last ')': the starttime that identifies the process. */
  {
    const char *p = strrchr (stat, ')');
    guint field = 2;

    for (; p != NULL && *p != '\0' && field < 22; p++)
      if (*p == ' ')
        field++;
    proc.starttime = g_ascii_strtoull (p, NULL, 10);
  }
  proc.state = 'S';
  g_strlcpy (proc.comm, "ms-bench-2g", sizeof proc.comm);
  row = memscope_process_row_new (&proc, NULL, 0);

  for (int round = 0; round < 3; round++)
    {
      gboolean done = FALSE;
      gint64 start_us;

      memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
      handler = g_signal_connect (view, "updated", G_CALLBACK (updated_cb), &done);
      beat.last_us = 0;
      beat.worst_gap_us = 0;
      beat_id = g_timeout_add (5, heartbeat_cb, &beat);
      start_us = g_get_monotonic_time ();
      if (round == 0)
        memscope_inspect_details_set_row (details, row);
      else
        memscope_smaps_view_refresh (view);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_print ("  smaps of a 2 GiB process (%s): read in %.1f ms off the UI thread; longest "
               "main-loop gap meanwhile %.1f ms\n",
               round == 0 ? "first reading" : "again", elapsed_ms (start_us),
               beat.worst_gap_us / 1000.0);
      g_source_remove (beat_id);
      g_signal_handler_disconnect (view, handler);
    }
  g_print ("  %s\n", memscope_smaps_view_get_status (view));
  kill (pid, SIGTERM);
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;
  GtkWidget *scroller;
  MemscopeInspectDetails *details;
  ms_history_point_t points[N_POINTS];
  ms_proc_t proc = { 0 };
  g_autoptr(MemscopeProcessRow) row = NULL;
  double update_ms = 0, graph_ms = 0, whole_ms = 0, worst_ms = 0;
  double ticks_ms[N_TICKS];
  ms_event_t leak = { 0 };

  gtk_init ();
  window = gtk_window_new ();
  scroller = gtk_scrolled_window_new ();
  details = MEMSCOPE_INSPECT_DETAILS (memscope_inspect_details_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (details));
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), 440, 1000);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (GTK_WIDGET (details)) == 0)
    g_main_context_iteration (NULL, TRUE);

  proc.pid = 1;
  proc.starttime = 1;
  proc.state = 'S';
  g_strlcpy (proc.comm, "bench", sizeof proc.comm);
  proc.pss_kib = proc.uss_kib = 100000;
  row = memscope_process_row_new (&proc, NULL, 0);
  /* No smaps reading: this measures the per-tick work only (the reading runs off-thread). */
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", "/nonexistent");
  memscope_inspect_details_set_row (details, row);
  while (gtk_widget_get_width (GTK_WIDGET (memscope_inspect_details_get_trend_graph (details))) == 0)
    g_main_context_iteration (NULL, TRUE);
  /* The longest window draws every point: the dearest case. */
  memscope_trend_graph_set_window (memscope_inspect_details_get_trend_graph (details), 3600);
  leak.rate_kib_s = 1024;
  leak.duration_s = 600;
  leak.exhaust_s = 7200;

  for (int tick = 0; tick < N_TICKS; tick++)
    {
      double now_s = 3600 + tick;
      g_autoptr(MemscopeInspectHistory) history = NULL;
      gint64 start_us;
      double tick_ms;

      for (int i = 0; i < N_POINTS; i++)
        {
          double t = i < 220 ? now_s - 3600 + i * 15 : now_s - (N_POINTS - 1 - i);

          points[i].time_s = t;
          points[i].rss_kib = 100000 + (gint64) (t * 1024) % 5000000;
          points[i].swap_kib = (gint64) t;
          points[i].pss_kib = points[i].rss_kib - 1000;
          points[i].footprint_kib = points[i].rss_kib + points[i].swap_kib;
        }
      proc.rss_kib = proc.anon_kib = points[N_POINTS - 1].rss_kib;
      proc.swap_kib = points[N_POINTS - 1].swap_kib;
      proc.hwm_kib = proc.rss_kib * 2;
      /* What the worker hands over: made off the main thread, not counted. */
      history = memscope_inspect_history_new (1, 1, "bench", points, N_POINTS, &leak);

      start_us = g_get_monotonic_time ();
      memscope_process_row_update (row, &proc, NULL, now_s);
      memscope_inspect_details_update (details);
      memscope_inspect_details_set_history (details, history, now_s);
      tick_ms = elapsed_ms (start_us);
      update_ms += tick_ms;

      start_us = g_get_monotonic_time ();
      draw (GTK_WIDGET (memscope_inspect_details_get_trend_graph (details)));
      graph_ms += elapsed_ms (start_us);

      start_us = g_get_monotonic_time ();
      draw (GTK_WIDGET (memscope_inspect_details_get_trend_graph (details)));
      draw (GTK_WIDGET (memscope_inspect_details_get_composition (details)));
      draw (GTK_WIDGET (memscope_inspect_details_get_sharing (details)));
      tick_ms += elapsed_ms (start_us);
      whole_ms += elapsed_ms (start_us);
      ticks_ms[tick] = tick_ms;
      /* The first ticks load fonts and glyph caches: not what a running panel pays. */
      if (tick >= WARM_UP)
        worst_ms = MAX (worst_ms, tick_ms);
    }
  qsort (ticks_ms + WARM_UP, N_TICKS - WARM_UP, sizeof (double), compare_doubles);

  {
    GtkWidget *graph = GTK_WIDGET (memscope_inspect_details_get_trend_graph (details));

    g_print ("inspect panel, %d ticks, %d history points (the 60 min window), graph %dx%d px:\n",
             N_TICKS, N_POINTS, gtk_widget_get_width (graph), gtk_widget_get_height (graph));
  }
  g_print ("  update (gauges, graph data, texts): %.3f ms per tick\n", update_ms / N_TICKS);
  g_print ("  draw + rasterise the trend graph:   %.3f ms per tick\n", graph_ms / N_TICKS);
  g_print ("  draw + rasterise graph and gauges:  %.3f ms per tick\n", whole_ms / N_TICKS);
  g_print ("  update + draw per tick: median %.3f ms, 95th percentile %.3f ms, worst %.3f ms "
           "after %d warm-up ticks (budget 2 ms)\n",
           ticks_ms[WARM_UP + (N_TICKS - WARM_UP) / 2],
           ticks_ms[WARM_UP + (N_TICKS - WARM_UP) * 95 / 100], worst_ms, WARM_UP);

  bench_big_smaps (details);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
