/* SPDX-License-Identifier: MIT */
/* LEAK / SPIKE / ZOMBIE tags from each process's footprint history, with hysteresis and events. */
#pragma once

#include "history.h"
#include "ms-types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ms_detector ms_detector_t;

/* Every tuning value in one place.  ms_detector_params_init fills them from one sensitivity knob
 * (0 = cautious, 1 = eager, 0.5 = the defaults written below; with k = 2 at 0, 1 at 0.5 and 0.5
 * at 1, growth and spike sizes scale by k and durations and statistical bars by sqrt (k)); a
 * caller may then adjust any field.
 *
 * How LEAK is judged.  Samples are gathered into buckets of bucket_s and each bucket keeps its
 * minimum footprint (rss + swap, so a leak the kernel swaps out still counts), so jitter and
 * garbage-collector peaks drop out and what remains is the floor.  Over the last window_s the
 * detector keeps the lower envelope F(t) = min footprint over [t, now], a non-decreasing
 * staircase updated in O(1) per bucket.  A segment of length L ending now (L =
 * leak_min_duration_s, then bucket_s steps up to 1.5 x that, then x1.5 steps up to the window;
 * in a process younger than 4 x leak_birth_s also the segment that starts at leak_birth_s of age)
 * is a leak when all of these hold:
 *   - growth that matters: G = F(now) - F(now - L) >= max(leak_min_growth_kib,
 *     leak_min_growth_rel x footprint);
 *   - sustained: each third of the segment carries at least leak_part_min_frac of an even share
 *     of G (not one jump), and each third was watched (holds at least half the buckets it
 *     could: no growth is inferred across a hole in the samples);
 *   - not levelling off: the last third grew at least leak_decel_ratio x the larger earlier one
 *     (a cache warming up toward a plateau fails here), and the least-squares parabola through
 *     the bucket minima does not both bend down (t statistic of its curvature below -2) and end
 *     rising at less than half the segment's mean rate (the tail of a warm-up in noise);
 *   - significant: the least-squares slope of the bucket minima has a t statistic of at least
 *     leak_min_t after an effective-sample-size correction for the lag-1 autocorrelation of the
 *     residuals, and G is at least leak_min_snr times their standard deviation; the snr bar is
 *     raised up to 4x while the process's past before the segment covers less than 4 L (a young
 *     process's wander cannot be told from a leak by a short look), or less than 2 x
 *     leak_birth_s once the floor has been rising for 2 x leak_onset_min_s (longer than a cache
 *     fills), and not at all for growth from birth that goes on at least leak_birth_rate_frac x
 *     as fast as before the segment (a warm-up slows down); with no past at all, growth
 *     below leak_young_rel of the size needs a segment of 2 x leak_min_duration_s (the first
 *     ramp of a garbage collector's sawtooth has not dropped back yet);
 *   - new ground: the floor now exceeds the highest footprint of the max(L, leak_prior_s) before
 *     the segment by leak_prior_margin x that span's range (a sawtooth returning to its floor, or
 *     a process wandering around a level, fails here);
 *   - onset: the floor passed base + leak_onset_frac x G at least leak_onset_min_s ago, and over
 *     the last max(2 buckets, L/6) it still rose leak_recent_frac x as fast as since then (a
 *     cache that filled for less than that, then stopped, fails here);
 *   - two clocks: after a steady stretch (at least leak_steady_s of past that grew at most a
 *     quarter as fast) the segment is judged at once; otherwise (growth from birth, or from when
 *     memscope first saw the process) only segments starting at an age of leak_birth_s count,
 *     and while the past is that rising warm-up (up to twice that age) it sets no range margin.
 * A second path judges garbage-collected runtimes, whose teeth are much taller than what the
 * floor gains between them: the same tests on the minimum over leak_floor_window_s from each
 * bucket, over segments of at least leak_floor_min_s plus that window, run every third bucket;
 * there the snr bar is not raised when the floor held within a range for at least two floor
 * windows before the segment and now stands leak_flat_past_k x that range above it (the level
 * of a runtime before its leak began: a wandering floor has a range as wide as its rise), and
 * the growth must exceed how far sampling lets the floor seen wander under the teeth (their
 * height times interval / period, the period counted from the teeth's falls).  Growth that
 * clears that wander twice is forgiven it where the wander is no noise: each third may show up
 * to the wander less than its share (when the wander is at least twice a third's share), and the
 * scatter around the line is judged without the part an even spread over the wander explains
 * (at most two thirds of it), against the growth beyond the wander.
 * The longest passing segment gives the duration and confidence (0.5 at the bars, toward 1
 * beyond them), the shortest the rate.  Once set, LEAK holds while the floor (minimum over the
 * last leak_floor_window_s) makes new highs; it is cleared when it made none for
 * max(leak_stall_s, half the segment that set it).  A fall of the floor (a runtime handing pages
 * back) does not clear it: growth is counted from the lower level.  A new LEAK after a clear needs
 * a segment that starts after it and is compared only with the past since the floor stalled.  A
 * hole in the samples is no stall: the time unwatched, and the floor window after it, do not
 * count toward clearing.  Nor is it growth: a bucket cut short by a hole (fewer than half the
 * samples it could hold, so its minimum stands high) is not judged as a segment's end, and a
 * floor window holding less than half the buckets it could shows no floor.
 *
 * Limits, by construction: growth from birth that levels off within leak_birth_s (2 min) is never
 * a leak, and a warm-up longer than that cannot be told from a leak that started at birth; a
 * cache filling for longer than leak_onset_min_s after a steady stretch looks like a leak until
 * it stops; a sawtooth whose floor rises by much less than its height per window is found late
 * or not at all.  Sampled every few seconds, garbage-collector teeth alias: a tooth of period P
 * and height A is seen at its trough only to within A x interval / P, and which sample comes
 * nearest drifts with a beat of minutes, so the floor seen wanders by up to that much (every
 * 5 s, teeth of 20-45 s: a fifth to a ninth of a tooth, tens of MiB in a large process).  A
 * floor rising 0.2-0.4 MiB/s under such teeth rises in steps of one beat; it is found once its
 * growth is twice that wander (a 1.2 GiB process with teeth of 235 MiB every 24.5 s, sampled every
 * 5 s: a wander of 48 MiB, so about 96 MiB of growth; at 0.36 MiB/s it was found after 3.5 min,
 * and a floor rising slower than twice the wander per 5 min cannot be found by that bound); at
 * 1 s the wander is a fifth of that.  A sawtooth with no leak whose beat is slow makes the floor seen climb for
 * minutes, so a floor path segment must rise by more than that wander.  A runtime whose heap
 * grows for minutes after its working set grew (a cache that filled, then churns: garbage piles
 * up until the first full collection) looks like a leak until the floor stops.  Times are kept as float offsets from a process's first sample, so
 * after months of life they blur to about a second.
 *
 * How SPIKE is judged: the rise of the footprint above its minimum over the previous
 * spike_window_s must reach spike_min_kib, spike_min_rel of that minimum, spike_noise_k x the
 * root mean square of the process's usual rise and spike_peak_k x its largest recent usual rise.
 * Nothing spikes before spike_warmup_s, or from a process's first sample (often caught while it
 * was still loading); until spike_young_s the relative bar counts twice.  SPIKE holds for
 * spike_hold_s after the jump (a further jump from the new level extends it).  ZOMBIE is state Z
 * seen for at least zombie_min_s (every exit passes through Z until the parent reaps it), cleared
 * at once when the state changes or the process is gone (a zombie's LEAK and SPIKE are cleared). */
