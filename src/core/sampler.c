/* SPDX-License-Identifier: MIT */
/* The sampling tick: scans a proc tree, keeps per-process descriptors and state, builds snapshots. */
#include "config.h"

#include "sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "group.h"
#include "parse.h"
#include "procfs.h"
#include "pss-schedule.h"
#include "users.h"

/* A fixture tree can name files in <pid>/.unreadable that then fail with EACCES, so tests running
 * as root (who can read anything) still see permission failures.  Only a proc root other than
 * /proc is asked: the real one never has such a file, and a new process costs no lookup for it. */
enum
{
  FILE_STAT = 1 << 0,
  FILE_STATUS = 1 << 2,
  FILE_SMAPS_ROLLUP = 1 << 3,
  FILE_SMAPS = 1 << 4,
  FILE_CMDLINE = 1 << 5,
  FILE_CGROUP = 1 << 6,
  FILE_EXE = 1 << 7,
  FILE_SCHEDSTAT = 1 << 8,
};

static const struct
{
  const char *name;
  unsigned bit;
} file_names[] = {
  { "stat", FILE_STAT },       { "status", FILE_STATUS },
  { "smaps_rollup", FILE_SMAPS_ROLLUP }, { "smaps", FILE_SMAPS }, { "cmdline", FILE_CMDLINE },
  { "cgroup", FILE_CGROUP },   { "exe", FILE_EXE }, { "schedstat", FILE_SCHEDSTAT },
};

#define PSS_DENIED_RETRY_S 60.0
#define MS_PSS_BUDGET_LIMIT 256
#define EMPTY_SLOT (-1)

typedef struct
{
  bool used;
  uint32_t seen_gen;
  unsigned unreadable;

  int stat_fd, status_fd, schedstat_fd;

  uint64_t cpu_ticks;
  double cpu_time_s;
  uint64_t rss_pages; /* field 24 of stat at the last tick */
  double status_time_s;
  uint64_t run_ns;     /* from schedstat at the last tick; 0: not known */
  double full_time_s;  /* when stat was last read */
  bool no_schedstat;   /* absent or unreadable: always read in full */

  double pss_time_s; /* < 0: never read */
  int64_t pss_footprint_kib;
  bool pss_denied;
  double pss_denied_s;
  bool no_smaps_rollup;

  uint64_t exe_hash;
  int32_t group_top_pid; /* the tree top the group key was last written for */
  char app_id[MS_GROUP_MAX];

  ms_proc_t proc;
} entry_t;

struct ms_sampler
{
  ms_sampler_opts_t opts;
  char *proc_root;
  bool fixture;        /* proc_root is not /proc: <pid>/.unreadable lists are honoured */
  ms_users_t *users;
  int root_fd;
  int meminfo_fd, vmstat_fd, pressure_fd;
  bool pressure_missing;

  long clk_tck;
  int64_t page_kib;
  uint64_t btime;
  double start_mono_s;
  double last_tick_s;
  bool ticked;
  uint32_t gen;

  entry_t *entries;
  size_t n_entries, entries_cap;
  int32_t *free_slots;
  size_t n_free, free_cap;

  /* pid -> entry index, open addressing with linear probing. */
  int32_t *hash_pids;
  int32_t *hash_slots;
  size_t hash_cap, hash_used;

  int32_t *order; /* entry indices in scan order, this tick */
  size_t n_order, order_cap;

  size_t kept_fds;
  uint64_t kept_reads, opened_reads;
  int32_t pss_pid;
  uint64_t pss_starttime;
  ms_pss_cand_t *pss_cands; /* one per process this tick, grown rarely */
  size_t pss_cands_cap;
  int32_t pss_picked[MS_PSS_BUDGET_LIMIT];
  double pss_credit;
  size_t pss_reads_last;

  char *big_buf; /* smaps, grown rarely */
  size_t big_cap;
  char buf[8192];

  double now_s, now_unix;
  ms_snapshot_t snapshot;
  ms_proc_t *procs;
  size_t procs_cap;
};

long
ms_sampler_raise_fd_limit (void)
{
  struct rlimit rl;
  rlim_t want;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return -1;
  want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
    {
      rl.rlim_cur = want;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        getrlimit (RLIMIT_NOFILE, &rl);
    }
  return rl.rlim_cur == RLIM_INFINITY ? 65536 : (long) rl.rlim_cur;
}

