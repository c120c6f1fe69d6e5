/* SPDX-License-Identifier: MIT */
/* The application's life through g_application_run: whether closing the window quits it. */

#include "config.h"

#include "ms-gui-test.h"
#include "memscope-sampler-thread.h"
#include "memscope-snapshot.h"

#define WATCHDOG_MS 60000
#define SNAPSHOTS_AFTER_CLOSE 3

typedef struct
{
  MemscopeApplication *app;
  gboolean keeps_running; /* what closing the window should do */
  gboolean closed;
  guint snapshots_after_close;
  gboolean quit_by_action;
  gboolean window_gone;
} Run;

static gboolean
watchdog_cb (gpointer data)
{
  Run *run = data;

  g_error ("the application neither quit nor went on sampling (closed: %d, snapshots since: %u)",
           run->closed, run->snapshots_after_close);
  return G_SOURCE_REMOVE;
}

static gboolean
window_mapped (gpointer data)
{
  Run *run = data;
  GtkWindow *window = memscope_application_get_window (run->app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
quit_cb (gpointer data)
{
  Run *run = data;

  /* What the menu's Quit, the tray's Quit and Ctrl+Q all activate. */
  run->quit_by_action = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
snapshot_cb (MemscopeSamplerThread *sampler,
             MemscopeSnapshot      *snapshot,
             Run                   *run)
{
  if (!run->closed || run->quit_by_action)
    return;
  /* Sampling, and so alerting, goes on without a window. */
  if (++run->snapshots_after_close == SNAPSHOTS_AFTER_CLOSE)
    g_idle_add (quit_cb, run);
}

static void
window_destroyed_cb (GtkWidget *window,
                     Run       *run)
{
  run->window_gone = TRUE;
}

static gboolean
script_cb (gpointer data)
{
  Run *run = data;
  GtkWindow *window = memscope_application_get_window (run->app);

  if (window == NULL)
    /* --background mapped nothing; asking again (a launch, the tray's Show) makes the window. */
    g_application_activate (G_APPLICATION (run->app));
  ms_gui_wait_until (window_mapped, run, 20000, "the window to map");
  window = memscope_application_get_window (run->app);
  g_signal_connect (window, "destroy", G_CALLBACK (window_destroyed_cb), run);
  g_signal_connect (memscope_application_get_sampler (run->app), "snapshot",
                    G_CALLBACK (snapshot_cb), run);

  /* The window's ×: a close request, as the window manager sends it. */
  run->closed = TRUE;
  gtk_window_close (window);
  if (run->keeps_running)
    {
      g_assert_false (run->window_gone);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
    }
  return G_SOURCE_REMOVE;
}

static void
run_app (const char *option,
         gboolean    run_in_background,
         gboolean    keeps_running)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  char *argv[] = { (char *) "memscope", (char *) option, NULL };
  Run run = { 0 };
  guint watchdog;
  int status;

  g_settings_set_uint (settings, "refresh-interval-ms", 250);
  g_settings_set_boolean (settings, "run-in-background", run_in_background);
  /* The first trip to the background sends a notice; this test is not about it. */
  g_settings_set_boolean (settings, "background-hint-shown", TRUE);

  run.app = memscope_application_new ();
  run.keeps_running = keeps_running;
  /* Each test run has its own bus; still, never meet another instance. */
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_idle_add (script_cb, &run);
  watchdog = g_timeout_add (WATCHDOG_MS, watchdog_cb, &run);
  status = g_application_run (G_APPLICATION (run.app), option != NULL ? 2 : 1, argv);
  g_source_remove (watchdog);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.closed);
  g_assert_true (run.window_gone);
  if (keeps_running)
    {
      /* It went on sampling after the close and ended only through Quit. */
      g_assert_cmpuint (run.snapshots_after_close, >=, SNAPSHOTS_AFTER_CLOSE);
      g_assert_true (run.quit_by_action);
    }
  else
    g_assert_false (run.quit_by_action);
  g_object_unref (run.app);
  ms_gui_drain ();
}

static void
test_background_outlives_window (void)
{
  run_app ("--background", FALSE, TRUE);
}

static void
test_setting_outlives_window (void)
{
  run_app (NULL, TRUE, TRUE);
}

static void
test_close_quits (void)
{
  run_app (NULL, FALSE, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  ms_gui_test_init (&argc, &argv);

  g_test_add_func ("/application/background-outlives-window", test_background_outlives_window);
  g_test_add_func ("/application/setting-outlives-window", test_setting_outlives_window);
  g_test_add_func ("/application/close-quits", test_close_quits);

  return g_test_run ();
}
