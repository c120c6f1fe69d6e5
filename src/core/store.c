/* SPDX-License-Identifier: MIT */
/* Rolling recording of the last day in trace segments (a fine and a coarse tier) plus the events log. */
#include "config.h"

#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "json.h"

#define EVENTS_NAME "events.jsonl"
#define EVENTS_OLD_NAME "events.old.jsonl"
#define MAX_EVENT_LINE 4096

typedef enum
{
  TIER_FINE,
  TIER_COARSE,
  N_TIERS
} tier_t;

static const char *const tier_prefix[N_TIERS] = { "fine-", "coarse-" };

typedef struct
{
  tier_t tier;
  int64_t start_ms;
  uint64_t bytes;
} segment_t;

typedef struct
{
  FILE *file;
  ms_trace_writer_t *writer;
  int64_t start_ms;
  double last_s; /* time of the last sample written, -INFINITY before any */
} open_segment_t;

struct ms_store
{
  char *dir;
  ms_store_params_t params;

  open_segment_t open[N_TIERS];

  /* segments on disk, oldest first per tier (the open ones included) */
  segment_t *segments;
  size_t n_segments, segments_cap;

  /* the coarse bucket being gathered: its busiest sample, already formatted (a tenth of a copy
   * of the snapshot) */
  bool pending;
  int64_t pending_bucket;
  double pending_time;
  int64_t pending_used_kib;
  ms_trace_rows_t pending_rows;
  ms_trace_rows_t rows; /* the sample being added */

  double last_time;
};

void
ms_store_params_init (ms_store_params_t *p)
{
  p->fine_res_s = 1.0;
  p->fine_span_s = 3600.0;
  p->fine_segment_s = 600.0;
  p->coarse_res_s = 60.0;
  p->coarse_span_s = 86400.0;
  p->coarse_segment_s = 3600.0;
  p->max_bytes = UINT64_C (256) << 20;
  p->max_event_bytes = UINT64_C (1) << 20;
}

/* ---------------------------------------------------------------------------------------------- */
/* Directory helpers                                                                              */
/* ---------------------------------------------------------------------------------------------- */

static int
make_dirs (const char *dir)
{
  char path[4096];
  size_t n = strlen (dir);

  if (n == 0 || n >= sizeof path)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  memcpy (path, dir, n + 1);
  for (size_t i = 1; i <= n; i++)
    {
      if (path[i] != '/' && path[i] != '\0')
        continue;
      path[i] = '\0';
      if (mkdir (path, 0700) != 0 && errno != EEXIST)
        return -1;
      path[i] = i < n ? '/' : '\0';
    }
  return 0;
}

static void
segment_path (char *out, size_t len, const char *dir, tier_t tier, int64_t start_ms)
{
  snprintf (out, len, "%s/%s%015" PRId64 ".csv", dir, tier_prefix[tier], start_ms);
}

/* "fine-000001700000000000.csv" -> tier and start; false for any other name. */
static bool
parse_segment_name (const char *name, tier_t *tier, int64_t *start_ms)
{
  for (int t = 0; t < N_TIERS; t++)
    {
      size_t plen = strlen (tier_prefix[t]);
      const char *p = name + plen;
      char *end = NULL;
      long long v;

      if (strncmp (name, tier_prefix[t], plen) != 0 || *p < '0' || *p > '9')
        continue;
      errno = 0;
      v = strtoll (p, &end, 10);
      if (errno != 0 || end == NULL || strcmp (end, ".csv") != 0 || v < 0)
        return false;
      *tier = (tier_t) t;
      *start_ms = v;
      return true;
    }
  return false;
}

static int
compare_segments (const void *a, const void *b)
{
  const segment_t *x = a, *y = b;

  if (x->start_ms != y->start_ms)
    return x->start_ms < y->start_ms ? -1 : 1;
  return (int) x->tier - (int) y->tier;
}

