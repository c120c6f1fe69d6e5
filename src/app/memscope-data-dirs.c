/* SPDX-License-Identifier: MIT */
/* Where memscope's translations and icons are: where it is installed, or in the build tree it
 * runs from. */

#include "config.h"

#include "memscope-data-dirs-private.h"

char *
memscope_data_dirs_find_build_root (const char *program)
{
  g_autofree char *app_dir = NULL;
  g_autofree char *src_dir = NULL;
  g_autofree char *app_name = NULL;
  g_autofree char *src_name = NULL;
  g_autofree char *root = NULL;
  g_autofree char *marker = NULL;

  g_return_val_if_fail (program != NULL, NULL);

  if (!g_path_is_absolute (program))
    return NULL;
  app_dir = g_path_get_dirname (program);
  src_dir = g_path_get_dirname (app_dir);
  app_name = g_path_get_basename (app_dir);
  src_name = g_path_get_basename (src_dir);
  if (g_strcmp0 (app_name, "app") != 0 || g_strcmp0 (src_name, "src") != 0)
    return NULL;
  /* meson writes meson-info.json into every build directory it sets up; an installed prefix
   * never has one beside src/app. */
  root = g_path_get_dirname (src_dir);
  marker = g_build_filename (root, "meson-info", "meson-info.json", NULL);
  if (!g_file_test (marker, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer (&root);
}

const char *
memscope_data_dirs_get_build_root (void)
{
  static char *root;
  static gsize looked;

  if (g_once_init_enter (&looked))
    {
      g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

      root = program != NULL ? memscope_data_dirs_find_build_root (program) : NULL;
      g_once_init_leave (&looked, 1);
    }
  return root;
}

const char *
memscope_data_dirs_get_locale_dir (void)
{
  static char *dir;
  static gsize found;

  if (g_once_init_enter (&found))
    {
      const char *root = memscope_data_dirs_get_build_root ();

      dir = root != NULL ? g_build_filename (root, "po", NULL) : g_strdup (LOCALEDIR);
      g_once_init_leave (&found, 1);
    }
  return dir;
}

const char *
memscope_data_dirs_get_icon_theme_dir (void)
{
  static char *dir;
  static gsize found;

  if (g_once_init_enter (&found))
    {
      const char *root = memscope_data_dirs_get_build_root ();

      dir = root != NULL ? g_build_filename (root, "data", "icons", NULL)
                         : g_build_filename (DATADIR, "icons", NULL);
      g_once_init_leave (&found, 1);
    }
  return dir;
}
