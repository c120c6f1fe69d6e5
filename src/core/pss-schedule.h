/* SPDX-License-Identifier: MIT */
/* Which processes get their PSS read this tick: a pure function of the processes' reading times,
 * so the promise it keeps can be checked in simulated time. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the schedule needs to know of one process. */
typedef struct
{
  double first_seen_s; /* sampler clock */
  double read_s;       /* when its PSS was last read; negative: never */
  int64_t moved_kib;   /* how far its footprint moved since that reading (absolute) */
  bool readable;       /* not a kernel thread, not a zombie, not recently refused */
  bool priority;       /* the inspected process: read every tick */
  bool retry;          /* refused before (another user's): asked again with a spare read */
} ms_pss_cand_t;

typedef struct
{
  double max_age_s;   /* the promise: a reading at most this old while the size moves (and for
                       * a process never read, since it was first seen), twice as old when not */
  size_t base_budget; /* reads per tick at least (spent on growers when nothing is due) */
  size_t max_budget;  /* reads per tick at most: the cost cap where the promise stops holding */
} ms_pss_sched_opts_t;

/* The time by which the process must have a fresh reading. */
double ms_pss_deadline_s (const ms_pss_cand_t *c, double max_age_s);

/* Picks up to opts->max_budget processes to read now, most pressing first, into `out` (indexes
 * into `cands`; room for max_budget).  `credit` carries the fraction of a read owed between
 * ticks (start it at 0).  Returns how many were picked.
 *
 * The budget follows the demand: each readable process needs one read per max_age_s (twice that
 * when its size does not move), so the reads per tick are that rate times the interval with a
 * quarter of headroom, never under base_budget, and at least as many as have a deadline before
 * the next tick, up to max_budget.  The reads go first to the inspected process, then to those
 * whose deadline falls before the next tick, earliest first; what is left goes to the fastest
 * growers and to processes never read.  A process whose size has not moved is not read before
 * its deadline is due, so an idle machine leaves the budget unspent. */
size_t ms_pss_schedule (const ms_pss_cand_t *cands, size_t n, double now_s, double interval_s,
                        const ms_pss_sched_opts_t *opts, double *credit, int32_t *out);
