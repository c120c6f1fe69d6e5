/* SPDX-License-Identifier: MIT */
/* What `memscope-probe serve` exports: a small immutable model built after each tick, and its
 * Prometheus text and OpenMetrics renderings. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detector.h"
#include "ms-types.h"

/* A growing text buffer; `failed` is set (and the text left short) when memory ran out. */
typedef struct
{
  char *data;
  size_t len, cap;
  bool failed;
} ms_text_t;

void ms_text_append (ms_text_t *t, const char *s, size_t n);
void ms_text_printf (ms_text_t *t, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void ms_text_free (ms_text_t *t);

/* Appends a label value escaped for both formats: backslash, double quote and line feed get a
 * backslash, and a byte that is not part of valid UTF-8 becomes the code point of the same value
 * (as in the JSON output), so any process name gives a valid line. */
void ms_text_label_value (ms_text_t *t, const char *s);

typedef struct
{
  char *key;   /* the core's grouping key, e.g. "tree:/usr/bin/python3.11:812" */
  char *label; /* its short display name */
  int64_t rss_kib, swap_kib;
  int64_t pss_kib; /* MS_UNKNOWN_KIB unless every member's PSS was known */
  uint32_t processes;
} ms_metrics_group_t;

typedef struct
{
  int32_t pid;
  uint64_t starttime;
  char comm[MS_COMM_MAX];
  char *group;
  int64_t rss_kib, swap_kib, pss_kib;
  uint32_t tags;
  bool leak_known;              /* the fields below come from the detector's LEAK state */
  double leak_rate_kib_s, leak_duration_s, leak_confidence, leak_exhaust_s; /* NAN = unknown */
} ms_metrics_proc_t;

typedef struct
{
  double time_unix;
  ms_meminfo_t mem;
  ms_pressure_t pressure;
  uint64_t oom_kills;
  bool oom_known; /* the counter could be read this tick (snap->oom_counter.valid) */
  size_t processes_seen;
  uint64_t samples;
  double tick_s; /* how long the last sampling tick took */
  size_t n_groups, groups_total;
  ms_metrics_group_t *groups;
  size_t n_procs;
  ms_metrics_proc_t *procs;
} ms_metrics_t;

typedef struct
{
  size_t top_procs;  /* processes by footprint, beside every tagged one */
  size_t top_groups; /* groups by footprint, beside every group with a tagged process */
} ms_metrics_limits_t;

/* Builds the model of one tick.  The detector (may be NULL) gives each tagged process's LEAK
 * figures; snap->procs[].tags must already be set by it.  NULL when memory is short. */
ms_metrics_t *ms_metrics_build (const ms_snapshot_t *snap, const ms_detector_t *detector,
                                const ms_metrics_limits_t *limits, uint64_t samples,
                                double tick_s);
void ms_metrics_free (ms_metrics_t *m);

typedef enum
{
  MS_EXPO_TEXT,        /* text/plain; version=0.0.4 */
  MS_EXPO_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
} ms_expo_format_t;

const char *ms_expo_content_type (ms_expo_format_t format);

/* Appends the whole exposition of `m` (ending in "# EOF" in OpenMetrics). */
void ms_metrics_write (const ms_metrics_t *m, ms_expo_format_t format, ms_text_t *out);
