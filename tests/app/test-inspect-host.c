/* SPDX-License-Identifier: MIT */
/* The inspect panel through the host probe, as inside a Flatpak: the smaps of a running leak-sim
 * and the signals travel over memscope-probe's stream channel, refusals included. */

#include "config.h"

#include <gtk/gtk.h>
#include <signal.h>

#include "memscope-host-source.h"
#include "memscope-inspect-details.h"
#include "memscope-process-actions-private.h"
#include "memscope-sampler-thread.h"
#include "memscope-seams-private.h"
#include "ms-gui-test.h"

static MemscopeHostSource *host;

static gboolean
grown (gpointer data)
{
  return ms_gui_anonymous_growth_kib (data) >= 8 * 1024;
}

static gboolean
has_message (gpointer data)
{
  return *memscope_process_actions_get_message (data) != '\0';
}

static gboolean
host_running (gpointer data)
{
  return memscope_host_source_get_peer (host) != NULL;
}

static void
confirm (MemscopeProcessActions *actions)
{
  GtkWidget *dialog = memscope_process_actions_get_confirmation (actions);

  g_assert_nonnull (dialog);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
}

static void
test_through_host (void)
{
  g_autoptr(MemscopeProcessRow) row = NULL;
  g_autoptr(MemscopeProcessRow) stale = NULL;
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  g_autoptr(MemscopeSamplerThread) sampler = memscope_sampler_thread_new_for_source (host);
  GtkWindow *window;
  GPid pid;

  pid = ms_gui_spawn_leak_sim ("ms-host-sim");

  window = ms_gui_show_details (&details);
  /* Nothing local to read: whatever the panel shows came from the host probe. */
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", "/nonexistent");
  memscope_inspect_details_set_sampler (details, sampler);
  actions = memscope_inspect_details_get_actions (details);

  /* The pid reused by another process: refused on the host, said so here. */
  stale = ms_gui_row_new (pid, ms_test_starttime_of (pid) + 1, "ms-host-sim");
  memscope_inspect_details_set_row (details, stale);
  memscope_process_actions_request (actions, SIGKILL);
  confirm (actions);
  ms_gui_wait_until (has_message, actions, 10000, "the host's answer");
  g_assert_true (memscope_process_actions_get_failed (actions));
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "already gone"));
  g_assert_false (ms_gui_child_gone (GINT_TO_POINTER (pid)));

  /* The smaps read on the host shows the anonymous memory growing. */
  row = ms_gui_row_new (pid, ms_test_starttime_of (pid), "ms-host-sim");
  memscope_inspect_details_set_row (details, row);
  ms_gui_wait_until (grown, memscope_inspect_details_get_smaps_view (details), 10000,
              "the anonymous groups to grow");

  /* End, through the host. */
  memscope_process_actions_request (actions, SIGTERM);
  confirm (actions);
  ms_gui_wait_until (has_message, actions, 10000, "the host's answer");
  g_test_message ("%s", memscope_process_actions_get_message (actions));
  g_assert_false (memscope_process_actions_get_failed (actions));
  ms_gui_wait_until (ms_gui_child_gone, GINT_TO_POINTER (pid), 10000, "leak-sim to end");
  g_spawn_close_pid (pid);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *probe = g_getenv ("MS_PROBE");
  g_autoptr(GError) error = NULL;
  int rc;

  ms_test_ignore_sigpipe ();
  ms_gui_test_init (&argc, &argv);

  /* The way memscope finds a host probe outside a Flatpak; the real /proc behind it. */
  g_assert_nonnull (probe);
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", probe);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  host = memscope_host_source_new (&error);
  g_assert_no_error (error);
  memscope_host_source_start (host);
  ms_gui_wait_until (host_running, NULL, 20000, "the host probe");

  g_test_add_func ("/inspect-host/smaps-and-signals", test_through_host);
  rc = g_test_run ();

  memscope_host_source_stop (host);
  g_clear_object (&host);
  ms_gui_drain ();
  return rc;
}