/* Lists the segments of dir, sorted by start.  Returns 0, or -1 when dir cannot be read. */
static int
list_segments (const char *dir, segment_t **out, size_t *n_out, size_t *cap_out)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  segment_t *items = *out;
  size_t n = 0, cap = *cap_out;

  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    {
      segment_t seg = { 0 };
      struct stat st;
      char path[4096];
      void *grown = items;

      if (!parse_segment_name (e->d_name, &seg.tier, &seg.start_ms))
        continue;
      snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
      if (stat (path, &st) == 0)
        seg.bytes = (uint64_t) st.st_size;
      if (ms_grow (&grown, &cap, n + 1, sizeof *items) != 0)
        break;
      items = grown;
      items[n++] = seg;
    }
  closedir (d);
  if (n > 1)
    qsort (items, n, sizeof *items, compare_segments);
  *out = items;
  *n_out = n;
  *cap_out = cap;
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Writing                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

ms_store_t *
ms_store_open (const char *dir, const ms_store_params_t *p, char *err, size_t err_len)
{
  ms_store_t *s;

  if (err_len > 0)
    err[0] = '\0';
  if (dir == NULL || make_dirs (dir) != 0)
    {
      snprintf (err, err_len, "%s: cannot create the directory: %s", dir ? dir : "(null)",
                strerror (errno));
      return NULL;
    }
  s = ms_calloc (1, sizeof *s);
  if (s == NULL || (s->dir = ms_strdup (dir)) == NULL)
    {
      ms_free (s);
      snprintf (err, err_len, "%s: out of memory", dir);
      return NULL;
    }
  if (p != NULL)
    s->params = *p;
  else
    ms_store_params_init (&s->params);
  for (int t = 0; t < N_TIERS; t++)
    s->open[t].last_s = -INFINITY;
  s->last_time = -INFINITY;
  if (list_segments (dir, &s->segments, &s->n_segments, &s->segments_cap) != 0)
    {
      snprintf (err, err_len, "%s: cannot be read: %s", dir, strerror (errno));
      ms_store_close (s);
      return NULL;
    }
  return s;
}

static void
close_segment (open_segment_t *o)
{
  ms_trace_writer_free (o->writer);
  o->writer = NULL;
  if (o->file != NULL)
    fclose (o->file);
  o->file = NULL;
}

static segment_t *
find_segment (ms_store_t *s, tier_t tier, int64_t start_ms)
{
  for (size_t i = 0; i < s->n_segments; i++)
    if (s->segments[i].tier == tier && s->segments[i].start_ms == start_ms)
      return &s->segments[i];
  return NULL;
}

static void
remove_segment_at (ms_store_t *s, size_t i)
{
  char path[4096];

  segment_path (path, sizeof path, s->dir, s->segments[i].tier, s->segments[i].start_ms);
  unlink (path);
  memmove (&s->segments[i], &s->segments[i + 1], (s->n_segments - i - 1) * sizeof *s->segments);
  s->n_segments--;
}

static bool
is_open_segment (const ms_store_t *s, const segment_t *seg)
{
  const open_segment_t *o = &s->open[seg->tier];

  return o->file != NULL && o->start_ms == seg->start_ms;
}

/* Drops segments older than their tier's span, then the oldest ones while over the byte budget
 * (coarse before fine: the last hour matters most).  The open segments always stay. */
static void
prune (ms_store_t *s, double now)
{
  uint64_t total = 0;

  for (size_t i = 0; i < s->n_segments;)
    {
      segment_t *seg = &s->segments[i];
      double span = seg->tier == TIER_FINE ? s->params.fine_span_s : s->params.coarse_span_s;
      double seg_len = seg->tier == TIER_FINE ? s->params.fine_segment_s
                                              : s->params.coarse_segment_s;
      double end = seg->start_ms / 1000.0 + seg_len;

      /* A later segment of the same tier bounds this one's end more tightly. */
      for (size_t j = i + 1; j < s->n_segments; j++)
        if (s->segments[j].tier == seg->tier)
          {
            end = fmin (end, s->segments[j].start_ms / 1000.0);
            break;
          }
      if (!is_open_segment (s, seg) && end < now - span)
        remove_segment_at (s, i);
      else
        i++;
    }

  for (size_t i = 0; i < s->n_segments; i++)
    total += s->segments[i].bytes;
  for (int pass = 0; pass < 2 && total > s->params.max_bytes; pass++)
    {
      tier_t tier = pass == 0 ? TIER_COARSE : TIER_FINE;

      for (size_t i = 0; i < s->n_segments && total > s->params.max_bytes;)
        {
          segment_t *seg = &s->segments[i];

          if (seg->tier != tier || is_open_segment (s, seg))
            {
              i++;
              continue;
            }
          total -= seg->bytes;
          remove_segment_at (s, i);
        }
    }
}

