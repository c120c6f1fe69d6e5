/* SPDX-License-Identifier: MIT */
/* The PSS schedule in simulated time: deadlines kept under churn, newcomers never starving the
 * rest, the budget following the demand up to its cap. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ms-test.h"
#include "pss-schedule.h"

#define MAX_AGE_S 30.0

static const ms_pss_sched_opts_t default_opts = {
  .max_age_s = MAX_AGE_S,
  .base_budget = 8,
  .max_budget = 32,
};

/* One simulated process: what the schedule sees, and how it behaves. */
typedef struct
{
  ms_pss_cand_t cand;
  double dies_s;          /* when it exits (INFINITY: never) */
  double grows_kib_s;     /* 0: its size never moves */
  bool alive;
} SimProc;

typedef struct
{
  GArray *procs; /* SimProc */
  double credit;
  double now_s;
  guint32 seed;
  size_t max_reads;
  double total_reads;
  double worst_age_s;       /* the oldest a readable process's reading got, against its promise */
  double worst_excess_s;    /* how far past its promise (0 when always kept) */
  size_t n_ticks;
} Sim;

static guint32
next_random (Sim *sim)
{
  /* A fixed linear congruential sequence: the same run every time. */
  sim->seed = sim->seed * 1103515245u + 12345u;
  return sim->seed >> 8;
}

static void
sim_add (Sim   *sim,
         double lifetime_s,
         double grows_kib_s)
{
  SimProc p = { 0 };

  p.cand.first_seen_s = sim->now_s;
  p.cand.read_s = -1.0;
  p.cand.readable = true;
  p.dies_s = sim->now_s + lifetime_s;
  p.grows_kib_s = grows_kib_s;
  p.alive = true;
  g_array_append_val (sim->procs, p);
}

/* One tick at sim->now_s: the dead leave, the schedule picks, the picked are read, and every
 * readable survivor's reading is checked against the promise. */
static void
sim_tick (Sim                       *sim,
          const ms_pss_sched_opts_t *opts,
          double                     interval_s)
{
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (ms_pss_cand_t));
  g_autoptr(GArray) index = g_array_new (FALSE, FALSE, sizeof (guint));
  int32_t picked[256];
  size_t n;

  for (guint i = 0; i < sim->procs->len; i++)
    {
      SimProc *p = &g_array_index (sim->procs, SimProc, i);

      if (!p->alive)
        continue;
      if (sim->now_s >= p->dies_s)
        {
          p->alive = false;
          continue;
        }
      if (p->cand.read_s >= 0)
        p->cand.moved_kib = (int64_t) (p->grows_kib_s * (sim->now_s - p->cand.read_s));
      g_array_append_val (live, p->cand);
      g_array_append_val (index, i);
    }

  n = ms_pss_schedule ((ms_pss_cand_t *) live->data, live->len, sim->now_s, interval_s, opts,
                       &sim->credit, picked);
  g_assert_cmpuint (n, <=, opts->max_budget);
  sim->max_reads = MAX (sim->max_reads, n);
  sim->total_reads += (double) n;
  sim->n_ticks++;
  for (size_t k = 0; k < n; k++)
    {
      SimProc *p = &g_array_index (sim->procs, SimProc, g_array_index (index, guint, picked[k]));

      g_assert_true (p->cand.readable);
      p->cand.read_s = sim->now_s;
      p->cand.moved_kib = 0;
    }

  for (guint k = 0; k < index->len; k++)
    {
      SimProc *p = &g_array_index (sim->procs, SimProc, g_array_index (index, guint, k));
      double age_s, promise_s;

      if (!p->cand.readable)
        continue;
      if (p->cand.read_s < 0)
        {
          age_s = sim->now_s - p->cand.first_seen_s;
          promise_s = MAX_AGE_S;
        }
      else
        {
          age_s = sim->now_s - p->cand.read_s;
          promise_s = p->grows_kib_s > 0 ? MAX_AGE_S : 2 * MAX_AGE_S;
        }
      sim->worst_age_s = MAX (sim->worst_age_s, age_s);
      sim->worst_excess_s = MAX (sim->worst_excess_s, age_s - promise_s);
    }
}

