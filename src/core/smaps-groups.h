/* SPDX-License-Identifier: MIT */
/* What grows inside one process: its smaps mappings grouped by kind and name, and the change
 * between two readings. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum
{
  MS_SMAPS_HEAP = 0,   /* [heap] */
  MS_SMAPS_STACK,      /* [stack] (and the [stack:TID] of old kernels) */
  MS_SMAPS_ANON,       /* anonymous memory without a name */
  MS_SMAPS_ANON_NAMED, /* [anon:NAME] (prctl PR_SET_VMA_ANON_NAME): the name is NAME */
  MS_SMAPS_FILE,       /* a file or library */
  MS_SMAPS_SHMEM,      /* SysV (/SYSVkey), POSIX (/dev/shm/...), shared anonymous (/dev/zero,
                        * [anon_shmem:NAME]) */
  MS_SMAPS_MEMFD,      /* /memfd:NAME (deleted): the name is NAME */
  MS_SMAPS_DELETED,    /* a file deleted since it was mapped: the name is its path */
  MS_SMAPS_SPECIAL,    /* [vdso], [vvar], [vsyscall] and other areas the kernel names */
  MS_SMAPS_N_KINDS
} ms_smaps_kind_t;

/* "heap", "stack", "anon", "anon_named", "file", "shmem", "memfd", "deleted", "special";
 * "unknown" for a value out of range. */
const char *ms_smaps_kind_name (ms_smaps_kind_t kind);

/* Mappings of one kind and name summed.  Names never hold the " (deleted)" suffix. */
typedef struct
{
  ms_smaps_kind_t kind;
  const char *name; /* NUL-terminated, owned by the ms_smaps_groups_t; "" for plain anonymous */
  uint32_t name_len;
  uint32_t mappings;
  int64_t size_kib;    /* virtual size */
  int64_t rss_kib;
  int64_t pss_kib;
  int64_t swap_kib;
  int64_t private_kib; /* Private_Clean + Private_Dirty */

  /* private to smaps-groups.c */
  uint32_t hash;
  uint32_t name_off;
} ms_smaps_group_t;

/* One parse.  Storage is kept between parses, so re-reading the same process every few seconds
 * stops allocating once it has seen its largest map. */
typedef struct
{
  ms_smaps_group_t *groups; /* in order of first appearance (address order) */
  size_t n_groups;
  ms_smaps_group_t total;   /* sums over every mapping; kind MS_SMAPS_N_KINDS, name "" */
  size_t n_mappings;

  /* Why the last parse failed: 1-based line and a fixed reason, else 0 and NULL. */
  size_t error_line;
  const char *error;

  /* private to smaps-groups.c */
  size_t groups_cap;
  char *pool;
  size_t pool_len, pool_cap;
  uint32_t *slots; /* open addressing: group index + 1, 0 = empty */
  size_t n_slots;
  char *text; /* what ms_smaps_groups_read read last */
  size_t text_cap;
} ms_smaps_groups_t;

void ms_smaps_groups_init (ms_smaps_groups_t *g);
/* Frees all storage; the struct is then as after init. */
void ms_smaps_groups_clear (ms_smaps_groups_t *g);
/* Empties the groups but keeps the storage. */
void ms_smaps_groups_reset (ms_smaps_groups_t *g);

/* Parses a whole /proc/PID/smaps text (any size; no NUL needed).  Returns 0, or -1 with
 * error_line and error set when the text is not what the kernel writes (a field before the first
 * mapping, a size that is not a number or overflows, a line that is neither); -2 when memory is
 * short.  The groups of a failed parse are what was read before the bad line. */
int ms_smaps_groups_parse (const char *buf, size_t len, ms_smaps_groups_t *out);

/* Reads and parses /proc/PID/smaps under proc_root for the process (pid, starttime).  The
 * starttime (field 22 of stat) is checked through the same directory descriptor the smaps is read
 * from, so a pid reused by another process is refused.  Returns 0, or -errno: -ESRCH when the
 * process is gone or the pid now belongs to another process, -EACCES for another user's process
 * (a fixture tree's PID/.unreadable naming "smaps" does the same; /proc is never asked for one),
 * -EINVAL for pid <= 0, -EBADMSG when the text does not parse (error_line says where), -ENOMEM. */
int ms_smaps_groups_read (const char *proc_root, int32_t pid, uint64_t starttime,
                          ms_smaps_groups_t *out);

/* The group (kind, name), or NULL. */
const ms_smaps_group_t *ms_smaps_groups_find (const ms_smaps_groups_t *g, ms_smaps_kind_t kind,
                                              const char *name, size_t name_len);

/* Finds or creates the group (kind, name) and returns it (valid until the next add), or NULL when
 * memory is short or kind is out of range.  *created says which.  The parser and the stream
 * decoder build groups with it. */
ms_smaps_group_t *ms_smaps_groups_add (ms_smaps_groups_t *g, ms_smaps_kind_t kind,
                                       const char *name, size_t name_len, bool *created);

/* Makes dst an independent copy of src (e.g. to keep a decoded stream reply as the baseline
 * while the decoder reuses its storage).  Returns 0, or -1 when memory is short (dst is then
 * empty). */
int ms_smaps_groups_copy (ms_smaps_groups_t *dst, const ms_smaps_groups_t *src);

/* One group's change between two readings. */
typedef struct
{
  ms_smaps_kind_t kind;
  const char *name; /* borrowed from `now`, or from `before` for a group that is gone */
  uint32_t mappings; /* now */
  int64_t size_kib, rss_kib, pss_kib, swap_kib, private_kib; /* now; 0 when gone */
  int64_t size_delta_kib, rss_delta_kib, pss_delta_kib, swap_delta_kib, private_delta_kib;
  int64_t growth_kib; /* rss + swap change: a group whose pages went to swap has not shrunk */
  bool appeared;      /* not in `before`: counted from 0 */
  bool gone;          /* not in `now`: counted to 0 */
} ms_smaps_change_t;

typedef struct
{
  ms_smaps_change_t *changes;
  size_t n_changes;
  size_t cap;
} ms_smaps_diff_t;

void ms_smaps_diff_init (ms_smaps_diff_t *d);
void ms_smaps_diff_clear (ms_smaps_diff_t *d);

/* Every group of either reading matched by kind and name, largest growth first (then largest
 * RSS now, then kind and name), shrinkers last.  Names are borrowed from both inputs: keep them
 * alive while the diff is used.  Returns 0, or -1 when memory is short. */
int ms_smaps_groups_diff (const ms_smaps_groups_t *before, const ms_smaps_groups_t *now,
                          ms_smaps_diff_t *out);
