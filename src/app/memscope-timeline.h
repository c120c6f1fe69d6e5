/* SPDX-License-Identifier: MIT */
/* The machine's memory over time (used, cache and swap stacked, pressure as a line) with a range
 * the user selects by dragging or with Shift+arrows. */
#pragma once

#include <gtk/gtk.h>

#include "memscope-timeline-point.h"

G_BEGIN_DECLS

#define MEMSCOPE_TYPE_TIMELINE (memscope_timeline_get_type ())

G_DECLARE_FINAL_TYPE (MemscopeTimeline, memscope_timeline, MEMSCOPE, TIMELINE, GtkWidget)

GtkWidget *memscope_timeline_new               (void);
/* Points must come in time order; an older one is ignored.  Beyond the last hour points are kept
 * one per minute (the busiest), so a day costs a few thousand points. */
void       memscope_timeline_append            (MemscopeTimeline            *self,
                                                const MemscopeTimelinePoint *point);
void       memscope_timeline_clear             (MemscopeTimeline            *self);
guint      memscope_timeline_get_n_points      (MemscopeTimeline            *self);
/* Copies the point at index (oldest first, coarse tier then fine); FALSE past the end. */
gboolean   memscope_timeline_get_point         (MemscopeTimeline            *self,
                                                guint                        index,
                                                MemscopeTimelinePoint       *out);
gsize      memscope_timeline_get_memory_bytes  (MemscopeTimeline            *self);

/* Seconds shown up to the newest point (300, 900, 3600); 0 shows everything held.  Live, the
 * range shown grows with the data up to the span (a minute at least). */
double     memscope_timeline_get_span_s        (MemscopeTimeline            *self);
void       memscope_timeline_set_span_s        (MemscopeTimeline            *self,
                                                double                       span_s);
/* Live: the axis counts back from "now"; otherwise from the first point (a recording). */
gboolean   memscope_timeline_get_live          (MemscopeTimeline            *self);
void       memscope_timeline_set_live          (MemscopeTimeline            *self,
                                                gboolean                     live);

/* The legend's word for the bottom band ("Used" by default; "Resident" for one process). */
void       memscope_timeline_set_used_label    (MemscopeTimeline            *self,
                                                const char                  *label);
/* A mark at the top of the graph at time_s (an event: LEAK, SPIKE, OOM ...); its text is the
 * tooltip.  Marks older than the oldest point are dropped. */
void       memscope_timeline_add_mark          (MemscopeTimeline            *self,
                                                double                       time_s,
                                                const char                  *text);
guint      memscope_timeline_get_n_marks       (MemscopeTimeline            *self);

gboolean   memscope_timeline_get_selection     (MemscopeTimeline            *self,
                                                double                      *from_s,
                                                double                      *to_s);
/* Selects [from_s, to_s] (ordered, and clamped to the points held) and emits ::range-selected. */
void       memscope_timeline_select            (MemscopeTimeline            *self,
                                                double                       from_s,
                                                double                       to_s);
void       memscope_timeline_clear_selection   (MemscopeTimeline            *self);

/* Puts the cursor (where the keyboard's selection starts) at time_s and draws it even without
 * focus: an event jumped to.  A drag or memscope_timeline_clear hides it again. */
void       memscope_timeline_set_cursor        (MemscopeTimeline            *self,
                                                double                       time_s);
gboolean   memscope_timeline_get_cursor        (MemscopeTimeline            *self,
                                                double                      *time_s);
/* The x (widget coordinates, as last drawn: the size labels' gutter comes first) where time_s
 * is in the range shown. */
double     memscope_timeline_get_x_for_time    (MemscopeTimeline            *self,
                                                double                       time_s);
/* Whether time_s lies in the range the x axis shows now. */
gboolean   memscope_timeline_get_time_visible  (MemscopeTimeline            *self,
                                                double                       time_s);
/* The labels of the size axis (GTK_ORIENTATION_VERTICAL, bottom up) or of the time axis (left
 * to right) as last drawn; empty before a drawing with data. */
char     **memscope_timeline_dup_axis_labels   (MemscopeTimeline            *self,
                                                GtkOrientation               orientation);
/* Said while fewer than two points are drawn; NULL: "Collecting memory samples…". */
void       memscope_timeline_set_empty_text    (MemscopeTimeline            *self,
                                                const char                  *text);
const char *memscope_timeline_get_empty_text   (MemscopeTimeline            *self);

G_END_DECLS
