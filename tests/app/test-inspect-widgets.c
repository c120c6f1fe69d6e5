/* SPDX-License-Identifier: MIT */
/* The inspect panel's drawn widgets and views on fixtures, under Xvfb: renders are not blank,
 * accessible texts carry the values, the smaps view shows growth, the history exports as a
 * trace CSV. */

#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "memscope-inspect-details-private.h"
#include "memscope-process-actions-private.h"
#include "memscope-resize-handle.h"
#include "memscope-seams-private.h"
#include "ms-gui-test.h"
#include "ms-test.h"
#include "smaps-groups.h"
#include "trace.h"

#define MIB 1024

static GtkWindow *
show_in_window (GtkWidget *widget,
                int        width,
                int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, widget);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

/* How many pixels of the widget's render differ from the top-left one; saved as
 * render-inspect-NAME.png beside the build. */
static guint64
render_distinct_pixels (GtkWidget  *widget,
                        const char *name)
{
  g_autofree char *png = g_strdup_printf ("render-inspect-%s.png", name);

  g_assert_cmpint (gtk_widget_get_width (widget), >, 10);
  g_assert_cmpint (gtk_widget_get_height (widget), >, 10);
  return ms_gui_render_distinct_pixels (widget, png);
}

static void
test_gauge (void)
{
  GtkWidget *gauge = memscope_breakdown_gauge_new ("Where the memory is");
  MemscopeBreakdownGauge *g = MEMSCOPE_BREAKDOWN_GAUGE (gauge);
  gint64 values[] = { 300 * MIB, 100 * MIB, 0, 100 * MIB };
  GtkWindow *window;
  const char *summary;
  guint64 distinct;

  g_assert_cmpint (memscope_breakdown_gauge_add_part (g, "anon", "Anonymous"), ==, 0);
  g_assert_cmpint (memscope_breakdown_gauge_add_part (g, "file", "File-backed"), ==, 1);
  g_assert_cmpint (memscope_breakdown_gauge_add_part (g, "shmem", "Shared memory"), ==, 2);
  g_assert_cmpint (memscope_breakdown_gauge_add_part (g, "swap", "Swap"), ==, 3);
  g_assert_true (gtk_widget_has_css_class (gauge, "anon"));
  memscope_breakdown_gauge_set_values (g, values, G_N_ELEMENTS (values), 500 * MIB, "footprint",
                                       TRUE);

  /* Screen readers get every value and its share. */
  summary = memscope_breakdown_gauge_get_summary (g);
  g_test_message ("%s", summary);
  g_assert_true (ms_gui_contains (summary, "Where the memory is"));
  g_assert_true (ms_gui_contains (summary, "Anonymous 300.0 MiB · 60 %"));
  g_assert_true (ms_gui_contains (summary, "File-backed 100.0 MiB · 20 %"));
  g_assert_true (ms_gui_contains (summary, "Shared memory 0 · 0 %"));
  g_assert_true (ms_gui_contains (summary, "Swap 100.0 MiB · 20 %"));
  g_assert_true (ms_gui_contains (summary, "500.0 MiB"));
  g_assert_true (gtk_widget_get_has_tooltip (gauge));

  window = show_in_window (gauge, 420, 0);
  distinct = render_distinct_pixels (gauge, "gauge");
  g_assert_cmpuint (distinct, >, 500);

  /* Unknown values show as a dash instead of a number. */
  values[0] = -1;
  memscope_breakdown_gauge_set_values (g, values, G_N_ELEMENTS (values), 500 * MIB, "footprint",
                                       TRUE);
  g_assert_true (ms_gui_contains (memscope_breakdown_gauge_get_summary (g), "Anonymous —"));
  /* Parts beyond the maximum are refused. */
  for (guint i = 4; i < MEMSCOPE_BREAKDOWN_MAX_PARTS; i++)
    g_assert_cmpint (memscope_breakdown_gauge_add_part (g, "x", "X"), ==, (int) i);
  g_assert_cmpint (memscope_breakdown_gauge_add_part (g, "y", "Y"), ==, -1);

  gtk_window_destroy (window);
}

/* A process that grows 1 MiB/s for 5 minutes from 100 MiB, with swap creeping up and PSS known
 * only for the second half. */
static GArray *
leaking_points (double now_s)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (ms_history_point_t));

  for (int i = 0; i <= 300; i++)
    {
      ms_history_point_t p;

      p.time_s = now_s - 300 + i;
      p.rss_kib = 100 * MIB + i * MIB;
      p.swap_kib = i * 10;
      p.footprint_kib = p.rss_kib + p.swap_kib;
      p.pss_kib = i >= 150 ? p.rss_kib - 20 * MIB : -1;
      g_array_append_val (points, p);
    }
  return points;
}

