/* SPDX-License-Identifier: MIT */
/* Tests of the rolling store: bounded on disk, downsampled tiers, crash-cut segments, events log. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ms-test.h"
#include "oom.h"
#include "store.h"

#define T0 1700000000.0 /* wall clock of the first sample */

typedef struct
{
  ms_snapshot_t snap;
  ms_proc_t procs[64];
} fake_t;

/* A machine of n processes; process i holds 1000 + i KiB plus `grow` x t for process 0. */
static void
fake_fill (fake_t *f, size_t n, double t, int64_t used_extra_kib)
{
  memset (f, 0, sizeof *f);
  g_assert_cmpuint (n, <=, G_N_ELEMENTS (f->procs));
  f->snap.time_unix = t;
  f->snap.time_s = t - T0;
  f->snap.mem.mem_total_kib = 16000000;
  f->snap.mem.mem_available_kib = 10000000 - used_extra_kib;
  f->snap.mem.swap_total_kib = 1000000;
  f->snap.mem.swap_free_kib = 1000000;
  f->snap.n_procs = n;
  f->snap.procs = f->procs;
  for (size_t i = 0; i < n; i++)
    {
      ms_proc_t *p = &f->procs[i];

      p->pid = (int32_t) (100 + i);
      p->starttime = 5000 + i;
      g_snprintf (p->comm, sizeof p->comm, "proc-%zu", i);
      p->state = 'S';
      p->rss_kib = 1000 + (int64_t) i + (i == 0 ? (int64_t) (t - T0) * 10 : 0);
      p->pss_kib = MS_UNKNOWN_KIB;
      p->footprint_kib = p->rss_kib;
      p->cpu_pct = -1;
    }
}

typedef struct
{
  GArray *times;   /* double */
  GArray *machine; /* int64_t: used + swap of each sample */
  GArray *proc0;   /* int64_t: footprint of pid 100 */
} got_t;

static int
collect_cb (ms_snapshot_t *snap, void *user)
{
  got_t *got = user;
  int64_t used = snap->mem.mem_total_kib - snap->mem.mem_available_kib;
  int64_t p0 = -1;

  g_array_append_val (got->times, snap->time_s);
  g_array_append_val (got->machine, used);
  for (size_t i = 0; i < snap->n_procs; i++)
    if (snap->procs[i].pid == 100)
      p0 = snap->procs[i].footprint_kib;
  g_array_append_val (got->proc0, p0);
  g_assert_cmpfloat (snap->time_unix, ==, snap->time_s);
  return 0;
}

static void
got_init (got_t *got)
{
  got->times = g_array_new (FALSE, FALSE, sizeof (double));
  got->machine = g_array_new (FALSE, FALSE, sizeof (int64_t));
  got->proc0 = g_array_new (FALSE, FALSE, sizeof (int64_t));
}

static void
got_clear (got_t *got)
{
  g_array_unref (got->times);
  g_array_unref (got->machine);
  g_array_unref (got->proc0);
}

static guint64
dir_bytes (const char *dir, guint *n_files)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 total = 0;

  *n_files = 0;
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_str_has_suffix (name, ".csv") && g_stat (path, &st) == 0)
        {
          total += (guint64) st.st_size;
          (*n_files)++;
        }
    }
  return total;
}