static int
open_segment (ms_store_t *s, tier_t tier, double t, char *err, size_t err_len)
{
  open_segment_t *o = &s->open[tier];
  char path[4096];
  int64_t start_ms = (int64_t) llround (t * 1000.0);
  segment_t seg = { tier, start_ms, 0 };
  void *grown = s->segments;

  close_segment (o);
  segment_path (path, sizeof path, s->dir, tier, start_ms);
  o->file = fopen (path, "wbx");
  if (o->file == NULL && errno == EEXIST)
    {
      /* Two samples within a millisecond across restarts: never write behind old bytes. */
      start_ms++;
      seg.start_ms = start_ms;
      segment_path (path, sizeof path, s->dir, tier, start_ms);
      o->file = fopen (path, "wbx");
    }
  if (o->file == NULL)
    {
      snprintf (err, err_len, "%s: cannot create: %s", path, strerror (errno));
      return -1;
    }
  o->writer = ms_trace_writer_new (o->file);
  if (o->writer == NULL)
    {
      snprintf (err, err_len, "%s: cannot write: %s", path, strerror (errno));
      close_segment (o);
      unlink (path);
      return -1;
    }
  o->start_ms = start_ms;
  o->last_s = -INFINITY;
  seg.bytes = (uint64_t) ftell (o->file);
  if (ms_grow (&grown, &s->segments_cap, s->n_segments + 1, sizeof *s->segments) == 0)
    {
      s->segments = grown;
      s->segments[s->n_segments++] = seg;
    }
  prune (s, t);
  return 0;
}

/* Writes one sample into the tier's open segment, starting a new segment when the open one is
 * long or big enough. */
static int
write_tier (ms_store_t *s, tier_t tier, const ms_trace_rows_t *rows, double t, char *err,
            size_t err_len)
{
  open_segment_t *o = &s->open[tier];
  double seg_len = tier == TIER_FINE ? s->params.fine_segment_s : s->params.coarse_segment_s;
  segment_t *seg = o->file != NULL ? find_segment (s, tier, o->start_ms) : NULL;
  /* A segment bigger than an eighth of the budget is cut, so pruning stays fine-grained. */
  bool too_big = seg != NULL && seg->bytes > s->params.max_bytes / 8;
  long before, after;

  if (o->file == NULL || t - o->start_ms / 1000.0 >= seg_len || too_big)
    if (open_segment (s, tier, t, err, err_len) != 0)
      return -1;
  before = ftell (o->file);
  if (ms_trace_writer_rows (o->writer, rows, t - o->start_ms / 1000.0) != 0)
    {
      snprintf (err, err_len, "%s: cannot write a sample: %s", s->dir, strerror (errno));
      close_segment (o); /* the next sample starts a fresh segment */
      return -1;
    }
  after = ftell (o->file);
  o->last_s = t;
  seg = find_segment (s, tier, o->start_ms);
  if (seg != NULL && after > before)
    seg->bytes += (uint64_t) (after - before);
  prune (s, t);
  return 0;
}

static int64_t
machine_used_kib (const ms_snapshot_t *snap)
{
  int64_t used = snap->mem.mem_total_kib - snap->mem.mem_available_kib;
  int64_t swap = snap->mem.swap_total_kib - snap->mem.swap_free_kib;

  return (used > 0 ? used : 0) + (swap > 0 ? swap : 0);
}

static int
flush_pending (ms_store_t *s, char *err, size_t err_len)
{
  if (!s->pending)
    return 0;
  s->pending = false;
  return write_tier (s, TIER_COARSE, &s->pending_rows, s->pending_time, err, err_len);
}

/* The sample's rows (in s->rows) become the pending ones; the old pending buffer is reused for
 * the next sample. */
