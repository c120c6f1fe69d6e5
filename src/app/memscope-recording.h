/* SPDX-License-Identifier: MIT */
/* Recordings: writing the worker's snapshots to a trace, and loading a trace into a read-only view. */
#pragma once

#include <gio/gio.h>

#include "history.h"
#include "memscope-snapshot.h"
#include "memscope-timeline-point.h"

G_BEGIN_DECLS

/* --- A loaded recording (read-only) ----------------------------------------------------------- */

#define MEMSCOPE_TYPE_RECORDING (memscope_recording_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeRecording, memscope_recording, MEMSCOPE, RECORDING, GObject)

/* Called on the main thread while loading: fraction of the file read so far (0..1). */
typedef void (*MemscopeProgressFunc) (double fraction, gpointer user_data);

/* Streams PATH on a worker thread: the detector runs over it (tags and events), the machine series
 * and every process's last values and history are kept; memory stays bounded whatever the file's
 * length.  Bad input does not fail the load: what was read before the bad line is kept and
 * memscope_recording_get_error names the line.  Fails only when the file cannot be opened, has
 * no sample at all, or the load was cancelled (G_IO_ERROR_CANCELLED). */
void               memscope_recording_load_async   (const char           *path,
                                                    GCancellable         *cancellable,
                                                    MemscopeProgressFunc  progress,
                                                    gpointer              progress_data,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
MemscopeRecording *memscope_recording_load_finish  (GAsyncResult         *result,
                                                    GError              **error);

const char        *memscope_recording_get_path     (MemscopeRecording    *self);
/* "FILE:LINE: what is wrong" when the file had bad input, else NULL. */
const char        *memscope_recording_get_error    (MemscopeRecording    *self);
guint              memscope_recording_get_n_samples (MemscopeRecording   *self);
double             memscope_recording_get_first_s  (MemscopeRecording    *self);
double             memscope_recording_get_last_s   (MemscopeRecording    *self);
/* Every process seen, with its values at its last sample: footprint, baseline (its first
 * footprint in the recording), delta, the detector's tags and explanations at the end. */
MemscopeSnapshot  *memscope_recording_get_snapshot (MemscopeRecording    *self);
/* The machine series, oldest first. */
const MemscopeTimelinePoint *memscope_recording_get_points (MemscopeRecording *self,
                                                            guint             *n_points);
/* Tag events the detector produced over the recording (ms_event_t), in time order. */
GArray            *memscope_recording_get_events   (MemscopeRecording    *self);
/* Footprint history of one process (as ms_history_get); 0 when it is not held. */
gsize              memscope_recording_get_history  (MemscopeRecording    *self,
                                                    gint32                pid,
                                                    guint64               starttime,
                                                    ms_history_point_t   *out,
                                                    gsize                 max);

/* --- Recording the live snapshots --------------------------------------------------------------- */

#define MEMSCOPE_TYPE_RECORDER (memscope_recorder_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeRecorder, memscope_recorder, MEMSCOPE, RECORDER, GObject)

/* Creates (truncates) PATH and writes the trace header. */
MemscopeRecorder  *memscope_recorder_new           (const char           *path,
                                                    GError              **error);
/* Appends one sample (time_s counts from the first one) and flushes it.  FALSE with error when
 * the write fails; the recorder is stopped then. */
gboolean           memscope_recorder_add           (MemscopeRecorder     *self,
                                                    const MemscopeSnapshot *snapshot,
                                                    GError              **error);
/* Closes the file; later adds are ignored. */
void               memscope_recorder_stop          (MemscopeRecorder     *self);
const char        *memscope_recorder_get_path      (MemscopeRecorder     *self);
guint              memscope_recorder_get_n_samples (MemscopeRecorder     *self);

G_END_DECLS