static void
sim_init (Sim *sim)
{
  memset (sim, 0, sizeof *sim);
  sim->procs = g_array_new (FALSE, TRUE, sizeof (SimProc));
  sim->seed = 17;
}

/* A desktop of `n_steady` processes (one in three growing, the rest flat) while a build starts
 * `births_per_s` short-lived processes a second, one in ten of which lives a minute. */
static void
sim_churn (Sim                       *sim,
           const ms_pss_sched_opts_t *opts,
           guint                      n_steady,
           guint                      births_per_s,
           double                     duration_s)
{
  for (guint i = 0; i < n_steady; i++)
    sim_add (sim, INFINITY, i % 3 == 0 ? 4.0 : 0.0);
  for (sim->now_s = 1.0; sim->now_s <= duration_s; sim->now_s += 1.0)
    {
      for (guint b = 0; b < births_per_s; b++)
        {
          guint32 r = next_random (sim) % 100;
          double lifetime_s = r < 10 ? 60.0 : 0.5 + (double) (r % 4);

          sim_add (sim, lifetime_s, r % 2 == 0 ? 16.0 : 0.0);
        }
      sim_tick (sim, opts, 1.0);
    }
}

/* The README's promise under the load of the report: ~300 processes and 20 new ones a second,
 * for two minutes; no readable process's reading gets older than 30 s while it moves (or since
 * it started), 60 s when it does not. */
static void
test_promise_under_churn (void)
{
  Sim sim;

  sim_init (&sim);
  sim_churn (&sim, &default_opts, 300, 20, 120.0);
  g_test_message ("%zu ticks, %.1f reads a tick on average, %zu at most, oldest reading %.0f s",
                  sim.n_ticks, sim.total_reads / (double) sim.n_ticks, sim.max_reads,
                  sim.worst_age_s);
  g_assert_cmpfloat (sim.worst_excess_s, <=, 0.0);
  /* And within the cost cap, well under it on average. */
  g_assert_cmpuint (sim.max_reads, <=, default_opts.max_budget);
  g_assert_cmpfloat (sim.total_reads / (double) sim.n_ticks, <, 24.0);
  g_array_unref (sim.procs);
}

/* What the report saw with a fixed budget of 8 that served every never-read process first: with
 * 8 newcomers a second, nothing else was read again.  Even at a fixed budget (no scaling) the
 * steady processes must now keep being read. */
static void
test_newcomers_do_not_starve (void)
{
  ms_pss_sched_opts_t fixed = default_opts;
  Sim sim;
  guint n_reread = 0;

  fixed.max_budget = fixed.base_budget;
  sim_init (&sim);
  sim_churn (&sim, &fixed, 100, 12, 100.0);
  for (guint i = 0; i < 100; i++)
    {
      SimProc *p = &g_array_index (sim.procs, SimProc, i);

      /* Read once in the first pass and again since. */
      if (p->cand.read_s > 40.0)
        n_reread++;
    }
  g_assert_cmpuint (n_reread, ==, 100);
  g_array_unref (sim.procs);
}

/* Where the promise stops holding: past the cap, deadlines slip, but the budget never exceeds
 * it. */
