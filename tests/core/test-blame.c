/* SPDX-License-Identifier: MIT */
/* Tests of blame: ranking, processes that start or exit inside the window, unattributed growth. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blame.h"
#include "ms-test.h"
#include "tracegen.h"

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
     * flash 0 (came and went, peak 99000), steady 0, shrinker -10000, quitter -70000 (to 0) */
    { 104, 14 }, { 102, 12 }, { 107, 17 }, { 101, 11 }, { 105, 99 }, { 106, 16 }, { 100, 10 },
    { 103, 13 }, { 105, 15 },
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

  /* A process born and gone between the two samples is listed with what it held on the way,
   * and is no part of the change. */
  row = find_row (&res, 106, 16);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->comm, ==, "flash");
  g_assert_true (row->started_inside && row->exited_inside);
  g_assert_cmpint (row->start_kib, ==, 0);
  g_assert_cmpint (row->end_kib, ==, 0);
  g_assert_cmpint (row->delta_kib, ==, 0);
  g_assert_cmpint (row->peak_kib, ==, 99000);
  g_assert_cmpint (row->share_pct, ==, 0);
  g_assert_null (find_row (&res, 0, 0));
  /* The others have no peak. */
  g_assert_cmpint (find_row (&res, 104, 14)->peak_kib, ==, 0);

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

/* --- Shares and merged rows on generated machines ------------------------------------------- */

typedef struct
{
  ms_blame_t *blame;
} feed_t;

static void
feed_cb (ms_snapshot_t *snap, void *user)
{
  feed_t *f = user;

  ms_blame_feed (f->blame, snap);
}

static void
blame_machine (uint64_t seed, double from_s, double to_s, ms_blame_result_t *res)
{
  feed_t f = { ms_blame_new (from_s, to_s) };

  ms_tg_run_machine (seed, 120, feed_cb, &f);
  g_assert_cmpint (ms_blame_finish (f.blame, res), ==, MS_BLAME_OK);
  ms_blame_free (f.blame);
}

/* The shares of a result explain its whole change: sizes add up to 100 %, signs follow the
 * change, and the parts add up to the machine's change. */
static void
assert_shares_explain (const ms_blame_result_t *res)
{
  int64_t grew = 0, shrank = 0;
  int pct_sum = abs (res->unattributed_share_pct);
  double share_sum = fabs (res->unattributed_share);

  g_assert_true (res->has_machine);
  for (size_t i = 0; i < res->n_rows; i++)
    {
      const ms_blame_row_t *row = &res->rows[i];

      if (row->delta_kib > 0)
        grew += row->delta_kib;
      else
        shrank += row->delta_kib;
      /* A share has the sign of its change (a small one may round to 0). */
      g_assert_true (row->share_pct == 0 || (row->share_pct > 0) == (row->delta_kib > 0));
      g_assert_true ((row->share > 0) == (row->delta_kib > 0));
      g_assert_cmpfloat (fabs (row->share * 100 - row->share_pct), <, 1.0);
      pct_sum += abs (row->share_pct);
      share_sum += fabs (row->share);
    }
  g_assert_cmpint (res->grew_kib, ==, grew);
  g_assert_cmpint (res->shrank_kib, ==, shrank);
  g_assert_cmpint (res->gross_kib, ==, grew - shrank + (res->unattributed_kib < 0
                                                         ? -res->unattributed_kib
                                                         : res->unattributed_kib));
  g_assert_cmpint (grew + shrank + res->unattributed_kib, ==,
                   res->machine_end_kib - res->machine_start_kib);
  g_assert_cmpint (pct_sum, ==, 100);
  g_assert_cmpfloat_with_epsilon (share_sum, 1.0, 1e-9);
}

