/* SPDX-License-Identifier: MIT */
/* The Flatpak path against a stand-in for the Flatpak portal on a private session bus: the host
 * probe is started with HostCommand from the app-path of a flatpak-info file, with the watch-bus
 * flag, its exit arrives as HostCommandExited, and stopping it signals it through
 * HostCommandSignal.  A remote's one-off commands (uname, the probe copy) and its stream run ssh
 * through HostCommand too, a stand-in ssh that runs the remote command here. */

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-host-command-private.h"
#include "memscope-host-source.h"
#include "memscope-remote-private.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define WAIT_S 15

static GDBusConnection *bus;
static char **last_argv;
static guint32 last_flags;
static guint n_signals_asked;
static int last_signal;
static guint n_commands;
static guint32 last_pid;
static guint n_exits;
static guint32 last_exit_pid;
static int last_exit_status;
/* Answers HostCommand as the bus does when nobody provides org.freedesktop.Flatpak. */
static gboolean answer_service_unknown;
/* Waits for the command and says it exited before answering with its pid. */
static gboolean exit_before_reply;

/* ssh's stand-in: runs the remote command (its last argument) on this machine. */
static const char fake_ssh[] =
  "#!/bin/sh\n"
  "for a in \"$@\"; do c=\"$a\"; done\n"
  "exec sh -c \"$c\"\n";

static void
child_exited_cb (GPid     pid,
                 int      wait_status,
                 gpointer data)
{
  g_autoptr(GError) error = NULL;

  n_exits++;
  last_exit_pid = (guint32) pid;
  last_exit_status = wait_status;
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Flatpak/Development",
                                 "org.freedesktop.Flatpak.Development", "HostCommandExited",
                                 g_variant_new ("(uu)", (guint32) pid, (guint32) wait_status),
                                 &error);
  g_assert_no_error (error);
}

/* What flatpak-session-helper does, minus the sandbox: runs argv with the given descriptors,
 * found on PATH, and answers a spawn failure with its D-Bus errors. */
static void
host_command (GDBusMethodInvocation *invocation,
              GVariant              *parameters)
{
  GUnixFDList *fds = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));
  g_autoptr(GVariant) argv_v = NULL;
  g_autoptr(GVariant) fd_map = NULL;
  g_autoptr(GVariant) envs = NULL;
  g_autoptr(GError) error = NULL;
  const char *cwd;
  int child_fds[3] = { -1, -1, -1 };
  GVariantIter iter;
  guint32 target;
  gint32 handle;
  GPid pid;

  if (answer_service_unknown)
    {
      g_dbus_method_invocation_return_dbus_error (invocation,
                                                  "org.freedesktop.DBus.Error.ServiceUnknown",
                                                  "The name org.freedesktop.Flatpak was not "
                                                  "provided by any .service files");
      return;
    }
  g_variant_get (parameters, "(^&ay@aay@a{uh}@a{ss}u)", &cwd, &argv_v, &fd_map, &envs,
                 &last_flags);
  n_commands++;
  g_strfreev (last_argv);
  last_argv = g_variant_dup_bytestring_array (argv_v, NULL);
  g_variant_iter_init (&iter, fd_map);
  while (g_variant_iter_next (&iter, "{uh}", &target, &handle))
    {
      g_assert_cmpuint (target, <, 3);
      child_fds[target] = g_unix_fd_list_get (fds, handle, &error);
      g_assert_no_error (error);
    }
  if (!g_spawn_async_with_pipes_and_fds (cwd, (const char * const *) last_argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH, NULL,
                                         NULL, child_fds[0], child_fds[1], child_fds[2], NULL,
                                         NULL, 0, &pid, NULL, NULL, NULL, &error))
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             g_error_matches (error, G_SPAWN_ERROR,
                                                              G_SPAWN_ERROR_NOENT)
                                             ? G_DBUS_ERROR_FILE_NOT_FOUND : G_DBUS_ERROR_FAILED,
                                             "Failed to start command: %s", error->message);
    }
  else
    {
      last_pid = (guint32) pid;
      if (exit_before_reply)
        {
          int wait_status = 0;

          g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
          child_exited_cb (pid, wait_status, NULL);
        }
      else
        g_child_watch_add (pid, child_exited_cb, NULL);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", (guint32) pid));
    }
  for (guint i = 0; i < 3; i++)
    if (child_fds[i] >= 0)
      close (child_fds[i]);
}

