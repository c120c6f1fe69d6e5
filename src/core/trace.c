/* SPDX-License-Identifier: MIT */
/* Trace CSV writer and streaming reader: hand-written cursors, buffers reused from row to row. */
#include "config.h"

#include "trace.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "json.h"

/* ============================================================================================ */
/* Writer                                                                                       */
/* ============================================================================================ */

/* Rows reach the file through a chunk of this size, each with its time in front. */
#define CHUNK_BYTES (64 * 1024)

struct ms_trace_writer
{
  FILE *out;
  ms_trace_rows_t rows; /* the sample being written */
  char *chunk;
  size_t chunk_len;
};

double
ms_trace_round_time (double time_s)
{
  return round (time_s * 1000.0) / 1000.0;
}

static int
wbuf_reserve (ms_trace_rows_t *w, size_t extra)
{
  void *items = w->buf;

  if (ms_grow (&items, &w->cap, w->len + extra, 1) != 0)
    return -1;
  w->buf = items;
  return 0;
}

/* Callers reserve before they put: one row needs at most a few hundred bytes. */
static inline void
wbuf_put (ms_trace_rows_t *w, const char *s, size_t n)
{
  memcpy (w->buf + w->len, s, n);
  w->len += n;
}

static inline void
wbuf_char (ms_trace_rows_t *w, char c)
{
  w->buf[w->len++] = c;
}

static void
wbuf_u64 (ms_trace_rows_t *w, uint64_t v)
{
  char tmp[24];
  int n = 0;

  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  while (n > 0)
    wbuf_char (w, tmp[--n]);
}

static void
wbuf_i64 (ms_trace_rows_t *w, int64_t v)
{
  if (v < 0)
    {
      wbuf_char (w, '-');
      wbuf_u64 (w, (uint64_t) 0 - (uint64_t) v);
    }
  else
    wbuf_u64 (w, (uint64_t) v);
}

static void
wbuf_fixed (ms_trace_rows_t *w, double v, int decimals)
{
  char tmp[48];
  int n;

  if (!isfinite (v))
    return; /* an empty field: unknown */
  n = ms_c_format_double (tmp, sizeof tmp, 'f', decimals, v);
  if (n > 0 && (size_t) n < sizeof tmp)
    wbuf_put (w, tmp, (size_t) n);
}

/* RFC 4180: a field holding a comma, quote, CR or LF is quoted and its quotes doubled.  Any other
 * byte (spaces, parentheses, invalid UTF-8) is written raw. */
static void
wbuf_text (ms_trace_rows_t *w, const char *s, size_t max)
{
  size_t n = strnlen (s, max);
  bool needs_quotes = false;

  for (size_t i = 0; i < n && !needs_quotes; i++)
    needs_quotes = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  if (!needs_quotes)
    {
      wbuf_put (w, s, n);
      return;
    }
  wbuf_char (w, '"');
  for (size_t i = 0; i < n; i++)
    {
      if (s[i] == '"')
        wbuf_char (w, '"');
      wbuf_char (w, s[i]);
    }
  wbuf_char (w, '"');
}

ms_trace_writer_t *
ms_trace_writer_new (FILE *out)
{
  ms_trace_writer_t *w = ms_calloc (1, sizeof *w);

  if (w == NULL)
    return NULL;
  w->out = out;
  if (fputs (MS_TRACE_HEADER "\n", out) == EOF || fflush (out) != 0)
    {
      int saved = errno;

      ms_free (w);
      errno = saved;
      return NULL;
    }
  return w;
}

int
ms_trace_rows_format (ms_trace_rows_t *self, const ms_snapshot_t *snap)
{
  const ms_meminfo_t *mem = &snap->mem;
  /* The longest row: a doubled-up comm, user and group in quotes plus 21 numbers. */
  const size_t row_max = 2 * (MS_COMM_MAX + MS_USER_MAX + MS_GROUP_MAX) + 32 * 24;

  /* Reserved row by row: the longest row is several times a usual one, so room for n of them
   * up front (zeroed, so resident) would hold megabytes that a sample never fills. */
  self->len = 0;
  if (wbuf_reserve (self, row_max) != 0)
    {
      errno = ENOMEM;
      return -1;
    }

  /* The machine row: pid 0, used memory as its rss, the machine columns filled. */
  wbuf_put (self, ",0,0," MS_TRACE_MACHINE_COMM ",,", strlen (",0,0," MS_TRACE_MACHINE_COMM ",,"));
  wbuf_i64 (self, mem->mem_total_kib > mem->mem_available_kib
                     ? mem->mem_total_kib - mem->mem_available_kib : 0);
  wbuf_put (self, ",,", 2);
  wbuf_i64 (self, mem->swap_total_kib > mem->swap_free_kib
                     ? mem->swap_total_kib - mem->swap_free_kib : 0);
  wbuf_put (self, ",,,,,,,,,", 9); /* ppid uid user group anon file shmem cpu */
  wbuf_i64 (self, mem->mem_total_kib);
  wbuf_char (self, ',');
  wbuf_i64 (self, mem->mem_available_kib);
  wbuf_char (self, ',');
  wbuf_i64 (self, mem->swap_total_kib);
  wbuf_char (self, ',');
  if (snap->pressure.valid)
    wbuf_fixed (self, snap->pressure.some_avg10, 2);
  wbuf_char (self, ',');
  if (snap->pressure.valid)
    wbuf_fixed (self, snap->pressure.full_avg10, 2);
  wbuf_char (self, '\n');

  for (size_t i = 0; i < snap->n_procs; i++)
    {
      const ms_proc_t *p = &snap->procs[i];

      if (p->pid <= 0)
        continue; /* pid 0 is reserved for the machine row */
      if (wbuf_reserve (self, row_max) != 0)
        {
          errno = ENOMEM;
          return -1;
        }
      wbuf_char (self, ',');
      wbuf_i64 (self, p->pid);
      wbuf_char (self, ',');
      wbuf_u64 (self, p->starttime);
      wbuf_char (self, ',');
      wbuf_text (self, p->comm, sizeof p->comm);
      wbuf_char (self, ',');
      if (p->state != '\0' && p->state != ',' && p->state != '"' && p->state != '\n'
          && p->state != '\r')
        wbuf_char (self, p->state);
      wbuf_char (self, ',');
      wbuf_i64 (self, p->rss_kib > 0 ? p->rss_kib : 0);
      wbuf_char (self, ',');
      if (p->pss_kib >= 0)
        wbuf_i64 (self, p->pss_kib);
      wbuf_char (self, ',');
      wbuf_i64 (self, p->swap_kib > 0 ? p->swap_kib : 0);
      wbuf_char (self, ',');
      wbuf_i64 (self, p->ppid);
      wbuf_char (self, ',');
      wbuf_u64 (self, p->uid);
      wbuf_char (self, ',');
      wbuf_text (self, p->user, sizeof p->user);
      wbuf_char (self, ',');
      wbuf_text (self, p->group, sizeof p->group);
      wbuf_char (self, ',');
      wbuf_i64 (self, p->anon_kib > 0 ? p->anon_kib : 0);
      wbuf_char (self, ',');
      wbuf_i64 (self, p->file_kib > 0 ? p->file_kib : 0);
      wbuf_char (self, ',');
      wbuf_i64 (self, p->shmem_kib > 0 ? p->shmem_kib : 0);
      wbuf_char (self, ',');
      if (p->cpu_pct >= 0)
        wbuf_fixed (self, p->cpu_pct, 2);
      wbuf_put (self, ",,,,,\n", 6); /* the machine columns stay empty on process rows */
    }
  return 0;
}

