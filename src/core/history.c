/* SPDX-License-Identifier: MIT */
/* Per-process memory history: two bounded tiers of compact points, kept briefly after exit. */
#include "config.h"

#include "history.h"

#include "alloc.h"
#include "ms-types.h"

#include <math.h>
#include <string.h>

/* 16 bytes: a float time offset from the entry's first sample keeps millisecond precision for
 * days and 0.1 s for months, far finer than the tiers' buckets; KiB in int32 covers 2 TiB. */
typedef struct
{
  float t_off;
  int32_t rss_kib;
  int32_t swap_kib;
  int32_t pss_kib;
} point_t;

/* Grows by doubling until max_cap, then wraps; points older than the tier's span drop out. */
typedef struct
{
  point_t *pts;
  uint32_t cap, max_cap, head, count;
  int64_t last_bucket;
} ring_t;

typedef struct
{
  bool used;
  bool exited;
  int32_t pid;
  uint64_t starttime;
  double base_s;
  double last_s;
  double exit_s;
  uint64_t last_tick;
  int32_t next_free;
  ring_t tiers[2]; /* short, long */
  char comm[MS_COMM_MAX];
} entry_t;

struct ms_history
{
  ms_history_params_t p;
  double res_s[2];
  entry_t *entries;
  size_t entries_cap;
  size_t n_used;
  size_t n_slots; /* slots ever handed out: entries[0..n_slots) */
  int32_t free_head;
  int32_t *table; /* open addressing, linear probing, -1 empty */
  size_t table_cap;
  uint64_t tick;
};

#define RING_FIRST_CAP 8

void
ms_history_params_init (ms_history_params_t *p)
{
  p->short_res_s = 1.0;
  p->short_span_s = 300.0;
  p->long_res_s = 15.0;
  p->long_span_s = 7200.0;
  p->exited_keep_s = 60.0;
}

static uint32_t
tier_points (double span_s, double res_s)
{
  double n = ceil (span_s / res_s);

  if (!(n >= 2))
    return 2;
  if (n > 1e7)
    return 10000000;
  return (uint32_t) n;
}

ms_history_t *
ms_history_new (const ms_history_params_t *p)
{
  ms_history_t *h = ms_calloc (1, sizeof *h);

  if (h == NULL)
    return NULL;
  if (p != NULL)
    h->p = *p;
  else
    ms_history_params_init (&h->p);
  if (!(h->p.short_res_s > 0))
    h->p.short_res_s = 1.0;
  if (!(h->p.long_res_s > 0))
    h->p.long_res_s = 15.0;
  if (!(h->p.exited_keep_s >= 0))
    h->p.exited_keep_s = 0;
  h->res_s[0] = h->p.short_res_s;
  h->res_s[1] = h->p.long_res_s;
  h->free_head = -1;
  h->tick = 1;
  h->table_cap = 256;
  h->table = ms_malloc (h->table_cap * sizeof *h->table);
  if (h->table == NULL)
    {
      ms_free (h);
      return NULL;
    }
  memset (h->table, 0xff, h->table_cap * sizeof *h->table);
  return h;
}

static void
entry_release (entry_t *e)
{
  for (int i = 0; i < 2; i++)
    {
      ms_free (e->tiers[i].pts);
      memset (&e->tiers[i], 0, sizeof e->tiers[i]);
    }
}

void
ms_history_free (ms_history_t *h)
{
  if (h == NULL)
    return;
  for (size_t i = 0; i < h->n_slots; i++)
    entry_release (&h->entries[i]);
  ms_free (h->entries);
  ms_free (h->table);
  ms_free (h);
}

static inline size_t
key_hash (int32_t pid, uint64_t starttime)
{
  uint64_t x = starttime * 0x9e3779b97f4a7c15ull
               ^ ((uint64_t) (uint32_t) pid * 0xff51afd7ed558ccdull);

  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 29;
  return (size_t) x;
}