static void
keep_pending (ms_store_t *s, const ms_snapshot_t *snap, double t)
{
  ms_trace_rows_t old = s->pending_rows;

  s->pending_rows = s->rows;
  s->rows = old;
  s->pending_time = t;
  s->pending_used_kib = machine_used_kib (snap);
  s->pending = true;
}

static void
write_oom_event (FILE *out, double time_s, uint64_t kills)
{
  fputs ("{\"time_s\":", out);
  ms_json_double (out, time_s, 3);
  fprintf (out, ",\"pid\":0,\"starttime\":0,\"comm\":\"" MS_TRACE_MACHINE_COMM "\","
                "\"tag\":\"OOM\",\"event\":\"set\",\"oom_kills\":%" PRIu64 "}\n", kills);
}

static FILE *
open_events (ms_store_t *s)
{
  char path[4096], old[4096];
  struct stat st;

  snprintf (path, sizeof path, "%s/" EVENTS_NAME, s->dir);
  if (stat (path, &st) == 0 && (uint64_t) st.st_size > s->params.max_event_bytes)
    {
      snprintf (old, sizeof old, "%s/" EVENTS_OLD_NAME, s->dir);
      rename (path, old);
    }
  return fopen (path, "ab");
}

int
ms_store_add (ms_store_t *self, const ms_snapshot_t *snap, char *err, size_t err_len)
{
  double t = snap->time_unix > 0 ? snap->time_unix : snap->time_s;
  int rc = 0;
  int64_t bucket;
  bool keep, fine;

  if (err_len > 0)
    err[0] = '\0';
  if (!isfinite (t))
    return 0;
  /* The kills were derived from this snapshot's reading (ms_oom_derive): logged even when the
   * sample itself is not newer than the last one, so no kill is lost. */
  if (snap->new_oom_kills > 0)
    {
      FILE *out = open_events (self);

      if (out != NULL)
        {
          write_oom_event (out, t, snap->new_oom_kills);
          fclose (out);
        }
    }
  if (!(t > self->last_time))
    return 0;
  self->last_time = t;

  /* The sample is formatted once, for the fine tier and, when it is its coarse bucket's busiest
   * so far, for the coarse one. */
  bucket = (int64_t) floor (t / self->params.coarse_res_s);
  keep = !self->pending || bucket != self->pending_bucket
         || machine_used_kib (snap) > self->pending_used_kib;
  fine = t - self->open[TIER_FINE].last_s >= self->params.fine_res_s * 0.999;
  if ((keep || fine) && ms_trace_rows_format (&self->rows, snap) != 0)
    {
      snprintf (err, err_len, "%s: out of memory", self->dir);
      return -1;
    }
  if (fine)
    rc = write_tier (self, TIER_FINE, &self->rows, t, err, err_len);

  if (self->pending && bucket != self->pending_bucket)
    {
      char err2[512];

      if (flush_pending (self, err2, sizeof err2) != 0 && rc == 0)
        {
          snprintf (err, err_len, "%s", err2);
          rc = -1;
        }
    }
  if (keep)
    {
      keep_pending (self, snap, t);
      self->pending_bucket = bucket;
    }
  return rc;
}

int
ms_store_add_event (ms_store_t *self, const ms_event_t *ev, double time_unix)
{
  FILE *out = open_events (self);
  ms_event_t copy = *ev;
  int rc;

  if (out == NULL)
    return -1;
  copy.time_s = time_unix;
  ms_trace_event_json (out, &copy);
  rc = ferror (out) ? -1 : 0;
  if (fclose (out) != 0)
    rc = -1;
  return rc;
}

size_t
ms_store_memory_bytes (const ms_store_t *self)
{
  size_t bytes = self->rows.cap + self->pending_rows.cap;

  for (int t = 0; t < N_TIERS; t++)
    if (self->open[t].writer != NULL)
      bytes += ms_trace_writer_get_buffer_size (self->open[t].writer);
  return bytes;
}

uint64_t
ms_store_disk_bytes (const ms_store_t *self)
{
  uint64_t total = 0;

  for (size_t i = 0; i < self->n_segments; i++)
    total += self->segments[i].bytes;
  return total;
}

