/* SPDX-License-Identifier: MIT */
/* Remote windows beside the local one: `ssh` is a stand-in on PATH that runs memscope-probe stream
 * on a fixture tree (or fails as ssh does for two machine names), so the window, its banner and the
 * Connect dialog are checked without a network.  The real ssh and sshd are the live group's. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "memscope-application.h"
#include "memscope-connect-dialog.h"
#include "memscope-host-banner.h"
#include "memscope-inspect-panel.h"
#include "memscope-process-actions-private.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define WAIT_MS 20000

/* bad-box: a changed host key; bare-box: no probe there; skew-box: a machine whose clock is an
 * hour behind; uname (a copy's first step): never answers; anything else: the probe. */
static const char fake_ssh[] =
  "#!/bin/sh\n"
  "case \"$*\" in *uname*) exec sleep 60;; esac\n"
  "for a in \"$@\"; do\n"
  "  case \"$a\" in\n"
  "    bad-box) echo '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@' >&2\n"
  "             echo 'Host key verification failed.' >&2; exit 255;;\n"
  "    bare-box) echo 'memscope-probe: not found' >&2; exit 117;;\n"
  "    skew-box) MS_FAKE_PROBE_CLOCK_SKEW=-3600 exec \"$MS_FAKE_PROBE\" leak;;\n"
  "  esac\n"
  "done\n"
  "exec \"$MS_PROBE\" stream --proc-root \"$MEMSCOPE_PROC_ROOT\" --passwd \"$MEMSCOPE_PASSWD\"\n";

static MemscopeApplication *app;
static char *fake_ssh_path;
static MemscopeWindow *local_window;

/* Whether a label at or below widget says exactly text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

static MemscopeWindow *
open_remote (const char *destination)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window = memscope_application_open_remote (app, destination, &error);

  g_assert_no_error (error);
  g_assert_true (MEMSCOPE_IS_WINDOW (window));
  return MEMSCOPE_WINDOW (window);
}

static MemscopeHostBanner *
banner_of (MemscopeWindow *window)
{
  return MEMSCOPE_HOST_BANNER (ms_gui_find_widget (GTK_WIDGET (window), MEMSCOPE_TYPE_HOST_BANNER));
}

static gboolean
has_row_cb (gpointer data)
{
  return memscope_process_model_lookup (memscope_window_get_model (data), 200, 300000) != NULL;
}

static gboolean
has_snapshot_cb (gpointer data)
{
  return memscope_process_model_get_snapshot (memscope_window_get_model (data)) != NULL;
}

static gboolean
banner_shown_cb (gpointer data)
{
  return memscope_host_banner_get_shown (data);
}

static gboolean
offers_copy_cb (gpointer data)
{
  return memscope_host_banner_get_offers_copy (data);
}

static gboolean
window_for_cb (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (MEMSCOPE_IS_WINDOW (l->data)
        && g_strcmp0 (memscope_window_get_remote (l->data), data) == 0)
      return TRUE;
  return FALSE;
}

/* The remote window names the machine, lists its processes and lives beside the local one. */
static void
test_beside_local (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_auto(GStrv) recent = NULL;
  MemscopeWindow *remote = open_remote ("user@build-box");
  GtkWidget *header;

  g_assert_true (remote != local_window);
  g_assert_null (memscope_window_get_remote (local_window));
  g_assert_cmpstr (memscope_window_get_remote (remote), ==, "user@build-box");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (remote)), ==, "user@build-box — memscope");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (local_window)), ==, "memscope");
  header = gtk_window_get_titlebar (GTK_WINDOW (remote));
  g_assert_true (has_label (header, "user@build-box"));
  g_assert_false (has_label (gtk_window_get_titlebar (GTK_WINDOW (local_window)),
                                         "user@build-box"));

  ms_gui_wait_until (has_row_cb, remote, WAIT_MS, "the remote's processes");
  g_assert_true (memscope_window_get_model (remote) != memscope_window_get_model (local_window));
  g_assert_false (memscope_host_banner_get_shown (banner_of (remote)));

  /* Asked again, the same window. */
  g_assert_true (open_remote ("user@build-box") == remote);
  recent = g_settings_get_strv (settings, "recent-remotes");
  g_assert_cmpstr (recent[0], ==, "user@build-box");
}

/* Stop, End and Kill say which machine the process is on. */
static void
test_confirmation_names_machine (void)
{
  MemscopeWindow *remote = open_remote ("user@build-box");
  MemscopeProcessActions *actions;
  g_autofree char *text = NULL;

  ms_gui_wait_until (has_row_cb, remote, WAIT_MS, "the remote's processes");
  actions = ms_gui_request_signal (remote,
                                   memscope_process_model_lookup (memscope_window_get_model (remote),
                                                                  200, 300000),
                                   SIGTERM, &text);
  g_assert_nonnull (strstr (text, "(PID 200) on user@build-box"));
  gtk_dialog_response (GTK_DIALOG (memscope_process_actions_get_confirmation (actions)),
                       GTK_RESPONSE_CANCEL);
}