static void
test_cap_holds (void)
{
  Sim sim;

  sim_init (&sim);
  /* 1,200 growing processes need 40 reads a second (50 with headroom): more than 32. */
  for (guint i = 0; i < 1200; i++)
    sim_add (&sim, INFINITY, 8.0);
  for (sim.now_s = 1.0; sim.now_s <= 90.0; sim.now_s += 1.0)
    sim_tick (&sim, &default_opts, 1.0);
  g_assert_cmpuint (sim.max_reads, ==, default_opts.max_budget);
  g_assert_cmpfloat (sim.worst_excess_s, >, 0.0);
  g_array_unref (sim.procs);

  /* 700 growing ones fit (700 / 30 s × 1.25 = 29 reads a second). */
  sim_init (&sim);
  for (guint i = 0; i < 700; i++)
    sim_add (&sim, INFINITY, 8.0);
  for (sim.now_s = 1.0; sim.now_s <= 120.0; sim.now_s += 1.0)
    sim_tick (&sim, &default_opts, 1.0);
  g_assert_cmpfloat (sim.worst_excess_s, <=, 0.0);
  g_array_unref (sim.procs);
}

/* An idle machine: flat processes are read once, then not again before their deadline is due,
 * and the budget goes unspent meanwhile. */
static void
test_idle_leaves_budget_unspent (void)
{
  Sim sim;
  double reads_after_first_pass = 0;

  sim_init (&sim);
  for (guint i = 0; i < 40; i++)
    sim_add (&sim, INFINITY, 0.0);
  for (sim.now_s = 1.0; sim.now_s <= 58.0; sim.now_s += 1.0)
    {
      double before = sim.total_reads;

      sim_tick (&sim, &default_opts, 1.0);
      if (sim.now_s > 6.0)
        reads_after_first_pass += sim.total_reads - before;
    }
  /* 40 read in the first five ticks at 8 a tick; none again before their 60 s are nearly up. */
  g_assert_cmpfloat (sim.total_reads, ==, 40.0);
  g_assert_cmpfloat (reads_after_first_pass, ==, 0.0);
  g_array_unref (sim.procs);
}

/* The inspected process is read every tick; a refused one is retried only with a spare read;
 * unreadable ones never. */
static void
test_priority_and_retry (void)
{
  ms_pss_cand_t cands[12];
  ms_pss_sched_opts_t opts = default_opts;
  int32_t picked[64];
  double credit = 0;
  size_t n;

  memset (cands, 0, sizeof cands);
  opts.base_budget = opts.max_budget = 2;
  /* Ten processes overdue, one inspected (read a tick ago), one refused before. */
  for (int i = 0; i < 10; i++)
    {
      cands[i].first_seen_s = 0;
      cands[i].read_s = 1.0;
      cands[i].moved_kib = 100;
      cands[i].readable = true;
    }
  cands[10] = (ms_pss_cand_t) { .first_seen_s = 0, .read_s = 99.0, .readable = true,
                                .priority = true };
  cands[11] = (ms_pss_cand_t) { .first_seen_s = 0, .read_s = -1, .readable = true,
                                .retry = true };
  n = ms_pss_schedule (cands, 12, 100.0, 1.0, &opts, &credit, picked);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (picked[0], ==, 10);
  g_assert_cmpint (picked[1], <, 10);

  /* With room to spare and nothing due, the refused one gets its retry. */
  opts.base_budget = opts.max_budget = 8;
  for (int i = 0; i < 10; i++)
    cands[i].readable = false;
  n = ms_pss_schedule (cands, 12, 100.0, 1.0, &opts, &credit, picked);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (picked[0], ==, 10);
  g_assert_cmpint (picked[1], ==, 11);

  /* No budget, nothing read. */
  opts.base_budget = opts.max_budget = 0;
  g_assert_cmpuint (ms_pss_schedule (cands, 12, 100.0, 1.0, &opts, &credit, picked), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pss-schedule/promise-under-churn", test_promise_under_churn);
  g_test_add_func ("/pss-schedule/newcomers-do-not-starve", test_newcomers_do_not_starve);
  g_test_add_func ("/pss-schedule/cap-holds", test_cap_holds);
  g_test_add_func ("/pss-schedule/idle-leaves-budget-unspent", test_idle_leaves_budget_unspent);
  g_test_add_func ("/pss-schedule/priority-and-retry", test_priority_and_retry);
  return g_test_run ();
}
