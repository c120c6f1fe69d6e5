/* SPDX-License-Identifier: MIT */
/* Blame: keeps the samples at both ends of a window and ranks processes by footprint growth. */
#include "config.h"

#include "blame.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef struct
{
  int32_t pid;
  uint64_t starttime;
  int64_t footprint_kib;
  char comm[MS_COMM_MAX];
} entry_t;

/* The processes of one sample, as much as blame needs of them. */
typedef struct
{
  bool valid;
  double time_s;
  bool has_machine;
  int64_t machine_kib;
  entry_t *entries;
  size_t n, cap;
} frame_t;

struct ms_blame
{
  double from_s, to_s;
  bool seen_any;
  bool done;
  bool out_of_memory;
  double first_s, last_s;
  frame_t at_from, at_to;
  /* Processes of the samples after "from" that were not there at "from", with the largest
   * footprint each had: those also absent at "to" started and exited inside the window.  Kept
   * unsorted between compactions, which merge each process's entries into one. */
  bool from_sorted;
  entry_t *seen;
  size_t n_seen, cap_seen;
};

ms_blame_t *
ms_blame_new (double from_s, double to_s)
{
  ms_blame_t *self = ms_calloc (1, sizeof *self);

  if (self == NULL)
    return NULL;
  self->from_s = from_s;
  self->to_s = to_s;
  return self;
}

void
ms_blame_free (ms_blame_t *self)
{
  if (self == NULL)
    return;
  ms_free (self->at_from.entries);
  ms_free (self->at_to.entries);
  ms_free (self->seen);
  ms_free (self);
}

static int
compare_entries (const void *a, const void *b)
{
  const entry_t *x = a, *y = b;

  if (x->pid != y->pid)
    return x->pid < y->pid ? -1 : 1;
  if (x->starttime != y->starttime)
    return x->starttime < y->starttime ? -1 : 1;
  return 0;
}

/* Sorts the seen processes and merges each one's entries, keeping its largest footprint. */
static void
compact_seen (ms_blame_t *self)
{
  size_t n = 0;

  if (self->n_seen == 0)
    return;
  qsort (self->seen, self->n_seen, sizeof *self->seen, compare_entries);
  for (size_t i = 1; i < self->n_seen; i++)
    {
      entry_t *kept = &self->seen[n];

      if (compare_entries (kept, &self->seen[i]) == 0)
        {
          if (self->seen[i].footprint_kib > kept->footprint_kib)
            kept->footprint_kib = self->seen[i].footprint_kib;
        }
      else
        self->seen[++n] = self->seen[i];
    }
  self->n_seen = n + 1;
}

/* Notes the processes of a sample after "from" that were not there at "from".  Compacts before
 * it grows, so a window whose processes come and go at a steady pace stops allocating. */
static bool
note_inside (ms_blame_t *self, const ms_snapshot_t *snap)
{
  const frame_t *a = &self->at_from;

  if (!a->valid)
    return true;
  if (!self->from_sorted)
    {
      qsort (a->entries, a->n, sizeof *a->entries, compare_entries);
      self->from_sorted = true;
    }
  if (self->n_seen + snap->n_procs > self->cap_seen)
    {
      void *items = self->seen;

      compact_seen (self);
      /* Room for twice what is left, so that compactions stay rare. */
      if (2 * (self->n_seen + snap->n_procs) > self->cap_seen
          && ms_grow (&items, &self->cap_seen, 2 * (self->n_seen + snap->n_procs),
                      sizeof (entry_t)) != 0)
        return false;
      self->seen = items;
    }
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];
      entry_t key, *e;

      if (p->pid <= 0)
        continue;
      key.pid = p->pid;
      key.starttime = p->starttime;
      if (bsearch (&key, a->entries, a->n, sizeof *a->entries, compare_entries) != NULL)
        continue;
      e = &self->seen[self->n_seen++];
      *e = key;
      e->footprint_kib = ms_footprint_kib (p->rss_kib, p->swap_kib);
      memcpy (e->comm, p->comm, sizeof e->comm);
      e->comm[sizeof e->comm - 1] = '\0';
    }
  return true;
}

