/* SPDX-License-Identifier: MIT */
/* The application's life through g_application_run: whether closing the window quits it, and
 * the history a windowless `--background` keeps for the window opened later. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "ms-gui-test.h"
#include "memscope-sampler-thread-private.h"
#include "memscope-seams-private.h"
#include "memscope-snapshot.h"
#include "memscope-timeline-pane.h"
#include "ms-test.h"
#include "store.h"

#define WATCHDOG_MS 60000
#define SNAPSHOTS_AFTER_CLOSE 3
#define HISTORY_WAIT_MS 10000 /* samples on disk after start, an event in the log after its tag */
#define ZOMBIE_PID 600        /* tests/data/app/proc-v2: "defunct-child", state Z */

/* A fresh $XDG_STATE_HOME of this program's own, set before anything reads it. */
static char *state_home;

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

/* --- `memscope --remote` watches only that machine ----------------------------------------------- */

/* A stand-in for ssh that connects nowhere and never answers: the remote window waits. */
static const char silent_ssh[] = "#!/bin/sh\nexec cat >/dev/null\n";

typedef struct
{
  MemscopeApplication *app;
  guint local_snapshots;
} RemoteRun;

static void
count_snapshot_cb (MemscopeSamplerThread *sampler,
                   MemscopeSnapshot      *snapshot,
                   RemoteRun             *run)
{
  run->local_snapshots++;
}

static gboolean
local_sampled (gpointer data)
{
  RemoteRun *run = data;

  return run->local_snapshots > 0;
}

static gboolean
remote_watchdog_cb (gpointer data)
{
  g_error ("the --remote run did not end");
  return G_SOURCE_REMOVE;
}

static gboolean
remote_script_cb (gpointer data)
{
  RemoteRun *run = data;
  MemscopeSamplerThread *local = memscope_application_get_sampler (run->app);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (run->app));

  g_signal_connect (local, "snapshot", G_CALLBACK (count_snapshot_cb), run);
  /* That machine's window only; nothing samples this one. */
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_cmpstr (memscope_window_get_remote (windows->data), ==, "stand-in-box");
  g_assert_null (memscope_application_get_window (run->app));
  g_assert_false (memscope_sampler_thread_get_started (local));

  /* A launch without --remote (the launcher, the Connect dialog's "This computer"): the local
   * window, and this machine sampled from then on. */
  g_application_activate (G_APPLICATION (run->app));
  g_assert_nonnull (memscope_application_get_window (run->app));
  g_assert_true (memscope_sampler_thread_get_started (local));
  ms_gui_wait_until (local_sampled, run, 20000, "a snapshot of this machine");
  g_signal_handlers_disconnect_by_func (local, count_snapshot_cb, run);
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_remote_only (void)
{
  g_autofree char *bin = g_build_filename (state_home, "bin", NULL);
  g_autofree char *ssh = g_build_filename (bin, "ssh", NULL);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *path = g_strconcat (bin, ":", old_path, NULL);
  char *argv[] = { (char *) "memscope", (char *) "--remote", (char *) "stand-in-box", NULL };
  RemoteRun run = { 0 };
  guint watchdog;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_assert_true (g_file_set_contents (ssh, silent_ssh, -1, NULL));
  g_assert_cmpint (g_chmod (ssh, 0700), ==, 0);
  g_setenv ("PATH", path, TRUE);

  run.app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_idle_add (remote_script_cb, &run);
  watchdog = g_timeout_add (WATCHDOG_MS, remote_watchdog_cb, NULL);
  status = g_application_run (G_APPLICATION (run.app), 3, argv);
  g_source_remove (watchdog);
  g_setenv ("PATH", old_path, TRUE);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (run.local_snapshots, >, 0);
  g_object_unref (run.app);
  ms_gui_drain ();
}

/* --- `memscope --background` keeps the history -------------------------------------------------- */

typedef struct
{
  MemscopeApplication *app;
  char *dir;             /* $XDG_STATE_HOME/memscope */
  gint64 start_us;
  gint64 zombie_tag_us;  /* when a tick first carried the fixture's ZOMBIE tag, 0 before */
  double before_window;  /* wall-clock time just before the window was asked for */
  gboolean checked;
} HistoryRun;

static int
count_sample_cb (ms_snapshot_t *snap,
                 void          *user)
{
  (*(guint *) user)++;
  return 0;
}

static gboolean
samples_on_disk (gpointer data)
{
  HistoryRun *run = data;
  guint n = 0;
  char err[512];

  ms_store_read (run->dir, 0, INFINITY, count_sample_cb, &n, NULL, err, sizeof err);
  return n > 0;
}

static gboolean
is_zombie_event (const ms_store_event_t *ev)
{
  return ev->event.pid == ZOMBIE_PID && ev->event.tag == MS_TAG_ZOMBIE && ev->event.set;
}

static int
find_zombie_cb (const ms_store_event_t *ev,
                void                   *user)
{
  if (!is_zombie_event (ev))
    return 0;
  *(gboolean *) user = TRUE;
  return 1;
}

static gboolean
zombie_on_disk (gpointer data)
{
  HistoryRun *run = data;
  gboolean found = FALSE;

  ms_store_read_events (run->dir, 0, find_zombie_cb, &found, NULL);
  return found;
}

static gboolean
zombie_tagged (gpointer data)
{
  return ((HistoryRun *) data)->zombie_tag_us != 0;
}

