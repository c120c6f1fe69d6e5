/* SPDX-License-Identifier: MIT */
/* Blame: which processes' footprints grew between two times, fed one snapshot at a time. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ms-types.h"

/* Which samples count:
 *   "at from" is the last sample whose time_s <= from_s,
 *   "at to"   is the last sample whose time_s <= to_s,
 * so each end of the window is what the trace knew at that moment.  A process is identified by
 * (pid, starttime); its footprint is rss + swap.  One present at "to" but not at "from" started
 * inside the window and counts from 0; one present at "from" but not at "to" exited inside and
 * counts to 0.  Processes seen only between the two samples count 0 to 0 and are not listed.
 * Rows with pid <= 0 are not processes and are skipped. */

typedef struct ms_blame ms_blame_t;

typedef struct
{
  int32_t pid;
  uint64_t starttime;
  char comm[MS_COMM_MAX]; /* at "to", or at "from" for a process that exited inside */
  int64_t start_kib;
  int64_t end_kib;
  int64_t delta_kib;
  bool started_inside;
  bool exited_inside;
} ms_blame_row_t;

typedef enum
{
  MS_BLAME_OK = 0,
  MS_BLAME_NO_SAMPLES,    /* nothing was fed */
  MS_BLAME_BEFORE_TRACE,  /* from_s is earlier than the first sample */
  MS_BLAME_EMPTY_WINDOW,  /* no sample in (from sample, to_s]: a gap, or past the end */
  MS_BLAME_BAD_WINDOW,    /* from_s >= to_s, or not numbers */
  MS_BLAME_NO_MEMORY,
} ms_blame_status_t;

typedef struct
{
  ms_blame_status_t status;
  double first_s, last_s;     /* times of the first and last samples fed */
  double from_sample_s;       /* time of the sample used as "at from" */
  double to_sample_s;         /* time of the sample used as "at to" */
  ms_blame_row_t *rows;       /* largest growth first, shrinkers last (ties by pid) */
  size_t n_rows;
  bool has_machine;           /* both ends had machine totals (mem_total_kib > 0) */
  int64_t machine_start_kib;  /* used + swap used at "from" */
  int64_t machine_end_kib;
  int64_t unattributed_kib;   /* machine growth minus the sum of every row's delta */
} ms_blame_result_t;

ms_blame_t *ms_blame_new (double from_s, double to_s);

/* Snapshots must come in time order.  Only the samples at "from" and at "to" are kept (copied),
 * so a long trace costs the memory of two samples; a snapshot past to_s is ignored. */
void ms_blame_feed (ms_blame_t *self, const ms_snapshot_t *snap);

/* True once a sample later than to_s was fed: nothing further can change the result. */
bool ms_blame_done (const ms_blame_t *self);

/* Computes the ranking into `out` (free it with ms_blame_result_clear).  Returns out->status. */
ms_blame_status_t ms_blame_finish (ms_blame_t *self, ms_blame_result_t *out);

void ms_blame_result_clear (ms_blame_result_t *result);
void ms_blame_free (ms_blame_t *self);

/* A sentence for a status other than MS_BLAME_OK. */
const char *ms_blame_status_message (ms_blame_status_t status);
