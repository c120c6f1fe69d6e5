/* SPDX-License-Identifier: MIT */
/* The timeline as drawn (axes from 0 in one unit, the machine's total, round time ticks, a fresh
 * start, marks clear of the legend) in light and dark at two widths, and the events list (it
 * scrolls, groups by day, says why a tag cleared, jumps to an event's time and process).  Run in
 * English and German; the PNGs stay in the build directory for a person to look at. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "memscope-chart-math.h"
#include "memscope-history.h"
#include "memscope-process-row.h"
#include "memscope-timeline-pane.h"
#include "memscope-timeline.h"
#include "ms-gui-test.h"
#include "ms-test.h"
#include "store.h"

#define GIB (1024.0 * 1024.0)
#define MIB 1024.0

static const char *lang = "en";

/* --- The timeline ---------------------------------------------------------------------------- */

/* Half an hour at 5 s of a machine of 16 GiB: used_gib in use with an 800 MiB bump from minute
 * 10 to 15, 3 GiB of cache, a little swap and some pressure. */
static void
fill_timeline (MemscopeTimeline *tl,
               double            end_s,
               double            length_s,
               double            used_gib)
{
  memscope_timeline_clear (tl);
  for (double t = end_s - length_s; t <= end_s; t += 5)
    {
      double minute = (t - (end_s - length_s)) / 60;
      MemscopeTimelinePoint p = { 0 };

      p.time_s = t;
      p.total_kib = 16 * GIB;
      p.used_kib = (gint64) (used_gib * GIB + (minute >= 10 && minute < 15 ? 800 * MIB : 0));
      p.cache_kib = (gint64) (3 * GIB);
      p.swap_kib = (gint64) (200 * MIB);
      p.psi_some_avg10 = (float) fmod (minute * 3, 20);
      memscope_timeline_append (tl, &p);
    }
}

/* What every labelling must hold: the size labels start at 0 and read in one unit; the time
 * labels are whole numbers of one unit (no "−7:30", no "−1 h" beside "−45 min") and end at
 * "now". */
static void
check_labels (MemscopeTimeline *tl)
{
  g_auto (GStrv) sizes = memscope_timeline_dup_axis_labels (tl, GTK_ORIENTATION_VERTICAL);
  g_auto (GStrv) times = memscope_timeline_dup_axis_labels (tl, GTK_ORIENTATION_HORIZONTAL);
  guint n_sizes = g_strv_length (sizes), n_times = g_strv_length (times);
  const char *unit = NULL;

  g_assert_cmpuint (n_sizes, >=, 3);
  g_assert_cmpstr (sizes[0], ==, "0");
  for (guint i = 1; i < n_sizes; i++)
    {
      const char *space = strrchr (sizes[i], ' ');

      g_assert_nonnull (space);
      if (unit == NULL)
        unit = space;
      g_assert_cmpstr (space, ==, unit);
    }
  g_assert_cmpuint (n_times, >=, 3);
  g_assert_cmpstr (times[n_times - 1], ==, _("now"));
  unit = NULL;
  for (guint i = 0; i + 1 < n_times; i++)
    {
      const char *space = strrchr (times[i], ' ');

      g_assert_null (strchr (times[i], ':'));
      g_assert_nonnull (space);
      if (unit == NULL)
        unit = space;
      g_assert_cmpstr (space, ==, unit);
    }
}

static char *
joined (MemscopeTimeline *tl,
        GtkOrientation    orientation)
{
  g_auto (GStrv) labels = memscope_timeline_dup_axis_labels (tl, orientation);

  return g_strjoinv (" | ", labels);
}

/* Whether the top `rows` rows of two renders are the same. */
static gboolean
same_rows (GdkTexture *a,
           GdkTexture *b,
           int         rows)
{
  int width = gdk_texture_get_width (a);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pa = g_malloc (stride * gdk_texture_get_height (a));
  g_autofree guchar *pb = g_malloc (stride * gdk_texture_get_height (b));

  g_assert_cmpint (width, ==, gdk_texture_get_width (b));
  gdk_texture_download (a, pa, stride);
  gdk_texture_download (b, pb, stride);
  return memcmp (pa, pb, stride * rows) == 0;
}