static void
zombie_snapshot_cb (MemscopeSamplerThread *sampler,
                    MemscopeSnapshot      *snapshot,
                    HistoryRun            *run)
{
  for (gsize i = 0; i < snapshot->base.n_procs && run->zombie_tag_us == 0; i++)
    if (snapshot->base.procs[i].pid == ZOMBIE_PID
        && (snapshot->base.procs[i].tags & MS_TAG_ZOMBIE))
      run->zombie_tag_us = g_get_monotonic_time ();
}

static gboolean
pane_loaded (gpointer data)
{
  return memscope_timeline_pane_get_history_loaded (data);
}

/* Milliseconds left of HISTORY_WAIT_MS counted from since_us (monotonic), 0 when none. */
static guint
ms_left (gint64 since_us)
{
  gint64 left = HISTORY_WAIT_MS - (g_get_monotonic_time () - since_us) / 1000;

  return left > 0 ? (guint) left : 0;
}

static gboolean
history_script_cb (gpointer data)
{
  HistoryRun *run = data;
  MemscopeTimelinePane *pane;
  MemscopeTimelinePoint first;
  GArray *events;
  gboolean zombie_before = FALSE;

  /* No window: --background maps none, and the recording goes on without it. */
  g_assert_null (memscope_application_get_window (run->app));
  g_signal_connect (memscope_application_get_sampler (run->app), "snapshot",
                    G_CALLBACK (zombie_snapshot_cb), run);
  if (!ms_gui_poll_until (samples_on_disk, run, ms_left (run->start_us)))
    g_error ("no sample in %s within %d ms of the start", run->dir, HISTORY_WAIT_MS);
  ms_gui_wait_until (zombie_tagged, run, MS_GUI_WAIT_MS, "the fixture's zombie to be tagged");
  if (!ms_gui_poll_until (zombie_on_disk, run, ms_left (run->zombie_tag_us)))
    g_error ("the ZOMBIE event is not in the log within %d ms of its tag", HISTORY_WAIT_MS);
  g_assert_null (memscope_application_get_window (run->app));

  /* A launch (or the tray's Show) opens the window: it shows what came before it. */
  run->before_window = (double) g_get_real_time () / 1e6;
  g_application_activate (G_APPLICATION (run->app));
  pane = MEMSCOPE_TIMELINE_PANE (
    ms_gui_find_widget (GTK_WIDGET (memscope_application_get_window (run->app)),
                        MEMSCOPE_TYPE_TIMELINE_PANE));
  g_assert_nonnull (pane);
  ms_gui_wait_until (pane_loaded, pane, MS_GUI_WAIT_MS, "the window's timeline to fill");
  g_assert_true (memscope_timeline_get_point (memscope_timeline_pane_get_timeline (pane), 0,
                                              &first));
  g_assert_cmpfloat (first.time_s, <, run->before_window);
  g_assert_cmpuint (memscope_timeline_get_n_marks (memscope_timeline_pane_get_timeline (pane)),
                    >=, 1);
  events = memscope_timeline_pane_get_events (pane);
  for (guint i = 0; i < events->len; i++)
    {
      const ms_store_event_t *ev = &g_array_index (events, ms_store_event_t, i);

      zombie_before |= is_zombie_event (ev) && ev->event.time_s < run->before_window;
    }
  g_assert_true (zombie_before);
  run->checked = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
history_watchdog_cb (gpointer data)
{
  g_error ("the --background history check neither finished nor failed");
  return G_SOURCE_REMOVE;
}

/* `memscope --background` with a fresh state directory (no MEMSCOPE_STATE_DIR: the user's
 * $XDG_STATE_HOME) on a fixture proc tree with an unreaped child. */
static void
test_background_keeps_history (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_autofree char *proc = ms_test_data_path ("app/proc-v2");
  g_autofree char *saved_state = g_strdup (g_getenv ("MEMSCOPE_STATE_DIR"));
  char *argv[] = { (char *) "memscope", (char *) "--background", NULL };
  HistoryRun run = { 0 };
  guint watchdog;
  int status;

  /* Read once per process by GLib: nothing may have asked before main() set it. */
  g_assert_cmpstr (g_get_user_state_dir (), ==, state_home);
  run.dir = g_build_filename (state_home, "memscope", NULL);
  g_assert_false (g_file_test (run.dir, G_FILE_TEST_EXISTS));
  memscope_seams_set ("MEMSCOPE_STATE_DIR", NULL);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", proc);
  g_settings_set_uint (settings, "refresh-interval-ms", 250);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_settings_set_boolean (settings, "background-hint-shown", TRUE);

  run.app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_idle_add (history_script_cb, &run);
  watchdog = g_timeout_add (WATCHDOG_MS, history_watchdog_cb, &run);
  run.start_us = g_get_monotonic_time ();
  status = g_application_run (G_APPLICATION (run.app), 2, argv);
  g_source_remove (watchdog);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.checked);
  g_object_unref (run.app);
  ms_gui_drain ();

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", NULL);
  if (saved_state != NULL)
    memscope_seams_set ("MEMSCOPE_STATE_DIR", saved_state);
  g_free (run.dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  state_home = g_dir_make_tmp ("memscope-state-XXXXXX", NULL);
  g_assert (state_home != NULL);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  ms_test_ignore_sigpipe ();
  ms_gui_test_init (&argc, &argv);

  g_test_add_func ("/application/background-outlives-window", test_background_outlives_window);
  g_test_add_func ("/application/setting-outlives-window", test_setting_outlives_window);
  g_test_add_func ("/application/close-quits", test_close_quits);
  g_test_add_func ("/application/background-keeps-history", test_background_keeps_history);
  g_test_add_func ("/application/remote-only", test_remote_only);

  status = g_test_run ();
  ms_test_remove_tree (state_home);
  g_free (state_home);
  return status;
}
