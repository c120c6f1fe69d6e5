/* SPDX-License-Identifier: MIT */
/* The inspect panel in the real window on the real /proc, under Xvfb: Enter on a running
 * leak-sim opens it, its anonymous memory is seen growing, the worker's history reaches the
 * graph, the width is remembered, an exited process keeps its last data, Esc closes. */

#include "config.h"

#include <gtk/gtk.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-application.h"
#include "memscope-inspect-panel.h"
#include "memscope-resize-handle.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "parse.h"
#include "trace.h"

static MemscopeApplication *app;
static MemscopeWindow *window;
static guint n_applied;

static gboolean
applied_at_least (gpointer data)
{
  return n_applied >= GPOINTER_TO_UINT (data);
}

static void
wait_ticks (guint n)
{
  ms_gui_wait_until (applied_at_least, GUINT_TO_POINTER (n_applied + n), 20000, "snapshots");
}

static void
applied_cb (void)
{
  n_applied++;
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

static gboolean
grown (gpointer data)
{
  return ms_gui_anonymous_growth_kib (data) >= 8 * 1024;
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

static gboolean
is_zombie (gpointer data)
{
  return memscope_process_row_get_proc (data)->state == 'Z';
}

/* Whether a mapped label at or below widget shows text containing needle. */
static gboolean
label_contains (GtkWidget  *widget,
                const char *needle)
{
  const char *shown = ms_gui_shown_text (widget);

  if (shown != NULL && GTK_IS_LABEL (widget) && ms_gui_contains (shown, needle))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, needle))
      return TRUE;
  return FALSE;
}

