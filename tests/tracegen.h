/* SPDX-License-Identifier: MIT */
/* Deterministic generator of labelled synthetic memory traces for the detector's tests. */
#pragma once

#include "ms-types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum
{
  MS_TG_FLAT,            /* steady size, small noise */
  MS_TG_JITTER,          /* heavy mean-reverting (Ornstein-Uhlenbeck) wander */
  MS_TG_LINEAR_LEAK,     /* constant growth from start_s */
  MS_TG_STAIRCASE_LEAK,  /* a step of rate x period every period from start_s */
  MS_TG_SAWTOOTH,        /* garbage-collector ramp of amplitude, back to the same floor */
  MS_TG_SAWTOOTH_LEAK,   /* the same, with the floor rising at rate from start_s */
  MS_TG_WARMUP,          /* cache filling toward +amplitude with time constant period */
  MS_TG_JUMP,            /* one jump of amplitude at start_s, then flat */
  MS_TG_TRANSIENT_SPIKE, /* a jump of amplitude at start_s held for hold_s, then back */
  MS_TG_SWAP_LEAK,       /* RSS flat, swap grows at rate from start_s */
  MS_TG_SWAP_OUT,        /* pages move to swap at rate (up to amplitude), footprint flat */
  MS_TG_PID_REUSE,       /* the pid exits at start_s and comes back as a process of amplitude */
  MS_TG_ZOMBIE,          /* state Z (and no memory) from start_s */
  MS_TG_GC_LEAK,         /* garbage-collector teeth of amplitude (10-30 %), floor rising at rate */
  MS_TG_STAIR_DROP_LEAK, /* staircase whose runtime hands drop_frac of it back every drop_every_s */
  MS_TG_SLOW_LEAK,       /* 64-256 KiB/s in a short trace */
  MS_TG_CACHE_FILL,      /* steady until start_s, then filling linearly to +amplitude in period_s */
  MS_TG_BIRTH_WARMUP,    /* grows from birth by amplitude over period_s (<= 2 min), then flat */
  MS_TG_N_PATTERNS
} ms_tg_pattern_t;

typedef struct
{
  ms_tg_pattern_t pattern;
  uint64_t seed;
  double interval_s;
  double duration_s;
  double size_kib;      /* footprint at the start */
  double noise_rel;     /* standard deviation of per-sample noise, relative to size */
  double rate_kib_s;    /* leak rate, or the swap-out rate */
  double start_s;       /* when the leak, jump, exit or zombie begins */
  double period_s;      /* sawtooth / staircase period, jitter and warm-up time constant */
  double amplitude_kib; /* sawtooth height, warm-up plateau, jump size, jitter sigma, new size */
  double hold_s;        /* how long a transient spike lasts */
  double teeth_kib;     /* garbage-collector teeth on top of a warm-up or staircase */
  double drop_every_s;  /* stair-drop: how often the runtime returns pages */
  double drop_frac;     /* ... and which share of the growth so far it returns */
  double gap_from_s;    /* no samples in [gap_from_s, gap_from_s + gap_len_s) */
  double gap_len_s;
} ms_tg_spec_t;

/* What a correct detector should say about a trace. */
typedef struct
{
  bool leak;              /* a leak is present from leak_from_s */
  double leak_from_s;
  double leak_growth_kib; /* how much it grew during the trace */
  bool leak_eligible;     /* grew at least max(16 MiB, 2 % of the process): counts for recall */
  bool spike;             /* a SPIKE is expected at spike_at_s (first sample showing the jump) */
  double spike_at_s;
  bool spike_forbidden;   /* any SPIKE is a false alarm */
  bool zombie;
  double zombie_at_s;
} ms_tg_label_t;

const char *ms_tg_pattern_name (ms_tg_pattern_t pattern);

/* Fills a spec with neutral values (1 s, 600 s, 200 MiB, little noise). */
void ms_tg_spec_init (ms_tg_spec_t *spec, ms_tg_pattern_t pattern, uint64_t seed);

void ms_tg_label (const ms_tg_spec_t *spec, ms_tg_label_t *label);

/* One generated process, stepped through increasing times. */
typedef struct
{
  ms_tg_spec_t spec;
  uint64_t rng;
  int32_t pid;
  double ou_kib;
  double last_t_s;
  bool started;
} ms_tg_proc_t;

void ms_tg_proc_init (ms_tg_proc_t *g, const ms_tg_spec_t *spec, int32_t pid);

/* Fills pid, starttime, comm, state, rss_kib, swap_kib, pss_kib (unknown), footprint_kib at t_s. */
void ms_tg_proc_sample (ms_tg_proc_t *g, double t_s, ms_proc_t *proc);

/* True when the spec samples at t_s (false inside its gap). */
bool ms_tg_sampled (const ms_tg_spec_t *spec, double t_s);

/* Runs a one-process trace: fn gets every snapshot (mem_available_kib 8 GiB), in time order. */
typedef void (*ms_tg_snapshot_fn) (ms_snapshot_t *snap, void *user);
void ms_tg_run (const ms_tg_spec_t *spec, ms_tg_snapshot_fn fn, void *user);

/* A machine for blame, drawn from a seed and sampled every second for duration_s: long-lived
 * processes that grow, shrink or stay, some of which exit partway, a script that starts a
 * short-lived `sleep` every two seconds, and memory that no process holds (page cache, tmpfs)
 * rising or falling.  Every snapshot has machine totals; fn gets them in time order. */
void ms_tg_run_machine (uint64_t seed, double duration_s, ms_tg_snapshot_fn fn, void *user);

/* The labelled set the detector test measures: fills up to max specs, returns how many the set has
 * (call with out NULL to count). */
size_t ms_tg_standard_set (ms_tg_spec_t *out, size_t max);

/* The same shapes drawn from other seeds (the standard set is first_seed 1), to check that the
 * detector was not fitted to one draw. */
size_t ms_tg_seeded_set (uint64_t first_seed, ms_tg_spec_t *out, size_t max);

/* The two shapes of the live check: leak-sim growing 8 MiB/s from 200 MiB after 30 s steady, and
 * a steady 200 MiB one, sampled every second. */
void ms_tg_spec_live_leak (ms_tg_spec_t *spec);
void ms_tg_spec_live_steady (ms_tg_spec_t *spec);