static void
rm_rf (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("ms-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Hours of samples of 40 processes into a 300 KiB budget: the disk use stays under it (plus at
 * most the sample in flight), old segments go first, and what is left reads back in order. */
static void
test_bounded (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *nested = g_build_filename (dir, "state", "memscope", NULL);
  ms_store_params_t params;
  ms_store_t *store;
  char err[512];
  fake_t f;
  guint n_files = 0;
  guint64 max_seen = 0;
  got_t got;
  unsigned damaged = 99;

  ms_store_params_init (&params);
  params.fine_span_s = 600;
  params.fine_segment_s = 120;
  params.coarse_segment_s = 600;
  params.max_bytes = 300 * 1024;
  store = ms_store_open (nested, &params, err, sizeof err);
  g_assert_nonnull (store);
  for (int s = 0; s < 3 * 3600; s += 2)
    {
      guint64 bytes;

      fake_fill (&f, 40, T0 + s, 0);
      g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
      if (s % 600 == 0)
        {
          bytes = dir_bytes (nested, &n_files);
          max_seen = MAX (max_seen, bytes);
          g_assert_cmpuint (bytes, ==, ms_store_disk_bytes (store));
        }
    }
  ms_store_close (store);
  /* One fine sample of 40 rows is about 3 KiB. */
  g_assert_cmpuint (max_seen, <=, params.max_bytes + 8 * 1024);
  g_assert_cmpuint (dir_bytes (nested, &n_files), <=, params.max_bytes + 8 * 1024);
  g_assert_cmpuint (n_files, >=, 2);

  got_init (&got);
  g_assert_cmpint (ms_store_read (nested, 0, INFINITY, collect_cb, &got, &damaged, err,
                                  sizeof err), ==, 0);
  g_assert_cmpuint (damaged, ==, 0);
  g_assert_cmpuint (got.times->len, >, 100);
  /* The newest sample survives and the oldest hours were dropped for the budget. */
  g_assert_cmpfloat (g_array_index (got.times, double, got.times->len - 1), ==, T0 + 3 * 3600 - 2);
  g_assert_cmpfloat (g_array_index (got.times, double, 0), >, T0 + 600);
  for (guint i = 1; i < got.times->len; i++)
    g_assert_cmpfloat (g_array_index (got.times, double, i), >,
                       g_array_index (got.times, double, i - 1));
  got_clear (&got);
  rm_rf (nested);
  g_autofree char *parent = g_build_filename (dir, "state", NULL);
  g_rmdir (parent);
  g_rmdir (dir);
}

/* One hour at 1 s with a 10-minute fine tier: older samples come back one per minute, and each is
 * the busiest of its minute (a 1-second peak survives); the last 10 minutes come back at 1 s. */
static void
test_downsampling (void)
{
  g_autofree char *dir = make_dir ();
  ms_store_params_t params;
  ms_store_t *store;
  char err[512];
  fake_t f;
  got_t got;
  gboolean peak_found = FALSE;
  guint n_recent = 0;

  ms_store_params_init (&params);
  params.fine_span_s = 600;
  params.fine_segment_s = 60;
  store = ms_store_open (dir, &params, err, sizeof err);
  g_assert_nonnull (store);
  for (int s = 0; s < 3600; s++)
    {
      /* A short peak of 500 MiB at 12 min 17 s. */
      fake_fill (&f, 4, T0 + s, s == 737 ? 512000 : 0);
      g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
    }
  ms_store_close (store);

  got_init (&got);
  g_assert_cmpint (ms_store_read (dir, 0, INFINITY, collect_cb, &got, NULL, err, sizeof err),
                   ==, 0);
  for (guint i = 0; i < got.times->len; i++)
    {
      double t = g_array_index (got.times, double, i) - T0;

      if (t == 737)
        {
          peak_found = TRUE;
          g_assert_cmpint (g_array_index (got.machine, int64_t, i), ==, 6000000 + 512000);
        }
      if (t >= 3000)
        n_recent++;
      /* Process 0 grows 10 KiB/s: its value tells the sample's own time, so no tier mixed up
       * its rows with another time's. */
      g_assert_cmpint (g_array_index (got.proc0, int64_t, i), ==, 1000 + (int64_t) t * 10);
      if (i > 0 && t < 2900)
        g_assert_cmpfloat (t - (g_array_index (got.times, double, i - 1) - T0), >, 1.5);
    }
  g_assert_true (peak_found);
  /* 1 s resolution for the last 10 minutes (the fine tier keeps a segment more at most). */
  g_assert_cmpuint (n_recent, ==, 600);
  /* Older than the fine tier: about one per minute. */
  g_assert_cmpuint (got.times->len, <, 600 + 60 + 120);
  got_clear (&got);

  /* A window in the middle reads only what lies inside it. */
  got_init (&got);
  g_assert_cmpint (ms_store_read (dir, T0 + 3100, T0 + 3200, collect_cb, &got, NULL, err,
                                  sizeof err), ==, 0);
  g_assert_cmpuint (got.times->len, ==, 101);
  got_clear (&got);
  rm_rf (dir);
}

/* The busiest sample of the coarse bucket waits as the rows it will write, not as a copy of the
 * snapshot (about 1.4 KiB a process): 2,000 processes cost the store a few hundred KiB. */
static void
test_memory (void)
{
  enum { N = 2000 };
  g_autofree char *dir = make_dir ();
  ms_store_t *store = ms_store_open (dir, NULL, NULL, 0);
  ms_proc_t *procs = g_new0 (ms_proc_t, N);
  fake_t f;
  char err[512];
  size_t bytes;

  g_assert_nonnull (store);
  for (int s = 0; s < 90; s++)
    {
      fake_fill (&f, 1, T0 + s, s % 7 == 3 ? 1000 * s : 0);
      for (size_t i = 0; i < N; i++)
        {
          procs[i] = f.procs[0];
          procs[i].pid = (int32_t) (100 + i);
          g_snprintf (procs[i].comm, sizeof procs[i].comm, "worker-%zu", i);
        }
      f.snap.procs = procs;
      f.snap.n_procs = N;
      g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
    }
  bytes = ms_store_memory_bytes (store);
  g_test_message ("%d processes: the store holds %zu bytes of samples", N, bytes);
  g_assert_cmpuint (bytes, >, 0);
  g_assert_cmpuint (bytes, <, N * sizeof (ms_proc_t) / 2);
  ms_store_close (store);
  g_free (procs);
  rm_rf (dir);
}

/* A crash cuts the last line of the open segment: everything but the sample being written reads
 * back, the damage is reported, and a new run writes a new segment beside it. */
static void
test_crash_recovery (void)
{
  g_autofree char *dir = make_dir ();
  ms_store_t *store;
  char err[512];
  fake_t f;
  got_t got;
  unsigned damaged = 0;
  g_autoptr (GDir) d = NULL;
  const char *name;
  g_autofree char *fine = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  int cuts[] = { 3, 9, 25, -1 }; /* bytes into the last row, or -1 for a cut inside a time */

  store = ms_store_open (dir, NULL, err, sizeof err);
  g_assert_nonnull (store);
  for (int s = 0; s < 20; s++)
    {
      fake_fill (&f, 5, T0 + s, 0);
      g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
    }
  ms_store_close (store);

  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "fine-"))
      fine = g_build_filename (dir, name, NULL);
  g_assert_nonnull (fine);
  g_assert_true (g_file_get_contents (fine, &data, &len, NULL));

  for (guint c = 0; c < G_N_ELEMENTS (cuts); c++)
    {
      /* The last sample is 6 rows; cut into its 3rd row, its machine row, or a time. */
      const char *last_machine = g_strrstr (data, "19.000,0,0,[machine]");
      const char *third = last_machine;
      gsize keep;

      g_assert_nonnull (last_machine);
      for (int k = 0; k < 2; k++)
        third = strchr (third, '\n') + 1;
      if (cuts[c] == 25)
        keep = (gsize) (last_machine - data) + 12; /* inside the machine row */
      else if (cuts[c] < 0)
        keep = (gsize) (last_machine - data) + 2; /* "19" of the machine row's time */
      else
        keep = (gsize) (third - data) + (gsize) cuts[c];
      g_assert_true (g_file_set_contents (fine, data, (gssize) keep, NULL));

      got_init (&got);
      g_assert_cmpint (ms_store_read (dir, 0, INFINITY, collect_cb, &got, &damaged, err,
                                      sizeof err), ==, 0);
      g_assert_cmpuint (damaged, ==, 1);
      g_assert_nonnull (strstr (err, "cut short"));
      /* Samples 0..18 whole, the cut one gone. */
      g_assert_cmpuint (got.times->len, ==, 19);
      g_assert_cmpfloat (g_array_index (got.times, double, 18), ==, T0 + 18);
      got_clear (&got);
    }

  /* A restart appends a new segment; both read back in order. */
  store = ms_store_open (dir, NULL, err, sizeof err);
  g_assert_nonnull (store);
  for (int s = 30; s < 35; s++)
    {
      fake_fill (&f, 5, T0 + s, 0);
      g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
    }
  ms_store_close (store);
  got_init (&got);
  g_assert_cmpint (ms_store_read (dir, 0, INFINITY, collect_cb, &got, &damaged, err, sizeof err),
                   ==, 0);
  g_assert_cmpuint (got.times->len, ==, 19 + 5);
  g_assert_cmpfloat (g_array_index (got.times, double, 23), ==, T0 + 34);
  got_clear (&got);

  /* Garbage in a segment stops that segment only, with the line named. */
  g_assert_true (g_file_set_contents (fine, MS_TRACE_HEADER "\n1.0,x,y\n", -1, NULL));
  got_init (&got);
  g_assert_cmpint (ms_store_read (dir, 0, INFINITY, collect_cb, &got, &damaged, err, sizeof err),
                   ==, 0);
  g_assert_cmpuint (damaged, ==, 1);
  g_assert_nonnull (strstr (err, ":2:"));
  g_assert_cmpuint (got.times->len, ==, 5);
  got_clear (&got);
  rm_rf (dir);
}

