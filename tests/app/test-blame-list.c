/* SPDX-License-Identifier: MIT */
/* Tests of the blame list: shares that explain the whole change, merged short-lived processes, a
 * new selection shown from the top, and room for its rows in the window. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-blame-list.h"
#include "memscope-seams-private.h"
#include "memscope-timeline-pane.h"
#include "memscope-timeline.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"
#include "trace.h"
#include "tracegen.h"

static char *tmpdir;
static char *trace_path;
static GtkWidget *window;
static MemscopeBlameList *blame_list;
static gboolean computed;

/* --- Helpers ------------------------------------------------------------------------------------ */

static void
write_sample_cb (ms_snapshot_t *snap,
                 void          *user)
{
  g_assert_cmpint (ms_trace_writer_sample (user, snap, snap->time_s), ==, 0);
}

/* tracegen's machine of seed 7 over 120 s: growers, shrinkers, exits, a sleep every 2 s and
 * memory no process holds. */
static char *
write_machine_trace (void)
{
  char *path = g_build_filename (tmpdir, "machine.csv", NULL);
  FILE *f = fopen (path, "w");
  ms_trace_writer_t *w;

  g_assert_nonnull (f);
  w = ms_trace_writer_new (f);
  g_assert_nonnull (w);
  ms_tg_run_machine (7, 120, write_sample_cb, w);
  ms_trace_writer_free (w);
  g_assert_cmpint (fclose (f), ==, 0);
  return path;
}

static void
computed_cb (void)
{
  computed = TRUE;
}

static void
compute_and_wait (MemscopeBlameList *list,
                  double             from_s,
                  double             to_s)
{
  gulong id = g_signal_connect (list, "computed", G_CALLBACK (computed_cb), NULL);

  computed = FALSE;
  memscope_blame_list_compute_trace (list, trace_path, from_s, to_s);
  ms_gui_wait_until (ms_gui_flag_is_set, &computed, 20000, "blame");
  g_signal_handler_disconnect (list, id);
  g_assert_false (memscope_blame_list_get_busy (list));
}

static GtkAdjustment *
list_vadjustment (MemscopeBlameList *list)
{
  GtkWidget *scroller = ms_gui_find_widget (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);

  g_assert_nonnull (scroller);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

/* The header's and a row's height in a column view with rows. */
static void
column_view_metrics (GtkWidget *view,
                     int       *header_height,
                     int       *row_height)
{
  GtkWidget *header = gtk_widget_get_first_child (view);
  GtkWidget *list = gtk_widget_get_next_sibling (header);
  GtkWidget *row = list != NULL ? gtk_widget_get_first_child (list) : NULL;

  g_assert_nonnull (row);
  *header_height = gtk_widget_get_height (header);
  *row_height = gtk_widget_get_height (row);
  g_assert_cmpint (*row_height, >, 10);
}

/* How many whole rows a column view's scrolled window shows below its header. */
static int
rows_in_view (GtkWidget *view)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  int header, row;

  column_view_metrics (view, &header, &row);
  return (gtk_widget_get_height (scroller) - header) / row;
}

/* Which items a list shows, in its order. */
static MemscopeBlameItem *
shown_item (MemscopeBlameList *list,
            guint              position)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (ms_gui_find_widget (GTK_WIDGET (list),
                                                             GTK_TYPE_COLUMN_VIEW));

  return g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), position);
}

/* The texts the mapped cells of a column show, top to bottom. */
static GPtrArray *
column_texts (MemscopeBlameList *list,
              guint              column)
{
  GtkWidget *view = ms_gui_find_widget (GTK_WIDGET (list), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *rows = gtk_widget_get_next_sibling (gtk_widget_get_first_child (view));
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (rows); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *cell = gtk_widget_get_first_child (row);
      const char *text;

      for (guint i = 0; cell != NULL && i < column; i++)
        cell = gtk_widget_get_next_sibling (cell);
      if (cell == NULL || !gtk_widget_get_child_visible (row))
        continue;
      text = ms_gui_shown_text (gtk_widget_get_first_child (cell));
      if (text != NULL)
        g_ptr_array_add (texts, g_strdup (text));
    }
  return texts;
}

