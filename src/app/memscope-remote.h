/* SPDX-License-Identifier: MIT */
/* Another machine over the user's own OpenSSH client: destinations, the ssh command lines that
 * start memscope-probe there, what ssh's failures mean, and copying the static probe.  GTK-free. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The remote command's exit status when neither a memscope-probe on the remote PATH nor one in
 * the remote cache directory can be run.  ssh passes the remote status through. */
#define MEMSCOPE_REMOTE_EXIT_NO_PROBE 117
/* memscope-probe stream's exit status when the peer speaks another major protocol version. */
#define MEMSCOPE_REMOTE_EXIT_PROBE_VERSION 3
/* ssh's own exit status for its failures (connection, host key, authentication). */
#define MEMSCOPE_REMOTE_EXIT_SSH 255
/* ssh is asked to give up connecting after this long, so every fault is reported within 10 s. */
#define MEMSCOPE_REMOTE_CONNECT_TIMEOUT_S 8

/* Why a connection to another machine failed; also the codes of MEMSCOPE_REMOTE_ERROR. */
typedef enum
{
  MEMSCOPE_REMOTE_FAULT_NONE,              /* it did not fail (exit status 0) */
  MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION, /* the destination cannot be used */
  MEMSCOPE_REMOTE_FAULT_REFUSED,           /* nothing listens on that port */
  MEMSCOPE_REMOTE_FAULT_UNREACHABLE,       /* timed out, no route, network down */
  MEMSCOPE_REMOTE_FAULT_UNRESOLVED,        /* the name does not resolve */
  MEMSCOPE_REMOTE_FAULT_HOST_KEY_CHANGED,  /* the host key differs from known_hosts */
  MEMSCOPE_REMOTE_FAULT_HOST_KEY_UNKNOWN,  /* the host is not in known_hosts */
  MEMSCOPE_REMOTE_FAULT_AUTH_REFUSED,      /* no key (or method) was accepted */
  MEMSCOPE_REMOTE_FAULT_NO_CLIENT,         /* no ssh program on this machine */
  MEMSCOPE_REMOTE_FAULT_NO_PROBE,          /* no memscope-probe on the remote */
  MEMSCOPE_REMOTE_FAULT_PROBE_VERSION,     /* the remote probe speaks another protocol version */
  MEMSCOPE_REMOTE_FAULT_DROPPED,           /* the connection was lost */
  MEMSCOPE_REMOTE_FAULT_PROBE_ENDED,       /* the remote probe exited or was killed */
  MEMSCOPE_REMOTE_FAULT_ARCH_MISMATCH,     /* copying: the remote runs another architecture */
  MEMSCOPE_REMOTE_FAULT_NO_STATIC_PROBE,   /* copying: this installation has no static probe */
  MEMSCOPE_REMOTE_FAULT_COPY_FAILED,       /* copying: the remote could not store it */
  MEMSCOPE_REMOTE_FAULT_OTHER,             /* ssh failed for another reason (its words kept) */
} MemscopeRemoteFault;

#define MEMSCOPE_REMOTE_ERROR (memscope_remote_error_quark ())
GQuark memscope_remote_error_quark (void);

/* A parsed destination.  host never has brackets ("::1" for "[::1]"); user is NULL when not
 * given (ssh then takes it from its config or the local user name); port 0 when not given. */
typedef struct
{
  char    *user;
  char    *host;
  guint16  port;
} MemscopeRemoteDestination;

/* Parses DESTINATION in ssh's forms: `[USER@]HOST` (HOST may be an ssh config alias, a name, an
 * IPv4 address, an IPv6 address bare or in brackets), or `ssh://[USER@]HOST[:PORT][/]` (IPv6 in
 * brackets; USER may be percent-encoded).  Refuses, with a translated message in
 * MEMSCOPE_REMOTE_ERROR / MEMSCOPE_REMOTE_FAULT_INVALID_DESTINATION: empty text, control
 * characters, white space, anything ssh would take as an option (a leading '-' in the whole, the
 * user or the host), shell metacharacters, a port outside 1-65535, `HOST:PORT` without ssh://. */
MemscopeRemoteDestination *memscope_remote_destination_parse   (const char                      *text,
                                                                GError                         **error);
MemscopeRemoteDestination *memscope_remote_destination_copy    (const MemscopeRemoteDestination *dest);
void                       memscope_remote_destination_free    (MemscopeRemoteDestination       *dest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemscopeRemoteDestination, memscope_remote_destination_free)

/* The destination written back in one canonical form that parses to the same thing:
 * `[USER@]HOST` without a port, else `ssh://[USER@]HOST:PORT`; IPv6 in brackets. */
char *memscope_remote_destination_to_string    (const MemscopeRemoteDestination *dest);
/* The machine's name for titles and messages: `[USER@]HOST[:PORT]`, IPv6 in brackets with a
 * port.  Not translated (a name). */
char *memscope_remote_destination_dup_display_name (const MemscopeRemoteDestination *dest);