void
ms_store_close (ms_store_t *self)
{
  char err[512];

  if (self == NULL)
    return;
  if (self->dir != NULL)
    flush_pending (self, err, sizeof err);
  for (int t = 0; t < N_TIERS; t++)
    close_segment (&self->open[t]);
  ms_trace_rows_clear (&self->pending_rows);
  ms_trace_rows_clear (&self->rows);
  ms_free (self->segments);
  ms_free (self->dir);
  ms_free (self);
}

/* ---------------------------------------------------------------------------------------------- */
/* Reading the samples back                                                                       */
/* ---------------------------------------------------------------------------------------------- */

typedef struct
{
  double offset_s;
  double from, to;
  double coarse_until; /* coarse samples at or after this are covered by the fine tier */
  bool coarse;
  double last;
  ms_trace_sample_fn fn;
  void *user;
  bool stopped;
  bool past_end;
} read_ctx_t;

static int
read_sample_cb (ms_snapshot_t *snap, void *user)
{
  read_ctx_t *ctx = user;
  double t = snap->time_s + ctx->offset_s;

  if (t > ctx->to)
    {
      ctx->past_end = true;
      return 1;
    }
  if (ctx->coarse && t >= ctx->coarse_until)
    return 1;
  if (t < ctx->from || !(t > ctx->last))
    return 0;
  ctx->last = t;
  snap->time_s = t;
  snap->time_unix = t;
  if (ctx->fn (snap, ctx->user) != 0)
    {
      ctx->stopped = true;
      return 1;
    }
  return 0;
}

/* Length of the text a crash may have cut: when the file does not end in a newline, the sample
 * being written when it stopped is dropped whole (its first row is its machine row), so a partly
 * written sample never looks like processes that exited. */
static size_t
complete_length (const char *data, size_t len)
{
  static const char machine[] = ",0,0," MS_TRACE_MACHINE_COMM ",";
  size_t last_nl, tail, t, line_start;

  if (len == 0 || data[len - 1] == '\n')
    return len;
  for (last_nl = len; last_nl > 0 && data[last_nl - 1] != '\n'; last_nl--)
    ;
  if (last_nl == 0)
    return 0; /* not even the header is whole */
  tail = last_nl;
  for (t = tail; t < len && strchr ("0123456789.-+eE", data[t]) != NULL; t++)
    ;
  if (t < len)
    {
      size_t rest = len - t;

      /* The cut is inside a machine row: the samples before it are whole. */
      if (rest <= sizeof machine - 1 && memcmp (data + t, machine, rest) == 0)
        return last_nl;
    }
  else
    {
      /* Only time digits: a new sample's first row unless they could still be the time of the
       * complete line before (then it is undecidable, and that sample goes too). */
      size_t prev = last_nl - 1, k;

      while (prev > 0 && data[prev - 1] != '\n')
        prev--;
      for (k = 0; tail + k < len && prev + k < last_nl && data[tail + k] == data[prev + k]; k++)
        ;
      if (tail + k < len)
        return last_nl;
    }
  /* Drop back to the start of the last machine row. */
  line_start = last_nl - 1;
  while (line_start > 0)
    {
      size_t s = line_start;

      while (s > 0 && data[s - 1] != '\n')
        s--;
      for (t = s; t < len && strchr ("0123456789.-+eE", data[t]) != NULL; t++)
        ;
      if (len - t >= sizeof machine - 1 && memcmp (data + t, machine, sizeof machine - 1) == 0)
        return s;
      if (s == 0)
        break;
      line_start = s - 1;
    }
  return 0;
}

