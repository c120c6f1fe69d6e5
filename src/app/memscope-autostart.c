/* SPDX-License-Identifier: MIT */
/* "Start at login": writes or removes memscope's XDG autostart entry. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "memscope-autostart.h"

char *
memscope_autostart_dup_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

gboolean
memscope_autostart_get (void)
{
  g_autofree char *path = memscope_autostart_dup_path ();

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The Exec key's quoting rules: reserved characters need the whole argument in double quotes. */
static char *
exec_quote (const char *arg)
{
  g_autoptr(GString) quoted = NULL;

  if (strpbrk (arg, " \t\n\"'\\><~|&;$*?#()`") == NULL)
    return g_strdup (arg);
  quoted = g_string_new ("\"");
  for (const char *c = arg; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '`' || *c == '$' || *c == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *c);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

gboolean
memscope_autostart_set (gboolean   enabled,
                        GError   **error)
{
  g_autofree char *path = memscope_autostart_dup_path ();
  g_autofree char *dir = NULL;
  g_autofree char *program = NULL;
  g_autofree char *exec = NULL;
  g_autoptr(GKeyFile) entry = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Cannot remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  program = exec_quote (BINDIR "/memscope");
  exec = g_strconcat (program, " --background", NULL);
  entry = g_key_file_new ();
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE,
                         G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME,
                         "memscope");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         "Watch memory in the background and warn about leaking processes");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY,
                          TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  return g_key_file_save_to_file (entry, path, error);
}
