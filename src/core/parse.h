/* SPDX-License-Identifier: MIT */
/* Pure parsers from the bytes of /proc files to structs: no I/O, no allocation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms-types.h"

/* The kernel's PF_ flags in field 9 of stat: a kernel thread; a task that has begun to exit
 * (its memory may be torn down under a reader). */
#define MS_PF_KTHREAD 0x00200000u
#define MS_PF_EXITING 0x00000004u

typedef struct
{
  int32_t pid;
  char comm[MS_COMM_MAX];
  char state;
  int32_t ppid;
  uint32_t flags;
  uint64_t utime; /* clock ticks */
  uint64_t stime; /* clock ticks */
  int32_t threads;
  uint64_t starttime; /* clock ticks since boot */
  uint64_t rss_pages;
} ms_stat_t;

typedef struct
{
  bool has_uid;
  uint32_t uid;
  int32_t threads;
  bool has_vm; /* kernel threads have no Vm* lines */
  int64_t rss_kib, anon_kib, file_kib, shmem_kib, swap_kib, hwm_kib;
} ms_status_t;

typedef struct
{
  int64_t rss_kib;
  int64_t pss_kib;
  int64_t uss_kib; /* Private_Clean + Private_Dirty */
  int64_t swap_kib;
  int64_t swap_pss_kib;
  size_t mappings; /* header lines seen (1 for smaps_rollup) */
} ms_smaps_sum_t;

/* Every parser returns 0 on success and -1 when the text is not what the kernel writes (truncated,
 * a number that overflows 64 bits, a field missing).  None reads past `len`; none needs a NUL. */

int ms_parse_stat (const char *buf, size_t len, ms_stat_t *out);
int ms_parse_status (const char *buf, size_t len, ms_status_t *out);

/* /proc/PID/schedstat: "run_ns wait_ns timeslices", the time the task has run, in ns. */
int ms_parse_schedstat (const char *buf, size_t len, uint64_t *run_ns);

/* Sums Rss, Pss, Private_*, Swap and SwapPss over every mapping: serves smaps_rollup (one block)
 * and the full smaps alike.  Fails when no Pss line is present. */
int ms_parse_smaps_sum (const char *buf, size_t len, ms_smaps_sum_t *out);

/* MemTotal and MemAvailable are required; other fields stay 0 when absent. */
int ms_parse_meminfo (const char *buf, size_t len, ms_meminfo_t *out);

/* /proc/pressure/memory; sets out->valid. */
int ms_parse_pressure (const char *buf, size_t len, ms_pressure_t *out);

/* The value of one `key value` line of /proc/vmstat (oom_kill) or /proc/stat (btime).  Returns 0,
 * or -1 when the key is absent or its value is not a whole number (out is then left alone). */
int ms_parse_key_u64 (const char *buf, size_t len, const char *key, uint64_t *out);

/* The name a person knows the program by.  The kernel keeps only 15 bytes of it (comm); when
 * comm fills them and is a prefix of the basename of the command line's first word, or else of
 * the executable's, that basename is the full name.  Otherwise comm is the name: complete, or
 * chosen by the process itself (prctl or a write to comm), which it keeps.  `cmdline` is argv
 * joined by spaces, `exe` the target of the exe link; either may be empty. */
void ms_full_name (const char *comm, const char *cmdline, const char *exe, char *out,
                   size_t out_len);

/* Joins the NUL-separated argv of /proc/PID/cmdline with spaces into out (truncated to fit). */
void ms_parse_cmdline (const char *buf, size_t len, char *out, size_t out_len);

/* Finds a desktop application scope in /proc/PID/cgroup (cgroup v1 or v2): systemd
 * `app-[LAUNCHER-]ID-RANDOM.scope` (Flatpak's `app-flatpak-ID-N.scope` included) and Snap's
 * `snap.NAME.APP-UUID.scope`.  Writes the application id (unescaped, e.g. "org.mozilla.firefox")
 * and returns 0, or -1 when the process is in no application scope. */
int ms_parse_cgroup_app (const char *buf, size_t len, char *app_id, size_t app_id_len);

/* One line of /etc/passwd: name and uid.  Returns -1 for comments and malformed lines. */
int ms_parse_passwd_line (const char *line, size_t len, char *name, size_t name_len, uint32_t *uid);

/* Cursor parsers the above are built on; exported for the trace reader and the tests.
 * They skip leading spaces and tabs and stop at the first byte that is not part of the number. */
bool ms_scan_u64 (const char **p, const char *end, uint64_t *out);
bool ms_scan_i64 (const char **p, const char *end, int64_t *out);
