/* SPDX-License-Identifier: MIT */
/* The Flatpak path of the host source against a stand-in for the Flatpak portal on a private
 * session bus: the probe is started with HostCommand from the app-path of a flatpak-info file,
 * with the watch-bus flag, its exit arrives as HostCommandExited, and stopping it signals it
 * through HostCommandSignal. */

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "memscope-host-source.h"
#include "ms-gui-test.h"
#include "ms-test.h"

#define WAIT_S 15

static GDBusConnection *bus;
static char **last_argv;
static guint32 last_flags;
static guint n_signals_asked;
static int last_signal;

static void
child_exited_cb (GPid     pid,
                 int      wait_status,
                 gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_spawn_close_pid (pid);
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Flatpak/Development",
                                 "org.freedesktop.Flatpak.Development", "HostCommandExited",
                                 g_variant_new ("(uu)", (guint32) pid, (guint32) wait_status),
                                 &error);
  g_assert_no_error (error);
}

/* What flatpak-session-helper does, minus the sandbox: runs argv with the given descriptors. */
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

  g_variant_get (parameters, "(^&ay@aay@a{uh}@a{ss}u)", &cwd, &argv_v, &fd_map, &envs,
                 &last_flags);
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
                                         G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, child_fds[0],
                                         child_fds[1], child_fds[2], NULL, NULL, 0, &pid, NULL,
                                         NULL, NULL, &error))
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
    }
  else
    {
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

int
main (int argc, char **argv)
{
  int rc;

  ms_test_ignore_sigpipe ();
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("MS_PROBE"));
  start_portal ();

  g_test_add_func ("/host-flatpak/host-command", test_host_command);
  g_test_add_func ("/host-flatpak/bad-info", test_bad_info);

  rc = g_test_run ();
  g_strfreev (last_argv);
  g_clear_object (&bus);
  return rc;
}
