/* SPDX-License-Identifier: MIT */
/* Judges the detector on labelled traces (synthetic or recorded): recall, false alarms, latency. */
#pragma once

#include "detector.h"
#include "tracegen.h"

#include <stdbool.h>
#include <stdio.h>

#define MS_EVAL_MAX_LAT 512
#define MS_EVAL_MAX_ROWS 64

/* Tallies of one group of traces: a pattern or kind, a runtime, or everything ("all"). */
typedef struct
{
  char group[48];
  int traces;
  int leaks;          /* leaks that count for recall (synthetic: grew enough to be found) */
  int found;          /* LEAK set at or after the leak began */
  int bound_leaks;    /* leaks a latency bound applies to */
  int in_bound;       /* ... tagged by their deadline */
  int held;           /* leaks still tagged at the process's last sample */
  int hold_expected;  /* leaks that go on to the end of their trace */
  int nonleaks;       /* processes with no leak */
  int false_leak;     /* LEAK on a non-leak, or before the leak began */
  int flaps;          /* leaks tagged more than once */
  int spike_expected, spike_found, spike_false;
  int spikes_seen;    /* SPIKE set anywhere (recorded traces: for information) */
  int zombie_expected, zombie_found;
  int n_lat;
  double lat_s[MS_EVAL_MAX_LAT];
} ms_eval_row_t;

typedef struct
{
  ms_eval_row_t rows[MS_EVAL_MAX_ROWS]; /* rows[0] is "all" */
  int n_rows;
  int errors;          /* traces or labels that could not be read */
  FILE *log;           /* each miss and false alarm is described here when not NULL */
  const char *prefix;  /* put before each log line ("# " in a TAP test) */
} ms_eval_t;

void ms_eval_init (ms_eval_t *ev, FILE *log, const char *prefix);

/* The row of a group, created when new (NULL when the table is full). */
ms_eval_row_t *ms_eval_row (ms_eval_t *ev, const char *group);

/* When a leak must be tagged by, from the two clocks: after a steady stretch of at least
 * 2 min, >= 1 MiB/s within 60 s of its start, >= 256 KiB/s within 2 min, slower ones and floors
 * rising under a garbage collector's teeth (or in steps) within 5 min; from birth (less than
 * 2 min of steady past), >= 1 MiB/s by the age of 3 min, the rest by 6 min.  Ages count from
 * first_seen_s.  Two readings of the text: a floor under teeth, or a staircase, gets the
 * garbage collector's bound whatever its rate (the issue names 0.2-1 MiB/s, what real runtimes
 * do; a faster floor under teeth up to a third of the process tall cannot be shown by 60 s of
 * them); and the 5 min of "64 KiB/s in a 30 MiB process" apply to any slow leak in any process
 * (stricter than the text), the synthetic set counting a bound only once the leak has grown
 * max(16 MiB, 2 % of the process) by its deadline. */
double ms_eval_deadline (double leak_start_s, double first_seen_s, double rate_kib_s,
                         bool gc_floor);

/* Runs every spec through a fresh detector with params and adds each to its pattern's row. */
void ms_eval_synthetic (ms_eval_t *ev, const ms_tg_spec_t *specs, size_t n,
                        const ms_detector_params_t *params);

/* Judges every label (*.json) in label_dir whose set is only_set (NULL: all).  A trace named
 * X.csv.gz is read from plain_dir/X.csv when that exists (plain_dir may be NULL), else from
 * label_dir through `gzip -dc`.  Rows: the label's kind and "runtime RUNTIME".  Returns the number
 * of labels judged, or -1 when label_dir cannot be read. */
int ms_eval_corpus (ms_eval_t *ev, const char *label_dir, const char *plain_dir,
                    const char *only_set, const ms_detector_params_t *params);

/* Prints the table: one line per row, "all" last. */
void ms_eval_print (const ms_eval_t *ev, FILE *out, const char *title);

double ms_eval_median (const ms_eval_row_t *row);
double ms_eval_max_latency (const ms_eval_row_t *row);
