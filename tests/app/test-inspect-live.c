/* SPDX-License-Identifier: MIT */
/* The inspect panel on real processes under Xvfb: a running leak-sim's anonymous memory is seen
 * growing, End with confirmation ends a spawned process, and refusals (not permitted, already
 * gone) are shown.  With --unprivileged the test drops to an unprivileged uid first and signals a
 * root process it cannot signal (tests run as root, so EPERM must be made this way). */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-inspect-details.h"
#include "memscope-process-actions-private.h"
#include "ms-gui-test.h"
#include "parse.h"

#define NOBODY_UID 65534

static pid_t root_target = -1;

typedef struct
{
  MemscopeSmapsView *view;
  gint64             min_growth_kib;
} GrowthWait;

static gboolean
grown (gpointer data)
{
  GrowthWait *wait = data;

  return ms_gui_anonymous_growth_kib (wait->view) >= wait->min_growth_kib;
}

static void
test_leak_sim_grows (void)
{
  g_autoptr(MemscopeProcessRow) row = NULL;
  g_autofree char *first = NULL;
  GPid pid = ms_gui_spawn_leak_sim ("ms-inspect-sim");
  MemscopeInspectDetails *details;
  GtkWindow *window;
  GrowthWait wait;
  gint64 start_us;
  int status;

  window = ms_gui_show_details (&details);
  row = ms_gui_row_new (pid, ms_test_starttime_of (pid), "ms-inspect-sim");
  start_us = g_get_monotonic_time ();
  memscope_inspect_details_set_row (details, row);

  /* The panel opened at the baseline; leak-sim grows 8 MiB/s: its anonymous memory must be seen
   * growing by at least 8 MiB within 10 s (readings every few seconds). */
  wait.view = memscope_inspect_details_get_smaps_view (details);
  wait.min_growth_kib = 8 * 1024;
  ms_gui_wait_until (grown, &wait, 10000, "the anonymous groups to grow");
  g_test_message ("anonymous growth %" G_GINT64_FORMAT " KiB after %.1f s",
                  ms_gui_anonymous_growth_kib (wait.view),
                  (g_get_monotonic_time () - start_us) / 1e6);
  first = memscope_smaps_view_dup_row_text (wait.view, 0);
  g_test_message ("first row: %s", first);
  /* Sorted by growth: the top row is the growing anonymous memory, with a "+". */
  g_assert_true (ms_gui_contains (first, "\t+"));

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  gtk_window_destroy (window);
}

static void
sent_cb (MemscopeProcessActions *actions,
         int                     sig,
         gpointer                data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Runs the main loop until the outcome of the action just asked for is in. */
static void
wait_sent (MemscopeProcessActions *actions,
           void                  (*ask) (MemscopeProcessActions *, gpointer),
           gpointer                ask_data)
{
  gboolean sent = FALSE;
  gulong id = g_signal_connect (actions, "signal-sent", G_CALLBACK (sent_cb), &sent);

  ask (actions, ask_data);
  ms_gui_wait_until (is_set, &sent, 10000, "the signal's outcome");
  g_signal_handler_disconnect (actions, id);
}

static void
respond (MemscopeProcessActions *actions,
         gpointer                response)
{
  gtk_dialog_response (GTK_DIALOG (memscope_process_actions_get_confirmation (actions)),
                       GPOINTER_TO_INT (response));
}

static void
activate (MemscopeProcessActions *actions,
          gpointer                name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), name, NULL));
}

static void
confirm (MemscopeProcessActions *actions,
         int                     response,
         const char             *must_name)
{
  GtkWidget *dialog = memscope_process_actions_get_confirmation (actions);
  g_autofree char *text = NULL;
  g_autofree char *secondary = NULL;

  g_assert_nonnull (dialog);
  g_assert_true (GTK_IS_MESSAGE_DIALOG (dialog));
  g_object_get (dialog, "text", &text, "secondary-text", &secondary, NULL);
  g_test_message ("confirmation: %s / %s", text, secondary);
  g_assert_true (ms_gui_contains (text, must_name));
  if (response == GTK_RESPONSE_ACCEPT)
    wait_sent (actions, respond, GINT_TO_POINTER (response));
  else
    gtk_dialog_response (GTK_DIALOG (dialog), response);
  g_assert_null (memscope_process_actions_get_confirmation (actions));
}

