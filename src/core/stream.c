/* SPDX-License-Identifier: MIT */
/* Encoder, framing reader and decoder of the app <-> host probe stream. */
#include "config.h"

#include "parse.h"
#include "stream.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

#define MAGIC "MSCP"
#define MAGIC_LEN 4

/* Fewest payload bytes one item can take: a count that cannot fit in what is left is refused
 * before anything is allocated for it. */
#define PROC_MIN_BYTES 168
#define EVENT_MIN_BYTES 64
#define GROUP_MIN_BYTES 47

uint8_t
ms_stream_signal_code (int sig)
{
  switch (sig)
    {
    case SIGSTOP: return MS_STREAM_SIG_STOP;
    case SIGCONT: return MS_STREAM_SIG_CONT;
    case SIGTERM: return MS_STREAM_SIG_TERM;
    case SIGKILL: return MS_STREAM_SIG_KILL;
    default: return MS_STREAM_SIG_NONE;
    }
}

int
ms_stream_signal_from_code (uint8_t code)
{
  switch (code)
    {
    case MS_STREAM_SIG_STOP: return SIGSTOP;
    case MS_STREAM_SIG_CONT: return SIGCONT;
    case MS_STREAM_SIG_TERM: return SIGTERM;
    case MS_STREAM_SIG_KILL: return SIGKILL;
    default: return 0;
    }
}

const char *
ms_stream_type_name (unsigned type)
{
  switch (type)
    {
    case MS_FRAME_HELLO: return "hello";
    case MS_FRAME_SNAPSHOT: return "snapshot";
    case MS_FRAME_EVENTS: return "events";
    case MS_FRAME_SMAPS_GROUPS: return "smaps-groups reply";
    case MS_FRAME_SIGNAL: return "signal reply";
    case MS_FRAME_ERROR: return "error";
    case MS_REQ_HELLO: return "hello";
    case MS_REQ_SET_INTERVAL: return "set-interval";
    case MS_REQ_PSS_PRIORITY: return "pss-priority";
    case MS_REQ_SMAPS_GROUPS: return "smaps-groups";
    case MS_REQ_SIGNAL: return "signal";
    case MS_REQ_RESET_BASELINE: return "reset-baseline";
    case MS_REQ_RESTORE_BASELINES: return "restore-baselines";
    default: return "unknown";
    }
}

void
ms_stream_hello_init (ms_stream_hello_t *hello, const char *software, uint32_t capabilities)
{
  memset (hello, 0, sizeof *hello);
  hello->major = MS_STREAM_VERSION_MAJOR;
  hello->minor = MS_STREAM_VERSION_MINOR;
  hello->capabilities = capabilities;
  hello->max_frame = MS_STREAM_MAX_FRAME;
  snprintf (hello->software, sizeof hello->software, "%s", software ? software : "");
}

/* ------------------------------------------------------------------------------------------ */
/* Encoding                                                                                   */

void
ms_stream_buf_init (ms_stream_buf_t *b)
{
  memset (b, 0, sizeof *b);
}

void
ms_stream_buf_clear (ms_stream_buf_t *b)
{
  ms_free (b->data);
  ms_stream_buf_init (b);
}

void
ms_stream_buf_reset (ms_stream_buf_t *b)
{
  b->len = 0;
  b->failed = false;
}

static void
put (ms_stream_buf_t *b, const void *src, size_t n)
{
  if (b->failed || n == 0)
    return;
  if (b->len + n < b->len || ms_grow ((void **) &b->data, &b->cap, b->len + n, 1) != 0)
    {
      b->failed = true;
      return;
    }
  memcpy (b->data + b->len, src, n);
  b->len += n;
}

static void
put_u8 (ms_stream_buf_t *b, uint8_t v)
{
  put (b, &v, 1);
}

static void
put_u16 (ms_stream_buf_t *b, uint16_t v)
{
  uint8_t x[2] = { (uint8_t) v, (uint8_t) (v >> 8) };

  put (b, x, sizeof x);
}

static void
put_u32 (ms_stream_buf_t *b, uint32_t v)
{
  uint8_t x[4];

  for (int i = 0; i < 4; i++)
    x[i] = (uint8_t) (v >> (8 * i));
  put (b, x, sizeof x);
}

static void
put_u64 (ms_stream_buf_t *b, uint64_t v)
{
  uint8_t x[8];

  for (int i = 0; i < 8; i++)
    x[i] = (uint8_t) (v >> (8 * i));
  put (b, x, sizeof x);
}

static void
put_i32 (ms_stream_buf_t *b, int32_t v)
{
  put_u32 (b, (uint32_t) v);
}

static void
put_i64 (ms_stream_buf_t *b, int64_t v)
{
  put_u64 (b, (uint64_t) v);
}

static void
put_f64 (ms_stream_buf_t *b, double v)
{
  uint64_t bits;

  memcpy (&bits, &v, sizeof bits);
  put_u64 (b, bits);
}

/* A string: u16 length, then the bytes up to the first NUL and at most max_len of them. */
static void
put_str (ms_stream_buf_t *b, const char *s, size_t max_len)
{
  size_t n = strnlen (s, max_len);

  if (n > UINT16_MAX)
    n = UINT16_MAX;
  put_u16 (b, (uint16_t) n);
  put (b, s, n);
}

static size_t
begin_frame (ms_stream_buf_t *b, uint8_t type)
{
  size_t start = b->len;

  b->failed = false;
  put_u32 (b, 0);
  put_u8 (b, type);
  return start;
}

