/* SPDX-License-Identifier: MIT */
/* Benchmark (not a test): detector cost per process-sample, and an optional robustness sweep. */
#include "config.h"

#include "alloc.h"
#include "detector.h"
#include "tracegen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIB 1024.0

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
count_cb (const ms_event_t *ev, void *user)
{
  (*(long *) user)++;
}

/* A desktop-like mix: mostly steady processes, some noisy, a few garbage-collected, warming up,
 * swapping out or leaking. */
static ms_tg_pattern_t
mix (int i)
{
  static const ms_tg_pattern_t table[20] = {
    MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT,
    MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT, MS_TG_FLAT, MS_TG_JITTER, MS_TG_JITTER, MS_TG_JITTER,
    MS_TG_SAWTOOTH, MS_TG_SAWTOOTH, MS_TG_WARMUP, MS_TG_SWAP_OUT, MS_TG_LINEAR_LEAK,
    MS_TG_STAIRCASE_LEAK,
  };
  return table[i % 20];
}

static int
bench (int n_procs, double hours, double interval_s)
{
  ms_detector_t *det = ms_detector_new (NULL);
  ms_tg_proc_t *gens = calloc ((size_t) n_procs, sizeof *gens);
  ms_proc_t *procs = calloc ((size_t) n_procs, sizeof *procs);
  ms_snapshot_t snap;
  long ticks = (long) (hours * 3600 / interval_s), events = 0;
  double feed_s = 0, gen_s = 0;
  uint64_t allocs_mid = 0;

  if (det == NULL || gens == NULL || procs == NULL)
    {
      fprintf (stderr, "bench-detector: out of memory\n");
      return 1;
    }
  for (int i = 0; i < n_procs; i++)
    {
      ms_tg_spec_t spec;
      uint64_t r = (uint64_t) i * 2654435761u;

      ms_tg_spec_init (&spec, mix (i), (uint64_t) i + 1);
      spec.duration_s = hours * 3600;
      spec.size_kib = 20 * MIB * exp ((double) (r % 1000) / 1000.0 * log (200.0));
      spec.amplitude_kib = spec.size_kib * 0.05;
      spec.rate_kib_s = 16 + (double) (r % 256);
      spec.period_s = 10 + (double) (r % 20);
      spec.start_s = (double) (r % 3600);
      ms_tg_proc_init (&gens[i], &spec, 1000 + i);
    }
  memset (&snap, 0, sizeof snap);
  snap.procs = procs;
  snap.n_procs = (size_t) n_procs;
  snap.mem.mem_total_kib = 16 * MIB * MIB;
  snap.mem.mem_available_kib = 8 * MIB * MIB;
  for (long k = 0; k < ticks; k++)
    {
      double t = k * interval_s, t0 = now_s (), t1;

      for (int i = 0; i < n_procs; i++)
        ms_tg_proc_sample (&gens[i], t, &procs[i]);
      snap.time_s = t;
      t1 = now_s ();
      ms_detector_feed (det, &snap, count_cb, &events);
      feed_s += now_s () - t1;
      gen_s += t1 - t0;
      if (k == ticks / 2)
        allocs_mid = ms_alloc_count ();
    }
  printf ("detector: %d processes x %ld samples (%.0f h at %g s) = %.1f million process-samples\n",
          n_procs, ticks, hours, interval_s, (double) n_procs * ticks / 1e6);
  printf ("  feed time %.2f s = %.1f ns per process-sample "
          "(trace generation %.2f s, not counted)\n",
          feed_s, feed_s * 1e9 / ((double) n_procs * ticks), gen_s);
  printf ("  events %ld; allocations in the second half %llu\n", events,
          (unsigned long long) (ms_alloc_count () - allocs_mid));
  printf ("  memory: history %.1f MiB, detector state %.1f MiB\n",
          ms_history_memory_bytes (ms_detector_history (det)) / 1048576.0,
          ms_detector_memory_bytes (det) / 1048576.0);
  ms_detector_free (det);
  free (gens);
  free (procs);
  return 0;
}

/* ---- robustness sweep over other draws of the labelled set ---- */

typedef struct
{
  ms_detector_t *det;
  int leak_sets, spike_sets;
  double first_leak_s, first_spike_s;
} run_t;