static bool
copy_frame (frame_t *f, const ms_snapshot_t *snap)
{
  void *items = f->entries;

  if (ms_grow (&items, &f->cap, snap->n_procs, sizeof (entry_t)) != 0)
    return false;
  f->entries = items;
  f->n = 0;
  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];
      entry_t *e;

      if (p->pid <= 0)
        continue;
      e = &f->entries[f->n++];
      e->pid = p->pid;
      e->starttime = p->starttime;
      e->footprint_kib = ms_footprint_kib (p->rss_kib, p->swap_kib);
      memcpy (e->comm, p->comm, sizeof e->comm);
      e->comm[sizeof e->comm - 1] = '\0';
    }
  f->valid = true;
  f->time_s = snap->time_s;
  /* Totals of 0 mean the source had no machine row. */
  f->has_machine = snap->mem.mem_total_kib > 0;
  f->machine_kib = 0;
  if (f->has_machine)
    {
      int64_t swap_used = snap->mem.swap_total_kib - snap->mem.swap_free_kib;

      f->machine_kib = snap->mem.mem_total_kib - snap->mem.mem_available_kib
                       + (swap_used > 0 ? swap_used : 0);
    }
  return true;
}

void
ms_blame_feed (ms_blame_t *self, const ms_snapshot_t *snap)
{
  if (self->done || self->out_of_memory)
    return;
  if (!self->seen_any)
    {
      self->seen_any = true;
      self->first_s = snap->time_s;
    }
  self->last_s = snap->time_s;
  if (snap->time_s > self->to_s)
    {
      self->done = true;
      return;
    }
  if (snap->time_s <= self->from_s && !copy_frame (&self->at_from, snap))
    self->out_of_memory = true;
  if (snap->time_s > self->from_s && !note_inside (self, snap))
    self->out_of_memory = true;
  if (!copy_frame (&self->at_to, snap))
    self->out_of_memory = true;
}

bool
ms_blame_done (const ms_blame_t *self)
{
  return self->done;
}

static int
compare_rows (const void *a, const void *b)
{
  const ms_blame_row_t *x = a, *y = b;

  if (x->delta_kib != y->delta_kib)
    return x->delta_kib > y->delta_kib ? -1 : 1;
  if (x->peak_kib != y->peak_kib)
    return x->peak_kib > y->peak_kib ? -1 : 1;
  if (x->pid != y->pid)
    return x->pid < y->pid ? -1 : 1;
  if (x->starttime != y->starttime)
    return x->starttime < y->starttime ? -1 : 1;
  /* Merged rows all have pid 0. */
  return strcmp (x->comm, y->comm);
}

static void
set_row (ms_blame_row_t *row, const entry_t *from, const entry_t *to)
{
  const entry_t *id = to != NULL ? to : from;

  row->pid = id->pid;
  row->starttime = id->starttime;
  memcpy (row->comm, id->comm, sizeof row->comm);
  row->start_kib = from != NULL ? from->footprint_kib : 0;
  row->end_kib = to != NULL ? to->footprint_kib : 0;
  row->delta_kib = row->end_kib - row->start_kib;
  row->started_inside = from == NULL;
  row->exited_inside = to == NULL;
  row->peak_kib = 0;
  row->count = 1;
}

/* A process seen only between the two ends: 0 to 0, with the largest footprint it had. */
static void
set_passing_row (ms_blame_row_t *row, const entry_t *seen)
{
  row->pid = seen->pid;
  row->starttime = seen->starttime;
  memcpy (row->comm, seen->comm, sizeof row->comm);
  row->start_kib = 0;
  row->end_kib = 0;
  row->delta_kib = 0;
  row->started_inside = true;
  row->exited_inside = true;
  row->peak_kib = seen->footprint_kib;
  row->count = 1;
}

static int64_t
abs64 (int64_t v)
{
  return v < 0 ? -v : v;
}

/* Part i of the gross change: row i, or the unattributed part for i == n_rows. */
static int64_t
part_kib (const ms_blame_result_t *r, size_t i)
{
  return i < r->n_rows ? r->rows[i].delta_kib : r->unattributed_kib;
}

static void
set_part_share (ms_blame_result_t *r, size_t i, double share, int pct)
{
  if (part_kib (r, i) < 0)
    pct = -pct;
  if (i < r->n_rows)
    {
      r->rows[i].share = share;
      r->rows[i].share_pct = pct;
    }
  else
    {
      r->unattributed_share = share;
      r->unattributed_share_pct = pct;
    }
}

/* Shares of the gross change, and whole percents that add up to 100 by the largest remainder:
 * each part gets the floor of its percent, and the points still missing go to the parts with the
 * largest remainders (the earlier part on a tie).  At most 100 points are missing, so this takes
 * at most 100 passes over the rows and allocates nothing. */