static int
end_frame (ms_stream_buf_t *b, size_t start)
{
  size_t payload = b->len - start - 4;

  if (b->failed || payload > MS_STREAM_MAX_FRAME)
    {
      b->len = start;
      b->failed = false;
      return -1;
    }
  for (int i = 0; i < 4; i++)
    b->data[start + (size_t) i] = (uint8_t) (payload >> (8 * i));
  return 0;
}

static void
put_hello (ms_stream_buf_t *b, const ms_stream_hello_t *h)
{
  put (b, MAGIC, MAGIC_LEN);
  put_u16 (b, h->major);
  put_u16 (b, h->minor);
  put_u32 (b, h->capabilities);
  put_u32 (b, h->max_frame);
  put_str (b, h->software, sizeof h->software - 1);
}

int
ms_stream_encode_hello (ms_stream_buf_t *b, const ms_stream_hello_t *hello)
{
  size_t start = begin_frame (b, MS_FRAME_HELLO);

  put_hello (b, hello);
  return end_frame (b, start);
}

static void
put_proc (ms_stream_buf_t *b, const ms_proc_t *p)
{
  put_i32 (b, p->pid);
  put_i32 (b, p->ppid);
  put_u64 (b, p->starttime);
  put_u32 (b, p->uid);
  put_u8 (b, (uint8_t) p->state);
  put_u8 (b, p->kernel_thread ? 1 : 0);
  put_i32 (b, p->threads);
  put_str (b, p->comm, sizeof p->comm - 1);
  put_str (b, p->user, sizeof p->user - 1);
  put_str (b, p->group, sizeof p->group - 1);
  put_str (b, p->cmdline, sizeof p->cmdline - 1);
  put_str (b, p->exe, sizeof p->exe - 1);
  put_i64 (b, p->rss_kib);
  put_i64 (b, p->anon_kib);
  put_i64 (b, p->file_kib);
  put_i64 (b, p->shmem_kib);
  put_i64 (b, p->swap_kib);
  put_i64 (b, p->hwm_kib);
  put_i64 (b, p->pss_kib);
  put_i64 (b, p->uss_kib);
  put_i64 (b, p->swap_pss_kib);
  put_f64 (b, p->pss_age_s);
  put_i64 (b, p->footprint_kib);
  put_i64 (b, p->baseline_kib);
  put_i64 (b, p->delta_kib);
  put_f64 (b, p->first_seen_s);
  put_f64 (b, p->start_unix);
  put_f64 (b, p->cpu_pct);
  put_u32 (b, p->tags);
}

int
ms_stream_encode_snapshot (ms_stream_buf_t *b, const ms_snapshot_t *snap)
{
  return ms_stream_encode_snapshot_as (b, snap, MS_STREAM_VERSION_MINOR);
}

int
ms_stream_encode_snapshot_as (ms_stream_buf_t *b, const ms_snapshot_t *snap, uint16_t minor)
{
  size_t start = begin_frame (b, MS_FRAME_SNAPSHOT);
  const ms_meminfo_t *m = &snap->mem;
  const ms_pressure_t *pr = &snap->pressure;

  if (snap->n_procs > UINT32_MAX)
    {
      b->failed = true;
      return end_frame (b, start);
    }
  put_f64 (b, snap->time_s);
  put_f64 (b, snap->time_unix);
  put_f64 (b, snap->interval_s);
  put_i64 (b, m->mem_total_kib);
  put_i64 (b, m->mem_available_kib);
  put_i64 (b, m->mem_free_kib);
  put_i64 (b, m->cached_kib);
  put_i64 (b, m->buffers_kib);
  put_i64 (b, m->shmem_kib);
  put_i64 (b, m->swap_total_kib);
  put_i64 (b, m->swap_free_kib);
  put_i64 (b, m->slab_kib);
  put_u8 (b, pr->valid ? 1 : 0);
  put_f64 (b, pr->some_avg10);
  put_f64 (b, pr->some_avg60);
  put_f64 (b, pr->full_avg10);
  put_f64 (b, pr->full_avg60);
  put_u64 (b, snap->oom_counter.count);
  put_u32 (b, (uint32_t) snap->n_procs);
  for (size_t i = 0; i < snap->n_procs && !b->failed; i++)
    put_proc (b, &snap->procs[i]);
  /* 1.1: appended, so a 1.0 reader (which skips what a newer minor appends) is served unchanged. */
  if (minor >= 1)
    put_u8 (b, snap->oom_counter.valid ? 1 : 0);
  return end_frame (b, start);
}

int
ms_stream_encode_events (ms_stream_buf_t *b, const ms_event_t *events, size_t n_events)
{
  size_t start = begin_frame (b, MS_FRAME_EVENTS);

  if (n_events > UINT32_MAX)
    b->failed = true;
  put_u32 (b, (uint32_t) n_events);
  for (size_t i = 0; i < n_events && !b->failed; i++)
    {
      const ms_event_t *e = &events[i];

      put_f64 (b, e->time_s);
      put_i32 (b, e->pid);
      put_u64 (b, e->starttime);
      put_str (b, e->comm, sizeof e->comm - 1);
      put_u8 (b, (uint8_t) e->tag);
      put_u8 (b, e->set ? 1 : 0);
      put_f64 (b, e->rate_kib_s);
      put_f64 (b, e->duration_s);
      put_f64 (b, e->confidence);
      put_f64 (b, e->exhaust_s);
      put_f64 (b, e->jump_kib);
    }
  return end_frame (b, start);
}

