/* SPDX-License-Identifier: MIT */
/* A read-only window over a loaded recording: timeline, blame, process list, tags and history. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-blame-list.h"
#include "memscope-recording.h"
#include "memscope-timeline.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_RECORDING_WINDOW (memscope_recording_window_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeRecordingWindow, memscope_recording_window, MEMSCOPE, RECORDING_WINDOW, GtkWindow)

/* Starts loading `path` at once, with a progress bar and Cancel (which closes the window). */
MemscopeRecordingWindow *memscope_recording_window_new            (GtkApplication          *application,
                                                                   const char              *path);
/* NULL until loaded (or when the load failed). */
MemscopeRecording       *memscope_recording_window_get_recording  (MemscopeRecordingWindow *self);
gboolean                 memscope_recording_window_get_loading    (MemscopeRecordingWindow *self);
/* The message shown in the window's error banner, NULL when none. */
const char              *memscope_recording_window_get_error_text (MemscopeRecordingWindow *self);
MemscopeTimeline        *memscope_recording_window_get_timeline   (MemscopeRecordingWindow *self);
MemscopeBlameList       *memscope_recording_window_get_blame_list (MemscopeRecordingWindow *self);
MemscopeTimeline        *memscope_recording_window_get_history    (MemscopeRecordingWindow *self);
GListModel              *memscope_recording_window_get_processes  (MemscopeRecordingWindow *self);
/* Shows the recorded history of one process (what activating its row does). */
gboolean                 memscope_recording_window_show_history   (MemscopeRecordingWindow *self,
                                                                   gint32                   pid,
                                                                   guint64                  starttime);
void                     memscope_recording_window_cancel         (MemscopeRecordingWindow *self);

G_END_DECLS
