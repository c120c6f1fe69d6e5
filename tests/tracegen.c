/* SPDX-License-Identifier: MIT */
/* Deterministic generator of labelled synthetic memory traces for the detector's tests. */
#include "config.h"

#include "tracegen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MIB 1024.0

static const char *const names[MS_TG_N_PATTERNS] = {
  "flat", "jitter", "linear-leak", "staircase-leak", "sawtooth", "sawtooth-leak", "warmup",
  "jump", "transient-spike", "swap-leak", "swap-out", "pid-reuse", "zombie", "gc-leak",
  "stair-drop-leak", "slow-leak", "cache-fill", "birth-warmup",
};

const char *
ms_tg_pattern_name (ms_tg_pattern_t pattern)
{
  return pattern < MS_TG_N_PATTERNS ? names[pattern] : "?";
}

/* splitmix64: tiny, fast and the same on every machine. */
static uint64_t
rng_next (uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double
rng_unit (uint64_t *s)
{
  return ((double) (rng_next (s) >> 11) + 0.5) / 9007199254740992.0;
}

static double
rng_range (uint64_t *s, double lo, double hi)
{
  return lo + (hi - lo) * rng_unit (s);
}

static double
rng_log_range (uint64_t *s, double lo, double hi)
{
  return exp (rng_range (s, log (lo), log (hi)));
}

static double
rng_gauss (uint64_t *s)
{
  double u = rng_unit (s), v = rng_unit (s);

  return sqrt (-2.0 * log (u)) * cos (2.0 * M_PI * v);
}

void
ms_tg_spec_init (ms_tg_spec_t *spec, ms_tg_pattern_t pattern, uint64_t seed)
{
  memset (spec, 0, sizeof *spec);
  spec->pattern = pattern;
  spec->seed = seed;
  spec->interval_s = 1.0;
  spec->duration_s = 600.0;
  spec->size_kib = 200 * MIB;
  spec->noise_rel = 0.002;
  spec->period_s = 20.0;
  spec->hold_s = 3.0;
}

static bool
is_leak (ms_tg_pattern_t p)
{
  return p == MS_TG_LINEAR_LEAK || p == MS_TG_STAIRCASE_LEAK || p == MS_TG_SAWTOOTH_LEAK
         || p == MS_TG_SWAP_LEAK || p == MS_TG_GC_LEAK || p == MS_TG_STAIR_DROP_LEAK
         || p == MS_TG_SLOW_LEAK;
}

bool
ms_tg_sampled (const ms_tg_spec_t *spec, double t_s)
{
  return !(spec->gap_len_s > 0 && t_s >= spec->gap_from_s
           && t_s < spec->gap_from_s + spec->gap_len_s);
}

/* The first sample time at or after t_s. */
static double
first_sample_at (const ms_tg_spec_t *spec, double t_s)
{
  for (long k = (long) ceil (t_s / spec->interval_s - 1e-9);; k++)
    {
      double t = k * spec->interval_s;

      if (t > spec->duration_s)
        return NAN;
      if (ms_tg_sampled (spec, t))
        return t;
    }
}

void
ms_tg_label (const ms_tg_spec_t *spec, ms_tg_label_t *label)
{
  double leak_s = spec->duration_s - spec->start_s;

  memset (label, 0, sizeof *label);
  label->leak_from_s = NAN;
  label->spike_at_s = NAN;
  label->zombie_at_s = NAN;
  if (is_leak (spec->pattern))
    {
      label->leak = true;
      label->leak_from_s = spec->start_s;
      if (spec->pattern == MS_TG_STAIRCASE_LEAK || spec->pattern == MS_TG_STAIR_DROP_LEAK)
        label->leak_growth_kib = floor (leak_s / spec->period_s) * spec->rate_kib_s
                                 * spec->period_s;
      else
        label->leak_growth_kib = spec->rate_kib_s * leak_s;
      label->leak_eligible = label->leak_growth_kib >= fmax (16 * MIB, 0.02 * spec->size_kib);
    }
  switch (spec->pattern)
    {
    case MS_TG_JUMP:
    case MS_TG_TRANSIENT_SPIKE:
      label->spike = true;
      label->spike_at_s = first_sample_at (spec, spec->start_s);
      break;
    case MS_TG_FLAT:
    case MS_TG_JITTER:
    case MS_TG_SAWTOOTH:
    case MS_TG_SWAP_OUT:
    case MS_TG_PID_REUSE:
    case MS_TG_GC_LEAK:
    case MS_TG_SLOW_LEAK:
      label->spike_forbidden = true;
      break;
    case MS_TG_ZOMBIE:
      label->zombie = true;
      /* Tagged once state Z has lasted the detector's default zombie_min_s (2 s). */
      label->zombie_at_s = first_sample_at (spec, first_sample_at (spec, spec->start_s) + 2.0);
      break;
    default:
      break;
    }
}

void
ms_tg_proc_init (ms_tg_proc_t *g, const ms_tg_spec_t *spec, int32_t pid)
{
  memset (g, 0, sizeof *g);
  g->spec = *spec;
  g->rng = spec->seed * 0x2545f4914f6cdd1dull + 0x1234567ull;
  g->pid = pid;
  /* Jitter starts anywhere in its stationary spread, not at the mean. */
  if (spec->pattern == MS_TG_JITTER)
    g->ou_kib = spec->amplitude_kib * rng_gauss (&g->rng);
}

static double
pages (double kib)
{
  return kib <= 0 ? 0 : floor (kib / 4.0) * 4.0;
}

void
ms_tg_proc_sample (ms_tg_proc_t *g, double t_s, ms_proc_t *proc)
{
  const ms_tg_spec_t *s = &g->spec;
  double since = t_s - s->start_s;
  double on = since >= 0 ? since : 0;
  double size = s->size_kib;
  double noise = s->noise_rel * size * rng_gauss (&g->rng);
  double fp = size + noise, swap = 0;
  uint64_t starttime = 100000 + (uint64_t) g->pid * 7;
  char state = 'S';

  switch (s->pattern)
    {
    case MS_TG_FLAT:
      break;
    case MS_TG_JITTER:
      {
        double dt = g->started ? t_s - g->last_t_s : 0;
        double a = exp (-dt / s->period_s);

        g->ou_kib = g->ou_kib * a + s->amplitude_kib * sqrt (1 - a * a) * rng_gauss (&g->rng);
        fp += g->ou_kib;
        break;
      }
    case MS_TG_LINEAR_LEAK:
      fp += s->rate_kib_s * on;
      break;
    case MS_TG_STAIRCASE_LEAK:
      fp += floor (on / s->period_s) * s->rate_kib_s * s->period_s;
      break;
    case MS_TG_SAWTOOTH:
    case MS_TG_SAWTOOTH_LEAK:
      {
        double phase = fmod (t_s + s->hold_s, s->period_s) / s->period_s;

        fp += s->amplitude_kib * phase;
        if (s->pattern == MS_TG_SAWTOOTH_LEAK)
          fp += s->rate_kib_s * on;
        break;
      }
    case MS_TG_WARMUP:
      fp += s->amplitude_kib * (1 - exp (-on / s->period_s));
      break;
    case MS_TG_JUMP:
      if (since >= 0)
        fp += s->amplitude_kib;
      break;
    case MS_TG_TRANSIENT_SPIKE:
      if (since >= 0 && since < s->hold_s)
        fp += s->amplitude_kib;
      break;
    case MS_TG_SWAP_LEAK:
      swap = s->rate_kib_s * on;
      fp += swap;
      break;
    case MS_TG_SWAP_OUT:
      swap = fmin (s->amplitude_kib, s->rate_kib_s * on);
      break;
    case MS_TG_PID_REUSE:
      if (since >= 0)
        {
          fp = s->amplitude_kib * (1 + s->noise_rel * rng_gauss (&g->rng));
          starttime += 5000 + (uint64_t) (s->start_s * 100);
        }
      break;
    case MS_TG_ZOMBIE:
      if (since >= 0)
        {
          fp = 0;
          state = 'Z';
        }
      break;
    case MS_TG_GC_LEAK:
      {
        double phase = fmod (t_s + s->hold_s, s->period_s) / s->period_s;

        fp += s->amplitude_kib * phase + s->rate_kib_s * on;
        break;
      }
    case MS_TG_STAIR_DROP_LEAK:
      {
        /* The leak's pages keep growing in steps; every drop_every_s the runtime returns a share
         * of the heap it had grown, so the resident size falls back and climbs again. */
        double acc = floor (on / s->period_s) * s->rate_kib_s * s->period_s;
        double last_drop = floor (on / s->drop_every_s) * s->drop_every_s;
        double acc_at_drop = floor (last_drop / s->period_s) * s->rate_kib_s * s->period_s;

        fp += acc - s->drop_frac * acc_at_drop;
        if (s->teeth_kib > 0)
          fp += s->teeth_kib * fmod (t_s + s->hold_s, 20.0) / 20.0;
        break;
      }
    case MS_TG_SLOW_LEAK:
      fp += s->rate_kib_s * on;
      break;
    case MS_TG_CACHE_FILL:
      fp += s->amplitude_kib * fmin (on / s->period_s, 1.0);
      break;
    case MS_TG_BIRTH_WARMUP:
      {
        /* Concave (most of it early) or linear, by the seed; with a runtime's teeth on top. */
        double x = fmin (t_s / s->period_s, 1.0);
        double shape = s->seed % 2 ? x : (1 - exp (-4 * x)) / (1 - exp (-4.0));

        fp += s->amplitude_kib * shape;
        if (s->teeth_kib > 0)
          fp += s->teeth_kib * fmod (t_s + s->hold_s, 25.0) / 25.0;
        break;
      }
    case MS_TG_N_PATTERNS:
    default:
      break;
    }
  /* A third of the processes are first seen while still loading, as a sampler catches them. */
  if (!g->started && s->seed % 3 == 0 && state != 'Z')
    fp *= 0.4;
  g->started = true;
  g->last_t_s = t_s;

  fp = pages (fp);
  swap = pages (fmin (swap, fp));
  memset (proc, 0, sizeof *proc);
  proc->pid = g->pid;
  proc->ppid = 1;
  proc->starttime = starttime;
  proc->state = state;
  snprintf (proc->comm, sizeof proc->comm, "%s", ms_tg_pattern_name (s->pattern));
  proc->swap_kib = (int64_t) swap;
  proc->rss_kib = (int64_t) (fp - swap);
  proc->anon_kib = proc->rss_kib;
  proc->pss_kib = MS_UNKNOWN_KIB;
  proc->uss_kib = MS_UNKNOWN_KIB;
  proc->swap_pss_kib = MS_UNKNOWN_KIB;
  proc->footprint_kib = proc->rss_kib + proc->swap_kib;
  proc->cpu_pct = -1;
}

void
ms_tg_run (const ms_tg_spec_t *spec, ms_tg_snapshot_fn fn, void *user)
{
  ms_tg_proc_t g;
  ms_proc_t proc;
  ms_snapshot_t snap;
  double prev = NAN;

  ms_tg_proc_init (&g, spec, 4242);
  memset (&snap, 0, sizeof snap);
  snap.mem.mem_total_kib = 16 * MIB * 1024;
  snap.mem.mem_available_kib = 8 * MIB * 1024;
  for (long k = 0;; k++)
    {
      double t = k * spec->interval_s;

      if (t > spec->duration_s + 1e-9)
        break;
      if (!ms_tg_sampled (spec, t))
        continue;
      ms_tg_proc_sample (&g, t, &proc);
      snap.time_s = t;
      snap.time_unix = 1.7e9 + t;
      snap.interval_s = isnan (prev) ? 0 : t - prev;
      snap.n_procs = 1;
      snap.procs = &proc;
      prev = t;
      fn (&snap, user);
    }
}

#define MACHINE_PROCS 16
#define MACHINE_SLEEPS 64

void
ms_tg_run_machine (uint64_t seed, double duration_s, ms_tg_snapshot_fn fn, void *user)
{
  static const ms_tg_pattern_t shapes[] = {
    MS_TG_FLAT, MS_TG_LINEAR_LEAK, MS_TG_SAWTOOTH, MS_TG_WARMUP, MS_TG_JITTER, MS_TG_JUMP,
  };
  ms_tg_proc_t procs[MACHINE_PROCS];
  double died_s[MACHINE_PROCS];
  ms_proc_t rows[MACHINE_PROCS + MACHINE_SLEEPS];
  ms_snapshot_t snap;
  uint64_t rng = seed * 0x9e3779b97f4a7c15ull + 77;
  double extra_base_kib = rng_range (&rng, 256, 1024) * MIB;
  double extra_rate_kib_s = rng_range (&rng, -2, 2) * MIB;

  for (int i = 0; i < MACHINE_PROCS; i++)
    {
      ms_tg_spec_t spec;

      ms_tg_spec_init (&spec, shapes[i % (int) (sizeof shapes / sizeof shapes[0])], seed * 100 + (uint64_t) i);
      spec.duration_s = duration_s;
      spec.size_kib = rng_log_range (&rng, 20 * MIB, 800 * MIB);
      spec.amplitude_kib = spec.size_kib * rng_range (&rng, 0.05, 0.3);
      spec.start_s = rng_range (&rng, 0, duration_s / 2);
      spec.rate_kib_s = rng_range (&rng, 0.1, 2) * MIB;
      /* Every third linear one gives memory back instead: a shrinker down to half its size. */
      if (spec.pattern == MS_TG_LINEAR_LEAK && i % 3 == 0)
        spec.rate_kib_s = -spec.size_kib / (2 * duration_s);
      ms_tg_proc_init (&procs[i], &spec, 1000 + i);
      /* A quarter of them exit partway. */
      died_s[i] = i % 4 == 1 ? rng_range (&rng, duration_s * 0.2, duration_s * 0.9) : INFINITY;
    }

  memset (&snap, 0, sizeof snap);
  snap.mem.mem_total_kib = 16 * MIB * 1024;
  snap.mem.swap_total_kib = 2 * MIB * 1024;
  for (long k = 0; k <= (long) duration_s; k++)
    {
      double t = (double) k;
      int64_t used_kib = 0, swap_kib = 0;
      size_t n = 0;

      for (int i = 0; i < MACHINE_PROCS; i++)
        {
          ms_proc_t *p = &rows[n];

          if (t >= died_s[i])
            continue;
          ms_tg_proc_sample (&procs[i], t, p);
          snprintf (p->comm, sizeof p->comm, "%s-%d", ms_tg_pattern_name (procs[i].spec.pattern),
                    i);
          n++;
        }
      /* Sleep j starts at 2 j s and lives 3 to 20 s, drawn from its own number. */
      for (int j = 0; j < MACHINE_SLEEPS; j++)
        {
          uint64_t own = seed * 1000 + (uint64_t) j;
          double born = 2.0 * j, life = 3 + (double) (rng_next (&own) % 18);
          ms_proc_t *p = &rows[n];

          if (t < born || t >= born + life)
            continue;
          memset (p, 0, sizeof *p);
          p->pid = 20000 + j;
          p->ppid = 1;
          p->starttime = 200000 + (uint64_t) born * 100;
          p->state = 'S';
          snprintf (p->comm, sizeof p->comm, "sleep");
          p->rss_kib = 600 + 4 * (int64_t) (rng_next (&own) % 64);
          p->anon_kib = p->rss_kib / 4;
          p->pss_kib = MS_UNKNOWN_KIB;
          p->uss_kib = MS_UNKNOWN_KIB;
          p->swap_pss_kib = MS_UNKNOWN_KIB;
          p->footprint_kib = p->rss_kib;
          p->cpu_pct = -1;
          n++;
        }
      for (size_t i = 0; i < n; i++)
        {
          used_kib += rows[i].rss_kib;
          swap_kib += rows[i].swap_kib;
        }
      used_kib += (int64_t) pages (extra_base_kib + extra_rate_kib_s * t);
      snap.time_s = t;
      snap.time_unix = 1.7e9 + t;
      snap.interval_s = k == 0 ? 0 : 1;
      snap.mem.mem_available_kib = snap.mem.mem_total_kib - used_kib;
      snap.mem.swap_free_kib = snap.mem.swap_total_kib - swap_kib;
      snap.n_procs = n;
      snap.procs = rows;
      fn (&snap, user);
    }
}

void
ms_tg_spec_live_leak (ms_tg_spec_t *spec)
{
  ms_tg_spec_init (spec, MS_TG_LINEAR_LEAK, 8);
  spec->size_kib = 200 * MIB;
  spec->rate_kib_s = 8 * MIB;
  spec->noise_rel = 0.0005;
  spec->start_s = 30;
  spec->duration_s = 120;
}

void
ms_tg_spec_live_steady (ms_tg_spec_t *spec)
{
  ms_tg_spec_init (spec, MS_TG_FLAT, 200);
  spec->size_kib = 200 * MIB;
  spec->noise_rel = 0.0005;
  spec->duration_s = 600;
}

/* Draws one variant of a pattern.  Shapes follow what real programs do: the set is meant to be
 * hard for the detector, not tuned to it; where a shape cannot be told from a leak in principle
 * (a warm-up that grows linearly for minutes) it is left out and the limit documented. */
static void
draw (ms_tg_spec_t *s, ms_tg_pattern_t pattern, uint64_t seed, double interval_s)
{
  uint64_t r = seed * 0x9e3779b97f4a7c15ull + pattern;
  double size, need;

  ms_tg_spec_init (s, pattern, seed);
  s->interval_s = interval_s;
  size = rng_log_range (&r, 20 * MIB, 4096 * MIB);
  s->size_kib = size;
  s->noise_rel = rng_log_range (&r, 0.0002, 0.004);
  s->hold_s = rng_range (&r, 0, 60); /* sawtooth phase */
  switch (pattern)
    {
    case MS_TG_FLAT:
      s->duration_s = rng_range (&r, 600, 1800);
      break;
    case MS_TG_JITTER:
      s->duration_s = rng_range (&r, 900, 2400);
      s->amplitude_kib = size * rng_range (&r, 0.02, 0.10);
      s->period_s = rng_range (&r, 2, 20);
      s->noise_rel = 0.002;
      break;
    case MS_TG_LINEAR_LEAK:
    case MS_TG_SWAP_LEAK:
    case MS_TG_STAIRCASE_LEAK:
      s->rate_kib_s = rng_log_range (&r, 64, 20 * MIB);
      s->start_s = rng_unit (&r) < 0.4 ? 0 : rng_range (&r, 30, 600);
      need = fmax (16 * MIB, 0.02 * size) / s->rate_kib_s;
      s->duration_s = s->start_s + fmin (fmax (300, 3 * need), 3600);
      s->period_s = rng_range (&r, 5, 30);
      break;
    case MS_TG_SAWTOOTH:
    case MS_TG_SAWTOOTH_LEAK:
      s->period_s = rng_range (&r, 8, 30);
      s->amplitude_kib = fmax (4 * MIB, size * rng_range (&r, 0.05, 0.3));
      s->duration_s = rng_range (&r, 900, 1800);
      if (pattern == MS_TG_SAWTOOTH_LEAK)
        {
          /* The floor climbs one sawtooth height every 1 to 5 minutes. */
          s->rate_kib_s = s->amplitude_kib / rng_range (&r, 60, 300);
          s->start_s = rng_unit (&r) < 0.5 ? 0 : rng_range (&r, 30, 300);
        }
      break;
    case MS_TG_WARMUP:
      s->amplitude_kib = size * rng_range (&r, 0.1, 1.0);
      s->period_s = rng_range (&r, 3, 20);
      s->start_s = rng_unit (&r) < 0.5 ? 0 : rng_range (&r, 30, 300);
      s->duration_s = s->start_s + rng_range (&r, 600, 1500);
      break;
    case MS_TG_JUMP:
    case MS_TG_TRANSIENT_SPIKE:
      s->amplitude_kib = fmax (48 * MIB, size * rng_range (&r, 0.4, 1.5));
      s->start_s = rng_range (&r, 60, 600);
      s->hold_s = rng_range (&r, 1, 10);
      if (s->hold_s < interval_s)
        s->hold_s = interval_s;
      s->duration_s = s->start_s + rng_range (&r, 300, 900);
      break;
    case MS_TG_SWAP_OUT:
      s->amplitude_kib = size * rng_range (&r, 0.2, 0.6);
      s->rate_kib_s = rng_log_range (&r, 512, 20 * MIB);
      s->start_s = rng_range (&r, 30, 300);
      s->duration_s = s->start_s + rng_range (&r, 600, 1200);
      break;
    case MS_TG_PID_REUSE:
      s->size_kib = rng_log_range (&r, 20 * MIB, 200 * MIB);
      s->amplitude_kib = rng_log_range (&r, 1024 * MIB, 4096 * MIB);
      s->start_s = rng_range (&r, 60, 600);
      s->duration_s = s->start_s + rng_range (&r, 300, 900);
      break;
    case MS_TG_ZOMBIE:
      s->start_s = rng_range (&r, 20, 300);
      s->duration_s = s->start_s + 120;
      break;
    case MS_TG_GC_LEAK:
      /* A garbage-collected runtime: teeth of 10-30 % every 20-45 s, floor rising 0.2-1 MiB/s,
       * after a steady stretch of 2-5 min or from birth. */
      s->size_kib = size = rng_log_range (&r, 60 * MIB, 1500 * MIB);
      s->amplitude_kib = size * rng_range (&r, 0.1, 0.3);
      s->period_s = rng_range (&r, 20, 45);
      s->rate_kib_s = rng_range (&r, 0.2 * MIB, 1 * MIB);
      s->start_s = rng_unit (&r) < 0.4 ? 0 : rng_range (&r, 120, 300);
      s->duration_s = s->start_s + rng_range (&r, 420, 720);
      break;
    case MS_TG_STAIR_DROP_LEAK:
      s->size_kib = size = rng_log_range (&r, 60 * MIB, 800 * MIB);
      s->rate_kib_s = rng_range (&r, 0.2 * MIB, 1 * MIB);
      s->period_s = rng_range (&r, 10, 40);
      s->drop_every_s = rng_range (&r, 150, 300);
      s->drop_frac = rng_range (&r, 0.2, 0.5);
      s->teeth_kib = rng_unit (&r) < 0.5 ? 0 : size * rng_range (&r, 0.02, 0.1);
      s->start_s = rng_unit (&r) < 0.4 ? 0 : rng_range (&r, 120, 300);
      s->duration_s = s->start_s + rng_range (&r, 480, 900);
      break;
    case MS_TG_SLOW_LEAK:
      s->size_kib = size = rng_log_range (&r, 20 * MIB, 300 * MIB);
      s->noise_rel = rng_log_range (&r, 0.0002, 0.002);
      s->rate_kib_s = rng_range (&r, 64, 256);
      s->start_s = rng_unit (&r) < 0.4 ? 0 : rng_range (&r, 120, 240);
      s->duration_s = fmin (s->start_s + rng_range (&r, 300, 700), 900);
      break;
    case MS_TG_CACHE_FILL:
      s->amplitude_kib = size * rng_range (&r, 0.1, 1.0);
      s->period_s = rng_range (&r, 10, 45);
      s->start_s = rng_range (&r, 120, 400);
      s->duration_s = s->start_s + rng_range (&r, 300, 900);
      break;
    case MS_TG_BIRTH_WARMUP:
      s->size_kib = size = rng_log_range (&r, 10 * MIB, 200 * MIB);
      s->amplitude_kib = size * rng_log_range (&r, 0.5, 40);
      s->period_s = rng_range (&r, 30, 120);
      s->teeth_kib = rng_unit (&r) < 0.5 ? 0 : (size + s->amplitude_kib) * rng_range (&r, 0.05, 0.2);
      s->duration_s = rng_range (&r, 400, 900);
      break;
    case MS_TG_N_PATTERNS:
    default:
      break;
    }
  /* Some traces lose samples for a while (a suspended machine, a stalled sampler). */
  if (seed % 5 == 3)
    {
      s->gap_len_s = rng_range (&r, 10, 120);
      s->gap_from_s = rng_range (&r, 0, s->duration_s * 0.8);
      /* A jump hidden in a hole is not one "within a few seconds": keep holes away from jumps. */
      if ((pattern == MS_TG_JUMP || pattern == MS_TG_TRANSIENT_SPIKE)
          && s->gap_from_s < s->start_s + s->hold_s + 10
          && s->gap_from_s + s->gap_len_s > s->start_s - 10)
        s->gap_from_s = s->start_s + s->hold_s + 30;
    }
}

size_t
ms_tg_standard_set (ms_tg_spec_t *out, size_t max)
{
  return ms_tg_seeded_set (1, out, max);
}

size_t
ms_tg_seeded_set (uint64_t first_seed, ms_tg_spec_t *out, size_t max)
{
  static const double main_intervals[] = { 0.5, 1.0, 2.0 };
  static const double edge_intervals[] = { 0.25, 5.0 };
  size_t n = 0;
  uint64_t seed = first_seed;

  for (int p = 0; p < MS_TG_N_PATTERNS; p++)
    {
      /* Leaks get more variants: recall and latency are measured over them. */
      int per_interval = p == MS_TG_LINEAR_LEAK ? 20 : (p == MS_TG_GC_LEAK || p == MS_TG_SLOW_LEAK) ? 12 : 8;

      for (size_t i = 0; i < sizeof main_intervals / sizeof main_intervals[0]; i++)
        for (int v = 0; v < per_interval; v++, seed++)
          {
            if (out != NULL && n < max)
              draw (&out[n], (ms_tg_pattern_t) p, seed, main_intervals[i]);
            n++;
          }
      for (size_t i = 0; i < sizeof edge_intervals / sizeof edge_intervals[0]; i++)
        for (int v = 0; v < 3; v++, seed++)
          {
            if (out != NULL && n < max)
              draw (&out[n], (ms_tg_pattern_t) p, seed, edge_intervals[i]);
            n++;
          }
    }
  /* The live check's two shapes, exactly. */
  if (out != NULL && n < max)
    ms_tg_spec_live_leak (&out[n]);
  n++;
  if (out != NULL && n < max)
    ms_tg_spec_live_steady (&out[n]);
  n++;
  return n;
}
