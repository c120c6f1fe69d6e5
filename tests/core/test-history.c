/* SPDX-License-Identifier: MIT */
/* Per-process history rings: tiers, downsampling, exits, bounded memory, no steady allocation. */
#include "config.h"

#include "alloc.h"
#include "history.h"
#include "ms-test.h"

#include <math.h>

#define MIB 1024

typedef struct
{
  int exited;
  int freed;
  int32_t last_slot;
} changes_t;

static void
change_cb (ms_history_t *h, int32_t slot, ms_history_change_t change, void *user)
{
  changes_t *c = user;

  if (change == MS_HISTORY_EXITED)
    c->exited++;
  else
    c->freed++;
  c->last_slot = slot;
}

static void
test_basic (void)
{
  ms_history_t *h = ms_history_new (NULL);
  ms_history_point_t pts[64];
  bool is_new = false;
  int32_t slot, slot2;
  size_t n;

  slot = ms_history_add (h, 10.0, 42, 1000, "app", 100, 20, -1, &is_new);
  g_assert_cmpint (slot, >=, 0);
  g_assert_true (is_new);
  g_assert_cmpint (ms_history_slot_pid (h, slot), ==, 42);
  g_assert_cmpuint (ms_history_slot_starttime (h, slot), ==, 1000);
  g_assert_cmpstr (ms_history_slot_comm (h, slot), ==, "app");
  slot2 = ms_history_add (h, 11.0, 42, 1000, "app", 200, 30, 150, &is_new);
  g_assert_cmpint (slot2, ==, slot);
  g_assert_false (is_new);
  ms_history_end_tick (h, 11.0, NULL, NULL);

  n = ms_history_get (h, 42, 1000, 0, pts, 64);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (pts[0].time_s, ==, 10.0);
  g_assert_cmpint (pts[0].rss_kib, ==, 100);
  g_assert_cmpint (pts[0].swap_kib, ==, 20);
  g_assert_cmpint (pts[0].footprint_kib, ==, 120);
  g_assert_cmpint (pts[0].pss_kib, ==, -1);
  g_assert_cmpfloat (pts[1].time_s, ==, 11.0);
  g_assert_cmpint (pts[1].footprint_kib, ==, 230);
  g_assert_cmpint (pts[1].pss_kib, ==, 150);
  /* since_s filters, max keeps the newest, unknown identities give nothing. */
  g_assert_cmpuint (ms_history_get (h, 42, 1000, 10.5, pts, 64), ==, 1);
  g_assert_cmpfloat (pts[0].time_s, ==, 11.0);
  g_assert_cmpuint (ms_history_get (h, 42, 1000, 0, pts, 1), ==, 1);
  g_assert_cmpfloat (pts[0].time_s, ==, 11.0);
  g_assert_cmpuint (ms_history_get (h, 42, 1001, 0, pts, 64), ==, 0);
  g_assert_cmpuint (ms_history_get (h, 43, 1000, 0, pts, 64), ==, 0);
  g_assert_cmpuint (ms_history_get (h, 42, 1000, 0, pts, 0), ==, 0);

  /* The same pid with another starttime is another process. */
  slot2 = ms_history_add (h, 12.0, 42, 2000, "other", 5, 0, -1, &is_new);
  g_assert_true (is_new);
  g_assert_cmpint (slot2, !=, slot);
  g_assert_cmpint (ms_history_find (h, 42, 2000), ==, slot2);
  g_assert_cmpint (ms_history_find (h, 42, 1000), ==, slot);
  g_assert_cmpuint (ms_history_n_entries (h), ==, 2);

  /* Sizes beyond int32 KiB are clamped, not wrapped. */
  ms_history_add (h, 13.0, 7, 1, "huge", (int64_t) 1 << 40, 0, -1, NULL);
  g_assert_cmpuint (ms_history_get (h, 7, 1, 0, pts, 64), ==, 1);
  g_assert_cmpint (pts[0].rss_kib, ==, INT32_MAX);
  ms_history_free (h);
}