static void
assign_shares (ms_blame_result_t *r)
{
  size_t n = r->n_rows + 1, prev = SIZE_MAX;
  int64_t gross, prev_rem = 0, missing = 100;
  int shift = 0;

  r->grew_kib = 0;
  r->shrank_kib = 0;
  for (size_t i = 0; i < r->n_rows; i++)
    {
      if (r->rows[i].delta_kib > 0)
        r->grew_kib += r->rows[i].delta_kib;
      else
        r->shrank_kib += r->rows[i].delta_kib;
    }
  r->gross_kib = r->grew_kib - r->shrank_kib + abs64 (r->unattributed_kib);
  for (size_t i = 0; i < n; i++)
    set_part_share (r, i, 0, 0);
  if (r->gross_kib <= 0)
    return;

  /* Traces hold sizes up to 2^50 KiB: scale down so that 100 times the gross fits. */
  while ((r->gross_kib >> shift) > INT64_MAX / 200)
    shift++;
  gross = r->gross_kib >> shift;
  for (size_t i = 0; i < n; i++)
    {
      int64_t size = abs64 (part_kib (r, i)) >> shift;
      int64_t pct = size * 100 / gross;

      set_part_share (r, i, (double) part_kib (r, i) / (double) r->gross_kib, (int) pct);
      missing -= pct;
    }
  while (missing-- > 0)
    {
      size_t best = SIZE_MAX;
      int64_t best_rem = -1;

      for (size_t i = 0; i < n; i++)
        {
          int64_t size = abs64 (part_kib (r, i)) >> shift;
          int64_t rem = size * 100 % gross;

          if (size == 0)
            continue;
          /* Only parts after the previous pick in (remainder down, index up) order. */
          if (prev != SIZE_MAX && (rem > prev_rem || (rem == prev_rem && i <= prev)))
            continue;
          if (rem > best_rem)
            {
              best = i;
              best_rem = rem;
            }
        }
      if (best == SIZE_MAX)
        break;
      set_part_share (r, best, best < r->n_rows ? r->rows[best].share : r->unattributed_share,
                      abs (best < r->n_rows ? r->rows[best].share_pct
                                            : r->unattributed_share_pct) + 1);
      prev = best;
      prev_rem = best_rem;
    }
}

ms_blame_status_t
ms_blame_finish (ms_blame_t *self, ms_blame_result_t *out)
{
  frame_t *a = &self->at_from, *b = &self->at_to;
  size_t i = 0, j = 0, n = 0;
  int64_t sum_kib = 0;

  memset (out, 0, sizeof *out);
  out->first_s = self->first_s;
  out->last_s = self->last_s;
  if (!(self->from_s < self->to_s))
    return out->status = MS_BLAME_BAD_WINDOW;
  if (self->out_of_memory)
    return out->status = MS_BLAME_NO_MEMORY;
  if (!self->seen_any)
    return out->status = MS_BLAME_NO_SAMPLES;
  if (!a->valid)
    return out->status = MS_BLAME_BEFORE_TRACE;
  out->from_sample_s = a->time_s;
  out->to_sample_s = b->time_s;
  if (!b->valid || b->time_s == a->time_s)
    return out->status = MS_BLAME_EMPTY_WINDOW;

  qsort (a->entries, a->n, sizeof *a->entries, compare_entries);
  qsort (b->entries, b->n, sizeof *b->entries, compare_entries);
  compact_seen (self);
  out->rows = ms_calloc (a->n + b->n + self->n_seen, sizeof *out->rows);
  if (out->rows == NULL)
    return out->status = MS_BLAME_NO_MEMORY;

  while (i < a->n || j < b->n)
    {
      int c = i >= a->n ? 1 : j >= b->n ? -1 : compare_entries (&a->entries[i], &b->entries[j]);

      if (c == 0)
        set_row (&out->rows[n], &a->entries[i++], &b->entries[j++]);
      else if (c < 0)
        set_row (&out->rows[n], &a->entries[i++], NULL);
      else
        set_row (&out->rows[n], NULL, &b->entries[j++]);
      sum_kib += out->rows[n].delta_kib;
      n++;
      /* A duplicate identity within one sample is a damaged source; the first row stands. */
      while (i < a->n && i > 0 && compare_entries (&a->entries[i], &a->entries[i - 1]) == 0)
        i++;
      while (j < b->n && j > 0 && compare_entries (&b->entries[j], &b->entries[j - 1]) == 0)
        j++;
    }
  /* The processes that came and went between the ends: no part of the change, but what they
   * held on the way is what a range drawn over a bump must show. */
  for (size_t k = 0; k < self->n_seen; k++)
    if (bsearch (&self->seen[k], b->entries, b->n, sizeof *b->entries, compare_entries) == NULL)
      set_passing_row (&out->rows[n++], &self->seen[k]);
  out->n_rows = n;
  qsort (out->rows, n, sizeof *out->rows, compare_rows);

  out->has_machine = a->has_machine && b->has_machine;
  if (out->has_machine)
    {
      out->machine_start_kib = a->machine_kib;
      out->machine_end_kib = b->machine_kib;
      out->unattributed_kib = (b->machine_kib - a->machine_kib) - sum_kib;
    }
  assign_shares (out);
  return out->status = MS_BLAME_OK;
}