static size_t
table_pos (const ms_history_t *h, int32_t pid, uint64_t starttime, bool *found)
{
  size_t mask = h->table_cap - 1;
  size_t i = key_hash (pid, starttime) & mask;

  for (;;)
    {
      int32_t s = h->table[i];

      if (s < 0)
        {
          *found = false;
          return i;
        }
      if (h->entries[s].pid == pid && h->entries[s].starttime == starttime)
        {
          *found = true;
          return i;
        }
      i = (i + 1) & mask;
    }
}

static int
table_grow (ms_history_t *h)
{
  size_t cap = h->table_cap * 2;
  int32_t *t = ms_malloc (cap * sizeof *t);

  if (t == NULL)
    return -1;
  memset (t, 0xff, cap * sizeof *t);
  for (size_t i = 0; i < h->table_cap; i++)
    {
      int32_t s = h->table[i];
      size_t j;

      if (s < 0)
        continue;
      j = key_hash (h->entries[s].pid, h->entries[s].starttime) & (cap - 1);
      while (t[j] >= 0)
        j = (j + 1) & (cap - 1);
      t[j] = s;
    }
  ms_free (h->table);
  h->table = t;
  h->table_cap = cap;
  return 0;
}

/* Backward-shift deletion keeps probe chains intact without tombstones, so a long run with
 * constant pid churn never degrades lookups. */
static void
table_remove (ms_history_t *h, size_t i)
{
  size_t mask = h->table_cap - 1;
  size_t j = i;

  for (;;)
    {
      size_t k;
      int32_t s;

      j = (j + 1) & mask;
      s = h->table[j];
      if (s < 0)
        break;
      k = key_hash (h->entries[s].pid, h->entries[s].starttime) & mask;
      if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j)))
        {
          h->table[i] = s;
          i = j;
        }
    }
  h->table[i] = -1;
}

int32_t
ms_history_find (const ms_history_t *h, int32_t pid, uint64_t starttime)
{
  bool found;
  size_t i = table_pos (h, pid, starttime, &found);

  return found ? h->table[i] : -1;
}

static inline int32_t
clamp_kib (int64_t v)
{
  if (v < 0)
    return -1;
  if (v > INT32_MAX)
    return INT32_MAX;
  return (int32_t) v;
}

static inline int64_t
point_footprint (const point_t *pt)
{
  return ms_footprint_kib (pt->rss_kib, pt->swap_kib);
}

static inline point_t *
ring_at (const ring_t *r, uint32_t k)
{
  return &r->pts[(r->head + k) % r->cap];
}

static bool
same_sizes (const point_t *a, const point_t *b)
{
  return a->rss_kib == b->rss_kib && a->swap_kib == b->swap_kib && a->pss_kib == b->pss_kib;
}

/* Doubles the ring up to max_cap, copying the points out in order (time pruning may have moved
 * the head before the ring stopped growing). */
static int
ring_grow (ring_t *r)
{
  uint32_t cap = r->cap ? r->cap * 2 : RING_FIRST_CAP;
  point_t *grown;

  if (cap > r->max_cap)
    cap = r->max_cap;
  grown = ms_malloc ((size_t) cap * sizeof *grown);
  if (grown == NULL)
    return -1;
  for (uint32_t k = 0; k < r->count; k++)
    grown[k] = *ring_at (r, k);
  ms_free (r->pts);
  r->pts = grown;
  r->cap = cap;
  r->head = 0;
  return 0;
}

static int
ring_put (ring_t *r, int64_t bucket, const point_t *pt, double span_s)
{
  if (r->count > 0 && bucket == r->last_bucket)
    {
      point_t *last = ring_at (r, r->count - 1);

      /* The bucket's peak stands for it. */
      if (point_footprint (pt) >= point_footprint (last))
        *last = *pt;
      return 0;
    }
  /* A stretch of unchanged sizes keeps a point every MS_HISTORY_FLAT_STEP_S and its latest
   * sample: the points between say nothing more.  A hole in the samples is never bridged, since
   * the point before the stretch's end must lie within the step of the new one. */
  if (r->count >= 2)
    {
      point_t *last = ring_at (r, r->count - 1);
      const point_t *before = ring_at (r, r->count - 2);

      if (same_sizes (pt, last) && same_sizes (pt, before)
          && (double) pt->t_off - (double) before->t_off <= MS_HISTORY_FLAT_STEP_S)
        {
          *last = *pt;
          r->last_bucket = bucket;
          return 0;
        }
    }
  /* Points older than the tier's span go (a later tier holds that time), so a ring that holds
   * sparse points costs no more than their time needs. */
  while (r->count > 2 && (double) pt->t_off - (double) ring_at (r, 0)->t_off >= span_s)
    {
      r->head = (r->head + 1) % r->cap;
      r->count--;
    }
  if (r->count == r->cap && r->cap < r->max_cap && ring_grow (r) < 0)
    return -1;
  if (r->count == r->cap)
    {
      *ring_at (r, 0) = *pt;
      r->head = (r->head + 1) % r->cap;
    }
  else
    {
      *ring_at (r, r->count) = *pt;
      r->count++;
    }
  r->last_bucket = bucket;
  return 0;
}

