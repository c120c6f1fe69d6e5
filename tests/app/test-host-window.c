/* SPDX-License-Identifier: MIT */
/* The whole app sampling through memscope-probe stream, as in a Flatpak: rows come from the
 * probe, Space and Undo go through it, a killed probe shows the banner with Retry, and with
 * LANGUAGE=de it speaks German.  With the argument old-probe, the probe speaks protocol 1.1 and the
 * bar after Space says that the reset cannot be undone. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-host-banner.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define WAIT_S 20

static MemscopeApplication *app;
static MemscopeWindow *window;
static MemscopeHostSource *source;
static guint n_applied;
static gboolean german;

static void
applied_cb (void)
{
  n_applied++;
}

/* Polls: the host source changes state on its own thread. */
static void
wait_until (MsGuiDoneFunc done, gpointer data, const char *what)
{
  if (!ms_gui_poll_until (done, data, WAIT_S * 1000))
    g_error ("timed out waiting for %s", what);
}

static gboolean
applied_at_least_cb (gpointer data)
{
  return n_applied >= GPOINTER_TO_UINT (data);
}

static gboolean
banner_hidden_cb (gpointer data)
{
  return !memscope_host_banner_get_shown (data);
}

static gboolean
in_state_cb (gpointer data)
{
  return memscope_host_source_get_state (source) == (MemscopeHostState) GPOINTER_TO_UINT (data);
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  const char *text = ms_gui_shown_text (widget);

  if (text != NULL)
    g_string_append_printf (out, "|%s", text);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
render (const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, language ? language : "en");
  g_autoptr(GdkTexture) texture = ms_gui_render (GTK_WIDGET (window), file);
}

/* Rows arrive from the probe through the same model as in-process sampling. */
static void
test_rows_from_probe (void)
{
  GListModel *processes = memscope_process_model_get_processes (memscope_window_get_model (window));
  MemscopeProcessRow *firefox;
  g_autoptr(GString) labels = g_string_new (NULL);

  g_assert_nonnull (source);
  wait_until (applied_at_least_cb, GUINT_TO_POINTER (2), "two snapshots from the probe");
  g_assert_cmpint (memscope_host_source_get_state (source), ==, MEMSCOPE_HOST_STATE_RUNNING);
  g_assert_true (g_str_has_prefix (memscope_host_source_get_peer (source), "memscope-probe "));
  g_assert_cmpuint (g_list_model_get_n_items (processes), >, 10);
  firefox = memscope_process_model_lookup (memscope_window_get_model (window), 200,
                                           300000);
  g_assert_nonnull (firefox);
  g_assert_false (memscope_host_banner_get_shown (MEMSCOPE_HOST_BANNER (
    ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_HOST_BANNER))));

  collect_labels (GTK_WIDGET (window), labels);
  g_test_message ("labels: %s", labels->str);
  if (german)
    {
      g_assert_nonnull (strstr (labels->str, "|Benutzer|"));
      g_assert_nonnull (strstr (labels->str, "|Markierungen|"));
      g_assert_nonnull (strstr (labels->str, "|Gestartet|"));
      g_assert_null (strstr (labels->str, "|User|"));
    }
  else if (g_strcmp0 (g_getenv ("LANGUAGE"), "es") == 0)
    {
      g_assert_nonnull (strstr (labels->str, "|Usuario|"));
      g_assert_nonnull (strstr (labels->str, "|Marcas|"));
    }
  else
    {
      g_assert_nonnull (strstr (labels->str, "|User|"));
      g_assert_nonnull (strstr (labels->str, "|Swap|"));
    }
  render ("host-window");
}

static gboolean
zombie_explained_cb (gpointer data)
{
  MemscopeSnapshot *snapshot = memscope_process_model_get_snapshot (memscope_window_get_model (window));

  if (snapshot == NULL)
    return FALSE;
  for (gsize i = 0; i < snapshot->base.n_procs; i++)
    if (snapshot->base.procs[i].pid == 600)
      return (snapshot->base.procs[i].tags & MS_TAG_ZOMBIE) != 0
             && memscope_snapshot_get_explanation (snapshot, i) != NULL;
  return FALSE;
}

