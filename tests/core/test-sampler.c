/* SPDX-License-Identifier: MIT */
/* The sampler on fixture proc trees (vanishing, reused and unreadable processes) and on /proc. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "group.h"
#include "ms-test.h"
#include "oom.h"
#include "sampler.h"

static ms_sampler_t *
fixture_sampler (const char *root)
{
  g_autofree char *passwd = ms_test_data_path ("passwd");
  ms_sampler_opts_t opts;
  char err[256];
  ms_sampler_t *s;

  ms_sampler_opts_init (&opts);
  opts.proc_root = root;
  opts.passwd_path = passwd;
  s = ms_sampler_new (&opts, err, sizeof err);
  g_assert_nonnull (s);
  return s;
}

static const ms_proc_t *
find (const ms_snapshot_t *snap, int32_t pid)
{
  for (size_t i = 0; i < snap->n_procs; i++)
    if (snap->procs[i].pid == pid)
      return &snap->procs[i];
  return NULL;
}

/* A private copy of a fixture tree that a test may change. */
static char *
copy_fixture (const char *name)
{
  g_autofree char *src = ms_test_data_path (name);
  char *dir = g_dir_make_tmp ("memscope-proc-XXXXXX", NULL);
  g_autofree char *cmd = g_strdup_printf ("cp -a '%s'/. '%s'/", src, dir);

  g_assert_nonnull (dir);
  g_assert_cmpint (system (cmd), ==, 0);
  return dir;
}

/* Rewrites a file in place, as the kernel's files change under a kept descriptor. */
static void
rewrite (const char *dir, const char *rel, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  FILE *f = fopen (path, "r+");

  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), 0), ==, 0);
  fputs (contents, f);
  fclose (f);
}

static void
test_fixture_values (void)
{
  g_autofree char *root = ms_test_data_path ("proc/basic");
  ms_sampler_t *s = fixture_sampler (root);
  ms_snapshot_t *snap;
  const ms_proc_t *p;
  char label[64];

  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  /* 105 has no files (vanished after the scan), 106 a truncated stat: both left out. */
  g_assert_cmpuint (snap->n_procs, ==, 14);
  g_assert_null (find (snap, 105));
  g_assert_null (find (snap, 106));

  g_assert_cmpint (snap->mem.mem_total_kib, ==, 16303428);
  g_assert_cmpint (snap->mem.mem_available_kib, ==, 12000000);
  g_assert_false (snap->pressure.valid); /* no pressure/ in this tree, like Debian's kernels */
  g_assert_true (snap->oom_counter.valid);
  g_assert_cmpuint (snap->oom_counter.count, ==, 3);

  p = find (snap, 100);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->comm, ==, "a) (b, \"c");
  g_assert_cmpstr (p->user, ==, "alice");
  g_assert_cmpint (p->rss_kib, ==, 20480);
  g_assert_cmpint (p->anon_kib, ==, 16384);
  g_assert_cmpint (p->swap_kib, ==, 1024);
  g_assert_cmpint (p->footprint_kib, ==, 21504);
  g_assert_cmpint (p->delta_kib, ==, 0);
  g_assert_cmpint (p->pss_kib, ==, 15360);
  g_assert_cmpfloat (p->start_unix, ==, 1700000000.0 + 5000.0 / sysconf (_SC_CLK_TCK));

  p = find (snap, 101);
  g_assert_cmpstr (p->comm, ==, "new\nline");

  /* Every argument, not just argv[0]. */
  g_assert_cmpstr (find (snap, 1)->cmdline, ==, "/sbin/init splash");

  p = find (snap, 2);
  g_assert_true (p->kernel_thread);
  g_assert_cmpint (p->rss_kib, ==, 0);
  g_assert_cmpint (p->pss_kib, ==, MS_UNKNOWN_KIB);
  g_assert_cmpstr (p->group, ==, "kernel");

  p = find (snap, 102);
  g_assert_cmpint (p->state, ==, 'Z');
  g_assert_false (p->kernel_thread);

  /* smaps_rollup denied: PSS unknown, not RSS in disguise. */
  p = find (snap, 103);
  g_assert_cmpint (p->rss_kib, ==, 8192);
  g_assert_cmpint (p->pss_kib, ==, MS_UNKNOWN_KIB);
  g_assert_cmpfloat (p->pss_age_s, <, 0);
  g_assert_cmpstr (p->user, ==, "root");

  /* No smaps_rollup (old kernel): the whole smaps is summed. */
  p = find (snap, 104);
  g_assert_cmpint (p->pss_kib, ==, 4200);
  g_assert_cmpint (p->uss_kib, ==, 3600);

  /* Groups: the app scope (v2 and v1), the tree of one executable, the name. */
  g_assert_cmpstr (find (snap, 107)->group, ==, "app:org.mozilla.firefox");
  g_assert_cmpstr (find (snap, 108)->group, ==, "app:org.mozilla.firefox");
  g_assert_cmpstr (find (snap, 109)->group, ==, "tree:/usr/bin/browser:109");
  g_assert_cmpstr (find (snap, 110)->group, ==, "tree:/usr/bin/browser:109");
  g_assert_cmpstr (find (snap, 102)->group, ==, "name:defunct");
  ms_group_label (find (snap, 110)->group, find (snap, 109)->name, label, sizeof label);
  g_assert_cmpstr (label, ==, "browser");
  ms_group_label (find (snap, 107)->group, NULL, label, sizeof label);
  g_assert_cmpstr (label, ==, "org.mozilla.firefox");

  /* Huge values survive without overflow. */
  p = find (snap, 111);
  g_assert_cmpint (p->rss_kib, ==, G_GINT64_CONSTANT (17179869184));
  g_assert_cmpint (p->footprint_kib, ==, G_GINT64_CONSTANT (17179869184) + 4294967296);

  ms_sampler_free (s);
}

