/* SPDX-License-Identifier: MIT */
/* The window's timeline area: the machine timeline, the blame of a selected range, the rolling
 * recording in the state directory, "Record to…", "Open Recording…" and the exports. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-blame-list.h"
#include "memscope-recording.h"
#include "memscope-sampler-thread.h"
#include "memscope-timeline.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_TIMELINE_PANE (memscope_timeline_pane_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeTimelinePane, memscope_timeline_pane, MEMSCOPE, TIMELINE_PANE, GtkWidget)

/* $MEMSCOPE_STATE_DIR, else $XDG_STATE_HOME/memscope (GLib's user state directory). */
char                 *memscope_state_dir                     (void);

/* Takes every snapshot of `sampler`: the timeline, the rolling recording and events log under
 * state_dir (NULL: memscope_state_dir ()), and "Record to…" recordings.  sampler may be NULL
 * (a pane built from a template), then memscope_timeline_pane_set_sampler starts it. */
GtkWidget            *memscope_timeline_pane_new             (MemscopeSamplerThread *sampler,
                                                              const char            *state_dir);
/* Once only. */
void                  memscope_timeline_pane_set_sampler     (MemscopeTimelinePane  *self,
                                                              MemscopeSamplerThread *sampler,
                                                              const char            *state_dir);
/* Adds the window actions (win.record-to, win.stop-recording, win.open-recording,
 * win.export-list, win.export-timeline, win.export-trend, win.show-timeline,
 * win.timeline-span) and their keyboard shortcuts; `window` is the one the pane sits in, a
 * MemscopeWindow (its list is exported and its inspect panel shows activated processes). */
void                  memscope_timeline_pane_attach          (MemscopeTimelinePane  *self,
                                                              GtkApplicationWindow  *window);

MemscopeTimeline     *memscope_timeline_pane_get_timeline    (MemscopeTimelinePane  *self);
MemscopeBlameList    *memscope_timeline_pane_get_blame_list  (MemscopeTimelinePane  *self);
const char           *memscope_timeline_pane_get_state_dir   (MemscopeTimelinePane  *self);
/* The points read back from the state directory at start have been added. */
gboolean              memscope_timeline_pane_get_history_loaded (MemscopeTimelinePane *self);
/* Events read back from the log at start plus those logged since, oldest first (ms_store_event_t). */
GArray               *memscope_timeline_pane_get_events      (MemscopeTimelinePane  *self);

gboolean              memscope_timeline_pane_start_recording (MemscopeTimelinePane  *self,
                                                              const char            *path,
                                                              GError               **error);
void                  memscope_timeline_pane_stop_recording  (MemscopeTimelinePane  *self);
MemscopeRecorder     *memscope_timeline_pane_get_recorder    (MemscopeTimelinePane  *self);

/* Opens a window showing the recording at `path` (loaded with progress and cancel). */
GtkWindow            *memscope_timeline_pane_open_recording  (MemscopeTimelinePane  *self,
                                                              const char            *path);

G_END_DECLS