static void
method_cb (GDBusConnection       *connection,
           const char            *sender,
           const char            *path,
           const char            *iface,
           const char            *method,
           GVariant              *parameters,
           GDBusMethodInvocation *invocation,
           gpointer               data)
{
  if (g_strcmp0 (method, "HostCommand") == 0)
    host_command (invocation, parameters);
  else if (g_strcmp0 (method, "HostCommandSignal") == 0)
    {
      guint32 pid, sig;
      gboolean group;

      g_variant_get (parameters, "(uub)", &pid, &sig, &group);
      n_signals_asked++;
      last_signal = (int) sig;
      kill ((pid_t) pid, (int) sig);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.UnknownMethod",
                                                method);
}

static void
start_portal (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.Flatpak.Development'>"
    "<method name='HostCommand'><arg type='ay' direction='in'/><arg type='aay' direction='in'/>"
    "<arg type='a{uh}' direction='in'/><arg type='a{ss}' direction='in'/>"
    "<arg type='u' direction='in'/><arg type='u' direction='out'/></method>"
    "<method name='HostCommandSignal'><arg type='u' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='b' direction='in'/></method>"
    "<signal name='HostCommandExited'><arg type='u'/><arg type='u'/></signal>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { method_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  ms_test_serve (bus, xml, "/org/freedesktop/Flatpak/Development", &vtable);
  ms_test_own_name (bus, "org.freedesktop.Flatpak", TRUE);
}

static gboolean
wait_for_state (MemscopeHostSource *source,
                MemscopeHostState   state)
{
  return ms_gui_wait_for_host_state (source, state, WAIT_S * 1000);
}

static gboolean
has_pid (gpointer source)
{
  return memscope_host_source_get_probe_pid (source) != 0;
}

/* The probe's output can come before the portal's reply with its pid. */
static guint
wait_for_pid (MemscopeHostSource *source)
{
  ms_gui_poll_until (has_pid, source, WAIT_S * 1000);
  return memscope_host_source_get_probe_pid (source);
}

static void
snapshot_cb (MemscopeHostSource *source,
             MemscopeSnapshot   *snapshot,
             guint              *n)
{
  (*n)++;
}

