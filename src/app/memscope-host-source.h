/* SPDX-License-Identifier: MIT */
/* Samples the host through `memscope-probe stream` (started on the host from a Flatpak, or as a
 * plain subprocess) and turns its frames into the snapshots the in-process sampler produces. */
#pragma once

#include <gio/gio.h>

#include "memscope-remote.h"
#include "memscope-snapshot.h"
#include "smaps-groups.h"

G_BEGIN_DECLS

typedef enum
{
  MEMSCOPE_HOST_STATE_STOPPED,  /* not started, or stopped */
  MEMSCOPE_HOST_STATE_STARTING, /* the probe is being started; no hello yet */
  MEMSCOPE_HOST_STATE_RUNNING,  /* the probe said hello and sends snapshots */
  MEMSCOPE_HOST_STATE_FAILED,   /* it could not start or it ended: see error; a retry may be due */
} MemscopeHostState;

#define MEMSCOPE_TYPE_HOST_STATE (memscope_host_state_get_type ())
GType memscope_host_state_get_type (void) G_GNUC_CONST;

/* Why the last run failed, for what the window offers besides Retry. */
typedef enum
{
  MEMSCOPE_HOST_FAILURE_NONE,
  MEMSCOPE_HOST_FAILURE_OTHER,
  MEMSCOPE_HOST_FAILURE_CONNECTION,         /* ssh could not reach the remote, or lost it */
  MEMSCOPE_HOST_FAILURE_REFUSED,            /* host key or login refused, no ssh: only Retry */
  MEMSCOPE_HOST_FAILURE_NO_PROBE,           /* the remote has no memscope-probe: only Retry */
  MEMSCOPE_HOST_FAILURE_INCOMPATIBLE_PROBE, /* its probe speaks another version: only Retry */
} MemscopeHostFailure;

#define MEMSCOPE_TYPE_HOST_FAILURE (memscope_host_failure_get_type ())
GType memscope_host_failure_get_type (void) G_GNUC_CONST;

#define MEMSCOPE_TYPE_HOST_SOURCE (memscope_host_source_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeHostSource, memscope_host_source, MEMSCOPE, HOST_SOURCE, GObject)

/* Whether memscope should sample through a host probe: inside a Flatpak (/.flatpak-info exists),
 * or when MEMSCOPE_HOST_PROBE names a local memscope-probe (memscope_host_probe()). */
gboolean            memscope_host_source_wanted              (void);

/* The host source for this environment: HostCommand with the app-path of /.flatpak-info inside a
 * Flatpak, else a subprocess of MEMSCOPE_HOST_PROBE reading memscope_proc_root() and
 * memscope_passwd_path().  NULL with error when neither applies. */
MemscopeHostSource *memscope_host_source_new                 (GError                **error);

/* The remote source for a destination: ssh (memscope_remote_build_stream_argv()), named by the
 * destination's display name, its failures put into words by memscope_remote_describe(). */
MemscopeHostSource *memscope_host_source_new_for_destination (const MemscopeRemoteDestination *destination);
/* The destination given to memscope_host_source_new_for_destination(), else NULL. */
const MemscopeRemoteDestination *memscope_host_source_get_destination (MemscopeHostSource *self);
/* The display name of a remote source's machine, else NULL. */
const char         *memscope_host_source_get_remote          (MemscopeHostSource     *self);
MemscopeHostFailure memscope_host_source_get_failure         (MemscopeHostSource     *self);

/* Starts `APP-PATH/bin/memscope-probe stream` on the host through the Flatpak portal's
 * HostCommand, APP-PATH being [Instance] app-path of the given flatpak-info file. */
MemscopeHostSource *memscope_host_source_new_for_flatpak_info (const char        *info_path,
                                                               GError           **error);

/* Runs argv (the whole probe command line, e.g. {"memscope-probe", "stream", NULL}) as a plain
 * subprocess: the path every test takes. */
MemscopeHostSource *memscope_host_source_new_for_argv        (const char * const     *argv);

void                memscope_host_source_start               (MemscopeHostSource     *self);
void                memscope_host_source_stop                (MemscopeHostSource     *self);
/* Starts the probe again now, forgetting the backoff. */
void                memscope_host_source_retry               (MemscopeHostSource     *self);

MemscopeHostState   memscope_host_source_get_state           (MemscopeHostSource     *self);
/* Why the probe is not running (translated), or NULL. */
const char         *memscope_host_source_get_error           (MemscopeHostSource     *self);
/* The last frame that was skipped because it could not be decoded ("frame 7 (snapshot): ..."),
 * or NULL; the stream goes on after such a frame. */
const char         *memscope_host_source_get_problem         (MemscopeHostSource     *self);
guint64             memscope_host_source_get_n_bad_frames    (MemscopeHostSource     *self);
/* Seconds until the next automatic start, 0 when none is planned. */
guint               memscope_host_source_get_retry_delay_s   (MemscopeHostSource     *self);
/* The probe's software string ("memscope-probe 0.1.0"), or NULL before its hello. */
const char         *memscope_host_source_get_peer            (MemscopeHostSource     *self);
/* The probe's pid (on the host, for HostCommand), 0 when none is known. */
guint               memscope_host_source_get_probe_pid       (MemscopeHostSource     *self);
/* How many times the probe was started. */
guint               memscope_host_source_get_n_starts        (MemscopeHostSource     *self);

guint               memscope_host_source_get_interval_ms     (MemscopeHostSource     *self);
void                memscope_host_source_set_interval_ms     (MemscopeHostSource     *self,
                                                              guint                   interval_ms);
/* pid <= 0 resets every process. */
void                memscope_host_source_reset_baseline      (MemscopeHostSource     *self,
                                                              gint32                  pid,
                                                              guint64                 starttime);
/* Whether the running probe takes back baselines (protocol 1.2 and later). */
gboolean            memscope_host_source_can_restore_baselines (MemscopeHostSource   *self);
/* Sends the baselines to put back; FALSE (nothing sent) when the probe cannot take them. */
gboolean            memscope_host_source_restore_baselines   (MemscopeHostSource     *self,
                                                              const ms_baseline_t    *baselines,
                                                              gsize                   n_baselines);
/* pid <= 0 stops preferring one process.  Kept across restarts of the probe. */
void                memscope_host_source_set_pss_priority    (MemscopeHostSource     *self,
                                                              gint32                  pid,
                                                              guint64                 starttime);

/* The grouped smaps of one process, read on the host.  The result is a new
 * ms_smaps_groups_t: free it with memscope_host_smaps_groups_free(). */
void                memscope_host_source_read_smaps_groups   (MemscopeHostSource     *self,
                                                              gint32                  pid,
                                                              guint64                 starttime,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
ms_smaps_groups_t  *memscope_host_source_read_smaps_groups_finish (MemscopeHostSource *self,
                                                                   GAsyncResult       *result,
                                                                   GError            **error);
void                memscope_host_smaps_groups_free          (ms_smaps_groups_t      *groups);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ms_smaps_groups_t, memscope_host_smaps_groups_free)

/* Sends SIGSTOP, SIGCONT, SIGTERM or SIGKILL to (pid, starttime) on the host.  Fails with
 * G_IO_ERROR_NOT_FOUND when the process is gone (or its pid was reused), G_IO_ERROR_PERMISSION_DENIED
 * when the host refuses. */
void                memscope_host_source_send_signal         (MemscopeHostSource     *self,
                                                              gint32                  pid,
                                                              guint64                 starttime,
                                                              int                     sig,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean            memscope_host_source_send_signal_finish  (MemscopeHostSource     *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

G_END_DECLS