/* The mapped labels of a column are at least as wide as their text needs. */
static void
assert_labels_whole (MemscopeBlameList *list,
                     guint              column)
{
  GtkWidget *view = ms_gui_find_widget (GTK_WIDGET (list), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *rows = gtk_widget_get_next_sibling (gtk_widget_get_first_child (view));
  guint checked = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (rows); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *cell = gtk_widget_get_first_child (row);
      GtkWidget *label;
      int natural;

      for (guint i = 0; cell != NULL && i < column; i++)
        cell = gtk_widget_get_next_sibling (cell);
      if (cell == NULL || !gtk_widget_get_child_visible (row) || !gtk_widget_get_mapped (cell))
        continue;
      label = gtk_widget_get_first_child (cell);
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_width (label), >=, natural);
      checked++;
    }
  g_assert_cmpuint (checked, >, 5);
}

/* Blame in the window: framed, at least blame_rows of it shown, and the process list below it
 * with its first row whole under its header and at least list_rows shown. */
static void
check_window_layout (MemscopeWindow    *win,
                     MemscopeBlameList *list,
                     const char        *png,
                     int                blame_rows,
                     int                list_rows)
{
  GtkWidget *blame_view = ms_gui_find_widget (GTK_WIDGET (list), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *process_view = GTK_WIDGET (memscope_window_get_column_view (win));
  GtkWidget *process_scroller = gtk_widget_get_ancestor (process_view, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (process_scroller));
  graphene_point_t blame_bottom, list_top;

  g_object_unref (ms_gui_render (GTK_WIDGET (win), png));
  g_test_message ("%s: %d blame rows, %d process rows shown", png, rows_in_view (blame_view),
                  rows_in_view (process_view));
  g_assert_cmpint (rows_in_view (blame_view), >=, blame_rows);
  g_assert_cmpint (rows_in_view (process_view), >=, list_rows);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, 0);
  /* The pane ends above the process list, with room between them. */
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (list), GTK_WIDGET (win),
                                           &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (
                                                                   GTK_WIDGET (list))),
                                           &blame_bottom));
  g_assert_true (gtk_widget_compute_point (process_scroller, GTK_WIDGET (win),
                                           &GRAPHENE_POINT_INIT (0, 0), &list_top));
  g_assert_cmpfloat (blame_bottom.y, <, list_top.y);
  g_assert_true (GTK_IS_FRAME (gtk_widget_get_parent (GTK_WIDGET (list))));
}

/* --- Tests -------------------------------------------------------------------------------------- */

/* A range in which memory in use fell: its shrinkers, exits and the unattributed part explain
 * it, the shares of all rows add up to 100 %, and the script's sleeps are one row each way. */
