/* SPDX-License-Identifier: MIT */
/* The plain structs every layer shares: one process, one machine snapshot, one tag event. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_COMM_MAX 64     /* the kernel's comm is 15 bytes; room for escapes and `[machine]` */
#define MS_USER_MAX 40
#define MS_GROUP_MAX 160
#define MS_CMDLINE_MAX 512
#define MS_EXE_MAX 256
#define MS_NAME_MAX 128    /* the program's full name (see ms_full_name) */

/* A size that could not be read (another user's smaps_rollup, a kernel thread's PSS). */
#define MS_UNKNOWN_KIB (-1)

typedef enum
{
  MS_TAG_NONE = 0,
  MS_TAG_LEAK = 1 << 0,
  MS_TAG_SPIKE = 1 << 1,
  MS_TAG_ZOMBIE = 1 << 2,
} ms_tag_t;

/* One process as seen at one sample.  Identity is (pid, starttime), never pid alone. */
typedef struct
{
  int32_t pid;
  int32_t ppid;
  uint64_t starttime; /* field 22 of stat: clock ticks since boot */
  uint32_t uid;
  char state; /* R S D Z T t X I ... */
  bool kernel_thread;
  int32_t threads;

  char comm[MS_COMM_MAX];       /* raw bytes from stat, NUL-terminated; may hold any byte */
  char name[MS_NAME_MAX];       /* the full program name where comm was cut, else comm */
  char user[MS_USER_MAX];       /* from the passwd database, else the uid in decimal */
  char group[MS_GROUP_MAX];     /* grouping key (see group.h) */
  char cmdline[MS_CMDLINE_MAX]; /* argv joined by spaces, truncated; read when first seen */
  char exe[MS_EXE_MAX];         /* target of the exe link, empty when unreadable */

  int64_t rss_kib;
  int64_t anon_kib;
  int64_t file_kib;
  int64_t shmem_kib;
  int64_t swap_kib;
  int64_t hwm_kib;

  int64_t pss_kib;      /* MS_UNKNOWN_KIB when unknown */
  int64_t uss_kib;      /* MS_UNKNOWN_KIB when unknown */
  int64_t swap_pss_kib; /* MS_UNKNOWN_KIB when unknown */
  double pss_age_s;     /* seconds since the PSS values were read; negative when unknown */

  int64_t footprint_kib; /* rss + swap */
  int64_t baseline_kib;  /* footprint at first sight or at the last reset */
  int64_t delta_kib;     /* footprint - baseline */
  double first_seen_s;   /* sampler clock (seconds since the sampler started) */
  double start_unix;     /* wall-clock start of the process, from starttime and btime */

  double cpu_pct; /* percent of one core over the last interval; negative on the first sample */

  uint32_t tags; /* ms_tag_t bits, set by the detector when one runs */
} ms_proc_t;

/* A process's baseline as it was, to put back (undoing a reset). */
typedef struct
{
  int32_t pid;
  uint64_t starttime;
  int64_t baseline_kib;
} ms_baseline_t;

typedef struct
{
  bool valid;
  double some_avg10, some_avg60, full_avg10, full_avg60;
} ms_pressure_t;

typedef struct
{
  int64_t mem_total_kib;
  int64_t mem_available_kib;
  int64_t mem_free_kib;
  int64_t cached_kib;
  int64_t buffers_kib;
  int64_t shmem_kib;
  int64_t swap_total_kib;
  int64_t swap_free_kib;
  int64_t slab_kib;
} ms_meminfo_t;

/* The kernel's count of OOM kills since boot (/proc/vmstat oom_kill) as read at one tick.  Zero
 * is a reading like any other: on a freshly booted machine the first kill takes it from 0 to 1. */
typedef struct
{
  bool valid;     /* false: no oom_kill line, vmstat unreadable (missing, permission denied), or
                   * the line malformed */
  uint64_t count; /* meaningful only when valid */
} ms_oom_counter_t;

/* What one tick produces.  The procs array belongs to whoever made the snapshot (the sampler
 * reuses its storage next tick: copy what you keep). */
typedef struct
{
  double time_s;    /* sampler clock */
  double time_unix; /* wall clock */
  double interval_s; /* since the previous tick; 0 on the first */
  ms_meminfo_t mem;
  ms_pressure_t pressure;
  ms_oom_counter_t oom_counter; /* the kernel's OOM-kill counter as read this tick */
  uint64_t new_oom_kills;       /* OOM kills since the previous snapshot, derived once from the
                                 * counter (ms_oom_derive, oom.h) where the snapshot enters the
                                 * app; every consumer reads this, none compares counters */
  size_t n_procs;
  ms_proc_t *procs;
} ms_snapshot_t;

/* Why a tag was cleared.  Events read from logs written before the reason existed, and set
 * events, carry MS_CLEAR_UNKNOWN. */
typedef enum
{
  MS_CLEAR_UNKNOWN = 0,
  MS_CLEAR_STOPPED, /* the process goes on and the condition is over: a LEAK stopped growing,
                     * a SPIKE is over, a ZOMBIE left state Z */
  MS_CLEAR_EXITED,  /* the process exited (or became a zombie, which holds no memory) */
  MS_CLEAR_RESET,   /* the detector was replaced (its settings changed) */
} ms_clear_reason_t;

/* A tag being set or cleared; the same events feed the window, the tray, notifications,
 * `record --events` and `replay`. */
typedef struct
{
  double time_s;
  int32_t pid;
  uint64_t starttime;
  char comm[MS_COMM_MAX];
  ms_tag_t tag;
  bool set;
  double rate_kib_s;   /* LEAK: fitted growth rate; NAN where it does not apply */
  double duration_s;   /* LEAK: how long the growth has been seen; NAN where it does not apply */
  double confidence;   /* 0..1; NAN where it does not apply */
  double exhaust_s;    /* LEAK: seconds until MemAvailable runs out at this rate; NAN = null */
  double jump_kib;     /* SPIKE: size of the jump; NAN where it does not apply */
  ms_clear_reason_t reason; /* clear events: why; MS_CLEAR_UNKNOWN for set events */
} ms_event_t;

static inline int64_t
ms_footprint_kib (int64_t rss_kib, int64_t swap_kib)
{
  return (rss_kib > 0 ? rss_kib : 0) + (swap_kib > 0 ? swap_kib : 0);
}
