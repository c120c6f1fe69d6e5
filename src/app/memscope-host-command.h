/* SPDX-License-Identifier: MIT */
/* Runs a command on the host from inside a Flatpak, through the Flatpak session helper's
 * HostCommand (org.freedesktop.Flatpak.Development), with descriptors of this process as its
 * stdin, stdout and stderr.  GTK-free. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_HOST_COMMAND (memscope_host_command_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeHostCommand, memscope_host_command, MEMSCOPE, HOST_COMMAND, GObject)

/* Whether commands that belong to the user's machine (the host probe, ssh) must run on the host:
 * inside a Flatpak (/.flatpak-info exists).  Decided once per process. */
gboolean             memscope_host_command_wanted      (void);

/* Asks the session helper to run argv on the host, in "/", with stdin_fd, stdout_fd and
 * stderr_fd (-1: this process's stderr) as its 0, 1 and 2, ended when this process's bus
 * connection goes away.  The descriptors are sent as copies: the caller closes its own.  NULL with
 * error when the session bus cannot be reached.  The helper's answer comes later, in the thread
 * default main context: "spawned" with the host pid, or "spawn-failed" with the D-Bus error
 * (HostCommand failed, or the helper is not there); then "exited" with the wait status.
 * Cancelling cancellable drops the answer (nothing more is emitted). */
MemscopeHostCommand *memscope_host_command_spawn       (const char * const  *argv,
                                                        int                  stdin_fd,
                                                        int                  stdout_fd,
                                                        int                  stderr_fd,
                                                        GCancellable        *cancellable,
                                                        GError             **error);

/* The command's pid on the host, 0 until the helper said it. */
guint32              memscope_host_command_get_pid     (MemscopeHostCommand *self);
/* Whether "exited" was emitted; its wait status in *wait_status (may be NULL). */
gboolean             memscope_host_command_has_exited  (MemscopeHostCommand *self,
                                                        int                 *wait_status);
/* Sends sig to the command through HostCommandSignal: now, or as soon as its pid is known; not
 * after it exited or failed to start. */
void                 memscope_host_command_send_signal (MemscopeHostCommand *self,
                                                        int                  sig);

G_END_DECLS