static void
test_axes (void)
{
  static const int widths[] = { 800, 1600 };

  for (guint dark = 0; dark < 2; dark++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        GtkWidget *window = gtk_window_new ();
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
        MemscopeTimeline *tl = MEMSCOPE_TIMELINE (memscope_timeline_new ());
        const char *theme = dark ? "dark" : "light";
        g_autofree char *name = NULL;
        g_autofree char *sizes = NULL;
        g_autofree char *times = NULL;
        g_autoptr (GdkTexture) plain = NULL;
        g_autoptr (GdkTexture) marked = NULL;
        g_autoptr (GdkTexture) texture = NULL;
        double now = 1e6;

        g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark,
                      NULL);
        gtk_widget_set_size_request (GTK_WIDGET (tl), widths[w], 200);
        /* The window's background behind it, as in the window. */
        gtk_widget_add_css_class (box, "background");
        gtk_box_append (GTK_BOX (box), GTK_WIDGET (tl));
        gtk_window_set_child (GTK_WINDOW (window), box);
        gtk_window_present (GTK_WINDOW (window));

        /* Half an hour with the hour's span: it fills the graph, and the total (16 GiB) is far
         * above 9 GiB of data, so the scale follows the data. */
        fill_timeline (tl, now, 1800, 5);
        name = g_strdup_printf ("timeline-%s-%s-%d-half-hour.png", lang, theme, widths[w]);
        plain = ms_gui_render (box, name);
        check_labels (tl);
        sizes = joined (tl, GTK_ORIENTATION_VERTICAL);
        times = joined (tl, GTK_ORIENTATION_HORIZONTAL);
        g_test_message ("%s: sizes %s; times %s", name, sizes, times);
        {
          g_auto (GStrv) s = memscope_timeline_dup_axis_labels (tl, GTK_ORIENTATION_VERTICAL);
          g_auto (GStrv) t = memscope_timeline_dup_axis_labels (tl, GTK_ORIENTATION_HORIZONTAL);
          g_autofree char *half_hour = memscope_chart_format_time_in (-1800, 60, TRUE);

          /* 9.8 GiB of data at most: the top is a little above, not 16 GiB. */
          g_assert_cmpstr (strrchr (s[1], ' ') + 1, ==, "GiB");
          g_assert_cmpfloat (g_ascii_strtod (s[g_strv_length (s) - 1], NULL), <, 16);
          g_assert_cmpfloat (g_ascii_strtod (s[g_strv_length (s) - 1], NULL), >=, 9.8);
          g_assert_cmpstr (t[0], ==, half_hour);
        }

        /* An event a few seconds before now, under the legend's place: the legend's strip is
         * the same with it, and the mark is drawn below. */
        memscope_timeline_add_mark (tl, now - 20, "LEAK set: test (1)");
        g_free (name);
        name = g_strdup_printf ("timeline-%s-%s-%d-mark.png", lang, theme, widths[w]);
        marked = ms_gui_render (box, name);
        g_assert_true (same_rows (plain, marked, 16));
        g_assert_false (same_rows (plain, marked, 30));

        /* Most of the machine in use: the total is on the scale, as a line. */
        fill_timeline (tl, now, 1800, 9);
        g_free (name);
        name = g_strdup_printf ("timeline-%s-%s-%d-total.png", lang, theme, widths[w]);
        g_clear_object (&texture);
        texture = ms_gui_render (box, name);
        check_labels (tl);
        {
          g_auto (GStrv) s = memscope_timeline_dup_axis_labels (tl, GTK_ORIENTATION_VERTICAL);

          g_assert_cmpfloat (g_ascii_strtod (s[g_strv_length (s) - 1], NULL), >=, 16);
        }

        /* A fresh start: three minutes with the hour's span show as three minutes. */
        fill_timeline (tl, now, 180, 5);
        g_free (name);
        name = g_strdup_printf ("timeline-%s-%s-%d-fresh.png", lang, theme, widths[w]);
        g_clear_object (&texture);
        texture = ms_gui_render (box, name);
        check_labels (tl);
        {
          g_auto (GStrv) t = memscope_timeline_dup_axis_labels (tl, GTK_ORIENTATION_HORIZONTAL);
          g_autofree char *three = memscope_chart_format_time_in (-180, 60, TRUE);

          g_assert_cmpfloat (memscope_timeline_get_span_s (tl), ==, 3600);
          g_assert_cmpstr (t[0], ==, three);
        }
        g_free (times);
        times = joined (tl, GTK_ORIENTATION_HORIZONTAL);
        g_test_message ("%s: times %s", name, times);

        gtk_window_destroy (GTK_WINDOW (window));
      }
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
}