static void
test_host_command (void)
{
  g_autofree char *dir = g_dir_make_tmp ("memscope-flatpak-XXXXXX", NULL);
  g_autofree char *bin = g_build_filename (dir, "bin", NULL);
  g_autofree char *probe = g_build_filename (bin, "memscope-probe", NULL);
  g_autofree char *info = g_build_filename (dir, "flatpak-info", NULL);
  g_autofree char *info_text = g_strdup_printf ("[Application]\nname=io.github.memscope.Memscope\n"
                                                "\n[Instance]\napp-path=%s\n", dir);
  g_autoptr(MemscopeHostSource) source = NULL;
  g_autoptr(GError) error = NULL;
  guint n_snapshots = 0;
  guint pid;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir (bin, 0755), ==, 0);
  g_assert_cmpint (symlink (g_getenv ("MS_PROBE"), probe), ==, 0);
  g_assert_true (g_file_set_contents (info, info_text, -1, NULL));

  source = memscope_host_source_new_for_flatpak_info (info, &error);
  g_assert_no_error (error);
  g_test_message ("starting");
  g_signal_connect (source, "snapshot", G_CALLBACK (snapshot_cb), &n_snapshots);
  memscope_host_source_start (source);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_RUNNING));

  /* The deployed probe, run as the stream, ended with this app's bus connection. */
  g_assert_nonnull (last_argv);
  g_assert_cmpstr (last_argv[0], ==, probe);
  g_assert_cmpstr (last_argv[1], ==, "stream");
  g_assert_null (last_argv[2]);
  g_assert_cmpuint (last_flags, ==, 2);
  {
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (n_snapshots == 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (n_snapshots, >, 0);
  g_test_message ("running, %u snapshots", n_snapshots);

  /* Its death is told by HostCommandExited. */
  pid = wait_for_pid (source);
  g_assert_cmpuint (pid, >, 0);
  g_assert_cmpint (kill ((pid_t) pid, SIGKILL), ==, 0);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_FAILED));
  g_test_message ("failed: %s", memscope_host_source_get_error (source));
  g_assert_nonnull (strstr (memscope_host_source_get_error (source), "signal 9"));

  /* Retry starts it again; stopping asks the portal to signal it. */
  memscope_host_source_retry (source);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_RUNNING));
  g_assert_cmpuint (memscope_host_source_get_n_starts (source), ==, 2);
  g_assert_cmpuint (n_signals_asked, ==, 0);
  g_assert_cmpuint (wait_for_pid (source), >, 0);
  memscope_host_source_stop (source);
  {
    gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

    while (n_signals_asked == 0 && g_get_monotonic_time () < end)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (2000);
      }
  }
  g_assert_cmpuint (n_signals_asked, ==, 1);
  g_assert_cmpint (last_signal, ==, SIGTERM);

  g_assert_cmpint (g_unlink (probe), ==, 0);
  g_assert_cmpint (g_rmdir (bin), ==, 0);
  g_assert_cmpint (g_unlink (info), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A flatpak-info file without an app-path is refused with the reason. */
static void
test_bad_info (void)
{
  g_autofree char *dir = g_dir_make_tmp ("memscope-flatpak-XXXXXX", NULL);
  g_autofree char *info = g_build_filename (dir, "flatpak-info", NULL);
  g_autoptr(GError) error = NULL;
  MemscopeHostSource *source;

  g_assert_true (g_file_set_contents (info, "[Instance]\nbranch=stable\n", -1, NULL));
  source = memscope_host_source_new_for_flatpak_info (info, &error);
  g_assert_null (source);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (info), ==, 0);

  source = memscope_host_source_new_for_flatpak_info (info, &error);
  g_assert_null (source);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A remote's commands through HostCommand ---------------------------------------------------- */

static char *fake_dir;

static gboolean
counter_reached (gpointer data)
{
  const guint *counter = ((const guint **) data)[0];
  const guint *target = ((const guint **) data)[1];

  return *counter >= *target;
}

/* Runs the main loop until the stand-in has counted target (calls, signals, exits). */
static void
wait_for_count (const guint *counter,
                guint        target)
{
  const guint *pair[] = { counter, &target };

  g_assert_true (ms_gui_wait_for (counter_reached, pair, WAIT_S * 1000));
}

static char *
run_remote (const char *command,
            GBytes     *input,
            GError    **error)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse ("far-box", NULL);
  g_autoptr(GAsyncResult) result = NULL;

  memscope_remote_run_async (dest, command, input, NULL, ms_test_async_done_cb, &result);
  return memscope_remote_run_finish (ms_test_await (&result, WAIT_S), error);
}

/* ssh's command line reaches the helper whole, and what the command says comes back. */
static void
test_remote_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("to the remote\n", 14);
  g_autofree char *local_uname = NULL;
  g_autofree char *out = NULL;
  guint before = n_commands;
  guint n;

  g_assert_true (g_spawn_command_line_sync ("uname -sm", &local_uname, NULL, NULL, NULL));
  out = run_remote ("uname -sm", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, local_uname);
  g_assert_cmpuint (n_commands, ==, before + 1);
  n = g_strv_length (last_argv);
  g_assert_cmpstr (last_argv[0], ==, "ssh");
  g_assert_cmpstr (last_argv[n - 3], ==, "far-box");
  g_assert_cmpstr (last_argv[n - 1], ==, "uname -sm");
  g_assert_cmpuint (last_flags, ==, 2);
  g_clear_pointer (&out, g_free);

  /* Its stdin is ours. */
  out = run_remote ("cat", input, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "to the remote\n");
  g_clear_pointer (&out, g_free);

  /* Its exit status (HostCommandExited) and stderr are classified as ssh's own would be. */
  out = run_remote ("echo lost >&2; exit 3", NULL, &error);
  g_test_message ("%s", error != NULL ? error->message : "(ok)");
  g_assert_null (out);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_PROBE_ENDED);
  g_assert_nonnull (strstr (error->message, "far-box ended with status 3: lost"));
  g_clear_error (&error);
  g_assert_true (WIFEXITED (last_exit_status) && WEXITSTATUS (last_exit_status) == 3);

  out = run_remote ("echo 'memscope-probe: not found' >&2; exit 117", NULL, &error);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_NO_PROBE);
  g_clear_error (&error);
}

