/* SPDX-License-Identifier: MIT */
/* The sampling tick: every process's memory from a proc tree, cheap enough to run every second. */
#pragma once

#include "ms-types.h"

typedef struct ms_sampler ms_sampler_t;

typedef struct
{
  const char *proc_root;   /* "/proc", or a fixture tree */
  const char *passwd_path; /* "/etc/passwd", read directly so a static probe needs no NSS */
  const char *sys_root;    /* "/sys", for cgroup fallbacks; may be a fixture tree */
  size_t pss_budget;       /* smaps_rollup reads per tick (the expensive tier) at least; 0: none */
  size_t pss_budget_max;   /* and at most, when more processes need reading (see pss-schedule.h):
                            * past this many the promise below no longer holds */
  double pss_max_age_s;    /* every readable process gets fresh PSS at least this often while
                            * its size moves (a new one, within this long of its start), and
                            * twice as long when it does not */
  double status_max_age_s; /* status is re-read at least this often even when RSS is unchanged */
  double idle_full_s;      /* a single-threaded process that has not run since the last tick is
                            * not read again (its schedstat says so) for up to this long; 0: off */
  size_t fd_cap;           /* descriptors kept open across ticks; beyond it, open-read-close */
  bool pss_all;            /* read PSS for every process each tick (slow: memscope-probe --pss) */
} ms_sampler_opts_t;

void ms_sampler_opts_init (ms_sampler_opts_t *opts);

/* Raises this process's soft limit on open files to its hard limit (at most 65,536), so that
 * descriptors can stay open for every process of a busy machine: desktop sessions start programs
 * with a soft limit of 1,024.  Call before ms_sampler_opts_init, which sizes fd_cap from it.
 * Returns the soft limit now in force. */
long ms_sampler_raise_fd_limit (void);

/* NULL when the proc root cannot be opened; the reason goes to `err`. */
ms_sampler_t *ms_sampler_new (const ms_sampler_opts_t *opts, char *err, size_t err_len);
void ms_sampler_free (ms_sampler_t *self);

/* Reads every process once.  The snapshot (and its procs array) stays valid until the next tick
 * or ms_sampler_free; copy what you keep.  Returns 0, or -1 when the proc root itself failed
 * (one vanished or unreadable process never fails a tick). */
int ms_sampler_tick (ms_sampler_t *self, ms_snapshot_t **out);

/* The same with an explicit clock, for tests and replays (seconds). */
int ms_sampler_tick_at (ms_sampler_t *self, double now_s, double now_unix, ms_snapshot_t **out);

/* Baseline to the current footprint: of one process, or of all when pid <= 0. */
void ms_sampler_reset_baseline (ms_sampler_t *self, int32_t pid, uint64_t starttime);

/* Puts the given baselines back (an undone reset): each (pid, starttime) still alive gets its
 * baseline and the delta that follows from it, in the last snapshot too; others are ignored.
 * Returns how many processes took one. */
size_t ms_sampler_restore_baselines (ms_sampler_t *self, const ms_baseline_t *baselines,
                                     size_t n_baselines);

/* Ask for this process's PSS first in every tick's budget (the inspected process); pid <= 0 stops. */
void ms_sampler_set_pss_priority (ms_sampler_t *self, int32_t pid, uint64_t starttime);

/* smaps_rollup reads the last tick asked for (for bench). */
size_t ms_sampler_pss_reads_last (const ms_sampler_t *self);

/* Descriptors the sampler keeps open now (for tests and bench). */
size_t ms_sampler_open_fds (const ms_sampler_t *self);

/* Files re-read with pread on kept descriptors vs opened and closed, since the start. */
void ms_sampler_io_stats (const ms_sampler_t *self, uint64_t *kept_reads, uint64_t *opened_reads);