static void
test_explains_whole_change (void)
{
  GListModel *model = memscope_blame_list_get_model (blame_list);
  guint n = g_list_model_get_n_items (model);
  int pct_sum = 0, sleeps_started = 0, sleeps_exited = 0, sleeps_passing = 0, shrinkers = 0;
  int exits = 0;
  gint64 change = 0, machine = 0;
  gboolean unattributed = FALSE;
  g_autoptr (GPtrArray) shares = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (MemscopeBlameItem) first = NULL;

  compute_and_wait (blame_list, 20, 100);
  n = g_list_model_get_n_items (model);
  g_test_message ("%s", memscope_blame_list_get_summary (blame_list));
  g_assert_true (memscope_blame_list_get_machine_delta (blame_list, &machine));
  g_assert_cmpint (machine, <, 0);
  g_assert_true (ms_gui_contains (memscope_blame_list_get_summary (blame_list),
                                  "memory in use changed by −"));
  g_assert_true (ms_gui_contains (memscope_blame_list_get_summary (blame_list),
                                  "shrank or exited by −"));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MemscopeBlameItem) item = g_list_model_get_item (model, i);
      gint64 delta = memscope_blame_item_get_delta_kib (item);
      int pct = memscope_blame_item_get_share_pct (item);

      change += delta;
      pct_sum += ABS (pct);
      g_assert_true (pct == 0 || (pct < 0) == (delta < 0));
      g_assert_cmpint (ABS (pct), <=, 100);
      if (memscope_blame_item_get_unattributed (item))
        {
          unattributed = TRUE;
          continue;
        }
      if (g_str_equal (memscope_blame_item_get_comm (item), "sleep"))
        {
          /* Merged: no pid of its own, the count of the processes it stands for. */
          g_assert_cmpuint (memscope_blame_item_get_count (item), >, 1);
          g_assert_cmpint (memscope_blame_item_get_pid (item), ==, 0);
          if (memscope_blame_item_get_started_inside (item)
              && memscope_blame_item_get_exited_inside (item))
            {
              /* The sleeps that came and went: no part of the change, what they held shown. */
              sleeps_passing++;
              g_assert_cmpint (delta, ==, 0);
              g_assert_cmpint (pct, ==, 0);
              g_assert_cmpint (memscope_blame_item_get_peak_kib (item), >, 0);
              continue;
            }
          sleeps_started += memscope_blame_item_get_started_inside (item);
          sleeps_exited += memscope_blame_item_get_exited_inside (item);
          continue;
        }
      g_assert_cmpuint (memscope_blame_item_get_count (item), ==, 1);
      exits += memscope_blame_item_get_exited_inside (item);
      shrinkers += delta < 0 && !memscope_blame_item_get_exited_inside (item);
    }
  /* The rows add up to the machine's change, and their shares to 100 %. */
  g_assert_true (unattributed);
  g_assert_cmpint (change, ==, machine);
  g_assert_cmpint (pct_sum, ==, 100);
  g_assert_cmpint (sleeps_started, ==, 1);
  g_assert_cmpint (sleeps_exited, ==, 1);
  g_assert_cmpint (sleeps_passing, ==, 1);
  g_assert_cmpint (exits, >, 0);
  g_assert_cmpint (shrinkers, >, 0);

  /* Shown from the largest change down, growth or shrink: here an exit. */
  first = shown_item (blame_list, 0);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (MemscopeBlameItem) prev = shown_item (blame_list, i - 1);
      g_autoptr (MemscopeBlameItem) item = shown_item (blame_list, i);

      g_assert_cmpint (ABS (memscope_blame_item_get_delta_kib (prev)), >=,
                       ABS (memscope_blame_item_get_delta_kib (item)));
    }
  g_assert_cmpint (memscope_blame_item_get_delta_kib (first), <, 0);

  /* In light and dark, 800 and 1600 pixels wide: sizes and shares are never cut (names may be). */
  for (guint dark = 0; dark <= 1; dark++)
    for (guint wide = 0; wide <= 1; wide++)
      {
        g_autofree char *png = g_strdup_printf ("blame-list-%s-%d.png", dark ? "dark" : "light",
                                                wide ? 1600 : 800);

        g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark,
                      NULL);
        /* Wider than the screen: the window scrolls, the render shows the whole list. */
        gtk_widget_set_size_request (GTK_WIDGET (blame_list), wide ? 1600 : -1, -1);
        MS_GUI_AWAIT (gtk_widget_get_width (GTK_WIDGET (blame_list)) == (wide ? 1600 : 800),
                      MS_GUI_WAIT_MS, "the list's new width");
        ms_gui_settle (200);
        g_object_unref (ms_gui_render (GTK_WIDGET (blame_list), png));
        for (guint column = 1; column <= 3; column++)
          assert_labels_whole (blame_list, column);
      }
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);

  /* What a person reads: a share in every row ("—" nowhere, nothing over 100 %), the sleeps as
   * "sleep ×N". */
  shares = column_texts (blame_list, 2);
  names = column_texts (blame_list, 0);
  g_assert_cmpuint (shares->len, >=, 8);
  for (guint i = 0; i < shares->len; i++)
    {
      const char *text = g_ptr_array_index (shares, i);

      g_assert_true (g_str_has_suffix (text, " %"));
      g_assert_cmpint (ABS (atoi (g_str_has_prefix (text, "−") ? text + strlen ("−") : text)), <=,
                       100);
    }
  {
    gboolean merged_shown = FALSE;

    for (guint i = 0; i < names->len; i++)
      merged_shown |= g_str_has_prefix (g_ptr_array_index (names, i), "sleep ×");
    g_assert_true (merged_shown);
  }
}

/* Scrolled to the bottom of one result, the next one starts at its top. */
static void
test_new_selection_at_top (void)
{
  GtkAdjustment *vadj = list_vadjustment (blame_list);

  compute_and_wait (blame_list, 0, 120);
  MS_GUI_AWAIT (gtk_adjustment_get_upper (vadj) > gtk_adjustment_get_page_size (vadj) + 50,
                MS_GUI_WAIT_MS, "more rows than fit");
  /* As a person would get there: the list scrolls to its last row (setting the adjustment at once
   * is overruled by the list's anchor). */
  {
    GtkWidget *view = ms_gui_find_widget (GTK_WIDGET (blame_list), GTK_TYPE_COLUMN_VIEW);
    GtkWidget *rows = gtk_widget_get_next_sibling (gtk_widget_get_first_child (view));
    guint n = g_list_model_get_n_items (memscope_blame_list_get_model (blame_list));

    g_assert_true (gtk_widget_activate_action (rows, "list.scroll-to-item", "u", n - 1));
    MS_GUI_AWAIT (gtk_adjustment_get_value (vadj) > 50, MS_GUI_WAIT_MS, "the view at its bottom");
  }
  ms_gui_settle (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 50);

  compute_and_wait (blame_list, 10, 110);
  /* After the new rows are laid out, too. */
  ms_gui_settle (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, 0);
  g_object_unref (ms_gui_render (window, "blame-list-new-selection.png"));
}

