/* SPDX-License-Identifier: MIT */
/* LEAK / SPIKE / ZOMBIE tags from each process's footprint history, with hysteresis and events. */
#include "config.h"

#include "detector.h"

#include "alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A closed bucket: the time of its lowest sample (offset from the process's first sample), its
 * lowest and highest footprint. */
typedef struct
{
  float t_off;
  int32_t min_kib;
  int32_t max_kib;
} bucket_t;

/* One raw sample in the short spike window. */
typedef struct
{
  float t_off;
  int32_t kib;
} sample_t;

/* Enough for a 5 s window at 0.25 s plus slack; when sampling is faster the oldest drop out,
 * which only shortens the window. */
#define SPIKE_CAP 32

typedef struct
{
  bool active;
  char state;
  uint32_t tags;
  double zombie_since_s; /* first sample of the current run in state Z */
  double base_s;
  double first_s;
  double last_s;
  uint64_t n_samples;

  /* SPIKE: monotone deque of recent samples (front = window minimum) */
  sample_t sq[SPIKE_CAP];
  uint32_t sq_head, sq_count;
  double rise_ms_kib2;   /* mean square of the rise over the spike window */
  double rise_peak_kib;  /* largest recent rise, decaying with a half-life of spike_peak_half_s */
  uint64_t n_rises;      /* rises learned from */
  double spike_until_s;
  double spike_ref_kib; /* the level the current SPIKE jumped from */
  double spike_jump_kib;
  double spike_window_s;

  /* Open bucket */
  bool cur_open;
  uint32_t cur_n; /* samples in it */
  int64_t cur_index;
  float cur_t_off;
  int32_t cur_min_kib, cur_max_kib;

  /* Closed buckets: a ring that grows lazily up to the window; bk_total counts every bucket ever
   * closed, so a bucket has a stable absolute number. */
  bucket_t *bk;
  uint32_t bk_cap, bk_max, bk_head, bk_count;
  uint32_t bk_total;

  /* Lower envelope: absolute numbers of buckets whose minimum is below every later one, in
   * increasing time and value.  F(t) is the first one at or after t. */
  uint32_t *fq;
  uint32_t fq_cap, fq_head, fq_count;

  /* LEAK */
  double leak_start_s;
  double leak_rate_kib_s;
  double leak_conf;
  double leak_high_kib;  /* highest floor since the tag (or since the floor last fell back) */
  double leak_high_s;    /* when the floor last made a new high */
  double leak_found_len_s; /* length of the segment that set the tag */
  double leak_base_kib, leak_base_s; /* the floor at the tag, or where it last fell back to */
  double rearm_s;        /* a new LEAK needs a segment that starts here or later */
  double rearm_from_s;   /* ... and is compared with the past from here on (the stall) */
  double leak_watch_s;   /* the first bucket after the last hole in the samples */
} pstate_t;

struct ms_detector
{
  ms_detector_params_t p;
  ms_history_t *hist;
  pstate_t *st;
  size_t st_cap;
  double last_feed_s;
  bool fed;
  double interval_est_s;
  int slow_count;
  double tick_dt_s;       /* time since the previous snapshot */
  double tick_peak_decay; /* exp2 (-tick_dt_s / spike_peak_half_s) */
  double mem_available_kib;
  /* for the history callback */
  ms_event_fn fn;
  void *user;
  double now_s;
  /* Scratch for the floor path (one process at a time): the minimum over leak_floor_window_s
   * starting at each bucket. */
  float *fl_t;
  int32_t *fl_kib;
  int32_t *fl_top; /* the bucket's own highest sample */
  double *fl_teeth; /* sums of fl_top - fl_kib over the buckets before each */
  bool *fl_cut;     /* the window holds less than half the buckets it could: a hole cuts it */
  uint32_t *fl_dq;
  uint32_t fl_cap, fl_n;
};

typedef struct
{
  double start_s, end_s;
  double rate_kib_s;
  double conf;
  double growth_kib;
} leak_fit_t;

void
ms_detector_params_init (ms_detector_params_t *p, double sensitivity)
{
  double s = isfinite (sensitivity) ? sensitivity : 0.5;
  double k, rk;

  if (s < 0)
    s = 0;
  if (s > 1)
    s = 1;
  /* k is 2 at the cautious end, 1 at the default, 0.5 at the eager end. */
  k = pow (2.0, (0.5 - s) * 2.0);
  rk = sqrt (k);
  memset (p, 0, sizeof *p);
  p->sensitivity = s;
  p->bucket_s = 2.5;
  p->window_s = 1200.0;
  p->leak_min_duration_s = 50.0 * rk;
  p->leak_min_growth_kib = 8192.0 * k;
  p->leak_min_growth_rel = 0.01 * k;
  p->leak_part_min_frac = 0.3;
  p->leak_decel_ratio = 0.6;
  p->leak_min_snr = 6.0 * rk;
  p->leak_min_t = 6.0 * rk;
  p->leak_prior_margin = 0.75;
  p->leak_prior_s = 1200.0;
  p->leak_young_rel = 0.5;
  p->leak_steady_s = 25.0;
  p->leak_birth_s = 120.0;
  p->leak_birth_rate_frac = 0.5;
  p->leak_onset_frac = 0.1;
  p->leak_onset_min_s = 45.0 * rk;
  p->leak_recent_frac = 0.75;
  p->leak_floor_window_s = 60.0;
  p->leak_floor_min_s = 120.0 * rk;
  p->leak_stall_s = 150.0;
  p->leak_flat_past_k = 4.0;
  p->spike_window_s = 5.0;
  p->spike_min_kib = 32768.0 * k;
  p->spike_min_rel = 0.25 * k;
  p->spike_noise_k = 8.0 * rk;
  p->spike_peak_k = 1.5 * rk;
  p->spike_peak_half_s = 300.0;
  p->spike_warmup_s = 4.0;
  p->spike_young_s = 20.0;
  p->spike_hold_s = 30.0;
  p->zombie_min_s = 2.0;
}

ms_detector_t *
ms_detector_new_full (const ms_detector_params_t *p, const ms_history_params_t *hp)
{
  ms_detector_t *d = ms_calloc (1, sizeof *d);

  if (d == NULL)
    return NULL;
  if (p != NULL)
    d->p = *p;
  else
    ms_detector_params_init (&d->p, 0.5);
  if (!(d->p.bucket_s > 0))
    d->p.bucket_s = 5.0;
  if (!(d->p.window_s >= d->p.bucket_s * 4))
    d->p.window_s = d->p.bucket_s * 4;
  if (!(d->p.leak_min_duration_s >= d->p.bucket_s * 3))
    d->p.leak_min_duration_s = d->p.bucket_s * 3;
  d->hist = ms_history_new (hp);
  {
    double n = ceil (d->p.window_s / d->p.bucket_s) + 2;

    d->fl_cap = n > 1e6 ? 1000000u : (uint32_t) n;
  }
  d->fl_t = ms_malloc ((size_t) d->fl_cap * sizeof *d->fl_t);
  d->fl_kib = ms_malloc ((size_t) d->fl_cap * sizeof *d->fl_kib);
  d->fl_dq = ms_malloc ((size_t) d->fl_cap * sizeof *d->fl_dq);
  d->fl_top = ms_malloc ((size_t) d->fl_cap * sizeof *d->fl_top);
  d->fl_teeth = ms_malloc (((size_t) d->fl_cap + 1) * sizeof *d->fl_teeth);
  d->fl_cut = ms_malloc ((size_t) d->fl_cap * sizeof *d->fl_cut);
  if (d->hist == NULL || d->fl_t == NULL || d->fl_kib == NULL || d->fl_dq == NULL
      || d->fl_top == NULL || d->fl_teeth == NULL || d->fl_cut == NULL)
    {
      ms_free (d->fl_cut);
      ms_free (d->fl_teeth);
      ms_free (d->fl_top);
      ms_free (d->fl_dq);
      ms_history_free (d->hist);
      ms_free (d->fl_t);
      ms_free (d->fl_kib);
      ms_free (d);
      return NULL;
    }
  d->mem_available_kib = -1;
  return d;
}

ms_detector_t *
ms_detector_new (const ms_detector_params_t *p)
{
  return ms_detector_new_full (p, NULL);
}

static void
pstate_release (pstate_t *st)
{
  ms_free (st->bk);
  ms_free (st->fq);
  memset (st, 0, sizeof *st);
}

void
ms_detector_free (ms_detector_t *d)
{
  if (d == NULL)
    return;
  for (size_t i = 0; i < d->st_cap; i++)
    pstate_release (&d->st[i]);
  ms_free (d->st);
  ms_history_free (d->hist);
  ms_free (d->fl_t);
  ms_free (d->fl_kib);
  ms_free (d->fl_dq);
  ms_free (d->fl_top);
  ms_free (d->fl_teeth);
  ms_free (d->fl_cut);
  ms_free (d);
}