static void
test_vanish_and_appear (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  g_autofree char *gone = g_build_filename (root, "109", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s' && cp -a '%s/110' '%s/120'", gone, root,
                                          root);
  ms_sampler_t *s = fixture_sampler (root);
  ms_snapshot_t *snap;

  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  g_assert_nonnull (find (snap, 109));
  g_assert_cmpint (system (cmd), ==, 0);
  /* 120 is a copy of 110 whose stat still says 110: not what the kernel writes, left out. */
  g_assert_cmpint (ms_sampler_tick_at (s, 2.0, 1e9 + 1, &snap), ==, 0);
  g_assert_null (find (snap, 109));
  g_assert_null (find (snap, 120));
  g_assert_nonnull (find (snap, 110));
  /* With its parent gone, 110 is the top of its own tree. */
  g_assert_cmpstr (find (snap, 110)->group, ==, "tree:/usr/bin/browser:110");
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

static const char *
stat_line (int pid, unsigned long long starttime, unsigned long long utime, unsigned long rss_pages)
{
  static char buf[512];

  g_snprintf (buf, sizeof buf,
              "%d (grower) S 1 %d %d 0 -1 4194304 0 0 0 0 %llu 0 0 0 20 0 1 0 %llu 1000 %lu "
              "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
              pid, pid, pid, utime, starttime, rss_pages);
  return buf;
}

static const char *
status_text (long rss_kib, long swap_kib)
{
  static char buf[512];

  g_snprintf (buf, sizeof buf,
              "Name:\tgrower\nState:\tS (sleeping)\nUid:\t1000\t1000\t1000\t1000\n"
              "VmHWM:\t%ld kB\nVmRSS:\t%ld kB\nRssAnon:\t%ld kB\nRssFile:\t0 kB\nRssShmem:\t0 kB\n"
              "VmSwap:\t%ld kB\nThreads:\t1\n",
              rss_kib, rss_kib, rss_kib, swap_kib);
  return buf;
}

/* Between reads of status its figures stand.  stat's resident count comes from per-CPU batched
 * counters and can differ from status by a few hundred KiB: taking it on the ticks in between
 * made every process's size flicker. */
static void
test_status_figures_kept (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  ms_sampler_t *s;
  ms_snapshot_t *snap;

  rewrite (root, "112/stat", stat_line (112, 7003, 0, 2500)); /* 10,000 KiB */
  rewrite (root, "112/status", status_text (10240, 0));
  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->rss_kib, ==, 10240);
  for (int i = 1; i <= 4; i++)
    {
      g_assert_cmpint (ms_sampler_tick_at (s, 1.0 + i, 1e9 + i, &snap), ==, 0);
      g_assert_cmpint (find (snap, 112)->rss_kib, ==, 10240);
      g_assert_cmpint (find (snap, 112)->anon_kib, ==, 10240);
      g_assert_cmpint (find (snap, 112)->delta_kib, ==, 0);
    }
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

static void
put_file (const char *dir, const char *rel, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* A single-threaded process whose schedstat says it has not run keeps last tick's figures without
 * its stat or status being read, for at most idle_full_s; one with threads is always read. */
/* stat of 109 with four threads. */
static char *
threaded_stat (unsigned long rss_pages)
{
  char *line = g_strdup (stat_line (109, 7000, 0, rss_pages));

  memcpy (strstr (line, " 20 0 1 0 "), " 20 0 4 0 ", 10);
  return line;
}

static void
test_idle_keeps_figures (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  g_autofree char *threaded = threaded_stat (12800);
  g_autofree char *threaded_grown = threaded_stat (15000);
  ms_sampler_t *s;
  ms_snapshot_t *snap;

  put_file (root, "112/schedstat", "1000 0 1\n");
  rewrite (root, "112/stat", stat_line (112, 7003, 0, 2560));
  rewrite (root, "112/status", status_text (10240, 0));
  put_file (root, "109/schedstat", "5000 0 1\n");
  rewrite (root, "109/stat", threaded);
  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  g_assert_cmpint (ms_sampler_tick_at (s, 2.0, 1e9 + 1, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->rss_kib, ==, 10240);

  /* It grew, but schedstat says it did not run: last tick's figures stand, CPU 0. */
  rewrite (root, "112/stat", stat_line (112, 7003, 50, 5000));
  rewrite (root, "112/status", status_text (20000, 0));
  rewrite (root, "109/stat", threaded_grown);
  rewrite (root, "109/status", status_text (60000, 0));
  g_assert_cmpint (ms_sampler_tick_at (s, 3.0, 1e9 + 2, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->rss_kib, ==, 10240);
  g_assert_cmpfloat (find (snap, 112)->cpu_pct, ==, 0.0);
  /* The threaded one is read anyway (schedstat covers only its main thread). */
  g_assert_cmpint (find (snap, 109)->rss_kib, ==, 60000);

  /* It ran: read in full. */
  rewrite (root, "112/schedstat", "2000 0 2\n");
  g_assert_cmpint (ms_sampler_tick_at (s, 4.0, 1e9 + 3, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->rss_kib, ==, 20000);
  g_assert_cmpfloat (find (snap, 112)->cpu_pct, >, 0.0);

  /* Asleep again while the kernel takes pages away: seen at the latest idle_full_s later. */
  rewrite (root, "112/stat", stat_line (112, 7003, 50, 1000));
  rewrite (root, "112/status", status_text (4000, 0));
  for (int t = 5; t < 14; t++)
    {
      g_assert_cmpint (ms_sampler_tick_at (s, t, 1e9 + t, &snap), ==, 0);
      g_assert_cmpint (find (snap, 112)->rss_kib, ==, 20000);
    }
  g_assert_cmpint (ms_sampler_tick_at (s, 14.0, 1e9 + 14, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->rss_kib, ==, 4000);

  /* Gone: its kept schedstat no longer reads, and neither does the rest. */
  ms_test_remove_tree (root);
  ms_sampler_free (s);
}

/* PSS of a process whose size has not moved is read again only when twice the maximum age would
 * pass before the next tick; one that moved is read at the next tick. */
static void
test_pss_of_unchanged_waits (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  g_autofree char *rollup_path = g_build_filename (root, "112/smaps_rollup", NULL);
  g_autofree char *rollup = NULL;
  g_autoptr(GString) changed = NULL;
  ms_sampler_t *s;
  ms_snapshot_t *snap;

  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->pss_kib, ==, 7680);

  g_assert_true (g_file_get_contents (rollup_path, &rollup, NULL, NULL));
  changed = g_string_new (rollup);
  g_assert_cmpint (g_string_replace (changed, "Pss:              7680 kB", "Pss:              9000 kB", 1), ==, 1);
  put_file (root, "112/smaps_rollup", changed->str);
  for (int t = 2; t < 60; t++)
    {
      g_assert_cmpint (ms_sampler_tick_at (s, t, 1e9 + t, &snap), ==, 0);
      g_assert_cmpint (find (snap, 112)->pss_kib, ==, 7680);
    }
  g_assert_cmpint (ms_sampler_tick_at (s, 60.0, 1e9 + 60, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->pss_kib, ==, 9000);
  g_assert_cmpfloat (find (snap, 112)->pss_age_s, ==, 0.0);

  /* It grows: its PSS is read at once. */
  g_string_replace (changed, "Pss:              9000 kB", "Pss:              9500 kB", 1);
  put_file (root, "112/smaps_rollup", changed->str);
  rewrite (root, "112/stat", stat_line (112, 7003, 0, 3000));
  rewrite (root, "112/status", status_text (12000, 0));
  g_assert_cmpint (ms_sampler_tick_at (s, 62.0, 1e9 + 62, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->pss_kib, ==, 9500);
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

static void
test_growth_swap_and_reuse (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  ms_sampler_t *s;
  ms_snapshot_t *snap;
  const ms_proc_t *p;
  long clk = sysconf (_SC_CLK_TCK);

  rewrite (root, "112/stat", stat_line (112, 7003, 0, 2560));
  rewrite (root, "112/status", status_text (10240, 0));
  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  p = find (snap, 112);
  g_assert_cmpint (p->footprint_kib, ==, 10240);
  g_assert_cmpfloat (p->cpu_pct, <, 0); /* no interval yet */

  /* RSS grows by 4 MiB and the process used half a core over two seconds. */
  rewrite (root, "112/stat", stat_line (112, 7003, (unsigned long long) clk, 3584));
  rewrite (root, "112/status", status_text (14336, 0));
  g_assert_cmpint (ms_sampler_tick_at (s, 3.0, 1e9 + 2, &snap), ==, 0);
  p = find (snap, 112);
  g_assert_cmpint (p->rss_kib, ==, 14336);
  g_assert_cmpint (p->delta_kib, ==, 4096);
  g_assert_cmpfloat_with_epsilon (p->cpu_pct, 50.0, 0.01);

  /* Swap grows behind a flat RSS: status is still re-read within a few seconds. */
  rewrite (root, "112/status", status_text (14336, 8192));
  g_assert_cmpint (ms_sampler_tick_at (s, 3.5, 1e9 + 3, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->swap_kib, ==, 0); /* RSS unchanged, status young */
  g_assert_cmpint (ms_sampler_tick_at (s, 7.0, 1e9 + 6, &snap), ==, 0);
  p = find (snap, 112);
  g_assert_cmpint (p->swap_kib, ==, 8192);
  g_assert_cmpint (p->delta_kib, ==, 4096 + 8192);

  /* Baseline reset for one process. */
  ms_sampler_reset_baseline (s, 112, 7003);
  g_assert_cmpint (find (snap, 112)->delta_kib, ==, 0);
  g_assert_cmpint (ms_sampler_tick_at (s, 8.0, 1e9 + 7, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->delta_kib, ==, 0);

  /* The same pid, a new starttime: another process, with its own baseline. */
  rewrite (root, "112/stat", stat_line (112, 9999, 0, 25600));
  rewrite (root, "112/status", status_text (102400, 0));
  g_assert_cmpint (ms_sampler_tick_at (s, 9.0, 1e9 + 8, &snap), ==, 0);
  p = find (snap, 112);
  g_assert_cmpuint (p->starttime, ==, 9999);
  g_assert_cmpint (p->footprint_kib, ==, 102400);
  g_assert_cmpint (p->delta_kib, ==, 0);
  g_assert_cmpfloat (p->cpu_pct, <, 0);
  g_assert_cmpfloat (p->first_seen_s, ==, 9.0);

  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

static void
test_baseline_reset_all (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  ms_sampler_t *s;
  ms_snapshot_t *snap;

  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  rewrite (root, "112/stat", stat_line (112, 7003, 0, 5120));
  rewrite (root, "112/status", status_text (20480, 524288));
  rewrite (root, "109/stat", stat_line (109, 7000, 0, 25600));
  rewrite (root, "109/status", status_text (102400, 0));
  g_assert_cmpint (ms_sampler_tick_at (s, 2.0, 1e9 + 1, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->delta_kib, ==, 10240);
  g_assert_cmpint (find (snap, 109)->delta_kib, >, 0);
  ms_sampler_reset_baseline (s, 0, 0);
  g_assert_cmpint (ms_sampler_tick_at (s, 3.0, 1e9 + 2, &snap), ==, 0);
  for (size_t i = 0; i < snap->n_procs; i++)
    g_assert_cmpint (snap->procs[i].delta_kib, ==, 0);
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

/* An undone reset: the baselines given back take effect at once and hold over later ticks; a
 * process that is gone, or whose pid now belongs to another process, is left alone. */
static void
test_baseline_restore (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  ms_sampler_t *s;
  ms_snapshot_t *snap;
  ms_baseline_t before[4];
  size_t n = 0;

  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  rewrite (root, "112/stat", stat_line (112, 7003, 0, 5120));
  rewrite (root, "112/status", status_text (20480, 524288));
  g_assert_cmpint (ms_sampler_tick_at (s, 2.0, 1e9 + 1, &snap), ==, 0);
  g_assert_cmpint (find (snap, 112)->delta_kib, ==, 10240);
  before[n++] = (ms_baseline_t) { 112, 7003, find (snap, 112)->baseline_kib };
  before[n++] = (ms_baseline_t) { 109, find (snap, 109)->starttime, 1 };
  before[n++] = (ms_baseline_t) { 112, 1, 5 };     /* another process that had pid 112 */
  before[n++] = (ms_baseline_t) { 31999, 1, 5 };   /* gone */
  {
    gint64 delta_112 = find (snap, 112)->delta_kib;
    gint64 footprint_109 = find (snap, 109)->footprint_kib;

    ms_sampler_reset_baseline (s, 0, 0);
    g_assert_cmpint (ms_sampler_tick_at (s, 3.0, 1e9 + 2, &snap), ==, 0);
    g_assert_cmpint (find (snap, 112)->delta_kib, ==, 0);

    g_assert_cmpuint (ms_sampler_restore_baselines (s, before, n), ==, 2);
    /* The last snapshot shows it before the next tick. */
    g_assert_cmpint (find (snap, 112)->delta_kib, ==, delta_112);
    g_assert_cmpint (find (snap, 109)->baseline_kib, ==, 1);
    g_assert_cmpint (find (snap, 109)->delta_kib, ==, footprint_109 - 1);
    g_assert_cmpint (ms_sampler_tick_at (s, 4.0, 1e9 + 3, &snap), ==, 0);
    g_assert_cmpint (find (snap, 112)->delta_kib, ==, delta_112);
    g_assert_cmpint (find (snap, 112)->baseline_kib, ==, before[0].baseline_kib);
    g_assert_cmpint (find (snap, 109)->delta_kib, ==, footprint_109 - 1);
  }
  g_assert_cmpuint (ms_sampler_restore_baselines (s, NULL, 0), ==, 0);
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

/* Desktop sessions start programs with a soft limit of 1,024 open files: raised to the hard limit,
 * so descriptors stay open for every process, and fd_cap follows. */
static void
test_raise_fd_limit (void)
{
  struct rlimit rl;
  ms_sampler_opts_t opts;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &rl), ==, 0);
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= 600)
    {
      g_test_message ("hard limit %lu: nothing to raise here", (unsigned long) rl.rlim_max);
      g_assert_cmpint (ms_sampler_raise_fd_limit (), ==, (long) rl.rlim_max);
      return;
    }
  rl.rlim_cur = 600;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &rl), ==, 0);
  ms_sampler_opts_init (&opts);
  g_assert_cmpuint (opts.fd_cap, ==, (600 - 256) / 2);
  g_assert_cmpint (ms_sampler_raise_fd_limit (), >, 600);
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &rl), ==, 0);
  g_assert_cmpuint (rl.rlim_cur, ==, rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536
                                       ? 65536 : rl.rlim_max);
  ms_sampler_opts_init (&opts);
  g_assert_cmpuint (opts.fd_cap, >, 128);
}

static void
test_fd_cap (void)
{
  g_autofree char *root = ms_test_data_path ("proc/basic");
  g_autofree char *passwd = ms_test_data_path ("passwd");
  ms_sampler_opts_t opts;
  ms_sampler_t *s;
  ms_snapshot_t *snap;
  char err[256];
  uint64_t kept = 0, opened = 0;

  ms_sampler_opts_init (&opts);
  opts.proc_root = root;
  opts.passwd_path = passwd;
  opts.fd_cap = 5;
  s = ms_sampler_new (&opts, err, sizeof err);
  g_assert_nonnull (s);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  g_assert_cmpint (ms_sampler_tick_at (s, 2.0, 1e9, &snap), ==, 0);
  /* Past the cap every process is still read, by opening and closing. */
  g_assert_cmpuint (snap->n_procs, ==, 14);
  g_assert_cmpuint (ms_sampler_open_fds (s), <=, 5);
  ms_sampler_io_stats (s, &kept, &opened);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (opened, >, kept);
  ms_sampler_free (s);
}

static void
test_no_pss_budget (void)
{
  g_autofree char *root = ms_test_data_path ("proc/basic");
  g_autofree char *passwd = ms_test_data_path ("passwd");
  ms_sampler_opts_t opts;
  ms_sampler_t *s;
  ms_snapshot_t *snap;
  char err[256];

  ms_sampler_opts_init (&opts);
  opts.proc_root = root;
  opts.passwd_path = passwd;
  opts.pss_budget = 0;
  s = ms_sampler_new (&opts, err, sizeof err);
  g_assert_nonnull (s);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  /* No budget, no PSS: unknown everywhere, and nothing read past the selection array. */
  for (size_t i = 0; i < snap->n_procs; i++)
    g_assert_cmpint (snap->procs[i].pss_kib, ==, MS_UNKNOWN_KIB);
  ms_sampler_free (s);
}

static void
test_no_allocation_when_warm (void)
{
  g_autofree char *root = ms_test_data_path ("proc/basic");
  ms_sampler_t *s = fixture_sampler (root);
  ms_snapshot_t *snap;
  uint64_t before;

  for (int i = 0; i < 40; i++)
    g_assert_cmpint (ms_sampler_tick_at (s, 1.0 + i, 1e9 + i, &snap), ==, 0);
  before = ms_alloc_count ();
  /* Long enough that every PSS and status refresh comes round again. */
  for (int i = 40; i < 140; i++)
    g_assert_cmpint (ms_sampler_tick_at (s, 1.0 + i, 1e9 + i, &snap), ==, 0);
  g_assert_cmpuint (ms_alloc_count (), ==, before);
  ms_sampler_free (s);
}

static void
test_missing_root (void)
{
  ms_sampler_opts_t opts;
  char err[256] = "";

  ms_sampler_opts_init (&opts);
  opts.proc_root = "/nonexistent-proc-root";
  g_assert_null (ms_sampler_new (&opts, err, sizeof err));
  g_assert_nonnull (strstr (err, "/nonexistent-proc-root"));
}

static long
status_kib (const char *key)
{
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &text, NULL, NULL));
  line = strstr (text, key);
  g_assert_nonnull (line);
  return strtol (line + strlen (key) + 1, NULL, 10);
}

static void
test_live_self (void)
{
  ms_sampler_t *s;
  ms_sampler_opts_t opts;
  ms_snapshot_t *snap;
  const ms_proc_t *me;
  char err[256];
  long vmrss_before, vmrss_after;

  ms_sampler_opts_init (&opts);
  s = ms_sampler_new (&opts, err, sizeof err);
  g_assert_nonnull (s);
  ms_sampler_set_pss_priority (s, getpid (), 0);
  g_assert_cmpint (ms_sampler_tick (s, &snap), ==, 0);
  me = find (snap, getpid ());
  g_assert_nonnull (me);
  ms_sampler_set_pss_priority (s, getpid (), me->starttime);
  /* This process's own RSS moves while it reads: bracket the tick with two readings.  The kernel
   * batches RSS counters per CPU, so a change of a few hundred KiB can show up in status before
   * stat: allow that much (the ±2 % check on a steady 200 MiB process is in the live tests). */
  vmrss_before = status_kib ("VmRSS:");
  g_assert_cmpint (ms_sampler_tick (s, &snap), ==, 0);
  vmrss_after = status_kib ("VmRSS:");
  me = find (snap, getpid ());
  g_assert_cmpint (me->rss_kib, >=, MIN (vmrss_before, vmrss_after) - 512);
  g_assert_cmpint (me->rss_kib, <=, MAX (vmrss_before, vmrss_after) + 512);
  g_assert_cmpint (me->pss_kib, >, 0);
  g_assert_cmpint (me->pss_kib, <=, me->rss_kib);
  g_assert_cmpfloat (me->pss_age_s, >=, 0);
  g_assert_cmpint (me->ppid, ==, getppid ());
  g_assert_false (me->kernel_thread);
  g_assert_true (g_str_has_prefix (me->group, "tree:"));
  ms_sampler_free (s);
}

/* Root reads every file, so a real permission failure needs an unprivileged process. */
static void
test_live_unprivileged (void)
{
  pid_t child;
  int status;

  if (getuid () != 0)
    {
      /* Already unprivileged: the same checks run in this process. */
      child = 0;
    }
  else
    {
      child = fork ();
      g_assert_cmpint (child, >=, 0);
    }
  if (child == 0)
    {
      ms_sampler_opts_t opts;
      ms_sampler_t *s;
      ms_snapshot_t *snap;
      char err[256];
      bool saw_other_user = false;

      if (getuid () == 0 && setresuid (65534, 65534, 65534) != 0)
        _exit (10);
      ms_sampler_opts_init (&opts);
      opts.pss_all = true;
      s = ms_sampler_new (&opts, err, sizeof err);
      if (s == NULL || ms_sampler_tick (s, &snap) != 0 || ms_sampler_tick (s, &snap) != 0)
        _exit (11);
      for (size_t i = 0; i < snap->n_procs; i++)
        {
          const ms_proc_t *p = &snap->procs[i];

          if (p->uid != getuid () && !p->kernel_thread)
            {
              saw_other_user = true;
              /* Another user's smaps_rollup is denied: unknown, never a guess. */
              if (p->pss_kib != MS_UNKNOWN_KIB)
                _exit (12);
              if (p->rss_kib <= 0 && p->state != 'Z')
                _exit (13);
            }
        }
      ms_sampler_free (s);
      _exit (saw_other_user ? 0 : 14);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* A process's stat with its comm and parent, for made-up processes. */
static const char *
child_stat (int pid, int ppid, const char *comm)
{
  static char buf[512];

  g_snprintf (buf, sizeof buf,
              "%d (%s) S %d %d %d 0 -1 4194304 0 0 0 0 5 0 0 0 20 0 1 0 %d 1000 256 "
              "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
              pid, comm, ppid, pid, pid, 9000 + pid);
  return buf;
}

static const char *
named_stat (int pid, const char *comm)
{
  return child_stat (pid, 1, comm);
}

static void
add_child (const char *root, int pid, int ppid, const char *comm, const char *argv0,
           const char *exe)
{
  g_autofree char *dir = g_strdup_printf ("%s/%d", root, pid);
  g_autofree char *rel_stat = g_strdup_printf ("%d/stat", pid);
  g_autofree char *rel_status = g_strdup_printf ("%d/status", pid);
  g_autofree char *cmdline_path = g_strdup_printf ("%s/cmdline", dir);
  g_autofree char *exe_path = g_strdup_printf ("%s/exe", dir);
  g_autofree char *cmdline = g_strdup_printf ("%s%c--fast%c", argv0, 0, 0);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  put_file (root, rel_stat, child_stat (pid, ppid, comm));
  put_file (root, rel_status, status_text (1024, 0));
  g_assert_true (g_file_set_contents (cmdline_path, cmdline, (gssize) strlen (argv0) + 8, NULL));
  if (exe != NULL)
    g_assert_cmpint (symlink (exe, exe_path), ==, 0);
}

static void
add_named (const char *root, int pid, const char *comm, const char *argv0, const char *exe)
{
  add_child (root, pid, 1, comm, argv0, exe);
}

/* The kernel cuts comm to 15 bytes; the list shows the program's full name, from the command
 * line's first word or else the executable, unless the process chose another name. */
static void
test_full_names (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  const char *full = "photo-thumbnailer-for-the-whole-gallery1"; /* 40 characters */
  g_autofree char *argv0 = g_strdup_printf ("/opt/gallery/bin/%s", full);
  ms_sampler_t *s;
  ms_snapshot_t *snap;

  g_assert_cmpuint (strlen (full), ==, 40);
  add_named (root, 113, "photo-thumbnail", argv0, argv0);
  /* argv[0] rewritten to something else: the executable still names it. */
  add_named (root, 114, "at-spi2-registr", "registryd", "/usr/libexec/at-spi2-registryd");
  /* A process that renamed itself keeps the name it chose. */
  add_named (root, 115, "Web Content", "/usr/lib/firefox/firefox", "/usr/lib/firefox/firefox");
  /* A short comm is complete, whatever the command line says. */
  add_named (root, 116, "postgres", "postgres: checkpointer", "/usr/lib/postgresql/bin/postgres");
  /* 15 bytes that are a prefix of nothing: kept. */
  add_named (root, 117, "abcdefghijklmno", "/bin/xyz", NULL);

  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  g_assert_cmpstr (find (snap, 113)->name, ==, full);
  g_assert_cmpstr (find (snap, 113)->comm, ==, "photo-thumbnail");
  g_assert_cmpstr (find (snap, 114)->name, ==, "at-spi2-registryd");
  g_assert_cmpstr (find (snap, 115)->name, ==, "Web Content");
  g_assert_cmpstr (find (snap, 116)->name, ==, "postgres");
  g_assert_cmpstr (find (snap, 117)->name, ==, "abcdefghijklmno");
  /* Kernel threads have no command line: comm. */
  for (size_t i = 0; i < snap->n_procs; i++)
    if (snap->procs[i].kernel_thread)
      g_assert_cmpstr (snap->procs[i].name, ==, snap->procs[i].comm);

  /* 113 renames itself (prctl): from the next tick it goes by its own name. */
  rewrite (root, "113/stat", named_stat (113, "gallery-worker"));
  g_assert_cmpint (ms_sampler_tick_at (s, 2.0, 1e9 + 1, &snap), ==, 0);
  g_assert_cmpstr (find (snap, 113)->name, ==, "gallery-worker");
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

/* A proc tree of the machine files only; vmstat NULL leaves it out. */
static char *
machine_tree (const char *vmstat)
{
  char *dir = g_dir_make_tmp ("memscope-proc-XXXXXX", NULL);

  g_assert_nonnull (dir);
  put_file (dir, "meminfo", "MemTotal:       1000000 kB\nMemAvailable:    500000 kB\n");
  if (vmstat != NULL)
    put_file (dir, "vmstat", vmstat);
  return dir;
}

/* One tick of a fresh sampler on a tree whose vmstat holds `vmstat`. */
static ms_oom_counter_t
counter_of (const char *vmstat)
{
  g_autofree char *root = machine_tree (vmstat);
  ms_sampler_t *s = fixture_sampler (root);
  ms_snapshot_t *snap;
  ms_oom_counter_t counter;

  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  counter = snap->oom_counter;
  ms_sampler_free (s);
  ms_test_remove_tree (root);
  return counter;
}

/* Zero is a reading: the first kill since boot (0, 0, 1) reaches the derivation as one kill. */
static void
test_oom_counter_first_kill (void)
{
  g_autofree char *root = machine_tree ("nr_free_pages 1530864\noom_kill 0\nnr_foo 3\n");
  ms_sampler_t *s = fixture_sampler (root);
  ms_snapshot_t *snap;
  ms_oom_tracker_t oom;
  static const char *const vmstat[] = { "oom_kill 0\n", "oom_kill 0\n", "oom_kill 1\n" };
  static const guint64 kills[] = { 0, 0, 1 };

  ms_oom_tracker_init (&oom);
  for (gsize i = 0; i < G_N_ELEMENTS (vmstat); i++)
    {
      if (i > 0)
        rewrite (root, "vmstat", vmstat[i]);
      g_assert_cmpint (ms_sampler_tick_at (s, 1.0 + (double) i, 1e9 + (double) i, &snap), ==, 0);
      g_assert_true (snap->oom_counter.valid);
      g_assert_cmpuint (snap->oom_counter.count, ==, i < 2 ? 0 : 1);
      g_assert_cmpuint (ms_oom_derive (&oom, snap), ==, kills[i]);
    }
  /* The line goes (a kernel that stops saying): unknown at once, not the last value. */
  rewrite (root, "vmstat", "nr_free_pages 1\n");
  g_assert_cmpint (ms_sampler_tick_at (s, 4.0, 1e9 + 3, &snap), ==, 0);
  g_assert_false (snap->oom_counter.valid);
  g_assert_cmpuint (ms_oom_derive (&oom, snap), ==, 0);
  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

/* No oom_kill line, a malformed one, no vmstat, a vmstat that cannot be read: unknown, never 0
 * and never a crash. */
static void
test_oom_counter_unreadable (void)
{
  static const char *const bad[] = {
    "nr_free_pages 1530864\npgfault 12\n",
    "oom_kill\n",
    "oom_kill \n",
    "oom_kill x\n",
    "oom_kill 12abc\n",
    "oom_kill -1\n",
    "oom_kill 99999999999999999999999\n",
    "oom_kill_total 4\n",
    "",
  };
  g_autofree char *root = NULL;
  ms_oom_counter_t c;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      c = counter_of (bad[i]);
      g_assert_false (c.valid);
    }
  c = counter_of ("oom_kill 7\n");
  g_assert_true (c.valid);
  g_assert_cmpuint (c.count, ==, 7);
  c = counter_of (NULL);
  g_assert_false (c.valid);

  /* A directory where the file should be: opened, but every read fails. */
  {
    ms_sampler_t *s;
    ms_snapshot_t *snap;
    g_autofree char *vmstat = NULL;

    root = machine_tree (NULL);
    vmstat = g_build_filename (root, "vmstat", NULL);
    g_assert_cmpint (g_mkdir (vmstat, 0755), ==, 0);
    s = fixture_sampler (root);
    g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
    g_assert_false (snap->oom_counter.valid);
    ms_sampler_free (s);
    ms_test_remove_tree (root);
  }
}

/* Permission denied: a process that may not read vmstat gets an unknown counter.  Root reads
 * anything, so a child that becomes nobody tries (the tree is its own, in a temporary
 * directory, with /etc/passwd for names: nothing from the source tree). */
static void
test_oom_counter_denied (void)
{
  g_autofree char *root = machine_tree ("oom_kill 3\n");
  g_autofree char *vmstat = g_build_filename (root, "vmstat", NULL);
  pid_t child;
  int status;

  g_assert_cmpint (g_chmod (root, 0755), ==, 0);
  g_assert_cmpint (g_chmod (vmstat, 0), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      ms_sampler_opts_t opts;
      ms_sampler_t *s;
      ms_snapshot_t *snap;
      ms_oom_tracker_t oom;
      char err[256];
      int fd;

      if (getuid () == 0 && (setresgid (65534, 65534, 65534) != 0
                             || setresuid (65534, 65534, 65534) != 0))
        _exit (10);
      /* The premise: this process really is refused. */
      fd = open (vmstat, O_RDONLY);
      if (fd >= 0 || errno != EACCES)
        _exit (11);
      ms_sampler_opts_init (&opts);
      opts.proc_root = root;
      opts.passwd_path = "/etc/passwd";
      s = ms_sampler_new (&opts, err, sizeof err);
      if (s == NULL)
        _exit (12);
      ms_oom_tracker_init (&oom);
      for (int i = 0; i < 3; i++)
        {
          if (ms_sampler_tick_at (s, 1.0 + i, 1e9 + i, &snap) != 0)
            _exit (13);
          if (snap->oom_counter.valid || ms_oom_derive (&oom, snap) != 0)
            _exit (14);
        }
      ms_sampler_free (s);
      _exit (0);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  ms_test_remove_tree (root);
}

static const ms_proc_t *
group_top (const ms_snapshot_t *snap, const ms_proc_t *p)
{
  int32_t top = ms_group_top_pid (p->group);

  return top > 0 ? find (snap, top) : NULL;
}

/* The group's name as every view derives it: from its key and its topmost process. */
static const char *
group_name (const ms_snapshot_t *snap, const ms_proc_t *p)
{
  static char label[MS_GROUP_MAX + MS_NAME_MAX];
  const ms_proc_t *top = group_top (snap, p);

  ms_group_label (p->group, top != NULL ? top->name : NULL, label, sizeof label);
  return label;
}

/* Programs with the same 15-byte comm and different full names are different applications:
 * three of one multi-call executable, and three of another user (executable unreadable), form
 * six groups, each named by its program's full name.  A helper of the same executable joins
 * its parent's group, under the parent's name; hostile names stay in their own groups. */
static void
test_group_names (void)
{
  g_autofree char *root = copy_fixture ("proc/basic");
  const char *mine[] = { "photo-thumbnailer-one", "photo-thumbnailer-two",
                         "photo-thumbnailer-three" };
  const char *theirs[] = { "photo-thumbnailer-a", "photo-thumbnailer-b", "photo-thumbnailer-c" };
  g_autofree char *long_word = g_strnfill (300, 'a');
  g_autofree char *long_argv0 = g_strdup_printf ("/opt/%s", long_word);
  g_autofree char *long_exe = g_strdup_printf ("/opt/%s/bin/tool", long_word);
  ms_sampler_t *s;
  ms_snapshot_t *snap;
  const ms_proc_t *p;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *argv0 = g_strdup_printf ("/opt/gallery/bin/%s", mine[i]);
      g_autofree char *other = g_strdup_printf ("/usr/bin/%s", theirs[i]);

      add_named (root, 120 + i, "photo-thumbnail", argv0, "/opt/gallery/libexec/thumbnailer");
      add_named (root, 123 + i, "photo-thumbnail", other, NULL);
    }
  add_child (root, 130, 120, "thumb-worker", "/opt/gallery/libexec/thumbnailer",
             "/opt/gallery/libexec/thumbnailer");
  /* Hostile names: a newline and an escape in comm, a name longer than any buffer, bad bytes,
   * an executable path longer than the key. */
  add_named (root, 131, "evil\n\033[2J", "evil", NULL);
  add_named (root, 132, "aaaaaaaaaaaaaaa", long_argv0, NULL);
  add_named (root, 133, "bad\377\376", "bad", NULL);
  add_named (root, 134, "tool", "tool", long_exe);
  add_child (root, 135, 134, "tool", "tool", long_exe);

  s = fixture_sampler (root);
  g_assert_cmpint (ms_sampler_tick_at (s, 1.0, 1e9, &snap), ==, 0);
  for (int i = 0; i < 3; i++)
    {
      const ms_proc_t *a = find (snap, 120 + i);
      const ms_proc_t *b = find (snap, 123 + i);

      g_assert_cmpstr (a->comm, ==, "photo-thumbnail");
      g_assert_true (g_str_has_prefix (a->group, "tree:/opt/gallery/libexec/thumbnailer:"));
      g_assert_cmpstr (group_name (snap, a), ==, mine[i]);
      g_assert_cmpstr (b->comm, ==, "photo-thumbnail");
      g_assert_true (g_str_has_prefix (b->group, "name:"));
      g_assert_cmpstr (group_name (snap, b), ==, theirs[i]);
      for (int j = 0; j < i; j++)
        {
          g_assert_cmpstr (a->group, !=, find (snap, 120 + j)->group);
          g_assert_cmpstr (b->group, !=, find (snap, 123 + j)->group);
        }
    }
  /* The helper is in the first program's group, which keeps the program's name. */
  p = find (snap, 130);
  g_assert_cmpstr (p->group, ==, find (snap, 120)->group);
  g_assert_cmpstr (group_name (snap, p), ==, mine[0]);

  /* Hostile names are carried as they are (the views make them safe to show), whole up to the
   * name's size, and never merge groups. */
  g_assert_cmpstr (group_name (snap, find (snap, 131)), ==, "evil\n\033[2J");
  p = find (snap, 132);
  g_assert_cmpuint (strlen (p->name), ==, MS_NAME_MAX - 1);
  g_assert_cmpstr (group_name (snap, p), ==, p->name);
  g_assert_cmpstr (group_name (snap, find (snap, 133)), ==, "bad\377\376");
  /* The long executable path is cut, the PID never: both processes in one tree, named. */
  p = find (snap, 135);
  g_assert_cmpuint (strlen (p->group), ==, MS_GROUP_MAX - 1);
  g_assert_true (g_str_has_suffix (p->group, ":134"));
  g_assert_cmpint (ms_group_top_pid (p->group), ==, 134);
  g_assert_cmpstr (p->group, ==, find (snap, 134)->group);
  g_assert_cmpstr (group_name (snap, p), ==, "tool");

  /* Keys that name no tree have no top. */
  g_assert_cmpint (ms_group_top_pid ("app:org.mozilla.firefox"), ==, -1);
  g_assert_cmpint (ms_group_top_pid ("name:a:12"), ==, -1);
  g_assert_cmpint (ms_group_top_pid ("tree:/bin/x"), ==, -1);
  g_assert_cmpint (ms_group_top_pid ("tree:/bin/x:12abc"), ==, -1);

  ms_sampler_free (s);
  ms_test_remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sampler/fixture-values", test_fixture_values);
  g_test_add_func ("/sampler/vanish-and-appear", test_vanish_and_appear);
  g_test_add_func ("/sampler/growth-swap-reuse", test_growth_swap_and_reuse);
  g_test_add_func ("/sampler/status-figures-kept", test_status_figures_kept);
  g_test_add_func ("/sampler/idle-keeps-figures", test_idle_keeps_figures);
  g_test_add_func ("/sampler/pss-of-unchanged-waits", test_pss_of_unchanged_waits);
  g_test_add_func ("/sampler/full-names", test_full_names);
  g_test_add_func ("/sampler/group-names", test_group_names);
  g_test_add_func ("/sampler/baseline-reset-all", test_baseline_reset_all);
  g_test_add_func ("/sampler/baseline-restore", test_baseline_restore);
  g_test_add_func ("/sampler/fd-cap", test_fd_cap);
  g_test_add_func ("/sampler/raise-fd-limit", test_raise_fd_limit);
  g_test_add_func ("/sampler/no-pss-budget", test_no_pss_budget);
  g_test_add_func ("/sampler/no-allocation-when-warm", test_no_allocation_when_warm);
  g_test_add_func ("/sampler/missing-root", test_missing_root);
  g_test_add_func ("/sampler/live-self", test_live_self);
  g_test_add_func ("/sampler/live-unprivileged", test_live_unprivileged);
  g_test_add_func ("/sampler/oom-counter-first-kill", test_oom_counter_first_kill);
  g_test_add_func ("/sampler/oom-counter-unreadable", test_oom_counter_unreadable);
  g_test_add_func ("/sampler/oom-counter-denied", test_oom_counter_denied);
  return g_test_run ();
}