void
ms_trace_rows_clear (ms_trace_rows_t *self)
{
  ms_free (self->buf);
  memset (self, 0, sizeof *self);
}

/* The length of the row at p, its newline included: a quoted field (a comm, user or group name)
 * may hold newlines of its own. */
static size_t
row_length (const char *p, const char *end)
{
  bool quoted = false;

  for (const char *q = p; q < end; q++)
    {
      if (*q == '"')
        quoted = !quoted;
      else if (*q == '\n' && !quoted)
        return (size_t) (q - p) + 1;
    }
  return (size_t) (end - p);
}

static int
chunk_flush (ms_trace_writer_t *self)
{
  if (self->chunk_len > 0 && fwrite (self->chunk, 1, self->chunk_len, self->out) != self->chunk_len)
    {
      if (errno == 0)
        errno = EIO;
      return -1;
    }
  self->chunk_len = 0;
  return 0;
}

/* Appends to the chunk, sending it to the file each time it fills. */
static int
chunk_put (ms_trace_writer_t *self, const char *data, size_t n)
{
  while (n > 0)
    {
      size_t room = CHUNK_BYTES - self->chunk_len;
      size_t take = n < room ? n : room;

      memcpy (self->chunk + self->chunk_len, data, take);
      self->chunk_len += take;
      data += take;
      n -= take;
      if (self->chunk_len == CHUNK_BYTES && chunk_flush (self) != 0)
        return -1;
    }
  return 0;
}

int
ms_trace_writer_rows (ms_trace_writer_t *self, const ms_trace_rows_t *rows, double time_s)
{
  char time_text[48];
  size_t time_len;
  const char *p = rows->buf, *end = rows->buf + rows->len;

  /* Milliseconds, except for absurd times that %.3f would spell out in hundreds of digits. */
  if (fabs (time_s) < 1e15)
    time_len = (size_t) ms_c_format_double (time_text, sizeof time_text, 'f', 3,
                                            ms_trace_round_time (time_s));
  else
    time_len = (size_t) ms_c_format_double (time_text, sizeof time_text, 'g', 17, time_s);
  if (time_len >= sizeof time_text)
    time_len = 0;

  if (self->chunk == NULL && (self->chunk = ms_malloc (CHUNK_BYTES)) == NULL)
    {
      errno = ENOMEM;
      return -1;
    }
  self->chunk_len = 0;
  while (p < end)
    {
      size_t n = row_length (p, end);

      if (chunk_put (self, time_text, time_len) != 0 || chunk_put (self, p, n) != 0)
        return -1;
      p += n;
    }
  if (chunk_flush (self) != 0 || fflush (self->out) != 0)
    {
      if (errno == 0)
        errno = EIO;
      return -1;
    }
  return 0;
}

int
ms_trace_writer_sample (ms_trace_writer_t *self, const ms_snapshot_t *snap, double time_s)
{
  if (ms_trace_rows_format (&self->rows, snap) != 0)
    return -1;
  return ms_trace_writer_rows (self, &self->rows, time_s);
}

size_t
ms_trace_writer_get_buffer_size (const ms_trace_writer_t *self)
{
  return self->rows.cap + (self->chunk != NULL ? CHUNK_BYTES : 0);
}

void
ms_trace_writer_free (ms_trace_writer_t *self)
{
  if (self == NULL)
    return;
  ms_trace_rows_clear (&self->rows);
  ms_free (self->chunk);
  ms_free (self);
}

/* ============================================================================================ */
/* Reader                                                                                       */
/* ============================================================================================ */

enum
{
  COL_TIME,
  COL_PID,
  COL_STARTTIME,
  COL_COMM,
  COL_STATE,
  COL_RSS,
  COL_PSS,
  COL_SWAP,
  N_REQUIRED,
  COL_PPID = N_REQUIRED,
  COL_UID,
  COL_USER,
  COL_GROUP,
  COL_ANON,
  COL_FILE,
  COL_SHMEM,
  COL_CPU,
  COL_MEM_TOTAL,
  COL_MEM_AVAILABLE,
  COL_SWAP_TOTAL,
  COL_PSI_SOME,
  COL_PSI_FULL,
  N_COLS
};