static int32_t
slot_take (ms_history_t *h)
{
  int32_t s;

  if (h->free_head >= 0)
    {
      s = h->free_head;
      h->free_head = h->entries[s].next_free;
      return s;
    }
  if (h->n_slots >= INT32_MAX)
    return -1;
  if (ms_grow ((void **) &h->entries, &h->entries_cap, h->n_slots + 1, sizeof *h->entries) < 0)
    return -1;
  return (int32_t) h->n_slots++;
}

int32_t
ms_history_add (ms_history_t *h, double time_s, int32_t pid, uint64_t starttime,
                const char *comm, int64_t rss_kib, int64_t swap_kib, int64_t pss_kib,
                bool *is_new)
{
  bool found;
  size_t pos;
  int32_t s;
  entry_t *e;
  point_t pt;

  if (is_new != NULL)
    *is_new = false;
  if (!isfinite (time_s))
    return -1;
  /* Keep the load under one half so probe chains stay short. */
  if ((h->n_used + 1) * 2 > h->table_cap && table_grow (h) < 0)
    return -1;
  pos = table_pos (h, pid, starttime, &found);
  if (found)
    {
      s = h->table[pos];
      e = &h->entries[s];
      if (time_s < e->last_s)
        {
          e->last_tick = h->tick;
          e->exited = false;
          return s;
        }
    }
  else
    {
      s = slot_take (h);
      if (s < 0)
        return -1;
      e = &h->entries[s];
      memset (e, 0, sizeof *e);
      e->used = true;
      e->pid = pid;
      e->starttime = starttime;
      e->base_s = time_s;
      e->next_free = -1;
      for (int i = 0; i < 2; i++)
        e->tiers[i].max_cap = tier_points (i == 0 ? h->p.short_span_s : h->p.long_span_s,
                                           h->res_s[i]);
      h->table[pos] = s;
      h->n_used++;
      if (is_new != NULL)
        *is_new = true;
    }
  if (comm != NULL && strncmp (e->comm, comm, sizeof e->comm) != 0)
    {
      strncpy (e->comm, comm, sizeof e->comm - 1);
      e->comm[sizeof e->comm - 1] = '\0';
    }
  e->last_s = time_s;
  e->last_tick = h->tick;
  e->exited = false;

  pt.t_off = (float) (time_s - e->base_s);
  pt.rss_kib = clamp_kib (rss_kib);
  pt.swap_kib = clamp_kib (swap_kib);
  pt.pss_kib = clamp_kib (pss_kib);
  for (int i = 0; i < 2; i++)
    (void) ring_put (&e->tiers[i], (int64_t) floor (time_s / h->res_s[i]), &pt,
                     i == 0 ? h->p.short_span_s : h->p.long_span_s);
  return s;
}

void
ms_history_end_tick (ms_history_t *h, double time_s, ms_history_change_fn fn, void *user)
{
  for (size_t i = 0; i < h->n_slots; i++)
    {
      entry_t *e = &h->entries[i];

      if (!e->used)
        continue;
      if (!e->exited && e->last_tick != h->tick)
        {
          e->exited = true;
          e->exit_s = time_s;
          if (fn != NULL)
            fn (h, (int32_t) i, MS_HISTORY_EXITED, user);
        }
      if (e->exited && time_s - e->exit_s >= h->p.exited_keep_s)
        {
          bool found;
          size_t pos = table_pos (h, e->pid, e->starttime, &found);

          if (fn != NULL)
            fn (h, (int32_t) i, MS_HISTORY_FREED, user);
          if (found)
            table_remove (h, pos);
          entry_release (e);
          e->used = false;
          e->next_free = h->free_head;
          h->free_head = (int32_t) i;
          h->n_used--;
        }
    }
  h->tick++;
}

