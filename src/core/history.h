/* SPDX-License-Identifier: MIT */
/* Per-process memory history: two bounded tiers of compact points, kept briefly after exit. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ms_history ms_history_t;

/* One point as handed out: sizes in KiB, pss_kib -1 when unknown. */
typedef struct
{
  double time_s;
  int64_t footprint_kib, rss_kib, swap_kib, pss_kib;
} ms_history_point_t;

/* Points of a stretch whose sizes do not change are at most this far apart (a graph that breaks
 * its line at longer gaps still draws the stretch). */
#define MS_HISTORY_FLAT_STEP_S 30.0

/* Tier sizes.  Each tier keeps one point per `res_s` bucket: the sample with the largest footprint
 * in that bucket, so a short peak stays visible at any zoom.  Where the sizes do not change, a
 * tier keeps only a point every MS_HISTORY_FLAT_STEP_S and the latest one.  Rings start small and
 * double up to span_s / res_s points, and hold span_s of time, so a process seen for a few
 * seconds, or one that does not change, costs little. */
typedef struct
{
  double short_res_s;   /* 1 */
  double short_span_s;  /* 300 (5 min) */
  double long_res_s;    /* 15 */
  double long_span_s;   /* 7200 (2 h) */
  double exited_keep_s; /* 60: "recently exited" entries are readable this long, then freed */
} ms_history_params_t;

void ms_history_params_init (ms_history_params_t *p);

/* NULL when memory is short.  p may be NULL for the defaults. */
ms_history_t *ms_history_new (const ms_history_params_t *p);
void ms_history_free (ms_history_t *h);

/* Records one sample of one process.  Returns the entry's slot (stable for the entry's life; a
 * freed slot is reused by a later process), or -1 when memory is short.  *is_new (may be NULL) is
 * set when this identity got a new entry.  A sample older than the entry's last one is ignored. */
int32_t ms_history_add (ms_history_t *h, double time_s, int32_t pid, uint64_t starttime,
                        const char *comm, int64_t rss_kib, int64_t swap_kib, int64_t pss_kib,
                        bool *is_new);

typedef enum
{
  MS_HISTORY_EXITED, /* not seen in the tick just ended: now "recently exited" */
  MS_HISTORY_FREED,  /* kept long enough after exit: the slot is freed right after the call */
} ms_history_change_t;

typedef void (*ms_history_change_fn) (ms_history_t *h, int32_t slot, ms_history_change_t change,
                                      void *user);

/* Ends a tick: every entry not added since the previous end_tick is marked exited at time_s
 * (fn gets MS_HISTORY_EXITED once), and entries exited for exited_keep_s are freed
 * (MS_HISTORY_FREED).  A process that reappears with the same identity is live again. */
void ms_history_end_tick (ms_history_t *h, double time_s, ms_history_change_fn fn, void *user);

/* Copies the points of one process since `since_s` (oldest first), short tier first where it covers
 * the span and long tier before that; returns the count written (at most max: when more match, the
 * most recent max are written).  Works on recently exited processes too; 0 for unknown ones. */
size_t ms_history_get (const ms_history_t *h, int32_t pid, uint64_t starttime, double since_s,
                       ms_history_point_t *out, size_t max);

/* Slot of an identity, or -1. */
int32_t ms_history_find (const ms_history_t *h, int32_t pid, uint64_t starttime);

/* About one slot (valid slots only). */
int32_t ms_history_slot_pid (const ms_history_t *h, int32_t slot);
uint64_t ms_history_slot_starttime (const ms_history_t *h, int32_t slot);
const char *ms_history_slot_comm (const ms_history_t *h, int32_t slot);
/* True and the exit time when the process is recently exited. */
bool ms_history_slot_exited (const ms_history_t *h, int32_t slot, double *exit_time_s);

/* Entries held (live and recently exited), and the bytes the history holds on the heap. */
size_t ms_history_n_entries (const ms_history_t *h);
size_t ms_history_memory_bytes (const ms_history_t *h);
