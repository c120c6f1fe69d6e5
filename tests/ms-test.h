/* SPDX-License-Identifier: MIT */
/* Helpers shared by the GLib test programs. */
#pragma once

#include <glib.h>

/* Absolute path of a file or folder under tests/data. Free with g_free. */
char *ms_test_data_path (const char *relative);

/* Reads a file under tests/data into a NUL-terminated buffer; fails the test when missing. */
char *ms_test_data_read (const char *relative, gsize *len);