static const char *const column_names[N_COLS] = {
  "time_s", "pid", "starttime", "comm", "state", "rss_kib", "pss_kib", "swap_kib",
  "ppid", "uid", "user", "group", "anon_kib", "file_kib", "shmem_kib", "cpu_pct",
  "mem_total_kib", "mem_available_kib", "swap_total_kib", "psi_some_avg10", "psi_full_avg10",
};

#define CHUNK_SIZE (1u << 20)
#define MAX_RECORD (1u << 20) /* a longer line is not a trace */
#define MAX_HEADER_FIELDS 1024
/* 1 EiB: larger sizes are garbage, and sums of them must not overflow. */
#define MAX_KIB (INT64_C (1) << 50)

typedef struct
{
  char *s;
  uint32_t len;
  bool escaped; /* quoted and holding a doubled quote: undo before use */
} field_t;

typedef enum
{
  REC_OK,
  REC_MORE, /* the record runs past the buffered bytes */
  REC_EMPTY, /* a blank line */
  REC_ERROR,
} rec_result_t;

struct ms_trace_reader
{
  char *name;
  char err[512];
  uint64_t err_line;

  /* the source: a stream or bytes in memory */
  FILE *in;
  const unsigned char *mem;
  size_t mem_len, mem_pos;
  bool eof;
  bool read_failed;

  /* bytes [pos, len) of buf are unparsed */
  char *buf;
  size_t cap, pos, len;
  uint64_t line; /* line where the unparsed bytes start */
  uint64_t rows;
  bool has_machine;

  field_t *fields;
  size_t max_fields; /* fields a row may have: the header's count */
  size_t n_fields;
  bool any_escaped;
  int col[N_COLS]; /* field index of each known column, -1 when absent */

  /* the sample being assembled */
  ms_snapshot_t snap;
  size_t procs_cap;
  bool header_done;
  bool have_sample;
  bool have_previous;
  double previous_time_s;
  char time_text[32]; /* the last time_s field parsed, and its value */
  size_t time_text_len;
  double time_value;
};

/* Bytes that end an unquoted field or need a closer look. */
static unsigned char stop_byte[256];

static void
init_tables (void)
{
  if (stop_byte[','])
    return;
  stop_byte[','] = 1;
  stop_byte['\n'] = 1;
  stop_byte['\r'] = 1;
  stop_byte['"'] = 1;
  stop_byte[0] = 1;
}

static void
describe_value (char *out, size_t out_len, const char *s, size_t n)
{
  size_t o = 0;

  for (size_t i = 0; i < n && o + 8 < out_len; i++)
    {
      unsigned char c = (unsigned char) s[i];

      if (i == 40)
        {
          memcpy (out + o, "...", 3);
          o += 3;
          break;
        }
      if (c == '"' || c == '\\')
        {
          out[o++] = '\\';
          out[o++] = (char) c;
        }
      else if (c < 0x20 || c >= 0x7f)
        o += (size_t) snprintf (out + o, out_len - o, "\\x%02x", c);
      else
        out[o++] = (char) c;
    }
  out[o] = '\0';
}