static void
test_panel_on_leak_sim (void)
{
  g_autofree char *csv = NULL;
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  MemscopeInspectPanel *panel =
    MEMSCOPE_INSPECT_PANEL (ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_INSPECT_PANEL));
  MemscopeInspectDetails *details;
  MemscopeProcessRow *row;
  Identity id;
  int status;
  GPid pid;
  gint64 start_us;
  Count count = { 0 };
  ms_trace_reader_t *reader;

  g_assert_nonnull (panel);
  details = memscope_inspect_panel_get_details (panel);
  pid = ms_gui_spawn_leak_sim ("ms-panel-sim");

  /* Select it in the list and press Enter: the panel opens on it. */
  id.pid = pid;
  id.starttime = ms_test_starttime_of (pid);
  ms_gui_wait_until (listed, &id, 20000, "leak-sim in the list");
  row = memscope_process_model_lookup (memscope_window_get_model (window), id.pid, id.starttime);
  g_assert_true (memscope_window_select_row (window, row));
  gtk_widget_grab_focus (GTK_WIDGET (memscope_window_get_column_view (window)));
  start_us = g_get_monotonic_time ();
  ms_gui_type_keys (GTK_WIDGET (window), "Return");
  MS_GUI_AWAIT (memscope_window_get_inspected_row (window) == row, MS_GUI_WAIT_MS,
                "Enter to inspect the selected row");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));

  /* What grows inside: the anonymous groups, within 10 s of opening. */
  ms_gui_wait_until (grown, memscope_inspect_details_get_smaps_view (details), 10000,
              "the anonymous groups to grow");
  g_test_message ("anonymous growth %" G_GINT64_FORMAT " KiB after %.1f s",
                  ms_gui_anonymous_growth_kib (memscope_inspect_details_get_smaps_view (details)),
                  (g_get_monotonic_time () - start_us) / 1e6);

  /* The worker's history reached the graph, and PSS is read every tick for it. */
  wait_ticks (3);
  g_test_message ("%s", memscope_trend_graph_get_summary (
                          memscope_inspect_details_get_trend_graph (details)));
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (
                             memscope_inspect_details_get_trend_graph (details)),
                           "Footprint: now"));
  g_assert_cmpint (memscope_process_row_get_proc (row)->pss_kib, >, 0);
  g_assert_cmpfloat (memscope_process_row_get_proc (row)->pss_age_s, <, 2.5);
  g_assert_cmpuint (ms_gui_render_distinct_pixels (gtk_window_get_child (GTK_WINDOW (window)),
                                                   "render-inspect-panel.png"), >, 20000);

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
    GtkWidget *handle = ms_gui_find_widget (GTK_WIDGET (panel), MEMSCOPE_TYPE_RESIZE_HANDLE);

    g_assert_nonnull (handle);
    g_assert_true (gtk_widget_grab_focus (handle));
    ms_gui_type_keys (GTK_WIDGET (window), "Left");
    MS_GUI_AWAIT (g_settings_get_int (settings, "inspect-panel-width")
                  == 520 + MEMSCOPE_RESIZE_HANDLE_KEY_STEP, MS_GUI_WAIT_MS, "Left to widen");
    ms_gui_type_keys (GTK_WIDGET (window), "Right");
    MS_GUI_AWAIT (g_settings_get_int (settings, "inspect-panel-width") == 520, MS_GUI_WAIT_MS,
                  "Right to narrow");
    ms_gui_type_keys (GTK_WIDGET (window), "Right");
    MS_GUI_AWAIT (g_settings_get_int (settings, "inspect-panel-width")
                  == 520 - MEMSCOPE_RESIZE_HANDLE_KEY_STEP, MS_GUI_WAIT_MS, "Right again");
    gtk_widget_grab_focus (GTK_WIDGET (memscope_window_get_column_view (window)));
  }

  /* The process exits, and stays a zombie for a few ticks before it is reaped, as after End:
   * its smaps is empty then and its memory reads as nothing.  Then the panel says it exited and
   * keeps its last data.  SIGKILL, not SIGTERM: on SIGTERM leak-sim unmaps its region before it
   * exits (under the sanitizer, a leak check runs long after), and the panel rightly shows that
   * shrink as the last reading.  Killed, it is the kernel that tears the memory down, and a
   * reading taken during that is not kept. */
  kill (pid, SIGKILL);
  ms_gui_wait_until (is_zombie, row, 20000, "the zombie in the list");
  wait_ticks (3);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  ms_gui_wait_until (exited, details, 20000, "the panel to see the exit");
  g_assert_true (memscope_window_get_inspected_row (window) == row);
  g_assert_true (ms_gui_contains (memscope_trend_graph_get_summary (
                             memscope_inspect_details_get_trend_graph (details)),
                           "Footprint: now"));
  g_assert_cmpuint (memscope_smaps_view_get_n_rows (memscope_inspect_details_get_smaps_view (details)),
                    >, 0);
  /* Its tags and what grew inside are the past, kept: never "nothing unusual", never every
   * mapping down to zero. */
  wait_ticks (2);
  g_assert_false (label_contains (GTK_WIDGET (panel), "nothing unusual"));
  g_assert_true (label_contains (GTK_WIDGET (panel), "Before it exited")
                 || label_contains (GTK_WIDGET (panel), "had no tags while memscope watched"));
  g_assert_cmpint (ms_gui_anonymous_growth_kib (memscope_inspect_details_get_smaps_view (details)),
                   >, 0);

  /* Esc closes it.  Only Esc is typed, so nothing else can close it; a press that the X server
   * did not deliver to the window within 10 s is typed again, at most twice, and said. */
  for (guint presses = 1; presses <= 3; presses++)
    {
      gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      ms_gui_type_keys (GTK_WIDGET (window), "Escape");
      while (memscope_window_get_inspected_row (window) != NULL && g_get_monotonic_time () < end)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
      if (memscope_window_get_inspected_row (window) == NULL)
        break;
      g_test_message ("Esc press %u did not close the panel within 10 s", presses);
    }
  g_assert_null (memscope_window_get_inspected_row (window));
}

int
main (int   argc,
      char *argv[])
{
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
  g_unsetenv ("MEMSCOPE_PROC_ROOT");
  ms_test_ignore_sigpipe ();
  ms_gui_test_init (&argc, &argv);

  app = ms_gui_start_app (500, &window);
  g_signal_connect (memscope_window_get_model (window), "applied", G_CALLBACK (applied_cb), NULL);
  g_assert_true ((memscope_sampler_thread_get_host_source (memscope_application_get_sampler (app))
                  != NULL) == through_host);
  wait_ticks (2);

  g_test_add_func ("/inspect-panel/leak-sim", test_panel_on_leak_sim);
  rc = g_test_run ();

  ms_gui_stop_app (app, window);
  return rc;
}
