/* SPDX-License-Identifier: MIT */
/* One point of the machine's memory over time, as the timeline draws it and the history keeps it. */
#pragma once

#include <glib.h>

#include "ms-types.h"

G_BEGIN_DECLS

/* One point of the machine series.  cache_kib is negative when unknown (traces do not carry it);
 * psi_some_avg10 is NAN when unknown. */
typedef struct
{
  double time_s;
  gint64 total_kib;
  gint64 used_kib;
  gint64 cache_kib;
  gint64 swap_kib;
  float psi_some_avg10;
} MemscopeTimelinePoint;

/* Fills a point from a snapshot (a live tick or a trace sample) taken at time_s. */
void memscope_timeline_point_from_snapshot (MemscopeTimelinePoint *point,
                                            const ms_snapshot_t   *snap,
                                            double                 time_s);

G_END_DECLS