static void
test_shares_generated (void)
{
  static const double windows[][2] = { { 0, 120 }, { 10, 50 }, { 30, 31 }, { 60, 119 },
                                       { 5.5, 90.5 } };
  guint negative_totals = 0, shrinkers = 0, exits = 0, unattributed_falls = 0, passing = 0;

  for (uint64_t seed = 1; seed <= 40; seed++)
    for (size_t w = 0; w < G_N_ELEMENTS (windows); w++)
      {
        ms_blame_result_t res;

        blame_machine (seed, windows[w][0], windows[w][1], &res);
        assert_shares_explain (&res);
        negative_totals += res.machine_end_kib < res.machine_start_kib;
        unattributed_falls += res.unattributed_kib < 0;
        for (size_t i = 0; i < res.n_rows; i++)
          {
            shrinkers += res.rows[i].delta_kib < 0 && !res.rows[i].exited_inside;
            exits += res.rows[i].exited_inside && !res.rows[i].started_inside;
            passing += res.rows[i].exited_inside && res.rows[i].started_inside;
          }
        /* Merged, the shares still explain all of it. */
        g_assert_cmpint (ms_blame_aggregate (&res), ==, MS_BLAME_OK);
        assert_shares_explain (&res);
        ms_blame_result_clear (&res);
      }
  g_test_message ("negative totals %u, shrinkers %u, exits %u, came and went %u, unattributed "
                  "falls %u", negative_totals, shrinkers, exits, passing, unattributed_falls);
  /* The generated machines do hold what the shares must explain. */
  g_assert_cmpuint (negative_totals, >, 0);
  g_assert_cmpuint (shrinkers, >, 0);
  g_assert_cmpuint (exits, >, 0);
  g_assert_cmpuint (passing, >, 0);
  g_assert_cmpuint (unattributed_falls, >, 0);
}

/* Three equal growers: 34 + 33 + 33, never 33 + 33 + 33. */
static void
test_shares_round_to_100 (void)
{
  ms_blame_t *b = ms_blame_new (0, 1);
  ms_proc_t procs[3];
  ms_snapshot_t snap = { 0 };
  ms_blame_result_t res;

  snap.procs = procs;
  snap.n_procs = 3;
  for (int t = 0; t <= 1; t++)
    {
      memset (procs, 0, sizeof procs);
      for (int i = 0; i < 3; i++)
        {
          procs[i].pid = 10 + i;
          procs[i].starttime = 1;
          g_strlcpy (procs[i].comm, "same", sizeof procs[i].comm);
          procs[i].rss_kib = 1000 + 1000 * t;
        }
      snap.time_s = t;
      ms_blame_feed (b, &snap);
    }
  g_assert_cmpint (ms_blame_finish (b, &res), ==, MS_BLAME_OK);
  g_assert_false (res.has_machine);
  g_assert_cmpint (res.gross_kib, ==, 3000);
  g_assert_cmpint (res.rows[0].share_pct, ==, 34);
  g_assert_cmpint (res.rows[1].share_pct, ==, 33);
  g_assert_cmpint (res.rows[2].share_pct, ==, 33);
  g_assert_cmpint (res.unattributed_share_pct, ==, 0);
  /* Seen at both ends: never merged, whatever their name. */
  g_assert_cmpint (ms_blame_aggregate (&res), ==, MS_BLAME_OK);
  g_assert_cmpuint (res.n_rows, ==, 3);
  ms_blame_result_clear (&res);
  ms_blame_free (b);

  /* Nothing changed: no shares at all. */
  b = ms_blame_new (0, 1);
  for (int t = 0; t <= 1; t++)
    {
      snap.time_s = t;
      ms_blame_feed (b, &snap);
    }
  g_assert_cmpint (ms_blame_finish (b, &res), ==, MS_BLAME_OK);
  g_assert_cmpint (res.gross_kib, ==, 0);
  for (size_t i = 0; i < res.n_rows; i++)
    g_assert_cmpint (res.rows[i].share_pct, ==, 0);
  ms_blame_result_clear (&res);
  ms_blame_free (b);
}

/* A script's short-lived sleeps become one row per kind (started, exited, came and went);
 * nothing else is merged. */
