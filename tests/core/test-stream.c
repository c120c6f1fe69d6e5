/* SPDX-License-Identifier: MIT */
/* The stream protocol: every frame and request round-trips; every truncation, corrupt length and
 * other protocol version is refused with a message naming the frame; the framing reader on
 * byte-by-byte input, pipes, large frames and a peer that died mid-frame. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "ms-test.h"
#include "parse.h"
#include "stream.h"

typedef struct
{
  const uint8_t *data;
  size_t len;
} payload_t;

/* Splits a buffer of frames by their length prefixes (an oracle independent of the reader). */
static GArray *
split_frames (const ms_stream_buf_t *b)
{
  GArray *frames = g_array_new (FALSE, FALSE, sizeof (payload_t));
  size_t off = 0;

  while (off < b->len)
    {
      payload_t p;
      uint32_t len;

      g_assert_cmpuint (b->len - off, >=, 4);
      len = (uint32_t) b->data[off] | (uint32_t) b->data[off + 1] << 8
            | (uint32_t) b->data[off + 2] << 16 | (uint32_t) b->data[off + 3] << 24;
      g_assert_cmpuint (b->len - off - 4, >=, len);
      p.data = b->data + off + 4;
      p.len = len;
      g_array_append_val (frames, p);
      off += 4 + (size_t) len;
    }
  return frames;
}

static void
fill_proc (ms_proc_t *p, int i)
{
  memset (p, 0, sizeof *p);
  p->pid = 100 + i;
  p->ppid = i == 0 ? 0 : 100;
  p->starttime = 1000000ull * (guint64) i + 7;
  p->uid = (uint32_t) (1000 + i);
  p->state = "RSZT"[i % 4];
  p->kernel_thread = i == 2;
  p->threads = i + 1;
  if (i == 0)
    strcpy (p->comm, "a) (b, \"c\nd");
  else if (i == 1)
    memset (p->comm, 'c', sizeof p->comm - 1); /* the longest a comm can be */
  else
    strcpy (p->comm, "kworker/0:1");
  g_snprintf (p->user, sizeof p->user, "user%d", i);
  strcpy (p->group, i == 3 ? "app:org.mozilla.firefox" : "tree:/usr/bin/x:100");
  if (i == 1)
    memset (p->cmdline, 'x', sizeof p->cmdline - 1);
  else
    strcpy (p->cmdline, "/usr/bin/x --flag \xff\xfe");
  strcpy (p->exe, i == 2 ? "" : "/usr/bin/x");
  p->rss_kib = 1000 * (i + 1);
  p->anon_kib = 600 * (i + 1);
  p->file_kib = 300 * (i + 1);
  p->shmem_kib = 100 * (i + 1);
  p->swap_kib = i == 3 ? INT64_MAX : 50;
  p->hwm_kib = 2000 * (i + 1);
  p->pss_kib = i == 2 ? MS_UNKNOWN_KIB : 900;
  p->uss_kib = i == 2 ? MS_UNKNOWN_KIB : 800;
  p->swap_pss_kib = i == 2 ? MS_UNKNOWN_KIB : 40;
  p->pss_age_s = i == 2 ? -1.0 : 1.25;
  p->footprint_kib = p->rss_kib + 50;
  p->baseline_kib = 500;
  p->delta_kib = p->footprint_kib - 500;
  p->first_seen_s = 0.5 * i;
  p->start_unix = 1.7e9 + i;
  p->cpu_pct = i == 0 ? -1.0 : 199.5;
  p->tags = i == 1 ? (MS_TAG_LEAK | MS_TAG_SPIKE) : i == 3 ? MS_TAG_ZOMBIE : 0;
}

#define N_PROCS 4

static void
fill_snapshot (ms_snapshot_t *s, ms_proc_t *procs)
{
  memset (s, 0, sizeof *s);
  s->time_s = 12.5;
  s->time_unix = 1767225600.25;
  s->interval_s = 1.0;
  s->mem.mem_total_kib = 16303428;
  s->mem.mem_available_kib = 12000000;
  s->mem.mem_free_kib = 8000000;
  s->mem.cached_kib = 3000000;
  s->mem.buffers_kib = 100000;
  s->mem.shmem_kib = 200000;
  s->mem.swap_total_kib = 2097148;
  s->mem.swap_free_kib = 1048574;
  s->mem.slab_kib = 300000;
  s->pressure.valid = true;
  s->pressure.some_avg10 = 1.5;
  s->pressure.some_avg60 = 0.75;
  s->pressure.full_avg10 = 0.25;
  s->pressure.full_avg60 = 0.125;
  s->oom_counter.valid = true;
  s->oom_counter.count = 3;
  for (int i = 0; i < N_PROCS; i++)
    {
      fill_proc (&procs[i], i);
      /* Not on the wire: the decoder derives it as the sampler does. */
      ms_full_name (procs[i].comm, procs[i].cmdline, procs[i].exe, procs[i].name,
                    sizeof procs[i].name);
    }
  s->procs = procs;
  s->n_procs = N_PROCS;
}

static void
fill_events (ms_event_t *ev)
{
  memset (ev, 0, 3 * sizeof *ev);
  ev[0].time_s = 60;
  ev[0].pid = 101;
  ev[0].starttime = 1000007;
  strcpy (ev[0].comm, "leaky one");
  ev[0].tag = MS_TAG_LEAK;
  ev[0].set = true;
  ev[0].rate_kib_s = 8192.5;
  ev[0].duration_s = 45;
  ev[0].confidence = 0.97;
  ev[0].exhaust_s = NAN;
  ev[0].jump_kib = NAN;
  ev[1] = ev[0];
  ev[1].tag = MS_TAG_SPIKE;
  ev[1].rate_kib_s = ev[1].duration_s = ev[1].confidence = NAN;
  ev[1].jump_kib = 65536;
  ev[2] = ev[0];
  ev[2].tag = MS_TAG_ZOMBIE;
  ev[2].set = false;
  strcpy (ev[2].comm, "new\nline");
}

static ms_stream_decoder_t *
primed_decoder (uint16_t minor)
{
  ms_stream_decoder_t *d = ms_stream_decoder_new ();
  ms_stream_buf_t b;
  ms_stream_hello_t h;
  ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  char err[256];

  ms_stream_buf_init (&b);
  ms_stream_hello_init (&h, "memscope-probe test", MS_STREAM_CAP_PSS);
  h.minor = minor;
  g_assert_cmpint (ms_stream_encode_hello (&b, &h), ==, 0);
  g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 1, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  ms_stream_buf_clear (&b);
  g_free (f);
  return d;
}

