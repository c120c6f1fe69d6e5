/* SPDX-License-Identifier: MIT */
/* The trace CSV that `record` writes and `replay`, `blame` and the app read, plus event lines. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ms-types.h"

/* The header `record` writes; readers find columns by name and ignore unknown ones. */
#define MS_TRACE_HEADER                                                                          \
  "time_s,pid,starttime,comm,state,rss_kib,pss_kib,swap_kib,ppid,uid,user,group,anon_kib,"       \
  "file_kib,shmem_kib,cpu_pct,mem_total_kib,mem_available_kib,swap_total_kib,psi_some_avg10,"    \
  "psi_full_avg10"

/* The comm of the machine row (pid 0) that every sample starts with. */
#define MS_TRACE_MACHINE_COMM "[machine]"

/* --- Writing ---------------------------------------------------------------------------------- */

typedef struct ms_trace_writer ms_trace_writer_t;

/* Writes the header at once.  `out` stays the caller's (not closed by free).  NULL when memory or
 * the first write fails (errno tells which). */
ms_trace_writer_t *ms_trace_writer_new (FILE *out);

/* Appends one sample: a machine row, then one row per process of `snap`, and flushes, so a killed
 * recorder loses at most the sample in flight.  `time_s` is seconds since the recording started;
 * it is written with millisecond precision.  Returns 0, or -1 on a write error (errno set). */
int ms_trace_writer_sample (ms_trace_writer_t *self, const ms_snapshot_t *snap, double time_s);

/* A sample formatted ahead of its time: its rows without the time column, each starting with the
 * comma after it.  Start it zeroed; it keeps its buffer from one sample to the next. */
typedef struct
{
  char *buf;
  size_t len;
  size_t cap;
} ms_trace_rows_t;

/* Formats the machine row and one row per process of `snap`.  Returns 0, or -1 when memory is
 * short (errno ENOMEM). */
int ms_trace_rows_format (ms_trace_rows_t *rows, const ms_snapshot_t *snap);
void ms_trace_rows_clear (ms_trace_rows_t *rows);

/* Appends rows formatted earlier as one sample at `time_s`, as ms_trace_writer_sample does. */
int ms_trace_writer_rows (ms_trace_writer_t *self, const ms_trace_rows_t *rows, double time_s);

void ms_trace_writer_free (ms_trace_writer_t *self);

/* The bytes its buffers hold now (for tests of its footprint). */
size_t ms_trace_writer_get_buffer_size (const ms_trace_writer_t *self);

/* Rounds a time to what the trace stores, so a live consumer sees the same clock as a replay. */
double ms_trace_round_time (double time_s);

/* --- Reading ---------------------------------------------------------------------------------- */

typedef struct ms_trace_reader ms_trace_reader_t;

/* Receives one sample: every row of one time_s.  The snapshot and its procs are the reader's and
 * are reused for the next sample (copy what you keep); the callee may change them.  procs[] holds
 * process rows only (no pid 0); columns the trace lacks are 0 or MS_UNKNOWN_KIB (pss_kib, uss_kib,
 * swap_pss_kib), cpu_pct is negative when unknown, footprint_kib = rss + swap.  mem.* comes from the
 * machine row when the trace has one (all 0 otherwise); swap_free_kib = swap_total − swap used;
 * pressure.valid when both PSI columns are filled; kernel_thread is inferred (pid 2, or a child of
 * pid 2 with no memory).  time_unix is 0; interval_s is the time since
 * the previous sample (0 for the first).  Return 0 to go on, anything else to stop reading. */
typedef int (*ms_trace_sample_fn) (ms_snapshot_t *snap, void *user);

/* Reads from `in` (not closed by free) in chunks: memory stays bounded whatever the trace's
 * length.  `name` is used in error messages ("NAME:LINE: ..."). */
ms_trace_reader_t *ms_trace_reader_new (FILE *in, const char *name);

/* The same over bytes in memory (tests and fuzzing); `data` must outlive the reader. */
ms_trace_reader_t *ms_trace_reader_new_mem (const void *data, size_t len, const char *name);

/* Delivers every sample in order; call once per reader.  Returns 0 at the end of the trace, 1 when
 * `fn` asked to stop, or -1 on bad input or a read error: then every sample that ended before the
 * bad line has been delivered (a row whose time_s goes backwards ends the sample before it), the
 * sample the bad line belongs to has not, and ms_trace_reader_error says what and where. */
int ms_trace_reader_run (ms_trace_reader_t *self, ms_trace_sample_fn fn, void *user);

/* "NAME:LINE: what is wrong", or "" when there was no error. */
const char *ms_trace_reader_error (const ms_trace_reader_t *self);

/* Line (1-based, as an editor counts) of the error, 0 when none. */
uint64_t ms_trace_reader_error_line (const ms_trace_reader_t *self);

/* Rows read so far (header excluded) and whether any was a machine row. */
uint64_t ms_trace_reader_rows (const ms_trace_reader_t *self);
bool ms_trace_reader_has_machine (const ms_trace_reader_t *self);

void ms_trace_reader_free (ms_trace_reader_t *self);

/* Opens PATH ("-" for stdin), reads it with `fn` and closes it.  Same return values as
 * ms_trace_reader_run; on -1 the message goes to `err`. */
int ms_trace_read_path (const char *path, ms_trace_sample_fn fn, void *user, char *err,
                        size_t err_len);

/* --- Events ----------------------------------------------------------------------------------- */

/* Writes one tag event as a JSON object and a newline (`record --events`, `replay --json`):
 * time_s, pid, starttime, comm, tag, event ("set"/"clear"), then rate_kib_s, duration_s,
 * confidence and jump_kib when they are numbers, exhaust_s (null when unknown) on LEAK events, and
 * reason ("stopped", "exited", "reset") on clear events whose reason is known. */
void ms_trace_event_json (FILE *out, const ms_event_t *event);

/* "stopped", "exited", "reset"; NULL for MS_CLEAR_UNKNOWN. */
const char *ms_trace_clear_reason_name (ms_clear_reason_t reason);

/* "LEAK", "SPIKE", "ZOMBIE" (or "NONE"). */
const char *ms_trace_tag_name (ms_tag_t tag);