/* --- The events list ------------------------------------------------------------------------- */

typedef struct
{
  guint calls;
  gint32 pid;
  guint64 starttime;
} Inspected;

static void
inspect_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  Inspected *inspected = data;

  g_variant_get (parameter, "(it)", &inspected->pid, &inspected->starttime);
  inspected->calls++;
}

static gboolean
pane_loaded_cb (gpointer data)
{
  return memscope_timeline_pane_get_history_loaded (data);
}

static void
add_event (ms_store_t  *store,
           double       time_unix,
           ms_tag_t     tag,
           gboolean     set,
           gint32       pid,
           const char  *comm,
           ms_clear_reason_t reason)
{
  ms_event_t ev = { 0 };

  ev.pid = pid;
  ev.starttime = 1000 + (guint64) pid;
  g_strlcpy (ev.comm, comm, sizeof ev.comm);
  ev.tag = tag;
  ev.set = set;
  ev.reason = reason;
  ev.rate_kib_s = ev.duration_s = ev.confidence = ev.exhaust_s = ev.jump_kib = NAN;
  g_assert_cmpint (ms_store_add_event (store, &ev, time_unix), ==, 0);
}

/* The text of a row's label after its time. */
static const char *
row_text (GtkWidget *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (box)));
}

static const char *
row_time (GtkWidget *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box)));
}

