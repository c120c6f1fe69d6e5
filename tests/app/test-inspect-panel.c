/* SPDX-License-Identifier: MIT */
/* The inspect panel in the real window on the real /proc, under Xvfb: Enter on a running
 * leak-sim opens it, its anonymous memory is seen growing, the worker's history reaches the
 * graph, the width is remembered, an exited process keeps its last data, Esc closes. */

#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-application.h"
#include "memscope-inspect-panel.h"
#include "memscope-resize-handle.h"
#include "memscope-window.h"
#include "ms-test.h"
#include "parse.h"
#include "trace.h"

static MemscopeApplication *app;
static MemscopeWindow *window;
static guint n_applied;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean  (*done) (gpointer data),
            gpointer    data,
            guint       timeout_ms,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

static gboolean
applied_at_least (gpointer data)
{
  return n_applied >= GPOINTER_TO_UINT (data);
}

static void
wait_ticks (guint n)
{
  wait_until (applied_at_least, GUINT_TO_POINTER (n_applied + n), 20000, "snapshots");
}

static void
applied_cb (void)
{
  n_applied++;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  *(gboolean *) data = TRUE;
  g_spawn_close_pid (pid);
}

/* Keys through the X server, as a person types them. */
static void
xdotool_keys (const char *keys)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strdup_printf ("xdotool search --sync --onlyvisible "
                                              "--name ^memscope$ windowfocus --sync "
                                              "key --delay 30 %s", keys);
  g_auto(GStrv) argv = NULL;
  gboolean done = FALSE;
  GPid pid;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                      NULL, &pid, &error))
    g_error ("xdotool: %s", error->message);
  g_child_watch_add (pid, child_exited_cb, &done);
  wait_until (flag_set, &done, 20000, "xdotool");
  g_usleep (100 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Whether text holds needle, reading the no-break spaces GLib puts in sizes as spaces. */
static gboolean
contains (const char *text,
          const char *needle)
{
  g_autoptr(GString) plain = NULL;

  if (text == NULL)
    return FALSE;
  plain = g_string_new (text);
  g_string_replace (plain, "\u00a0", " ", 0);
  return strstr (plain->str, needle) != NULL;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static MemscopeInspectPanel *
find_panel (GtkWidget *widget)
{
  if (MEMSCOPE_IS_INSPECT_PANEL (widget))
    return MEMSCOPE_INSPECT_PANEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      MemscopeInspectPanel *found = find_panel (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
invalidated_cb (GdkPaintable *paintable,
                gboolean     *drawn)
{
  *drawn = TRUE;
}

/* The window as drawn (GSK_RENDERER=cairo), saved beside the build for a person to look at;
 * returns how many pixels differ from the top-left one. */
static guint64
render_window (const char *name)
{
  GtkWidget *widget = gtk_window_get_child (GTK_WINDOW (window));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_autofree guchar *pixels = NULL;
  g_autofree char *png = NULL;
  gsize stride = (gsize) width * 4;
  guint64 distinct = 0;
  guint32 first;
  gboolean drawn = FALSE;

  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (invalidated_cb), &drawn);
  gtk_widget_queue_draw (widget);
  wait_until (flag_set, &drawn, 10000, "a frame");
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  memcpy (&first, pixels, 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 px;

      memcpy (&px, pixels + i * 4, 4);
      if (px != first)
        distinct++;
    }
  png = g_strdup_printf ("%s/render-%s.png",
                         g_getenv ("MS_BUILDDIR") ? g_getenv ("MS_BUILDDIR") : ".", name);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("%s: %dx%d, %" G_GUINT64_FORMAT " pixels differ; saved %s", name, width,
                  height, distinct, png);
  return distinct;
}

static guint64
starttime_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  gsize len;
  ms_stat_t st;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpint (ms_parse_stat (text, len, &st), ==, 0);
  return st.starttime;
}

typedef struct
{
  pid_t pid;
  guint64 starttime;
} Identity;

static gboolean
listed (gpointer data)
{
  Identity *id = data;

  return memscope_process_model_lookup (memscope_window_get_model (window), id->pid,
                                        id->starttime) != NULL;
}

static gint64
anonymous_growth (MemscopeSmapsView *view)
{
  return memscope_smaps_view_get_growth_kib (view, MS_SMAPS_HEAP)
         + memscope_smaps_view_get_growth_kib (view, MS_SMAPS_ANON)
         + memscope_smaps_view_get_growth_kib (view, MS_SMAPS_ANON_NAMED);
}

static gboolean
grown (gpointer data)
{
  return anonymous_growth (data) >= 8 * 1024;
}

static gboolean
exited (gpointer data)
{
  return memscope_inspect_details_get_exited (data);
}

typedef struct
{
  guint samples;
} Count;

static int
count_cb (ms_snapshot_t *snap,
          void          *user)
{
  ((Count *) user)->samples++;
  return 0;
}

static void
test_panel_on_leak_sim (void)
{
  const char *leak_sim = g_getenv ("MS_LEAK_SIM");
  const char *argv[] = { leak_sim, "--name", "ms-panel-sim", "--start", "16", "--rate", "8",
                         "--duration", "60", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  MemscopeInspectPanel *panel = find_panel (GTK_WIDGET (window));
  MemscopeInspectDetails *details;
  MemscopeProcessRow *row;
  Identity id;
  int out_fd, status;
  GPid pid;
  gint64 start_us;
  Count count = { 0 };
  ms_trace_reader_t *reader;

  g_assert_nonnull (leak_sim);
  g_assert_nonnull (panel);
  details = memscope_inspect_panel_get_details (panel);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
  g_assert_true (g_str_has_prefix (line, "ready "));

  /* Select it in the list and press Enter: the panel opens on it. */
  id.pid = pid;
  id.starttime = starttime_of (pid);
  wait_until (listed, &id, 20000, "leak-sim in the list");
  row = memscope_process_model_lookup (memscope_window_get_model (window), id.pid, id.starttime);
  g_assert_true (memscope_window_select_row (window, row));
  gtk_widget_grab_focus (GTK_WIDGET (memscope_window_get_column_view (window)));
  start_us = g_get_monotonic_time ();
  xdotool_keys ("Return");
  g_assert_true (memscope_window_get_inspected_row (window) == row);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));

  /* What grows inside: the anonymous groups, within 10 s of opening. */
  wait_until (grown, memscope_inspect_details_get_smaps_view (details), 10000,
              "the anonymous groups to grow");
  g_test_message ("anonymous growth %" G_GINT64_FORMAT " KiB after %.1f s",
                  anonymous_growth (memscope_inspect_details_get_smaps_view (details)),
                  (g_get_monotonic_time () - start_us) / 1e6);

  /* The worker's history reached the graph, and PSS is read every tick for it. */
  wait_ticks (3);
  g_test_message ("%s", memscope_trend_graph_get_summary (
                          memscope_inspect_details_get_trend_graph (details)));
  g_assert_true (contains (memscope_trend_graph_get_summary (
                             memscope_inspect_details_get_trend_graph (details)),
                           "Footprint: now"));
  g_assert_cmpint (memscope_process_row_get_proc (row)->pss_kib, >, 0);
  g_assert_cmpfloat (memscope_process_row_get_proc (row)->pss_age_s, <, 2.5);
  g_assert_cmpuint (render_window ("inspect-panel"), >, 20000);

  /* Export: the history as a trace CSV the project's reader accepts. */
  csv = memscope_inspect_details_dup_csv (details);
  g_assert_nonnull (csv);
  reader = ms_trace_reader_new_mem (csv, strlen (csv), "export.csv");
  g_assert_cmpint (ms_trace_reader_run (reader, count_cb, &count), ==, 0);
  ms_trace_reader_free (reader);
  g_assert_cmpuint (count.samples, >=, 3);

  /* Width: remembered in GSettings. */
  memscope_inspect_panel_set_width (panel, 520);
  g_assert_cmpint (g_settings_get_int (settings, "inspect-panel-width"), ==, 520);
  /* From the keyboard: the focused edge moves with the arrow keys. */
  {
    GtkWidget *handle = find_type (GTK_WIDGET (panel), MEMSCOPE_TYPE_RESIZE_HANDLE);

    g_assert_nonnull (handle);
    g_assert_true (gtk_widget_grab_focus (handle));
    xdotool_keys ("Left");
    g_assert_cmpint (g_settings_get_int (settings, "inspect-panel-width"), ==,
                     520 + MEMSCOPE_RESIZE_HANDLE_KEY_STEP);
    xdotool_keys ("Right Right");
    g_assert_cmpint (g_settings_get_int (settings, "inspect-panel-width"), ==,
                     520 - MEMSCOPE_RESIZE_HANDLE_KEY_STEP);
    gtk_widget_grab_focus (GTK_WIDGET (memscope_window_get_column_view (window)));
  }

  /* The process exits: the panel says so and keeps its last data. */
  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  wait_until (exited, details, 20000, "the panel to see the exit");
  g_assert_true (memscope_window_get_inspected_row (window) == row);
  g_assert_true (contains (memscope_trend_graph_get_summary (
                             memscope_inspect_details_get_trend_graph (details)),
                           "Footprint: now"));
  g_assert_cmpuint (memscope_smaps_view_get_n_rows (memscope_inspect_details_get_smaps_view (details)),
                    >, 0);

  /* Esc closes it. */
  xdotool_keys ("Escape");
  g_assert_null (memscope_window_get_inspected_row (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  /* --host: sampling, smaps and signals through memscope-probe's stream, as in a Flatpak. */
  gboolean through_host = argc > 1 && g_str_equal (argv[argc - 1], "--host");

  if (through_host)
    {
      argv[--argc] = NULL;
      g_setenv ("MEMSCOPE_HOST_PROBE", g_getenv ("MS_PROBE"), TRUE);
    }
  else
    g_unsetenv ("MEMSCOPE_HOST_PROBE");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_unsetenv ("MEMSCOPE_PROC_ROOT");
  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_NUMERIC, "C");

  settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_settings_set_uint (settings, "refresh-interval-ms", 500);

  app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);
  g_application_activate (G_APPLICATION (app));
  window = MEMSCOPE_WINDOW (memscope_application_get_window (app));
  g_assert_nonnull (window);
  g_signal_connect (memscope_window_get_model (window), "applied", G_CALLBACK (applied_cb), NULL);
  g_assert_true ((memscope_sampler_thread_get_host_source (memscope_application_get_sampler (app))
                  != NULL) == through_host);
  wait_ticks (2);

  g_test_add_func ("/inspect-panel/leak-sim", test_panel_on_leak_sim);
  rc = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_application_quit (G_APPLICATION (app));
  g_object_unref (app);
  return rc;
}