static void
test_graph (void)
{
  GtkWidget *widget = memscope_trend_graph_new ();
  MemscopeTrendGraph *graph = MEMSCOPE_TREND_GRAPH (widget);
  g_autoptr(GArray) points = leaking_points (1000);
  const ms_history_point_t *p = (const ms_history_point_t *) (gpointer) points->data;
  GtkWindow *window;
  const char *summary;
  g_autofree char *at_now = NULL;
  g_autofree char *at_start = NULL;
  g_autofree char *before = NULL;
  ms_history_point_t huge[2] = {
    { 10, G_MAXINT64 / 4, G_MAXINT64 / 4, 0, -1 },
    { 11, G_MAXINT64 / 2, G_MAXINT64 / 2, 0, -1 },
  };

  /* Empty history draws an empty graph with axes and says so. */
  window = show_in_window (widget, 480, 240);
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (graph), "Footprint: no data"));
  g_assert_cmpuint (render_distinct_pixels (widget, "graph-empty"), >, 200);

  memscope_trend_graph_set_points (graph, p, points->len, 1000);
  memscope_trend_graph_set_baseline (graph, 100 * MIB);
  memscope_trend_graph_set_leak (graph, TRUE, 1024, 120, 7200);
  memscope_trend_graph_set_window (graph, 300);

  summary = memscope_trend_graph_get_summary (graph);
  g_test_message ("%s", summary);
  g_assert_true (ms_gui_contains (summary, "Footprint: now 402.9 MiB, min 100.0 MiB, max 402.9 MiB"));
  g_assert_true (ms_gui_contains (summary, "PSS: now 380.0 MiB, min 230.0 MiB"));
  g_assert_true (ms_gui_contains (summary, "LEAK +1.0 MiB/s"));
  g_assert_true (ms_gui_contains (summary, "runs out in 2 h"));

  /* Hover: the values of the nearest point. */
  at_now = memscope_trend_graph_dup_value_at (graph, 0);
  g_assert_true (ms_gui_contains (at_now, "Now"));
  g_assert_true (ms_gui_contains (at_now, "RSS: 400.0 MiB"));
  at_start = memscope_trend_graph_dup_value_at (graph, -120);
  g_assert_true (ms_gui_contains (at_start, "2 min"));
  g_assert_true (ms_gui_contains (at_start, "RSS: 280.0 MiB"));
  g_assert_true (ms_gui_contains (at_start, "PSS: 260.0 MiB"));
  /* Before the window there is nothing to show. */
  memscope_trend_graph_set_window (graph, 60);
  before = memscope_trend_graph_dup_value_at (graph, -200);
  g_assert_null (before);
  /* The summary follows the window: a minute of growth. */
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (graph), "min 342.3 MiB"));
  memscope_trend_graph_set_window (graph, 300);

  g_assert_cmpuint (render_distinct_pixels (widget, "graph-leak"), >, 2000);

  /* One sample, then huge values: drawn without trouble. */
  memscope_trend_graph_set_points (graph, p, 1, p[0].time_s);
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (graph), "Footprint: now 100.0 MiB"));
  g_assert_cmpuint (render_distinct_pixels (widget, "graph-one"), >, 200);
  memscope_trend_graph_set_leak (graph, FALSE, 0, 0, 0);
  memscope_trend_graph_set_points (graph, huge, G_N_ELEMENTS (huge), 11);
  g_assert_false (ms_gui_contains (memscope_trend_graph_get_summary (graph), "LEAK"));
  /* Sizes past what a byte count holds still print as the huge values they are. */
  g_test_message ("%s", memscope_trend_graph_get_summary (graph));
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (graph), "Footprint: now 4096"));
  g_assert_false (ms_gui_contains (memscope_trend_graph_get_summary (graph), "16.0 EiB"));
  g_assert_cmpuint (render_distinct_pixels (widget, "graph-huge"), >, 200);

  gtk_window_destroy (window);
}

/* Every legend entry is drawn whole inside the graph: the text from its x with all of its
 * natural width, however narrow the graph. */
static void
assert_legend_whole (MemscopeTrendGraph *graph)
{
  MemscopeLegendEntry entries[MEMSCOPE_N_SERIES];
  int width = gtk_widget_get_width (GTK_WIDGET (graph));

  memscope_trend_graph_get_legend (graph, entries);
  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    {
      g_test_message ("legend %u: line %u, x %d, text %d + %d of %d", s, entries[s].line,
                      entries[s].x, entries[s].text_x, entries[s].text_width, width);
      g_assert_cmpint (entries[s].x, >=, 0);
      g_assert_cmpint (entries[s].text_width, >, 0);
      g_assert_cmpint (entries[s].text_x + entries[s].text_width, <=, width);
    }
}