static gboolean
pane_ready_cb (gpointer data)
{
  MemscopeTimelinePane *pane = data;

  return memscope_timeline_pane_get_history_loaded (pane)
         && memscope_timeline_get_n_points (memscope_timeline_pane_get_timeline (pane)) >= 4;
}

/* In the application's window at its default size: the blame pane shows more than five rows
 * without growing the window, and leaves the process list five rows, its first in full view
 * below its header; in a small window, five rows of blame and two of the list. */
static void
test_in_window (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "window-state", NULL);
  g_autofree char *proc = ms_test_data_path ("app/proc-v2");
  g_autoptr (MemscopeApplication) app = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GError) error = NULL;
  MemscopeWindow *win;
  MemscopeTimelinePane *pane;
  MemscopeTimeline *timeline;
  MemscopeBlameList *list;
  MemscopeTimelinePoint first, last;
  int height_before;

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", dir);
  settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_settings_set_uint (settings, "refresh-interval-ms", 500);
  app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  win = MEMSCOPE_WINDOW (memscope_application_get_window (app));
  pane = MEMSCOPE_TIMELINE_PANE (ms_gui_find_widget (GTK_WIDGET (win),
                                                     MEMSCOPE_TYPE_TIMELINE_PANE));
  timeline = memscope_timeline_pane_get_timeline (pane);
  list = memscope_timeline_pane_get_blame_list (pane);
  ms_gui_wait_until (pane_ready_cb, pane, 30000, "four ticks in the window's timeline");
  ms_gui_settle (300);
  height_before = gtk_widget_get_height (GTK_WIDGET (win));
  g_test_message ("window %dx%d", gtk_widget_get_width (GTK_WIDGET (win)), height_before);

  g_assert_true (memscope_timeline_get_point (timeline, 0, &first));
  g_assert_true (memscope_timeline_get_point (timeline, memscope_timeline_get_n_points (timeline) - 1,
                                              &last));
  {
    gulong id = g_signal_connect (list, "computed", G_CALLBACK (computed_cb), NULL);

    computed = FALSE;
    memscope_timeline_select (timeline, first.time_s, last.time_s);
    ms_gui_wait_until (ms_gui_flag_is_set, &computed, 20000, "blame in the window");
    g_signal_handler_disconnect (list, id);
  }
  ms_gui_settle (600);
  /* Opening the pane made no room by growing the window: it takes it from the list. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (win)), ==, height_before);
  check_window_layout (win, list, "blame-window.png", 6, 5);
  /* A small window still gives blame five rows, and the list what is left, from its top. */
  gtk_window_set_default_size (GTK_WINDOW (win), 800, 520);
  MS_GUI_AWAIT (gtk_widget_get_height (GTK_WIDGET (win)) < height_before, MS_GUI_WAIT_MS,
                "the window to shrink");
  ms_gui_settle (300);
  check_window_layout (win, list, "blame-window-small.png", 5, 2);

  gtk_window_destroy (GTK_WINDOW (win));
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  GtkWidget *scroller;
  int rc;

  ms_gui_test_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("ms-blame-XXXXXX", &error);
  g_assert_no_error (error);
  trace_path = write_machine_trace ();

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 480);
  blame_list = MEMSCOPE_BLAME_LIST (memscope_blame_list_new ());
  /* In a scrolled window, so that the list can be rendered wider than the screen. */
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (blame_list));
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/blame-list/explains-whole-change", test_explains_whole_change);
  g_test_add_func ("/blame-list/new-selection-at-top", test_new_selection_at_top);
  g_test_add_func ("/blame-list/in-window", test_in_window);
  rc = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (trace_path);
  {
    g_autofree char *state = g_build_filename (tmpdir, "window-state", NULL);
    g_autoptr (GDir) d = g_dir_open (state, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (state, name, NULL);

        g_unlink (p);
      }
    g_rmdir (state);
  }
  g_rmdir (tmpdir);
  g_free (trace_path);
  g_free (tmpdir);
  return rc;
}