/* 0: seen at both ends, 1: started inside, 2: exited inside, 3: both. */
static int
lifetime_kind (const ms_blame_row_t *row)
{
  return (row->started_inside ? 1 : 0) + (row->exited_inside ? 2 : 0);
}

/* Groups the rows by kind and program; inside a group, the core's order. */
static int
compare_for_groups (const void *a, const void *b)
{
  const ms_blame_row_t *x = a, *y = b;
  int c;

  if (lifetime_kind (x) != lifetime_kind (y))
    return lifetime_kind (x) - lifetime_kind (y);
  c = strcmp (x->comm, y->comm);
  return c != 0 ? c : compare_rows (a, b);
}

ms_blame_status_t
ms_blame_aggregate (ms_blame_result_t *r)
{
  ms_blame_row_t *sorted, *rows, *members;
  size_t n = r->n_rows, n_rows = 0, n_members = 0;

  if (r->status != MS_BLAME_OK || r->members != NULL || n == 0)
    return r->status;
  sorted = ms_malloc (n * sizeof *sorted);
  rows = ms_calloc (n, sizeof *rows);
  members = ms_calloc (n, sizeof *members);
  if (sorted == NULL || rows == NULL || members == NULL)
    {
      ms_free (sorted);
      ms_free (rows);
      ms_free (members);
      return MS_BLAME_NO_MEMORY;
    }
  memcpy (sorted, r->rows, n * sizeof *sorted);
  qsort (sorted, n, sizeof *sorted, compare_for_groups);

  for (size_t i = 0, end; i < n; i = end)
    {
      ms_blame_row_t *merged;

      for (end = i + 1; end < n && lifetime_kind (&sorted[end]) == lifetime_kind (&sorted[i])
                        && strcmp (sorted[end].comm, sorted[i].comm) == 0;
           end++)
        ;
      if (lifetime_kind (&sorted[i]) == 0 || end - i == 1)
        {
          memcpy (&rows[n_rows], &sorted[i], (end - i) * sizeof *rows);
          n_rows += end - i;
          continue;
        }
      merged = &rows[n_rows++];
      memcpy (merged->comm, sorted[i].comm, sizeof merged->comm);
      merged->started_inside = sorted[i].started_inside;
      merged->exited_inside = sorted[i].exited_inside;
      merged->count = (uint32_t) (end - i);
      merged->first_member = n_members;
      for (size_t k = i; k < end; k++)
        {
          merged->start_kib += sorted[k].start_kib;
          merged->end_kib += sorted[k].end_kib;
          merged->delta_kib += sorted[k].delta_kib;
          merged->peak_kib += sorted[k].peak_kib;
          members[n_members++] = sorted[k];
        }
    }
  qsort (rows, n_rows, sizeof *rows, compare_rows);

  ms_free (sorted);
  ms_free (r->rows);
  r->rows = rows;
  r->n_rows = n_rows;
  r->members = members;
  r->n_members = n_members;
  assign_shares (r);
  return MS_BLAME_OK;
}

void
ms_blame_result_clear (ms_blame_result_t *result)
{
  ms_free (result->rows);
  ms_free (result->members);
  result->rows = NULL;
  result->n_rows = 0;
  result->members = NULL;
  result->n_members = 0;
}

const char *
ms_blame_status_message (ms_blame_status_t status)
{
  switch (status)
    {
    case MS_BLAME_OK: return "ok";
    case MS_BLAME_NO_SAMPLES: return "the trace has no samples";
    case MS_BLAME_BEFORE_TRACE: return "the window starts before the first sample of the trace";
    case MS_BLAME_EMPTY_WINDOW:
      return "no sample taken after --from and at or before --to (the window lies between two "
             "samples or past the end of the trace)";
    case MS_BLAME_BAD_WINDOW: return "--from must be earlier than --to";
    case MS_BLAME_NO_MEMORY: return "out of memory";
    default: return "unknown error";
    }
}
