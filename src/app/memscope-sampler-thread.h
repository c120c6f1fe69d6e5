/* SPDX-License-Identifier: MIT */
/* Runs the core's sampling tick on one worker thread, paced by a GLib timer on the main thread. */
#pragma once

#include <glib-object.h>

#include <gio/gio.h>

#include "memscope-host-source.h"
#include "memscope-snapshot.h"
#include "smaps-groups.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_SAMPLER_THREAD (memscope_sampler_thread_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeSamplerThread, memscope_sampler_thread, MEMSCOPE, SAMPLER_THREAD, GObject)

MemscopeSamplerThread *memscope_sampler_thread_new              (void);
/* Samples through `source` (a remote machine's probe) rather than deciding at start. */
MemscopeSamplerThread *memscope_sampler_thread_new_for_source   (MemscopeHostSource    *source);
void                   memscope_sampler_thread_start            (MemscopeSamplerThread *self);
guint                  memscope_sampler_thread_get_interval_ms  (MemscopeSamplerThread *self);
void                   memscope_sampler_thread_set_interval_ms  (MemscopeSamplerThread *self,
                                                                 guint                  interval_ms);
double                 memscope_sampler_thread_get_sensitivity  (MemscopeSamplerThread *self);
void                   memscope_sampler_thread_set_sensitivity  (MemscopeSamplerThread *self,
                                                                 double                 sensitivity);
void                   memscope_sampler_thread_reset_baseline   (MemscopeSamplerThread *self,
                                                                 gint32                 pid,
                                                                 guint64                starttime);
gboolean               memscope_sampler_thread_can_restore_baselines (MemscopeSamplerThread *self);
gboolean               memscope_sampler_thread_restore_baselines (MemscopeSamplerThread *self,
                                                                  GArray                *baselines);
void                   memscope_sampler_thread_set_pss_priority (MemscopeSamplerThread *self,
                                                                 gint32                 pid,
                                                                 guint64                starttime);
gboolean               memscope_sampler_thread_tick_now         (MemscopeSamplerThread *self);
/* The host probe client when sampling goes through one (inside a Flatpak, or with
 * MEMSCOPE_HOST_PROBE set), else NULL. */
MemscopeHostSource    *memscope_sampler_thread_get_host_source  (MemscopeSamplerThread *self);
/* The remote machine's name when sampling goes through a remote's probe, else NULL. */
const char            *memscope_sampler_thread_get_remote       (MemscopeSamplerThread *self);

/* Requests about one process, answered where the processes live: through the host source when
 * there is one, else here (under memscope_proc_root (), off the calling thread for smaps).
 * Both fail alike either way: G_IO_ERROR_NOT_FOUND when the process is gone (or its pid was
 * reused), G_IO_ERROR_PERMISSION_DENIED when it is not ours, G_IO_ERROR_INVALID_DATA for a
 * smaps that cannot be parsed, G_IO_ERROR_FAILED otherwise. */
/* Sends SIGSTOP, SIGCONT, SIGTERM or SIGKILL to (pid, starttime). */
void                   memscope_sampler_thread_send_signal      (MemscopeSamplerThread *self,
                                                                 gint32                 pid,
                                                                 guint64                starttime,
                                                                 int                    sig,
                                                                 GCancellable          *cancellable,
                                                                 GAsyncReadyCallback    callback,
                                                                 gpointer               user_data);
gboolean               memscope_sampler_thread_send_signal_finish (MemscopeSamplerThread *self,
                                                                   GAsyncResult          *result,
                                                                   GError               **error);
/* The grouped smaps of (pid, starttime): a new ms_smaps_groups_t, freed with
 * memscope_host_smaps_groups_free(). */
void                   memscope_sampler_thread_read_smaps_groups (MemscopeSamplerThread *self,
                                                                  gint32                 pid,
                                                                  guint64                starttime,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
ms_smaps_groups_t     *memscope_sampler_thread_read_smaps_groups_finish (MemscopeSamplerThread *self,
                                                                         GAsyncResult          *result,
                                                                         GError               **error);
const char            *memscope_sampler_thread_get_error        (MemscopeSamplerThread *self);

G_END_DECLS