/* The remote shell command that runs `memscope-probe stream`: the copy in the remote cache
 * directory (${XDG_CACHE_HOME:-$HOME/.cache}/memscope/memscope-probe) when it is there, else the
 * one on the remote PATH, else exits with MEMSCOPE_REMOTE_EXIT_NO_PROBE after a line on stderr.
 * One line, run through `exec sh -c '…'`, so any login shell (sh, bash, zsh, fish, csh) runs it. */
const char *memscope_remote_get_stream_command (void);

/* The whole ssh command line:
 *   ssh -T -o BatchMode=yes -o ConnectTimeout=8 -o ServerAliveInterval=… -o
 *   ServerAliveCountMax=… -o ClearAllForwardings=yes -x -a -e none [-F CONFIG] [-p PORT]
 *   [-l USER] HOST -- REMOTE_COMMAND
 * CONFIG being memscope_ssh_config() (MEMSCOPE_SSH_CONFIG).  Free with g_strfreev(). */
char **memscope_remote_build_argv        (const MemscopeRemoteDestination *dest,
                                          const char                      *remote_command);
/* memscope_remote_build_argv() with memscope_remote_get_stream_command(): the argv to give
 * memscope_host_source_new_for_argv(). */
char **memscope_remote_build_stream_argv (const MemscopeRemoteDestination *dest);

/* What ssh's ending means: wait_status as from waitpid() (or the HostCommandExited status), and
 * what ssh and the remote wrote on stderr (NULL or "" when unknown).  NONE for a clean exit. */
MemscopeRemoteFault memscope_remote_classify     (int                              wait_status,
                                                  const char                      *stderr_text);
/* A spawn failure of ssh (g_spawn… / GSubprocess error, or HostCommand's D-Bus error):
 * NO_CLIENT when ssh was not found. */
MemscopeRemoteFault memscope_remote_classify_spawn_error (const GError            *error);
/* The MEMSCOPE_REMOTE_ERROR for ssh that could not be started on the host from inside a Flatpak
 * (error: HostCommand's, or why it could not be asked): NO_CLIENT when the host has no ssh, else
 * OTHER with a message that names the sandbox's way to the host and the reason. */
GError             *memscope_remote_host_spawn_error (const MemscopeRemoteDestination *dest,
                                                      const GError                    *error);
/* The translated message for a fault on a destination; stderr_text gives the words for OTHER
 * and PROBE_ENDED (its last non-empty line), wait_status the status for PROBE_ENDED. */
char               *memscope_remote_describe     (MemscopeRemoteFault              fault,
                                                  const MemscopeRemoteDestination *dest,
                                                  int                              wait_status,
                                                  const char                      *stderr_text);
/* Whether offering to copy the static probe can help with this fault (NO_PROBE, PROBE_VERSION). */
gboolean            memscope_remote_fault_can_copy (MemscopeRemoteFault            fault);

/* The static probe to copy: BUILD/src/probe/memscope-probe-static when running from a build tree,
 * else LIBEXECDIR/memscope/memscope-probe-static; NULL when it is not there. */
char *memscope_remote_find_static_probe (void);

/* This machine's architecture as `uname -m` prints it. */
const char *memscope_remote_get_local_machine (void);

/* Copies the static probe (probe_path, or memscope_remote_find_static_probe() when NULL) to
 * ${XDG_CACHE_HOME:-$HOME/.cache}/memscope/memscope-probe on the remote: first checks that
 * `uname -m` there matches this machine (ARCH_MISMATCH with an explanation when not), then sends
 * it through `ssh … -- 'mkdir -p … && cat > TMP && chmod 755 TMP && mv -f TMP PROBE'`, so a
 * connection that drops leaves no half-written probe.  Errors are MEMSCOPE_REMOTE_ERROR with the
 * fault as code and a translated message; G_IO_ERROR_CANCELLED when cancelled (ssh is ended). */
void     memscope_remote_copy_probe_async  (const MemscopeRemoteDestination *dest,
                                            const char                      *probe_path,
                                            GCancellable                    *cancellable,
                                            GAsyncReadyCallback              callback,
                                            gpointer                         user_data);
gboolean memscope_remote_copy_probe_finish (GAsyncResult                    *result,
                                            GError                         **error);

/* Runs one command on the remote through ssh and returns its stdout (NUL-terminated); on failure
 * a MEMSCOPE_REMOTE_ERROR classified as above.  stdin_bytes (may be NULL) is written to its
 * stdin.  Inside a Flatpak (memscope_host_command_wanted()) ssh runs on the host through
 * HostCommand, so the user's ssh setup applies; cancelling or the time limit kills it there. */
void     memscope_remote_run_async         (const MemscopeRemoteDestination *dest,
                                            const char                      *remote_command,
                                            GBytes                          *stdin_bytes,
                                            GCancellable                    *cancellable,
                                            GAsyncReadyCallback              callback,
                                            gpointer                         user_data);
char    *memscope_remote_run_finish        (GAsyncResult                    *result,
                                            GError                         **error);

G_END_DECLS
