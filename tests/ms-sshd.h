/* SPDX-License-Identifier: MIT */
/* A real OpenSSH server for tests: /usr/sbin/sshd as the test's own user on 127.0.0.1 at a free
 * port, with keys, configuration and the "remote" side's PATH and cache in a temporary directory. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Host aliases of the client configuration (ms_sshd_get_client_config): */
#define MS_SSHD_HOST             "memscope-test"             /* logs in */
#define MS_SSHD_HOST_CHANGED_KEY "memscope-test-changed-key" /* known_hosts has another key */
#define MS_SSHD_HOST_UNKNOWN_KEY "memscope-test-unknown-key" /* known_hosts is empty */
#define MS_SSHD_HOST_REFUSED_KEY "memscope-test-refused-key" /* a key sshd does not authorize */
#define MS_SSHD_HOST_CLOSED_PORT "memscope-test-closed-port" /* a port nothing listens on */
#define MS_SSHD_HOST_BARE        "memscope-test-bare"        /* logs in; no probe on PATH */

typedef struct _MsSshd MsSshd;

/* Generates a host key, a second host key (for the changed-key alias), a user key and a stranger's
 * key with ssh-keygen, writes sshd_config and the client's ssh_config, and starts sshd -D -e on a
 * free port; returns once it listens.  The remote side's environment is
 * PATH=DIR/bin:/usr/bin:/bin, XDG_CACHE_HOME=DIR/cache and HOME=DIR/home (so the login shell reads
 * none of the real user's start-up files); probe_on_path, when not NULL, is linked
 * as DIR/bin/memscope-probe.  sshd dies with the test process (PDEATHSIG) even when the test
 * aborts; ms_sshd_stop() ends it and its connections.  Fails the test when sshd cannot start.
 * Runs as root or as any user whose account can log in: sshd (without PAM) refuses a locked
 * account or one whose shell is not a shell, such as nobody's. */
MsSshd     *ms_sshd_start                (const char *probe_on_path);
/* Links probe as DIR/bin/memscope-probe on the remote PATH, or removes it (NULL). */
void        ms_sshd_set_probe_on_path    (MsSshd     *sshd,
                                          const char *probe);
/* Ends the connections and the listener, removes the directory and frees. */
void        ms_sshd_stop                 (MsSshd     *sshd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsSshd, ms_sshd_stop)

/* The client's configuration, for MEMSCOPE_SSH_CONFIG or ssh -F: every MS_SSHD_HOST* alias, with
 * BatchMode, StrictHostKeyChecking (ask for the unknown-key alias, as a user's default), its
 * own known_hosts, identity and no agent; other names get the same defaults. */
const char *ms_sshd_get_client_config    (MsSshd     *sshd);
guint16     ms_sshd_get_port             (MsSshd     *sshd);
pid_t       ms_sshd_get_pid              (MsSshd     *sshd);
/* The temporary directory holding everything. */
const char *ms_sshd_get_dir              (MsSshd     *sshd);
/* The remote side's XDG_CACHE_HOME (DIR/cache, created empty). */
const char *ms_sshd_get_cache_dir        (MsSshd     *sshd);
/* The same for MS_SSHD_HOST_BARE, whose sessions (on a second port of the same server) have
 * PATH=/usr/bin:/bin and XDG_CACHE_HOME=DIR/bare-cache. */
const char *ms_sshd_get_bare_cache_dir   (MsSshd     *sshd);
/* sshd's log so far (its -e output). */
char       *ms_sshd_dup_log              (MsSshd     *sshd);

/* How many connections sshd serves now (its child processes). */
guint       ms_sshd_count_connections    (MsSshd     *sshd);
/* Ends every connection (the listener's children) and keeps listening, as a dropped network
 * would; returns how many it ended. */
guint       ms_sshd_drop_connections     (MsSshd     *sshd);

G_END_DECLS