/* An exit told before the helper's answer is kept until the answer names its pid. */
static void
test_remote_early_exit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint exits_before = n_exits;

  exit_before_reply = TRUE;
  out = run_remote ("echo early", NULL, &error);
  exit_before_reply = FALSE;
  /* Had the exit been lost, the run would have waited for it and timed out. */
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "early\n");
  /* At least this command's exit: an earlier test's command may be reaped during the run. */
  g_assert_cmpuint (n_exits, >=, exits_before + 1);
}

/* The copy's two commands (uname, then the probe piped into cat) both run through HostCommand. */
static void
test_remote_copy (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse ("far-box", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = g_build_filename (fake_dir, "cache", "memscope", "memscope-probe",
                                              NULL);
  const char *probe = g_getenv ("MS_PROBE");
  guint before = n_commands;
  struct stat local, remote;

  memscope_remote_copy_probe_async (dest, probe, NULL, ms_test_async_done_cb, &result);
  g_assert_true (memscope_remote_copy_probe_finish (ms_test_await (&result, WAIT_S), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_commands, ==, before + 2);
  g_assert_cmpstr (last_argv[0], ==, "ssh");
  g_assert_nonnull (strstr (last_argv[g_strv_length (last_argv) - 1], "cat > "));
  g_assert_cmpint (stat (probe, &local), ==, 0);
  g_assert_cmpint (stat (copied, &remote), ==, 0);
  g_assert_cmpint (remote.st_size, ==, local.st_size);
  g_assert_cmpint (remote.st_mode & 0777, ==, 0755);
}

/* Cancelling or running out of time asks the helper to kill ssh, which ends it; a cancel before
 * the helper said the pid is sent once it does. */
static void
test_remote_cancel (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse ("far-box", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint early = 0; early < 2; early++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      guint signals_before = n_signals_asked;
      guint exits_before = n_exits;
      gint64 start = g_get_monotonic_time ();

      memscope_remote_run_async (dest, "exec sleep 60", NULL, cancellable, ms_test_async_done_cb,
                                 &result);
      if (!early)
        wait_for_count (&n_commands, n_commands + 1);
      g_cancellable_cancel (cancellable);
      out = memscope_remote_run_finish (ms_test_await (&result, WAIT_S), &error);
      g_assert_null (out);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_cmpuint (n_signals_asked, ==, signals_before + 1);
      g_assert_cmpint (last_signal, ==, SIGKILL);
      wait_for_count (&n_exits, exits_before + 1);
      g_assert_cmpuint (last_exit_pid, ==, last_pid);
      g_assert_true (WIFSIGNALED (last_exit_status) && WTERMSIG (last_exit_status) == SIGKILL);
      g_test_message ("cancelled %s the pid was known, in %.2f s", early ? "before" : "after",
                      (g_get_monotonic_time () - start) / 1e6);
    }

  {
    guint signals_before = n_signals_asked;

    memscope_remote_set_timeout_for_testing (1);
    out = run_remote ("exec sleep 60", NULL, &error);
    memscope_remote_set_timeout_for_testing (0);
    g_assert_null (out);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_nonnull (strstr (error->message, "far-box did not finish within 1 second"));
    g_assert_cmpuint (n_signals_asked, ==, signals_before + 1);
    g_assert_cmpint (last_signal, ==, SIGKILL);
  }
}

/* A helper that cannot be reached, or a host without ssh, is said in words. */
static void
test_remote_no_helper (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *empty = g_build_filename (fake_dir, "empty", NULL);

  answer_service_unknown = TRUE;
  out = run_remote ("uname -sm", NULL, &error);
  answer_service_unknown = FALSE;
  g_test_message ("%s", error != NULL ? error->message : "(ok)");
  g_assert_null (out);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_OTHER);
  g_assert_nonnull (strstr (error->message, "Cannot start ssh to reach far-box"));
  g_assert_nonnull (strstr (error->message, "Flatpak sandbox"));
  g_assert_nonnull (strstr (error->message, "was not provided by any .service files"));
  g_clear_error (&error);

  /* The helper finds no ssh on the host's PATH. */
  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_setenv ("PATH", empty, TRUE);
  out = run_remote ("uname -sm", NULL, &error);
  g_setenv ("PATH", old_path, TRUE);
  g_test_message ("%s", error != NULL ? error->message : "(ok)");
  g_assert_null (out);
  g_assert_error (error, MEMSCOPE_REMOTE_ERROR, MEMSCOPE_REMOTE_FAULT_NO_CLIENT);
  g_assert_nonnull (strstr (error->message, "No ssh client is installed"));
}

/* A remote's stream: ssh runs on the host too, and stopping the source signals it there. */
static void
test_remote_stream (void)
{
  g_autoptr(MemscopeRemoteDestination) dest = memscope_remote_destination_parse ("far-box", NULL);
  g_autoptr(MemscopeHostSource) source = memscope_host_source_new_for_destination (dest);
  guint before = n_commands;
  guint signals_before = n_signals_asked;

  memscope_host_source_start (source);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_RUNNING));
  g_assert_cmpuint (n_commands, ==, before + 1);
  g_assert_cmpstr (last_argv[0], ==, "ssh");
  g_assert_cmpstr (last_argv[g_strv_length (last_argv) - 1], ==,
                   memscope_remote_get_stream_command ());
  g_assert_cmpuint (wait_for_pid (source), ==, last_pid);
  memscope_host_source_stop (source);
  wait_for_count (&n_signals_asked, signals_before + 1);
  g_assert_cmpint (last_signal, ==, SIGTERM);

  /* A helper that does not answer is said as for the one-off commands, and retried. */
  answer_service_unknown = TRUE;
  memscope_host_source_start (source);
  g_assert_true (wait_for_state (source, MEMSCOPE_HOST_STATE_FAILED));
  answer_service_unknown = FALSE;
  g_test_message ("%s", memscope_host_source_get_error (source));
  g_assert_nonnull (strstr (memscope_host_source_get_error (source),
                            "Cannot start ssh to reach far-box"));
  g_assert_nonnull (strstr (memscope_host_source_get_error (source), "Flatpak sandbox"));
  g_assert_cmpint (memscope_host_source_get_failure (source), ==,
                   MEMSCOPE_HOST_FAILURE_CONNECTION);
  g_assert_cmpuint (memscope_host_source_get_retry_delay_s (source), >, 0);
  memscope_host_source_stop (source);
}

