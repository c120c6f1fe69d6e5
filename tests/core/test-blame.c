/* SPDX-License-Identifier: MIT */
/* Tests of blame: ranking, processes that start or exit inside the window, unattributed growth. */
#include "config.h"

#include <string.h>

#include "alloc.h"
#include "blame.h"
#include "ms-test.h"

/* A process's footprint over time: rss = base + rate * t, or absent outside [born_s, died_s). */
typedef struct
{
  int32_t pid;
  uint64_t starttime;
  const char *comm;
  int64_t base_kib;
  int64_t rate_kib_s;
  double born_s;
  double died_s;
  int64_t swap_kib; /* added to the footprint from swap_from_s on */
  double swap_from_s;
} model_t;

static const model_t models[] = {
  { 100, 10, "steady", 50000, 0, 0, 1e9, 0, 0 },
  { 101, 11, "slow grower", 20000, 100, 0, 1e9, 0, 0 },
  { 102, 12, "fast grower", 30000, 1000, 0, 1e9, 0, 0 },
  { 103, 13, "shrinker", 90000, -500, 0, 1e9, 0, 0 },
  { 104, 14, "newcomer", 40000, 0, 25, 1e9, 0, 0 },
  { 105, 15, "quitter", 70000, 0, 0, 35, 0, 0 },
  { 106, 16, "flash", 99000, 0, 22, 28, 0, 0 },
  /* The same pid again later: a new process, not a continuation. */
  { 105, 99, "recycled", 1000, 0, 40, 1e9, 0, 0 },
  /* Growth that moves to swap still counts. */
  { 107, 17, "swapper", 10000, 0, 0, 1e9, 6000, 30 },
};

static int64_t
machine_extra_kib (double t)
{
  return 5000 + 10 * (int64_t) t; /* kernel / page cache growth no process explains */
}

/* Builds the sample at time t into the given storage. */
static void
build_sample (double t, ms_snapshot_t *snap, ms_proc_t *procs, bool with_machine)
{
  int64_t used = 0;

  memset (snap, 0, sizeof *snap);
  snap->time_s = t;
  snap->procs = procs;
  /* A pid-0 row is never a process. */
  memset (&procs[0], 0, sizeof procs[0]);
  procs[0].rss_kib = 123456;
  snap->n_procs = 1;
  for (size_t i = 0; i < G_N_ELEMENTS (models); i++)
    {
      const model_t *m = &models[i];
      ms_proc_t *p;

      if (t < m->born_s || t >= m->died_s)
        continue;
      p = &procs[snap->n_procs++];
      memset (p, 0, sizeof *p);
      p->pid = m->pid;
      p->starttime = m->starttime;
      g_strlcpy (p->comm, m->comm, sizeof p->comm);
      p->rss_kib = m->base_kib + m->rate_kib_s * (int64_t) t;
      p->swap_kib = t >= m->swap_from_s ? m->swap_kib : 0;
      p->footprint_kib = p->rss_kib + p->swap_kib;
      used += p->footprint_kib;
    }
  if (with_machine)
    {
      int64_t swap_used = 0;

      for (size_t i = 1; i < snap->n_procs; i++)
        swap_used += procs[i].swap_kib;
      snap->mem.mem_total_kib = 8 << 20;
      snap->mem.mem_available_kib = snap->mem.mem_total_kib - (used - swap_used)
                                    - machine_extra_kib (t);
      snap->mem.swap_total_kib = 1 << 20;
      snap->mem.swap_free_kib = snap->mem.swap_total_kib - swap_used;
    }
}

static ms_blame_status_t
run_blame (double from_s, double to_s, double step_s, double last_s, bool with_machine,
           ms_blame_result_t *res)
{
  ms_blame_t *b = ms_blame_new (from_s, to_s);
  ms_proc_t procs[G_N_ELEMENTS (models) + 1];
  ms_snapshot_t snap;
  ms_blame_status_t status;

  g_assert_nonnull (b);
  for (double t = 0; t <= last_s; t += step_s)
    {
      build_sample (t, &snap, procs, with_machine);
      ms_blame_feed (b, &snap);
      /* Samples at or before `to` can still matter; the one after it ends the window. */
      g_assert_cmpint (ms_blame_done (b), ==, t > to_s);
    }
  status = ms_blame_finish (b, res);
  ms_blame_free (b);
  return status;
}

static const ms_blame_row_t *
find_row (const ms_blame_result_t *res, int32_t pid, uint64_t starttime)
{
  for (size_t i = 0; i < res->n_rows; i++)
    if (res->rows[i].pid == pid && res->rows[i].starttime == starttime)
      return &res->rows[i];
  return NULL;
}