static void
test_aggregate_short_lived (void)
{
  ms_blame_result_t res, merged;
  guint sleeps[4] = { 0 }, long_lived = 0;
  int64_t kib[4] = { 0 }, peak_kib = 0;
  gboolean seen[4] = { FALSE };

  blame_machine (7, 20, 100, &res);
  blame_machine (7, 20, 100, &merged);
  for (size_t i = 0; i < res.n_rows; i++)
    {
      const ms_blame_row_t *row = &res.rows[i];
      int kind = (row->started_inside ? 1 : 0) + (row->exited_inside ? 2 : 0);

      g_assert_cmpuint (row->count, ==, 1);
      if (strcmp (row->comm, "sleep") == 0)
        {
          sleeps[kind]++;
          kib[kind] += row->delta_kib;
        }
      else if (kind == 0)
        long_lived++;
      if (kind == 3)
        {
          /* Came and went: no part of the change, but its peak is known. */
          g_assert_cmpint (row->delta_kib, ==, 0);
          g_assert_cmpint (row->share_pct, ==, 0);
          g_assert_cmpint (row->peak_kib, >=, 600);
          peak_kib += row->peak_kib;
        }
      else
        g_assert_cmpint (row->peak_kib, ==, 0);
    }
  /* A sleep lives 3 to 20 s and one starts every 2 s: several at each end and many between. */
  g_assert_cmpuint (sleeps[1], >=, 2);
  g_assert_cmpuint (sleeps[2], >=, 2);
  g_assert_cmpuint (sleeps[3], >=, 10);
  g_assert_cmpuint (long_lived, >, 0);

  g_assert_cmpint (ms_blame_aggregate (&merged), ==, MS_BLAME_OK);
  g_assert_cmpuint (merged.n_rows, ==, res.n_rows - sleeps[1] - sleeps[2] - sleeps[3] + 3);
  g_assert_cmpuint (merged.n_members, ==, sleeps[1] + sleeps[2] + sleeps[3]);
  for (size_t i = 0; i < merged.n_rows; i++)
    {
      const ms_blame_row_t *row = &merged.rows[i];
      int kind = (row->started_inside ? 1 : 0) + (row->exited_inside ? 2 : 0);

      if (strcmp (row->comm, "sleep") != 0)
        {
          g_assert_cmpuint (row->count, ==, 1);
          g_assert_cmpint (row->pid, >, 0);
          continue;
        }
      g_assert_cmpint (kind, >, 0);
      g_assert_cmpint (row->pid, ==, 0);
      g_assert_cmpuint (row->starttime, ==, 0);
      g_assert_false (seen[kind]);
      seen[kind] = TRUE;
      g_assert_cmpuint (row->count, ==, sleeps[kind]);
      g_assert_cmpint (row->delta_kib, ==, kib[kind]);
      if (row->started_inside)
        g_assert_cmpint (row->start_kib, ==, 0);
      if (row->exited_inside)
        g_assert_cmpint (row->end_kib, ==, 0);
      g_assert_cmpint (row->peak_kib, ==, kind == 3 ? peak_kib : 0);
      /* Its processes are the members it names, each a sleep of the same kind. */
      for (size_t k = row->first_member; k < row->first_member + row->count; k++)
        {
          g_assert_cmpstr (merged.members[k].comm, ==, "sleep");
          g_assert_cmpint (merged.members[k].pid, >=, 20000);
          g_assert_true (merged.members[k].started_inside == row->started_inside);
          g_assert_true (merged.members[k].exited_inside == row->exited_inside);
        }
    }
  g_assert_true (seen[1] && seen[2] && seen[3]);
  /* Still the core's order, and the whole change explained. */
  for (size_t i = 1; i < merged.n_rows; i++)
    g_assert_cmpint (merged.rows[i - 1].delta_kib, >=, merged.rows[i].delta_kib);
  assert_shares_explain (&merged);
  /* Merging twice changes nothing. */
  g_assert_cmpint (ms_blame_aggregate (&merged), ==, MS_BLAME_OK);
  g_assert_cmpuint (merged.n_members, ==, sleeps[1] + sleeps[2] + sleeps[3]);
  ms_blame_result_clear (&res);
  ms_blame_result_clear (&merged);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/blame/ranking", test_ranking);
  g_test_add_func ("/blame/exact-boundaries", test_exact_boundaries);
  g_test_add_func ("/blame/bad-windows", test_bad_windows);
  g_test_add_func ("/blame/no-allocation-when-warm", test_no_allocation_when_warm);
  g_test_add_func ("/blame/shares-generated", test_shares_generated);
  g_test_add_func ("/blame/shares-round-to-100", test_shares_round_to_100);
  g_test_add_func ("/blame/aggregate-short-lived", test_aggregate_short_lived);
  return g_test_run ();
}
