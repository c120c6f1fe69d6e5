/* SPDX-License-Identifier: MIT */
/* The remote window through a real ssh and sshd (tests/live/remote.py starts the server and
 * points MEMSCOPE_SSH_CONFIG at its client configuration; the "remote" is this machine, in the
 * scenario's own PID namespace): the window lists the processes the local window lists, ends a
 * process through a confirmation that names the machine, reconnects keeping its history when
 * sshd ends the connection, and says why for a wrong or unknown host key, a refused key and a
 * closed port; a machine without a probe gets a copy when asked and then shows its processes; a
 * leak-sim inspected there is tagged LEAK. */

#include "config.h"

#include <dirent.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-host-banner.h"
#include "memscope-inspect-panel.h"
#include "memscope-process-actions-private.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-sshd.h"
#include "ms-test.h"

#define WAIT_MS 20000
/* The detector's bound for a leak of 1 MiB/s or more after a steady stretch is a minute from the
 * growth's start (tests/README.md); the samples cross ssh first. */
#define LEAK_BOUND_S 60
#define LEAK_SLACK_S 10

static MemscopeApplication *app;
static MemscopeWindow *local_window;
static MemscopeWindow *remote_window;

static MemscopeWindow *
open_remote (const char *destination)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window = memscope_application_open_remote (app, destination, &error);

  g_assert_no_error (error);
  return MEMSCOPE_WINDOW (window);
}

static MemscopeHostBanner *
banner_of (MemscopeWindow *window)
{
  return MEMSCOPE_HOST_BANNER (ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_HOST_BANNER));
}

static MemscopeHostSource *
source_of (MemscopeWindow *window)
{
  g_autoptr(MemscopeSamplerThread) sampler = NULL;

  g_object_get (window, "sampler", &sampler, NULL);
  return memscope_sampler_thread_get_host_source (sampler);
}

static MemscopeHistory *
history_of (MemscopeWindow *window)
{
  g_autoptr(MemscopeHistory) history = NULL;

  g_object_get (window, "history", &history, NULL);
  return history;
}

typedef struct
{
  MemscopeWindow *window;
  pid_t pid;
} Lookup;

static MemscopeProcessRow *
row_of (MemscopeWindow *window,
        pid_t           pid)
{
  return memscope_process_model_lookup (memscope_window_get_model (window), pid,
                                        ms_test_starttime_of (pid));
}

static gboolean
has_pid_cb (gpointer data)
{
  Lookup *lookup = data;

  return row_of (lookup->window, lookup->pid) != NULL;
}

static GHashTable *
pids_of (MemscopeWindow *window)
{
  GListModel *processes = memscope_process_model_get_processes (memscope_window_get_model (window));
  GHashTable *pids = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(MemscopeProcessRow) row = g_list_model_get_item (processes, i);

      g_hash_table_add (pids, GINT_TO_POINTER (memscope_process_row_get_pid (row)));
    }
  return pids;
}

/* The same machine seen through ssh: the processes the local window lists, give or take the
 * ones that came or went between the two samples (ssh's own, the probe). */
static void
test_lists_processes (void)
{
  g_autoptr(GHashTable) local = NULL;
  g_autoptr(GHashTable) remote = NULL;
  GHashTableIter iter;
  gpointer pid;
  guint shared = 0;
  Lookup lookup;
  pid_t sleeper = ms_test_spawn_sleeper ();

  g_assert_cmpstr (memscope_window_get_remote (remote_window), ==, MS_SSHD_HOST);
  lookup.window = remote_window;
  lookup.pid = sleeper;
  ms_gui_wait_until (has_pid_cb, &lookup, WAIT_MS, "the remote window to list the sleeper");
  lookup.window = local_window;
  ms_gui_wait_until (has_pid_cb, &lookup, WAIT_MS, "the local window to list the sleeper");

  local = pids_of (local_window);
  remote = pids_of (remote_window);
  g_hash_table_iter_init (&iter, remote);
  while (g_hash_table_iter_next (&iter, &pid, NULL))
    shared += g_hash_table_contains (local, pid);
  g_test_message ("local %u, remote %u, shared %u", g_hash_table_size (local),
                  g_hash_table_size (remote), shared);
  g_assert_cmpuint (g_hash_table_size (remote), >=, 3);
  /* A few came or went between the two samples (ssh's own, the probe, the machine's others). */
  g_assert_cmpuint (shared + 4 + g_hash_table_size (remote) / 100, >=,
                    g_hash_table_size (remote));
  g_assert_cmpuint (shared + 4 + g_hash_table_size (local) / 100, >=,
                    g_hash_table_size (local));
  g_assert_false (memscope_host_banner_get_shown (banner_of (remote_window)));

  kill (sleeper, SIGKILL);
  ms_gui_wait_until (ms_gui_child_gone, GINT_TO_POINTER (sleeper), WAIT_MS, "the sleeper to end");
}

