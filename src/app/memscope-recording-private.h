/* SPDX-License-Identifier: MIT */
/* For tests only: loading a recording blocking (tests and the benchmark), and what it holds. */
#pragma once

#include "memscope-recording.h"

G_BEGIN_DECLS

/* memscope_recording_load_async (), blocking. */
MemscopeRecording *memscope_recording_load         (const char           *path,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

guint64            memscope_recording_get_error_line (MemscopeRecording  *self);

gsize              memscope_recording_get_memory_bytes (MemscopeRecording *self);

gboolean           memscope_recorder_get_active    (MemscopeRecorder     *self);

G_END_DECLS