static void
point_out (const entry_t *e, const point_t *pt, ms_history_point_t *out)
{
  out->time_s = e->base_s + (double) pt->t_off;
  out->rss_kib = pt->rss_kib < 0 ? 0 : pt->rss_kib;
  out->swap_kib = pt->swap_kib < 0 ? 0 : pt->swap_kib;
  out->footprint_kib = out->rss_kib + out->swap_kib;
  out->pss_kib = pt->pss_kib;
}

size_t
ms_history_get (const ms_history_t *h, int32_t pid, uint64_t starttime, double since_s,
                ms_history_point_t *out, size_t max)
{
  int32_t s = ms_history_find (h, pid, starttime);
  const entry_t *e;
  const ring_t *sr, *lr;
  double short_from = INFINITY;
  size_t n_long = 0, n_short = 0, skip, written = 0;
  uint32_t long_first = 0, short_first = 0;

  if (s < 0 || max == 0 || out == NULL)
    return 0;
  e = &h->entries[s];
  sr = &e->tiers[0];
  lr = &e->tiers[1];
  if (sr->count > 0)
    short_from = e->base_s + (double) sr->pts[sr->head].t_off;

  /* Count first, so that when more match than fit the newest are the ones kept. */
  for (uint32_t k = 0; k < sr->count; k++)
    {
      double t = e->base_s + (double) sr->pts[(sr->head + k) % sr->cap].t_off;

      if (t >= since_s)
        {
          if (n_short == 0)
            short_first = k;
          n_short++;
        }
    }
  for (uint32_t k = 0; k < lr->count; k++)
    {
      double t = e->base_s + (double) lr->pts[(lr->head + k) % lr->cap].t_off;

      if (t >= short_from)
        break;
      if (t >= since_s)
        {
          if (n_long == 0)
            long_first = k;
          n_long++;
        }
    }
  skip = n_long + n_short > max ? n_long + n_short - max : 0;
  for (uint32_t k = long_first; k < long_first + n_long; k++)
    {
      if (skip > 0)
        {
          skip--;
          continue;
        }
      point_out (e, &lr->pts[(lr->head + k) % lr->cap], &out[written++]);
    }
  for (uint32_t k = short_first; k < short_first + n_short; k++)
    {
      if (skip > 0)
        {
          skip--;
          continue;
        }
      point_out (e, &sr->pts[(sr->head + k) % sr->cap], &out[written++]);
    }
  return written;
}

int32_t
ms_history_slot_pid (const ms_history_t *h, int32_t slot)
{
  return h->entries[slot].pid;
}

uint64_t
ms_history_slot_starttime (const ms_history_t *h, int32_t slot)
{
  return h->entries[slot].starttime;
}

const char *
ms_history_slot_comm (const ms_history_t *h, int32_t slot)
{
  return h->entries[slot].comm;
}

bool
ms_history_slot_exited (const ms_history_t *h, int32_t slot, double *exit_time_s)
{
  const entry_t *e = &h->entries[slot];

  if (exit_time_s != NULL)
    *exit_time_s = e->exited ? e->exit_s : NAN;
  return e->exited;
}

size_t
ms_history_n_entries (const ms_history_t *h)
{
  return h->n_used;
}

size_t
ms_history_memory_bytes (const ms_history_t *h)
{
  size_t bytes = sizeof *h + h->entries_cap * sizeof *h->entries
                 + h->table_cap * sizeof *h->table;

  for (size_t i = 0; i < h->n_slots; i++)
    for (int k = 0; k < 2; k++)
      bytes += (size_t) h->entries[i].tiers[k].cap * sizeof (point_t);
  return bytes;
}