/* In a panel-wide graph the legend takes two lines rather than losing "Swap"; it keeps every
 * series' last value once the process has exited and the window has moved past its points; the
 * leak line runs on to where memory runs out, or to the edge. */
static void
test_graph_legend (void)
{
  GtkWidget *widget = memscope_trend_graph_new ();
  MemscopeTrendGraph *graph = MEMSCOPE_TREND_GRAPH (widget);
  g_autoptr(GArray) points = leaking_points (1000);
  const ms_history_point_t *p = (const ms_history_point_t *) (gpointer) points->data;
  MemscopeLegendEntry before[MEMSCOPE_N_SERIES], after[MEMSCOPE_N_SERIES];
  GtkWindow *window;
  int height_one_line;

  window = show_in_window (widget, 300, 240);
  memscope_trend_graph_set_points (graph, p, points->len, 1000);
  memscope_trend_graph_set_window (graph, 300);
  ms_gui_settle (50);
  assert_legend_whole (graph);
  memscope_trend_graph_get_legend (graph, before);
  /* Too narrow for one line: the legend wraps, and the graph asks for the height it takes. */
  g_assert_cmpuint (before[MEMSCOPE_SERIES_SWAP].line, >, 0);
  g_assert_cmpuint (render_distinct_pixels (widget, "graph-legend-narrow"), >, 1000);

  /* Exited 10 min ago: no point in the window, the values are the last ones seen. */
  memscope_trend_graph_set_points (graph, p, points->len, 1600);
  memscope_trend_graph_get_legend (graph, after);
  for (guint s = 0; s < MEMSCOPE_N_SERIES; s++)
    g_assert_cmpint (after[s].text_width, ==, before[s].text_width);
  assert_legend_whole (graph);

  /* Wide: one line. */
  gtk_window_set_default_size (window, 900, 240);
  MS_GUI_AWAIT (gtk_widget_get_width (widget) >= 880, MS_GUI_WAIT_MS, "the graph to widen");
  memscope_trend_graph_get_legend (graph, after);
  g_assert_cmpuint (after[MEMSCOPE_SERIES_SWAP].line, ==, 0);
  assert_legend_whole (graph);
  height_one_line = gtk_widget_get_height (widget);
  g_assert_cmpint (height_one_line, >, 0);

  /* A leak that runs out within the look-ahead (30 s), then one that does later (2 h). */
  memscope_trend_graph_set_points (graph, p, points->len, 1000);
  {
    double ahead = -1;
    gboolean runs_out = TRUE;

    g_assert_false (memscope_trend_graph_get_forecast (graph, &ahead, &runs_out));
    g_assert_cmpfloat (ahead, ==, 0);
    memscope_trend_graph_set_leak (graph, TRUE, 1024, 120, 30);
    g_assert_true (memscope_trend_graph_get_forecast (graph, &ahead, &runs_out));
    g_assert_true (runs_out);
    g_assert_cmpfloat_with_epsilon (ahead, 30, 1e-9);
    g_assert_cmpuint (render_distinct_pixels (widget, "graph-leak-runs-out"), >, 2000);
    /* Later than the quarter of the 5 min window the graph looks ahead: to the edge. */
    memscope_trend_graph_set_leak (graph, TRUE, 1024, 120, 7200);
    g_assert_true (memscope_trend_graph_get_forecast (graph, &ahead, &runs_out));
    g_assert_false (runs_out);
    g_assert_cmpfloat_with_epsilon (ahead, 75, 1e-9);
    g_assert_cmpuint (render_distinct_pixels (widget, "graph-leak-later"), >, 2000);
    /* A shrinking fit has no exhaustion to draw towards. */
    memscope_trend_graph_set_leak (graph, TRUE, -1024, 120, NAN);
    g_assert_false (memscope_trend_graph_get_forecast (graph, &ahead, &runs_out));
    memscope_trend_graph_set_leak (graph, TRUE, 1024, 120, 7200);
  }
  assert_legend_whole (graph);

  gtk_window_destroy (window);
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
natural_width (GtkWidget *widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return natural;
}

/* Paths shorten the same way on every row, in the middle, the directory before the file name:
 * the file name is whole, its directory shortened if need be. */
static void
assert_paths_keep_file_names (GtkWidget *view)
{
  GtkLabel *base = find_label (view, "libc.so.6");
  GtkLabel *dir = find_label (view, "/usr/lib/x86_64-linux-gnu/");

  g_assert_nonnull (base);
  g_assert_nonnull (dir);
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (base)) == gtk_widget_get_parent (GTK_WIDGET (dir)));
  g_assert_cmpint (gtk_label_get_ellipsize (base), ==, PANGO_ELLIPSIZE_MIDDLE);
  g_assert_cmpint (gtk_label_get_ellipsize (dir), ==, PANGO_ELLIPSIZE_MIDDLE);
  MS_GUI_AWAIT (gtk_widget_get_width (GTK_WIDGET (base)) > 0, MS_GUI_WAIT_MS, "the row laid out");
  g_test_message ("libc.so.6: %d of %d px; its directory: %d of %d px",
                  gtk_widget_get_width (GTK_WIDGET (base)), natural_width (GTK_WIDGET (base)),
                  gtk_widget_get_width (GTK_WIDGET (dir)), natural_width (GTK_WIDGET (dir)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (base)), >=, natural_width (GTK_WIDGET (base)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dir)), >, 0);

  base = find_label (view, "libm.so.6");
  dir = find_label (view, "/opt/vendor/toolkit/runtime/lib/x86_64-linux-gnu/plugins/");
  g_assert_nonnull (base);
  g_assert_nonnull (dir);
  g_test_message ("libm.so.6: %d of %d px; its directory: %d of %d px",
                  gtk_widget_get_width (GTK_WIDGET (base)), natural_width (GTK_WIDGET (base)),
                  gtk_widget_get_width (GTK_WIDGET (dir)), natural_width (GTK_WIDGET (dir)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (base)), >=, natural_width (GTK_WIDGET (base)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dir)), <, natural_width (GTK_WIDGET (dir)));
}