typedef struct
{
  GArray *events; /* ms_store_event_t */
} events_t;

static int
event_cb (const ms_store_event_t *ev, void *user)
{
  events_t *e = user;

  g_array_append_val (e->events, *ev);
  return 0;
}

static void
test_events (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "events.jsonl", NULL);
  ms_store_params_t params;
  ms_store_t *store;
  char err[512];
  ms_event_t leak = { 0 }, spike = { 0 };
  events_t got = { g_array_new (FALSE, FALSE, sizeof (ms_store_event_t)) };
  unsigned n_bad = 99;
  fake_t f;
  FILE *out;

  ms_store_params_init (&params);
  params.max_event_bytes = 600;
  store = ms_store_open (dir, &params, err, sizeof err);
  g_assert_nonnull (store);

  leak.time_s = 42.5; /* the sampler clock: the log holds wall-clock time instead */
  leak.pid = 4242;
  leak.starttime = 99887766;
  g_strlcpy (leak.comm, "a \"b\",\xff\n", sizeof leak.comm);
  leak.tag = MS_TAG_LEAK;
  leak.set = true;
  leak.rate_kib_s = 8192.5;
  leak.duration_s = 61;
  leak.confidence = 0.875;
  leak.exhaust_s = NAN;
  leak.jump_kib = NAN;
  g_assert_cmpint (ms_store_add_event (store, &leak, T0 + 10), ==, 0);

  spike = leak;
  spike.tag = MS_TAG_SPIKE;
  spike.set = false;
  spike.rate_kib_s = spike.duration_s = spike.confidence = NAN;
  spike.jump_kib = 40960;
  spike.reason = MS_CLEAR_EXITED;
  g_assert_cmpint (ms_store_add_event (store, &spike, T0 + 20), ==, 0);

  /* The kernel's oom_kill counter rising between two samples is an OOM event. */
  {
    ms_oom_tracker_t oom;

    ms_oom_tracker_init (&oom);
    fake_fill (&f, 2, T0 + 30, 0);
    f.snap.oom_counter.valid = true;
    f.snap.oom_counter.count = 7;
    ms_oom_derive (&oom, &f.snap);
    g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
    fake_fill (&f, 2, T0 + 31, 0);
    f.snap.oom_counter.valid = true;
    f.snap.oom_counter.count = 9;
    ms_oom_derive (&oom, &f.snap);
    g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
  }
  ms_store_close (store);

  /* A crash-cut last line is skipped and counted. */
  out = fopen (path, "ab");
  g_assert_nonnull (out);
  fputs ("{\"time_s\":1700000040,\"pid\":5,\"starttime\":1,\"comm\":\"x\",\"tag\":\"LE", out);
  fclose (out);

  g_assert_cmpint (ms_store_read_events (dir, 0, event_cb, &got, &n_bad), ==, 0);
  g_assert_cmpuint (n_bad, ==, 1);
  g_assert_cmpuint (got.events->len, ==, 3);
  {
    ms_store_event_t *a = &g_array_index (got.events, ms_store_event_t, 0);
    ms_store_event_t *b = &g_array_index (got.events, ms_store_event_t, 1);
    ms_store_event_t *c = &g_array_index (got.events, ms_store_event_t, 2);

    g_assert_cmpfloat (a->event.time_s, ==, T0 + 10);
    g_assert_cmpint (a->event.pid, ==, 4242);
    g_assert_cmpuint (a->event.starttime, ==, 99887766);
    g_assert_cmpstr (a->event.comm, ==, leak.comm);
    g_assert_cmpint (a->event.tag, ==, MS_TAG_LEAK);
    g_assert_true (a->event.set);
    g_assert_cmpfloat_with_epsilon (a->event.rate_kib_s, 8192.5, 0.01);
    g_assert_cmpfloat_with_epsilon (a->event.confidence, 0.875, 0.001);
    g_assert_true (isnan (a->event.exhaust_s));
    g_assert_cmpint (b->event.tag, ==, MS_TAG_SPIKE);
    g_assert_false (b->event.set);
    g_assert_cmpfloat_with_epsilon (b->event.jump_kib, 40960, 0.5);
    g_assert_cmpint (a->event.reason, ==, MS_CLEAR_UNKNOWN);
    g_assert_cmpint (b->event.reason, ==, MS_CLEAR_EXITED);
    g_assert_cmpint (c->event.tag, ==, MS_STORE_TAG_OOM);
    g_assert_cmpuint (c->oom_kills, ==, 2);
    g_assert_cmpfloat (c->event.time_s, ==, T0 + 31);
  }

  /* Only events since a time. */
  g_array_set_size (got.events, 0);
  g_assert_cmpint (ms_store_read_events (dir, T0 + 15, event_cb, &got, NULL), ==, 0);
  g_assert_cmpuint (got.events->len, ==, 2);

  /* Past its size the log rotates; the rotated part still reads back, oldest first. */
  store = ms_store_open (dir, &params, err, sizeof err);
  for (int i = 0; i < 6; i++)
    g_assert_cmpint (ms_store_add_event (store, &leak, T0 + 100 + i), ==, 0);
  ms_store_close (store);
  g_array_set_size (got.events, 0);
  g_assert_cmpint (ms_store_read_events (dir, T0 + 100, event_cb, &got, NULL), ==, 0);
  g_assert_cmpuint (got.events->len, >=, 4);
  g_assert_cmpfloat (g_array_index (got.events, ms_store_event_t, got.events->len - 1).event.time_s,
                     ==, T0 + 105);
  for (guint i = 1; i < got.events->len; i++)
    g_assert_cmpfloat (g_array_index (got.events, ms_store_event_t, i).event.time_s, >,
                       g_array_index (got.events, ms_store_event_t, i - 1).event.time_s);

  /* A clear's reason: each known one reads back; a log from before reasons, or a reason this
   * version does not know, is still an event, of unknown reason. */
  {
    ms_store_event_t ev;
    const char *lines[] = {
      "{\"time_s\":1,\"pid\":2,\"tag\":\"LEAK\",\"event\":\"clear\",\"reason\":\"stopped\"}",
      "{\"time_s\":1,\"pid\":2,\"tag\":\"LEAK\",\"event\":\"clear\",\"reason\":\"exited\"}",
      "{\"time_s\":1,\"pid\":2,\"tag\":\"LEAK\",\"event\":\"clear\",\"reason\":\"reset\"}",
      "{\"time_s\":1,\"pid\":2,\"tag\":\"LEAK\",\"event\":\"clear\"}",
      "{\"time_s\":1,\"pid\":2,\"tag\":\"LEAK\",\"event\":\"clear\",\"reason\":\"later\"}",
    };
    const ms_clear_reason_t want[] = { MS_CLEAR_STOPPED, MS_CLEAR_EXITED, MS_CLEAR_RESET,
                                       MS_CLEAR_UNKNOWN, MS_CLEAR_UNKNOWN };

    for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
      {
        g_assert_cmpint (ms_store_parse_event (lines[i], strlen (lines[i]), &ev), ==, 0);
        g_assert_cmpint (ev.event.reason, ==, want[i]);
      }
  }

  /* Lines that are not events. */
  {
    ms_store_event_t ev;
    const char *bad[] = { "", "{}", "[1,2]", "{\"time_s\":1,\"pid\":2,\"tag\":\"NOPE\",\"event\":\"set\"}",
                          "{\"time_s\":1,\"pid\":2,\"tag\":\"LEAK\"}", "{\"time_s\":1 \"pid\":2}",
                          "{\"time_s\":\"x\\", "\xff\xfe" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      g_assert_cmpint (ms_store_parse_event (bad[i], strlen (bad[i]), &ev), ==, -1);
  }
  g_array_unref (got.events);
  rm_rf (dir);
}