static void
test_ranking (void)
{
  ms_blame_result_t res;
  static const struct
  {
    int32_t pid;
    uint64_t starttime;
  } order[] = {
    /* delta: fast +20000, newcomer +40000 (from 0), slow +2000, swapper +6000, recycled +1000,
     * steady 0, shrinker -10000, quitter -70000 (to 0) */
    { 104, 14 }, { 102, 12 }, { 107, 17 }, { 101, 11 }, { 105, 99 }, { 100, 10 }, { 103, 13 },
    { 105, 15 },
  };
  const ms_blame_row_t *row;
  int64_t sum = 0;

  /* Samples every 5 s; from = 22 picks the sample at 20, to = 43 the one at 40. */
  g_assert_cmpint (run_blame (22, 43, 5, 60, true, &res), ==, MS_BLAME_OK);
  g_assert_cmpfloat (res.from_sample_s, ==, 20);
  g_assert_cmpfloat (res.to_sample_s, ==, 40);
  g_assert_cmpuint (res.n_rows, ==, G_N_ELEMENTS (order));
  for (size_t i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_test_message ("row %zu: pid %d %s %" G_GINT64_FORMAT, i, res.rows[i].pid, res.rows[i].comm,
                      res.rows[i].delta_kib);
      g_assert_cmpint (res.rows[i].pid, ==, order[i].pid);
      g_assert_cmpuint (res.rows[i].starttime, ==, order[i].starttime);
      sum += res.rows[i].delta_kib;
    }

  row = find_row (&res, 102, 12);
  g_assert_cmpint (row->start_kib, ==, 30000 + 1000 * 20);
  g_assert_cmpint (row->end_kib, ==, 30000 + 1000 * 40);
  g_assert_cmpint (row->delta_kib, ==, 20000);
  g_assert_false (row->started_inside);
  g_assert_false (row->exited_inside);

  row = find_row (&res, 104, 14);
  g_assert_true (row->started_inside);
  g_assert_false (row->exited_inside);
  g_assert_cmpint (row->start_kib, ==, 0);
  g_assert_cmpint (row->end_kib, ==, 40000);

  row = find_row (&res, 105, 15);
  g_assert_cmpstr (row->comm, ==, "quitter");
  g_assert_true (row->exited_inside);
  g_assert_false (row->started_inside);
  g_assert_cmpint (row->end_kib, ==, 0);
  g_assert_cmpint (row->delta_kib, ==, -70000);

  row = find_row (&res, 105, 99);
  g_assert_cmpstr (row->comm, ==, "recycled");
  g_assert_true (row->started_inside);

  /* Swapped-out growth is growth: footprint is rss + swap. */
  row = find_row (&res, 107, 17);
  g_assert_cmpint (row->delta_kib, ==, 6000);

  /* A process born and gone between the two samples is not listed. */
  g_assert_null (find_row (&res, 106, 16));
  g_assert_null (find_row (&res, 0, 0));

  /* Machine growth = process growth + what the model adds outside any process. */
  g_assert_true (res.has_machine);
  g_assert_cmpint (res.machine_end_kib - res.machine_start_kib, ==,
                   sum + machine_extra_kib (40) - machine_extra_kib (20));
  g_assert_cmpint (res.unattributed_kib, ==, machine_extra_kib (40) - machine_extra_kib (20));
  ms_blame_result_clear (&res);
}

static void
test_exact_boundaries (void)
{
  ms_blame_result_t res;

  /* A window whose ends fall exactly on samples uses those samples. */
  g_assert_cmpint (run_blame (20, 40, 5, 60, false, &res), ==, MS_BLAME_OK);
  g_assert_cmpfloat (res.from_sample_s, ==, 20);
  g_assert_cmpfloat (res.to_sample_s, ==, 40);
  g_assert_false (res.has_machine);
  g_assert_cmpint (res.unattributed_kib, ==, 0);
  ms_blame_result_clear (&res);

  /* A `to` past the last sample uses the last sample. */
  g_assert_cmpint (run_blame (20, 1000, 5, 60, false, &res), ==, MS_BLAME_OK);
  g_assert_cmpfloat (res.to_sample_s, ==, 60);
  g_assert_cmpfloat (res.last_s, ==, 60);
  ms_blame_result_clear (&res);
}

static void
test_bad_windows (void)
{
  ms_blame_result_t res;
  ms_blame_t *b;

  /* Before the first sample. */
  g_assert_cmpint (run_blame (-10, 40, 5, 60, true, &res), ==, MS_BLAME_BEFORE_TRACE);
  ms_blame_result_clear (&res);
  /* Both ends inside one gap between samples. */
  g_assert_cmpint (run_blame (21, 24, 5, 60, true, &res), ==, MS_BLAME_EMPTY_WINDOW);
  g_assert_cmpfloat (res.from_sample_s, ==, 20);
  ms_blame_result_clear (&res);
  /* Starting at the last sample or after it. */
  g_assert_cmpint (run_blame (60, 90, 5, 60, true, &res), ==, MS_BLAME_EMPTY_WINDOW);
  ms_blame_result_clear (&res);
  /* from >= to. */
  g_assert_cmpint (run_blame (40, 40, 5, 60, true, &res), ==, MS_BLAME_BAD_WINDOW);
  ms_blame_result_clear (&res);
  /* Nothing fed. */
  b = ms_blame_new (0, 10);
  g_assert_cmpint (ms_blame_finish (b, &res), ==, MS_BLAME_NO_SAMPLES);
  g_assert_nonnull (ms_blame_status_message (MS_BLAME_NO_SAMPLES));
  ms_blame_result_clear (&res);
  ms_blame_free (b);
}

/* Feeding costs no allocation once the two frames have grown to the sample size. */
static void
test_no_allocation_when_warm (void)
{
  ms_blame_t *b = ms_blame_new (10, 5000);
  ms_proc_t procs[G_N_ELEMENTS (models) + 1];
  ms_snapshot_t snap;
  ms_blame_result_t res;
  guint64 before = 0;

  for (double t = 0; t < 100; t += 1)
    {
      if (t == 50)
        before = ms_alloc_count ();
      build_sample (t, &snap, procs, true);
      ms_blame_feed (b, &snap);
    }
  g_assert_cmpuint (ms_alloc_count (), ==, before);
  g_assert_cmpint (ms_blame_finish (b, &res), ==, MS_BLAME_OK);
  g_assert_cmpfloat (res.to_sample_s, ==, 99);
  ms_blame_result_clear (&res);
  ms_blame_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/blame/ranking", test_ranking);
  g_test_add_func ("/blame/exact-boundaries", test_exact_boundaries);
  g_test_add_func ("/blame/bad-windows", test_bad_windows);
  g_test_add_func ("/blame/no-allocation-when-warm", test_no_allocation_when_warm);
  return g_test_run ();
}