static void
put_reply (ms_stream_buf_t *b, const ms_stream_reply_t *r)
{
  put_u32 (b, r->id);
  put_i32 (b, r->result);
  put_i32 (b, r->pid);
  put_u64 (b, r->starttime);
}

int
ms_stream_encode_smaps_reply (ms_stream_buf_t *b, const ms_stream_reply_t *reply,
                              const ms_smaps_groups_t *groups)
{
  size_t start = begin_frame (b, MS_FRAME_SMAPS_GROUPS);

  put_reply (b, reply);
  if (reply->result == 0)
    {
      size_t n = groups ? groups->n_groups : 0;

      if (n > UINT32_MAX)
        b->failed = true;
      put_u32 (b, (uint32_t) n);
      for (size_t i = 0; i < n && !b->failed; i++)
        {
          const ms_smaps_group_t *g = &groups->groups[i];

          put_u8 (b, (uint8_t) g->kind);
          put_str (b, g->name, g->name_len);
          put_u32 (b, g->mappings);
          put_i64 (b, g->size_kib);
          put_i64 (b, g->rss_kib);
          put_i64 (b, g->pss_kib);
          put_i64 (b, g->swap_kib);
          put_i64 (b, g->private_kib);
        }
    }
  return end_frame (b, start);
}

int
ms_stream_encode_signal_reply (ms_stream_buf_t *b, const ms_stream_reply_t *reply, int sig)
{
  size_t start = begin_frame (b, MS_FRAME_SIGNAL);

  put_reply (b, reply);
  put_u8 (b, ms_stream_signal_code (sig));
  return end_frame (b, start);
}

int
ms_stream_encode_error (ms_stream_buf_t *b, uint64_t request_number, const char *text)
{
  size_t start = begin_frame (b, MS_FRAME_ERROR);

  put_u64 (b, request_number);
  put_str (b, text ? text : "", MS_STREAM_ERROR_MAX - 1);
  return end_frame (b, start);
}

int
ms_stream_encode_request (ms_stream_buf_t *b, const ms_stream_request_t *req)
{
  size_t start = begin_frame (b, (uint8_t) req->type);

  switch (req->type)
    {
    case MS_REQ_HELLO:
      put_hello (b, &req->hello);
      break;
    case MS_REQ_SET_INTERVAL:
      put_f64 (b, req->interval_s);
      break;
    case MS_REQ_PSS_PRIORITY:
    case MS_REQ_RESET_BASELINE:
      put_i32 (b, req->pid);
      put_u64 (b, req->starttime);
      break;
    case MS_REQ_SMAPS_GROUPS:
      put_u32 (b, req->id);
      put_i32 (b, req->pid);
      put_u64 (b, req->starttime);
      break;
    case MS_REQ_SIGNAL:
      put_u32 (b, req->id);
      put_i32 (b, req->pid);
      put_u64 (b, req->starttime);
      put_u8 (b, ms_stream_signal_code (req->sig));
      break;
    case MS_REQ_RESTORE_BASELINES:
      if (req->n_baselines > UINT32_MAX)
        {
          b->failed = true;
          break;
        }
      put_u32 (b, (uint32_t) req->n_baselines);
      for (size_t i = 0; i < req->n_baselines; i++)
        {
          put_i32 (b, req->baselines[i].pid);
          put_u64 (b, req->baselines[i].starttime);
          put_i64 (b, req->baselines[i].baseline_kib);
        }
      break;
    default:
      b->failed = true;
      break;
    }
  return end_frame (b, start);
}

/* ------------------------------------------------------------------------------------------ */
/* Framing                                                                                    */

struct ms_stream_reader
{
  uint8_t *buf;
  size_t cap;
  size_t start; /* first byte not yet handed out */
  size_t len;   /* bytes held from start */
  uint32_t max_frame;
  uint64_t frames; /* frames yielded */
  bool broken;
  char broken_msg[160];
};

ms_stream_reader_t *
ms_stream_reader_new (uint32_t max_frame)
{
  ms_stream_reader_t *r = ms_calloc (1, sizeof *r);

  if (r != NULL)
    r->max_frame = max_frame ? max_frame : MS_STREAM_MAX_FRAME;
  return r;
}

void
ms_stream_reader_free (ms_stream_reader_t *r)
{
  if (r == NULL)
    return;
  ms_free (r->buf);
  ms_free (r);
}

/* Makes room for `extra` more bytes after what is held, moving the held bytes to the front. */
static int
reader_reserve (ms_stream_reader_t *r, size_t extra)
{
  if (r->start > 0)
    {
      if (r->len > 0)
        memmove (r->buf, r->buf + r->start, r->len);
      r->start = 0;
    }
  if (r->len + extra < r->len)
    return -1;
  return ms_grow ((void **) &r->buf, &r->cap, r->len + extra, 1);
}

int
ms_stream_reader_feed (ms_stream_reader_t *r, const void *data, size_t len)
{
  if (len == 0)
    return 0;
  if (reader_reserve (r, len) != 0)
    return -1;
  memcpy (r->buf + r->len, data, len);
  r->len += len;
  return 0;
}

static uint32_t
get_le32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

