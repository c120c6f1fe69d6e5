/* SPDX-License-Identifier: MIT */
/* The inspect panel through the host probe, as inside a Flatpak: the smaps of a running leak-sim
 * and the signals travel over memscope-probe's stream channel, refusals included. */

#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-host-source.h"
#include "memscope-inspect-details.h"
#include "ms-test.h"
#include "parse.h"

static MemscopeHostSource *host;

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

static MemscopeProcessRow *
row_for (pid_t       pid,
         guint64     starttime,
         const char *comm)
{
  ms_proc_t proc = { 0 };

  proc.pid = pid;
  proc.starttime = starttime;
  proc.state = 'S';
  g_strlcpy (proc.comm, comm, sizeof proc.comm);
  g_strlcpy (proc.user, "root", sizeof proc.user);
  proc.pss_kib = proc.uss_kib = proc.swap_pss_kib = MS_UNKNOWN_KIB;
  return memscope_process_row_new (&proc, NULL, 0);
}

static GtkWindow *
show_details (MemscopeInspectDetails **out)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *details = memscope_inspect_details_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), details);
  gtk_window_set_child (window, scroller);
  gtk_window_set_default_size (window, 440, 700);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (details))
    g_main_context_iteration (NULL, TRUE);
  /* Nothing local to read: whatever the panel shows came from the host probe. */
  memscope_inspect_details_set_proc_root (MEMSCOPE_INSPECT_DETAILS (details), "/nonexistent");
  *out = MEMSCOPE_INSPECT_DETAILS (details);
  return window;
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
has_message (gpointer data)
{
  return *memscope_process_actions_get_message (data) != '\0';
}

static gboolean
child_gone (gpointer data)
{
  int status;

  return waitpid (GPOINTER_TO_INT (data), &status, WNOHANG) == GPOINTER_TO_INT (data);
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
  const char *leak_sim = g_getenv ("MS_LEAK_SIM");
  const char *argv[] = { leak_sim, "--name", "ms-host-sim", "--start", "16", "--rate", "8",
                         "--duration", "60", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(MemscopeProcessRow) row = NULL;
  g_autoptr(MemscopeProcessRow) stale = NULL;
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  GtkWindow *window;
  GPid pid;
  int out_fd;

  g_assert_true (memscope_host_source_get_default () == host);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);

  window = show_details (&details);
  actions = memscope_inspect_details_get_actions (details);

  /* The pid reused by another process: refused on the host, said so here. */
  stale = row_for (pid, starttime_of (pid) + 1, "ms-host-sim");
  memscope_inspect_details_set_row (details, stale);
  memscope_process_actions_request (actions, SIGKILL);
  confirm (actions);
  wait_until (has_message, actions, 10000, "the host's answer");
  g_assert_true (memscope_process_actions_get_failed (actions));
  g_assert_true (contains (memscope_process_actions_get_message (actions), "already gone"));
  g_assert_false (child_gone (GINT_TO_POINTER (pid)));

  /* The smaps read on the host shows the anonymous memory growing. */
  row = row_for (pid, starttime_of (pid), "ms-host-sim");
  memscope_inspect_details_set_row (details, row);
  wait_until (grown, memscope_inspect_details_get_smaps_view (details), 10000,
              "the anonymous groups to grow");

  /* End, through the host. */
  memscope_process_actions_request (actions, SIGTERM);
  confirm (actions);
  wait_until (has_message, actions, 10000, "the host's answer");
  g_test_message ("%s", memscope_process_actions_get_message (actions));
  g_assert_false (memscope_process_actions_get_failed (actions));
  wait_until (child_gone, GINT_TO_POINTER (pid), 10000, "leak-sim to end");
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

  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_NUMERIC, "C");

  /* The way memscope finds a host probe outside a Flatpak; the real /proc behind it. */
  g_assert_nonnull (probe);
  g_setenv ("MEMSCOPE_HOST_PROBE", probe, TRUE);
  g_unsetenv ("MEMSCOPE_PROC_ROOT");
  host = memscope_host_source_new (&error);
  g_assert_no_error (error);
  memscope_host_source_start (host);
  wait_until (host_running, NULL, 20000, "the host probe");

  g_test_add_func ("/inspect-host/smaps-and-signals", test_through_host);
  rc = g_test_run ();

  memscope_host_source_stop (host);
  g_clear_object (&host);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return rc;
}