const ms_history_t *
ms_detector_history (const ms_detector_t *d)
{
  return d->hist;
}

size_t
ms_detector_memory_bytes (const ms_detector_t *d)
{
  size_t bytes = sizeof *d + d->st_cap * sizeof *d->st
                 + (size_t) (d->fl_cap + 1) * sizeof *d->fl_teeth
                 + (size_t) d->fl_cap * (sizeof *d->fl_t + sizeof *d->fl_kib + sizeof *d->fl_top
                                      + sizeof *d->fl_dq + sizeof *d->fl_cut);

  for (size_t i = 0; i < d->st_cap; i++)
    bytes += (size_t) d->st[i].bk_cap * sizeof (bucket_t)
             + (size_t) d->st[i].fq_cap * sizeof (uint32_t);
  return bytes;
}

/* ---- events ---- */

static void
event_init (ms_event_t *ev, const ms_detector_t *d, int32_t slot, ms_tag_t tag, bool set,
            double time_s)
{
  memset (ev, 0, sizeof *ev);
  ev->time_s = time_s;
  ev->pid = ms_history_slot_pid (d->hist, slot);
  ev->starttime = ms_history_slot_starttime (d->hist, slot);
  strncpy (ev->comm, ms_history_slot_comm (d->hist, slot), sizeof ev->comm - 1);
  ev->tag = tag;
  ev->set = set;
  ev->rate_kib_s = NAN;
  ev->duration_s = NAN;
  ev->confidence = NAN;
  ev->exhaust_s = NAN;
  ev->jump_kib = NAN;
}

static double
exhaust_s (const ms_detector_t *d, double rate_kib_s)
{
  if (!(d->mem_available_kib > 0) || !(rate_kib_s > 0))
    return NAN;
  return d->mem_available_kib / rate_kib_s;
}

static void
leak_fill (const ms_detector_t *d, const pstate_t *st, double now_s, ms_event_t *ev)
{
  ev->rate_kib_s = st->leak_rate_kib_s;
  ev->duration_s = now_s - st->leak_start_s;
  ev->confidence = st->leak_conf;
  ev->exhaust_s = exhaust_s (d, st->leak_rate_kib_s);
}

static void
emit (ms_detector_t *d, int32_t slot, ms_tag_t tag, bool set, double time_s,
      ms_clear_reason_t reason)
{
  pstate_t *st = &d->st[slot];
  ms_event_t ev;

  if (set)
    st->tags |= tag;
  else
    st->tags &= ~(uint32_t) tag;
  if (d->fn == NULL)
    return;
  event_init (&ev, d, slot, tag, set, time_s);
  if (!set)
    ev.reason = reason;
  if (set && tag == MS_TAG_LEAK)
    leak_fill (d, st, time_s, &ev);
  else if (set && tag == MS_TAG_SPIKE)
    ev.jump_kib = st->spike_jump_kib;
  d->fn (&ev, d->user);
}

static void
clear_all (ms_detector_t *d, int32_t slot, double time_s, ms_clear_reason_t reason)
{
  static const ms_tag_t order[] = { MS_TAG_LEAK, MS_TAG_SPIKE, MS_TAG_ZOMBIE };

  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    if (d->st[slot].tags & order[i])
      emit (d, slot, order[i], false, time_s, reason);
}

/* ---- buckets and the lower envelope ---- */

/* head + k with head, k < cap: a compare instead of a division on the hot paths. */
static inline uint32_t
wrap (uint32_t head, uint32_t k, uint32_t cap)
{
  uint32_t i = head + k;

  return i >= cap ? i - cap : i;
}

static inline const bucket_t *
bk_at (const pstate_t *st, uint32_t abs_index)
{
  uint32_t oldest = st->bk_total - st->bk_count;

  return &st->bk[wrap (st->bk_head, abs_index - oldest, st->bk_cap)];
}

static inline const bucket_t *
bk_newest (const pstate_t *st)
{
  return &st->bk[wrap (st->bk_head, st->bk_count - 1, st->bk_cap)];
}

static inline uint32_t
fq_get (const pstate_t *st, uint32_t k)
{
  return st->fq[wrap (st->fq_head, k, st->fq_cap)];
}

/* Grows a ring that may have wrapped to new_cap items: the items are copied out in order. */
static int
ring_grow_unrolled (void **items, uint32_t *cap, uint32_t *head, uint32_t count, size_t item,
                    uint32_t new_cap)
{
  char *fresh;

  if (new_cap <= *cap)
    return -1;
  fresh = ms_malloc ((size_t) new_cap * item);
  if (fresh == NULL)
    return -1;
  for (uint32_t k = 0; k < count; k++)
    memcpy (fresh + (size_t) k * item, (char *) *items + (size_t) ((*head + k) % *cap) * item,
            item);
  ms_free (*items);
  *items = fresh;
  *cap = new_cap;
  *head = 0;
  return 0;
}

static int
bucket_push (pstate_t *st, float t_off, int32_t min_kib, int32_t max_kib)
{
  uint32_t abs_index;
  bucket_t *b;

  if (st->bk_count == st->bk_cap)
    {
      if (st->bk_cap < st->bk_max)
        {
          uint32_t cap = st->bk_cap ? st->bk_cap * 2 : 8;

          if (ring_grow_unrolled ((void **) &st->bk, &st->bk_cap, &st->bk_head, st->bk_count,
                                  sizeof *st->bk, cap < st->bk_max ? cap : st->bk_max) < 0)
            return -1;
        }
      else
        {
          uint32_t oldest = st->bk_total - st->bk_count;

          if (st->fq_count > 0 && fq_get (st, 0) == oldest)
            {
              st->fq_head = (st->fq_head + 1) % st->fq_cap;
              st->fq_count--;
            }
          st->bk_head = (st->bk_head + 1) % st->bk_cap;
          st->bk_count--;
        }
    }
  /* The envelope starts small, and once full it takes the bucket ring's size at once (it can
   * never hold more): a process whose size does not move keeps a few entries, not one per
   * bucket, and once its window is full a process allocates at most once more. */
  if (st->fq_count == st->fq_cap && st->fq_cap < st->bk_cap
      && ring_grow_unrolled ((void **) &st->fq, &st->fq_cap, &st->fq_head, st->fq_count,
                             sizeof *st->fq,
                             st->fq_cap == 0 && st->bk_cap > 8 ? 8 : st->bk_cap) < 0)
    return -1;

  b = &st->bk[(st->bk_head + st->bk_count) % st->bk_cap];
  b->t_off = t_off;
  b->min_kib = min_kib;
  b->max_kib = max_kib;
  st->bk_count++;
  abs_index = st->bk_total++;

  while (st->fq_count > 0
         && bk_at (st, fq_get (st, st->fq_count - 1))->min_kib >= min_kib)
    st->fq_count--;
  st->fq[(st->fq_head + st->fq_count) % st->fq_cap] = abs_index;
  st->fq_count++;
  return 0;
}

/* F(t): the lowest bucket minimum at or after t. */
static int32_t
floor_from (const pstate_t *st, double t_s)
{
  float t_off = (float) (t_s - st->base_s);
  uint32_t lo = 0, hi = st->fq_count - 1;

  while (lo < hi)
    {
      uint32_t mid = lo + (hi - lo) / 2;

      if (bk_at (st, fq_get (st, mid))->t_off >= t_off)
        hi = mid;
      else
        lo = mid + 1;
    }
  return bk_at (st, fq_get (st, lo))->min_kib;
}

/* When the floor last rose past level_kib: between the last envelope entry at or below it and
 * the next, interpolated (-INFINITY when the floor was above it all along, the last entry's time
 * when it never rose past it). */