ssize_t
ms_stream_reader_read_fd (ms_stream_reader_t *r, int fd)
{
  size_t want = 65536;
  ssize_t n;

  /* Read a large frame in few calls: ask for the rest of it at once. */
  if (r->len >= 4)
    {
      uint32_t frame = get_le32 (r->buf + r->start);

      if (frame <= r->max_frame && (size_t) frame + 4 > r->len
          && (size_t) frame + 4 - r->len > want)
        want = (size_t) frame + 4 - r->len;
    }
  if (reader_reserve (r, want) != 0)
    return -ENOMEM;
  do
    n = read (fd, r->buf + r->len, want);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  r->len += (size_t) n;
  return n;
}

int
ms_stream_reader_next (ms_stream_reader_t *r, const uint8_t **payload, size_t *len,
                       uint64_t *number, char *err, size_t err_len)
{
  uint32_t frame;

  if (r->broken)
    {
      snprintf (err, err_len, "%s", r->broken_msg);
      return -1;
    }
  if (r->len < 4)
    return 0;
  frame = get_le32 (r->buf + r->start);
  if (frame == 0 || frame > r->max_frame)
    {
      r->broken = true;
      if (frame == 0)
        snprintf (r->broken_msg, sizeof r->broken_msg,
                  "frame %" PRIu64 ": length 0 (a payload has at least its type byte); "
                  "the stream cannot be followed past it",
                  r->frames + 1);
      else
        snprintf (r->broken_msg, sizeof r->broken_msg,
                  "frame %" PRIu64 ": length %" PRIu32 " is over the limit of %" PRIu32
                  " bytes; the stream cannot be followed past it",
                  r->frames + 1, frame, r->max_frame);
      snprintf (err, err_len, "%s", r->broken_msg);
      return -1;
    }
  if (r->len - 4 < frame)
    return 0;
  *payload = r->buf + r->start + 4;
  *len = frame;
  r->start += 4 + (size_t) frame;
  r->len -= 4 + (size_t) frame;
  r->frames++;
  if (number != NULL)
    *number = r->frames;
  return 1;
}

int
ms_stream_reader_finish (const ms_stream_reader_t *r, char *err, size_t err_len)
{
  if (r->broken)
    {
      snprintf (err, err_len, "%s", r->broken_msg);
      return -1;
    }
  if (r->len == 0)
    return 0;
  if (r->len < 4)
    snprintf (err, err_len, "frame %" PRIu64 ": the stream ended inside its length (%zu of 4 bytes)",
              r->frames + 1, r->len);
  else
    snprintf (err, err_len,
              "frame %" PRIu64 ": the stream ended after %zu of its %" PRIu32 " bytes",
              r->frames + 1, r->len - 4, get_le32 (r->buf + r->start));
  return -1;
}

size_t
ms_stream_reader_pending (const ms_stream_reader_t *r)
{
  return r->len;
}

/* ------------------------------------------------------------------------------------------ */
/* Decoding                                                                                   */

struct ms_stream_decoder
{
  bool has_peer;
  ms_stream_hello_t peer;
  ms_proc_t *procs;
  size_t procs_cap;
  ms_event_t *events;
  size_t events_cap;
  ms_baseline_t *baselines;
  size_t baselines_cap;
  ms_smaps_groups_t groups;
};

ms_stream_decoder_t *
ms_stream_decoder_new (void)
{
  ms_stream_decoder_t *d = ms_calloc (1, sizeof *d);

  if (d != NULL)
    ms_smaps_groups_init (&d->groups);
  return d;
}

void
ms_stream_decoder_free (ms_stream_decoder_t *d)
{
  if (d == NULL)
    return;
  ms_free (d->procs);
  ms_free (d->events);
  ms_free (d->baselines);
  ms_smaps_groups_clear (&d->groups);
  ms_free (d);
}

const ms_stream_hello_t *
ms_stream_decoder_peer (const ms_stream_decoder_t *d)
{
  return d->has_peer ? &d->peer : NULL;
}

/* A read position in one payload that remembers the first thing that went wrong. */
typedef struct
{
  const uint8_t *start, *p, *end;
  bool failed;
  ms_stream_status_t status;
  char *err;
  size_t err_len;
  char prefix[64]; /* "frame 7 (snapshot)" */
  char where[64];  /* "process 3 of 120, " or "" */
} cursor_t;