static void fail (ms_trace_reader_t *r, uint64_t line, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static void
fail (ms_trace_reader_t *r, uint64_t line, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (r->err[0] != '\0')
    return; /* the first error is the one that matters */
  r->err_line = line;
  n = snprintf (r->err, sizeof r->err, "%s:%" PRIu64 ": ", r->name, line);
  if (n < 0 || (size_t) n >= sizeof r->err)
    return;
  va_start (ap, fmt);
  vsnprintf (r->err + n, sizeof r->err - (size_t) n, fmt, ap);
  va_end (ap);
}

static ms_trace_reader_t *
reader_new (const char *name)
{
  ms_trace_reader_t *r = ms_calloc (1, sizeof *r);

  init_tables ();
  if (r == NULL)
    return NULL;
  r->name = ms_strdup (name != NULL ? name : "trace");
  r->cap = CHUNK_SIZE;
  r->buf = ms_malloc (r->cap);
  r->max_fields = MAX_HEADER_FIELDS;
  r->fields = ms_calloc (r->max_fields + 1, sizeof *r->fields);
  if (r->name == NULL || r->buf == NULL || r->fields == NULL)
    {
      ms_trace_reader_free (r);
      return NULL;
    }
  r->line = 1;
  return r;
}

ms_trace_reader_t *
ms_trace_reader_new (FILE *in, const char *name)
{
  ms_trace_reader_t *r = reader_new (name);

  if (r != NULL)
    r->in = in;
  return r;
}

ms_trace_reader_t *
ms_trace_reader_new_mem (const void *data, size_t len, const char *name)
{
  ms_trace_reader_t *r = reader_new (name);

  if (r != NULL)
    {
      r->mem = data;
      r->mem_len = len;
    }
  return r;
}

void
ms_trace_reader_free (ms_trace_reader_t *self)
{
  if (self == NULL)
    return;
  ms_free (self->name);
  ms_free (self->buf);
  ms_free (self->fields);
  ms_free (self->snap.procs);
  ms_free (self);
}

const char *
ms_trace_reader_error (const ms_trace_reader_t *self)
{
  return self->err;
}

uint64_t
ms_trace_reader_error_line (const ms_trace_reader_t *self)
{
  return self->err[0] != '\0' ? self->err_line : 0;
}

uint64_t
ms_trace_reader_rows (const ms_trace_reader_t *self)
{
  return self->rows;
}

bool
ms_trace_reader_has_machine (const ms_trace_reader_t *self)
{
  return self->has_machine;
}

/* Moves the unparsed tail to the front and reads more behind it.  Returns the bytes added; 0 at
 * the end of the input (or on a read error, which sets read_failed). */
static size_t
refill (ms_trace_reader_t *r)
{
  size_t n = 0;

  if (r->eof)
    return 0;
  if (r->pos > 0)
    {
      memmove (r->buf, r->buf + r->pos, r->len - r->pos);
      r->len -= r->pos;
      r->pos = 0;
    }
  if (r->cap - r->len < CHUNK_SIZE / 2)
    {
      void *items = r->buf;

      /* Only a record longer than half a chunk gets here; MAX_RECORD bounds the growth. */
      if (ms_grow (&items, &r->cap, r->len + CHUNK_SIZE, 1) != 0)
        {
          r->read_failed = true;
          r->eof = true;
          return 0;
        }
      r->buf = items;
    }
  if (r->mem != NULL)
    {
      n = r->mem_len - r->mem_pos;
      if (n > r->cap - r->len)
        n = r->cap - r->len;
      memcpy (r->buf + r->len, r->mem + r->mem_pos, n);
      r->mem_pos += n;
    }
  else if (r->in != NULL)
    {
      n = fread (r->buf + r->len, 1, r->cap - r->len, r->in);
      if (n == 0 && ferror (r->in))
        r->read_failed = true;
    }
  if (n == 0)
    r->eof = true;
  r->len += n;
  return n;
}

/* Splits the record at r->pos into r->fields.  Does not change the bytes, so a record cut by the
 * end of the buffer can be split again after a refill.  `*next` is where the following record
 * begins, `*newlines` how many line ends the record spans. */
static rec_result_t
split_record_slow (ms_trace_reader_t *r, size_t *next, uint64_t *newlines)
{
  char *p = r->buf + r->pos;
  char *end = r->buf + r->len;
  size_t nf = 0;
  uint64_t nl = 0;

  r->any_escaped = false;
  if (p < end && *p == '\n')
    {
      *next = r->pos + 1;
      *newlines = 1;
      return REC_EMPTY;
    }
  if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
    {
      *next = r->pos + 2;
      *newlines = 1;
      return REC_EMPTY;
    }

  for (;;)
    {
      field_t *f;
      char *start;

      r->n_fields = nf; /* what is split so far, for the error path */
      if (p >= end)
        return REC_MORE;
      if (nf >= r->max_fields)
        {
          fail (r, r->line, "too many fields (the header has %zu)", r->max_fields);
          return REC_ERROR;
        }
      f = &r->fields[nf++];
      if (*p == '"')
        {
          char *q = p + 1;

          f->escaped = false;
          for (;;)
            {
              char *quote = memchr (q, '"', (size_t) (end - q));

              if (quote == NULL || quote + 1 >= end)
                return REC_MORE;
              if (quote[1] == '"')
                {
                  f->escaped = true;
                  r->any_escaped = true;
                  q = quote + 2;
                  continue;
                }
              start = p + 1;
              if (memchr (start, 0, (size_t) (quote - start)) != NULL)
                {
                  fail (r, r->line + nl, "NUL byte in a field: this is not a text trace");
                  return REC_ERROR;
                }
              for (char *c = start; (c = memchr (c, '\n', (size_t) (quote - c))) != NULL; c++)
                nl++;
              f->s = start;
              f->len = (uint32_t) (quote - start);
              p = quote + 1;
              break;
            }
          if (*p == '\r')
            {
              if (p + 1 >= end)
                return REC_MORE;
              if (p[1] != '\n')
                {
                  fail (r, r->line + nl, "unexpected character after a closing quote");
                  return REC_ERROR;
                }
              p++;
            }
          if (*p != ',' && *p != '\n')
            {
              fail (r, r->line + nl, "unexpected character after a closing quote");
              return REC_ERROR;
            }
        }
      else
        {
          start = p;
          while (p < end && !stop_byte[(unsigned char) *p])
            p++;
          if (p >= end)
            return REC_MORE;
          f->s = start;
          f->len = (uint32_t) (p - start);
          f->escaped = false;
          if (*p == '\r')
            {
              if (p + 1 >= end)
                return REC_MORE;
              if (p[1] != '\n')
                {
                  fail (r, r->line + nl, "carriage return outside quotes");
                  return REC_ERROR;
                }
              p++;
            }
          else if (*p == '"')
            {
              fail (r, r->line + nl, "quote inside an unquoted field");
              return REC_ERROR;
            }
          else if (*p == '\0')
            {
              fail (r, r->line + nl, "NUL byte in a field: this is not a text trace");
              return REC_ERROR;
            }
        }
      if ((size_t) (p - (r->buf + r->pos)) > MAX_RECORD)
        {
          fail (r, r->line, "line longer than %u bytes", MAX_RECORD);
          return REC_ERROR;
        }
      if (*p == '\n')
        {
          r->n_fields = nf;
          *next = (size_t) (p + 1 - r->buf);
          *newlines = nl + 1;
          return REC_OK;
        }
      p++; /* past the comma */
    }
}

/* Adds the field [start, end) in the fast path; false when the row has too many. */
static inline bool
add_field (ms_trace_reader_t *r, size_t *nf, char *start, char *end)
{
  field_t *f;

  if (*nf >= r->max_fields)
    return false;
  f = &r->fields[(*nf)++];
  f->s = start;
  f->len = (uint32_t) (end - start);
  f->escaped = false;
  return true;
}

/* The common case first: a record on one line with no quotes, no CR and no NUL (three memchr
 * calls tell), so commas alone split it; they are found eight bytes at a time.  Anything unusual
 * starts over in split_record_slow, which also words every error. */
static rec_result_t
split_record (ms_trace_reader_t *r, size_t *next, uint64_t *newlines)
{
  char *p = r->buf + r->pos;
  char *nl = memchr (p, '\n', r->len - r->pos);
  char *q, *start = p;
  size_t line_len, nf = 0;

  r->any_escaped = false;
  if (nl == NULL || nl == p || (size_t) (nl - p) > MAX_RECORD)
    return split_record_slow (r, next, newlines);
  line_len = (size_t) (nl - p);
  if (memchr (p, '"', line_len) != NULL || memchr (p, '\r', line_len) != NULL
      || memchr (p, '\0', line_len) != NULL)
    return split_record_slow (r, next, newlines);

  q = p;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; q + 8 <= nl; q += 8)
    {
      const uint64_t low7 = UINT64_C (0x7f7f7f7f7f7f7f7f);
      uint64_t w, x, commas;

      memcpy (&w, q, 8);
      x = w ^ UINT64_C (0x2c2c2c2c2c2c2c2c); /* a comma becomes a zero byte */
      /* Exact zero-byte mask (no borrow between bytes): 0x80 where x has a zero byte. */
      commas = ~(((x & low7) + low7) | x | low7);
      while (commas != 0)
        {
          char *comma = q + (__builtin_ctzll (commas) >> 3);

          if (!add_field (r, &nf, start, comma))
            return split_record_slow (r, next, newlines);
          start = comma + 1;
          commas &= commas - 1;
        }
    }
#endif
  for (; q < nl; q++)
    if (*q == ',')
      {
        if (!add_field (r, &nf, start, q))
          return split_record_slow (r, next, newlines);
        start = q + 1;
      }
  if (!add_field (r, &nf, start, nl))
    return split_record_slow (r, next, newlines);
  r->n_fields = nf;
  *next = (size_t) (nl + 1 - r->buf);
  *newlines = 1;
  return REC_OK;
}