static gboolean
has_message_cb (gpointer data)
{
  return *memscope_process_actions_get_message (data) != '\0';
}

/* End, confirmed by a dialog that names the machine, reaches the process over ssh. */
static void
test_end_process (void)
{
  pid_t sleeper = ms_test_spawn_sleeper ();
  Lookup lookup = { remote_window, sleeper };
  MemscopeProcessActions *actions;
  g_autofree char *text = NULL;

  ms_gui_wait_until (has_pid_cb, &lookup, WAIT_MS, "the remote window to list the sleeper");
  actions = ms_gui_request_signal (remote_window, row_of (remote_window, sleeper), SIGTERM, &text);
  g_assert_nonnull (strstr (text, "on " MS_SSHD_HOST));
  gtk_dialog_response (GTK_DIALOG (memscope_process_actions_get_confirmation (actions)),
                       GTK_RESPONSE_ACCEPT);
  ms_gui_wait_until (has_message_cb, actions, WAIT_MS, "the remote's answer");
  g_test_message ("%s", memscope_process_actions_get_message (actions));
  g_assert_false (memscope_process_actions_get_failed (actions));
  g_assert_nonnull (strstr (memscope_process_actions_get_message (actions), "on " MS_SSHD_HOST));
  ms_gui_wait_until (ms_gui_child_gone, GINT_TO_POINTER (sleeper), WAIT_MS,
                     "the sleeper to end");
}

/* The sshd processes serving connections: the listener's children. */
static guint
end_sessions (pid_t listener)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      pid_t pid = (pid_t) atoi (name);
      ms_stat_t st;

      if (pid > 0 && ms_test_read_stat (pid, &st) && st.ppid == listener)
        {
          kill (pid, SIGKILL);
          n++;
        }
    }
  return n;
}

static gboolean
banner_shown_cb (gpointer data)
{
  return memscope_host_banner_get_shown (data);
}

static gboolean
running_again_cb (gpointer data)
{
  return memscope_host_source_get_state (source_of (data)) == MEMSCOPE_HOST_STATE_RUNNING
         && !memscope_host_banner_get_shown (banner_of (data));
}

static gboolean
more_points_cb (gpointer data)
{
  guint *n = data;

  return memscope_history_get_points (history_of (remote_window))->len > *n;
}

/* sshd ends the connection mid-stream: the banner says so, memscope connects again, and the
 * window's history is still there. */
static void
test_reconnect (void)
{
  pid_t listener = (pid_t) atoi (g_getenv ("MS_SSHD_PID"));
  MemscopeHostSource *source = source_of (remote_window);
  GArray *points = memscope_history_get_points (history_of (remote_window));
  guint n_before = points->len;
  guint n_starts = memscope_host_source_get_n_starts (source);
  double first_time;

  g_assert_cmpuint (n_before, >, 0);
  first_time = g_array_index (points, MemscopeTimelinePoint, 0).time_s;
  g_assert_cmpuint (end_sessions (listener), >, 0);
  ms_gui_wait_until (banner_shown_cb, banner_of (remote_window), WAIT_MS, "the banner");
  g_test_message ("%s", memscope_host_banner_get_text (banner_of (remote_window)));
  g_assert_nonnull (strstr (memscope_host_banner_get_text (banner_of (remote_window)),
                            MS_SSHD_HOST));
  ms_gui_wait_until (running_again_cb, remote_window, WAIT_MS, "the connection again");
  g_assert_cmpuint (memscope_host_source_get_n_starts (source), >, n_starts);
  points = memscope_history_get_points (history_of (remote_window));
  g_assert_cmpuint (points->len, >=, n_before);
  g_assert_cmpfloat (g_array_index (points, MemscopeTimelinePoint, 0).time_s, ==, first_time);
  n_before = points->len;
  ms_gui_wait_until (more_points_cb, &n_before, WAIT_MS, "samples after reconnecting");
}