static void
test_hello (void)
{
  ms_stream_decoder_t *d = ms_stream_decoder_new ();
  ms_stream_buf_t b;
  ms_stream_hello_t h;
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  char err[256];

  ms_stream_buf_init (&b);
  ms_stream_hello_init (&h, "memscope-probe 9.8.7", MS_STREAM_CAP_SIGNALS | MS_STREAM_CAP_PIDFD);
  g_assert_cmpint (ms_stream_encode_hello (&b, &h), ==, 0);
  /* Length prefix, type, then the magic and the version: fixed in every version. */
  g_assert_cmpuint (b.len, ==, 4 + 1 + 4 + 2 + 2 + 4 + 4 + 2 + strlen ("memscope-probe 9.8.7"));
  g_assert_cmpint (b.data[4], ==, MS_FRAME_HELLO);
  g_assert_cmpmem (b.data + 5, 4, "MSCP", 4);
  g_assert_cmpint (b.data[9], ==, MS_STREAM_VERSION_MAJOR);
  g_assert_cmpint (b.data[10], ==, 0);

  g_assert_null (ms_stream_decoder_peer (d));
  g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 1, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (f->type, ==, MS_FRAME_HELLO);
  g_assert_cmpuint (f->number, ==, 1);
  g_assert_cmpint (f->hello.major, ==, MS_STREAM_VERSION_MAJOR);
  g_assert_cmpint (f->hello.minor, ==, MS_STREAM_VERSION_MINOR);
  g_assert_cmpuint (f->hello.capabilities, ==, MS_STREAM_CAP_SIGNALS | MS_STREAM_CAP_PIDFD);
  g_assert_cmpuint (f->hello.max_frame, ==, MS_STREAM_MAX_FRAME);
  g_assert_cmpstr (f->hello.software, ==, "memscope-probe 9.8.7");
  g_assert_nonnull (ms_stream_decoder_peer (d));
  g_assert_cmpstr (ms_stream_decoder_peer (d)->software, ==, "memscope-probe 9.8.7");
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

static void
test_snapshot (void)
{
  ms_proc_t procs[N_PROCS];
  ms_snapshot_t snap;
  ms_stream_decoder_t *d = primed_decoder (MS_STREAM_VERSION_MINOR);
  ms_stream_buf_t b;
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  char err[256];

  fill_snapshot (&snap, procs);
  ms_stream_buf_init (&b);
  g_assert_cmpint (ms_stream_encode_snapshot (&b, &snap), ==, 0);
  g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 2, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (f->type, ==, MS_FRAME_SNAPSHOT);
  g_assert_cmpfloat (f->snapshot.time_s, ==, snap.time_s);
  g_assert_cmpfloat (f->snapshot.time_unix, ==, snap.time_unix);
  g_assert_cmpfloat (f->snapshot.interval_s, ==, snap.interval_s);
  g_assert_cmpmem (&f->snapshot.mem, sizeof snap.mem, &snap.mem, sizeof snap.mem);
  g_assert_true (f->snapshot.pressure.valid);
  g_assert_cmpfloat (f->snapshot.pressure.full_avg60, ==, 0.125);
  g_assert_true (f->snapshot.oom_counter.valid);
  g_assert_cmpuint (f->snapshot.oom_counter.count, ==, 3);
  g_assert_cmpuint (f->snapshot.n_procs, ==, N_PROCS);
  /* Every field of every process, byte for byte. */
  for (int i = 0; i < N_PROCS; i++)
    g_assert_cmpmem (&f->snapshot.procs[i], sizeof (ms_proc_t), &procs[i], sizeof (ms_proc_t));
  g_assert_cmpstr (f->snapshot.procs[0].comm, ==, "a) (b, \"c\nd");
  g_assert_cmpuint (strlen (f->snapshot.procs[1].cmdline), ==, MS_CMDLINE_MAX - 1);

  /* An empty machine (no processes) is a valid snapshot too. */
  snap.n_procs = 0;
  snap.pressure.valid = false;
  ms_stream_buf_reset (&b);
  g_assert_cmpint (ms_stream_encode_snapshot (&b, &snap), ==, 0);
  g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 3, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpuint (f->snapshot.n_procs, ==, 0);
  g_assert_false (f->snapshot.pressure.valid);
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

static void
test_events (void)
{
  ms_event_t ev[3];
  ms_stream_decoder_t *d = primed_decoder (MS_STREAM_VERSION_MINOR);
  ms_stream_buf_t b;
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  char err[256];

  fill_events (ev);
  ms_stream_buf_init (&b);
  g_assert_cmpint (ms_stream_encode_events (&b, ev, 3), ==, 0);
  g_assert_cmpint (ms_stream_encode_events (&b, NULL, 0), ==, 0);
  {
    g_autoptr (GArray) frames = split_frames (&b);
    payload_t *p = &g_array_index (frames, payload_t, 0);

    g_assert_cmpuint (frames->len, ==, 2);
    g_assert_cmpint (ms_stream_decode_frame (d, p[0].data, p[0].len, 2, f, err, sizeof err), ==,
                     MS_STREAM_OK);
    g_assert_cmpint (f->type, ==, MS_FRAME_EVENTS);
    g_assert_cmpuint (f->n_events, ==, 3);
    /* NaN (null) fields survive: bit for bit. */
    for (int i = 0; i < 3; i++)
      g_assert_cmpmem (&f->events[i], sizeof (ms_event_t), &ev[i], sizeof (ms_event_t));
    g_assert_true (isnan (f->events[1].confidence));
    g_assert_cmpint (ms_stream_decode_frame (d, p[1].data, p[1].len, 3, f, err, sizeof err), ==,
                     MS_STREAM_OK);
    g_assert_cmpuint (f->n_events, ==, 0);
  }
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

static void
test_replies (void)
{
  gsize len;
  g_autofree char *text = ms_test_data_read ("smaps/before", &len);
  ms_smaps_groups_t g;
  ms_stream_decoder_t *d = primed_decoder (MS_STREAM_VERSION_MINOR);
  ms_stream_buf_t b;
  ms_stream_reply_t ok = { 42, 0, 4242, 123456 }, denied = { 43, -EACCES, 1, 2 };
  ms_stream_reply_t perm = { 44, -EPERM, 77, 88 };
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  g_autofree char *long_text = g_strnfill (3000, 'e');
  g_autoptr (GArray) frames = NULL;
  payload_t *p;
  char err[256];

  ms_smaps_groups_init (&g);
  g_assert_cmpint (ms_smaps_groups_parse (text, len, &g), ==, 0);
  ms_stream_buf_init (&b);
  g_assert_cmpint (ms_stream_encode_smaps_reply (&b, &ok, &g), ==, 0);
  g_assert_cmpint (ms_stream_encode_smaps_reply (&b, &denied, &g), ==, 0);
  g_assert_cmpint (ms_stream_encode_signal_reply (&b, &perm, SIGTERM), ==, 0);
  g_assert_cmpint (ms_stream_encode_error (&b, 5, "request 5 (signal): bad"), ==, 0);
  g_assert_cmpint (ms_stream_encode_error (&b, 0, long_text), ==, 0);
  frames = split_frames (&b);
  p = &g_array_index (frames, payload_t, 0);
  g_assert_cmpuint (frames->len, ==, 5);

  g_assert_cmpint (ms_stream_decode_frame (d, p[0].data, p[0].len, 2, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (f->type, ==, MS_FRAME_SMAPS_GROUPS);
  g_assert_cmpuint (f->reply.id, ==, 42);
  g_assert_cmpint (f->reply.result, ==, 0);
  g_assert_cmpint (f->reply.pid, ==, 4242);
  g_assert_cmpuint (f->reply.starttime, ==, 123456);
  g_assert_nonnull (f->groups);
  g_assert_cmpuint (f->groups->n_groups, ==, g.n_groups);
  for (gsize i = 0; i < g.n_groups; i++)
    {
      const ms_smaps_group_t *a = &g.groups[i], *e = &f->groups->groups[i];

      g_assert_cmpint (e->kind, ==, a->kind);
      g_assert_cmpstr (e->name, ==, a->name);
      g_assert_cmpuint (e->mappings, ==, a->mappings);
      g_assert_cmpint (e->size_kib, ==, a->size_kib);
      g_assert_cmpint (e->rss_kib, ==, a->rss_kib);
      g_assert_cmpint (e->pss_kib, ==, a->pss_kib);
      g_assert_cmpint (e->swap_kib, ==, a->swap_kib);
      g_assert_cmpint (e->private_kib, ==, a->private_kib);
      /* Looked up by kind and name, as the panel's diff does. */
      g_assert_true (ms_smaps_groups_find (f->groups, a->kind, a->name, a->name_len) == e);
    }
  g_assert_cmpint (f->groups->total.rss_kib, ==, g.total.rss_kib);
  g_assert_cmpint (f->groups->total.pss_kib, ==, g.total.pss_kib);
  g_assert_cmpuint (f->groups->total.mappings, ==, g.total.mappings);
  g_assert_cmpuint (f->groups->n_mappings, ==, g.n_mappings);

  g_assert_cmpint (ms_stream_decode_frame (d, p[1].data, p[1].len, 3, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpuint (f->reply.id, ==, 43);
  g_assert_cmpint (f->reply.result, ==, -EACCES);
  g_assert_null (f->groups);

  g_assert_cmpint (ms_stream_decode_frame (d, p[2].data, p[2].len, 4, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (f->type, ==, MS_FRAME_SIGNAL);
  g_assert_cmpuint (f->reply.id, ==, 44);
  g_assert_cmpint (f->reply.result, ==, -EPERM);
  g_assert_cmpint (f->reply.pid, ==, 77);
  g_assert_cmpuint (f->reply.starttime, ==, 88);
  g_assert_cmpint (f->sig, ==, SIGTERM);

  g_assert_cmpint (ms_stream_decode_frame (d, p[3].data, p[3].len, 5, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (f->type, ==, MS_FRAME_ERROR);
  g_assert_cmpuint (f->error_request, ==, 5);
  g_assert_cmpstr (f->error, ==, "request 5 (signal): bad");
  /* Long text is cut to the field. */
  g_assert_cmpint (ms_stream_decode_frame (d, p[4].data, p[4].len, 6, f, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpuint (strlen (f->error), ==, MS_STREAM_ERROR_MAX - 1);

  ms_smaps_groups_clear (&g);
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

static void
encode_all_requests (ms_stream_buf_t *b)
{
  ms_stream_request_t r;

  memset (&r, 0, sizeof r);
  r.type = MS_REQ_HELLO;
  ms_stream_hello_init (&r.hello, "memscope 1.2.3", 0);
  g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  memset (&r, 0, sizeof r);
  r.type = MS_REQ_SET_INTERVAL;
  r.interval_s = 2.5;
  g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  memset (&r, 0, sizeof r);
  r.type = MS_REQ_PSS_PRIORITY;
  r.pid = 4242;
  r.starttime = UINT64_MAX;
  g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  memset (&r, 0, sizeof r);
  r.type = MS_REQ_SMAPS_GROUPS;
  r.id = 7;
  r.pid = 4243;
  r.starttime = 99;
  g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  memset (&r, 0, sizeof r);
  r.type = MS_REQ_SIGNAL;
  r.id = 8;
  r.pid = 4244;
  r.starttime = 100;
  r.sig = SIGSTOP;
  g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  memset (&r, 0, sizeof r);
  r.type = MS_REQ_RESET_BASELINE;
  r.pid = 0;
  g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  {
    static const ms_baseline_t baselines[] = {
      { 4245, 101, 524288 },
      { INT32_MAX, UINT64_MAX, -3 },
    };

    memset (&r, 0, sizeof r);
    r.type = MS_REQ_RESTORE_BASELINES;
    r.baselines = baselines;
    r.n_baselines = G_N_ELEMENTS (baselines);
    g_assert_cmpint (ms_stream_encode_request (b, &r), ==, 0);
  }
}

static void
test_requests (void)
{
  ms_stream_decoder_t *d = ms_stream_decoder_new ();
  ms_stream_buf_t b;
  ms_stream_request_t r;
  g_autoptr (GArray) frames = NULL;
  payload_t *p;
  char err[256];

  ms_stream_buf_init (&b);
  encode_all_requests (&b);
  frames = split_frames (&b);
  p = &g_array_index (frames, payload_t, 0);
  g_assert_cmpuint (frames->len, ==, 7);

  /* Before the hello, nothing else is taken. */
  g_assert_cmpint (ms_stream_decode_request (d, p[1].data, p[1].len, 1, &r, err, sizeof err), ==,
                   MS_STREAM_BAD);
  g_assert_nonnull (strstr (err, "request 1 (set-interval)"));
  g_assert_nonnull (strstr (err, "hello"));

  g_assert_cmpint (ms_stream_decode_request (d, p[0].data, p[0].len, 1, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_HELLO);
  g_assert_cmpstr (r.hello.software, ==, "memscope 1.2.3");
  g_assert_cmpint (ms_stream_decode_request (d, p[1].data, p[1].len, 2, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_SET_INTERVAL);
  g_assert_cmpfloat (r.interval_s, ==, 2.5);
  g_assert_cmpint (ms_stream_decode_request (d, p[2].data, p[2].len, 3, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_PSS_PRIORITY);
  g_assert_cmpint (r.pid, ==, 4242);
  g_assert_cmpuint (r.starttime, ==, UINT64_MAX);
  g_assert_cmpint (ms_stream_decode_request (d, p[3].data, p[3].len, 4, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_SMAPS_GROUPS);
  g_assert_cmpuint (r.id, ==, 7);
  g_assert_cmpint (r.pid, ==, 4243);
  g_assert_cmpuint (r.starttime, ==, 99);
  g_assert_cmpint (ms_stream_decode_request (d, p[4].data, p[4].len, 5, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_SIGNAL);
  g_assert_cmpuint (r.id, ==, 8);
  g_assert_cmpint (r.pid, ==, 4244);
  g_assert_cmpuint (r.starttime, ==, 100);
  g_assert_cmpint (r.sig, ==, SIGSTOP);
  g_assert_cmpint (ms_stream_decode_request (d, p[5].data, p[5].len, 6, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_RESET_BASELINE);
  g_assert_cmpint (r.pid, ==, 0);
  g_assert_cmpint (ms_stream_decode_request (d, p[6].data, p[6].len, 7, &r, err, sizeof err), ==,
                   MS_STREAM_OK);
  g_assert_cmpint (r.type, ==, MS_REQ_RESTORE_BASELINES);
  g_assert_cmpuint (r.n_baselines, ==, 2);
  g_assert_cmpint (r.baselines[0].pid, ==, 4245);
  g_assert_cmpuint (r.baselines[0].starttime, ==, 101);
  g_assert_cmpint (r.baselines[0].baseline_kib, ==, 524288);
  g_assert_cmpint (r.baselines[1].pid, ==, INT32_MAX);
  g_assert_cmpuint (r.baselines[1].starttime, ==, UINT64_MAX);
  g_assert_cmpint (r.baselines[1].baseline_kib, ==, -3);
  g_assert_cmpstr (ms_stream_type_name (MS_REQ_RESTORE_BASELINES), ==, "restore-baselines");
  /* A pid that names no process is refused, naming the item; so is a count past the bytes. */
  {
    g_autofree uint8_t *bad = g_memdup2 (p[6].data, p[6].len);

    memset (bad + 1 + 4 + 20, 0, 4); /* the second item's pid: 0 */
    g_assert_cmpint (ms_stream_decode_request (d, bad, p[6].len, 8, &r, err, sizeof err), ==,
                     MS_STREAM_BAD);
    g_assert_nonnull (strstr (err, "request 8 (restore-baselines)"));
    g_assert_nonnull (strstr (err, "process 2 of 2"));
    g_assert_nonnull (strstr (err, "not a process"));
    memcpy (bad, p[6].data, p[6].len);
    memset (bad + 1, 0xff, 4);
    g_assert_cmpint (ms_stream_decode_request (d, bad, p[6].len, 9, &r, err, sizeof err), ==,
                     MS_STREAM_BAD);
    g_assert_nonnull (strstr (err, "process count"));
  }
  /* An empty list is a valid request that restores nothing. */
  memset (&r, 0, sizeof r);
  r.type = MS_REQ_RESTORE_BASELINES;
  ms_stream_buf_reset (&b);
  g_assert_cmpint (ms_stream_encode_request (&b, &r), ==, 0);
  g_assert_cmpint (ms_stream_decode_request (d, b.data + 4, b.len - 4, 10, &r, err, sizeof err),
                   ==, MS_STREAM_OK);
  g_assert_cmpuint (r.n_baselines, ==, 0);

  /* A signal code this side does not know is no malformed request: it is answered (-EINVAL). */
  {
    g_autofree uint8_t *sig = g_memdup2 (p[4].data, p[4].len);

    sig[p[4].len - 1] = 99;
    g_assert_cmpint (ms_stream_decode_request (d, sig, p[4].len, 7, &r, err, sizeof err), ==,
                     MS_STREAM_OK);
    g_assert_cmpuint (r.id, ==, 8);
    g_assert_cmpint (r.sig, ==, 0);
  }
  /* Signals travel as protocol codes. */
  g_assert_cmpint (ms_stream_signal_code (SIGKILL), ==, MS_STREAM_SIG_KILL);
  g_assert_cmpint (ms_stream_signal_code (SIGUSR1), ==, MS_STREAM_SIG_NONE);
  g_assert_cmpint (ms_stream_signal_from_code (MS_STREAM_SIG_CONT), ==, SIGCONT);
  g_assert_cmpint (ms_stream_signal_from_code (200), ==, 0);

  /* A request type the probe does not know (the encoder refuses to write one). */
  memset (&r, 0, sizeof r);
  r.type = (ms_request_type_t) 0x99;
  ms_stream_buf_reset (&b);
  g_assert_cmpint (ms_stream_encode_request (&b, &r), ==, -1);
  g_assert_cmpuint (b.len, ==, 0);
  {
    static const uint8_t unknown[] = { 0x99, 1, 2, 3 };

    g_assert_cmpint (ms_stream_decode_request (d, unknown, sizeof unknown, 8, &r, err, sizeof err),
                     ==, MS_STREAM_BAD);
    g_assert_nonnull (strstr (err, "request 8"));
    g_assert_nonnull (strstr (err, "0x99"));
  }
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

/* Every valid frame of each type, as one buffer. */
static void
encode_all_frames (ms_stream_buf_t *b, ms_smaps_groups_t *g)
{
  ms_proc_t procs[N_PROCS];
  ms_snapshot_t snap;
  ms_event_t ev[3];
  ms_stream_hello_t h;
  ms_stream_reply_t ok = { 1, 0, 4242, 123456 }, denied = { 2, -ESRCH, 4242, 1 };
  gsize len;
  g_autofree char *text = ms_test_data_read ("smaps/after", &len);

  ms_stream_hello_init (&h, "memscope-probe 0.1.0", 31);
  fill_snapshot (&snap, procs);
  fill_events (ev);
  g_assert_cmpint (ms_smaps_groups_parse (text, len, g), ==, 0);
  g_assert_cmpint (ms_stream_encode_hello (b, &h), ==, 0);
  g_assert_cmpint (ms_stream_encode_snapshot (b, &snap), ==, 0);
  g_assert_cmpint (ms_stream_encode_events (b, ev, 3), ==, 0);
  g_assert_cmpint (ms_stream_encode_smaps_reply (b, &ok, g), ==, 0);
  g_assert_cmpint (ms_stream_encode_smaps_reply (b, &denied, NULL), ==, 0);
  g_assert_cmpint (ms_stream_encode_signal_reply (b, &ok, SIGCONT), ==, 0);
  g_assert_cmpint (ms_stream_encode_error (b, 3, "something"), ==, 0);
}

static void
test_truncations (void)
{
  ms_stream_buf_t b, rb;
  ms_smaps_groups_t g;
  g_autoptr (GArray) frames = NULL, requests = NULL;
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  ms_stream_decoder_t *d = primed_decoder (MS_STREAM_VERSION_MINOR);
  ms_stream_request_t r;
  char err[512];
  guint checked = 0;

  ms_stream_buf_init (&b);
  ms_stream_buf_init (&rb);
  ms_smaps_groups_init (&g);
  encode_all_frames (&b, &g);
  encode_all_requests (&rb);
  frames = split_frames (&b);
  requests = split_frames (&rb);
  g_assert_cmpuint (frames->len, ==, 7);

  for (guint i = 0; i < frames->len; i++)
    {
      const payload_t *p = &g_array_index (frames, payload_t, i);
      g_autofree char *want = g_strdup_printf ("frame %u", i + 10);

      g_assert_cmpint (ms_stream_decode_frame (d, p->data, p->len, i + 10, f, err, sizeof err), ==,
                       MS_STREAM_OK);
      for (size_t cut = 0; cut < p->len; cut++)
        {
          /* An exact-size copy, so a sanitizer sees any read past the cut. */
          g_autofree uint8_t *copy = g_memdup2 (p->data, cut ? cut : 1);

          err[0] = '\0';
          g_assert_cmpint (ms_stream_decode_frame (d, copy, cut, i + 10, f, err, sizeof err), ==,
                           MS_STREAM_BAD);
          if (!g_str_has_prefix (err, want))
            g_error ("cut at %zu of %zu: \"%s\" does not start with \"%s\"", cut, p->len, err, want);
          checked++;
        }
    }
  {
    ms_stream_decoder_t *rd = ms_stream_decoder_new ();
    const payload_t *hello = &g_array_index (requests, payload_t, 0);

    g_assert_cmpint (ms_stream_decode_request (rd, hello->data, hello->len, 1, &r, err, sizeof err),
                     ==, MS_STREAM_OK);
    for (guint i = 0; i < requests->len; i++)
      {
        const payload_t *p = &g_array_index (requests, payload_t, i);
        g_autofree char *want = g_strdup_printf ("request %u", i + 1);

        for (size_t cut = 0; cut < p->len; cut++)
          {
            g_autofree uint8_t *copy = g_memdup2 (p->data, cut ? cut : 1);

            err[0] = '\0';
            g_assert_cmpint (ms_stream_decode_request (rd, copy, cut, i + 1, &r, err, sizeof err),
                             ==, MS_STREAM_BAD);
            g_assert_true (g_str_has_prefix (err, want));
            checked++;
          }
      }
    ms_stream_decoder_free (rd);
  }
  g_test_message ("%u truncations refused", checked);
  g_assert_cmpuint (checked, >, 1000);

  ms_smaps_groups_clear (&g);
  ms_stream_buf_clear (&b);
  ms_stream_buf_clear (&rb);
  ms_stream_decoder_free (d);
}

static void
put_le32 (uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static void
expect_bad (ms_stream_decoder_t *d, const uint8_t *data, size_t len, const char *needle)
{
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  char err[512];

  g_assert_cmpint (ms_stream_decode_frame (d, data, len, 9, f, err, sizeof err), ==, MS_STREAM_BAD);
  if (strstr (err, needle) == NULL || !g_str_has_prefix (err, "frame 9"))
    g_error ("\"%s\" does not say \"%s\"", err, needle);
}

static void
test_corrupt (void)
{
  ms_stream_buf_t b;
  ms_smaps_groups_t g;
  g_autoptr (GArray) frames = NULL;
  ms_stream_decoder_t *d = primed_decoder (MS_STREAM_VERSION_MINOR);
  payload_t *p;
  uint8_t *copy;
  guint64 allocs;

  ms_stream_buf_init (&b);
  ms_smaps_groups_init (&g);
  encode_all_frames (&b, &g);
  frames = split_frames (&b);
  p = &g_array_index (frames, payload_t, 0);

  /* The hello's software string claims more bytes than there are, or more than its field. */
  copy = g_memdup2 (p[0].data, p[0].len);
  copy[17] = 60, copy[18] = 0;
  expect_bad (d, copy, p[0].len, "needs 60 bytes");
  copy[17] = 0xff, copy[18] = 0xff;
  expect_bad (d, copy, p[0].len, "longer than the 63 allowed");
  g_free (copy);

  /* A snapshot whose process count cannot fit is refused before anything is allocated. */
  copy = g_memdup2 (p[1].data, p[1].len);
  put_le32 (copy + 1 + 3 * 8 + 9 * 8 + 1 + 4 * 8 + 8, 0xffffffffu);
  allocs = ms_alloc_count ();
  expect_bad (d, copy, p[1].len, "process count");
  g_assert_cmpuint (ms_alloc_count (), ==, allocs);
  /* A boolean that is neither 0 nor 1. */
  memcpy (copy, p[1].data, p[1].len);
  copy[1 + 3 * 8 + 9 * 8] = 2;
  expect_bad (d, copy, p[1].len, "pressure valid");
  /* A string in the third process holding a NUL byte. */
  {
    const char *comm = "kworker/0:1";
    uint8_t *at;

    memcpy (copy, p[1].data, p[1].len);
    at = memmem (copy, p[1].len, comm, strlen (comm));

    g_assert_nonnull (at);
    at[3] = '\0';
    expect_bad (d, copy, p[1].len, "process 3 of 4, comm");
  }
  g_free (copy);

  /* A byte too many: the peer speaks this very version, so nothing may follow the last field. */
  copy = g_malloc (p[5].len + 1);
  memcpy (copy, p[5].data, p[5].len);
  copy[p[5].len] = 0;
  expect_bad (d, copy, p[5].len + 1, "1 bytes left over");
  g_free (copy);

  /* An event tag that is no tag. */
  copy = g_memdup2 (p[2].data, p[2].len);
  copy[1 + 4 + 8 + 4 + 8 + 2 + strlen ("leaky one")] = 3;
  expect_bad (d, copy, p[2].len, "event 1 of 3, tag");
  g_free (copy);

  /* A smaps reply listing one group twice, and one with a kind out of range. */
  {
    ms_smaps_groups_t two;
    ms_stream_buf_t tb;
    ms_stream_reply_t ok = { 1, 0, 1, 1 };
    uint8_t *at;

    ms_smaps_groups_init (&two);
    ms_stream_buf_init (&tb);
    ms_smaps_groups_add (&two, MS_SMAPS_FILE, "/lib/aa", 7, NULL);
    ms_smaps_groups_add (&two, MS_SMAPS_FILE, "/lib/ab", 7, NULL);
    g_assert_cmpint (ms_stream_encode_smaps_reply (&tb, &ok, &two), ==, 0);
    at = memmem (tb.data, tb.len, "/lib/ab", 7);
    g_assert_nonnull (at);
    at[6] = 'a';
    expect_bad (d, tb.data + 4, tb.len - 4, "listed twice");
    at[-3] = MS_SMAPS_N_KINDS;
    expect_bad (d, tb.data + 4, tb.len - 4, "group 2 of 2, kind");
    /* A result that is not 0 or -errno. */
    tb.data[4 + 1 + 4] = 5;
    expect_bad (d, tb.data + 4, tb.len - 4, "result");
    ms_stream_buf_clear (&tb);
    ms_smaps_groups_clear (&two);
  }

  /* Empty payloads and types nobody defined. */
  expect_bad (d, (const uint8_t *) "", 0, "type");
  expect_bad (d, (const uint8_t *) "\x42", 1, "0x42 is not a frame type");
  /* A request where a frame belongs. */
  expect_bad (d, (const uint8_t *) "\x81", 1, "0x81 is not a frame type");

  ms_smaps_groups_clear (&g);
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
}

static void
test_corrupt_lengths (void)
{
  static const uint8_t zero[] = { 0, 0, 0, 0, 1, 2, 3 };
  static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0x7f, 1 };
  ms_stream_reader_t *r = ms_stream_reader_new (0);
  ms_stream_buf_t b;
  const uint8_t *payload;
  size_t len;
  uint64_t number;
  char err[256];
  ms_stream_hello_t h;

  g_assert_cmpint (ms_stream_reader_feed (r, zero, sizeof zero), ==, 0);
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "frame 1: length 0"));
  ms_stream_reader_free (r);

  /* A valid frame, then a length over the limit: the first is yielded, the second refused, and
   * so is everything after it (the framing cannot be trusted any more). */
  ms_stream_buf_init (&b);
  ms_stream_hello_init (&h, "x", 0);
  ms_stream_encode_hello (&b, &h);
  r = ms_stream_reader_new (0);
  ms_stream_reader_feed (r, b.data, b.len);
  ms_stream_reader_feed (r, huge, sizeof huge);
  ms_stream_reader_feed (r, b.data, b.len);
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, 1);
  g_assert_cmpuint (number, ==, 1);
  g_assert_cmpuint (len, ==, b.len - 4);
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "frame 2: length 2147483647 is over the limit"));
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, -1);
  g_assert_cmpint (ms_stream_reader_finish (r, err, sizeof err), ==, -1);
  ms_stream_reader_free (r);

  /* A reader with a smaller limit refuses a frame the default one takes. */
  r = ms_stream_reader_new (8);
  ms_stream_reader_feed (r, b.data, b.len);
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "over the limit of 8 bytes"));
  ms_stream_reader_free (r);
  ms_stream_buf_clear (&b);
}

static void
test_version (void)
{
  ms_stream_decoder_t *d = ms_stream_decoder_new ();
  ms_stream_buf_t b;
  ms_stream_hello_t h;
  ms_proc_t procs[N_PROCS];
  ms_snapshot_t snap;
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  ms_stream_request_t r;
  char err[256];
  /* What a version 2 peer might send: the fixed head, then a layout this side cannot know. */
  static const uint8_t v2[] = { MS_FRAME_HELLO, 'M', 'S', 'C', 'P', 2, 0, 1, 0, 0xde, 0xad };
  static const uint8_t not_ours[] = { MS_FRAME_HELLO, 'H', 'T', 'T', 'P', 1, 0, 0, 0 };

  ms_stream_buf_init (&b);
  ms_stream_hello_init (&h, "memscope-probe 2.0.0", 0);
  h.major = 2;
  h.minor = 0;
  g_assert_cmpint (ms_stream_encode_hello (&b, &h), ==, 0);
  g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 1, f, err, sizeof err), ==,
                   MS_STREAM_VERSION);
  g_assert_nonnull (strstr (err, "frame 1 (hello)"));
  g_assert_nonnull (strstr (err, "protocol version 2.0"));
  g_assert_null (ms_stream_decoder_peer (d));
  g_assert_cmpint (ms_stream_decode_frame (d, v2, sizeof v2, 1, f, err, sizeof err), ==,
                   MS_STREAM_VERSION);
  g_assert_nonnull (strstr (err, "2.1"));
  /* Nothing is taken from a peer of another version. */
  fill_snapshot (&snap, procs);
  ms_stream_buf_reset (&b);
  ms_stream_encode_snapshot (&b, &snap);
  g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 2, f, err, sizeof err), ==,
                   MS_STREAM_BAD);
  g_assert_nonnull (strstr (err, "must begin with a hello"));
  g_assert_cmpint (ms_stream_decode_frame (d, not_ours, sizeof not_ours, 1, f, err, sizeof err), ==,
                   MS_STREAM_BAD);
  g_assert_nonnull (strstr (err, "does not speak the memscope stream"));
  /* The same for requests: the probe recognises an app of another version. */
  g_assert_cmpint (ms_stream_decode_request (d, v2, sizeof v2, 1, &r, err, sizeof err), ==,
                   MS_STREAM_BAD);
  {
    uint8_t req[sizeof v2];

    memcpy (req, v2, sizeof v2);
    req[0] = MS_REQ_HELLO;
    g_assert_cmpint (ms_stream_decode_request (d, req, sizeof req, 1, &r, err, sizeof err), ==,
                     MS_STREAM_VERSION);
    g_assert_nonnull (strstr (err, "request 1 (hello): the peer speaks protocol version 2.1"));
  }
  ms_stream_decoder_free (d);

  /* A newer minor version of the same major: appended fields and new frame types are skipped. */
  d = primed_decoder (MS_STREAM_VERSION_MINOR + 3);
  g_assert_cmpint (ms_stream_decoder_peer (d)->minor, ==, MS_STREAM_VERSION_MINOR + 3);
  {
    g_autofree uint8_t *longer = g_malloc (b.len - 4 + 16);

    memcpy (longer, b.data + 4, b.len - 4);
    memset (longer + b.len - 4, 0xaa, 16);
    g_assert_cmpint (ms_stream_decode_frame (d, longer, b.len - 4 + 16, 2, f, err, sizeof err), ==,
                     MS_STREAM_OK);
    g_assert_cmpuint (f->snapshot.n_procs, ==, N_PROCS);
    g_assert_cmpint (f->snapshot.procs[3].pid, ==, 103);
  }
  g_assert_cmpint (ms_stream_decode_frame (d, (const uint8_t *) "\x42zz", 3, 3, f, err, sizeof err),
                   ==, MS_STREAM_UNKNOWN);
  ms_stream_decoder_free (d);
  ms_stream_buf_clear (&b);
}

/* Encodes snap in the layout of `minor` and decodes it from a peer that said `peer_minor`.  The
 * decoder is gone on return: f->snapshot's machine fields are valid, its procs are not. */
static ms_stream_status_t
round_trip (const ms_snapshot_t *snap, uint16_t minor, uint16_t peer_minor, size_t *len,
            ms_stream_frame_t *f, char *err, size_t err_len)
{
  ms_stream_decoder_t *d = primed_decoder (peer_minor);
  ms_stream_buf_t b;
  ms_stream_status_t st;

  ms_stream_buf_init (&b);
  g_assert_cmpint (ms_stream_encode_snapshot_as (&b, snap, minor), ==, 0);
  *len = b.len - 4;
  st = ms_stream_decode_frame (d, b.data + 4, b.len - 4, 2, f, err, err_len);
  ms_stream_buf_clear (&b);
  ms_stream_decoder_free (d);
  return st;
}

/* 1.1 appends the OOM-kill counter's validity to the snapshot: a counter read as 0 arrives as a
 * reading of 0, an unreadable one as unknown.  A 1.0 peer's layout is one byte shorter, and its
 * 0 keeps the meaning 1.0 gave it (unknown). */
static void
test_oom_counter_versions (void)
{
  ms_proc_t procs[N_PROCS];
  ms_snapshot_t snap;
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  size_t len_11, len_10;
  char err[256];

  g_assert_cmpint (MS_STREAM_VERSION_MINOR, >=, 1);
  fill_snapshot (&snap, procs);
  snap.oom_counter.count = 0;
  /* 1.2 added a request only: its snapshot is 1.1's. */
  g_assert_cmpint (round_trip (&snap, 2, 2, &len_10, f, err, sizeof err), ==, MS_STREAM_OK);
  g_assert_cmpint (round_trip (&snap, 1, 1, &len_11, f, err, sizeof err), ==, MS_STREAM_OK);
  g_assert_cmpuint (len_10, ==, len_11);
  g_assert_true (f->snapshot.oom_counter.valid);
  g_assert_cmpuint (f->snapshot.oom_counter.count, ==, 0);
  g_assert_cmpuint (f->snapshot.n_procs, ==, N_PROCS);

  snap.oom_counter.valid = false;
  g_assert_cmpint (round_trip (&snap, 1, 1, &len_11, f, err, sizeof err), ==, MS_STREAM_OK);
  g_assert_false (f->snapshot.oom_counter.valid);

  /* A 1.0 probe: the same fields without the last byte. */
  snap.oom_counter.valid = true;
  snap.oom_counter.count = 4;
  g_assert_cmpint (round_trip (&snap, 0, 0, &len_10, f, err, sizeof err), ==, MS_STREAM_OK);
  g_assert_cmpuint (len_10 + 1, ==, len_11);
  g_assert_true (f->snapshot.oom_counter.valid);
  g_assert_cmpuint (f->snapshot.oom_counter.count, ==, 4);
  g_assert_cmpuint (f->snapshot.n_procs, ==, N_PROCS);
  snap.oom_counter.count = 0;
  g_assert_cmpint (round_trip (&snap, 0, 0, &len_10, f, err, sizeof err), ==, MS_STREAM_OK);
  g_assert_false (f->snapshot.oom_counter.valid);

  /* A 1.1 layout from a peer that said 1.0: the byte it may not send is refused ... */
  g_assert_cmpint (round_trip (&snap, 1, 0, &len_11, f, err, sizeof err), ==, MS_STREAM_BAD);
  g_assert_nonnull (strstr (err, "1 bytes left over"));
  /* ... and a peer that said 1.1 must send it. */
  g_assert_cmpint (round_trip (&snap, 0, 1, &len_10, f, err, sizeof err), ==, MS_STREAM_BAD);
  g_assert_nonnull (strstr (err, "oom_kill valid"));

  /* A newer minor version still carries it, whatever it appends after it. */
  snap.oom_counter.count = 0;
  g_assert_cmpint (round_trip (&snap, 1, 7, &len_11, f, err, sizeof err), ==, MS_STREAM_OK);
  g_assert_true (f->snapshot.oom_counter.valid);

  /* A validity that is neither 0 nor 1. */
  {
    ms_stream_decoder_t *d = primed_decoder (1);
    ms_stream_buf_t b;

    ms_stream_buf_init (&b);
    g_assert_cmpint (ms_stream_encode_snapshot (&b, &snap), ==, 0);
    b.data[b.len - 1] = 2;
    g_assert_cmpint (ms_stream_decode_frame (d, b.data + 4, b.len - 4, 2, f, err, sizeof err), ==,
                     MS_STREAM_BAD);
    g_assert_nonnull (strstr (err, "frame 2 (snapshot): oom_kill valid"));
    ms_stream_buf_clear (&b);
    ms_stream_decoder_free (d);
  }
}

/* Feeds a reader in pieces of `step` bytes and checks it yields exactly the frames of `b`. */
static void
check_incremental (const ms_stream_buf_t *b, size_t step)
{
  g_autoptr (GArray) want = split_frames (b);
  ms_stream_reader_t *r = ms_stream_reader_new (0);
  guint got = 0;
  char err[256];

  for (size_t off = 0; off < b->len; off += step)
    {
      const uint8_t *payload;
      size_t len;
      uint64_t number;

      g_assert_cmpint (ms_stream_reader_feed (r, b->data + off, MIN (step, b->len - off)), ==, 0);
      while (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err) == 1)
        {
          const payload_t *p = &g_array_index (want, payload_t, got);

          g_assert_cmpuint (number, ==, got + 1);
          g_assert_cmpmem (payload, len, p->data, p->len);
          got++;
        }
    }
  g_assert_cmpuint (got, ==, want->len);
  g_assert_cmpuint (ms_stream_reader_pending (r), ==, 0);
  g_assert_cmpint (ms_stream_reader_finish (r, err, sizeof err), ==, 0);
  ms_stream_reader_free (r);
}

static void
test_incremental (void)
{
  ms_stream_buf_t b;
  ms_smaps_groups_t g;
  ms_stream_reader_t *r;
  char err[256];
  const uint8_t *payload;
  size_t len;
  uint64_t number;

  ms_stream_buf_init (&b);
  ms_smaps_groups_init (&g);
  encode_all_frames (&b, &g);
  check_incremental (&b, 1);
  check_incremental (&b, 3);
  check_incremental (&b, 4096);
  check_incremental (&b, b.len);

  /* The peer died mid-frame: what came before is whole, the cut frame is named. */
  r = ms_stream_reader_new (0);
  ms_stream_reader_feed (r, b.data, b.len - 10);
  for (int i = 0; i < 6; i++)
    g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, 1);
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, 0);
  g_assert_cmpint (ms_stream_reader_finish (r, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "frame 7: the stream ended after"));
  ms_stream_reader_free (r);
  /* ... or inside a length prefix. */
  r = ms_stream_reader_new (0);
  ms_stream_reader_feed (r, b.data, 2);
  g_assert_cmpint (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err), ==, 0);
  g_assert_cmpint (ms_stream_reader_finish (r, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "frame 1: the stream ended inside its length"));
  ms_stream_reader_free (r);

  ms_smaps_groups_clear (&g);
  ms_stream_buf_clear (&b);
}

static void
test_pipe (void)
{
  enum { N_BIG = 20000 };
  ms_stream_buf_t b;
  ms_snapshot_t snap;
  g_autofree ms_proc_t *procs = g_new0 (ms_proc_t, N_BIG);
  ms_stream_hello_t h;
  ms_stream_reader_t *r = ms_stream_reader_new (0);
  ms_stream_decoder_t *d = ms_stream_decoder_new ();
  g_autofree ms_stream_frame_t *f = g_new0 (ms_stream_frame_t, 1);
  int fds[2], status, frames = 0, again = 0;
  pid_t writer;
  char err[256];

  /* Two hellos around one snapshot of 20000 processes (several MiB: many pipe-fulls). */
  ms_stream_buf_init (&b);
  ms_stream_hello_init (&h, "memscope-probe pipe", 0);
  ms_stream_encode_hello (&b, &h);
  fill_snapshot (&snap, procs);
  for (int i = 0; i < N_BIG; i++)
    {
      fill_proc (&procs[i], i % N_PROCS);
      procs[i].pid = i + 1;
    }
  snap.n_procs = N_BIG;
  g_assert_cmpint (ms_stream_encode_snapshot (&b, &snap), ==, 0);
  g_assert_cmpuint (b.len, >, 4 << 20);
  ms_stream_encode_hello (&b, &h);

  g_assert_cmpint (pipe (fds), ==, 0);
  writer = fork ();
  g_assert_cmpint (writer, >=, 0);
  if (writer == 0)
    {
      size_t off = 0;

      close (fds[0]);
      /* Dribbles the bytes, then the last 5 of them are never sent: the probe was killed. */
      while (off < b.len - 5)
        {
          ssize_t n = write (fds[1], b.data + off, MIN ((size_t) 100000, b.len - 5 - off));

          if (n <= 0)
            _exit (1);
          off += (size_t) n;
        }
      _exit (0);
    }
  close (fds[1]);
  g_assert_cmpint (fcntl (fds[0], F_SETFL, O_NONBLOCK), ==, 0);
  for (;;)
    {
      ssize_t n = ms_stream_reader_read_fd (r, fds[0]);
      const uint8_t *payload;
      size_t len;
      uint64_t number;

      if (n == -EAGAIN)
        {
          again++;
          g_usleep (1000);
          continue;
        }
      g_assert_cmpint (n, >=, 0);
      while (ms_stream_reader_next (r, &payload, &len, &number, err, sizeof err) == 1)
        {
          g_assert_cmpint (ms_stream_decode_frame (d, payload, len, number, f, err, sizeof err), ==,
                           MS_STREAM_OK);
          if (f->type == MS_FRAME_SNAPSHOT)
            {
              g_assert_cmpuint (f->snapshot.n_procs, ==, N_BIG);
              g_assert_cmpint (f->snapshot.procs[N_BIG - 1].pid, ==, N_BIG);
              g_assert_cmpstr (f->snapshot.procs[N_BIG - 3].comm, ==, procs[N_BIG - 3].comm);
            }
          frames++;
        }
      if (n == 0)
        break;
    }
  g_test_message ("pipe read: %d frames, %d empty reads", frames, again);
  g_assert_cmpint (frames, ==, 2);
  g_assert_cmpint (ms_stream_reader_finish (r, err, sizeof err), ==, -1);
  g_assert_nonnull (strstr (err, "frame 3"));
  g_assert_cmpint (waitpid (writer, &status, 0), ==, writer);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  close (fds[0]);
  ms_stream_decoder_free (d);
  ms_stream_reader_free (r);
  ms_stream_buf_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stream/hello", test_hello);
  g_test_add_func ("/stream/snapshot", test_snapshot);
  g_test_add_func ("/stream/events", test_events);
  g_test_add_func ("/stream/replies", test_replies);
  g_test_add_func ("/stream/requests", test_requests);
  g_test_add_func ("/stream/truncations", test_truncations);
  g_test_add_func ("/stream/corrupt", test_corrupt);
  g_test_add_func ("/stream/corrupt-lengths", test_corrupt_lengths);
  g_test_add_func ("/stream/version", test_version);
  g_test_add_func ("/stream/oom-counter-versions", test_oom_counter_versions);
  g_test_add_func ("/stream/incremental", test_incremental);
  g_test_add_func ("/stream/pipe", test_pipe);
  return g_test_run ();
}