/* Reads the next record into r->fields.  1 when there is one, 0 at the end, -1 on error. */
static int
next_record (ms_trace_reader_t *r, uint64_t *record_line)
{
  for (;;)
    {
      size_t next = 0;
      uint64_t newlines = 0;
      rec_result_t res = r->pos < r->len ? split_record (r, &next, &newlines) : REC_MORE;

      switch (res)
        {
        case REC_OK:
          *record_line = r->line;
          r->pos = next;
          r->line += newlines;
          for (size_t i = 0; r->any_escaped && i < r->n_fields; i++)
            {
              field_t *f = &r->fields[i];

              /* Safe now: this record is complete and will not be split again. */
              if (f->escaped)
                {
                  char *w = f->s;

                  for (uint32_t k = 0; k < f->len; k++)
                    {
                      *w++ = f->s[k];
                      if (f->s[k] == '"')
                        k++;
                    }
                  f->len = (uint32_t) (w - f->s);
                  f->escaped = false;
                }
            }
          return 1;
        case REC_EMPTY:
          r->pos = next;
          r->line += newlines;
          continue;
        case REC_ERROR:
          return -1;
        case REC_MORE:
          if (r->len - r->pos > MAX_RECORD)
            {
              fail (r, r->line, "line longer than %u bytes", MAX_RECORD);
              return -1;
            }
          if (refill (r) > 0)
            continue;
          /* The refill moved the bytes: split again so the fields point at them. */
          if (r->pos < r->len && split_record (r, &next, &newlines) == REC_ERROR)
            return -1;
          if (r->read_failed)
            {
              fail (r, r->line, "read error: %s", strerror (errno ? errno : EIO));
              return -1;
            }
          if (r->pos < r->len)
            {
              bool quoted = false;

              /* Tell a cut-off quoted field from a missing final newline. */
              for (size_t i = r->pos; i < r->len; i++)
                if (r->buf[i] == '"')
                  quoted = !quoted;
              if (memchr (r->buf + r->pos, 0, r->len - r->pos) != NULL)
                fail (r, r->line, "NUL byte in a field: this is not a text trace");
              else if (quoted)
                fail (r, r->line, "unterminated quoted field at the end of the trace");
              else
                fail (r, r->line, "last line has no line end: the trace was cut off");
              return -1;
            }
          return 0;
        }
    }
}

/* --- numbers --- */