void
ms_sampler_opts_init (ms_sampler_opts_t *opts)
{
  struct rlimit rl;
  size_t cap = 4096;

  memset (opts, 0, sizeof *opts);
  opts->proc_root = "/proc";
  opts->passwd_path = "/etc/passwd";
  opts->sys_root = "/sys";
  opts->pss_budget = 8;
  opts->pss_budget_max = 32;
  opts->pss_max_age_s = 30.0;
  opts->status_max_age_s = 3.0;
  opts->idle_full_s = 10.0;
  /* Half the descriptor limit, the rest left to GLib, D-Bus and the toolkit. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    cap = rl.rlim_cur > 512 ? (size_t) (rl.rlim_cur - 256) / 2 : 0;
  opts->fd_cap = cap > 16384 ? 16384 : cap;
}

static double
clock_s (clockid_t id)
{
  struct timespec ts;

  clock_gettime (id, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---- pid hash ---- */

static size_t
hash_index (const ms_sampler_t *self, int32_t pid)
{
  uint32_t h = (uint32_t) pid * 2654435761u;

  return h & (self->hash_cap - 1);
}

static int32_t
hash_lookup (const ms_sampler_t *self, int32_t pid)
{
  if (self->hash_cap == 0)
    return EMPTY_SLOT;
  for (size_t i = hash_index (self, pid);; i = (i + 1) & (self->hash_cap - 1))
    {
      if (self->hash_pids[i] == 0)
        return EMPTY_SLOT;
      if (self->hash_pids[i] == pid)
        return self->hash_slots[i];
    }
}

static void hash_insert_raw (ms_sampler_t *self, int32_t pid, int32_t slot);

static int
hash_reserve (ms_sampler_t *self)
{
  int32_t *old_pids = self->hash_pids, *old_slots = self->hash_slots;
  size_t old_cap = self->hash_cap;
  size_t cap;

  if ((self->hash_used + 1) * 2 <= self->hash_cap)
    return 0;
  cap = self->hash_cap ? self->hash_cap * 2 : 1024;
  self->hash_pids = ms_calloc (cap, sizeof *self->hash_pids);
  self->hash_slots = ms_calloc (cap, sizeof *self->hash_slots);
  if (self->hash_pids == NULL || self->hash_slots == NULL)
    {
      ms_free (self->hash_pids);
      ms_free (self->hash_slots);
      self->hash_pids = old_pids;
      self->hash_slots = old_slots;
      return -1;
    }
  self->hash_cap = cap;
  self->hash_used = 0;
  for (size_t i = 0; i < old_cap; i++)
    if (old_pids[i] != 0)
      hash_insert_raw (self, old_pids[i], old_slots[i]);
  ms_free (old_pids);
  ms_free (old_slots);
  return 0;
}

static void
hash_insert_raw (ms_sampler_t *self, int32_t pid, int32_t slot)
{
  size_t i = hash_index (self, pid);

  while (self->hash_pids[i] != 0 && self->hash_pids[i] != pid)
    i = (i + 1) & (self->hash_cap - 1);
  if (self->hash_pids[i] == 0)
    self->hash_used++;
  self->hash_pids[i] = pid;
  self->hash_slots[i] = slot;
}

static void
hash_remove (ms_sampler_t *self, int32_t pid)
{
  size_t mask = self->hash_cap - 1;
  size_t i;

  if (self->hash_cap == 0)
    return;
  for (i = hash_index (self, pid); self->hash_pids[i] != pid; i = (i + 1) & mask)
    if (self->hash_pids[i] == 0)
      return;
  /* Backward-shift deletion keeps probe chains intact without tombstones. */
  for (size_t j = (i + 1) & mask; self->hash_pids[j] != 0; j = (j + 1) & mask)
    {
      size_t home = hash_index (self, self->hash_pids[j]);

      if (((j - home) & mask) >= ((j - i) & mask))
        {
          self->hash_pids[i] = self->hash_pids[j];
          self->hash_slots[i] = self->hash_slots[j];
          i = j;
        }
    }
  self->hash_pids[i] = 0;
  self->hash_used--;
}

/* ---- entries ---- */

static void
close_fd (ms_sampler_t *self, int *fd)
{
  if (*fd >= 0)
    {
      close (*fd);
      *fd = -1;
      self->kept_fds--;
    }
}

static void
entry_release (ms_sampler_t *self, int32_t slot)
{
  entry_t *e = &self->entries[slot];

  close_fd (self, &e->stat_fd);
  close_fd (self, &e->status_fd);
  close_fd (self, &e->schedstat_fd);
  hash_remove (self, e->proc.pid);
  e->used = false;
  self->free_slots[self->n_free++] = slot;
}

static int32_t
entry_new (ms_sampler_t *self, int32_t pid)
{
  int32_t slot;
  entry_t *e;

  if (hash_reserve (self) != 0)
    return EMPTY_SLOT;
  if (self->n_free > 0)
    slot = self->free_slots[--self->n_free];
  else
    {
      if (ms_grow ((void **) &self->entries, &self->entries_cap, self->n_entries + 1,
                   sizeof *self->entries)
              != 0
          || ms_grow ((void **) &self->free_slots, &self->free_cap, self->n_entries + 1,
                      sizeof *self->free_slots)
                 != 0)
        return EMPTY_SLOT;
      slot = (int32_t) self->n_entries++;
    }
  e = &self->entries[slot];
  memset (e, 0, sizeof *e);
  e->used = true;
  e->stat_fd = e->status_fd = e->schedstat_fd = -1;
  e->pss_time_s = -1.0;
  e->proc.pid = pid;
  e->proc.pss_kib = e->proc.uss_kib = e->proc.swap_pss_kib = MS_UNKNOWN_KIB;
  e->proc.pss_age_s = -1.0;
  e->proc.cpu_pct = -1.0;
  hash_insert_raw (self, pid, slot);
  return slot;
}

/* Reads one per-process file, through the kept descriptor when there is one, else by opening it
 * (and keeping the descriptor when `fd` is given and the cap allows). */
static ssize_t
read_proc_file (ms_sampler_t *self, entry_t *e, unsigned which, const char *name, int *fd)
{
  char path[64];
  ssize_t n;

  if (e->unreadable & which)
    return -EACCES;
  if (fd != NULL && *fd >= 0)
    {
      self->kept_reads++;
      n = ms_pread_all (*fd, self->buf, sizeof self->buf);
      /* A kept descriptor of an exited process reads ESRCH or nothing; so does its pid's reuse. */
      return n == 0 ? -ESRCH : n;
    }
  snprintf (path, sizeof path, "%d/%s", (int) e->proc.pid, name);
  self->opened_reads++;
  if (fd != NULL && self->kept_fds < self->opts.fd_cap)
    {
      n = ms_read_at (self->root_fd, path, self->buf, sizeof self->buf, fd);
      if (*fd >= 0)
        self->kept_fds++;
      return n;
    }
  return ms_read_at (self->root_fd, path, self->buf, sizeof self->buf, NULL);
}

static void
load_unreadable (ms_sampler_t *self, entry_t *e)
{
  char path[64];
  ssize_t n;

  snprintf (path, sizeof path, "%d/.unreadable", (int) e->proc.pid);
  n = ms_read_at (self->root_fd, path, self->buf, sizeof self->buf, NULL);
  if (n <= 0)
    return;
  for (size_t i = 0; i < sizeof file_names / sizeof file_names[0]; i++)
    {
      size_t len = strlen (file_names[i].name);

      for (const char *p = self->buf; (p = strstr (p, file_names[i].name)) != NULL; p += len)
        if ((p == self->buf || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0'))
          e->unreadable |= file_names[i].bit;
    }
}

static uint64_t
hash_string (const char *s)
{
  uint64_t h = 1469598103934665603ull;

  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 1099511628211ull;
  return h;
}

/* Facts that change only on exec: command line, executable, cgroup. */
static void
read_identity (ms_sampler_t *self, entry_t *e)
{
  char path[64];
  ssize_t n;

  e->proc.cmdline[0] = '\0';
  n = read_proc_file (self, e, FILE_CMDLINE, "cmdline", NULL);
  if (n > 0)
    ms_parse_cmdline (self->buf, (size_t) n, e->proc.cmdline, sizeof e->proc.cmdline);

  e->proc.exe[0] = '\0';
  e->exe_hash = 0;
  snprintf (path, sizeof path, "%d/exe", (int) e->proc.pid);
  n = (e->unreadable & FILE_EXE) ? -1
                                  : readlinkat (self->root_fd, path, e->proc.exe,
                                                sizeof e->proc.exe - 1);
  if (n > 0)
    {
      static const char deleted[] = " (deleted)";
      size_t dl = sizeof deleted - 1;

      e->proc.exe[n] = '\0';
      /* An upgraded binary still running is the same program. */
      if ((size_t) n > dl && strcmp (e->proc.exe + n - dl, deleted) == 0)
        e->proc.exe[n - dl] = '\0';
      e->exe_hash = hash_string (e->proc.exe);
    }

  e->app_id[0] = '\0';
  n = read_proc_file (self, e, FILE_CGROUP, "cgroup", NULL);
  if (n > 0)
    ms_parse_cgroup_app (self->buf, (size_t) n, e->app_id, sizeof e->app_id);
}

static void
apply_status (ms_sampler_t *self, entry_t *e, const ms_status_t *st)
{
  ms_proc_t *p = &e->proc;

  if (st->has_uid && (st->uid != p->uid || p->user[0] == '\0'))
    {
      p->uid = st->uid;
      ms_users_lookup (self->users, p->uid, self->now_s, p->user, sizeof p->user);
    }
  if (st->threads > 0)
    p->threads = st->threads;
  if (st->has_vm)
    {
      p->rss_kib = st->rss_kib;
      p->anon_kib = st->anon_kib;
      p->file_kib = st->file_kib;
      p->shmem_kib = st->shmem_kib;
      p->swap_kib = st->swap_kib;
      p->hwm_kib = st->hwm_kib;
    }
  e->status_time_s = self->now_s;
}

/* The owner of the pid directory when status cannot tell the uid. */
static void
uid_from_directory (ms_sampler_t *self, entry_t *e)
{
  struct stat st;
  char path[32];

  snprintf (path, sizeof path, "%d", (int) e->proc.pid);
  if (fstatat (self->root_fd, path, &st, 0) == 0)
    {
      e->proc.uid = st.st_uid;
      ms_users_lookup (self->users, e->proc.uid, self->now_s, e->proc.user, sizeof e->proc.user);
    }
}

/* stat's field 24 is the resident count that statm would give; when it moves, or every few
 * seconds regardless (swap can grow behind a flat RSS), status is read for the full split.  Skipping
 * statm saves a read per process per tick (about 1 us of kernel time each). */
static void
sample_memory (ms_sampler_t *self, entry_t *e, const ms_stat_t *st, bool first)
{
  ms_proc_t *p = &e->proc;
  ms_status_t status;
  bool need_status = first || self->now_s - e->status_time_s >= self->opts.status_max_age_s
                     || st->rss_pages != e->rss_pages;
  int64_t rss_kib;
  ssize_t n;

  if (p->kernel_thread && !first)
    return;
  e->rss_pages = st->rss_pages;
  if (need_status)
    {
      n = read_proc_file (self, e, FILE_STATUS, "status", &e->status_fd);
      if (n > 0 && ms_parse_status (self->buf, (size_t) n, &status) == 0)
        {
          apply_status (self, e, &status);
          return;
        }
      if (first)
        uid_from_directory (self, e);
    }
  else
    return; /* status's figures stand: stat's count lags them by the kernel's per-CPU batches */
  if (p->kernel_thread)
    return;
  /* status unreadable: the resident size from stat, its change counted as anonymous. */
  rss_kib = (int64_t) st->rss_pages * self->page_kib;
  p->anon_kib = p->anon_kib + (rss_kib - p->rss_kib) > 0 ? p->anon_kib + (rss_kib - p->rss_kib) : 0;
  p->rss_kib = rss_kib;
  if (p->rss_kib > p->hwm_kib)
    p->hwm_kib = p->rss_kib;
}

static void
reset_identity (ms_sampler_t *self, entry_t *e, const ms_stat_t *st)
{
  int32_t pid = e->proc.pid;
  int stat_fd = e->stat_fd;

  /* Same pid, another process: new baseline, new everything, but keep the stat descriptor (it
   * reads the new process). */
  close_fd (self, &e->status_fd);
  close_fd (self, &e->schedstat_fd);
  memset (e, 0, sizeof *e);
  e->used = true;
  e->stat_fd = stat_fd;
  e->status_fd = e->schedstat_fd = -1;
  e->pss_time_s = -1.0;
  e->proc.pid = pid;
  e->proc.starttime = st->starttime;
  e->proc.pss_kib = e->proc.uss_kib = e->proc.swap_pss_kib = MS_UNKNOWN_KIB;
  e->proc.pss_age_s = -1.0;
  e->proc.cpu_pct = -1.0;
}

/* Whether a process can keep last tick's figures: single-threaded (schedstat covers only the
 * main thread) and not run since (memory grows only by running), and read in full not long ago
 * (the kernel can reclaim or swap out a sleeping process's pages).  Most processes of a desktop
 * sleep most of the time; schedstat costs a quarter of stat, and status is skipped too. */
static bool
still_idle (ms_sampler_t *self, entry_t *e)
{
  uint64_t run_ns;
  ssize_t n;
  bool idle;

  if (self->opts.idle_full_s <= 0 || e->no_schedstat || e->proc.threads != 1)
    return false;
  /* Without a kept descriptor, opening schedstat every tick costs more than it saves. */
  if (e->schedstat_fd < 0 && self->kept_fds >= self->opts.fd_cap)
    return false;
  n = read_proc_file (self, e, FILE_SCHEDSTAT, "schedstat", &e->schedstat_fd);
  if (n <= 0 || ms_parse_schedstat (self->buf, (size_t) n, &run_ns) != 0)
    {
      /* Gone (the full read says so) or not there at all (a kernel without it, a fixture). */
      if (n == -ENOENT || n == -EACCES || n > 0)
        e->no_schedstat = true;
      return false;
    }
  idle = run_ns == e->run_ns && e->run_ns != 0
         && self->now_s - e->full_time_s < self->opts.idle_full_s;
  e->run_ns = run_ns;
  return idle;
}

/* This tick's processes, in scan order. */
static void
add_to_order (ms_sampler_t *self, int32_t slot)
{
  if (ms_grow ((void **) &self->order, &self->order_cap, self->n_order + 1, sizeof *self->order)
      == 0)
    self->order[self->n_order++] = slot;
}

static void
keep_figures (ms_sampler_t *self, entry_t *e, int32_t slot)
{
  e->seen_gen = self->gen;
  e->proc.cpu_pct = 0.0;
  e->cpu_time_s = self->now_s; /* it did not run: the next reading counts from here */
  add_to_order (self, slot);
}

static void
sample_pid (int pid, void *user)
{
  ms_sampler_t *self = user;
  int32_t slot = hash_lookup (self, pid);
  entry_t *e;
  ms_stat_t st;
  ssize_t n;
  bool first = false;
  uint64_t ticks;

  if (slot != EMPTY_SLOT)
    {
      e = &self->entries[slot];
      if (still_idle (self, e))
        {
          keep_figures (self, e, slot);
          return;
        }
      n = read_proc_file (self, e, FILE_STAT, "stat", &e->stat_fd);
      if (n < 0 && e->stat_fd >= 0)
        {
          /* The process behind the kept descriptor is gone; the pid may already be reused. */
          entry_release (self, slot);
          slot = EMPTY_SLOT;
        }
    }
  if (slot == EMPTY_SLOT)
    {
      slot = entry_new (self, pid);
      if (slot == EMPTY_SLOT)
        return;
      e = &self->entries[slot];
      if (self->fixture)
        load_unreadable (self, e);
      n = read_proc_file (self, e, FILE_STAT, "stat", &e->stat_fd);
      first = true;
    }
  e = &self->entries[slot];
  /* Vanished between the scan and the read, unreadable, or not what the kernel writes: this
   * process is left out of this tick and counts as gone. */
  if (n <= 0 || ms_parse_stat (self->buf, (size_t) n, &st) != 0 || st.pid != pid)
    {
      entry_release (self, slot);
      return;
    }
  if (!first && st.starttime != e->proc.starttime)
    {
      reset_identity (self, e, &st);
      first = true;
    }

  e->seen_gen = self->gen;
  e->full_time_s = self->now_s;
  {
    ms_proc_t *p = &e->proc;
    bool exec_seen = !first && strcmp (p->comm, st.comm) != 0;

    p->starttime = st.starttime;
    p->ppid = st.ppid;
    p->state = st.state;
    p->threads = st.threads;
    memcpy (p->comm, st.comm, sizeof p->comm);
    p->kernel_thread = (st.flags & MS_PF_KTHREAD) != 0;
    if (first)
      {
        p->first_seen_s = self->now_s;
        p->start_unix = (double) self->btime + (double) st.starttime / (double) self->clk_tck;
      }
    if (first || exec_seen)
      {
        if (!p->kernel_thread)
          read_identity (self, e);
        ms_full_name (p->comm, p->cmdline, p->exe, p->name, sizeof p->name);
      }
    sample_memory (self, e, &st, first);
    if (p->kernel_thread)
      {
        p->rss_kib = p->anon_kib = p->file_kib = p->shmem_kib = p->swap_kib = p->hwm_kib = 0;
      }

    ticks = st.utime + st.stime;
    if (!first && self->now_s > e->cpu_time_s && ticks >= e->cpu_ticks)
      p->cpu_pct = (double) (ticks - e->cpu_ticks) / (double) self->clk_tck
                   / (self->now_s - e->cpu_time_s) * 100.0;
    e->cpu_ticks = ticks;
    e->cpu_time_s = self->now_s;

    p->footprint_kib = ms_footprint_kib (p->rss_kib, p->swap_kib);
    if (first)
      p->baseline_kib = p->footprint_kib;
    p->delta_kib = p->footprint_kib - p->baseline_kib;
  }
  add_to_order (self, slot);
}

/* ---- groups ---- */

static void
assign_group (ms_sampler_t *self, entry_t *e)
{
  ms_proc_t *p = &e->proc;
  const entry_t *top = e;

  if (p->kernel_thread)
    {
      ms_group_key_kernel (p->group, sizeof p->group);
      return;
    }
  if (e->app_id[0] != '\0')
    {
      ms_group_key_app (e->app_id, p->group, sizeof p->group);
      return;
    }
  if (e->exe_hash == 0)
    {
      ms_group_key_name (p->name, p->group, sizeof p->group);
      return;
    }
  /* Climb while the parent runs the same executable; bounded against a cycle in a bad tree. */
  for (int depth = 0; depth < 64; depth++)
    {
      int32_t parent_slot = top->proc.ppid > 0 ? hash_lookup (self, top->proc.ppid) : EMPTY_SLOT;
      const entry_t *parent;

      if (parent_slot == EMPTY_SLOT)
        break;
      parent = &self->entries[parent_slot];
      if (parent->seen_gen != self->gen || parent->exe_hash != e->exe_hash
          || strcmp (parent->proc.exe, p->exe) != 0)
        break;
      top = parent;
    }
  /* Formatting the key is most of this function's cost: only when the tree top changed. */
  if (e->group_top_pid != top->proc.pid || strncmp (p->group, "tree:", 5) != 0)
    {
      ms_group_key_tree (p->exe, top->proc.pid, p->group, sizeof p->group);
      e->group_top_pid = top->proc.pid;
    }
}

/* ---- PSS tier ---- */

static void
read_pss (ms_sampler_t *self, entry_t *e)
{
  ms_proc_t *p = &e->proc;
  ms_smaps_sum_t sum;
  char path[64];
  ssize_t n = -ENOENT;

  if (p->kernel_thread)
    return;
  if (!e->no_smaps_rollup)
    {
      if (e->unreadable & FILE_SMAPS_ROLLUP)
        n = -EACCES;
      else
        {
          snprintf (path, sizeof path, "%d/smaps_rollup", (int) p->pid);
          n = ms_read_at_grow (self->root_fd, path, &self->big_buf, &self->big_cap);
        }
      if (n == -ENOENT)
        e->no_smaps_rollup = true;
    }
  if (e->no_smaps_rollup)
    {
      /* Older kernels: the full smaps, read to the end (it can be megabytes). */
      if (e->unreadable & FILE_SMAPS)
        n = -EACCES;
      else
        {
          snprintf (path, sizeof path, "%d/smaps", (int) p->pid);
          n = ms_read_at_grow (self->root_fd, path, &self->big_buf, &self->big_cap);
        }
    }
  self->opened_reads++;
  if (n >= 0 && ms_parse_smaps_sum (self->big_buf, (size_t) n, &sum) == 0)
    {
      p->pss_kib = sum.pss_kib;
      p->uss_kib = sum.uss_kib;
      p->swap_pss_kib = sum.swap_pss_kib;
      e->pss_time_s = self->now_s;
      e->pss_footprint_kib = p->footprint_kib;
      e->pss_denied = false;
      return;
    }
  if (n == -EACCES || n == -EPERM)
    {
      /* Another user's process: unknown, and asked again only now and then. */
      e->pss_denied = true;
      e->pss_denied_s = self->now_s;
    }
  else if (n == 0 || n == -ENOENT || n == -ESRCH)
    {
      /* An empty smaps: a zombie or a process with no memory map left. */
      e->pss_time_s = self->now_s;
    }
}

static void
refresh_pss (ms_sampler_t *self)
{
  ms_pss_sched_opts_t sched = {
    .max_age_s = self->opts.pss_max_age_s,
    .base_budget = self->opts.pss_budget,
    .max_budget = self->opts.pss_budget_max,
  };
  double interval_s = self->ticked ? self->now_s - self->last_tick_s : 1.0;
  size_t n_picked;

  if (self->opts.pss_all)
    {
      for (size_t i = 0; i < self->n_order; i++)
        {
          entry_t *e = &self->entries[self->order[i]];

          if (!e->proc.kernel_thread)
            read_pss (self, e);
        }
      return;
    }
  /* No base budget: no PSS at all (the probe's cheapest mode). */
  if (sched.base_budget == 0)
    return;
  if (sched.max_budget < sched.base_budget)
    sched.max_budget = sched.base_budget;
  if (sched.max_budget > MS_PSS_BUDGET_LIMIT)
    sched.max_budget = MS_PSS_BUDGET_LIMIT;
  if (sched.max_budget == 0)
    return;
  if (ms_grow ((void **) &self->pss_cands, &self->pss_cands_cap, self->n_order,
               sizeof *self->pss_cands) != 0)
    return;
  for (size_t i = 0; i < self->n_order; i++)
    {
      const entry_t *e = &self->entries[self->order[i]];
      ms_pss_cand_t *c = &self->pss_cands[i];
      bool refused = e->pss_denied;

      c->first_seen_s = e->proc.first_seen_s;
      c->read_s = e->pss_time_s;
      c->moved_kib = e->pss_time_s >= 0 ? llabs (e->proc.footprint_kib - e->pss_footprint_kib) : 0;
      c->readable = !e->proc.kernel_thread && e->proc.state != 'Z'
                    && !(refused && self->now_s - e->pss_denied_s < PSS_DENIED_RETRY_S);
      c->retry = refused;
      c->priority = e->proc.pid == self->pss_pid && e->proc.starttime == self->pss_starttime;
    }
  n_picked = ms_pss_schedule (self->pss_cands, self->n_order, self->now_s, interval_s, &sched,
                              &self->pss_credit, self->pss_picked);
  self->pss_reads_last = n_picked;
  for (size_t i = 0; i < n_picked; i++)
    read_pss (self, &self->entries[self->order[self->pss_picked[i]]]);
}

/* ---- machine ---- */

static void
read_machine (ms_sampler_t *self)
{
  ms_snapshot_t *snap = &self->snapshot;
  ssize_t n;
  uint64_t oom;

  if (self->meminfo_fd >= 0)
    {
      n = ms_pread_all (self->meminfo_fd, self->buf, sizeof self->buf);
      if (n > 0)
        ms_parse_meminfo (self->buf, (size_t) n, &snap->mem);
    }
  snap->pressure.valid = false;
  if (self->pressure_fd >= 0)
    {
      n = ms_pread_all (self->pressure_fd, self->buf, sizeof self->buf);
      if (n > 0)
        ms_parse_pressure (self->buf, (size_t) n, &snap->pressure);
    }
  /* Read afresh every tick: a counter that cannot be read now is not known now. */
  snap->oom_counter.valid = false;
  snap->oom_counter.count = 0;
  if (self->vmstat_fd >= 0)
    {
      n = ms_pread_all (self->vmstat_fd, self->buf, sizeof self->buf);
      if (n > 0 && ms_parse_key_u64 (self->buf, (size_t) n, "oom_kill", &oom) == 0)
        {
          snap->oom_counter.valid = true;
          snap->oom_counter.count = oom;
        }
    }
}

static int
open_kept (ms_sampler_t *self, const char *path)
{
  int fd = openat (self->root_fd, path, O_RDONLY | O_CLOEXEC);

  (void) self;
  return fd;
}

ms_sampler_t *
ms_sampler_new (const ms_sampler_opts_t *opts, char *err, size_t err_len)
{
  ms_sampler_t *self = ms_calloc (1, sizeof *self);
  ssize_t n;

  if (self == NULL)
    {
      snprintf (err, err_len, "out of memory");
      return NULL;
    }
  if (opts != NULL)
    self->opts = *opts;
  else
    ms_sampler_opts_init (&self->opts);
  if (self->opts.proc_root == NULL)
    self->opts.proc_root = "/proc";
  if (self->opts.pss_max_age_s <= 0)
    self->opts.pss_max_age_s = 30.0;
  self->proc_root = ms_strdup (self->opts.proc_root);
  self->opts.proc_root = self->proc_root;
  self->fixture = self->proc_root != NULL && strcmp (self->proc_root, "/proc") != 0;
  self->users = ms_users_new (self->opts.passwd_path);
  self->meminfo_fd = self->vmstat_fd = self->pressure_fd = -1;
  self->root_fd = open (self->opts.proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (self->root_fd < 0 || self->proc_root == NULL || self->users == NULL)
    {
      snprintf (err, err_len, "cannot open %s: %s", self->opts.proc_root,
                self->root_fd < 0 ? strerror (errno) : "out of memory");
      ms_sampler_free (self);
      return NULL;
    }
  self->meminfo_fd = open_kept (self, "meminfo");
  if (self->meminfo_fd < 0)
    {
      snprintf (err, err_len, "cannot read %s/meminfo: %s (is this a proc file system?)",
                self->opts.proc_root, strerror (errno));
      ms_sampler_free (self);
      return NULL;
    }
  self->vmstat_fd = open_kept (self, "vmstat");
  self->pressure_fd = open_kept (self, "pressure/memory");
  n = ms_read_at (self->root_fd, "stat", self->buf, sizeof self->buf, NULL);
  if (n > 0)
    ms_parse_key_u64 (self->buf, (size_t) n, "btime", &self->btime);
  self->clk_tck = sysconf (_SC_CLK_TCK);
  if (self->clk_tck <= 0)
    self->clk_tck = 100;
  self->page_kib = sysconf (_SC_PAGESIZE) / 1024;
  if (self->page_kib <= 0)
    self->page_kib = 4;
  self->start_mono_s = clock_s (CLOCK_MONOTONIC);
  self->pss_pid = -1;
  return self;
}

void
ms_sampler_free (ms_sampler_t *self)
{
  if (self == NULL)
    return;
  for (size_t i = 0; i < self->n_entries; i++)
    if (self->entries[i].used)
      {
        entry_t *e = &self->entries[i];

        close_fd (self, &e->stat_fd);
        close_fd (self, &e->status_fd);
      }
  if (self->root_fd >= 0)
    close (self->root_fd);
  if (self->meminfo_fd >= 0)
    close (self->meminfo_fd);
  if (self->vmstat_fd >= 0)
    close (self->vmstat_fd);
  if (self->pressure_fd >= 0)
    close (self->pressure_fd);
  ms_users_free (self->users);
  ms_free (self->entries);
  ms_free (self->free_slots);
  ms_free (self->hash_pids);
  ms_free (self->hash_slots);
  ms_free (self->order);
  ms_free (self->pss_cands);
  ms_free (self->big_buf);
  ms_free (self->procs);
  ms_free (self->proc_root);
  ms_free (self);
}

int
ms_sampler_tick_at (ms_sampler_t *self, double now_s, double now_unix, ms_snapshot_t **out)
{
  ms_snapshot_t *snap = &self->snapshot;
  int rc;

  self->now_s = now_s;
  self->now_unix = now_unix;
  self->gen++;
  self->n_order = 0;
  read_machine (self);

  rc = ms_scan_pids (self->root_fd, sample_pid, self);
  if (rc != 0)
    return -1;

  for (size_t i = 0; i < self->n_entries; i++)
    if (self->entries[i].used && self->entries[i].seen_gen != self->gen)
      entry_release (self, (int32_t) i);
  for (size_t i = 0; i < self->n_order; i++)
    assign_group (self, &self->entries[self->order[i]]);
  refresh_pss (self);

  if (ms_grow ((void **) &self->procs, &self->procs_cap, self->n_order, sizeof *self->procs) != 0)
    return -1;
  for (size_t i = 0; i < self->n_order; i++)
    {
      entry_t *e = &self->entries[self->order[i]];

      e->proc.pss_age_s = e->pss_time_s >= 0 && e->proc.pss_kib >= 0 ? now_s - e->pss_time_s : -1.0;
      self->procs[i] = e->proc;
    }
  snap->time_s = now_s;
  snap->time_unix = now_unix;
  snap->interval_s = self->ticked ? now_s - self->last_tick_s : 0.0;
  snap->procs = self->procs;
  snap->n_procs = self->n_order;
  self->last_tick_s = now_s;
  self->ticked = true;
  if (out != NULL)
    *out = snap;
  return 0;
}

int
ms_sampler_tick (ms_sampler_t *self, ms_snapshot_t **out)
{
  return ms_sampler_tick_at (self, clock_s (CLOCK_MONOTONIC) - self->start_mono_s,
                             clock_s (CLOCK_REALTIME), out);
}

void
ms_sampler_reset_baseline (ms_sampler_t *self, int32_t pid, uint64_t starttime)
{
  for (size_t i = 0; i < self->n_entries; i++)
    {
      ms_proc_t *p = &self->entries[i].proc;

      if (!self->entries[i].used)
        continue;
      if (pid > 0 && (p->pid != pid || p->starttime != starttime))
        continue;
      p->baseline_kib = p->footprint_kib;
      p->delta_kib = 0;
    }
  /* The last snapshot shows the reset at once. */
  for (size_t i = 0; i < self->snapshot.n_procs; i++)
    {
      ms_proc_t *p = &self->procs[i];

      if (pid > 0 && (p->pid != pid || p->starttime != starttime))
        continue;
      p->baseline_kib = p->footprint_kib;
      p->delta_kib = 0;
    }
}

size_t
ms_sampler_restore_baselines (ms_sampler_t *self, const ms_baseline_t *baselines,
                              size_t n_baselines)
{
  size_t n_restored = 0;

  for (size_t i = 0; i < n_baselines; i++)
    {
      const ms_baseline_t *b = &baselines[i];
      int32_t slot = b->pid > 0 ? hash_lookup (self, b->pid) : EMPTY_SLOT;
      ms_proc_t *p;

      if (slot == EMPTY_SLOT)
        continue;
      p = &self->entries[slot].proc;
      if (p->starttime != b->starttime)
        continue;
      p->baseline_kib = b->baseline_kib;
      p->delta_kib = p->footprint_kib - p->baseline_kib;
      n_restored++;
    }
  if (n_restored == 0)
    return 0;
  /* The last snapshot shows it at once, as a reset does. */
  for (size_t i = 0; i < self->snapshot.n_procs; i++)
    {
      ms_proc_t *p = &self->procs[i];
      int32_t slot = hash_lookup (self, p->pid);

      if (slot == EMPTY_SLOT || self->entries[slot].proc.starttime != p->starttime)
        continue;
      p->baseline_kib = self->entries[slot].proc.baseline_kib;
      p->delta_kib = p->footprint_kib - p->baseline_kib;
    }
  return n_restored;
}

void
ms_sampler_set_pss_priority (ms_sampler_t *self, int32_t pid, uint64_t starttime)
{
  self->pss_pid = pid > 0 ? pid : -1;
  self->pss_starttime = starttime;
}

size_t
ms_sampler_pss_reads_last (const ms_sampler_t *self)
{
  return self->pss_reads_last;
}

size_t
ms_sampler_open_fds (const ms_sampler_t *self)
{
  return self->kept_fds;
}

void
ms_sampler_io_stats (const ms_sampler_t *self, uint64_t *kept_reads, uint64_t *opened_reads)
{
  if (kept_reads != NULL)
    *kept_reads = self->kept_reads;
  if (opened_reads != NULL)
    *opened_reads = self->opened_reads;
}