static gboolean
says_cb (gpointer data)
{
  MemscopeWindow *window = data;

  return memscope_host_banner_get_shown (banner_of (window))
         && memscope_host_source_get_state (source_of (window)) == MEMSCOPE_HOST_STATE_FAILED;
}

/* Each of ssh's faults in the window, in words that say what to do. */
static void
test_faults (void)
{
  const struct { const char *destination; const char *says; } faults[] = {
    { MS_SSHD_HOST_CHANGED_KEY, "has changed" },
    { MS_SSHD_HOST_UNKNOWN_KEY, "Run “ssh " MS_SSHD_HOST_UNKNOWN_KEY "” once" },
    { MS_SSHD_HOST_REFUSED_KEY, "refused the login" },
    { MS_SSHD_HOST_CLOSED_PORT, "refused the connection" },
  };
  MemscopeWindow *windows[G_N_ELEMENTS (faults)];

  /* All at once: their waits overlap. */
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    windows[i] = open_remote (faults[i].destination);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      const char *text;

      ms_gui_wait_until (says_cb, windows[i], WAIT_MS, faults[i].destination);
      text = memscope_host_banner_get_text (banner_of (windows[i]));
      g_test_message ("%s: %s", faults[i].destination, text);
      g_assert_nonnull (strstr (text, faults[i].says));
      gtk_window_destroy (GTK_WINDOW (windows[i]));
    }
}

static gboolean
offers_copy_cb (gpointer data)
{
  return memscope_host_banner_get_offers_copy (data);
}

static gboolean
copied_and_listing_cb (gpointer data)
{
  MemscopeWindow *window = data;
  GListModel *processes = memscope_process_model_get_processes (memscope_window_get_model (window));

  return memscope_host_source_get_state (source_of (window)) == MEMSCOPE_HOST_STATE_RUNNING
         && g_list_model_get_n_items (processes) > 0
         && !memscope_host_banner_get_shown (banner_of (window));
}

/* A machine without a probe: the window says so and offers the copy, which happens only when
 * asked; once copied into that machine's cache directory the window shows its processes. */
static void
test_copy_probe (void)
{
  MemscopeWindow *bare = open_remote (MS_SSHD_HOST_BARE);
  MemscopeHostBanner *banner = banner_of (bare);
  g_autofree char *copy = g_build_filename (g_getenv ("MS_BARE_CACHE"), "memscope",
                                            "memscope-probe", NULL);

  ms_gui_wait_until (offers_copy_cb, banner, WAIT_MS, "the copy offer");
  g_test_message ("bare: %s", memscope_host_banner_get_text (banner));
  g_assert_nonnull (strstr (memscope_host_banner_get_text (banner), MS_SSHD_HOST_BARE));
  /* Nothing is copied unasked. */
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  memscope_host_banner_set_static_probe (banner, g_getenv ("MS_PROBE_STATIC"));
  memscope_host_banner_copy_probe (banner);
  g_assert_true (memscope_host_banner_get_copying (banner));
  ms_gui_wait_until (copied_and_listing_cb, bare, WAIT_MS, "the copied probe to run");
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_EXECUTABLE));
  gtk_window_destroy (GTK_WINDOW (bare));
}

static gboolean
leak_tagged_cb (gpointer data)
{
  Lookup *lookup = data;
  MemscopeProcessRow *row = row_of (lookup->window, lookup->pid);

  return row != NULL && (memscope_process_row_get_tags (row) & MS_TAG_LEAK) != 0;
}

/* The leak-sim remote.py started before everything else holds still for its steady stretch and
 * then grows 8 MiB/s: inspected in the remote window, which has watched it from the start, it is
 * tagged LEAK there by this side's detector on the remote's samples, within the detector's
 * bound for such a leak (a minute from the growth's start, tests/README.md). */