int
main (int argc, char **argv)
{
  int rc;

  ms_test_ignore_sigpipe ();
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("MS_PROBE"));
  start_portal ();

  /* The remote tests: ssh is the stand-in, the remote's cache a directory of the test's. */
  fake_dir = g_dir_make_tmp ("memscope-flatpak-ssh-XXXXXX", NULL);
  g_assert_nonnull (fake_dir);
  {
    g_autofree char *ssh = g_build_filename (fake_dir, "ssh", NULL);
    g_autofree char *cache = g_build_filename (fake_dir, "cache", NULL);
    g_autofree char *path = g_strdup_printf ("%s:%s", fake_dir, g_getenv ("PATH"));

    g_autofree char *probe = g_build_filename (fake_dir, "memscope-probe", NULL);

    g_assert_true (g_file_set_contents (ssh, fake_ssh, -1, NULL));
    g_assert_cmpint (g_chmod (ssh, 0755), ==, 0);
    g_assert_cmpint (symlink (g_getenv ("MS_PROBE"), probe), ==, 0);
    g_setenv ("PATH", path, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    g_unsetenv ("MEMSCOPE_SSH_CONFIG");
  }
  memscope_host_command_set_wanted_for_testing (TRUE);

  g_test_add_func ("/host-flatpak/host-command", test_host_command);
  g_test_add_func ("/host-flatpak/bad-info", test_bad_info);
  g_test_add_func ("/host-flatpak/remote-run", test_remote_run);
  g_test_add_func ("/host-flatpak/remote-early-exit", test_remote_early_exit);
  g_test_add_func ("/host-flatpak/remote-copy", test_remote_copy);
  g_test_add_func ("/host-flatpak/remote-cancel", test_remote_cancel);
  g_test_add_func ("/host-flatpak/remote-no-helper", test_remote_no_helper);
  g_test_add_func ("/host-flatpak/remote-stream", test_remote_stream);

  rc = g_test_run ();
  ms_test_remove_tree (fake_dir);
  g_free (fake_dir);
  g_strfreev (last_argv);
  g_clear_object (&bus);
  return rc;
}