static char *
make_proc_copy (const char *smaps_fixture)
{
  g_autofree char *dir = g_dir_make_tmp ("ms-inspect-XXXXXX", NULL);
  g_autofree char *pid_dir = g_build_filename (dir, "4242", NULL);
  g_autofree char *stat_src = ms_test_data_path ("smaps/proc/4242/stat");
  g_autofree char *smaps_src = ms_test_data_path (smaps_fixture);
  g_autofree char *stat = NULL;
  g_autofree char *smaps = NULL;
  g_autofree char *stat_dst = g_build_filename (pid_dir, "stat", NULL);
  g_autofree char *smaps_dst = g_build_filename (pid_dir, "smaps", NULL);
  gsize len;

  g_assert_cmpint (g_mkdir (pid_dir, 0755), ==, 0);
  g_assert_true (g_file_get_contents (stat_src, &stat, &len, NULL));
  g_assert_true (g_file_set_contents (stat_dst, stat, (gssize) len, NULL));
  g_assert_true (g_file_get_contents (smaps_src, &smaps, &len, NULL));
  g_assert_true (g_file_set_contents (smaps_dst, smaps, (gssize) len, NULL));
  return g_steal_pointer (&dir);
}

static void
remove_proc_copy (const char *dir)
{
  g_autofree char *stat = g_build_filename (dir, "4242", "stat", NULL);
  g_autofree char *smaps = g_build_filename (dir, "4242", "smaps", NULL);
  g_autofree char *pid_dir = g_build_filename (dir, "4242", NULL);

  g_unlink (stat);
  g_unlink (smaps);
  g_rmdir (pid_dir);
  g_rmdir (dir);
}

static void
wait_updated (MemscopeSmapsView *view)
{
  gboolean updated = FALSE;
  gulong id = g_signal_connect (view, "updated", G_CALLBACK (ms_gui_set_flag_cb), &updated);

  ms_gui_wait_for_flag (&updated, 10000, "an smaps reading");
  g_signal_handler_disconnect (view, id);
}

static gint64
expected_growth (ms_smaps_kind_t kind)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  ms_smaps_groups_t a, b;
  ms_smaps_diff_t d;
  gint64 sum = 0;

  before = ms_test_data_read ("smaps/before", &before_len);
  after = ms_test_data_read ("smaps/after", &after_len);
  ms_smaps_groups_init (&a);
  ms_smaps_groups_init (&b);
  ms_smaps_diff_init (&d);
  g_assert_cmpint (ms_smaps_groups_parse (before, before_len, &a), ==, 0);
  g_assert_cmpint (ms_smaps_groups_parse (after, after_len, &b), ==, 0);
  g_assert_cmpint (ms_smaps_groups_diff (&a, &b, &d), ==, 0);
  for (gsize i = 0; i < d.n_changes; i++)
    if (d.changes[i].kind == kind)
      sum += d.changes[i].growth_kib;
  ms_smaps_diff_clear (&d);
  ms_smaps_groups_clear (&a);
  ms_smaps_groups_clear (&b);
  return sum;
}

