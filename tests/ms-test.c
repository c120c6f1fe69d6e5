/* SPDX-License-Identifier: MIT */
/* Helpers shared by the GLib test programs. */
#include "config.h"

#include "ms-test.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

char *
ms_test_data_path (const char *relative)
{
  const char *root = g_getenv ("MS_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

char *
ms_test_data_read (const char *relative, gsize *len)
{
  g_autofree char *path = ms_test_data_path (relative);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

gboolean
ms_test_read_stat (pid_t      pid,
                   ms_stat_t *st)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return FALSE;
  return ms_parse_stat (text, len, st) == 0;
}

guint64
ms_test_starttime_of (pid_t pid)
{
  ms_stat_t st;

  g_assert_true (ms_test_read_stat (pid, &st));
  return st.starttime;
}

void
ms_test_ignore_sigpipe (void)
{
  signal (SIGPIPE, SIG_IGN);
}

pid_t
ms_test_spawn_sleeper (void)
{
  gint64 deadline;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* Dies with the test whatever happens to it. */
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      execlp ("sleep", "sleep", "600", (char *) NULL);
      _exit (127);
    }
  /* Until exec has happened the comm is still ours. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/comm", (int) pid);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_has_prefix (comm, "sleep"))
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("the sleeper %d did not exec sleep", (int) pid);
      g_usleep (5 * 1000);
    }
  return pid;
}

void
ms_test_serve (GDBusConnection            *connection,
               const char                 *xml,
               const char                 *path,
               const GDBusInterfaceVTable *vtable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, &error);

  g_assert_no_error (error);
  g_dbus_connection_register_object (connection, path, info->interfaces[0], vtable, NULL, NULL,
                                     &error);
  g_assert_no_error (error);
}

void
ms_test_own_name (GDBusConnection *connection,
                  const char      *name,
                  gboolean         own)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       own ? "RequestName" : "ReleaseName",
                                       own ? g_variant_new ("(su)", name, 0)
                                           : g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1); /* primary owner / released */
}

void
ms_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      ms_test_remove_tree (child);
    }
  g_rmdir (path);
}

gboolean
ms_test_use_translations (void)
{
  const char *localedir = g_getenv ("MS_LOCALEDIR");
  const char *language = g_getenv ("LANGUAGE");

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return language != NULL && g_str_has_prefix (language, "de");
}

void
ms_test_async_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
await_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

GAsyncResult *
ms_test_await (GAsyncResult **result,
               guint          timeout_s)
{
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, await_deadline_cb, &late);

  while (*result == NULL && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (id);
  g_assert_nonnull (*result);
  return *result;
}