static void
test_end_with_confirmation (void)
{
  pid_t pid = ms_test_spawn_sleeper ();
  g_autoptr(MemscopeProcessRow) row = ms_gui_row_new (pid, ms_test_starttime_of (pid), "sleep");
  g_autofree char *name = g_strdup_printf ("“sleep” (PID %d)", (int) pid);
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  GtkWindow *window = ms_gui_show_details (&details);

  memscope_inspect_details_set_row (details, row);
  actions = memscope_inspect_details_get_actions (details);

  /* Cancelled: nothing is sent and the process lives on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.end", NULL));
  confirm (actions, GTK_RESPONSE_CANCEL, name);
  g_usleep (100 * 1000);
  g_assert_false (ms_gui_child_gone (GINT_TO_POINTER (pid)));
  g_assert_cmpstr (memscope_process_actions_get_message (actions), ==, "");

  /* Confirmed: the process is asked to end, and it does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.end", NULL));
  confirm (actions, GTK_RESPONSE_ACCEPT, name);
  g_assert_false (memscope_process_actions_get_failed (actions));
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "to end"));
  ms_gui_wait_until (ms_gui_child_gone, GINT_TO_POINTER (pid), 10000, "the process to end");

  /* Now it is gone: a second End says so instead of failing silently. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.kill", NULL));
  confirm (actions, GTK_RESPONSE_ACCEPT, name);
  g_assert_true (memscope_process_actions_get_failed (actions));
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "already gone"));

  gtk_window_destroy (window);
}

static char
state_of (pid_t pid)
{
  ms_stat_t st;

  g_assert_true (ms_test_read_stat (pid, &st));
  return st.state;
}

typedef struct
{
  pid_t pid;
  char  state;
} StateWait;

static gboolean
in_state (gpointer data)
{
  StateWait *wait = data;

  return state_of (wait->pid) == wait->state;
}

static void
test_stop_and_continue (void)
{
  pid_t pid = ms_test_spawn_sleeper ();
  g_autoptr(MemscopeProcessRow) row = ms_gui_row_new (pid, ms_test_starttime_of (pid), "sleep");
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  GtkWindow *window = ms_gui_show_details (&details);
  StateWait wait = { pid, 'T' };
  int status;

  memscope_inspect_details_set_row (details, row);
  actions = memscope_inspect_details_get_actions (details);

  /* Stop asks first (stopping the wrong process can freeze a desktop), then freezes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.stop", NULL));
  confirm (actions, GTK_RESPONSE_ACCEPT, "sleep");
  ms_gui_wait_until (in_state, &wait, 5000, "the process to stop");
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "Stopped"));
  /* The next tick shows it stopped: only Continue makes sense now. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.stop", NULL));
  g_assert_nonnull (memscope_process_actions_get_confirmation (actions));
  confirm (actions, GTK_RESPONSE_CANCEL, "sleep");
  ms_gui_row_set_state (row, 'T');
  gtk_widget_activate_action (GTK_WIDGET (actions), "process.stop", NULL);
  g_assert_null (memscope_process_actions_get_confirmation (actions));

  /* Continue needs no confirmation: it only undoes a stop. */
  wait_sent (actions, activate, (gpointer) "process.continue");
  g_assert_null (memscope_process_actions_get_confirmation (actions));
  wait.state = 'S';
  ms_gui_wait_until (in_state, &wait, 5000, "the process to run again");
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "Continued"));

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  gtk_window_destroy (window);
}

static void
test_end_application (void)
{
  pid_t a = ms_test_spawn_sleeper ();
  pid_t b = ms_test_spawn_sleeper ();
  g_autoptr(MemscopeProcessRow) group = memscope_process_row_new_group ("exe:sleep", "Sleepers");
  g_autoptr(MemscopeProcessRow) row_a = ms_gui_row_new (a, ms_test_starttime_of (a), "sleep");
  g_autoptr(MemscopeProcessRow) row_b = ms_gui_row_new (b, ms_test_starttime_of (b), "sleep");
  g_autofree char *name_a = g_strdup_printf ("(PID %d)", (int) a);
  g_autofree char *name_b = g_strdup_printf ("(PID %d)", (int) b);
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  GtkWindow *window = ms_gui_show_details (&details);
  GtkWidget *dialog;
  g_autofree char *text = NULL;
  g_autofree char *secondary = NULL;

  g_list_store_append (memscope_process_row_get_members (group), row_a);
  g_list_store_append (memscope_process_row_get_members (group), row_b);
  memscope_inspect_details_set_row (details, group);
  actions = memscope_inspect_details_get_actions (details);

  /* A group row offers End application only, and its confirmation lists every process. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (actions), "process.kill", NULL)
                  && memscope_process_actions_get_confirmation (actions) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.end-group", NULL));
  dialog = memscope_process_actions_get_confirmation (actions);
  g_assert_nonnull (dialog);
  g_object_get (dialog, "text", &text, "secondary-text", &secondary, NULL);
  g_test_message ("confirmation: %s / %s", text, secondary);
  g_assert_true (ms_gui_contains (text, "Sleepers"));
  g_assert_true (ms_gui_contains (text, "2 processes"));
  g_assert_true (ms_gui_contains (secondary, name_a));
  g_assert_true (ms_gui_contains (secondary, name_b));
  wait_sent (actions, respond, GINT_TO_POINTER (GTK_RESPONSE_ACCEPT));

  g_assert_false (memscope_process_actions_get_failed (actions));
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "2 of 2"));
  ms_gui_wait_until (ms_gui_child_gone, GINT_TO_POINTER (a), 10000, "the first process to end");
  ms_gui_wait_until (ms_gui_child_gone, GINT_TO_POINTER (b), 10000, "the second process to end");

  gtk_window_destroy (window);
}

static void
test_reused_pid_is_gone (void)
{
  pid_t pid = ms_test_spawn_sleeper ();
  /* The same pid with another start time: another process now; it must not be signalled. */
  g_autoptr(MemscopeProcessRow) row = ms_gui_row_new (pid, ms_test_starttime_of (pid) + 1, "sleep");
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  GtkWindow *window = ms_gui_show_details (&details);
  int status;

  memscope_inspect_details_set_row (details, row);
  actions = memscope_inspect_details_get_actions (details);
  memscope_process_actions_request (actions, SIGKILL);
  confirm (actions, GTK_RESPONSE_ACCEPT, "sleep");
  g_assert_true (memscope_process_actions_get_failed (actions));
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "already gone"));
  g_assert_false (ms_gui_child_gone (GINT_TO_POINTER (pid)));

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  gtk_window_destroy (window);
}

