/* SPDX-License-Identifier: MIT */
/* Helpers shared by the GLib test programs. */
#include "config.h"

#include "ms-test.h"

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