static MemscopeWindow *delta_window;

static gboolean
delta_is_cb (gpointer data)
{
  MemscopeProcessRow *row = memscope_process_model_lookup (memscope_window_get_model (delta_window),
                                                           200, 300000);

  return row != NULL && memscope_process_row_get_delta_kib (row) == GPOINTER_TO_INT (data);
}

/* Space and Undo in the remote window go to its machine's probe: the process is given a baseline
 * 1000 KiB below its footprint, Space zeroes the delta, Undo brings the 1000 KiB back. */
static void
test_undo_reset (void)
{
  MemscopeWindow *remote = open_remote ("user@build-box");
  g_autoptr(MemscopeSamplerThread) sampler = NULL;
  g_autoptr(GArray) baselines = g_array_new (FALSE, FALSE, sizeof (ms_baseline_t));
  MemscopeProcessRow *row;
  const ms_proc_t *proc;
  ms_baseline_t lower;

  delta_window = remote;
  g_object_get (remote, "sampler", &sampler, NULL);
  ms_gui_wait_until (has_row_cb, remote, WAIT_MS, "the remote's processes");
  g_assert_true (sampler != memscope_application_get_sampler (app));
  g_assert_true (memscope_sampler_thread_can_restore_baselines (sampler));
  row = memscope_process_model_lookup (memscope_window_get_model (remote), 200, 300000);
  proc = memscope_process_row_get_proc (row);
  lower = (ms_baseline_t) { proc->pid, proc->starttime, proc->footprint_kib - 1000 };
  g_array_append_val (baselines, lower);
  g_assert_true (memscope_sampler_thread_restore_baselines (sampler, baselines));
  ms_gui_wait_until (delta_is_cb, GINT_TO_POINTER (1000), WAIT_MS, "the lower baseline");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "win.reset-baseline", NULL));
  g_assert_true (memscope_window_get_can_undo_reset (remote));
  ms_gui_wait_until (delta_is_cb, GINT_TO_POINTER (0), WAIT_MS, "the reset");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (remote), "win.undo-reset", NULL));
  ms_gui_wait_until (delta_is_cb, GINT_TO_POINTER (1000), WAIT_MS, "the baseline back");
}

/* A remote clock an hour behind: its samples are placed on this machine's clock. */
static void
test_clock_skew (void)
{
  MemscopeWindow *skewed = open_remote ("skew-box");
  MemscopeSnapshot *snapshot;
  double now;

  ms_gui_wait_until (has_snapshot_cb, skewed, WAIT_MS, "the skewed machine's processes");
  snapshot = memscope_process_model_get_snapshot (memscope_window_get_model (skewed));
  g_assert_nonnull (snapshot);
  now = (double) g_get_real_time () / G_USEC_PER_SEC;
  g_test_message ("remote sample at %.1f, here %.1f", snapshot->base.time_unix, now);
  g_assert_cmpfloat (fabs (snapshot->base.time_unix - now), <, 60.0);
  gtk_window_destroy (GTK_WINDOW (skewed));
}

/* ssh's failure becomes the banner's words, and no probe there offers the copy. */
static void
test_faults_in_banner (void)
{
  MemscopeWindow *bad = open_remote ("bad-box");
  MemscopeWindow *bare = open_remote ("bare-box");
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_auto(GStrv) recent = NULL;
  const char *text;

  ms_gui_wait_until (banner_shown_cb, banner_of (bad), WAIT_MS, "the host key message");
  text = memscope_host_banner_get_text (banner_of (bad));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "host key of bad-box has changed"));
  /* The same key would be refused again: no retry until the user asks. */
  g_assert_null (strstr (text, "Trying again"));
  g_assert_null (strstr (text, "host probe"));
  g_assert_false (memscope_host_banner_get_offers_copy (banner_of (bad)));

  ms_gui_wait_until (offers_copy_cb, banner_of (bare), WAIT_MS, "the copy offer");
  text = memscope_host_banner_get_text (banner_of (bare));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "bare-box"));
  g_assert_nonnull (strstr (text, "Copy memscope's probe"));
  /* Neither answered: neither is offered again as a recent machine. */
  recent = g_settings_get_strv (settings, "recent-remotes");
  g_assert_false (g_strv_contains ((const char * const *) recent, "bad-box"));
  g_assert_false (g_strv_contains ((const char * const *) recent, "bare-box"));

  /* A copy that does not finish can be cancelled: Copy Probe is offered again. */
  memscope_host_banner_set_static_probe (banner_of (bare), fake_ssh_path);
  g_assert_false (memscope_host_banner_get_offers_cancel (banner_of (bare)));
  memscope_host_banner_copy_probe (banner_of (bare));
  g_assert_true (memscope_host_banner_get_copying (banner_of (bare)));
  g_assert_true (memscope_host_banner_get_offers_cancel (banner_of (bare)));
  g_assert_false (memscope_host_banner_get_offers_copy (banner_of (bare)));
  g_assert_nonnull (strstr (memscope_host_banner_get_text (banner_of (bare)), "Copying"));
  memscope_host_banner_cancel_copy (banner_of (bare));
  g_assert_false (memscope_host_banner_get_copying (banner_of (bare)));
  g_assert_false (memscope_host_banner_get_offers_cancel (banner_of (bare)));
  g_assert_true (memscope_host_banner_get_offers_copy (banner_of (bare)));
  g_assert_null (strstr (memscope_host_banner_get_text (banner_of (bare)), "Copying"));
  gtk_window_destroy (GTK_WINDOW (bad));
  gtk_window_destroy (GTK_WINDOW (bare));
}