static gboolean
history_arrived_cb (gpointer data)
{
  MemscopeSnapshot *snapshot = memscope_process_model_get_snapshot (memscope_window_get_model (window));

  return snapshot != NULL && snapshot->inspect != NULL && snapshot->inspect->pid == 200
         && snapshot->inspect->n_points >= 2;
}

/* The probe's snapshots run through this side's detector and history, as local ticks do: the
 * fixture's zombie is tagged with an explanation, and the inspected process's history comes. */
static void
test_detector_and_history (void)
{
  MemscopeSamplerThread *sampler = memscope_application_get_sampler (app);

  memscope_sampler_thread_set_pss_priority (sampler, 200, 300000);
  wait_until (zombie_explained_cb, NULL, "the zombie tag with its explanation");
  wait_until (history_arrived_cb, NULL, "the inspected process's history");
  memscope_sampler_thread_set_pss_priority (sampler, 0, 0);
}

static gboolean
firefox_delta_cb (gpointer data)
{
  MemscopeProcessRow *row = memscope_process_model_lookup (memscope_window_get_model (window), 200,
                                                           300000);

  return row != NULL && memscope_process_row_get_delta_kib (row) == GPOINTER_TO_INT (data);
}

/* Space and Undo through the probe (protocol 1.2): the fixture's machine does not move, so the
 * firefox process is first given a baseline 1000 KiB below its footprint; Space zeroes it, the
 * bar offers Undo, and Undo brings the 1000 KiB back from the probe. */
static void
test_undo_reset (void)
{
  MemscopeSamplerThread *sampler = memscope_application_get_sampler (app);
  MemscopeProcessRow *firefox = memscope_process_model_lookup (memscope_window_get_model (window),
                                                               200, 300000);
  g_autoptr(GArray) baselines = g_array_new (FALSE, FALSE, sizeof (ms_baseline_t));
  const ms_proc_t *proc;
  ms_baseline_t lower;
  const char *text;

  g_assert_nonnull (firefox);
  wait_until (in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_RUNNING), "a running probe");
  g_assert_true (memscope_sampler_thread_can_restore_baselines (sampler));
  proc = memscope_process_row_get_proc (firefox);
  lower = (ms_baseline_t) { proc->pid, proc->starttime, proc->footprint_kib - 1000 };
  g_array_append_val (baselines, lower);
  g_assert_true (memscope_sampler_thread_restore_baselines (sampler, baselines));
  wait_until (firefox_delta_cb, GINT_TO_POINTER (1000), "the lower baseline from the probe");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-baseline", NULL));
  text = memscope_window_get_undo_text (window);
  g_assert_nonnull (text);
  g_test_message ("bar: %s", text);
  g_assert_true (memscope_window_get_can_undo_reset (window));
  wait_until (firefox_delta_cb, GINT_TO_POINTER (0), "the reset from the probe");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-reset", NULL));
  g_assert_null (memscope_window_get_undo_text (window));
  wait_until (firefox_delta_cb, GINT_TO_POINTER (1000), "the baseline back from the probe");
}

/* A probe of protocol 1.1 cannot take baselines back: Space still resets through it, and the bar
 * says that it cannot be undone instead of offering Undo. */