static void
test_smaps_view (void)
{
  g_autofree char *saved_root = g_strdup (memscope_proc_root ());
  g_autofree char *root = make_proc_copy ("smaps/before");
  g_autofree char *fixtures = ms_test_data_path ("smaps/proc");
  g_autofree char *smaps_path = g_build_filename (root, "4242", "smaps", NULL);
  g_autofree char *after = NULL;
  g_autofree char *row0 = NULL;
  g_autofree char *text = NULL;
  GtkWidget *widget = memscope_smaps_view_new ();
  MemscopeSmapsView *view = MEMSCOPE_SMAPS_VIEW (widget);
  /* As narrow as in the panel: paths do not fit whole. */
  GtkWindow *window = show_in_window (widget, 340, 400);
  gsize len;

  /* One library deep in a long directory, which cannot fit. */
  {
    g_autofree char *before = NULL;
    g_autofree char *deep = NULL;

    g_assert_true (g_file_get_contents (smaps_path, &before, &len, NULL));
    g_auto(GStrv) parts = g_strsplit (before, "/usr/lib/x86_64-linux-gnu/libm.so.6", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    deep = g_strjoinv ("/opt/vendor/toolkit/runtime/lib/x86_64-linux-gnu/plugins/libm.so.6",
                       parts);
    g_assert_true (g_file_set_contents (smaps_path, deep, -1, NULL));
  }

  /* The first reading is the baseline: nothing has changed yet. */
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", root);
  memscope_smaps_view_set_process (view, 4242, 123456);
  wait_updated (view);
  g_assert_cmpuint (memscope_smaps_view_get_n_reads (view), ==, 1);
  g_assert_cmpint (memscope_smaps_view_get_growth_kib (view, MS_SMAPS_HEAP), ==, 0);
  /* 16 groups, less [vvar] and [vsyscall], which hold nothing ([vdso] has 8 kB resident). */
  g_assert_cmpuint (memscope_smaps_view_get_n_rows (view), ==, 14);
  text = memscope_smaps_view_dup_text (view);
  g_test_message ("%s", text);
  g_assert_false (ms_gui_contains (text, "[vvar]"));
  g_assert_false (ms_gui_contains (text, "[vsyscall]"));
  g_assert_true (ms_gui_contains (text, "[vdso]"));
  g_assert_true (ms_gui_contains (text, "/usr/lib/x86_64-linux-gnu/libc.so.6\t"));
  g_clear_pointer (&text, g_free);
  assert_paths_keep_file_names (widget);

  /* The process grew: the heap is the first row, with its growth. */
  after = ms_test_data_read ("smaps/after", &len);
  g_assert_true (g_file_set_contents (smaps_path, after, (gssize) len, NULL));
  memscope_smaps_view_refresh (view);
  wait_updated (view);
  g_assert_cmpuint (memscope_smaps_view_get_n_reads (view), ==, 2);
  g_assert_cmpint (memscope_smaps_view_get_growth_kib (view, MS_SMAPS_HEAP), ==,
                   expected_growth (MS_SMAPS_HEAP));
  g_assert_cmpint (memscope_smaps_view_get_growth_kib (view, MS_SMAPS_HEAP), >, 0);
  row0 = memscope_smaps_view_dup_row_text (view, 0);
  g_test_message ("first row: %s", row0);
  g_assert_true (g_str_has_prefix (row0, "[heap]\t"));
  g_assert_true (ms_gui_contains (row0, "\t+"));
  text = memscope_smaps_view_dup_text (view);
  g_assert_true (ms_gui_contains (text, "[anon:cache]"));
  g_assert_cmpuint (render_distinct_pixels (widget, "smaps"), >, 2000);

  /* The process exits: said plainly, the last reading stays. */
  remove_proc_copy (root);
  memscope_smaps_view_refresh (view);
  wait_updated (view);
  g_assert_true (ms_gui_contains (memscope_smaps_view_get_status (view), "exited"));
  g_assert_cmpuint (memscope_smaps_view_get_n_rows (view), >, 0);
  g_assert_cmpint (memscope_smaps_view_get_growth_kib (view, MS_SMAPS_HEAP), >, 0);

  /* Another user's process: why it cannot be read. */
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", fixtures);
  memscope_smaps_view_set_process (view, 4243, 777);
  wait_updated (view);
  g_assert_true (ms_gui_contains (memscope_smaps_view_get_status (view), "Another user"));
  g_assert_cmpuint (memscope_smaps_view_get_n_rows (view), ==, 0);

  /* A pid now used by another process (another starttime) is not read. */
  memscope_smaps_view_set_process (view, 4242, 999);
  wait_updated (view);
  g_assert_true (ms_gui_contains (memscope_smaps_view_get_status (view), "exited"));
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", saved_root);

  gtk_window_destroy (window);
}

typedef struct
{
  guint n_samples;
  ms_proc_t last;
  double last_time_s;
} ReadBack;

static int
read_back_cb (ms_snapshot_t *snap,
              void          *user)
{
  ReadBack *back = user;

  g_assert_cmpuint (snap->n_procs, ==, 1);
  back->n_samples++;
  back->last = snap->procs[0];
  back->last_time_s = snap->time_s;
  return 0;
}

static void
test_history_csv (void)
{
  g_autoptr(GArray) points = leaking_points (1000);
  g_autoptr(MemscopeInspectHistory) history = NULL;
  g_autofree char *csv = NULL;
  ms_proc_t proc = { 0 };
  ms_trace_reader_t *reader;
  ReadBack back = { 0 };

  proc.pid = 77;
  proc.ppid = 1;
  proc.uid = 1000;
  g_strlcpy (proc.user, "ann", sizeof proc.user);
  g_strlcpy (proc.group, "app:org.example.Leaky", sizeof proc.group);
  history = memscope_inspect_history_new (77, 4321, "a,\"b\"", (ms_history_point_t *) (gpointer) points->data,
                                          points->len, NULL);
  csv = memscope_inspect_history_to_csv (history, &proc);
  g_assert_true (g_str_has_prefix (csv, "time_s,pid,starttime,comm,state,rss_kib,pss_kib,swap_kib,"
                                        "ppid,uid,user,group\n0.000,77,4321,\"a,\"\"b\"\"\",,"));

  /* The project's own trace reader reads it back: one sample per point, same values. */
  reader = ms_trace_reader_new_mem (csv, strlen (csv), "export.csv");
  g_assert_cmpint (ms_trace_reader_run (reader, read_back_cb, &back), ==, 0);
  g_assert_cmpstr (ms_trace_reader_error (reader), ==, "");
  ms_trace_reader_free (reader);
  g_assert_cmpuint (back.n_samples, ==, points->len);
  g_assert_cmpfloat (back.last_time_s, ==, 300);
  g_assert_cmpint (back.last.pid, ==, 77);
  g_assert_cmpuint (back.last.starttime, ==, 4321);
  g_assert_cmpstr (back.last.comm, ==, "a,\"b\"");
  g_assert_cmpint (back.last.rss_kib, ==, 400 * MIB);
  g_assert_cmpint (back.last.swap_kib, ==, 3000);
  g_assert_cmpint (back.last.pss_kib, ==, 380 * MIB);
  g_assert_cmpstr (back.last.user, ==, "ann");
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);

  g_object_set_data_full (source, "ms-test-text", text, g_free);
  *(gboolean *) data = TRUE;
}