static double
floor_left_s (const pstate_t *st, double level_kib)
{
  uint32_t lo = 0, hi = st->fq_count;
  const bucket_t *a, *b;
  double ta, tb;

  while (lo < hi)
    {
      uint32_t mid = lo + (hi - lo) / 2;

      if (bk_at (st, fq_get (st, mid))->min_kib <= level_kib)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return -INFINITY;
  a = bk_at (st, fq_get (st, lo - 1));
  ta = st->base_s + (double) a->t_off;
  if (lo == st->fq_count)
    return ta;
  b = bk_at (st, fq_get (st, lo));
  tb = st->base_s + (double) b->t_off;
  return ta + (tb - ta) * (level_kib - a->min_kib) / fmax ((double) b->min_kib - a->min_kib, 1.0);
}

/* F(t) and the time of the bucket that gives it. */
static int32_t
floor_entry (const pstate_t *st, double t_s, double *at_s)
{
  float t_off = (float) (t_s - st->base_s);
  uint32_t lo = 0, hi = st->fq_count - 1;
  const bucket_t *b;

  while (lo < hi)
    {
      uint32_t mid = lo + (hi - lo) / 2;

      if (bk_at (st, fq_get (st, mid))->t_off >= t_off)
        hi = mid;
      else
        lo = mid + 1;
    }
  b = bk_at (st, fq_get (st, lo));
  *at_s = st->base_s + (double) b->t_off;
  return b->min_kib;
}

/* ---- LEAK ---- */

static double
leak_threshold_kib (const ms_detector_params_t *p, double size_kib)
{
  double rel = p->leak_min_growth_rel * size_kib;

  return rel > p->leak_min_growth_kib ? rel : p->leak_min_growth_kib;
}

/* The two clocks.  Growth that starts after a steady stretch (at least leak_steady_s of watched
 * past that grew at most a quarter as fast as the segment) is judged at once, against how much
 * the process varied before.  Otherwise it may be the process's warm-up, which levels off within
 * leak_birth_s: only growth from that age on counts, and while the rising past is that warm-up
 * (up to twice that age) it is no measure of how much the process wanders.  An older process is
 * judged against its past however that past looked. */
typedef enum
{
  CLOCK_NONE,   /* not yet: a warm-up can look like this */
  CLOCK_STEADY, /* after a steady stretch, or in an old process */
  CLOCK_BIRTH,  /* growth since birth, judged past the warm-up age */
} leak_clock_t;

static leak_clock_t
segment_clock (const ms_detector_t *d, const pstate_t *st, double t0, double len_s, double f0,
               double g)
{
  const ms_detector_params_t *p = &d->p;
  double past_s = t0 - st->first_s;
  /* The first bucket often catches a process while it is still loading. */
  double from_s = fmax (st->first_s + p->bucket_s, t0 - p->leak_birth_s);

  double low_s, low_kib;

  if (past_s < p->leak_steady_s - 1e-3)
    return CLOCK_NONE;
  low_kib = floor_entry (st, from_s, &low_s);
  if (past_s >= 2 * p->leak_birth_s
      || f0 - low_kib <= 0.25 * g * fmin ((t0 - from_s) / len_s, 1.0))
    return CLOCK_STEADY;
  if (past_s < p->leak_birth_s - 1e-3)
    return CLOCK_NONE;
  /* A warm-up rises from the start: a past whose lowest floor came later only wandered. */
  return low_s - from_s > 0.25 * (t0 - from_s) + p->bucket_s ? CLOCK_STEADY : CLOCK_BIRTH;
}

/* The least-squares line through points given by their sums (n, x, y, xx, xy, yy): false
 * unless its slope is positive; else the slope, the residual spread (at least 1 KiB:
 * page-granular sizes make perfectly straight lines possible, and an infinite t statistic says
 * nothing more than a large one) and the slope's t statistic. */
static bool
line_fit (double n, double sx, double sy, double sxx, double sxy, double syy, double *slope,
          double *resid_sd, double *tstat)
{
  double sxx_c = sxx - sx * sx / n;
  double sxy_c = sxy - sx * sy / n;
  double syy_c = syy - sy * sy / n;
  double sse;

  if (!(sxx_c > 0))
    return false;
  *slope = sxy_c / sxx_c;
  if (!(*slope > 0))
    return false;
  sse = syy_c - sxy_c * sxy_c / sxx_c;
  if (sse < 0)
    sse = 0;
  *resid_sd = sqrt (fmax (sse / (n - 2), 1.0));
  *tstat = *slope / (*resid_sd / sqrt (sxx_c));
  return true;
}

/* Neighbouring minima of a wandering process are correlated, which makes n points worth far
 * fewer independent ones: the usual effective-sample-size factor for a t statistic, from the
 * lag-1 autocorrelation num / den of the residuals (only positive correlation counts). */
static double
autocorrelation_factor (double num, double den)
{
  double rho = den > 0 ? num / den : 0;

  rho = fmin (fmax (rho, 0.0), 0.95);
  return sqrt ((1 - rho) / (1 + rho));
}

/* Whether the least-squares parabola through the segment's points (sums as for line_fit, and
 * those of x^3, x^4 and x^2 y, with x = 0 at the segment's end) bends down (its curvature's t
 * statistic below -2) and ends rising at less than half the segment's mean rate: the tail of a
 * warm-up or of a cache filling toward its cap, whose last third noise can make look as steep
 * as a leak's (the newest minima are of fewer samples than the envelope before them). */
static bool
levelling_off (double n, double sx, double sy, double sxx, double sxy, double syy, double sx3,
               double sx4, double sxxy, double mean_rate)
{
  /* The normal equations [n sx sxx; sx sxx sx3; sxx sx3 sx4] (a b c) = (sy sxy sxxy). */
  double c00 = sxx * sx4 - sx3 * sx3, c01 = sx3 * sxx - sx * sx4, c02 = sx * sx3 - sxx * sxx;
  double det = n * c00 + sx * c01 + sxx * c02;
  double a, b, c, sse, var_c;

  if (n < 8 || !(fabs (det) > 0))
    return false;
  a = (sy * c00 + sxy * c01 + sxxy * c02) / det;
  b = (sy * c01 + sxy * (n * sx4 - sxx * sxx) + sxxy * (sx * sxx - n * sx3)) / det;
  c = (sy * c02 + sxy * (sxx * sx - n * sx3) + sxxy * (n * sxx - sx * sx)) / det;
  sse = fmax (syy - (a * sy + b * sxy + c * sxxy), 1.0);
  var_c = sse / (n - 3) * (n * sxx - sx * sx) / det;
  return c < 0 && var_c > 0 && c / sqrt (var_c) < -2 && b < 0.5 * mean_rate;
}

static bool
leak_segment (const ms_detector_t *d, const pstate_t *st, double len_s, leak_fit_t *fit)
{
  const ms_detector_params_t *p = &d->p;
  const bucket_t *last = bk_newest (st);
  double end_s = st->base_s + (double) last->t_off;
  double t0 = end_s - len_s;
  double f0 = floor_from (st, t0);
  double f1 = floor_from (st, t0 + len_s / 3.0);
  double f2 = floor_from (st, t0 + 2.0 * len_s / 3.0);
  double f3 = last->min_kib;
  double g = f3 - f0, g1 = f1 - f0, g2 = f2 - f1, g3 = f3 - f2;
  double share = g / 3.0 * p->leak_part_min_frac;
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sx3 = 0, sx4 = 0, sxxy = 0;
  double prior_max = -INFINITY, prior_min = INFINITY;
  double prior_s = fmax (len_s, p->leak_prior_s);
  double slope, tstat, thr, resid_sd, snr;
  int n_prior = 0, n_third[3] = { 0, 0, 0 };
  double prior_first_s = t0, onset_s;
  leak_clock_t clock;

  thr = leak_threshold_kib (p, f0);
  if (g < thr)
    return false;
  /* Cheapest tests first: most segments of a wandering process fail one of these. */
  if (g1 < share || g2 < share || g3 < share || g3 < p->leak_decel_ratio * fmax (g1, g2))
    return false;
  clock = segment_clock (d, st, t0, len_s, f0, g);
  if (clock == CLOCK_NONE)
    return false;
  /* The floor must have been rising for the shortest duration, counted from when it last sat at
   * the segment's base: a cache that filled for less than that, after a steady stretch, is not
   * taken for a leak because the segment also holds some of the flat time before it. */
  onset_s = end_s - floor_left_s (st, f0 + p->leak_onset_frac * g);
  if (onset_s < p->leak_onset_min_s - 1e-3)
    return false;
  /* ... and still be rising at its end as fast as it rose since then (a cache that reached its
   * cap stops here). */
  {
    double recent_s = fmax (2 * p->bucket_s, len_s / 6), at_s;
    double fr = floor_entry (st, end_s - recent_s - 1e-3, &at_s);

    if (f3 - fr < p->leak_recent_frac * g / fmin (onset_s, len_s) * (end_s - at_s))
      return false;
  }
  /* Little or no past before the segment: the growth may be the first ramp of a garbage
   * collector's sawtooth that has not dropped back yet.  Unless it is large against the process,
   * wait for a segment twice as long as the shortest (longer than such a cycle usually is). */
  if (t0 - st->first_s < len_s && g < p->leak_young_rel * f0
      && len_s < 2 * p->leak_min_duration_s - 1e-6)
    return false;

  for (uint32_t k = st->bk_count; k-- > 0;)
    {
      const bucket_t *b = &st->bk[wrap (st->bk_head, k, st->bk_cap)];
      double t = st->base_s + (double) b->t_off;

      if (t >= t0 - 1e-3)
        {
          double x = t - end_s, y = (double) b->min_kib - f3;

          n++;
          n_third[t < t0 + len_s / 3 ? 0 : t < t0 + 2 * len_s / 3 ? 1 : 2]++;
          sx += x;
          sy += y;
          sxx += x * x;
          sxy += x * y;
          syy += y * y;
          sx3 += x * x * x;
          sx4 += x * x * x * x;
          sxxy += x * x * y;
        }
      else if (t >= t0 - prior_s && t >= st->rearm_from_s)
        {
          n_prior++;
          prior_first_s = t;
          if (b->max_kib > prior_max)
            prior_max = b->max_kib;
          /* The first bucket of a process often catches it while it is still loading: that is
           * not how much it varies. */
          if (b->min_kib < prior_min && t >= st->first_s + p->bucket_s)
            prior_min = b->min_kib;
        }
      else
        break;
    }
  if (n < 4)
    return false;
  /* Growth must be watched, not inferred across a hole in the samples: every third needs half
   * the buckets it could hold. */
  {
    double expect = len_s / 3 / fmax (p->bucket_s, d->interval_est_s);

    for (int i = 0; i < 3; i++)
      if (n_third[i] < fmax (1.0, floor (expect / 2)))
        return false;
  }
  if (!line_fit (n, sx, sy, sxx, sxy, syy, &slope, &resid_sd, &tstat))
    return false;
  {
    double icpt = (sy - slope * sx) / n, prev_r = NAN, num = 0, den = 0;

    for (uint32_t k = st->bk_count; k-- > 0;)
      {
        const bucket_t *b = &st->bk[wrap (st->bk_head, k, st->bk_cap)];
        double t = st->base_s + (double) b->t_off, r;

        if (t < t0 - 1e-3)
          break;
        r = ((double) b->min_kib - f3) - (icpt + slope * (t - end_s));
        if (!isnan (prev_r))
          num += r * prev_r;
        den += r * r;
        prev_r = r;
      }
    tstat *= autocorrelation_factor (num, den);
  }
  if (tstat < p->leak_min_t)
    return false;
  if (levelling_off (n, sx, sy, sxx, sxy, syy, sx3, sx4, sxxy, g / len_s))
    return false;
  /* The t statistic grows with the number of buckets, and neighbouring minima of a slowly
   * wandering process are correlated, so on long segments it alone would accept a wander.  The
   * growth must also stand out from the scatter around the line, whatever the segment's length. */
  /* Without a long past to compare with (a young process, or one just back from a gap) a
   * mean-reverting wander that started low is as likely as a leak: ask for up to four times the
   * evidence, until the past covers four times the segment (or what the window leaves).  Two
   * cases know the process well enough already.  Growth from birth that goes on past the
   * warm-up age at least leak_birth_rate_frac as fast as it rose before is no warm-up levelling
   * off (those slow down) and no wander (the past rose too).  And once the floor has been rising
   * for twice leak_onset_min_s (longer than a cache fills), a past of twice the warm-up age is
   * enough to know how the process wanders. */
  snr = p->leak_min_snr;
  if (clock == CLOCK_BIRTH
      && g / len_s >= p->leak_birth_rate_frac
                        * (f0 - floor_from (st, st->first_s + p->bucket_s))
                        / fmax (t0 - st->first_s - p->bucket_s, p->bucket_s))
    ;
  else if (n_prior < 3)
    snr *= 4;
  else
    {
      double want_s = fmin (4 * len_s, p->window_s - len_s);

      if (onset_s >= 2 * p->leak_onset_min_s)
        want_s = fmin (want_s, 2 * p->leak_birth_s);

      snr *= 1 + 3 * fmin (fmax (1 - (t0 - prior_first_s) / fmax (want_s, 1.0), 0.0), 1.0);
    }
  if (g < snr * resid_sd)
    return false;

  if (prior_max > -INFINITY
      && f3 < prior_max + (clock == CLOCK_STEADY ? p->leak_prior_margin : 0)
                            * fmax (prior_max - prior_min, 0.0))
    return false;

  fit->start_s = t0;
  fit->end_s = end_s;
  fit->rate_kib_s = slope;
  fit->growth_kib = g;
  /* 0.5 right at the thresholds, toward 1 as the evidence grows past them. */
  fit->conf = 1.0 - 0.5 * (p->leak_min_t / tstat) * (thr / g);
  return true;
}

/* Fills d->fl_* with the minimum over [t, t + leak_floor_window_s] of every bucket whose window
 * ends by end_s, in time order: the floor under a garbage collector's teeth (a monotone deque,
 * O(buckets)). */
static void
floor_series (ms_detector_t *d, const pstate_t *st, double end_s)
{
  double w_s = d->p.leak_floor_window_s;
  uint32_t n = 0, head = 0, tail = 0, right = 0;
  uint32_t *dq = d->fl_dq;
  double full = w_s / fmax (d->p.bucket_s, d->interval_est_s);

  d->fl_teeth[0] = 0;

  for (uint32_t j = 0; j < st->bk_count && n < d->fl_cap; j++)
    {
      const bucket_t *bj = &st->bk[wrap (st->bk_head, j, st->bk_cap)];
      double tj = st->base_s + (double) bj->t_off;

      if (tj + w_s > end_s + 1e-3)
        break;
      while (right < st->bk_count)
        {
          const bucket_t *br = &st->bk[wrap (st->bk_head, right, st->bk_cap)];

          if (st->base_s + (double) br->t_off > tj + w_s + 1e-3)
            break;
          while (tail > head
                 && st->bk[wrap (st->bk_head, dq[tail - 1], st->bk_cap)].min_kib >= br->min_kib)
            tail--;
          dq[tail++] = right++;
        }
      while (head < tail && dq[head] < j)
        head++;
      d->fl_t[n] = bj->t_off;
      d->fl_kib[n] = st->bk[wrap (st->bk_head, dq[head], st->bk_cap)].min_kib;
      d->fl_top[n] = bj->max_kib;
      /* A window cut by a hole in the samples holds few of them, and its minimum stands high
       * (under a garbage collector's teeth, as high as a tooth): it shows no floor. */
      d->fl_cut[n] = right - j < 0.5 * full;
      d->fl_teeth[n + 1] = d->fl_teeth[n] + ((double) d->fl_top[n] - d->fl_kib[n]);
      n++;
    }
  d->fl_n = n;
}

/* A leak judged on the floor series: for a runtime whose garbage collector draws teeth much
 * taller than what the floor gains between them.  The same tests as leak_segment, on minima
 * over leak_floor_window_s instead of bucket minima. */
static bool
floor_segment (const ms_detector_t *d, const pstate_t *st, double end_s, double len_s,
               leak_fit_t *fit)
{
  const ms_detector_params_t *p = &d->p;
  double t0 = end_s - len_s, last_t = end_s - p->leak_floor_window_s;
  double span_s = last_t - t0;
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  double prior_max = -INFINITY, prior_min = INFINITY, m0 = NAN, m3, g, thr;
  double slope, resid_sd, tstat, cut[2], mcut[2] = { NAN, NAN };
  uint32_t i0 = d->fl_n;
  double prior_first_s = t0, teeth_kib = 0, wander_kib = 0;
  int n_prior = 0, n_third[3] = { 0, 0, 0 };
  leak_clock_t clock;

  if (d->fl_n < 8 || span_s < 3 * p->bucket_s || d->fl_cut[d->fl_n - 1])
    return false;
  m3 = d->fl_kib[d->fl_n - 1];
  cut[0] = t0 + span_s / 3;
  cut[1] = t0 + 2 * span_s / 3;
  /* Cheap tests first, on three points found by bisection: most segments fail here. */
  {
    double quick[3], tol;
    uint32_t first = 0;
    const double at[3] = { t0, cut[0], cut[1] };

    for (int k = 0; k < 3; k++)
      {
        uint32_t lo = 0, hi = d->fl_n - 1;

        while (lo < hi)
          {
            uint32_t mid = lo + (hi - lo) / 2;

            if (st->base_s + (double) d->fl_t[mid] >= at[k] - 1e-3)
              hi = mid;
            else
              lo = mid + 1;
          }
        while (d->fl_cut[lo])
          lo++;
        quick[k] = d->fl_kib[lo];
        if (k == 0)
          first = lo;
      }
    g = m3 - quick[0];
    if (g < leak_threshold_kib (p, quick[0]))
      return false;
    /* The exact test below forgives a third the sampling wander, which is at most half the
     * teeth's mean height (their period is at least two samples), and only when that is at
     * least a fifth of the growth: as much here. */
    tol = (d->fl_teeth[d->fl_n] - d->fl_teeth[first]) / fmax (d->fl_n - first, 1);
    tol = tol >= 0.2 * g ? fmin (tol, 0.5 * g) : 0;
    if (quick[1] - quick[0] < g / 3.0 * p->leak_part_min_frac - tol
        || quick[2] - quick[1] < g / 3.0 * p->leak_part_min_frac - tol
        || m3 - quick[2] < g / 3.0 * p->leak_part_min_frac - tol)
      return false;
  }
  for (uint32_t i = 0; i < d->fl_n; i++)
    {
      double t = st->base_s + (double) d->fl_t[i], y = d->fl_kib[i];

      if (d->fl_cut[i])
        continue;
      if (t < t0 - 1e-3)
        {
          if (t >= t0 - fmax (len_s, p->leak_prior_s) && t >= st->rearm_from_s
              && t >= st->first_s + p->bucket_s)
            {
              if (n_prior++ == 0)
                prior_first_s = t;
              prior_max = fmax (prior_max, y);
              prior_min = fmin (prior_min, y);
            }
          continue;
        }
      if (isnan (m0))
        {
          m0 = y;
          i0 = i;
        }
      for (int k = 0; k < 2; k++)
        if (isnan (mcut[k]) && t >= cut[k] - 1e-3)
          mcut[k] = y;
      n_third[t < cut[0] ? 0 : t < cut[1] ? 1 : 2]++;
      teeth_kib += (double) d->fl_top[i] - y;
      n++;
      sx += t - end_s;
      sy += y - m3;
      sxx += (t - end_s) * (t - end_s);
      sxy += (t - end_s) * (y - m3);
      syy += (y - m3) * (y - m3);
    }
  if (isnan (m0) || isnan (mcut[0]) || isnan (mcut[1]) || n < 6)
    return false;
  g = m3 - m0;
  thr = leak_threshold_kib (p, m0);
  if (g < thr)
    return false;
  /* Samples a few seconds apart catch the teeth at a phase that drifts with the beat of the two
   * periods, so the floor they show wanders by up to a sample's share of a tooth: the tooth's
   * height times interval / period, the period counted from the falls of a tooth's height
   * (a window's when there are none). */
  {
    double tooth_kib = 2 * teeth_kib / n, period_s = p->leak_floor_window_s;
    int falls = 0;
    bool fell = false;

    for (uint32_t i = i0 + 1; i < d->fl_n; i++)
      {
        double top = fmax (d->fl_top[i - 1], d->fl_top[i]);
        double low = st->bk[wrap (st->bk_head, i, st->bk_cap)].min_kib;
        bool falls_here = top - low >= 0.5 * tooth_kib && tooth_kib > 0;

        if (falls_here && !fell)
          falls++;
        fell = falls_here;
      }
    if (falls > 0)
      period_s = fmin (fmax (span_s / falls, 2 * d->interval_est_s), period_s);
    wander_kib = tooth_kib * fmin (d->interval_est_s / period_s, 1.0);
    if (g < wander_kib)
      return false;
  }
  clock = segment_clock (d, st, t0, len_s, m0, g);
  if (clock == CLOCK_NONE)
    return false;
  {
    double g1 = mcut[0] - m0, g2 = mcut[1] - mcut[0], g3 = m3 - mcut[1];
    double share = g / 3.0 * p->leak_part_min_frac;
    double expect = span_s / 3 / fmax (p->bucket_s, d->interval_est_s);

    /* The floor seen may sit anywhere up to the wander above the true one at each cut, so a
     * third may show that much less growth than it had (the floor seen climbs with the beat,
     * then drops back).  Forgiven only when the growth clears the wander twice (a sawtooth with
     * no leak never rises more than the wander) and the wander is large enough to hide a
     * third's share (else it is no sampling beat but the process's own scatter). */
    double tol = g >= 2 * wander_kib && wander_kib >= 2 * share ? wander_kib : 0;

    if (g1 < share - tol || g2 < share - tol || g3 < share - tol
        || g3 < p->leak_decel_ratio * fmax (g1, g2) - tol)
      return false;
    for (int i = 0; i < 3; i++)
      if (n_third[i] < fmax (1.0, floor (expect / 2)))
        return false;
  }
  if (!line_fit (n, sx, sy, sxx, sxy, syy, &slope, &resid_sd, &tstat))
    return false;
  {
    double icpt = (sy - slope * sx) / n, prev_r = NAN, num = 0, den = 0;

    for (uint32_t i = i0; i < d->fl_n; i++)
      {
        double t = st->base_s + (double) d->fl_t[i];
        double r = ((double) d->fl_kib[i] - m3) - (icpt + slope * (t - end_s));

        if (d->fl_cut[i])
          continue;
        if (!isnan (prev_r))
          num += r * prev_r;
        den += r * r;
        prev_r = r;
      }
    tstat *= autocorrelation_factor (num, den);
  }
  /* As in leak_segment: without a long past to compare with, a wandering floor (or the beat of
   * sampling against the teeth) is as likely as a leak, so ask for up to four times the evidence.
   * Not when the past is known to be level: a floor that held within a range for at least two
   * floor windows, and now stands leak_flat_past_k times that range above it (a garbage
   * collector's floor before its leak began; a wandering floor has a range as wide as its
   * rise). */
  {
    double snr = p->leak_min_snr, want_s = fmin (3 * len_s, p->window_s - len_s);

    if (clock == CLOCK_BIRTH)
      ;
    else if (n_prior >= 3 && t0 - prior_first_s >= 2 * p->leak_floor_window_s
             && m3 - prior_max >= p->leak_flat_past_k * (prior_max - prior_min))
      ;
    else if (n_prior < 3)
      snr *= 4;
    else
      snr *= 1 + 3 * fmin (fmax (1 - (t0 - prior_first_s) / fmax (want_s, 1.0), 0.0), 1.0);
    /* A window of few samples finds the floor only roughly (the beat of sampling against the
     * teeth drifts): then ask for more. */
    snr *= sqrt (fmax (1.0, 20 * d->interval_est_s / p->leak_floor_window_s));
    /* The wander of the floor seen is no noise of the process: it is bounded, so growth that
     * clears it twice need not clear it again as scatter.  Then the scatter left once an even
     * spread over the wander's height is taken out (at least a third of it) must be small
     * beside the growth beyond the wander, and the slope significant against it. */
    if (tstat < p->leak_min_t || g < snr * resid_sd)
      {
        double sd_n = sqrt (fmax (resid_sd * resid_sd - wander_kib * wander_kib / 12,
                                  resid_sd * resid_sd / 9));

        if (!(wander_kib > 0) || g < 2 * wander_kib || g - wander_kib < snr * sd_n
            || tstat * resid_sd / sd_n < p->leak_min_t)
          return false;
        tstat *= resid_sd / sd_n;
      }
  }
  if (prior_max > -INFINITY
      && m3 < prior_max + (clock == CLOCK_STEADY ? p->leak_prior_margin : 0)
                            * fmax (prior_max - prior_min, 0.0))
    return false;
  fit->start_s = t0;
  fit->end_s = end_s;
  fit->rate_kib_s = slope;
  fit->growth_kib = g;
  fit->conf = 1.0 - 0.5 * (p->leak_min_t / tstat) * (thr / g);
  return true;
}

/* The lengths of the segments leak_try judges, shortest first: from `min_s` in steps of one
 * bucket up to `fine_s`, then x1.5, and last the longest there is (the time watched, `span_s`,
 * at most `window_s`; none when that is below min_s).  The segment that starts right at the
 * warm-up age (`birth_s` long, when it fits) goes in between, in its place by length. */
typedef struct
{
  double grid_s, min_s, fine_s, birth_s, span_s, window_s, tol_s;
  bool birth, done;
} lengths_t;

static void
lengths_init (lengths_t *it, double min_s, double fine_s, double birth_s, double span_s,
              double window_s, double tol_s)
{
  it->grid_s = min_s;
  it->min_s = min_s;
  it->fine_s = fine_s;
  it->birth_s = birth_s;
  it->span_s = span_s;
  it->window_s = window_s;
  it->tol_s = tol_s;
  it->birth = birth_s >= min_s && birth_s <= fmin (span_s, window_s);
  it->done = false;
}

static bool
lengths_next (lengths_t *it, double bucket_s, double *len_s)
{
  if (it->done)
    return false;
  if (it->birth && it->birth_s <= it->grid_s)
    {
      it->birth = false;
      *len_s = it->birth_s;
      return true;
    }
  *len_s = it->grid_s;
  it->grid_s *= it->grid_s < it->fine_s ? 1.0 + bucket_s / it->grid_s : 1.5;
  if (*len_s > it->span_s + it->tol_s || *len_s > it->window_s)
    {
      it->done = true;
      *len_s = fmin (it->span_s, it->window_s);
      return *len_s >= it->min_s - it->tol_s;
    }
  return true;
}

static void
leak_try (ms_detector_t *d, int32_t slot)
{
  pstate_t *st = &d->st[slot];
  const ms_detector_params_t *p = &d->p;
  const bucket_t *last = bk_newest (st);
  const bucket_t *oldest = &st->bk[st->bk_head];
  double end_s = st->base_s + (double) last->t_off;
  double from_s = st->base_s + (double) oldest->t_off;
  double span_s, tol_s = p->bucket_s * 0.5, birth_len_s, len_s;
  leak_fit_t best = { 0 }, fit;
  lengths_t lengths;
  bool found = false;

  if (st->bk_count < 4)
    return;
  if (st->rearm_s > from_s)
    from_s = st->rearm_s;
  span_s = end_s - from_s;
  if (span_s + tol_s < p->leak_min_duration_s)
    return;
  /* While the process is young (growth from birth has 6 min to be found), also the segment that
   * starts right at the warm-up age: the longest growth from birth that counts. */
  birth_len_s = end_s - st->first_s - p->leak_birth_s;
  if (birth_len_s > 3 * p->leak_birth_s)
    birth_len_s = -1;
  /* Cheap gate: most processes never get past it, so the segment tests below run only for the
   * few whose floor rose by a growth that matters at all. */
  {
    double f_first = floor_from (st, from_s);

    if ((double) last->min_kib - f_first < leak_threshold_kib (p, f_first))
      return;
  }
  /* Finer steps at first: a segment that starts just before a leak began fails the test of its
   * first third, so a short leak is found only once a segment fits it closely. */
  lengths_init (&lengths, p->leak_min_duration_s, 1.5 * p->leak_min_duration_s, birth_len_s,
                span_s, p->window_s, tol_s);
  while (lengths_next (&lengths, p->bucket_s, &len_s))
    if (leak_segment (d, st, len_s, &fit))
      {
        /* Start and duration from the longest passing segment; the rate from the shortest,
         * which holds the least of any flat time before the leak began. */
        if (found)
          fit.rate_kib_s = best.rate_kib_s;
        best = fit;
        found = true;
      }
  /* The floor path every third bucket (its bounds are minutes), and only when the floor of the
   * last window stands a growth that matters above the oldest floor. */
  if (!found && span_s + tol_s >= p->leak_floor_min_s + p->leak_floor_window_s
      && st->bk_total % 3 == 0
      && floor_from (st, end_s - p->leak_floor_window_s) - floor_from (st, from_s)
           >= leak_threshold_kib (p, floor_from (st, from_s)))
    {
      floor_series (d, st, end_s);
      lengths_init (&lengths, p->leak_floor_min_s + p->leak_floor_window_s, 0, birth_len_s,
                    span_s, p->window_s, tol_s);
      while (lengths_next (&lengths, p->bucket_s, &len_s))
        if (floor_segment (d, st, end_s, len_s, &fit))
          {
            best = fit;
            found = true;
          }
    }
  if (!found)
    return;

  st->leak_start_s = best.start_s;
  st->leak_rate_kib_s = best.rate_kib_s;
  st->leak_conf = best.conf;
  st->leak_high_kib = floor_from (st, end_s - p->leak_floor_window_s);
  st->leak_high_s = end_s;
  st->leak_base_kib = st->leak_high_kib;
  st->leak_base_s = end_s;
  st->leak_found_len_s = best.end_s - best.start_s;
  emit (d, slot, MS_TAG_LEAK, true, d->now_s, MS_CLEAR_UNKNOWN);
}

/* A leak is over when its floor (the minimum over the last leak_floor_window_s, below any
 * garbage collector's teeth) made no new high for leak_stall_s.  A fall of the floor (a runtime
 * handing pages back) does not end it: growth is then counted from the lower level. */
static void
leak_check (ms_detector_t *d, int32_t slot)
{
  pstate_t *st = &d->st[slot];
  const ms_detector_params_t *p = &d->p;
  const bucket_t *last = bk_newest (st);
  double end_s = st->base_s + (double) last->t_off;
  double floor_kib = floor_from (st, end_s - p->leak_floor_window_s);
  double step_kib = 0.05 * leak_threshold_kib (p, floor_kib);

  /* A hole in the samples (a suspended machine, a stalled sampler) is no stall of the floor:
   * the time nothing was watched does not count toward clearing the tag. */
  if (st->bk_count >= 2)
    {
      double prev_s = st->base_s + (double) bk_at (st, st->bk_total - 2)->t_off;
      double hole_s = end_s - prev_s - 2 * fmax (p->bucket_s, d->interval_est_s);

      if (hole_s > 0)
        {
          st->leak_high_s += hole_s;
          st->leak_watch_s = end_s;
        }
    }
  /* ... and until a floor window has been watched again, the few samples since it show no floor. */
  if (end_s - st->leak_watch_s < p->leak_floor_window_s)
    return;
  if (floor_kib > st->leak_high_kib + step_kib)
    {
      st->leak_high_kib = floor_kib;
      st->leak_high_s = end_s;
      /* The rate shown: the floor's rise since the tag (or since it last fell back), once that
       * spans two floor windows (the first one still holds the bend where the leak began). */
      if (end_s - st->leak_base_s >= 2 * p->leak_floor_window_s)
        st->leak_rate_kib_s = (floor_kib - st->leak_base_kib) / (end_s - st->leak_base_s);
      return;
    }
  if (floor_kib < st->leak_high_kib - 10 * step_kib)
    {
      st->leak_high_kib = floor_kib;
      st->leak_base_kib = floor_kib;
      st->leak_base_s = end_s;
    }
  /* A slow leak found over a long segment rises little against its floor's noise: it gets
   * half that segment's length to make a new high. */
  if (end_s - st->leak_high_s >= fmax (p->leak_stall_s, 0.5 * st->leak_found_len_s))
    {
      st->rearm_s = end_s;
      st->rearm_from_s = st->leak_high_s;
      emit (d, slot, MS_TAG_LEAK, false, d->now_s, MS_CLEAR_STOPPED);
    }
}

static void
bucket_close (ms_detector_t *d, int32_t slot)
{
  pstate_t *st = &d->st[slot];

  st->cur_open = false;
  if (bucket_push (st, st->cur_t_off, st->cur_min_kib, st->cur_max_kib) < 0)
    return;
  if (st->tags & MS_TAG_LEAK)
    leak_check (d, slot);
  /* A bucket cut short by a hole in the samples holds fewer of them than its neighbours, so its
   * minimum stands higher by chance (by about one and a half standard deviations of the noise
   * against ten samples): as the newest point of a segment it would make a flat process look as
   * if it still grew.  The first full bucket after the hole is judged instead. */
  else if (d->interval_est_s <= 0 || st->cur_n >= 0.5 * d->p.bucket_s / d->interval_est_s)
    leak_try (d, slot);
}

/* ---- SPIKE ---- */

static void
spike_sample (ms_detector_t *d, int32_t slot, double t_s, int32_t kib)
{
  pstate_t *st = &d->st[slot];
  const ms_detector_params_t *p = &d->p;
  double window_s = fmax (p->spike_window_s, 1.05 * d->interval_est_s);
  float t_off = (float) (t_s - st->base_s);
  float cut = (float) (t_s - window_s - st->base_s - 1e-3);

  st->spike_window_s = window_s;
  while (st->sq_count > 0 && st->sq[st->sq_head].t_off < cut)
    {
      st->sq_head = (st->sq_head + 1) % SPIKE_CAP;
      st->sq_count--;
    }
  if (st->sq_count > 0)
    {
      double ref = st->sq[st->sq_head].kib;
      double rise = fmax ((double) kib - ref, 0.0);
      double age_s = t_s - st->first_s;
      bool from_first = st->sq[st->sq_head].t_off <= 0;
      bool warm = age_s >= p->spike_warmup_s && st->n_samples >= 3 && !from_first;
      /* Until a process's usual variation is known from enough samples, only a jump of twice the
       * relative bar counts (a program that loads its data at start is not yet spiking). */
      bool young = age_s < p->spike_young_s || st->n_samples < 8;
      double thr = fmax (p->spike_min_kib, p->spike_min_rel * ref * (young ? 2 : 1));

      /* The usual variation, as the root mean square of the rise and as a slowly forgotten peak:
       * a mean-reverting process's rises have a long tail that a mean alone underrates. */
      thr = fmax (thr, p->spike_noise_k * sqrt (st->rise_ms_kib2));
      thr = fmax (thr, p->spike_peak_k * st->rise_peak_kib);
      if (warm && rise >= thr)
        {
          if (!(st->tags & MS_TAG_SPIKE))
            {
              st->spike_until_s = t_s + p->spike_hold_s;
              st->spike_ref_kib = ref;
              st->spike_jump_kib = rise;
              emit (d, slot, MS_TAG_SPIKE, true, t_s, MS_CLEAR_UNKNOWN);
            }
          else if (ref >= st->spike_ref_kib + 0.5 * st->spike_jump_kib)
            {
              /* A new jump from the level the last one reached (not the same jump seen again
               * while it is still inside the window) holds the tag longer. */
              st->spike_until_s = t_s + p->spike_hold_s;
              st->spike_ref_kib = ref;
              st->spike_jump_kib = rise;
            }
        }
      else if (!from_first)
        {
          /* A running mean at first, then an exponential one over about a minute, so the
           * usual variation is known after a few samples and follows slow changes.  Rises from
           * the very first sample (often caught while the process was still loading) are not
           * its usual variation, and neither are a young process's rises for the peak, which
           * is remembered for minutes. */
          double dt = t_s - st->last_s;
          double alpha;

          st->n_rises++;
          alpha = fmax (fmin (dt / 60.0, 1.0), 1.0 / (double) st->n_rises);
          st->rise_ms_kib2 += alpha * (rise * rise - st->rise_ms_kib2);
          /* Most processes are sampled at the common pace: reuse the tick's factor. */
          st->rise_peak_kib *= dt == d->tick_dt_s ? d->tick_peak_decay
                                                  : exp2 (-dt / p->spike_peak_half_s);
          if (!young && rise > st->rise_peak_kib)
            st->rise_peak_kib = rise;
        }
    }
  while (st->sq_count > 0
         && st->sq[(st->sq_head + st->sq_count - 1) % SPIKE_CAP].kib >= kib)
    st->sq_count--;
  if (st->sq_count == SPIKE_CAP)
    {
      st->sq_head = (st->sq_head + 1) % SPIKE_CAP;
      st->sq_count--;
    }
  st->sq[(st->sq_head + st->sq_count) % SPIKE_CAP] = (sample_t) { t_off, kib };
  st->sq_count++;

  if ((st->tags & MS_TAG_SPIKE) && t_s >= st->spike_until_s)
    emit (d, slot, MS_TAG_SPIKE, false, t_s, MS_CLEAR_STOPPED);
}

/* ---- feeding ---- */

static void
pstate_reset (ms_detector_t *d, pstate_t *st, double t_s)
{
  bucket_t *bk = st->bk;
  uint32_t *fq = st->fq;
  uint32_t bk_cap = st->bk_cap, fq_cap = st->fq_cap;
  double n = ceil (d->p.window_s / d->p.bucket_s) + 2;

  /* Keep the buffers of a reused slot: a new process in an old slot costs no allocation. */
  memset (st, 0, sizeof *st);
  st->bk = bk;
  st->fq = fq;
  st->bk_cap = bk_cap;
  st->fq_cap = fq_cap;
  st->bk_max = n > 1e6 ? 1000000u : (uint32_t) n;
  if (st->bk_cap > st->bk_max)
    st->bk_max = st->bk_cap;
  st->active = true;
  st->base_s = t_s;
  st->first_s = t_s;
  st->last_s = t_s;
  st->rearm_s = -INFINITY;
  st->rearm_from_s = -INFINITY;
  st->leak_watch_s = -INFINITY;
}

static void
history_change_cb (ms_history_t *h, int32_t slot, ms_history_change_t change, void *user)
{
  ms_detector_t *d = user;

  if ((size_t) slot >= d->st_cap)
    return;
  if (change == MS_HISTORY_EXITED)
    clear_all (d, slot, d->now_s, MS_CLEAR_EXITED);
  else
    pstate_release (&d->st[slot]);
}

static void
feed_one (ms_detector_t *d, int32_t slot, ms_proc_t *proc, double t_s)
{
  pstate_t *st = &d->st[slot];
  int64_t fp = ms_footprint_kib (proc->rss_kib, proc->swap_kib);
  int32_t kib = fp > INT32_MAX ? INT32_MAX : (int32_t) fp;
  int64_t bucket;

  if (proc->state == 'Z' && st->state != 'Z')
    st->zombie_since_s = t_s;
  st->state = proc->state;
  if (proc->state == 'Z')
    {
      /* A zombie has released its memory: whatever it was doing is over. */
      if (st->tags & MS_TAG_LEAK)
        {
          st->rearm_s = t_s;
          st->rearm_from_s = t_s;
          emit (d, slot, MS_TAG_LEAK, false, t_s, MS_CLEAR_EXITED);
        }
      if (st->tags & MS_TAG_SPIKE)
        emit (d, slot, MS_TAG_SPIKE, false, t_s, MS_CLEAR_EXITED);
      if (!(st->tags & MS_TAG_ZOMBIE) && t_s - st->zombie_since_s >= d->p.zombie_min_s)
        emit (d, slot, MS_TAG_ZOMBIE, true, t_s, MS_CLEAR_UNKNOWN);
      st->last_s = t_s;
      return;
    }
  if (st->tags & MS_TAG_ZOMBIE)
    emit (d, slot, MS_TAG_ZOMBIE, false, t_s, MS_CLEAR_STOPPED);

  spike_sample (d, slot, t_s, kib);

  bucket = (int64_t) floor (t_s / d->p.bucket_s);
  if (st->cur_open && bucket != st->cur_index)
    bucket_close (d, slot);
  if (!st->cur_open)
    {
      st->cur_open = true;
      st->cur_n = 0;
      st->cur_index = bucket;
      st->cur_t_off = (float) (t_s - st->base_s);
      st->cur_min_kib = kib;
      st->cur_max_kib = kib;
    }
  else
    {
      if (kib < st->cur_min_kib)
        {
          st->cur_min_kib = kib;
          st->cur_t_off = (float) (t_s - st->base_s);
        }
      if (kib > st->cur_max_kib)
        st->cur_max_kib = kib;
    }
  st->cur_n++;
  st->n_samples++;
  st->last_s = t_s;
}

void
ms_detector_feed (ms_detector_t *d, ms_snapshot_t *snap, ms_event_fn fn, void *user)
{
  double t_s = snap->time_s;

  if (!isfinite (t_s) || (d->fed && t_s <= d->last_feed_s))
    return;
  if (d->fed)
    {
      double dt = t_s - d->last_feed_s;

      /* Gaps do not move the estimate; a lasting change of pace does after three samples. */
      if (d->interval_est_s <= 0 || dt <= 2.0 * d->interval_est_s)
        {
          d->interval_est_s = d->interval_est_s <= 0 ? dt : 0.8 * d->interval_est_s + 0.2 * dt;
          d->slow_count = 0;
        }
      else if (++d->slow_count >= 3)
        {
          d->interval_est_s = dt;
          d->slow_count = 0;
        }
    }
  d->tick_dt_s = d->fed ? t_s - d->last_feed_s : 0;
  d->tick_peak_decay = exp2 (-d->tick_dt_s / d->p.spike_peak_half_s);
  d->fed = true;
  d->last_feed_s = t_s;
  d->now_s = t_s;
  d->fn = fn;
  d->user = user;
  d->mem_available_kib = snap->mem.mem_available_kib > 0 ? (double) snap->mem.mem_available_kib
                                                         : -1;

  for (size_t i = 0; i < snap->n_procs; i++)
    {
      ms_proc_t *proc = &snap->procs[i];
      bool is_new;
      int32_t slot;

      proc->tags = 0;
      /* pid 0 is a trace's machine row, not a process. */
      if (proc->kernel_thread || proc->pid <= 0)
        continue;
      slot = ms_history_add (d->hist, t_s, proc->pid, proc->starttime, proc->comm,
                             proc->rss_kib, proc->swap_kib, proc->pss_kib, &is_new);
      if (slot < 0)
        continue;
      if ((size_t) slot >= d->st_cap
          && ms_grow ((void **) &d->st, &d->st_cap, (size_t) slot + 1, sizeof *d->st) < 0)
        continue;
      if (is_new || !d->st[slot].active)
        pstate_reset (d, &d->st[slot], t_s);
      if (t_s > d->st[slot].last_s || d->st[slot].n_samples == 0)
        feed_one (d, slot, proc, t_s);
      proc->tags = d->st[slot].tags;
    }
  ms_history_end_tick (d->hist, t_s, history_change_cb, d);
  d->fn = NULL;
  d->user = NULL;
}

void
ms_detector_clear_tags (ms_detector_t *d, double time_s, ms_event_fn fn, void *user)
{
  d->fn = fn;
  d->user = user;
  for (size_t slot = 0; slot < d->st_cap; slot++)
    if (d->st[slot].active && d->st[slot].tags != 0)
      clear_all (d, (int32_t) slot, time_s, MS_CLEAR_RESET);
  d->fn = NULL;
  d->user = NULL;
}

/* ---- queries ---- */

static const pstate_t *
find_state (const ms_detector_t *d, int32_t pid, uint64_t starttime)
{
  int32_t slot = ms_history_find (d->hist, pid, starttime);

  if (slot < 0 || (size_t) slot >= d->st_cap || !d->st[slot].active)
    return NULL;
  return &d->st[slot];
}

uint32_t
ms_detector_tags (const ms_detector_t *d, int32_t pid, uint64_t starttime)
{
  const pstate_t *st = find_state (d, pid, starttime);

  return st != NULL ? st->tags : 0;
}

bool
ms_detector_leak_info (const ms_detector_t *d, int32_t pid, uint64_t starttime, ms_event_t *out)
{
  int32_t slot = ms_history_find (d->hist, pid, starttime);
  const pstate_t *st;

  if (slot < 0 || (size_t) slot >= d->st_cap || !d->st[slot].active)
    return false;
  st = &d->st[slot];
  if (!(st->tags & MS_TAG_LEAK))
    return false;
  if (out != NULL)
    {
      event_init (out, d, slot, MS_TAG_LEAK, true, d->last_feed_s);
      leak_fill (d, st, d->last_feed_s, out);
    }
  return true;
}

ms_duration_form_t
ms_duration_split (double seconds, long *major, long *minor)
{
  double s = seconds < 0 ? 0 : seconds;

  *major = 0;
  *minor = 0;
  if (!isfinite (s))
    return MS_DURATION_FOREVER;
  if (s < 59.5)
    {
      /* Rounded as printf's "%.0f" rounds. */
      *major = (long) nearbyint (s);
      return MS_DURATION_SECONDS;
    }
  if (s < 3599.5)
    {
      /* Whole seconds first, so 59.7 s reads "1 min", never "0 min 59 s". */
      long r = lround (s);

      *major = r / 60;
      if (r < 600 && r % 60 != 0)
        {
          *minor = r % 60;
          return MS_DURATION_MINUTES_SECONDS;
        }
      return MS_DURATION_MINUTES;
    }
  if (s < 86400)
    {
      long m = (long) (s / 60);

      *major = m / 60;
      *minor = m % 60;
      return MS_DURATION_HOURS_MINUTES;
    }
  {
    /* Beyond a long: a number of days no one reads anyway. */
    long hours = (long) fmin (s / 3600, 1e15);

    *major = hours / 24;
    *minor = hours % 24;
  }
  return MS_DURATION_DAYS_HOURS;
}

void
ms_format_duration (double seconds, char *buf, size_t len)
{
  long major, minor;

  if (len == 0)
    return;
  switch (ms_duration_split (seconds, &major, &minor))
    {
    case MS_DURATION_SECONDS:
      snprintf (buf, len, "%ld s", major);
      break;
    case MS_DURATION_MINUTES_SECONDS:
      snprintf (buf, len, "%ld min %ld s", major, minor);
      break;
    case MS_DURATION_MINUTES:
      snprintf (buf, len, "%ld min", major);
      break;
    case MS_DURATION_HOURS_MINUTES:
      snprintf (buf, len, "%ld h %ld min", major, minor);
      break;
    case MS_DURATION_DAYS_HOURS:
      snprintf (buf, len, "%ld d %ld h", major, minor);
      break;
    case MS_DURATION_FOREVER:
    default:
      snprintf (buf, len, "a long time");
      break;
    }
}

static void
format_rate (double kib_s, char *buf, size_t len)
{
  if (kib_s >= 1024 * 1024)
    snprintf (buf, len, "%.1f GiB/s", kib_s / (1024 * 1024));
  else if (kib_s >= 1024)
    snprintf (buf, len, "%.1f MiB/s", kib_s / 1024);
  else
    snprintf (buf, len, "%.0f KiB/s", kib_s);
}

static void
format_size (double kib, char *buf, size_t len)
{
  if (kib >= 1024 * 1024)
    snprintf (buf, len, "%.1f GiB", kib / (1024 * 1024));
  else if (kib >= 1024)
    snprintf (buf, len, "%.1f MiB", kib / 1024);
  else
    snprintf (buf, len, "%.0f KiB", kib);
}

static void
append (char *buf, size_t len, size_t *used, const char *text)
{
  size_t n = strlen (text);

  if (len == 0 || *used >= len - 1)
    return;
  if (n > len - 1 - *used)
    n = len - 1 - *used;
  memcpy (buf + *used, text, n);
  *used += n;
  buf[*used] = '\0';
}

bool
ms_detector_facts (const ms_detector_t *d, int32_t pid, uint64_t starttime, ms_tag_facts_t *out)
{
  const pstate_t *st = find_state (d, pid, starttime);

  memset (out, 0, sizeof *out);
  out->leak_rate_kib_s = NAN;
  out->leak_duration_s = NAN;
  out->leak_confidence = NAN;
  out->leak_exhaust_s = NAN;
  out->spike_jump_kib = NAN;
  out->spike_window_s = NAN;
  out->spike_from_kib = NAN;
  if (st == NULL || st->tags == 0)
    return false;
  out->tags = st->tags;
  if (st->tags & MS_TAG_LEAK)
    {
      ms_event_t ev;

      /* The same figures a LEAK event carries. */
      memset (&ev, 0, sizeof ev);
      leak_fill (d, st, d->last_feed_s, &ev);
      out->leak_rate_kib_s = ev.rate_kib_s;
      out->leak_duration_s = ev.duration_s;
      out->leak_confidence = ev.confidence;
      out->leak_exhaust_s = ev.exhaust_s;
    }
  if (st->tags & MS_TAG_SPIKE)
    {
      out->spike_jump_kib = st->spike_jump_kib;
      out->spike_window_s = st->spike_window_s;
      out->spike_from_kib = st->spike_ref_kib;
    }
  return true;
}

void
ms_tag_facts_find_parent (ms_tag_facts_t *f, const ms_snapshot_t *snap, const ms_proc_t *proc)
{
  f->zombie_ppid = 0;
  f->zombie_parent[0] = '\0';
  if (!(f->tags & MS_TAG_ZOMBIE) || proc->ppid <= 0)
    return;
  f->zombie_ppid = proc->ppid;
  /* Zombies are few, so a scan costs less than keeping an index of every tick. */
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];

      if (p->pid == proc->ppid)
        {
          snprintf (f->zombie_parent, sizeof f->zombie_parent, "%s",
                    p->name[0] != '\0' ? p->name : p->comm);
          return;
        }
    }
}

