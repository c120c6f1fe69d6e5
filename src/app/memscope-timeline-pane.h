/* SPDX-License-Identifier: MIT */
/* The window's timeline area: the application's history of the machine as a timeline and an
 * events list, the blame of a selected range, "Record to…", "Open Recording…" and the exports. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-blame-list.h"
#include "memscope-history.h"
#include "memscope-recording.h"
#include "memscope-timeline.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_TIMELINE_PANE (memscope_timeline_pane_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeTimelinePane, memscope_timeline_pane, MEMSCOPE, TIMELINE_PANE, GtkWidget)

/* Shows `history` (a reference is kept): what it held when the pane met it, then each new point
 * and event.  history may be NULL (a pane built from a template), then
 * memscope_timeline_pane_set_history gives it one. */
GtkWidget            *memscope_timeline_pane_new             (MemscopeHistory       *history);
/* Once only. */
void                  memscope_timeline_pane_set_history     (MemscopeTimelinePane  *self,
                                                              MemscopeHistory       *history);
/* Adds the window actions (win.record-to, win.stop-recording, win.open-recording,
 * win.export-list, win.export-timeline, win.export-trend, win.show-timeline,
 * win.timeline-span) and their keyboard shortcuts; `window` is the one the pane sits in.  What
 * the pane exports comes from its properties process-list and trend-graph; an activated blamed
 * process is asked for with the window's action win.inspect-process. */
void                  memscope_timeline_pane_attach          (MemscopeTimelinePane  *self,
                                                              GtkApplicationWindow  *window);

MemscopeTimeline     *memscope_timeline_pane_get_timeline    (MemscopeTimelinePane  *self);
MemscopeBlameList    *memscope_timeline_pane_get_blame_list  (MemscopeTimelinePane  *self);
MemscopeHistory      *memscope_timeline_pane_get_history     (MemscopeTimelinePane  *self);
/* What the history held (read back from its directory, seen before the pane) has been added. */
gboolean              memscope_timeline_pane_get_history_loaded (MemscopeTimelinePane *self);
/* The history's events: read back from the log at start plus those logged since, oldest first
 * (ms_store_event_t). */
GArray               *memscope_timeline_pane_get_events      (MemscopeTimelinePane  *self);

/* Through the history: a recording goes on while the window is closed, until stopped. */
gboolean              memscope_timeline_pane_start_recording (MemscopeTimelinePane  *self,
                                                              const char            *path,
                                                              GError               **error);
/* Stops, then says "Saved to …" with an Open Folder button. */
void                  memscope_timeline_pane_stop_recording  (MemscopeTimelinePane  *self);
/* The name Record to offers: "memscope-recording-2026-12-06-143005.csv" for `when`. */
char                 *memscope_timeline_pane_dup_recording_name (GDateTime          *when);
/* What the bar says now (a saved recording, a failure), NULL when nothing. */
const char           *memscope_timeline_pane_get_status      (MemscopeTimelinePane  *self);
/* Shown with "Saved to …": opens the folder of the last recording (saved_folder). */
GtkWidget            *memscope_timeline_pane_get_open_folder_button (MemscopeTimelinePane *self);
const char           *memscope_timeline_pane_get_saved_folder (MemscopeTimelinePane *self);

/* Opens a window showing the recording at `path` (loaded with progress and cancel). */
GtkWindow            *memscope_timeline_pane_open_recording  (MemscopeTimelinePane  *self,
                                                              const char            *path);

G_END_DECLS