typedef struct
{
  double sensitivity; /* 0..1 as given to init */

  /* LEAK */
  double bucket_s;             /* 2.5: width of the min-buckets (a LEAK waits up to one more) */
  double window_s;             /* 1200: longest segment considered (20 min) */
  double leak_min_duration_s;  /* 50: shortest segment that can be a leak */
  double leak_min_growth_kib;  /* 8192 (8 MiB): growth that matters in absolute terms */
  double leak_min_growth_rel;  /* 0.01: ... and relative to the process's footprint */
  double leak_part_min_frac;   /* 0.3: every third carries >= this share of even growth */
  double leak_decel_ratio;     /* 0.6: last third's growth / the larger earlier third's */
  double leak_min_t;           /* 6: t statistic of the fitted slope */
  double leak_min_snr;         /* 6: growth / standard deviation of the minima around the line */
  double leak_prior_margin;    /* 0.75: floor above the earlier span's max, by this x its range */
  double leak_prior_s;         /* 1200: the earlier span looks back at least this far */
  double leak_young_rel;       /* 0.5: with no past at all, growth below this x size waits 2 L */
  double leak_steady_s;        /* 25: a past this long with a flat floor is a steady stretch */
  double leak_birth_s;         /* 120: growth from birth counts only after this age */
  double leak_birth_rate_frac; /* 0.5: ... and needs no extra evidence when at least this x as
                                * fast as the growth before that */
  double leak_onset_frac;      /* 0.1: growth counts from when the floor passed base + this x G */
  double leak_onset_min_s;     /* 45: ... which must be at least this long ago */
  double leak_recent_frac;     /* 0.75: the last max(2 buckets, L/6) grew this x the mean rate */
  double leak_floor_window_s;  /* 60: floor = minimum over this (longer than GC teeth) */
  double leak_floor_min_s;     /* 120: shortest segment judged on that floor */
  double leak_stall_s;         /* 150: LEAK clears when the floor made no new high this long */
  double leak_flat_past_k;     /* 4: a floor this x its earlier range above it: a level past */

  /* SPIKE: footprint now minus the minimum of the previous spike_window_s */
  double spike_window_s;   /* 5 (widened to 1.05 x the sample interval when sampling is slower) */
  double spike_min_kib;    /* 32768 (32 MiB) */
  double spike_min_rel;    /* 0.25 of the footprint before the jump */
  double spike_noise_k;    /* 8: times the root mean square of the process's usual rise */
  double spike_peak_k;     /* 1.5: times the largest recent usual rise ... */
  double spike_peak_half_s; /* 300: ... which is forgotten with this half-life */
  double spike_warmup_s;   /* 4: a process must be watched this long (and 3 samples) first */
  double spike_young_s;    /* 20: until this age (and 8 samples) spike_min_rel counts twice */
  double spike_hold_s;     /* 30: SPIKE stays set this long after the last jump */
  double zombie_min_s;     /* 2: state Z must last this long (a normal exit passes through Z) */
} ms_detector_params_t;

