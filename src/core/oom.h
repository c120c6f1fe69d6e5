/* SPDX-License-Identifier: MIT */
/* OOM kills from the kernel's counter: derived once per snapshot, read by every consumer. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ms-types.h"

/* What the derivation keeps between snapshots: the last valid reading of the counter. */
typedef struct
{
  bool have;
  uint64_t count;
} ms_oom_tracker_t;

void ms_oom_tracker_init (ms_oom_tracker_t *tracker);

/* The OOM kills between the previous valid reading and this snapshot's, stored in
 * snap->new_oom_kills and returned.  0 on the first valid reading (a counter first readable at 5
 * is history, not news), while the counter is not valid (the last valid reading is kept, so kills
 * while it could not be read count once it can), and when it went down (another boot: the new
 * reading is the new start). */
uint64_t ms_oom_derive (ms_oom_tracker_t *tracker, ms_snapshot_t *snap);
