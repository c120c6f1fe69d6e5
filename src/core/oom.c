/* SPDX-License-Identifier: MIT */
/* OOM kills from the kernel's counter: derived once per snapshot, read by every consumer. */

#include "config.h"

#include "oom.h"

void
ms_oom_tracker_init (ms_oom_tracker_t *tracker)
{
  tracker->have = false;
  tracker->count = 0;
}

uint64_t
ms_oom_derive (ms_oom_tracker_t *tracker, ms_snapshot_t *snap)
{
  const ms_oom_counter_t *now = &snap->oom_counter;
  uint64_t kills = 0;

  if (now->valid)
    {
      if (tracker->have && now->count > tracker->count)
        kills = now->count - tracker->count;
      tracker->have = true;
      tracker->count = now->count;
    }
  snap->new_oom_kills = kills;
  return kills;
}