/* The dialog lists this computer and the recent machines, refuses what ssh would misread, and
 * opens a typed machine. */
static void
test_connect_dialog (void)
{
  g_autoptr(GSettings) settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  const char *recent[] = { "first-box", "ssh://second-box:2222", NULL };
  MemscopeConnectDialog *dialog;
  GtkListBoxRow *row;

  g_settings_set_strv (settings, "recent-remotes", recent);
  dialog = MEMSCOPE_CONNECT_DIALOG (memscope_connect_dialog_new (GTK_WINDOW (local_window),
                                                                 settings));
  gtk_window_present (GTK_WINDOW (dialog));
  row = gtk_list_box_get_row_at_index (memscope_connect_dialog_get_list (dialog), 0);
  g_assert_true (has_label (GTK_WIDGET (row), "This Computer"));
  row = gtk_list_box_get_row_at_index (memscope_connect_dialog_get_list (dialog), 2);
  g_assert_true (has_label (GTK_WIDGET (row), "ssh://second-box:2222"));
  g_assert_null (gtk_list_box_get_row_at_index (memscope_connect_dialog_get_list (dialog), 3));

  /* Choosing a recent machine fills the entry. */
  gtk_list_box_select_row (memscope_connect_dialog_get_list (dialog), row);
  g_assert_cmpstr (gtk_editable_get_text (memscope_connect_dialog_get_entry (dialog)), ==,
                   "ssh://second-box:2222");

  gtk_editable_set_text (memscope_connect_dialog_get_entry (dialog), "-oProxyCommand=evil");
  g_assert_false (memscope_connect_dialog_connect (dialog));
  g_test_message ("%s", memscope_connect_dialog_get_error_text (dialog));
  g_assert_cmpstr (memscope_connect_dialog_get_error_text (dialog), !=, "");
  g_assert_false (window_for_cb ("-oProxyCommand=evil"));

  gtk_editable_set_text (memscope_connect_dialog_get_entry (dialog), "typed-box");
  g_assert_true (memscope_connect_dialog_connect (dialog));
  g_assert_true (window_for_cb ("typed-box"));
}

int
main (int argc, char **argv)
{
  g_autofree char *root = ms_test_data_path ("app/proc-v2");
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  g_autofree char *dir = NULL;
  g_autofree char *ssh = NULL;
  g_autofree char *path = NULL;
  g_autofree char *state = NULL;
  int rc;

  ms_test_ignore_sigpipe ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("MEMSCOPE_PROC_ROOT", root, TRUE);
  g_setenv ("MEMSCOPE_PASSWD", passwd, TRUE);
  g_setenv ("MEMSCOPE_SYS_ROOT", root, TRUE);
  g_unsetenv ("MEMSCOPE_HOST_PROBE");
  g_unsetenv ("MEMSCOPE_SSH_CONFIG");
  g_assert_nonnull (g_getenv ("MS_PROBE"));

  dir = g_dir_make_tmp ("ms-remote-window-XXXXXX", NULL);
  g_assert_nonnull (dir);
  ssh = g_build_filename (dir, "ssh", NULL);
  g_assert_true (g_file_set_contents (ssh, fake_ssh, -1, NULL));
  fake_ssh_path = ssh;
  g_assert_cmpint (g_chmod (ssh, 0755), ==, 0);
  path = g_strdup_printf ("%s:%s", dir, g_getenv ("PATH"));
  g_setenv ("PATH", path, TRUE);
  state = g_build_filename (dir, "state", NULL);
  g_setenv ("MEMSCOPE_STATE_DIR", state, TRUE);

  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);
  app = ms_gui_start_app (250, &local_window);

  g_test_add_func ("/remote-window/beside-local", test_beside_local);
  g_test_add_func ("/remote-window/confirmation-names-machine", test_confirmation_names_machine);
  g_test_add_func ("/remote-window/undo-reset", test_undo_reset);
  g_test_add_func ("/remote-window/clock-skew", test_clock_skew);
  g_test_add_func ("/remote-window/faults-in-banner", test_faults_in_banner);
  g_test_add_func ("/remote-window/connect-dialog", test_connect_dialog);
  rc = g_test_run ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; )
    {
      GList *next = l->next;

      if (l->data != local_window)
        gtk_window_destroy (l->data);
      l = next;
    }
  ms_gui_stop_app (app, local_window);
  ms_test_remove_tree (dir);
  return rc;
}