static void
test_details (void)
{
  g_autofree char *saved_root = g_strdup (memscope_proc_root ());
  ms_proc_t proc = { 0 };
  g_autoptr(MemscopeProcessRow) row = NULL;
  g_autoptr(GArray) points = leaking_points (1000);
  g_autoptr(MemscopeInspectHistory) history = NULL;
  g_autoptr(MemscopeInspectHistory) other = NULL;
  g_autofree char *fixtures = ms_test_data_path ("smaps/proc");
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  GtkWidget *widget = memscope_inspect_details_new ();
  MemscopeInspectDetails *details = MEMSCOPE_INSPECT_DETAILS (widget);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWindow *window;
  ms_event_t leak = { 0 };

  proc.pid = 4242;
  proc.starttime = 123456;
  proc.state = 'S';
  proc.threads = 3;
  g_strlcpy (proc.comm, "demo", sizeof proc.comm);
  g_strlcpy (proc.user, "root", sizeof proc.user);
  g_strlcpy (proc.cmdline, "/usr/bin/demo --leak", sizeof proc.cmdline);
  proc.rss_kib = 400 * MIB;
  proc.anon_kib = 300 * MIB;
  proc.file_kib = 90 * MIB;
  proc.shmem_kib = 10 * MIB;
  proc.swap_kib = 100 * MIB;
  proc.hwm_kib = 800 * MIB;
  proc.pss_kib = 200 * MIB;
  proc.uss_kib = 160 * MIB;
  proc.footprint_kib = 500 * MIB;
  proc.baseline_kib = 150 * MIB;
  proc.delta_kib = 350 * MIB;
  proc.tags = 1;
  row = memscope_process_row_new (&proc, "growing 1.0 MiB/s for 2 min", 1000);

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", fixtures);
  memscope_inspect_details_set_row (details, row);
  g_assert_true (ms_gui_contains (memscope_breakdown_gauge_get_summary (
                              memscope_inspect_details_get_composition (details)),
                            "Anonymous 300.0 MiB · 60 %"));
  g_assert_true (ms_gui_contains (memscope_breakdown_gauge_get_summary (
                              memscope_inspect_details_get_sharing (details)),
                            "Proportional (PSS) 200.0 MiB · 25 %"));

  /* History of another process is ignored; the inspected one's is shown with its leak. */
  other = memscope_inspect_history_new (4243, 1, "x", NULL, 0, NULL);
  memscope_inspect_details_set_history (details, other, 1000);
  g_assert_null (memscope_inspect_details_dup_csv (details));
  leak.rate_kib_s = 1024;
  leak.duration_s = 120;
  leak.exhaust_s = NAN;
  history = memscope_inspect_history_new (4242, 123456, "demo",
                                          (ms_history_point_t *) (gpointer) points->data,
                                          points->len, &leak);
  memscope_inspect_details_set_history (details, history, 1000);
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (
                              memscope_inspect_details_get_trend_graph (details)),
                            "LEAK +1.0 MiB/s"));
  csv = memscope_inspect_details_dup_csv (details);
  g_assert_nonnull (csv);
  g_assert_true (g_str_has_prefix (csv, "time_s,pid,starttime,comm,"));

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), widget);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  window = show_in_window (scroller, 440, 1100);
  wait_updated (memscope_inspect_details_get_smaps_view (details));

  text = memscope_inspect_details_dup_text (details);
  g_test_message ("%s", text);
  g_assert_true (ms_gui_contains (text, "PID: 4242"));
  g_assert_true (ms_gui_contains (text, "/usr/bin/demo --leak"));
  g_assert_true (ms_gui_contains (text, "Anonymous 300.0 MiB"));
  g_assert_true (ms_gui_contains (text, "[heap]"));
  g_assert_cmpuint (render_distinct_pixels (scroller, "details"), >, 5000);

  /* Copy details puts the same text on the clipboard. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
    g_autofree char *copied = NULL;
    gboolean done = FALSE;

    g_assert_true (gtk_widget_activate_action (widget, "inspect.copy", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &done);
    ms_gui_wait_for_flag (&done, 5000, "the clipboard");
    copied = g_object_steal_data (G_OBJECT (clipboard), "ms-test-text");
    g_assert_true (ms_gui_contains (copied, "PID: 4242"));
    g_assert_true (ms_gui_contains (copied, "Anonymous 300.0 MiB"));
  }

  /* Export: the chooser names the file, the history is written as a trace CSV. */
  {
    g_autofree char *dir = g_dir_make_tmp ("ms-inspect-export-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "history.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *written = NULL;
    GtkFileChooserNative *chooser;
    gsize len;

    g_assert_true (gtk_widget_activate_action (widget, "inspect.export-csv", NULL));
    chooser = memscope_inspect_details_get_export_chooser (details);
    g_assert_nonnull (chooser);
    {
      g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

      g_assert_cmpstr (name, ==, "demo-4242-history.csv");
    }
    {
      g_autoptr(GFile) folder = g_file_new_for_path (dir);
      g_autoptr(GFile) chosen = NULL;

      g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder,
                                                          NULL));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "history.csv");
      /* The dialog loads the folder before it answers with a file in it. */
      for (guint i = 0; i < 200 && chosen == NULL; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10 * 1000);
          chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
        }
      g_test_message ("chosen: %s", chosen ? g_file_peek_path (chosen) : "(null)");
      g_assert_true (chosen != NULL && g_file_equal (chosen, file));
    }
    gtk_native_dialog_hide (GTK_NATIVE_DIALOG (chooser));
    g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
    g_assert_null (memscope_inspect_details_get_export_chooser (details));
    g_test_message ("export: %s", memscope_inspect_details_get_export_message (details));
    g_assert_true (ms_gui_contains (memscope_inspect_details_get_export_message (details), "exported"));
    g_assert_true (g_file_get_contents (path, &written, &len, NULL));
    g_assert_cmpstr (written, ==, csv);
    g_unlink (path);
    g_rmdir (dir);
  }

  /* Exited: said plainly, actions off, the data stays. */
  memscope_inspect_details_set_exited (details, TRUE);
  memscope_process_actions_request (memscope_inspect_details_get_actions (details), SIGTERM);
  g_assert_null (memscope_process_actions_get_confirmation (
                   memscope_inspect_details_get_actions (details)));
  g_clear_pointer (&text, g_free);
  text = memscope_inspect_details_dup_text (details);
  g_assert_true (ms_gui_contains (text, "has exited"));
  g_assert_true (ms_gui_contains (text, "Anonymous 300.0 MiB"));

  gtk_window_destroy (window);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", saved_root);
}

