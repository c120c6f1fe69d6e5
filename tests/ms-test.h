/* SPDX-License-Identifier: MIT */
/* Helpers shared by the GLib test programs. */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include "parse.h"

/* Absolute path of a file or folder under tests/data. Free with g_free. */
char *ms_test_data_path (const char *relative);

/* Reads a file under tests/data into a NUL-terminated buffer; fails the test when missing. */
char *ms_test_data_read (const char *relative, gsize *len);

/* Sets the locale from the environment and binds this package's translations (from
 * $MS_LOCALEDIR, the build's, when set), as main() does; TRUE when $LANGUAGE asks for German. */
gboolean ms_test_use_translations (void);

/* Ignores SIGPIPE, as memscope's main() does: a probe that dies while a request is on its way
 * must end the request with an error, not the test program.  Every program that drives a host
 * source or a stream calls it first. */
void ms_test_ignore_sigpipe (void);

/* A GAsyncReadyCallback that stores a reference to the result in *(GAsyncResult **) data. */
void ms_test_async_done_cb (GObject *object, GAsyncResult *result, gpointer data);

/* Iterates the main context until *result is set (by ms_test_async_done_cb); fails the test
 * after timeout_s.  Returns *result. */
GAsyncResult *ms_test_await (GAsyncResult **result, guint timeout_s);

/* Removes a directory and everything under it (symbolic links themselves, not what they point
 * to); what is already gone is no error. */
void ms_test_remove_tree (const char *path);

/* Reads /proc/PID/stat with the core's parser; FALSE when it is gone or unreadable. */
gboolean ms_test_read_stat (pid_t pid, ms_stat_t *st);

/* The start time (field 22 of stat) of a live process; fails the test when it is gone. */
guint64 ms_test_starttime_of (pid_t pid);

/* A child running sleep(1), returned once it has exec'd (its comm is "sleep"); it dies with the
 * test (PDEATHSIG).  The caller ends and reaps it. */
pid_t ms_test_spawn_sleeper (void);

/* Serves the first interface of the introspection xml at path on connection, as a stand-in for a
 * desktop service on a test's private bus; fails the test on error. */
void ms_test_serve (GDBusConnection            *connection,
                    const char                 *xml,
                    const char                 *path,
                    const GDBusInterfaceVTable *vtable);

/* Takes (own) or gives up the well-known name on connection; fails the test unless it becomes
 * the primary owner or gives it up. */
void ms_test_own_name (GDBusConnection *connection,
                       const char      *name,
                       gboolean         own);