static const double pow10_table[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline __attribute__ ((always_inline)) bool
parse_u64 (const char *s, size_t n, uint64_t *out)
{
  uint64_t v = 0;

  if (n == 0 || n > 20)
    return false;
  /* 19 digits cannot overflow; only a 20th needs the check (and its division). */
  for (size_t i = 0; i < n && i < 19; i++)
    {
      unsigned d = (unsigned char) s[i] - '0';

      if (d > 9)
        return false;
      v = v * 10 + d;
    }
  if (n == 20)
    {
      unsigned d = (unsigned char) s[19] - '0';

      if (d > 9 || v > (UINT64_MAX - d) / 10)
        return false;
      v = v * 10 + d;
    }
  *out = v;
  return true;
}

static inline __attribute__ ((always_inline)) bool
parse_i64 (const char *s, size_t n, int64_t *out)
{
  uint64_t v;
  bool neg = n > 0 && s[0] == '-';

  if (!parse_u64 (s + neg, n - neg, &v))
    return false;
  if (neg ? v > (uint64_t) INT64_MAX + 1 : v > (uint64_t) INT64_MAX)
    return false;
  *out = neg ? (int64_t) (0 - v) : (int64_t) v;
  return true;
}

/* A decimal number: [-]digits[.digits][e[+-]digits].  Up to 19 significant digits and 22
 * decimals, the value is exact integer / exact power of ten, which is correctly rounded; anything
 * longer goes through strtod. */
static bool
parse_double (const char *s, size_t n, double *out)
{
  size_t i = 0, int_digits = 0, frac_digits = 0;
  uint64_t mant = 0;
  bool neg = false, slow = false;

  if (n == 0)
    return false;
  if (s[0] == '-' || s[0] == '+')
    {
      neg = s[0] == '-';
      i++;
    }
  for (; i < n && (unsigned char) (s[i] - '0') <= 9; i++, int_digits++)
    {
      if (mant >= UINT64_C (1000000000000000000))
        slow = true;
      else
        mant = mant * 10 + (uint64_t) (s[i] - '0');
    }
  if (i < n && s[i] == '.')
    {
      for (i++; i < n && (unsigned char) (s[i] - '0') <= 9; i++, frac_digits++)
        {
          if (mant >= UINT64_C (1000000000000000000) || frac_digits >= 22)
            slow = true;
          else
            mant = mant * 10 + (uint64_t) (s[i] - '0');
        }
    }
  if (int_digits + frac_digits == 0)
    return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E'))
    {
      size_t exp_digits = 0;

      i++;
      if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
      for (; i < n && (unsigned char) (s[i] - '0') <= 9; i++)
        exp_digits++;
      if (exp_digits == 0)
        return false;
      slow = true;
    }
  if (i != n)
    return false;
  if (!slow && mant < (UINT64_C (1) << 53))
    {
      double v = (double) mant / pow10_table[frac_digits];

      *out = neg ? -v : v;
      return true;
    }
  {
    char tmp[128];
    char *endp = NULL;
    double v;

    if (n >= sizeof tmp)
      return false;
    memcpy (tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    v = ms_c_strtod (tmp, &endp);
    if (endp != tmp + n || !isfinite (v))
      return false;
    *out = v;
    return true;
  }
}

/* --- rows --- */

static bool
bad_number (ms_trace_reader_t *r, uint64_t line, int col, const field_t *f)
{
  char shown[200];

  describe_value (shown, sizeof shown, f->s, f->len);
  fail (r, line, "%s is not a number: \"%s\"", column_names[col], shown);
  return false;
}

/* A non-negative size in KiB; empty gives `empty_value` when allowed. */
static inline __attribute__ ((always_inline)) bool
get_kib (ms_trace_reader_t *r, uint64_t line, int col, bool empty_ok, int64_t empty_value,
         int64_t *out)
{
  const field_t *f;

  if (r->col[col] < 0)
    {
      *out = empty_value;
      return true;
    }
  f = &r->fields[r->col[col]];
  if (f->len == 0)
    {
      if (!empty_ok)
        {
          fail (r, line, "%s is empty", column_names[col]);
          return false;
        }
      *out = empty_value;
      return true;
    }
  if (!parse_i64 (f->s, f->len, out))
    return bad_number (r, line, col, f);
  if (*out < 0)
    {
      fail (r, line, "%s is negative: %" PRId64, column_names[col], *out);
      return false;
    }
  if (*out > MAX_KIB)
    {
      fail (r, line, "%s is too large: %" PRId64, column_names[col], *out);
      return false;
    }
  return true;
}

/* A number that may be empty (or absent): `*present` says which. */
static inline __attribute__ ((always_inline)) bool
get_double (ms_trace_reader_t *r, uint64_t line, int col, double *out, bool *present)
{
  const field_t *f;

  *present = false;
  if (r->col[col] < 0)
    return true;
  f = &r->fields[r->col[col]];
  if (f->len == 0)
    return true;
  if (!parse_double (f->s, f->len, out))
    return bad_number (r, line, col, f);
  *present = true;
  return true;
}

static void
copy_text (char *dst, size_t dst_len, const ms_trace_reader_t *r, int col)
{
  size_t n = 0;

  if (r->col[col] >= 0)
    {
      const field_t *f = &r->fields[r->col[col]];

      n = f->len < dst_len - 1 ? f->len : dst_len - 1;
      memcpy (dst, f->s, n);
    }
  dst[n] = '\0';
}

static int
read_header (ms_trace_reader_t *r)
{
  uint64_t line = 0;
  int rc;

  /* A byte-order mark from a spreadsheet export is not part of the first name. */
  if (r->len - r->pos < 3)
    refill (r);
  if (r->len - r->pos >= 3 && memcmp (r->buf + r->pos, "\xef\xbb\xbf", 3) == 0)
    r->pos += 3;

  rc = next_record (r, &line);
  if (rc < 0)
    return -1;
  if (rc == 0)
    {
      fail (r, 1, "empty trace: no header line");
      return -1;
    }
  for (int c = 0; c < N_COLS; c++)
    r->col[c] = -1;
  for (size_t i = 0; i < r->n_fields; i++)
    for (int c = 0; c < N_COLS; c++)
      if (r->col[c] < 0 && r->fields[i].len == strlen (column_names[c])
          && memcmp (r->fields[i].s, column_names[c], r->fields[i].len) == 0)
        r->col[c] = (int) i;
  for (int c = 0; c < N_REQUIRED; c++)
    if (r->col[c] < 0)
      {
        fail (r, line, "missing required column \"%s\" in the header", column_names[c]);
        return -1;
      }
  r->max_fields = r->n_fields;
  return 0;
}

/* Hands the finished sample to the caller.  1 when the caller asked to stop. */
static int
deliver (ms_trace_reader_t *r, ms_trace_sample_fn fn, void *user)
{
  int stop;

  if (!r->have_sample)
    return 0;
  r->snap.interval_s = r->have_previous ? r->snap.time_s - r->previous_time_s : 0;
  r->previous_time_s = r->snap.time_s;
  r->have_previous = true;
  r->have_sample = false;
  stop = fn (&r->snap, user);
  return stop != 0;
}

static void
begin_sample (ms_trace_reader_t *r, double time_s)
{
  ms_snapshot_t *s = &r->snap;

  s->time_s = time_s;
  s->time_unix = 0;
  s->interval_s = 0;
  memset (&s->mem, 0, sizeof s->mem);
  memset (&s->pressure, 0, sizeof s->pressure);
  /* Traces do not carry the OOM-kill counter. */
  s->oom_counter.valid = false;
  s->oom_counter.count = 0;
  s->new_oom_kills = 0;
  s->n_procs = 0;
  r->have_sample = true;
}

/* Fills the sample from one row.  -1 on bad input, 1 when the caller asked to stop. */
static int
take_row (ms_trace_reader_t *r, uint64_t line, ms_trace_sample_fn fn, void *user)
{
  double time_s;
  const field_t *f;
  int64_t pid;
  uint64_t starttime;
  int64_t rss, swap, pss;
  ms_proc_t *p;

  if ((size_t) r->col[COL_TIME] >= r->n_fields)
    {
      fail (r, line, "%zu fields where the header has %zu", r->n_fields, r->max_fields);
      return -1;
    }

  f = &r->fields[r->col[COL_TIME]];
  /* Every row of a sample spells the same time: parse it once. */
  if (f->len != 0 && f->len == r->time_text_len && memcmp (f->s, r->time_text, f->len) == 0)
    time_s = r->time_value;
  else if (!parse_double (f->s, f->len, &time_s))
    {
      bad_number (r, line, COL_TIME, f);
      return -1;
    }
  else if (f->len < sizeof r->time_text)
    {
      memcpy (r->time_text, f->s, f->len);
      r->time_text_len = f->len;
      r->time_value = time_s;
    }
  if (r->have_sample && time_s != r->snap.time_s)
    {
      double previous_s = r->snap.time_s;

      /* Either way the sample in progress has ended: it is delivered before the error. */
      if (deliver (r, fn, user))
        return 1;
      if (time_s < previous_s)
        {
          fail (r, line, "time_s goes backwards: %.3f after %.3f", time_s, previous_s);
          return -1;
        }
    }
  if (!r->have_sample)
    begin_sample (r, time_s);
  if (r->n_fields != r->max_fields)
    {
      fail (r, line, "%zu fields where the header has %zu", r->n_fields, r->max_fields);
      return -1;
    }

  f = &r->fields[r->col[COL_PID]];
  if (!parse_i64 (f->s, f->len, &pid))
    {
      bad_number (r, line, COL_PID, f);
      return -1;
    }
  if (pid < 0 || pid > INT32_MAX)
    {
      fail (r, line, "pid out of range: %" PRId64, pid);
      return -1;
    }
  f = &r->fields[r->col[COL_STARTTIME]];
  if (!parse_u64 (f->s, f->len, &starttime))
    {
      bad_number (r, line, COL_STARTTIME, f);
      return -1;
    }
  if (!get_kib (r, line, COL_RSS, false, 0, &rss) || !get_kib (r, line, COL_SWAP, false, 0, &swap)
      || !get_kib (r, line, COL_PSS, true, MS_UNKNOWN_KIB, &pss))
    return -1;
  f = &r->fields[r->col[COL_STATE]];
  if (f->len > 1)
    {
      char shown[200];

      describe_value (shown, sizeof shown, f->s, f->len);
      fail (r, line, "state is not one letter: \"%s\"", shown);
      return -1;
    }

  if (pid == 0)
    {
      int64_t total = 0, available = 0, swap_total = 0;
      double some = 0, full = 0;
      bool has_some, has_full;

      if (!get_kib (r, line, COL_MEM_TOTAL, true, 0, &total)
          || !get_kib (r, line, COL_MEM_AVAILABLE, true, 0, &available)
          || !get_kib (r, line, COL_SWAP_TOTAL, true, 0, &swap_total)
          || !get_double (r, line, COL_PSI_SOME, &some, &has_some)
          || !get_double (r, line, COL_PSI_FULL, &full, &has_full))
        return -1;
      r->has_machine = true;
      r->snap.mem.mem_total_kib = total;
      r->snap.mem.mem_available_kib = available;
      r->snap.mem.swap_total_kib = swap_total;
      r->snap.mem.swap_free_kib = swap_total - swap;
      r->snap.pressure.valid = has_some && has_full;
      r->snap.pressure.some_avg10 = some;
      r->snap.pressure.full_avg10 = full;
      r->rows++;
      return 0;
    }

  if (r->snap.n_procs == r->procs_cap)
    {
      void *items = r->snap.procs;

      if (ms_grow (&items, &r->procs_cap, r->snap.n_procs + 1, sizeof (ms_proc_t)) != 0)
        {
          fail (r, line, "out of memory");
          return -1;
        }
      r->snap.procs = items;
    }
  p = &r->snap.procs[r->snap.n_procs];

  /* Field by field rather than a memset of the whole struct: its text buffers are large. */
  p->pid = (int32_t) pid;
  p->starttime = starttime;
  p->state = f->len == 1 ? f->s[0] : '\0';
  p->kernel_thread = false;
  p->threads = 0;
  copy_text (p->comm, sizeof p->comm, r, COL_COMM);
  copy_text (p->user, sizeof p->user, r, COL_USER);
  copy_text (p->group, sizeof p->group, r, COL_GROUP);
  p->cmdline[0] = '\0';
  p->exe[0] = '\0';
  p->rss_kib = rss;
  p->swap_kib = swap;
  p->pss_kib = pss;
  p->uss_kib = MS_UNKNOWN_KIB;
  p->swap_pss_kib = MS_UNKNOWN_KIB;
  p->pss_age_s = pss >= 0 ? 0 : -1;
  p->hwm_kib = 0;
  p->footprint_kib = rss + swap;
  p->baseline_kib = 0;
  p->delta_kib = 0;
  p->first_seen_s = 0;
  p->start_unix = 0;
  p->tags = 0;
  {
    int64_t ppid = 0, uid = 0;
    double cpu = -1;
    bool has_cpu;

    if (!get_kib (r, line, COL_PPID, true, 0, &ppid) || !get_kib (r, line, COL_UID, true, 0, &uid)
        || !get_kib (r, line, COL_ANON, true, 0, &p->anon_kib)
        || !get_kib (r, line, COL_FILE, true, 0, &p->file_kib)
        || !get_kib (r, line, COL_SHMEM, true, 0, &p->shmem_kib)
        || !get_double (r, line, COL_CPU, &cpu, &has_cpu))
      return -1;
    if (ppid > INT32_MAX || uid > UINT32_MAX)
      {
        fail (r, line, "ppid or uid out of range");
        return -1;
      }
    p->ppid = (int32_t) ppid;
    p->uid = (uint32_t) uid;
    /* The trace has no kernel-thread column; kthreadd (pid 2) and its children with no memory
     * are what the sampler marks as kernel threads. */
    p->kernel_thread = rss == 0 && swap == 0 && (pid == 2 || ppid == 2);
    p->cpu_pct = has_cpu ? cpu : -1;
  }
  r->snap.n_procs++;
  r->rows++;
  return 0;
}

/* A record that could not be split (cut off, too many fields, a stray quote) may still show the
 * time of a new sample: then the sample in progress is complete and is delivered before the error
 * is reported.  True when the caller asked to stop. */
static bool
deliver_before_error (ms_trace_reader_t *r, ms_trace_sample_fn fn, void *user)
{
  const field_t *f;
  double time_s;

  if (!r->have_sample || !r->header_done || (size_t) r->col[COL_TIME] >= r->n_fields)
    return false;
  f = &r->fields[r->col[COL_TIME]];
  /* The field must be complete: followed by a comma inside the buffer. */
  if (f->s + f->len >= r->buf + r->len || f->s[f->len] != ',')
    return false;
  if (!parse_double (f->s, f->len, &time_s) || !(time_s > r->snap.time_s))
    return false;
  return deliver (r, fn, user) != 0;
}

int
ms_trace_reader_run (ms_trace_reader_t *self, ms_trace_sample_fn fn, void *user)
{
  if (self->err[0] != '\0')
    return -1;
  if (!self->header_done)
    {
      if (read_header (self) != 0)
        return -1;
      self->header_done = true;
    }
  for (;;)
    {
      uint64_t line = 0;
      int rc = next_record (self, &line);

      if (rc < 0)
        {
          deliver_before_error (self, fn, user);
          return -1;
        }
      if (rc == 0)
        break;
      rc = take_row (self, line, fn, user);
      if (rc < 0)
        return -1;
      if (rc > 0)
        return 1;
    }
  if (deliver (self, fn, user))
    return 1;
  return 0;
}

int
ms_trace_read_path (const char *path, ms_trace_sample_fn fn, void *user, char *err, size_t err_len)
{
  bool is_stdin = strcmp (path, "-") == 0;
  FILE *in = is_stdin ? stdin : fopen (path, "rb");
  ms_trace_reader_t *r;
  int rc;

  if (err_len > 0)
    err[0] = '\0';
  if (in == NULL)
    {
      snprintf (err, err_len, "%s: cannot open: %s", path, strerror (errno));
      return -1;
    }
  r = ms_trace_reader_new (in, is_stdin ? "<stdin>" : path);
  if (r == NULL)
    {
      snprintf (err, err_len, "%s: out of memory", path);
      if (!is_stdin)
        fclose (in);
      return -1;
    }
  rc = ms_trace_reader_run (r, fn, user);
  if (rc < 0)
    snprintf (err, err_len, "%s", ms_trace_reader_error (r));
  ms_trace_reader_free (r);
  if (!is_stdin)
    fclose (in);
  return rc;
}

/* ============================================================================================ */
/* Events                                                                                       */
/* ============================================================================================ */

const char *
ms_trace_tag_name (ms_tag_t tag)
{
  switch (tag)
    {
    case MS_TAG_LEAK: return "LEAK";
    case MS_TAG_SPIKE: return "SPIKE";
    case MS_TAG_ZOMBIE: return "ZOMBIE";
    case MS_TAG_NONE:
    default: return "NONE";
    }
}

const char *
ms_trace_clear_reason_name (ms_clear_reason_t reason)
{
  switch (reason)
    {
    case MS_CLEAR_STOPPED: return "stopped";
    case MS_CLEAR_EXITED: return "exited";
    case MS_CLEAR_RESET: return "reset";
    case MS_CLEAR_UNKNOWN:
    default: return NULL;
    }
}

void
ms_trace_event_json (FILE *out, const ms_event_t *e)
{
  fputs ("{\"time_s\":", out);
  ms_json_double (out, e->time_s, 3);
  fprintf (out, ",\"pid\":%" PRId32 ",\"starttime\":%" PRIu64 ",\"comm\":", e->pid, e->starttime);
  ms_json_string (out, e->comm);
  fprintf (out, ",\"tag\":\"%s\",\"event\":\"%s\"", ms_trace_tag_name (e->tag),
           e->set ? "set" : "clear");
  if (isfinite (e->rate_kib_s))
    {
      fputs (",\"rate_kib_s\":", out);
      ms_json_double (out, e->rate_kib_s, 3);
    }
  if (isfinite (e->duration_s))
    {
      fputs (",\"duration_s\":", out);
      ms_json_double (out, e->duration_s, 3);
    }
  if (isfinite (e->confidence))
    {
      fputs (",\"confidence\":", out);
      ms_json_double (out, e->confidence, 3);
    }
  if (e->tag == MS_TAG_LEAK || isfinite (e->exhaust_s))
    {
      fputs (",\"exhaust_s\":", out);
      ms_json_double (out, e->exhaust_s, 1);
    }
  if (isfinite (e->jump_kib))
    {
      fputs (",\"jump_kib\":", out);
      ms_json_double (out, e->jump_kib, 0);
    }
  if (!e->set && ms_trace_clear_reason_name (e->reason) != NULL)
    fprintf (out, ",\"reason\":\"%s\"", ms_trace_clear_reason_name (e->reason));
  fputs ("}\n", out);
}
