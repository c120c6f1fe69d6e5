/* SPDX-License-Identifier: MIT */
/* Where memscope reads the machine and keeps its state, and how it reaches other machines:
 * MEMSCOPE_PROC_ROOT, MEMSCOPE_PASSWD, MEMSCOPE_SYS_ROOT, MEMSCOPE_STATE_DIR, MEMSCOPE_HOST_PROBE
 * and MEMSCOPE_SSH_CONFIG, read from the environment once, at first use, so that nothing later in
 * the run (nor another thread) sees them change.  Tests point them at fixtures through
 * memscope-seams-private.h.  Safe to call from any thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $MEMSCOPE_PROC_ROOT, else /proc. */
const char *memscope_proc_root   (void);
/* $MEMSCOPE_PASSWD, else /etc/passwd: who owns which uid. */
const char *memscope_passwd_path (void);
/* $MEMSCOPE_SYS_ROOT, else /sys. */
const char *memscope_sys_root    (void);
/* $MEMSCOPE_STATE_DIR, else $XDG_STATE_HOME/memscope (GLib's user state directory): where the
 * local machine's history lives. */
char       *memscope_state_dir   (void);
/* $MEMSCOPE_HOST_PROBE: a memscope-probe to sample through as if memscope ran in a Flatpak (the
 * host probe's path, tried outside one), else NULL. */
const char *memscope_host_probe  (void);
/* $MEMSCOPE_SSH_CONFIG: the ssh configuration file used instead of the user's own (ssh -F),
 * else NULL. */
const char *memscope_ssh_config  (void);

/* What Flatpak puts at the root of every sandbox: where the app is deployed on the host. */
#define MEMSCOPE_FLATPAK_INFO "/.flatpak-info"
/* Whether memscope runs inside a Flatpak sandbox (MEMSCOPE_FLATPAK_INFO exists), decided once:
 * the processes to watch, and the user's ssh set-up, are then on the host. */
gboolean    memscope_inside_flatpak (void);

G_END_DECLS
