/* SPDX-License-Identifier: MIT */
/* Reads the JSON label of one recorded corpus trace: which process leaks, from when, and how. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One flat JSON object (the format is in memscope-probe(1), LABELS).  Unknown keys are ignored;
 * strings longer than the fields are an error, not cut. */
typedef struct
{
  char trace[256];          /* file name of the trace, beside the label */
  int32_t pid;
  uint64_t starttime;
  char comm[64];
  bool leak;
  double leak_start_s;      /* trace time_s; NAN unless leak */
  double leak_end_s;        /* when the leak stopped, if before the process's end; else NAN */
  double rate_kib_s;        /* the workload's nominal leak rate; NAN when not given */
  bool gc_floor;            /* the leak rises under a garbage collector's teeth or in steps */
  char kind[48];
  char runtime[32];
  char runtime_version[96];
  char set[16];             /* "tuning" or "held-out" */
} ms_label_t;

/* Parses `len` bytes (need not be terminated).  Returns 0, or -1 with a message in err naming
 * `name`, the byte offset and what is wrong.  Required keys: trace, pid, starttime, leak, kind,
 * runtime, set, and leak_start_s when leak is true. */
int ms_label_parse (const char *text, size_t len, const char *name, ms_label_t *out, char *err,
                    size_t err_len);
