/* SPDX-License-Identifier: MIT */
/* One machine's history, owned by the application whether or not a window is open: the last hour
 * of the machine series and the last day's events in memory, the rolling recording and the events
 * log on disk, and "Record to…" recordings, all written on a worker thread of its own. */
#pragma once

#include <glib-object.h>

#include "memscope-sampler-thread.h"
#include "memscope-snapshot.h"
#include "memscope-timeline-point.h"
#include "store.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_HISTORY (memscope_history_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeHistory, memscope_history, MEMSCOPE, HISTORY, GObject)

/* Where the history of the machine `sampler` watches lives: the state directory for this
 * machine, its "host" subdirectory when the sampler reads the host through a probe (inside a
 * Flatpak), "remote/NAME" for a remote machine (NAME its name URI-escaped), so another
 * machine's samples never mix into this one's. */
char            *memscope_history_dir_for           (MemscopeSamplerThread *sampler);

/* Takes every snapshot of `sampler` (may be NULL: then only memscope_history_add feeds it).
 * `dir` holds the rolling recording and the events log and is created when missing; NULL keeps
 * the history in memory only.  What `dir` holds of the last hour (samples) and the last day
 * (events) is read back on the worker; "loaded" is emitted when it is in. */
MemscopeHistory *memscope_history_new               (MemscopeSamplerThread *sampler,
                                                     const char            *dir);
/* One snapshot, as the sampler's "snapshot" signal delivers it (main thread). */
void             memscope_history_add               (MemscopeHistory        *self,
                                                     const MemscopeSnapshot *snapshot);

const char      *memscope_history_get_dir           (MemscopeHistory       *self);
/* What the directory held at start has been read back (at once when there is no directory). */
gboolean         memscope_history_get_loaded        (MemscopeHistory       *self);
/* The machine series of the last hour, oldest first (MemscopeTimelinePoint). */
GArray          *memscope_history_get_points        (MemscopeHistory       *self);
/* Events read back from the log plus those of this run, oldest first, the newest 1000
 * (ms_store_event_t, time_s on the wall clock). */
GArray          *memscope_history_get_events        (MemscopeHistory       *self);
/* Why the rolling recording cannot be written (the directory cannot be made), else NULL. */
const char      *memscope_history_get_error         (MemscopeHistory       *self);

/* Writes every following snapshot to a trace at `path` until stopped or a write fails
 * ("recording-failed"); a recording already going is stopped first. */
gboolean         memscope_history_start_recording   (MemscopeHistory       *self,
                                                     const char            *path,
                                                     GError               **error);
void             memscope_history_stop_recording    (MemscopeHistory       *self);
/* The trace being recorded to, NULL when none is. */
const char      *memscope_history_get_recording_path (MemscopeHistory      *self);
/* Samples written to it so far (the worker's count, as last reported). */
guint            memscope_history_get_n_recorded    (MemscopeHistory       *self);

G_END_DECLS