void ms_detector_params_init (ms_detector_params_t *p, double sensitivity);

/* NULL when memory is short.  p may be NULL for the defaults.  The _full variant also sizes the
 * history the detector keeps (hp NULL for ms_history_params_init's defaults). */
ms_detector_t *ms_detector_new (const ms_detector_params_t *p);
ms_detector_t *ms_detector_new_full (const ms_detector_params_t *p, const ms_history_params_t *hp);
void ms_detector_free (ms_detector_t *d);

typedef void (*ms_event_fn) (const ms_event_t *event, void *user);

/* Feeds one sample of every process (a live snapshot or one read from a trace; only pid, starttime,
 * comm, state, rss_kib, swap_kib, pss_kib, kernel_thread of procs[] and snap->time_s and
 * snap->mem.mem_available_kib are relied on; mem_available_kib <= 0 means unknown, and then
 * exhaust_s is NAN).  Sets procs[i].tags.  A process missing from the snapshot has exited: its
 * set tags are cleared (clear events at this snapshot's time) and its history is kept briefly,
 * then freed.  Kernel threads (and pid <= 0, a trace's machine row) are never tagged and get no
 * history.  A snapshot not newer than the previous one is ignored.  fn may be NULL. */
void ms_detector_feed (ms_detector_t *d, ms_snapshot_t *snap, ms_event_fn fn, void *user);

/* Clears every tag the detector has set, with a clear event each at `time_s`, before the
 * detector is freed and replaced (new parameters): whoever logs tag changes from its events
 * then sees each tag end, not one that lasts forever. */
void ms_detector_clear_tags (ms_detector_t *d, double time_s, ms_event_fn fn, void *user);