static GtkWidget *
button_for (GtkWidget  *root,
            const char *action)
{
  if (GTK_IS_ACTIONABLE (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = button_for (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Stop for a running process, Continue for a stopped one, nothing but an explanation for a
 * zombie; they follow the process as its state changes. */
static void
test_actions_follow_state (void)
{
  ms_proc_t proc = { 0 };
  g_autoptr(MemscopeProcessRow) row = NULL;
  g_autoptr(MemscopeProcessRow) other = NULL;
  GtkWidget *actions = memscope_process_actions_new ();
  GtkWidget *stop, *cont, *end, *kill;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  proc.pid = 4242;
  proc.starttime = 123456;
  proc.state = 'S';
  proc.threads = 1;
  g_strlcpy (proc.comm, "demo", sizeof proc.comm);
  row = memscope_process_row_new (&proc, NULL, 1000);
  gtk_window_set_child (window, actions);
  memscope_process_actions_set_row (MEMSCOPE_PROCESS_ACTIONS (actions), row);
  stop = button_for (actions, "process.stop");
  cont = button_for (actions, "process.continue");
  end = button_for (actions, "process.end");
  kill = button_for (actions, "process.kill");
  g_assert_nonnull (stop);
  g_assert_nonnull (cont);
  g_assert_nonnull (end);
  g_assert_nonnull (kill);
  g_assert_true (gtk_widget_get_sensitive (stop));
  g_assert_false (gtk_widget_get_sensitive (cont));
  g_assert_true (gtk_widget_get_sensitive (end));

  proc.state = 'T';
  memscope_process_row_update (row, &proc, NULL, 1001);
  g_assert_false (gtk_widget_get_sensitive (stop));
  g_assert_true (gtk_widget_get_sensitive (cont));
  g_assert_true (gtk_widget_get_sensitive (kill));

  proc.state = 'Z';
  memscope_process_row_update (row, &proc, NULL, 1002);
  g_assert_false (gtk_widget_get_sensitive (stop));
  g_assert_false (gtk_widget_get_sensitive (cont));
  g_assert_false (gtk_widget_get_sensitive (end));
  g_assert_false (gtk_widget_get_sensitive (kill));

  /* Another row: its own state counts. */
  proc.pid = 4243;
  proc.state = 'T';
  other = memscope_process_row_new (&proc, NULL, 1003);
  memscope_process_actions_set_row (MEMSCOPE_PROCESS_ACTIONS (actions), other);
  g_assert_false (gtk_widget_get_sensitive (stop));
  g_assert_true (gtk_widget_get_sensitive (cont));
  gtk_window_destroy (window);
}

static void
test_resize_handle (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *list = gtk_label_new ("list");
  GtkWidget *handle = memscope_resize_handle_new ();
  GtkWidget *panel = gtk_label_new ("panel");
  MemscopeResizeHandle *h = MEMSCOPE_RESIZE_HANDLE (handle);
  GtkWindow *window;
  int width;

  gtk_widget_set_hexpand (list, TRUE);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), handle);
  gtk_box_append (GTK_BOX (box), panel);
  memscope_resize_handle_set_target (h, panel);
  window = show_in_window (box, 1000, 300);

  memscope_resize_handle_set_width (h, 400);
  g_assert_cmpint (memscope_resize_handle_get_width (h), ==, 400);
  gtk_widget_get_size_request (panel, &width, NULL);
  g_assert_cmpint (width, ==, 400);
  while (gtk_widget_get_width (panel) != 400)
    g_main_context_iteration (NULL, TRUE);

  /* Clamped: never below the minimum, never so wide that the list disappears. */
  memscope_resize_handle_set_width (h, 10);
  g_assert_cmpint (memscope_resize_handle_get_width (h), ==, MEMSCOPE_RESIZE_HANDLE_MIN_WIDTH);
  memscope_resize_handle_set_width (h, 5000);
  g_assert_cmpint (memscope_resize_handle_get_width (h), <=, 1000 - 240);

  /* The width is a property: what GSettings binds to remember it. */
  g_object_set (handle, "width", 500, NULL);
  g_object_get (handle, "width", &width, NULL);
  g_assert_cmpint (width, ==, 500);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  ms_gui_test_init (&argc, &argv);

  g_test_add_func ("/inspect/gauge", test_gauge);
  g_test_add_func ("/inspect/graph", test_graph);
  g_test_add_func ("/inspect/graph-legend", test_graph_legend);
  g_test_add_func ("/inspect/smaps-view", test_smaps_view);
  g_test_add_func ("/inspect/history-csv", test_history_csv);
  g_test_add_func ("/inspect/details", test_details);
  g_test_add_func ("/inspect/resize-handle", test_resize_handle);
  g_test_add_func ("/inspect/actions-follow-state", test_actions_follow_state);

  rc = g_test_run ();
  ms_gui_drain ();
  return rc;
}