static void
test_undo_with_old_probe (void)
{
  MemscopeSamplerThread *sampler = memscope_application_get_sampler (app);
  const char *text;

  wait_until (applied_at_least_cb, GUINT_TO_POINTER (1), "a snapshot from the probe");
  wait_until (in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_RUNNING), "a running probe");
  g_assert_false (memscope_sampler_thread_can_restore_baselines (sampler));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-baseline", NULL));
  text = memscope_window_get_undo_text (window);
  g_assert_nonnull (text);
  g_test_message ("bar: %s", text);
  g_assert_true (g_str_has_suffix (text, "The host probe is too old to undo it."));
  g_assert_false (memscope_window_get_can_undo_reset (window));
  /* Ctrl+Z's action does nothing, and the rows keep coming. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-reset", NULL);
  g_assert_nonnull (memscope_window_get_undo_text (window));
  wait_until (applied_at_least_cb, GUINT_TO_POINTER (n_applied + 2), "more snapshots");
  g_assert_null (memscope_host_source_get_problem (source));
}

/* A stand-in for an older probe: the real one, told to speak protocol 1.1. */
static char *
write_old_probe (char **dir)
{
  g_autofree char *quoted = g_shell_quote (g_getenv ("MS_PROBE"));
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nexec %s \"$@\" --announce-version 1.1\n",
                                             quoted);
  g_autoptr(GError) error = NULL;
  char *path;

  *dir = g_dir_make_tmp ("ms-old-probe-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "old-probe", NULL);
  g_assert_true (g_file_set_contents (path, script, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);
  return path;
}

/* The probe killed: the window says so with Retry, and Retry brings the rows back. */
static void
test_banner_after_kill (void)
{
  MemscopeHostBanner *banner =
    MEMSCOPE_HOST_BANNER (ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_HOST_BANNER));
  GtkWidget *retry;
  const char *text;
  guint before;

  g_assert_nonnull (banner);
  wait_until (in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_RUNNING), "a running probe");
  g_assert_cmpint (kill ((pid_t) memscope_host_source_get_probe_pid (source), SIGKILL), ==, 0);
  wait_until (in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_FAILED), "the failure");
  g_assert_true (memscope_host_banner_get_shown (banner));
  text = memscope_host_banner_get_text (banner);
  g_test_message ("banner: %s", text);
  if (german)
    g_assert_true (g_str_has_prefix (text, "Die Prozesse des Rechners sind nicht sichtbar: Die "
                                           "Host-Sonde wurde durch Signal 9 "));
  else
    g_assert_true (g_str_has_prefix (text, "Cannot see the computer's processes: The host probe "
                                           "was ended by signal 9 "));
  ms_gui_settle (300);
  render ("host-window-failed");

  retry = ms_gui_find_widget (GTK_WIDGET (banner), GTK_TYPE_BUTTON);
  g_assert_nonnull (retry);
  before = n_applied;
  g_assert_true (gtk_widget_activate (retry));
  wait_until (in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_RUNNING), "the probe again");
  wait_until (applied_at_least_cb, GUINT_TO_POINTER (before + 1), "rows again");
  /* Rows arrive from a running probe, so the banner has nothing left to say. */
  if (memscope_host_banner_get_shown (banner))
    g_test_message ("banner still shown in state %d: %s",
                    memscope_host_source_get_state (source), memscope_host_banner_get_text (banner));
  wait_until (banner_hidden_cb, banner, "the banner to hide");
}

int
main (int argc, char **argv)
{
  g_autofree char *root = ms_test_data_path ("app/proc-v2");
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  int rc;

  gboolean old_probe = argc > 1 && g_strcmp0 (argv[1], "old-probe") == 0;
  g_autofree char *old_dir = NULL;
  g_autofree char *old_path = NULL;

  german = ms_test_use_translations ();

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (old_probe)
    {
      old_path = write_old_probe (&old_dir);
      g_setenv ("MEMSCOPE_HOST_PROBE", old_path, TRUE);
    }
  else
    g_setenv ("MEMSCOPE_HOST_PROBE", g_getenv ("MS_PROBE"), TRUE);
  g_setenv ("MEMSCOPE_PROC_ROOT", root, TRUE);
  g_setenv ("MEMSCOPE_PASSWD", passwd, TRUE);
  g_setenv ("MEMSCOPE_SYS_ROOT", root, TRUE);
  ms_gui_allow_list_scroll_warning ();
  ms_test_ignore_sigpipe ();
  gtk_test_init (&argc, &argv, NULL);

  app = ms_gui_start_app (250, &window);
  source = memscope_sampler_thread_get_host_source (memscope_application_get_sampler (app));
  g_signal_connect (memscope_window_get_model (window), "applied", G_CALLBACK (applied_cb), NULL);

  if (old_probe)
    g_test_add_func ("/host-window/undo-with-old-probe", test_undo_with_old_probe);
  else
    {
      g_test_add_func ("/host-window/rows-from-probe", test_rows_from_probe);
      g_test_add_func ("/host-window/detector-and-history", test_detector_and_history);
      g_test_add_func ("/host-window/undo-reset", test_undo_reset);
      g_test_add_func ("/host-window/banner-after-kill", test_banner_after_kill);
    }

  rc = g_test_run ();

  ms_gui_stop_app (app, window);
  if (old_path != NULL)
    {
      g_unlink (old_path);
      g_rmdir (old_dir);
    }
  return rc;
}