static GtkWidget *
find_row (GtkWidget  *list,
          const char *needle)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && strstr (row_text (row), needle) != NULL)
      return row;
  return NULL;
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static void
test_events (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ms-events-XXXXXX", NULL);
  g_autoptr (MemscopeHistory) history = NULL;
  g_autoptr (GListStore) processes = g_list_store_new (MEMSCOPE_TYPE_PROCESS_ROW);
  g_autoptr (GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) inspect = g_simple_action_new ("inspect-process",
                                                           G_VARIANT_TYPE ("(it)"));
  g_autoptr (MemscopeProcessRow) leaker = ms_gui_row_new (77, 1077, "leaker");
  Inspected inspected = { 0 };
  double now = floor ((double) g_get_real_time () / 1e6);
  double leak_at = now - 40 * 60, stop_at = now - 30 * 60;
  char err[512];
  ms_store_t *store;
  MemscopeTimelinePane *pane;
  MemscopeTimeline *tl;
  GtkWidget *window, *list, *menu_button, *popover, *scroller, *row, *stopped, *exited;
  GtkAdjustment *adj;
  g_autoptr (GHashTable) days = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint n_rows = 0, n_headers = 0;
  double cursor;

  g_assert_nonnull (dir);
  store = ms_store_open (dir, NULL, err, sizeof err);
  g_assert_nonnull (store);
  /* 50 minutes of samples, so the timeline holds the last events' times. */
  for (double t = now - 3000; t <= now; t += 10)
    {
      ms_snapshot_t snap = { 0 };

      snap.time_unix = t;
      snap.mem.mem_total_kib = 8 * 1024 * 1024;
      snap.mem.mem_available_kib = 5 * 1024 * 1024;
      g_assert_cmpint (ms_store_add (store, &snap, err, sizeof err), ==, 0);
    }
  /* The oldest is an OOM kill 23 hours ago; then 60 events through the day; then a LEAK set and
   * cleared as it stopped growing, and one cleared as its process exited. */
  {
    ms_snapshot_t snap = { 0 };

    snap.time_unix = now - 23 * 3600;
    snap.new_oom_kills = 3;
    g_assert_cmpint (ms_store_add (store, &snap, err, sizeof err), ==, 0);
  }
  for (int i = 0; i < 60; i++)
    add_event (store, now - 22 * 3600 + i * 1200, MS_TAG_SPIKE, i % 2 == 0, 500 + i / 2,
               "spiky", i % 2 == 0 ? MS_CLEAR_UNKNOWN : MS_CLEAR_STOPPED);
  add_event (store, leak_at, MS_TAG_LEAK, TRUE, 77, "leaker", MS_CLEAR_UNKNOWN);
  add_event (store, stop_at, MS_TAG_LEAK, FALSE, 77, "leaker", MS_CLEAR_STOPPED);
  add_event (store, now - 20 * 60, MS_TAG_LEAK, TRUE, 88, "gone", MS_CLEAR_UNKNOWN);
  add_event (store, now - 10 * 60, MS_TAG_LEAK, FALSE, 88, "gone", MS_CLEAR_EXITED);
  ms_store_close (store);

  history = memscope_history_new (NULL, dir);
  pane = MEMSCOPE_TIMELINE_PANE (memscope_timeline_pane_new (history));
  tl = memscope_timeline_pane_get_timeline (pane);
  g_list_store_append (processes, leaker);
  g_object_set (pane, "process-list", processes, NULL);
  g_signal_connect (inspect, "activate", G_CALLBACK (inspect_cb), &inspected);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (inspect));
  window = gtk_window_new ();
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (actions));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (pane));
  gtk_window_present (GTK_WINDOW (window));
  ms_gui_wait_until (pane_loaded_cb, pane, MS_GUI_WAIT_MS, "the stored history");

  /* Every event is a row, the oldest (the OOM kill) too. */
  list = ms_gui_find_widget (GTK_WIDGET (pane), GTK_TYPE_LIST_BOX);
  g_assert_nonnull (list);
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      {
        const ms_store_event_t *ev = g_object_get_data (G_OBJECT (child), "event");
        g_autoptr (GDateTime) when = g_date_time_new_from_unix_local ((gint64) ev->event.time_s);
        g_autofree char *date = g_date_time_format (when, "%x");
        gint64 *day = g_new (gint64, 1);

        n_rows++;
        /* The time alone: the date is the day's header. */
        g_assert_null (strstr (row_time (child), date));
        *day = g_date_time_get_year (when) * 1000 + g_date_time_get_day_of_year (when);
        g_hash_table_add (days, day);
        if (gtk_list_box_row_get_header (GTK_LIST_BOX_ROW (child)) != NULL)
          n_headers++;
      }
  g_assert_cmpuint (n_rows, ==, 65);
  g_assert_nonnull (find_row (list, "OOM"));
  /* One header per day, the first "Today" (or "Yesterday" just after midnight, when the newest
   * event, ten minutes old, happened on the day before). */
  g_assert_cmpuint (n_headers, ==, g_hash_table_size (days));
  {
    GtkWidget *first = gtk_widget_get_first_child (list);
    GtkWidget *header;
    const ms_store_event_t *newest;
    g_autoptr (GDateTime) today = g_date_time_new_now_local ();
    g_autoptr (GDateTime) when = NULL;
    gboolean same_day;

    while (!GTK_IS_LIST_BOX_ROW (first))
      first = gtk_widget_get_next_sibling (first);
    newest = g_object_get_data (G_OBJECT (first), "event");
    when = g_date_time_new_from_unix_local ((gint64) newest->event.time_s);
    same_day = g_date_time_get_year (when) == g_date_time_get_year (today)
               && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (today);
    header = gtk_list_box_row_get_header (GTK_LIST_BOX_ROW (first));
    g_assert_nonnull (header);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (header)), ==,
                     same_day ? _("Today") : _("Yesterday"));
  }

  /* Why each LEAK cleared: two different texts, each with its reason. */
  stopped = find_row (list, _("stopped growing"));
  exited = find_row (list, _("exited"));
  g_assert_nonnull (stopped);
  g_assert_nonnull (exited);
  g_assert_true (stopped != exited);
  g_assert_cmpstr (row_text (stopped), !=, row_text (exited));
  g_assert_nonnull (strstr (row_text (stopped), "leaker"));
  g_assert_nonnull (strstr (row_text (exited), "gone"));
  g_test_message ("cleared rows: \"%s\" and \"%s\"", row_text (stopped), row_text (exited));

  /* Open: the list scrolls (65 rows do not fit), and the oldest row can be scrolled to. */
  menu_button = gtk_widget_get_ancestor (list, GTK_TYPE_POPOVER);
  g_assert_nonnull (menu_button);
  popover = menu_button;
  scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  gtk_popover_popup (GTK_POPOVER (popover));
  ms_gui_wait_until (popover_shown, popover, MS_GUI_WAIT_MS, "the events popover");
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  MS_GUI_AWAIT (gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 100,
                MS_GUI_WAIT_MS, "the events list to be taller than its view");
  {
    g_autofree char *name = g_strdup_printf ("events-%s-top.png", lang);
    g_autoptr (GdkTexture) texture = ms_gui_render (scroller, name);
  }
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  MS_GUI_AWAIT (gtk_adjustment_get_value (adj) > 0, MS_GUI_WAIT_MS, "the list to scroll");
  {
    g_autofree char *name = g_strdup_printf ("events-%s-bottom.png", lang);
    g_autoptr (GdkTexture) texture = ms_gui_render (scroller, name);
  }

  /* Activating the LEAK set 40 minutes ago with the 5-minute span: the span grows to show it,
   * the cursor is at its time, the leaker is inspected, the popover closes. */
  memscope_timeline_set_span_s (tl, 300);
  g_assert_false (memscope_timeline_get_time_visible (tl, leak_at));
  row = find_row (list, "leaker");
  while (row != NULL
         && ((const ms_store_event_t *) g_object_get_data (G_OBJECT (row), "event"))->event.time_s
            != leak_at)
    row = gtk_widget_get_next_sibling (row);
  g_assert_nonnull (row);
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_cmpuint (inspected.calls, ==, 1);
  g_assert_cmpint (inspected.pid, ==, 77);
  g_assert_cmpuint (inspected.starttime, ==, 1077);
  g_assert_true (memscope_timeline_get_cursor (tl, &cursor));
  g_assert_cmpfloat (cursor, ==, leak_at);
  g_assert_true (memscope_timeline_get_time_visible (tl, leak_at));
  g_assert_cmpfloat (memscope_timeline_get_span_s (tl), ==, 3600);
  MS_GUI_AWAIT (!gtk_widget_get_visible (popover), MS_GUI_WAIT_MS, "the popover to close");
  {
    g_autofree char *name = g_strdup_printf ("events-%s-jumped.png", lang);
    g_autoptr (GdkTexture) texture = ms_gui_render (GTK_WIDGET (pane), name);
  }

  /* The exited process: its time is shown, nothing is inspected, and the pane says why. */
  g_signal_emit_by_name (list, "row-activated", exited);
  g_assert_cmpuint (inspected.calls, ==, 1);
  g_assert_true (memscope_timeline_get_cursor (tl, &cursor));
  g_assert_cmpfloat (cursor, ==, now - 10 * 60);

  /* The OOM kill 23 hours ago is older than the timeline's points: the pane says so. */
  g_signal_emit_by_name (list, "row-activated", find_row (list, "OOM"));
  g_assert_cmpuint (inspected.calls, ==, 1);
  g_assert_true (memscope_timeline_get_cursor (tl, &cursor));
  g_assert_cmpfloat (cursor, ==, now - 10 * 60);

  gtk_window_destroy (GTK_WINDOW (window));
  ms_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (ms_test_use_translations ())
    lang = "de";
  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline-render/axes", test_axes);
  g_test_add_func ("/timeline-render/events", test_events);
  return g_test_run ();
}