/* Counter readings through the one derivation into a fresh store; the OOM events it logged. */
static GArray *
store_oom_readings (const gint64 *readings, gsize n)
{
  g_autofree char *dir = make_dir ();
  ms_store_t *store;
  ms_oom_tracker_t oom;
  char err[512];
  events_t got = { g_array_new (FALSE, FALSE, sizeof (ms_store_event_t)) };
  GArray *oom_events = g_array_new (FALSE, FALSE, sizeof (ms_store_event_t));
  fake_t f;

  store = ms_store_open (dir, NULL, err, sizeof err);
  g_assert_nonnull (store);
  ms_oom_tracker_init (&oom);
  for (gsize i = 0; i < n; i++)
    {
      fake_fill (&f, 2, T0 + (double) i, 0);
      f.snap.oom_counter.valid = readings[i] >= 0;
      f.snap.oom_counter.count = readings[i] >= 0 ? (guint64) readings[i] : 0;
      ms_oom_derive (&oom, &f.snap);
      g_assert_cmpint (ms_store_add (store, &f.snap, err, sizeof err), ==, 0);
    }
  ms_store_close (store);
  g_assert_cmpint (ms_store_read_events (dir, 0, event_cb, &got, NULL), ==, 0);
  for (guint i = 0; i < got.events->len; i++)
    {
      ms_store_event_t *ev = &g_array_index (got.events, ms_store_event_t, i);

      g_assert_cmpint (ev->event.tag, ==, MS_STORE_TAG_OOM);
      g_array_append_val (oom_events, *ev);
    }
  g_array_unref (got.events);
  rm_rf (dir);
  return oom_events;
}