static void cursor_fail (cursor_t *c, const char *field, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static void
cursor_fail (cursor_t *c, const char *field, const char *fmt, ...)
{
  char detail[160];
  va_list ap;

  if (c->failed)
    return;
  c->failed = true;
  c->status = MS_STREAM_BAD;
  va_start (ap, fmt);
  vsnprintf (detail, sizeof detail, fmt, ap);
  va_end (ap);
  if (c->err != NULL && c->err_len > 0)
    snprintf (c->err, c->err_len, "%s: %s%s at byte %zu: %s", c->prefix, c->where, field,
              (size_t) (c->p - c->start), detail);
}

static bool
need (cursor_t *c, size_t n, const char *field)
{
  size_t left;

  if (c->failed)
    return false;
  left = (size_t) (c->end - c->p);
  if (left < n)
    {
      cursor_fail (c, field, "needs %zu bytes, %zu left", n, left);
      return false;
    }
  return true;
}

static uint64_t
get_le (cursor_t *c, size_t n, const char *field)
{
  uint64_t v = 0;

  if (!need (c, n, field))
    return 0;
  for (size_t i = 0; i < n; i++)
    v |= (uint64_t) c->p[i] << (8 * i);
  c->p += n;
  return v;
}

static uint8_t
get_u8 (cursor_t *c, const char *field)
{
  return (uint8_t) get_le (c, 1, field);
}

static uint16_t
get_u16 (cursor_t *c, const char *field)
{
  return (uint16_t) get_le (c, 2, field);
}

static uint32_t
get_u32 (cursor_t *c, const char *field)
{
  return (uint32_t) get_le (c, 4, field);
}

static uint64_t
get_u64 (cursor_t *c, const char *field)
{
  return get_le (c, 8, field);
}

static int32_t
get_i32 (cursor_t *c, const char *field)
{
  uint32_t u = get_u32 (c, field);
  int32_t v;

  memcpy (&v, &u, sizeof v);
  return v;
}

static int64_t
get_i64 (cursor_t *c, const char *field)
{
  uint64_t u = get_u64 (c, field);
  int64_t v;

  memcpy (&v, &u, sizeof v);
  return v;
}

static double
get_f64 (cursor_t *c, const char *field)
{
  uint64_t u = get_u64 (c, field);
  double v;

  memcpy (&v, &u, sizeof v);
  return v;
}

static bool
get_bool (cursor_t *c, const char *field)
{
  uint8_t v = get_u8 (c, field);

  if (v > 1)
    {
      c->p--;
      cursor_fail (c, field, "%u is neither 0 nor 1", (unsigned) v);
      return false;
    }
  return v == 1;
}

/* A string's bytes in the payload (not copied): no NUL inside, at most max_len long. */
static const uint8_t *
get_bytes (cursor_t *c, const char *field, size_t max_len, size_t *len)
{
  const uint8_t *s;
  uint16_t n = get_u16 (c, field);

  *len = 0;
  if (c->failed)
    return NULL;
  if (n > max_len)
    {
      c->p -= 2;
      cursor_fail (c, field, "a string of %u bytes is longer than the %zu allowed", (unsigned) n,
                   max_len);
      return NULL;
    }
  if (!need (c, n, field))
    return NULL;
  s = c->p;
  if (memchr (s, '\0', n) != NULL)
    {
      cursor_fail (c, field, "the string holds a NUL byte");
      return NULL;
    }
  c->p += n;
  *len = n;
  return s;
}

static void
get_str (cursor_t *c, const char *field, char *dst, size_t cap)
{
  size_t n;
  const uint8_t *s = get_bytes (c, field, cap - 1, &n);

  if (s != NULL)
    memcpy (dst, s, n);
  dst[s != NULL ? n : 0] = '\0';
}

/* Refuses a count of items that cannot fit in the bytes left. */
static bool
check_count (cursor_t *c, uint32_t n, size_t min_bytes, const char *field)
{
  size_t left = (size_t) (c->end - c->p);

  if (c->failed)
    return false;
  if ((uint64_t) n * min_bytes > left)
    {
      c->p -= 4;
      cursor_fail (c, field, "%" PRIu32 " items need at least %" PRIu64 " bytes, %zu left", n,
                   (uint64_t) n * min_bytes, left);
      return false;
    }
  return true;
}

static void
cursor_init (cursor_t *c, const uint8_t *payload, size_t len, const char *kind, uint64_t number,
             char *err, size_t err_len)
{
  memset (c, 0, sizeof *c);
  c->start = c->p = payload;
  c->end = payload + len;
  c->err = err;
  c->err_len = err_len;
  c->status = MS_STREAM_OK;
  if (err != NULL && err_len > 0)
    err[0] = '\0';
  if (len > 0)
    snprintf (c->prefix, sizeof c->prefix, "%s %" PRIu64 " (%s)", kind, number,
              ms_stream_type_name (payload[0]));
  else
    snprintf (c->prefix, sizeof c->prefix, "%s %" PRIu64, kind, number);
}

/* Trailing bytes are an error, unless the peer speaks a newer minor version that may have
 * appended fields this side does not know. */
static ms_stream_status_t
cursor_finish (ms_stream_decoder_t *d, cursor_t *c)
{
  if (!c->failed && c->p != c->end
      && !(d->has_peer && d->peer.minor > MS_STREAM_VERSION_MINOR))
    cursor_fail (c, "end", "%zu bytes left over after the last field",
                 (size_t) (c->end - c->p));
  return c->failed ? c->status : MS_STREAM_OK;
}

static ms_stream_status_t
get_hello (ms_stream_decoder_t *d, cursor_t *c, ms_stream_hello_t *h)
{
  memset (h, 0, sizeof *h);
  if (!need (c, MAGIC_LEN, "magic"))
    return c->status;
  if (memcmp (c->p, MAGIC, MAGIC_LEN) != 0)
    {
      cursor_fail (c, "magic", "not \"" MAGIC "\": the peer does not speak the memscope stream");
      return c->status;
    }
  c->p += MAGIC_LEN;
  h->major = get_u16 (c, "major version");
  h->minor = get_u16 (c, "minor version");
  if (c->failed)
    return c->status;
  /* Checked before anything else is read: another major version may lay out the rest otherwise. */
  if (h->major != MS_STREAM_VERSION_MAJOR)
    {
      if (c->err != NULL && c->err_len > 0)
        snprintf (c->err, c->err_len,
                  "%s: the peer speaks protocol version %u.%u; this side speaks %d.%d",
                  c->prefix, (unsigned) h->major, (unsigned) h->minor, MS_STREAM_VERSION_MAJOR,
                  MS_STREAM_VERSION_MINOR);
      c->failed = true;
      c->status = MS_STREAM_VERSION;
      return c->status;
    }
  h->capabilities = get_u32 (c, "capabilities");
  h->max_frame = get_u32 (c, "max frame");
  get_str (c, "software", h->software, sizeof h->software);
  if (c->failed)
    return c->status;
  /* The minor version decides whether trailing bytes are allowed, so it is known before the end
   * of this very payload is checked. */
  d->peer = *h;
  d->has_peer = true;
  return cursor_finish (d, c);
}

static void
get_proc (cursor_t *c, ms_proc_t *p)
{
  memset (p, 0, sizeof *p);
  p->pid = get_i32 (c, "pid");
  p->ppid = get_i32 (c, "ppid");
  p->starttime = get_u64 (c, "starttime");
  p->uid = get_u32 (c, "uid");
  p->state = (char) get_u8 (c, "state");
  p->kernel_thread = get_bool (c, "kernel_thread");
  p->threads = get_i32 (c, "threads");
  get_str (c, "comm", p->comm, sizeof p->comm);
  get_str (c, "user", p->user, sizeof p->user);
  get_str (c, "group", p->group, sizeof p->group);
  get_str (c, "cmdline", p->cmdline, sizeof p->cmdline);
  get_str (c, "exe", p->exe, sizeof p->exe);
  /* Not on the wire (1.0 peers neither send nor expect it): derived from what is. */
  ms_full_name (p->comm, p->cmdline, p->exe, p->name, sizeof p->name);
  p->rss_kib = get_i64 (c, "rss_kib");
  p->anon_kib = get_i64 (c, "anon_kib");
  p->file_kib = get_i64 (c, "file_kib");
  p->shmem_kib = get_i64 (c, "shmem_kib");
  p->swap_kib = get_i64 (c, "swap_kib");
  p->hwm_kib = get_i64 (c, "hwm_kib");
  p->pss_kib = get_i64 (c, "pss_kib");
  p->uss_kib = get_i64 (c, "uss_kib");
  p->swap_pss_kib = get_i64 (c, "swap_pss_kib");
  p->pss_age_s = get_f64 (c, "pss_age_s");
  p->footprint_kib = get_i64 (c, "footprint_kib");
  p->baseline_kib = get_i64 (c, "baseline_kib");
  p->delta_kib = get_i64 (c, "delta_kib");
  p->first_seen_s = get_f64 (c, "first_seen_s");
  p->start_unix = get_f64 (c, "start_unix");
  p->cpu_pct = get_f64 (c, "cpu_pct");
  p->tags = get_u32 (c, "tags");
}

static ms_stream_status_t
get_snapshot (ms_stream_decoder_t *d, cursor_t *c, ms_snapshot_t *s)
{
  ms_meminfo_t *m = &s->mem;
  ms_pressure_t *pr = &s->pressure;
  uint32_t n;

  memset (s, 0, sizeof *s);
  s->time_s = get_f64 (c, "time_s");
  s->time_unix = get_f64 (c, "time_unix");
  s->interval_s = get_f64 (c, "interval_s");
  m->mem_total_kib = get_i64 (c, "mem_total_kib");
  m->mem_available_kib = get_i64 (c, "mem_available_kib");
  m->mem_free_kib = get_i64 (c, "mem_free_kib");
  m->cached_kib = get_i64 (c, "cached_kib");
  m->buffers_kib = get_i64 (c, "buffers_kib");
  m->shmem_kib = get_i64 (c, "shmem_kib");
  m->swap_total_kib = get_i64 (c, "swap_total_kib");
  m->swap_free_kib = get_i64 (c, "swap_free_kib");
  m->slab_kib = get_i64 (c, "slab_kib");
  pr->valid = get_bool (c, "pressure valid");
  pr->some_avg10 = get_f64 (c, "some_avg10");
  pr->some_avg60 = get_f64 (c, "some_avg60");
  pr->full_avg10 = get_f64 (c, "full_avg10");
  pr->full_avg60 = get_f64 (c, "full_avg60");
  s->oom_counter.count = get_u64 (c, "oom_kill");
  n = get_u32 (c, "process count");
  if (!check_count (c, n, PROC_MIN_BYTES, "process count"))
    return c->status;
  if (ms_grow ((void **) &d->procs, &d->procs_cap, (size_t) n + 1, sizeof *d->procs) != 0)
    return MS_STREAM_NOMEM;
  for (uint32_t i = 0; i < n && !c->failed; i++)
    {
      snprintf (c->where, sizeof c->where, "process %" PRIu32 " of %" PRIu32 ", ", i + 1, n);
      get_proc (c, &d->procs[i]);
    }
  if (c->failed)
    return c->status;
  c->where[0] = '\0';
  s->procs = d->procs;
  s->n_procs = n;
  if (d->has_peer && d->peer.minor >= 1)
    s->oom_counter.valid = get_bool (c, "oom_kill valid");
  else
    /* A 1.0 probe sends 0 for a counter it could not read: 0 is all it can mean there. */
    s->oom_counter.valid = s->oom_counter.count > 0;
  return cursor_finish (d, c);
}

static ms_stream_status_t
get_events (ms_stream_decoder_t *d, cursor_t *c, ms_stream_frame_t *out)
{
  uint32_t n = get_u32 (c, "event count");

  if (!check_count (c, n, EVENT_MIN_BYTES, "event count"))
    return c->status;
  if (ms_grow ((void **) &d->events, &d->events_cap, (size_t) n + 1, sizeof *d->events) != 0)
    return MS_STREAM_NOMEM;
  for (uint32_t i = 0; i < n && !c->failed; i++)
    {
      ms_event_t *e = &d->events[i];
      uint8_t tag;

      snprintf (c->where, sizeof c->where, "event %" PRIu32 " of %" PRIu32 ", ", i + 1, n);
      memset (e, 0, sizeof *e);
      e->time_s = get_f64 (c, "time_s");
      e->pid = get_i32 (c, "pid");
      e->starttime = get_u64 (c, "starttime");
      get_str (c, "comm", e->comm, sizeof e->comm);
      tag = get_u8 (c, "tag");
      if (!c->failed && tag != MS_TAG_LEAK && tag != MS_TAG_SPIKE && tag != MS_TAG_ZOMBIE)
        {
          c->p--;
          cursor_fail (c, "tag", "%u is not LEAK (1), SPIKE (2) or ZOMBIE (4)", (unsigned) tag);
        }
      e->tag = (ms_tag_t) tag;
      e->set = get_bool (c, "set");
      e->rate_kib_s = get_f64 (c, "rate_kib_s");
      e->duration_s = get_f64 (c, "duration_s");
      e->confidence = get_f64 (c, "confidence");
      e->exhaust_s = get_f64 (c, "exhaust_s");
      e->jump_kib = get_f64 (c, "jump_kib");
    }
  if (c->failed)
    return c->status;
  c->where[0] = '\0';
  out->events = d->events;
  out->n_events = n;
  return cursor_finish (d, c);
}

/* pid, starttime, baseline */
#define BASELINE_BYTES (4 + 8 + 8)

static ms_stream_status_t
get_baselines (ms_stream_decoder_t *d, cursor_t *c, ms_stream_request_t *out)
{
  uint32_t n = get_u32 (c, "process count");

  if (!check_count (c, n, BASELINE_BYTES, "process count"))
    return c->status;
  if (ms_grow ((void **) &d->baselines, &d->baselines_cap, (size_t) n + 1, sizeof *d->baselines)
      != 0)
    return MS_STREAM_NOMEM;
  for (uint32_t i = 0; i < n && !c->failed; i++)
    {
      ms_baseline_t *b = &d->baselines[i];

      snprintf (c->where, sizeof c->where, "process %" PRIu32 " of %" PRIu32 ", ", i + 1, n);
      b->pid = get_i32 (c, "pid");
      if (!c->failed && b->pid <= 0)
        {
          c->p -= 4;
          cursor_fail (c, "pid", "%" PRId32 " is not a process", b->pid);
        }
      b->starttime = get_u64 (c, "starttime");
      b->baseline_kib = get_i64 (c, "baseline_kib");
    }
  if (c->failed)
    return c->status;
  c->where[0] = '\0';
  out->baselines = d->baselines;
  out->n_baselines = n;
  return cursor_finish (d, c);
}

static void
get_reply (cursor_t *c, ms_stream_reply_t *r)
{
  r->id = get_u32 (c, "request id");
  r->result = get_i32 (c, "result");
  if (!c->failed && (r->result > 0 || r->result < -4095))
    {
      c->p -= 4;
      cursor_fail (c, "result", "%" PRId32 " is neither 0 nor -errno", r->result);
    }
  r->pid = get_i32 (c, "pid");
  r->starttime = get_u64 (c, "starttime");
}

static bool
add_kib (int64_t *sum, int64_t v)
{
  if (*sum > INT64_MAX - v)
    return false;
  *sum += v;
  return true;
}

static ms_stream_status_t
get_smaps_reply (ms_stream_decoder_t *d, cursor_t *c, ms_stream_frame_t *out)
{
  ms_smaps_groups_t *gs = &d->groups;
  uint32_t n;

  ms_smaps_groups_reset (gs);
  get_reply (c, &out->reply);
  if (c->failed || out->reply.result != 0)
    return cursor_finish (d, c);
  n = get_u32 (c, "group count");
  if (!check_count (c, n, GROUP_MIN_BYTES, "group count"))
    return c->status;
  for (uint32_t i = 0; i < n && !c->failed; i++)
    {
      static const char *const size_fields[] = { "size_kib", "rss_kib", "pss_kib", "swap_kib",
                                                 "private_kib" };
      int64_t sizes[5];
      int64_t *sums[5], *totals[5];
      uint8_t kind;
      uint32_t mappings;
      const uint8_t *name;
      size_t name_len;
      ms_smaps_group_t *g;
      bool created;

      snprintf (c->where, sizeof c->where, "group %" PRIu32 " of %" PRIu32 ", ", i + 1, n);
      kind = get_u8 (c, "kind");
      if (!c->failed && kind >= MS_SMAPS_N_KINDS)
        {
          c->p--;
          cursor_fail (c, "kind", "%u is not a kind of mapping", (unsigned) kind);
        }
      name = get_bytes (c, "name", UINT16_MAX, &name_len);
      mappings = get_u32 (c, "mappings");
      for (int k = 0; k < 5; k++)
        {
          sizes[k] = get_i64 (c, size_fields[k]);
          if (!c->failed && sizes[k] < 0)
            {
              c->p -= 8;
              cursor_fail (c, size_fields[k], "%" PRId64 " is negative", sizes[k]);
            }
        }
      if (c->failed)
        break;
      g = ms_smaps_groups_add (gs, (ms_smaps_kind_t) kind, name_len ? (const char *) name : "",
                               name_len, &created);
      if (g == NULL)
        return MS_STREAM_NOMEM;
      if (!created)
        {
          cursor_fail (c, "name", "the %s group \"%.*s\" is listed twice", ms_smaps_kind_name (kind),
                       (int) (name_len > 60 ? 60 : name_len), (const char *) name);
          break;
        }
      g->mappings = mappings;
      sums[0] = &g->size_kib, sums[1] = &g->rss_kib, sums[2] = &g->pss_kib;
      sums[3] = &g->swap_kib, sums[4] = &g->private_kib;
      totals[0] = &gs->total.size_kib, totals[1] = &gs->total.rss_kib;
      totals[2] = &gs->total.pss_kib, totals[3] = &gs->total.swap_kib;
      totals[4] = &gs->total.private_kib;
      for (int k = 0; k < 5; k++)
        {
          *sums[k] = sizes[k];
          if (!add_kib (totals[k], sizes[k]))
            cursor_fail (c, size_fields[k], "the groups add up past 64 bits");
        }
      if (gs->total.mappings > UINT32_MAX - mappings)
        cursor_fail (c, "mappings", "the groups add up past 32 bits");
      else
        gs->total.mappings += mappings;
      gs->n_mappings += mappings;
    }
  if (c->failed)
    {
      ms_smaps_groups_reset (gs);
      return c->status;
    }
  c->where[0] = '\0';
  out->groups = gs;
  return cursor_finish (d, c);
}

ms_stream_status_t
ms_stream_decode_frame (ms_stream_decoder_t *d, const uint8_t *payload, size_t len,
                        uint64_t number, ms_stream_frame_t *out, char *err, size_t err_len)
{
  cursor_t c;
  uint8_t type;

  cursor_init (&c, payload, len, "frame", number, err, err_len);
  memset (out, 0, sizeof *out);
  out->number = number;
  type = get_u8 (&c, "type");
  if (c.failed)
    return c.status;
  out->type = (ms_frame_type_t) type;
  if (!d->has_peer && type != MS_FRAME_HELLO)
    {
      c.p--;
      cursor_fail (&c, "type", "the stream must begin with a hello");
      return c.status;
    }
  switch (type)
    {
    case MS_FRAME_HELLO:
      return get_hello (d, &c, &out->hello);
    case MS_FRAME_SNAPSHOT:
      return get_snapshot (d, &c, &out->snapshot);
    case MS_FRAME_EVENTS:
      return get_events (d, &c, out);
    case MS_FRAME_SMAPS_GROUPS:
      return get_smaps_reply (d, &c, out);
    case MS_FRAME_SIGNAL:
      {
        uint8_t code;

        get_reply (&c, &out->reply);
        code = get_u8 (&c, "signal");
        if (!c.failed && code > MS_STREAM_SIG_KILL)
          {
            c.p--;
            cursor_fail (&c, "signal", "%u is not a signal code", (unsigned) code);
          }
        out->sig = ms_stream_signal_from_code (code);
        return cursor_finish (d, &c);
      }
    case MS_FRAME_ERROR:
      out->error_request = get_u64 (&c, "request number");
      get_str (&c, "text", out->error, sizeof out->error);
      return cursor_finish (d, &c);
    default:
      if (d->peer.minor > MS_STREAM_VERSION_MINOR)
        return MS_STREAM_UNKNOWN;
      c.p--;
      cursor_fail (&c, "type", "0x%02x is not a frame type", (unsigned) type);
      return c.status;
    }
}

ms_stream_status_t
ms_stream_decode_request (ms_stream_decoder_t *d, const uint8_t *payload, size_t len,
                          uint64_t number, ms_stream_request_t *out, char *err, size_t err_len)
{
  cursor_t c;
  uint8_t type;

  cursor_init (&c, payload, len, "request", number, err, err_len);
  memset (out, 0, sizeof *out);
  type = get_u8 (&c, "type");
  if (c.failed)
    return c.status;
  out->type = (ms_request_type_t) type;
  if (!d->has_peer && type != MS_REQ_HELLO)
    {
      c.p--;
      cursor_fail (&c, "type", "the requests must begin with a hello");
      return c.status;
    }
  switch (type)
    {
    case MS_REQ_HELLO:
      return get_hello (d, &c, &out->hello);
    case MS_REQ_SET_INTERVAL:
      out->interval_s = get_f64 (&c, "interval_s");
      if (!c.failed && !(isfinite (out->interval_s) && out->interval_s > 0))
        {
          c.p -= 8;
          cursor_fail (&c, "interval_s", "%g is not a positive number of seconds",
                       out->interval_s);
        }
      break;
    case MS_REQ_PSS_PRIORITY:
    case MS_REQ_RESET_BASELINE:
      out->pid = get_i32 (&c, "pid");
      out->starttime = get_u64 (&c, "starttime");
      break;
    case MS_REQ_SMAPS_GROUPS:
      out->id = get_u32 (&c, "request id");
      out->pid = get_i32 (&c, "pid");
      out->starttime = get_u64 (&c, "starttime");
      break;
    case MS_REQ_SIGNAL:
      out->id = get_u32 (&c, "request id");
      out->pid = get_i32 (&c, "pid");
      out->starttime = get_u64 (&c, "starttime");
      /* An unknown code is not malformed: it is answered with -EINVAL under its id. */
      out->sig = ms_stream_signal_from_code (get_u8 (&c, "signal"));
      break;
    case MS_REQ_RESTORE_BASELINES:
      return get_baselines (d, &c, out);
    default:
      if (d->peer.minor > MS_STREAM_VERSION_MINOR)
        return MS_STREAM_UNKNOWN;
      c.p--;
      cursor_fail (&c, "type", "0x%02x is not a request type", (unsigned) type);
      return c.status;
    }
  return cursor_finish (d, &c);
}
