/* SPDX-License-Identifier: MIT */
/* One point of the machine's memory over time, as the timeline draws it and the history keeps it. */

#include "config.h"

#include <math.h>

#include "memscope-timeline-point.h"

void
memscope_timeline_point_from_snapshot (MemscopeTimelinePoint *point,
                                       const ms_snapshot_t   *snap,
                                       double                 time_s)
{
  const ms_meminfo_t *mem = &snap->mem;
  gint64 swap = mem->swap_total_kib - mem->swap_free_kib;

  point->time_s = time_s;
  point->total_kib = mem->mem_total_kib;
  point->used_kib = MAX (mem->mem_total_kib - mem->mem_available_kib, 0);
  /* Traces carry no cache figures: unknown rather than zero. */
  point->cache_kib = (mem->cached_kib > 0 || mem->buffers_kib > 0)
                       ? mem->cached_kib + mem->buffers_kib : -1;
  point->swap_kib = MAX (swap, 0);
  point->psi_some_avg10 = snap->pressure.valid ? (float) snap->pressure.some_avg10 : NAN;
}