/* Valid readings 0, 0, 1: the first kill since boot is logged; a counter first read at 5 logs
 * nothing until it rises; one never read logs nothing. */
static void
test_oom_events (void)
{
  static const gint64 first_kill[] = { 0, 0, 1 };
  static const gint64 first_at_5[] = { 5, 5, 5, 7 };
  static const gint64 unreadable[] = { -1, -1, -1 };
  GArray *events;

  events = store_oom_readings (first_kill, G_N_ELEMENTS (first_kill));
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (g_array_index (events, ms_store_event_t, 0).oom_kills, ==, 1);
  g_assert_cmpfloat (g_array_index (events, ms_store_event_t, 0).event.time_s, ==, T0 + 2);
  g_array_unref (events);

  events = store_oom_readings (first_at_5, 3);
  g_assert_cmpuint (events->len, ==, 0);
  g_array_unref (events);
  events = store_oom_readings (first_at_5, G_N_ELEMENTS (first_at_5));
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (g_array_index (events, ms_store_event_t, 0).oom_kills, ==, 2);
  g_array_unref (events);

  events = store_oom_readings (unreadable, G_N_ELEMENTS (unreadable));
  g_assert_cmpuint (events->len, ==, 0);
  g_array_unref (events);
}

static void
test_open_error (void)
{
  char err[512];
  ms_store_t *store;

  /* A regular file where the directory should be. */
  store = ms_store_open ("/dev/null/memscope", NULL, err, sizeof err);
  g_assert_null (store);
  g_assert_nonnull (strstr (err, "/dev/null/memscope: cannot create the directory"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/bounded", test_bounded);
  g_test_add_func ("/store/downsampling", test_downsampling);
  g_test_add_func ("/store/memory", test_memory);
  g_test_add_func ("/store/crash-recovery", test_crash_recovery);
  g_test_add_func ("/store/events", test_events);
  g_test_add_func ("/store/oom-events", test_oom_events);
  g_test_add_func ("/store/open-error", test_open_error);
  return g_test_run ();
}