/* The numbers behind the current tags of one process at the last fed snapshot: explanations are
 * made from these (ms_tag_facts_explain in English, as the command line speaks; the app in the
 * user's language).  A field that does not apply to the tags set is NAN. */
typedef struct
{
  uint32_t tags;          /* ms_tag_t bits */
  /* LEAK: the floor (minimum footprint over the detector's buckets) is rising. */
  double leak_rate_kib_s; /* fitted growth rate */
  double leak_duration_s; /* how long the growth has been seen */
  double leak_confidence; /* 0.5 at the detector's bars, toward 1 beyond them */
  double leak_exhaust_s;  /* until MemAvailable runs out at this rate; NAN when unknown */
  /* SPIKE: the footprint's rise within a short window, which is not the Delta column (growth
   * since the baseline: first sight or the last reset). */
  double spike_jump_kib;  /* rise above the minimum of the window before it ... */
  double spike_window_s;  /* ... which lasted this long */
  double spike_from_kib;  /* that minimum: the footprint jumped from here to here + jump */
  /* ZOMBIE: state Z, not yet reaped by its parent, which ms_tag_facts_find_parent names. */
  int32_t zombie_ppid;               /* 0 when not known */
  char zombie_parent[MS_NAME_MAX];   /* the parent's name; empty when it is not in the snapshot */
} ms_tag_facts_t;

/* Names a zombie's parent in *f from the snapshot the facts are of (proc is the zombie's entry);
 * nothing for a process that is not a zombie. */
void ms_tag_facts_find_parent (ms_tag_facts_t *f, const ms_snapshot_t *snap, const ms_proc_t *proc);

/* Fills *out for one process; false (and out->tags 0) when it is unknown or untagged. */
bool ms_detector_facts (const ms_detector_t *d, int32_t pid, uint64_t starttime,
                        ms_tag_facts_t *out);

/* English explanation of facts, e.g. "Growing 8.1 MiB/s for 45 s, floor rising; available memory
 * runs out in 2 h 10 min at this rate"; returns 0 (and "") when no tag is set, else the length it
 * wrote (truncated to len - 1). */
size_t ms_tag_facts_explain (const ms_tag_facts_t *facts, char *buf, size_t len);

/* ms_tag_facts_explain of ms_detector_facts: the English explanation of one process's tags. */
size_t ms_detector_explain (const ms_detector_t *d, int32_t pid, uint64_t starttime, char *buf,
                            size_t len);

/* The current LEAK state of one process as an event-shaped struct (rate, duration, confidence,
 * exhaust_s at the last fed snapshot); false when not leaking. */
bool ms_detector_leak_info (const ms_detector_t *d, int32_t pid, uint64_t starttime,
                            ms_event_t *out);

/* Current ms_tag_t bits of one process (0 when unknown). */
uint32_t ms_detector_tags (const ms_detector_t *d, int32_t pid, uint64_t starttime);

const ms_history_t *ms_detector_history (const ms_detector_t *d);

/* Bytes the detector's own per-process state holds (the history's are separate). */
size_t ms_detector_memory_bytes (const ms_detector_t *d);

/* How a duration is said: which units, and their whole amounts (rounded the same way for every
 * language). */
typedef enum
{
  MS_DURATION_SECONDS,         /* "45 s" (below 59.5 s) */
  MS_DURATION_MINUTES_SECONDS, /* "4 min 5 s" (below 10 min, when the seconds are not 0) */
  MS_DURATION_MINUTES,         /* "12 min" */
  MS_DURATION_HOURS_MINUTES,   /* "2 h 10 min" */
  MS_DURATION_DAYS_HOURS,      /* "3 d 4 h" */
  MS_DURATION_FOREVER,         /* not finite: "a long time" */
} ms_duration_form_t;

/* Splits seconds (negative counts as 0) into the form's larger and smaller amounts (the smaller
 * is 0 for the one-unit forms). */
ms_duration_form_t ms_duration_split (double seconds, long *major, long *minor);

/* Writes "45 s", "4 min 5 s", "12 min", "2 h 10 min", "3 d 4 h" (used in explanations). */
void ms_format_duration (double seconds, char *buf, size_t len);