/* Reads one segment through a mapping of its whole lines; returns the reader's result. */
static int
read_segment (const char *path, read_ctx_t *ctx, char *msg, size_t msg_len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  void *map;
  size_t len, keep;
  ms_trace_reader_t *r;
  int rc;

  msg[0] = '\0';
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      snprintf (msg, msg_len, "%s: cannot open: %s", path, strerror (errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  len = (size_t) st.st_size;
  if (len == 0)
    {
      close (fd);
      snprintf (msg, msg_len, "%s:1: empty file", path);
      return -1;
    }
  map = mmap (NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    {
      snprintf (msg, msg_len, "%s: cannot map: %s", path, strerror (errno));
      return -1;
    }
  keep = complete_length (map, len);
  r = ms_trace_reader_new_mem (map, keep, path);
  if (r == NULL)
    {
      munmap (map, len);
      snprintf (msg, msg_len, "%s: out of memory", path);
      return -1;
    }
  rc = ms_trace_reader_run (r, read_sample_cb, ctx);
  if (rc < 0)
    snprintf (msg, msg_len, "%s", ms_trace_reader_error (r));
  else if (keep < len)
    {
      snprintf (msg, msg_len, "%s: the last sample was cut short (%zu bytes dropped)", path,
                len - keep);
      rc = -1;
    }
  ms_trace_reader_free (r);
  munmap (map, len);
  return rc;
}

int
ms_store_read (const char *dir, double from_unix, double to_unix, ms_trace_sample_fn fn,
               void *user, unsigned *n_damaged, char *err, size_t err_len)
{
  segment_t *segs = NULL;
  size_t n = 0, cap = 0;
  read_ctx_t ctx = { 0 };
  double first_fine = INFINITY;

  if (n_damaged != NULL)
    *n_damaged = 0;
  if (err_len > 0)
    err[0] = '\0';
  if (list_segments (dir, &segs, &n, &cap) != 0)
    {
      snprintf (err, err_len, "%s: cannot be read: %s", dir, strerror (errno));
      return -1;
    }
  for (size_t i = 0; i < n; i++)
    if (segs[i].tier == TIER_FINE)
      {
        first_fine = segs[i].start_ms / 1000.0;
        break;
      }

  ctx.from = from_unix;
  ctx.to = to_unix;
  ctx.coarse_until = first_fine;
  ctx.last = -INFINITY;
  ctx.fn = fn;
  ctx.user = user;
  /* Coarse segments first (they end where the fine tier starts), then the fine ones. */
  for (int pass = 0; pass < N_TIERS && !ctx.stopped; pass++)
    {
      tier_t tier = pass == 0 ? TIER_COARSE : TIER_FINE;

      ctx.past_end = false;
      for (size_t i = 0; i < n && !ctx.stopped && !ctx.past_end; i++)
        {
          char path[4096], msg[4096 + 512];
          double next_start = INFINITY;

          if (segs[i].tier != tier)
            continue;
          if (tier == TIER_COARSE && segs[i].start_ms / 1000.0 >= first_fine)
            break;
          for (size_t j = i + 1; j < n; j++)
            if (segs[j].tier == tier)
              {
                next_start = segs[j].start_ms / 1000.0;
                break;
              }
          /* Segments wholly before `from` need no reading. */
          if (next_start < from_unix)
            continue;
          segment_path (path, sizeof path, dir, tier, segs[i].start_ms);
          ctx.offset_s = segs[i].start_ms / 1000.0;
          ctx.coarse = tier == TIER_COARSE;
          if (read_segment (path, &ctx, msg, sizeof msg) < 0)
            {
              if (n_damaged != NULL)
                (*n_damaged)++;
              if (err_len > 0 && err[0] == '\0')
                snprintf (err, err_len, "%s", msg);
            }
        }
    }
  ms_free (segs);
  return ctx.stopped ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Reading the events back                                                                        */
/* ---------------------------------------------------------------------------------------------- */

static const char *
skip_space (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  return p;
}

static void
put_utf8 (char *out, size_t *o, size_t max, uint32_t cp)
{
  char tmp[4];
  size_t n;

  if (cp < 0x100)
    {
      /* The writer spells a byte that is not UTF-8 as \u00XX: undo that to the same byte. */
      tmp[0] = (char) cp;
      n = 1;
    }
  else if (cp < 0x800)
    {
      tmp[0] = (char) (0xc0 | (cp >> 6));
      tmp[1] = (char) (0x80 | (cp & 0x3f));
      n = 2;
    }
  else
    {
      tmp[0] = (char) (0xe0 | (cp >> 12));
      tmp[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
      tmp[2] = (char) (0x80 | (cp & 0x3f));
      n = 3;
    }
  if (*o + n < max)
    {
      memcpy (out + *o, tmp, n);
      *o += n;
    }
}

/* Parses a JSON string at p (at the opening quote) into out; returns the position after it or NULL. */
static const char *
parse_string (const char *p, const char *end, char *out, size_t max)
{
  size_t o = 0;

  if (p >= end || *p != '"')
    return NULL;
  for (p++; p < end; p++)
    {
      char c = *p;

      if (c == '"')
        {
          if (max > 0)
            out[o] = '\0';
          return p + 1;
        }
      if (c == '\\')
        {
          if (++p >= end)
            return NULL;
          switch (*p)
            {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '/': case '\\': case '"': c = *p; break;
            case 'u':
              {
                uint32_t cp = 0;

                if (end - p < 5)
                  return NULL;
                for (int i = 1; i <= 4; i++)
                  {
                    char h = p[i];

                    cp <<= 4;
                    if (h >= '0' && h <= '9')
                      cp |= (uint32_t) (h - '0');
                    else if (h >= 'a' && h <= 'f')
                      cp |= (uint32_t) (h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                      cp |= (uint32_t) (h - 'A' + 10);
                    else
                      return NULL;
                  }
                p += 4;
                put_utf8 (out, &o, max, cp);
                continue;
              }
            default:
              return NULL;
            }
        }
      if (o + 1 < max)
        out[o++] = c;
    }
  return NULL;
}

/* Parses a number or null; *v is NAN for null. */
static const char *
parse_number (const char *p, const char *end, double *v)
{
  char tmp[64];
  size_t n = 0;
  char *stop = NULL;

  if (end - p >= 4 && memcmp (p, "null", 4) == 0)
    {
      *v = NAN;
      return p + 4;
    }
  while (p + n < end && n + 1 < sizeof tmp
         && strchr ("0123456789+-.eE", p[n]) != NULL && p[n] != '\0')
    {
      tmp[n] = p[n];
      n++;
    }
  if (n == 0)
    return NULL;
  tmp[n] = '\0';
  *v = ms_c_strtod (tmp, &stop);
  if (stop != tmp + n)
    return NULL;
  return p + n;
}

int
ms_store_parse_event (const char *line, size_t len, ms_store_event_t *out)
{
  const char *p = line, *end = line + len;
  unsigned seen = 0;
  enum { SEEN_TIME = 1, SEEN_PID = 2, SEEN_TAG = 4, SEEN_EVENT = 8 };

  memset (out, 0, sizeof *out);
  out->event.rate_kib_s = NAN;
  out->event.duration_s = NAN;
  out->event.confidence = NAN;
  out->event.exhaust_s = NAN;
  out->event.jump_kib = NAN;

  p = skip_space (p, end);
  if (p >= end || *p != '{')
    return -1;
  p++;
  for (;;)
    {
      char key[32], text[MS_COMM_MAX];
      double v = NAN;

      p = skip_space (p, end);
      if (p < end && *p == '}')
        break;
      p = parse_string (p, end, key, sizeof key);
      if (p == NULL)
        return -1;
      p = skip_space (p, end);
      if (p >= end || *p != ':')
        return -1;
      p = skip_space (p + 1, end);
      if (p < end && *p == '"')
        {
          p = parse_string (p, end, text, sizeof text);
          if (p == NULL)
            return -1;
          if (strcmp (key, "comm") == 0)
            snprintf (out->event.comm, sizeof out->event.comm, "%s", text);
          else if (strcmp (key, "tag") == 0)
            {
              if (strcmp (text, "LEAK") == 0)
                out->event.tag = MS_TAG_LEAK;
              else if (strcmp (text, "SPIKE") == 0)
                out->event.tag = MS_TAG_SPIKE;
              else if (strcmp (text, "ZOMBIE") == 0)
                out->event.tag = MS_TAG_ZOMBIE;
              else if (strcmp (text, "OOM") == 0)
                out->event.tag = MS_STORE_TAG_OOM;
              else
                return -1;
              seen |= SEEN_TAG;
            }
          else if (strcmp (key, "event") == 0)
            {
              if (strcmp (text, "set") != 0 && strcmp (text, "clear") != 0)
                return -1;
              out->event.set = strcmp (text, "set") == 0;
              seen |= SEEN_EVENT;
            }
          else if (strcmp (key, "reason") == 0)
            {
              /* A reason this version does not know stays unknown: the event still counts. */
              if (strcmp (text, "stopped") == 0)
                out->event.reason = MS_CLEAR_STOPPED;
              else if (strcmp (text, "exited") == 0)
                out->event.reason = MS_CLEAR_EXITED;
              else if (strcmp (text, "reset") == 0)
                out->event.reason = MS_CLEAR_RESET;
            }
        }
      else if (p < end && (*p == 't' || *p == 'f'))
        {
          size_t n = *p == 't' ? 4 : 5;

          if ((size_t) (end - p) < n)
            return -1;
          p += n;
        }
      else
        {
          p = parse_number (p, end, &v);
          if (p == NULL)
            return -1;
          if (strcmp (key, "time_s") == 0 && isfinite (v))
            {
              out->event.time_s = v;
              seen |= SEEN_TIME;
            }
          else if (strcmp (key, "pid") == 0)
            {
              /* Out of range numbers are not an identity: the line is not an event. */
              if (!(v >= INT32_MIN && v <= INT32_MAX))
                return -1;
              out->event.pid = (int32_t) v;
              seen |= SEEN_PID;
            }
          else if (strcmp (key, "starttime") == 0)
            {
              if (!(v >= 0 && v < 18446744073709551616.0))
                return -1;
              out->event.starttime = (uint64_t) v;
            }
          else if (strcmp (key, "rate_kib_s") == 0)
            out->event.rate_kib_s = v;
          else if (strcmp (key, "duration_s") == 0)
            out->event.duration_s = v;
          else if (strcmp (key, "confidence") == 0)
            out->event.confidence = v;
          else if (strcmp (key, "exhaust_s") == 0)
            out->event.exhaust_s = v;
          else if (strcmp (key, "jump_kib") == 0)
            out->event.jump_kib = v;
          else if (strcmp (key, "oom_kills") == 0 && v >= 0 && v < 18446744073709551616.0)
            out->oom_kills = (uint64_t) v;
        }
      p = skip_space (p, end);
      if (p < end && *p == ',')
        {
          p++;
          continue;
        }
      if (p < end && *p == '}')
        break;
      return -1;
    }
  return seen == (SEEN_TIME | SEEN_PID | SEEN_TAG | SEEN_EVENT) ? 0 : -1;
}

static int
read_events_file (const char *path, double since, ms_store_event_fn fn, void *user,
                  unsigned *n_bad)
{
  FILE *in = fopen (path, "rb");
  char line[MAX_EVENT_LINE];
  int rc = 0;

  if (in == NULL)
    return errno == ENOENT ? 0 : -1;
  while (fgets (line, sizeof line, in) != NULL)
    {
      size_t len = strlen (line);
      ms_store_event_t ev;

      if (len == sizeof line - 1 && line[len - 1] != '\n')
        {
          int c;

          /* An overlong line is not an event: skip to its end. */
          while ((c = fgetc (in)) != EOF && c != '\n')
            ;
          (*n_bad)++;
          continue;
        }
      if (len == 0 || (len == 1 && line[0] == '\n'))
        continue;
      if (ms_store_parse_event (line, len, &ev) != 0)
        {
          (*n_bad)++;
          continue;
        }
      if (ev.event.time_s < since)
        continue;
      if (fn (&ev, user) != 0)
        {
          rc = 1;
          break;
        }
    }
  if (rc == 0 && ferror (in))
    rc = -1;
  fclose (in);
  return rc;
}

int
ms_store_read_events (const char *dir, double since_unix, ms_store_event_fn fn, void *user,
                      unsigned *n_bad)
{
  char path[4096];
  unsigned bad = 0;
  int rc;

  snprintf (path, sizeof path, "%s/" EVENTS_OLD_NAME, dir);
  rc = read_events_file (path, since_unix, fn, user, &bad);
  if (rc == 0)
    {
      snprintf (path, sizeof path, "%s/" EVENTS_NAME, dir);
      rc = read_events_file (path, since_unix, fn, user, &bad);
    }
  if (n_bad != NULL)
    *n_bad = bad;
  return rc;
}