static void
test_leak_tagged (void)
{
  Lookup lookup = { remote_window, (pid_t) atoi (g_getenv ("MS_LEAK_PID")) };
  Lookup local = { local_window, lookup.pid };
  /* CLOCK_MONOTONIC, as Python's time.monotonic() in remote.py. */
  gint64 grows_at_us = (gint64) (g_ascii_strtod (g_getenv ("MS_LEAK_GROWS_AT"), NULL) * 1e6);
  gint64 deadline_us = grows_at_us + (LEAK_BOUND_S + LEAK_SLACK_S) * G_USEC_PER_SEC;
  double after_s;

  ms_gui_wait_until (has_pid_cb, &lookup, WAIT_MS, "the remote window to list the leak-sim");
  g_assert_true (memscope_window_select_row (remote_window, row_of (remote_window, lookup.pid)));
  gtk_widget_activate_action (GTK_WIDGET (remote_window), "win.inspect", NULL);
  g_assert_true (memscope_window_get_inspected_row (remote_window)
                 == row_of (remote_window, lookup.pid));
  /* Tags arrive with the worker's deliveries, which are main-loop events. */
  if (!ms_gui_wait_for (leak_tagged_cb, &lookup,
                        (guint) MAX (0, (deadline_us - g_get_monotonic_time ()) / 1000)))
    {
      MemscopeProcessRow *row = row_of (remote_window, lookup.pid);

      g_test_message ("live-leak: remote delta %" G_GINT64_FORMAT " KiB, tags %u, %u starts; "
                      "local tags %u",
                      row != NULL ? (gint64) memscope_process_row_get_delta_kib (row) : -1,
                      row != NULL ? memscope_process_row_get_tags (row) : 0,
                      memscope_host_source_get_n_starts (source_of (remote_window)),
                      leak_tagged_cb (&local));
      g_error ("timed out waiting for LEAK on the leak-sim");
    }
  after_s = (g_get_monotonic_time () - grows_at_us) / 1e6;
  g_test_message ("live-leak: the remote window tagged LEAK %.0f s after the growth started; "
                  "the local window %s", after_s,
                  leak_tagged_cb (&local) ? "had tagged it too" : "had not yet");
  /* Still the one it inspects, now with the tag. */
  g_assert_true (memscope_window_get_inspected_row (remote_window)
                 == row_of (remote_window, lookup.pid));
}

int
main (int argc, char **argv)
{
  g_autofree char *state = NULL;
  int rc;

  g_assert_nonnull (g_getenv ("MEMSCOPE_SSH_CONFIG"));
  g_assert_nonnull (g_getenv ("MS_SSHD_PID"));
  g_assert_nonnull (g_getenv ("MS_LEAK_PID"));
  g_assert_nonnull (g_getenv ("MS_LEAK_GROWS_AT"));
  ms_test_ignore_sigpipe ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("MEMSCOPE_HOST_PROBE");
  g_unsetenv ("MEMSCOPE_PROC_ROOT");
  g_unsetenv ("MEMSCOPE_PASSWD");
  g_unsetenv ("MEMSCOPE_SYS_ROOT");
  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);
  /* memscope's default refresh: these windows sample beside the other scenarios for two
   * minutes, waiting for the leak. */
  app = ms_gui_start_app (1000, &local_window);
  /* From the start, so it watches the leak-sim's steady stretch while the other checks run. */
  remote_window = open_remote (MS_SSHD_HOST);

  g_test_add_func ("/remote-live/lists-processes", test_lists_processes);
  g_test_add_func ("/remote-live/end-process", test_end_process);
  g_test_add_func ("/remote-live/faults", test_faults);
  g_test_add_func ("/remote-live/copy-probe", test_copy_probe);
  g_test_add_func ("/remote-live/leak-tagged", test_leak_tagged);
  g_test_add_func ("/remote-live/reconnect", test_reconnect);
  rc = g_test_run ();

  if (remote_window != NULL)
    gtk_window_destroy (GTK_WINDOW (remote_window));
  ms_gui_stop_app (app, local_window);
  return rc;
}