static void
test_tiers (void)
{
  ms_history_t *h = ms_history_new (NULL);
  size_t max = 2000, n;
  ms_history_point_t *pts = g_new0 (ms_history_point_t, max);
  double t;

  /* 3 hours at 1 s with a footprint equal to the time, so every point says where it came from. */
  for (t = 0; t < 3 * 3600; t += 1)
    {
      ms_history_add (h, t, 1, 1, "x", (int64_t) t, 0, -1, NULL);
      ms_history_end_tick (h, t, NULL, NULL);
    }
  n = ms_history_get (h, 1, 1, 0, pts, max);
  g_test_message ("3 h at 1 s: %zu points", n);
  /* 2 h of 15 s points before the last 5 min of 1 s points. */
  g_assert_cmpuint (n, >=, 480 - 20 + 300 - 1);
  g_assert_cmpuint (n, <=, 480 + 300);
  for (size_t i = 1; i < n; i++)
    g_assert_cmpfloat (pts[i].time_s, >, pts[i - 1].time_s);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (pts[i].time_s - (double) pts[i].footprint_kib), <, 0.01);
  /* The newest 300 are the short tier: one a second up to the last sample. */
  g_assert_cmpfloat (pts[n - 1].time_s, ==, t - 1);
  g_assert_cmpfloat (pts[n - 300].time_s, ==, t - 300);
  g_assert_cmpfloat (pts[n - 301].time_s, <, t - 300);
  /* Long tier points are 15 s apart and reach back about 2 h; each is its bucket's peak. */
  g_assert_cmpfloat (pts[1].time_s - pts[0].time_s, ==, 15);
  g_assert_cmpfloat (pts[0].time_s, <, t - 7100);
  g_assert_cmpfloat (pts[0].time_s, >, t - 7300);
  g_assert_cmpint ((int64_t) pts[0].time_s % 15, ==, 14);

  /* since_s inside the short tier gives only short points. */
  n = ms_history_get (h, 1, 1, t - 60, pts, max);
  g_assert_cmpuint (n, ==, 60);
  g_free (pts);
  ms_history_free (h);
}

static void
test_fast_sampling_downsampled (void)
{
  ms_history_t *h = ms_history_new (NULL);
  ms_history_point_t pts[64];
  size_t n;

  /* 0.25 s samples: one point per second, holding that second's peak. */
  for (int i = 0; i < 40; i++)
    {
      double t = i * 0.25;
      int64_t kib = (i % 4 == 1) ? 900 + i / 4 : 100 + i;

      ms_history_add (h, t, 5, 5, "fast", kib, 0, -1, NULL);
    }
  n = ms_history_get (h, 5, 5, 0, pts, 64);
  g_assert_cmpuint (n, ==, 10);
  for (size_t i = 0; i < n; i++)
    {
      g_assert_cmpint (pts[i].footprint_kib, ==, 900 + (int64_t) i);
      g_assert_cmpfloat (pts[i].time_s, ==, (double) i + 0.25);
    }
  ms_history_free (h);
}

static void
test_exit_and_free (void)
{
  ms_history_params_t p;
  ms_history_t *h;
  ms_history_point_t pts[8];
  changes_t c = { 0 };
  double exit_s;
  int32_t slot;

  ms_history_params_init (&p);
  g_assert_cmpfloat (p.exited_keep_s, ==, 60);
  h = ms_history_new (&p);
  for (double t = 0; t < 10; t += 1)
    {
      ms_history_add (h, t, 1, 1, "stays", 10, 0, -1, NULL);
      ms_history_add (h, t, 2, 2, "goes", 20 + (int64_t) t, 0, -1, NULL);
      ms_history_end_tick (h, t, change_cb, &c);
    }
  g_assert_cmpint (c.exited, ==, 0);
  slot = ms_history_find (h, 2, 2);
  g_assert_false (ms_history_slot_exited (h, slot, &exit_s));
  g_assert_true (isnan (exit_s));
  for (double t = 10; t < 100; t += 1)
    {
      ms_history_add (h, t, 1, 1, "stays", 10, 0, -1, NULL);
      ms_history_end_tick (h, t, change_cb, &c);
      if (t == 10)
        {
          g_assert_cmpint (c.exited, ==, 1);
          g_assert_cmpint (c.last_slot, ==, slot);
          g_assert_true (ms_history_slot_exited (h, slot, &exit_s));
          g_assert_cmpfloat (exit_s, ==, 10);
        }
      if (t < 70)
        {
          /* Recently exited: still readable. */
          g_assert_cmpuint (ms_history_get (h, 2, 2, 0, pts, 8), ==, 8);
          g_assert_cmpint (c.freed, ==, 0);
        }
    }
  g_assert_cmpint (c.exited, ==, 1);
  g_assert_cmpint (c.freed, ==, 1);
  g_assert_cmpuint (ms_history_get (h, 2, 2, 0, pts, 8), ==, 0);
  g_assert_cmpint (ms_history_find (h, 2, 2), ==, -1);
  g_assert_cmpuint (ms_history_n_entries (h), ==, 1);

  /* A process missing from one tick and back in the next is live again. */
  ms_history_end_tick (h, 100, change_cb, &c);
  g_assert_cmpint (c.exited, ==, 2);
  ms_history_add (h, 101, 1, 1, "stays", 10, 0, -1, NULL);
  ms_history_end_tick (h, 101, change_cb, &c);
  g_assert_false (ms_history_slot_exited (h, ms_history_find (h, 1, 1), NULL));
  ms_history_free (h);
}