static void
test_not_permitted (void)
{
  g_autoptr(MemscopeProcessRow) row = NULL;
  MemscopeInspectDetails *details;
  MemscopeProcessActions *actions;
  GtkWindow *window;

  g_assert_cmpint (root_target, >, 0);
  g_assert_cmpuint (geteuid (), ==, NOBODY_UID);

  window = ms_gui_show_details (&details);
  row = ms_gui_row_new (root_target, ms_test_starttime_of (root_target), "root-target");
  memscope_inspect_details_set_row (details, row);
  actions = memscope_inspect_details_get_actions (details);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (actions), "process.end", NULL));
  confirm (actions, GTK_RESPONSE_ACCEPT, "root-target");

  /* Refused, and said so in the panel: not swallowed. */
  g_assert_true (memscope_process_actions_get_failed (actions));
  g_test_message ("%s", memscope_process_actions_get_message (actions));
  g_assert_true (ms_gui_contains (memscope_process_actions_get_message (actions), "Not permitted"));
  g_assert_false (ms_gui_child_gone (GINT_TO_POINTER (root_target)));

  /* Its mappings cannot be read either: the smaps view says whose they are. */
  {
    MemscopeSmapsView *view = memscope_inspect_details_get_smaps_view (details);

    while (memscope_smaps_view_get_status (view) == NULL
           || ms_gui_contains (memscope_smaps_view_get_status (view), "Reading"))
      g_main_context_iteration (NULL, TRUE);
    g_test_message ("smaps: %s", memscope_smaps_view_get_status (view));
    g_assert_true (ms_gui_contains (memscope_smaps_view_get_status (view), "Another user"));
  }

  gtk_window_destroy (window);
}

/* A root process that lives as long as this one: it polls for its parent, since a parent that
 * changed its credentials no longer gets its children their death signal.  Its output goes
 * nowhere, so it never holds the test's pipes open. */
static pid_t
spawn_root_target (void)
{
  pid_t parent = getpid ();
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_RDWR);

      dup2 (null_fd, STDIN_FILENO);
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      while (getppid () == parent)
        usleep (100 * 1000);
      _exit (0);
    }
  return pid;
}

/* Becomes an unprivileged user, keeping a root-owned sleeper as the process it cannot signal.
 * The sleeper dies with this process (PDEATHSIG). */
static char *
drop_privileges (void)
{
  char *home = g_dir_make_tmp ("ms-inspect-nobody-XXXXXX", NULL);

  g_assert_cmpuint (getuid (), ==, 0);
  root_target = spawn_root_target ();
  g_assert_cmpint (chown (home, NOBODY_UID, NOBODY_UID), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", home, TRUE);
  /* The session bus belongs to root: no one is to try it as another user. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  if (setgroups (0, NULL) != 0 || setresgid (NOBODY_UID, NOBODY_UID, NOBODY_UID) != 0
      || setresuid (NOBODY_UID, NOBODY_UID, NOBODY_UID) != 0)
    g_error ("cannot drop privileges: %s", g_strerror (errno));
  return home;
}

int
main (int   argc,
      char *argv[])
{
  gboolean unprivileged = argc > 1 && g_str_equal (argv[argc - 1], "--unprivileged");
  g_autofree char *home = NULL;
  int rc;

  if (unprivileged)
    {
      argv[--argc] = NULL;
      home = drop_privileges ();
    }
  ms_gui_test_init (&argc, &argv);

  if (unprivileged)
    g_test_add_func ("/inspect-live/not-permitted", test_not_permitted);
  else
    {
      g_test_add_func ("/inspect-live/leak-sim-grows", test_leak_sim_grows);
      g_test_add_func ("/inspect-live/end-with-confirmation", test_end_with_confirmation);
      g_test_add_func ("/inspect-live/stop-and-continue", test_stop_and_continue);
      g_test_add_func ("/inspect-live/end-application", test_end_application);
      g_test_add_func ("/inspect-live/reused-pid-is-gone", test_reused_pid_is_gone);
    }
  rc = g_test_run ();
  /* Its owner now, the unprivileged user removes the home it was given. */
  if (home != NULL)
    ms_test_remove_tree (home);
  return rc;
}
