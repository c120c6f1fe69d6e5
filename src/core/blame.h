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
 * counts to 0.  One seen only between the two samples started and exited inside: it counts 0 to
 * 0, no part of the change, and is listed with the largest footprint it had (peak_kib), so a
 * window drawn over a bump that came and went names what made it.
 * Rows with pid <= 0 are not processes and are skipped.
 *
 * Shares are of the gross change: the growth of every grower, the shrink of every shrinker and
 * process that exited, and the machine's change that no process explains, all taken as sizes and
 * added up.  A row's share carries the sign of its change, so a fall of memory in use is explained
 * by its shrinkers as much as a rise by its growers, and the sizes of all shares add up to 100 %. */

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
  /* For a process that started and exited inside (both flags): the largest footprint it had in
   * the samples between the ends (the sum of its processes' for a merged row); else 0. */
  int64_t peak_kib;
  /* Processes in the row: 1, or more once ms_blame_aggregate merged the short-lived processes of
   * one program.  A merged row has pid 0 and starttime 0; its processes are
   * members[first_member .. first_member + count - 1] of the result. */
  uint32_t count;
  size_t first_member;
  double share;  /* delta_kib / gross_kib, signed; 0 when nothing changed */
  int share_pct; /* share in whole percent, signed, rounded so that the sizes of every row's and
                  * the unattributed part's add up to exactly 100 (0 when nothing changed) */
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
  ms_blame_row_t *rows;       /* largest growth first, shrinkers last (ties by peak, pid) */
  size_t n_rows;
  bool has_machine;           /* both ends had machine totals (mem_total_kib > 0) */
  int64_t machine_start_kib;  /* used + swap used at "from" */
  int64_t machine_end_kib;
  int64_t unattributed_kib;   /* machine growth minus the sum of every row's delta */
  int64_t grew_kib;           /* the sum of the rows' growth (deltas above 0) */
  int64_t shrank_kib;         /* the sum of the rows' shrink (deltas below 0), at most 0 */
  int64_t gross_kib;          /* grew - shrank + |unattributed|: what the shares are of */
  double unattributed_share;  /* unattributed_kib / gross_kib, signed (0 without machine totals) */
  int unattributed_share_pct;
  ms_blame_row_t *members;    /* the processes of merged rows (after ms_blame_aggregate) */
  size_t n_members;
} ms_blame_result_t;

ms_blame_t *ms_blame_new (double from_s, double to_s);

/* Snapshots must come in time order.  Only the samples at "from" and at "to" are kept (copied),
 * with one entry for each process that appeared in between, so a long trace costs the memory of
 * two samples and of the processes it started; a snapshot past to_s is ignored. */
void ms_blame_feed (ms_blame_t *self, const ms_snapshot_t *snap);

/* True once a sample later than to_s was fed: nothing further can change the result. */
bool ms_blame_done (const ms_blame_t *self);

/* Computes the ranking into `out` (free it with ms_blame_result_clear).  Returns out->status. */
ms_blame_status_t ms_blame_finish (ms_blame_t *self, ms_blame_result_t *out);

/* Merges the rows of processes of one program (same comm) that started inside the window into
 * one row, and likewise those that exited inside and those that did both, wherever a program
 * has at least two: a script
 * that started 37 `sleep`s explains its growth in one row, "sleep" with count 37.  Processes seen
 * at both ends keep rows of their own, as do a program's only newcomer or only exit.  Shares are
 * rounded again over the new rows; the order stays the core's.  Returns out->status: MS_BLAME_OK,
 * or MS_BLAME_NO_MEMORY with the result as it was. */
ms_blame_status_t ms_blame_aggregate (ms_blame_result_t *result);

void ms_blame_result_clear (ms_blame_result_t *result);
void ms_blame_free (ms_blame_t *self);

/* A sentence for a status other than MS_BLAME_OK. */
const char *ms_blame_status_message (ms_blame_status_t status);