size_t
ms_tag_facts_explain (const ms_tag_facts_t *f, char *buf, size_t len)
{
  size_t used = 0;
  char part[320], a[48], b[48], c[48];

  if (len > 0)
    buf[0] = '\0';
  if (f == NULL || f->tags == 0)
    return 0;
  if (f->tags & MS_TAG_LEAK)
    {
      format_rate (f->leak_rate_kib_s, a, sizeof a);
      ms_format_duration (f->leak_duration_s, b, sizeof b);
      snprintf (part, sizeof part, "Growing %s for %s, floor rising", a, b);
      append (buf, len, &used, part);
      if (isfinite (f->leak_exhaust_s))
        {
          ms_format_duration (f->leak_exhaust_s, a, sizeof a);
          snprintf (part, sizeof part, "; available memory runs out in %s at this rate", a);
          append (buf, len, &used, part);
        }
    }
  if (f->tags & MS_TAG_SPIKE)
    {
      format_size (f->spike_jump_kib, a, sizeof a);
      if (isfinite (f->spike_from_kib) && isfinite (f->spike_jump_kib))
        {
          format_size (f->spike_from_kib, b, sizeof b);
          format_size (f->spike_from_kib + f->spike_jump_kib, c, sizeof c);
          snprintf (part, sizeof part, "%s by %s within %.0f s (from %s to %s)",
                    used ? "; jumped" : "Jumped", a, f->spike_window_s, b, c);
        }
      else
        snprintf (part, sizeof part, "%s by %s within %.0f s", used ? "; jumped" : "Jumped", a,
                  f->spike_window_s);
      append (buf, len, &used, part);
    }
  if (f->tags & MS_TAG_ZOMBIE)
    {
      append (buf, len, &used, used ? "; zombie: exited, not yet reaped by its parent"
                                     : "Zombie: exited, not yet reaped by its parent");
      if (f->zombie_ppid > 0 && f->zombie_parent[0] != '\0')
        snprintf (part, sizeof part, " (%s, pid %d)", f->zombie_parent, (int) f->zombie_ppid);
      else if (f->zombie_ppid > 0)
        snprintf (part, sizeof part, " (pid %d)", (int) f->zombie_ppid);
      else
        part[0] = '\0';
      append (buf, len, &used, part);
    }
  return used;
}

size_t
ms_detector_explain (const ms_detector_t *d, int32_t pid, uint64_t starttime, char *buf,
                     size_t len)
{
  ms_tag_facts_t facts;

  ms_detector_facts (d, pid, starttime, &facts);
  return ms_tag_facts_explain (&facts, buf, len);
}