static void
run_event_cb (const ms_event_t *ev, void *user)
{
  run_t *r = user;

  if (ev->set && ev->tag == MS_TAG_LEAK && r->leak_sets++ == 0)
    r->first_leak_s = ev->time_s;
  if (ev->set && ev->tag == MS_TAG_SPIKE && r->spike_sets++ == 0)
    r->first_spike_s = ev->time_s;
}

static void
run_snapshot_cb (ms_snapshot_t *snap, void *user)
{
  run_t *r = user;

  ms_detector_feed (r->det, snap, run_event_cb, r);
}

static int
sweep (int rounds)
{
  long traces = 0, eligible = 0, found = 0, leak_fa = 0, spike_fa = 0, spikes = 0, spikes_found = 0;

  for (int round = 0; round < rounds; round++)
    {
      uint64_t first = 1000000 + (uint64_t) round * 1000;
      size_t n = ms_tg_seeded_set (first, NULL, 0);
      ms_tg_spec_t *set = calloc (n, sizeof *set);

      if (set == NULL)
        return 1;
      ms_tg_seeded_set (first, set, n);
      for (size_t i = 0; i < n; i++)
        {
          ms_tg_label_t lab;
          run_t r = { 0 };

          ms_tg_label (&set[i], &lab);
          r.det = ms_detector_new (NULL);
          ms_tg_run (&set[i], run_snapshot_cb, &r);
          ms_detector_free (r.det);
          traces++;
          if (lab.leak)
            {
              bool early = r.leak_sets > 0 && r.first_leak_s < lab.leak_from_s;

              leak_fa += early;
              if (lab.leak_eligible)
                {
                  eligible++;
                  found += r.leak_sets > 0 && !early;
                }
            }
          else if (r.leak_sets > 0)
            {
              leak_fa++;
              printf ("  false LEAK: %s seed %llu at %.0f s\n",
                      ms_tg_pattern_name (set[i].pattern), (unsigned long long) set[i].seed,
                      r.first_leak_s);
            }
          if (lab.spike)
            {
              spikes++;
              spikes_found += r.spike_sets > 0 && r.first_spike_s >= lab.spike_at_s
                              && r.first_spike_s <= lab.spike_at_s + 5;
            }
          if (lab.spike_forbidden && r.spike_sets > 0)
            {
              spike_fa++;
              printf ("  false SPIKE: %s seed %llu at %.0f s\n",
                      ms_tg_pattern_name (set[i].pattern), (unsigned long long) set[i].seed,
                      r.first_spike_s);
            }
        }
      free (set);
    }
  printf ("sweep: %ld traces; leak recall %.2f %% (%ld/%ld); LEAK false alarms %ld; "
          "spike recall %.2f %%; SPIKE false alarms %ld\n",
          traces, eligible ? 100.0 * found / eligible : 0, found, eligible, leak_fa,
          spikes ? 100.0 * spikes_found / spikes : 0, spike_fa);
  return 0;
}

int
main (int argc, char **argv)
{
  int n_procs = 500, rounds = 0;
  double hours = 6, interval_s = 1;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0)
        {
          printf ("Usage: bench-detector [--procs N] [--hours H] [--interval S] [--sweep ROUNDS]\n"
                  "Feeds a synthetic desktop (default 500 processes, 6 h at 1 s) through the\n"
                  "detector and prints the cost per process-sample.  --sweep also runs ROUNDS\n"
                  "other draws of the labelled trace set and prints recall and false alarms.\n");
          return 0;
        }
      if (i + 1 >= argc)
        {
          fprintf (stderr, "bench-detector: %s needs a value (see --help)\n", argv[i]);
          return 2;
        }
      if (strcmp (argv[i], "--procs") == 0)
        n_procs = atoi (argv[++i]);
      else if (strcmp (argv[i], "--hours") == 0)
        hours = atof (argv[++i]);
      else if (strcmp (argv[i], "--interval") == 0)
        interval_s = atof (argv[++i]);
      else if (strcmp (argv[i], "--sweep") == 0)
        rounds = atoi (argv[++i]);
      else
        {
          fprintf (stderr, "bench-detector: unknown option %s (see --help)\n", argv[i]);
          return 2;
        }
    }
  if (n_procs <= 0 || !(hours > 0) || !(interval_s > 0) || rounds < 0)
    {
      fprintf (stderr, "bench-detector: values must be positive\n");
      return 2;
    }
  if (bench (n_procs, hours, interval_s) != 0)
    return 1;
  if (rounds > 0)
    return sweep (rounds);
  return 0;
}
