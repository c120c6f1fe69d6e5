/* SPDX-License-Identifier: MIT */
/* Runs the core's sampling tick on one worker thread, paced by a GLib timer on the main thread. */
#pragma once

#include <glib-object.h>

#include "memscope-host-source.h"
#include "memscope-snapshot.h"

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
const char            *memscope_sampler_thread_get_error        (MemscopeSamplerThread *self);
guint                  memscope_sampler_thread_get_n_skipped    (MemscopeSamplerThread *self);
/* Whether memscope_sampler_thread_start() has run. */
gboolean               memscope_sampler_thread_get_started      (MemscopeSamplerThread *self);

G_END_DECLS
