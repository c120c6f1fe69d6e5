/* SPDX-License-Identifier: MIT */
/* The rolling on-disk recording of the last day (trace segments in two tiers) and the events log. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms-types.h"
#include "trace.h"

/* Layout of the state directory:
 *   fine-<start_ms>.csv    every sample (at most one per fine_res_s) of the last fine_span_s
 *   coarse-<start_ms>.csv  one sample per coarse_res_s bucket (the one with the most machine
 *                          memory in use, so a short peak stays visible) for coarse_span_s
 *   events.jsonl           LEAK / SPIKE / ZOMBIE / OOM events, one JSON object per line, in the
 *                          format of `replay --json` with time_s in wall-clock (Unix) seconds;
 *                          events.old.jsonl is the previous one after a rotation
 * Each segment is a plain trace (any reader, `memscope-probe blame` included, opens it alone):
 * <start_ms> is the wall-clock time of its first sample in milliseconds since the Unix epoch and
 * its time_s column counts from there.  The trace writer flushes every sample, so a crash loses at
 * most the sample being written; a new run always starts new segments, never appending behind a
 * line a crash may have cut. */

/* The tag of an OOM event: the kernel's oom_kill counter rose (not one of ms_tag_t's bits). */
#define MS_STORE_TAG_OOM ((ms_tag_t) (1 << 8))

typedef struct
{
  double fine_res_s;        /* 1: at most one fine sample per this */
  double fine_span_s;       /* 3600: fine samples are kept this long */
  double fine_segment_s;    /* 600: a fine segment covers at most this */
  double coarse_res_s;      /* 60: one coarse sample per bucket of this */
  double coarse_span_s;     /* 86400: coarse samples are kept this long */
  double coarse_segment_s;  /* 3600 */
  uint64_t max_bytes;       /* 256 MiB: every segment together; the oldest go first */
  uint64_t max_event_bytes; /* 1 MiB: events.jsonl is rotated past this */
} ms_store_params_t;

void ms_store_params_init (ms_store_params_t *p);

typedef struct ms_store ms_store_t;

/* Creates `dir` (and its parents) when missing.  NULL with a message in err when the directory
 * cannot be made or memory is short.  p may be NULL for the defaults. */
ms_store_t *ms_store_open (const char *dir, const ms_store_params_t *p, char *err, size_t err_len);

/* Flushes the pending coarse bucket and closes the segments. */
void ms_store_close (ms_store_t *self);

/* Records one sample at snap->time_unix (snap->time_s when time_unix is 0); a sample not later than
 * the previous one is ignored.  Also logs an OOM event when snap->new_oom_kills is not 0 (the
 * store derives nothing: see ms_oom_derive).  Returns 0, or -1 on a write error (err says what;
 * the next sample tries again). */
int ms_store_add (ms_store_t *self, const ms_snapshot_t *snap, char *err, size_t err_len);

/* Appends one event to the events log; ev->time_s is replaced by time_unix in the log. */
int ms_store_add_event (ms_store_t *self, const ms_event_t *ev, double time_unix);

/* Bytes the segments take on disk now (events log excluded). */
uint64_t ms_store_disk_bytes (const ms_store_t *self);

/* Bytes of memory its sample buffers hold now (for tests of its footprint). */
size_t ms_store_memory_bytes (const ms_store_t *self);

/* --- Reading back (no open store needed: a new run reads what an earlier one left) ------------- */

/* Delivers, in time order, every stored sample with from_unix <= time <= to_unix: coarse samples
 * up to where the fine tier starts, fine samples after.  time_s and time_unix of the snapshot are
 * wall-clock seconds; a sample not later than the one before (a clock set back) is skipped.  A
 * damaged segment (a crash-cut last line, garbage) yields the samples before the damage and is
 * counted in *n_damaged (may be NULL) with its message in err; reading goes on with the next one.
 * fn returns non-zero to stop.  Returns 0, 1 when fn stopped, -1 when dir cannot be read. */
int ms_store_read (const char *dir, double from_unix, double to_unix, ms_trace_sample_fn fn,
                   void *user, unsigned *n_damaged, char *err, size_t err_len);

/* One event read back.  For OOM events (tag MS_STORE_TAG_OOM) pid is 0 and oom_kills the count. */
typedef struct
{
  ms_event_t event;
  uint64_t oom_kills;
} ms_store_event_t;

typedef int (*ms_store_event_fn) (const ms_store_event_t *event, void *user);

/* Delivers the logged events with time_s >= since_unix, oldest first.  Lines that do not parse (a
 * crash-cut last line) are skipped and counted in *n_bad (may be NULL).  Returns 0, 1 when fn
 * stopped, -1 when the log exists but cannot be read. */
int ms_store_read_events (const char *dir, double since_unix, ms_store_event_fn fn, void *user,
                          unsigned *n_bad);

/* Parses one event line as written to the log (or by `replay --json`).  Returns 0, or -1 when the
 * line is not a complete event object. */
int ms_store_parse_event (const char *line, size_t len, ms_store_event_t *out);