static void
test_churn (void)
{
  enum { TICKS = 3000, MAX_PID = 100 + 3 * TICKS + 1 };
  ms_history_t *h = ms_history_new (NULL);
  int *last_tick = g_new0 (int, MAX_PID);
  ms_history_point_t pt;
  changes_t c = { 0 };
  int32_t next_pid = 100;
  int live = 0, gone = 0;

  /* Thousands of short-lived processes come and go, some missing a tick now and then; every
   * identity stays findable until exited_keep_s after its last sample and is gone after (this
   * drives the hash table's deletions through every shape of probe chain). */
  for (int tick = 1; tick <= TICKS; tick++)
    {
      for (int32_t pid = next_pid - 50; pid < next_pid; pid++)
        if (pid >= 100 && (pid * 7 + tick) % 13 != 0)
          {
            ms_history_add (h, tick, pid, (uint64_t) pid * 3, "short", pid, 0, -1, NULL);
            last_tick[pid] = tick;
          }
      ms_history_add (h, tick, 1, 1, "init", 4, 0, -1, NULL);
      next_pid += 3;
      ms_history_end_tick (h, tick, change_cb, &c);
    }
  for (int32_t pid = 100; pid < MAX_PID; pid++)
    {
      int32_t slot = ms_history_find (h, pid, (uint64_t) pid * 3);

      if (last_tick[pid] == 0)
        g_assert_cmpint (slot, ==, -1);
      else if (last_tick[pid] > TICKS - 59)
        {
          g_assert_cmpint (slot, >=, 0);
          g_assert_cmpint (ms_history_slot_pid (h, slot), ==, pid);
          live++;
        }
      else if (last_tick[pid] < TICKS - 61)
        {
          g_assert_cmpint (slot, ==, -1);
          gone++;
        }
    }
  g_assert_cmpint (live, >, 100);
  g_assert_cmpint (gone, >, 8000);
  g_assert_cmpint (c.freed, >=, gone);
  g_assert_cmpuint (ms_history_n_entries (h), <, 400);
  g_assert_cmpuint (ms_history_get (h, 1, 1, TICKS, &pt, 1), ==, 1);
  g_assert_cmpint (pt.footprint_kib, ==, 4);
  g_free (last_tick);
  ms_history_free (h);
}

