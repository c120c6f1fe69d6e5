/* SPDX-License-Identifier: MIT */
/* "Start at login" writes a valid autostart entry that starts memscope in the background. */

#include "config.h"

#include <glib/gstdio.h>

#include "memscope-autostart.h"

static void
test_write_and_remove (void)
{
  g_autofree char *path = memscope_autostart_dup_path ();
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  const char *argv[] = { "desktop-file-validate", path, NULL };
  int status = -1;

  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
  g_assert_true (g_str_has_suffix (path, "/autostart/" APP_ID ".desktop"));

  /* Removing what is not there is fine. */
  g_assert_false (memscope_autostart_get ());
  g_assert_true (memscope_autostart_set (FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (memscope_autostart_set (TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (memscope_autostart_get ());
  g_assert_true (g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                                &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (exec, "/memscope --background"));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  /* Writing twice keeps one entry; removing removes it. */
  g_assert_true (memscope_autostart_set (TRUE, &error));
  g_assert_true (memscope_autostart_set (FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (memscope_autostart_get ());
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("memscope-autostart-XXXXXX", NULL);
  g_autofree char *autostart = NULL;
  int status;

  /* Before GLib reads it and caches it. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/autostart/write-and-remove", test_write_and_remove);
  status = g_test_run ();

  autostart = g_build_filename (config, "autostart", NULL);
  g_rmdir (autostart);
  g_rmdir (config);
  return status;
}