static void
test_flat_stretches (void)
{
  enum { N = 300 };
  ms_history_t *h = ms_history_new (NULL);
  ms_history_point_t pts[256];
  size_t n, bytes;

  /* Ten minutes at 1 s: a process that never changes, one that steps once, one missing from the
   * samples for 50 s (less than exited_keep_s, so it stays the same entry). */
  for (double t = 0; t < 600; t += 1)
    {
      for (int32_t pid = 100; pid < 100 + N; pid++)
        ms_history_add (h, t, pid, (uint64_t) pid, "idle", 4000, 0, 3000, NULL);
      ms_history_add (h, t, 1, 1, "steps", t < 300 ? 100 : 200, 0, -1, NULL);
      if (t < 100 || t >= 150)
        ms_history_add (h, t, 2, 2, "paused", 50, 0, -1, NULL);
      ms_history_end_tick (h, t, NULL, NULL);
    }

  /* The stretch keeps its first bucket (the long tier's 15 s), its latest sample and points
   * close enough to draw it. */
  n = ms_history_get (h, 100, 100, -INFINITY, pts, G_N_ELEMENTS (pts));
  g_test_message ("ten unchanged minutes: %zu points", n);
  g_assert_cmpuint (n, >=, 600 / (size_t) MS_HISTORY_FLAT_STEP_S);
  g_assert_cmpuint (n, <, 50);
  g_assert_cmpfloat (pts[0].time_s, <, 15);
  g_assert_cmpfloat (pts[n - 1].time_s, ==, 599);
  for (size_t i = 0; i < n; i++)
    {
      g_assert_cmpint (pts[i].footprint_kib, ==, 4000);
      g_assert_cmpint (pts[i].pss_kib, ==, 3000);
      if (i > 0)
        g_assert_cmpfloat (pts[i].time_s - pts[i - 1].time_s, <=, MS_HISTORY_FLAT_STEP_S);
    }
  bytes = ms_history_memory_bytes (h);
  g_test_message ("%d unchanged processes after 10 min: %.0f bytes each", N, (double) bytes / N);
  g_assert_cmpuint (bytes / N, <, 1280);

  /* A step is drawn where it happened: the last sample before it and the first after. */
  n = ms_history_get (h, 1, 1, -INFINITY, pts, G_N_ELEMENTS (pts));
  for (size_t i = 1; i < n; i++)
    if (pts[i].footprint_kib == 200 && pts[i - 1].footprint_kib == 100)
      {
        g_assert_cmpfloat (pts[i - 1].time_s, ==, 299);
        g_assert_cmpfloat (pts[i].time_s, ==, 300);
        n = 0;
      }
  g_assert_cmpuint (n, ==, 0);

  /* Unchanged sizes on either side of a hole do not bridge it. */
  n = ms_history_get (h, 2, 2, -INFINITY, pts, G_N_ELEMENTS (pts));
  for (size_t i = 1; i < n; i++)
    if (pts[i].time_s > 99 && pts[i - 1].time_s < 150)
      {
        g_assert_cmpfloat (pts[i - 1].time_s, <=, 99);
        g_assert_cmpfloat (pts[i].time_s, >=, 150);
        n = 0;
      }
  g_assert_cmpuint (n, ==, 0);
  ms_history_free (h);
}

static void
test_memory_bounded (void)
{
  enum { N = 2000 };
  ms_history_t *h = ms_history_new (NULL);
  size_t after_2h, after_more, short_lived;
  uint64_t allocs;
  double t = 0;

  /* 2000 processes at 1 s for 2 h 5 min fill both tiers completely. */
  for (; t < 7500; t += 1)
    {
      for (int32_t pid = 1; pid <= N; pid++)
        ms_history_add (h, t, pid, (uint64_t) pid, "p", 100 * MIB + pid + ((int64_t) t % 7),
                        pid % 3, -1, NULL);
      ms_history_end_tick (h, t, NULL, NULL);
    }
  after_2h = ms_history_memory_bytes (h);
  allocs = ms_alloc_count ();
  for (; t < 7800; t += 1)
    {
      for (int32_t pid = 1; pid <= N; pid++)
        ms_history_add (h, t, pid, (uint64_t) pid, "p", 100 * MIB + pid, 0, -1, NULL);
      ms_history_end_tick (h, t, NULL, NULL);
    }
  after_more = ms_history_memory_bytes (h);
  g_test_message ("history of %d processes after 2 h at 1 s: %.1f MiB (%.0f bytes each)", N,
                  after_2h / 1048576.0, (double) after_2h / N);
  g_assert_cmpuint (after_2h, <, 30u * 1024 * 1024);
  g_assert_cmpuint (after_more, ==, after_2h);
  /* Once warm, feeding allocates nothing at all. */
  g_assert_cmpuint (ms_alloc_count (), ==, allocs);

  /* A process seen for 5 s costs little. */
  for (int32_t pid = N + 1; pid <= N + 1000; pid++)
    for (double u = 0; u < 5; u += 1)
      ms_history_add (h, t + u, pid, (uint64_t) pid, "brief", 1000, 0, -1, NULL);
  short_lived = ms_history_memory_bytes (h) - after_more;
  g_test_message ("1000 processes seen for 5 s: %.0f bytes each", short_lived / 1000.0);
  g_assert_cmpuint (short_lived / 1000, <, 1024);
  ms_history_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/basic", test_basic);
  g_test_add_func ("/history/tiers", test_tiers);
  g_test_add_func ("/history/fast-sampling-downsampled", test_fast_sampling_downsampled);
  g_test_add_func ("/history/exit-and-free", test_exit_and_free);
  g_test_add_func ("/history/churn", test_churn);
  g_test_add_func ("/history/flat-stretches", test_flat_stretches);
  g_test_add_func ("/history/memory-bounded", test_memory_bounded);
  return g_test_run ();
}
