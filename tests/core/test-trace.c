/* SPDX-License-Identifier: MIT */
/* Tests of the trace CSV: round trips, hostile names, malformed input with exact lines, streaming. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "json.h"
#include "ms-test.h"
#include "trace.h"

#define REQUIRED_HEADER "time_s,pid,starttime,comm,state,rss_kib,pss_kib,swap_kib\n"

/* Everything the reader delivered, copied out of its reused buffers. */
typedef struct
{
  GArray *samples; /* ms_snapshot_t with procs owned by the array below */
  GPtrArray *procs; /* ms_proc_t arrays, one per sample */
  int stop_after;   /* > 0: ask to stop after this many samples */
  guint64 allocs_after_second;
  guint64 allocs_at_end;
} collected_t;

static void
collected_init (collected_t *c)
{
  memset (c, 0, sizeof *c);
  c->samples = g_array_new (FALSE, TRUE, sizeof (ms_snapshot_t));
  c->procs = g_ptr_array_new_with_free_func (g_free);
}

static void
collected_clear (collected_t *c)
{
  g_array_unref (c->samples);
  g_ptr_array_unref (c->procs);
}

static int
collect_cb (ms_snapshot_t *snap, void *user)
{
  collected_t *c = user;
  ms_snapshot_t copy = *snap;

  copy.procs = g_memdup2 (snap->procs, snap->n_procs * sizeof (ms_proc_t));
  g_ptr_array_add (c->procs, copy.procs);
  g_array_append_val (c->samples, copy);
  if (c->samples->len == 2)
    c->allocs_after_second = ms_alloc_count ();
  c->allocs_at_end = ms_alloc_count ();
  return c->stop_after > 0 && (int) c->samples->len >= c->stop_after;
}

static ms_snapshot_t *
sample_at (collected_t *c, guint i)
{
  g_assert_cmpuint (i, <, c->samples->len);
  return &g_array_index (c->samples, ms_snapshot_t, i);
}

/* Reads `text` and returns the reader's status; the reader's error goes to *error. */
static int
read_text (const char *text, size_t len, collected_t *c, char **error, guint64 *error_line)
{
  ms_trace_reader_t *r = ms_trace_reader_new_mem (text, len, "trace.csv");
  int rc;

  g_assert_nonnull (r);
  rc = ms_trace_reader_run (r, collect_cb, c);
  if (error != NULL)
    *error = g_strdup (ms_trace_reader_error (r));
  if (error_line != NULL)
    *error_line = ms_trace_reader_error_line (r);
  ms_trace_reader_free (r);
  return rc;
}

static void
fill_proc (ms_proc_t *p, int32_t pid, const char *comm)
{
  memset (p, 0, sizeof *p);
  p->pid = pid;
  p->ppid = pid - 1;
  p->starttime = 1000000ull * (uint64_t) pid + 7;
  p->uid = 1000 + (uint32_t) pid;
  p->state = 'S';
  g_strlcpy (p->comm, comm, sizeof p->comm);
  g_snprintf (p->user, sizeof p->user, "user%d", pid);
  g_snprintf (p->group, sizeof p->group, "app-%d.scope", pid);
  p->rss_kib = 1000 * pid + 1;
  p->anon_kib = 600 * pid;
  p->file_kib = 300 * pid;
  p->shmem_kib = 100 * pid;
  p->swap_kib = 11 * pid;
  p->pss_kib = 900 * pid;
  p->uss_kib = MS_UNKNOWN_KIB;
  p->swap_pss_kib = MS_UNKNOWN_KIB;
  p->cpu_pct = 12.25 * pid;
}

static char *
write_samples (const ms_snapshot_t *snaps, const double *times, size_t n, size_t *len)
{
  char *text = NULL;
  FILE *f = open_memstream (&text, len);
  ms_trace_writer_t *w;

  g_assert_nonnull (f);
  w = ms_trace_writer_new (f);
  g_assert_nonnull (w);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpint (ms_trace_writer_sample (w, &snaps[i], times[i]), ==, 0);
  ms_trace_writer_free (w);
  fclose (f);
  return text;
}

static void
assert_proc_equal (const ms_proc_t *got, const ms_proc_t *want)
{
  g_assert_cmpint (got->pid, ==, want->pid);
  g_assert_cmpint (got->ppid, ==, want->ppid);
  g_assert_cmpuint (got->starttime, ==, want->starttime);
  g_assert_cmpuint (got->uid, ==, want->uid);
  g_assert_cmpint (got->state, ==, want->state);
  g_assert_cmpmem (got->comm, strlen (got->comm), want->comm, strlen (want->comm));
  g_assert_cmpstr (got->user, ==, want->user);
  g_assert_cmpstr (got->group, ==, want->group);
  g_assert_cmpint (got->rss_kib, ==, want->rss_kib);
  g_assert_cmpint (got->anon_kib, ==, want->anon_kib);
  g_assert_cmpint (got->file_kib, ==, want->file_kib);
  g_assert_cmpint (got->shmem_kib, ==, want->shmem_kib);
  g_assert_cmpint (got->swap_kib, ==, want->swap_kib);
  g_assert_cmpint (got->pss_kib, ==, want->pss_kib >= 0 ? want->pss_kib : MS_UNKNOWN_KIB);
  g_assert_cmpint (got->footprint_kib, ==, want->rss_kib + want->swap_kib);
  if (want->cpu_pct >= 0)
    g_assert_cmpfloat (got->cpu_pct, ==, want->cpu_pct);
  else
    g_assert_cmpfloat (got->cpu_pct, <, 0);
}

static void
test_round_trip (void)
{
  /* Every byte a comm can hold that CSV cares about, and one that is not UTF-8. */
  static const char hostile[] = "a b(c),d\"e\nf\rg\xff)";
  ms_proc_t procs_a[3], procs_b[2];
  ms_snapshot_t snaps[2];
  double times[2] = { 0.0, 1.25 };
  collected_t c;
  char *text, *error = NULL;
  size_t len;

  fill_proc (&procs_a[0], 10, "plain");
  fill_proc (&procs_a[1], 20, hostile);
  fill_proc (&procs_a[2], 30, "Web Content");
  procs_a[2].pss_kib = MS_UNKNOWN_KIB;
  procs_a[2].cpu_pct = -1;
  procs_a[2].state = 'Z';
  g_strlcpy (procs_a[2].user, "o'brien, \"jr\"", sizeof procs_a[2].user);
  fill_proc (&procs_b[0], 20, hostile);
  procs_b[0].rss_kib += 5000;
  fill_proc (&procs_b[1], 40, "new one");

  memset (snaps, 0, sizeof snaps);
  snaps[0].mem = (ms_meminfo_t) { .mem_total_kib = 16000000, .mem_available_kib = 9000000,
                                  .swap_total_kib = 2000000, .swap_free_kib = 1500000 };
  snaps[0].pressure = (ms_pressure_t) { .valid = true, .some_avg10 = 1.5, .full_avg10 = 0.25 };
  snaps[0].procs = procs_a;
  snaps[0].n_procs = 3;
  snaps[1].mem = (ms_meminfo_t) { .mem_total_kib = 16000000, .mem_available_kib = 8000000,
                                  .swap_total_kib = 0, .swap_free_kib = 0 };
  snaps[1].procs = procs_b;
  snaps[1].n_procs = 2;

  text = write_samples (snaps, times, 2, &len);
  g_assert_true (g_str_has_prefix (text, MS_TRACE_HEADER "\n"));
  /* The machine row comes first in each sample, with used memory as its rss. */
  g_assert_nonnull (strstr (text, "\n0.000,0,0,[machine],,7000000,,500000,,,,,,,,,16000000,9000000,"
                                  "2000000,1.50,0.25\n"));
  /* The hostile comm is quoted with its quote doubled. */
  g_assert_nonnull (strstr (text, ",\"a b(c),d\"\"e\nf\rg\xff)\","));

  collected_init (&c);
  g_assert_cmpint (read_text (text, len, &c, &error, NULL), ==, 0);
  g_assert_cmpstr (error, ==, "");
  g_assert_cmpuint (c.samples->len, ==, 2);
  for (guint s = 0; s < 2; s++)
    {
      ms_snapshot_t *got = sample_at (&c, s);

      g_assert_cmpfloat (got->time_s, ==, times[s]);
      g_assert_cmpuint (got->n_procs, ==, snaps[s].n_procs);
      g_assert_cmpint (got->mem.mem_total_kib, ==, snaps[s].mem.mem_total_kib);
      g_assert_cmpint (got->mem.mem_available_kib, ==, snaps[s].mem.mem_available_kib);
      g_assert_cmpint (got->mem.swap_total_kib, ==, snaps[s].mem.swap_total_kib);
      g_assert_cmpint (got->mem.swap_free_kib, ==, snaps[s].mem.swap_free_kib);
      g_assert_cmpint (got->pressure.valid, ==, snaps[s].pressure.valid);
      if (got->pressure.valid)
        {
          g_assert_cmpfloat (got->pressure.some_avg10, ==, snaps[s].pressure.some_avg10);
          g_assert_cmpfloat (got->pressure.full_avg10, ==, snaps[s].pressure.full_avg10);
        }
      for (size_t i = 0; i < got->n_procs; i++)
        assert_proc_equal (&got->procs[i], &snaps[s].procs[i]);
    }
  g_assert_cmpfloat (sample_at (&c, 0)->interval_s, ==, 0);
  g_assert_cmpfloat (sample_at (&c, 1)->interval_s, ==, 1.25);
  g_assert_cmpmem (sample_at (&c, 0)->procs[1].comm, strlen (hostile), hostile, strlen (hostile));

  collected_clear (&c);
  g_free (error);
  free (text);
}

typedef struct
{
  const char *name;
  const char *text;
  size_t len; /* 0: strlen */
  guint64 line;
  guint samples; /* delivered before the error */
  const char *message;
} bad_case_t;

#define GOOD_ROWS                                                                                \
  REQUIRED_HEADER "0,1,5,init,S,100,,0\n"                                                        \
                  "0,2,6,kthreadd,S,0,,0\n"                                                      \
                  "1,1,5,init,S,101,,0\n"

static void
test_malformed (void)
{
  static const char nul_text[] = REQUIRED_HEADER "0,1,5,init,S,100,,0\n1,1,5,in\0t,S,100,,0\n";
  static const bad_case_t cases[] = {
    { "missing column", "time_s,pid,starttime,comm,state,rss_kib,swap_kib\n0,1,5,x,S,1,0\n", 0, 1,
      0, "missing required column \"pss_kib\"" },
    { "not a number", GOOD_ROWS "2,1,5,init,S,102,x,0\n", 0, 5, 2,
      "trace.csv:5: pss_kib is not a number: \"x\"" },
    { "rss not a number", GOOD_ROWS "1,2,6,kthreadd,S,12ab,,0\n", 0, 5, 1,
      "rss_kib is not a number: \"12ab\"" },
    { "time not a number", GOOD_ROWS "1.x,2,6,kthreadd,S,0,,0\n", 0, 5, 1,
      "time_s is not a number" },
    { "backwards", GOOD_ROWS "0.5,1,5,init,S,102,,0\n", 0, 5, 2, "time_s goes backwards" },
    { "no final newline", GOOD_ROWS "2,1,5,init,S,102,,0", 0, 5, 2, "no line end" },
    { "unterminated quote", GOOD_ROWS "2,1,5,\"init,S,102,,0\n", 0, 5, 2, "unterminated quoted" },
    { "too many fields", GOOD_ROWS "2,1,5,init,S,102,,0,9\n", 0, 5, 2, "too many fields" },
    { "too few fields", GOOD_ROWS "2,1,5,init,S,102,\n2,2,6,k,S,0,,0\n", 0, 5, 2,
      "7 fields where the header has 8" },
    { "NUL byte", nul_text, sizeof nul_text - 1, 3, 1, "NUL byte" },
    { "empty", "", 0, 1, 0, "empty trace" },
    { "negative", GOOD_ROWS "2,1,5,init,S,-4,,0\n", 0, 5, 2, "rss_kib is negative" },
    { "empty required", GOOD_ROWS "2,1,5,init,S,,,0\n", 0, 5, 2, "rss_kib is empty" },
    { "stray quote", GOOD_ROWS "2,1,5,in\"it,S,1,,0\n", 0, 5, 2, "quote inside" },
    /* A quoted newline makes the next record start one line later. */
    { "line after quoted newline", REQUIRED_HEADER "0,1,5,\"a\nb\",S,1,,0\n1,1,5,x,S,z,,0\n", 0, 4,
      1, "trace.csv:4:" },
    { "binary garbage", GOOD_ROWS "\x7f" "ELF\x02\x01\x01,,,,\n", 0, 5, 1, "time_s is not a number" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const bad_case_t *bc = &cases[i];
      size_t len = bc->len ? bc->len : strlen (bc->text);
      collected_t c;
      char *error = NULL;
      guint64 line = 0;

      g_test_message ("case: %s", bc->name);
      collected_init (&c);
      g_assert_cmpint (read_text (bc->text, len, &c, &error, &line), ==, -1);
      g_assert_cmpuint (line, ==, bc->line);
      g_assert_cmpuint (c.samples->len, ==, bc->samples);
      g_assert_true (g_str_has_prefix (error, "trace.csv:"));
      if (strstr (error, bc->message) == NULL)
        g_error ("case %s: \"%s\" does not say \"%s\"", bc->name, error, bc->message);
      collected_clear (&c);
      g_free (error);
    }
}

static void
test_invalid_utf8_comm_allowed (void)
{
  static const char text[] = REQUIRED_HEADER "0,7,9,\xc3\x28\xff\xfe,R,10,,0\n";
  collected_t c;

  collected_init (&c);
  g_assert_cmpint (read_text (text, sizeof text - 1, &c, NULL, NULL), ==, 0);
  g_assert_cmpuint (c.samples->len, ==, 1);
  g_assert_cmpstr (sample_at (&c, 0)->procs[0].comm, ==, "\xc3\x28\xff\xfe");
  collected_clear (&c);
}

static void
test_reordered_and_unknown_columns (void)
{
  static const char text[] =
    "extra,swap_kib,comm,pid,time_s,rss_kib,state,starttime,pss_kib,notes,cpu_pct\n"
    "zzz,4,\"a,b\",10,0.5,100,S,77,90,\"free text, with \"\"quotes\"\"\",3.5\n"
    "zzz,0,b,11,0.5,200,R,78,,,\n"
    "yyy,5,\"a,b\",10,1.5,150,S,77,95,,\n";
  collected_t c;
  ms_snapshot_t *s;

  collected_init (&c);
  g_assert_cmpint (read_text (text, sizeof text - 1, &c, NULL, NULL), ==, 0);
  g_assert_cmpuint (c.samples->len, ==, 2);
  s = sample_at (&c, 0);
  g_assert_cmpfloat (s->time_s, ==, 0.5);
  g_assert_cmpuint (s->n_procs, ==, 2);
  g_assert_cmpint (s->procs[0].pid, ==, 10);
  g_assert_cmpuint (s->procs[0].starttime, ==, 77);
  g_assert_cmpstr (s->procs[0].comm, ==, "a,b");
  g_assert_cmpint (s->procs[0].rss_kib, ==, 100);
  g_assert_cmpint (s->procs[0].swap_kib, ==, 4);
  g_assert_cmpint (s->procs[0].footprint_kib, ==, 104);
  g_assert_cmpint (s->procs[0].pss_kib, ==, 90);
  g_assert_cmpfloat (s->procs[0].cpu_pct, ==, 3.5);
  g_assert_cmpint (s->procs[1].pss_kib, ==, MS_UNKNOWN_KIB);
  g_assert_cmpfloat (s->procs[1].cpu_pct, <, 0);
  g_assert_cmpint (s->procs[1].state, ==, 'R');
  s = sample_at (&c, 1);
  g_assert_cmpfloat (s->time_s, ==, 1.5);
  g_assert_cmpfloat (s->interval_s, ==, 1.0);
  g_assert_cmpint (s->procs[0].footprint_kib, ==, 155);
  collected_clear (&c);
}

static void
test_optional_columns_absent (void)
{
  /* Only the required columns, CRLF line ends, a machine row without the machine columns. */
  static const char text[] = "time_s,pid,starttime,comm,state,rss_kib,pss_kib,swap_kib\r\n"
                             "0,0,0,[machine],,5000,,100\r\n"
                             "0,3,30,sh,S,1500,,0\r\n"
                             "\r\n"
                             "2,3,30,sh,S,1600,1400,0\r\n";
  collected_t c;
  ms_snapshot_t *s;
  guint64 rows;
  ms_trace_reader_t *r = ms_trace_reader_new_mem (text, sizeof text - 1, "t.csv");

  collected_init (&c);
  g_assert_cmpint (ms_trace_reader_run (r, collect_cb, &c), ==, 0);
  rows = ms_trace_reader_rows (r);
  g_assert_cmpuint (rows, ==, 3);
  g_assert_true (ms_trace_reader_has_machine (r));
  ms_trace_reader_free (r);
  g_assert_cmpuint (c.samples->len, ==, 2);
  s = sample_at (&c, 0);
  g_assert_cmpuint (s->n_procs, ==, 1); /* the machine row is not a process */
  g_assert_cmpint (s->procs[0].pid, ==, 3);
  g_assert_cmpint (s->procs[0].ppid, ==, 0);
  g_assert_cmpuint (s->procs[0].uid, ==, 0);
  g_assert_cmpstr (s->procs[0].user, ==, "");
  g_assert_cmpstr (s->procs[0].group, ==, "");
  g_assert_cmpint (s->procs[0].anon_kib, ==, 0);
  g_assert_cmpint (s->procs[0].pss_kib, ==, MS_UNKNOWN_KIB);
  g_assert_cmpfloat (s->procs[0].cpu_pct, <, 0);
  g_assert_cmpint (s->mem.mem_total_kib, ==, 0);
  g_assert_false (s->pressure.valid);
  g_assert_cmpint (sample_at (&c, 1)->procs[0].pss_kib, ==, 1400);
  collected_clear (&c);
}

static void
test_stop_and_path_errors (void)
{
  collected_t c;
  char err[256];
  int rc;

  collected_init (&c);
  c.stop_after = 1;
  g_assert_cmpint (read_text (GOOD_ROWS, strlen (GOOD_ROWS), &c, NULL, NULL), ==, 1);
  g_assert_cmpuint (c.samples->len, ==, 1);
  collected_clear (&c);

  collected_init (&c);
  rc = ms_trace_read_path ("/nonexistent-dir/trace.csv", collect_cb, &c, err, sizeof err);
  g_assert_cmpint (rc, ==, -1);
  g_assert_nonnull (strstr (err, "/nonexistent-dir/trace.csv"));
  g_assert_nonnull (strstr (err, "No such file"));
  collected_clear (&c);
}

/* Lines are counted as an editor counts them, in a trace far longer than the read buffer. */
static void
test_streaming_large (void)
{
  GString *text = g_string_new (MS_TRACE_HEADER "\n");
  const guint n_samples = 3000, n_procs = 40;
  collected_t c;
  char *error = NULL;
  guint64 line = 0;
  guint64 total_rss = 0, want_rss = 0;

  for (guint s = 0; s < n_samples; s++)
    {
      g_string_append_printf (text, "%u.000,0,0,[machine],,%u,,0,,,,,,,,,100000,%u,0,,\n", s,
                              50000 + s, 50000 - s);
      for (guint p = 1; p <= n_procs; p++)
        {
          /* Quoted names with newlines straddle the read buffer's edges somewhere. */
          g_string_append_printf (text,
                                  "%u.000,%u,%u,\"proc\n%u, \"\"x\"\"\",S,%u,,0,1,0,root,,0,0,0,0.50"
                                  ",,,,,\n",
                                  s, p, p * 3, p, s + p);
          want_rss += s + p;
        }
    }
  g_assert_cmpuint (text->len, >, 3u << 20);

  collected_init (&c);
  g_assert_cmpint (read_text (text->str, text->len, &c, &error, NULL), ==, 0);
  g_assert_cmpstr (error, ==, "");
  g_assert_cmpuint (c.samples->len, ==, n_samples);
  for (guint s = 0; s < n_samples; s++)
    {
      ms_snapshot_t *snap = sample_at (&c, s);

      g_assert_cmpuint (snap->n_procs, ==, n_procs);
      g_assert_cmpint (snap->mem.mem_available_kib, ==, 50000 - (gint64) s);
      for (guint p = 0; p < n_procs; p++)
        total_rss += (guint64) snap->procs[p].rss_kib;
    }
  g_assert_cmpuint (total_rss, ==, want_rss);
  g_assert_cmpstr (sample_at (&c, 7)->procs[4].comm, ==, "proc\n5, \"x\"");
  /* Once warm, rows cost no allocation. */
  g_assert_cmpuint (c.allocs_at_end, ==, c.allocs_after_second);
  collected_clear (&c);
  g_free (error);

  /* An error near the end names its line: 1 header + (1 + 2 * n_procs) lines per sample. */
  g_string_append (text, "99999.000,1,3,x,S,oops,,0,,,,,,,,,,,,,\n");
  collected_init (&c);
  g_assert_cmpint (read_text (text->str, text->len, &c, &error, &line), ==, -1);
  g_assert_cmpuint (line, ==, 1 + (guint64) n_samples * (1 + 2 * n_procs) + 1);
  g_assert_cmpuint (c.samples->len, ==, n_samples);
  g_assert_nonnull (strstr (error, "rss_kib is not a number: \"oops\""));
  collected_clear (&c);
  g_free (error);
  g_string_free (text, TRUE);
}

/* The fixtures shipped for the probe tests parse as their names promise. */
static void
test_fixtures (void)
{
  static const struct
  {
    const char *file;
    int rc;
    guint64 line;
  } fixtures[] = {
    { "traces/small.csv", 0, 0 },
    { "traces/bad-number.csv", -1, 9 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      gsize len;
      g_autofree char *text = ms_test_data_read (fixtures[i].file, &len);
      collected_t c;
      guint64 line = 0;

      collected_init (&c);
      g_assert_cmpint (read_text (text, len, &c, NULL, &line), ==, fixtures[i].rc);
      g_assert_cmpuint (line, ==, fixtures[i].line);
      g_assert_cmpuint (c.samples->len, >, 0);
      collected_clear (&c);
    }
}

/* A sample of many processes: the writer's buffer grows with what the rows take, not with room
 * for the longest possible row per process (which was megabytes, zeroed and so resident, at
 * 2,000 processes). */
static void
test_buffer_follows_rows (void)
{
  const size_t n = 2000;
  ms_snapshot_t snap = { 0 };
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);
  ms_trace_writer_t *w;
  size_t written;

  snap.procs = g_new0 (ms_proc_t, n);
  snap.n_procs = n;
  for (size_t i = 0; i < n; i++)
    fill_proc (&snap.procs[i], (int32_t) i + 1, "worker");
  g_assert_nonnull (f);
  w = ms_trace_writer_new (f);
  g_assert_nonnull (w);
  fflush (f);
  written = len;
  g_assert_cmpint (ms_trace_writer_sample (w, &snap, 1.0), ==, 0);
  fflush (f);
  written = len - written;
  g_test_message ("%zu rows: %zu bytes written, a %zu-byte buffer", n, written,
                  ms_trace_writer_get_buffer_size (w));
  /* Doubling leaves at most twice what the rows hold, plus one row's room; the 64 KiB chunk that
   * carries them to the file fits in the same bound at this size. */
  g_assert_cmpuint (ms_trace_writer_get_buffer_size (w), <=, 2 * written + 4096);
  ms_trace_writer_free (w);
  fclose (f);
  /* The sample crossed several chunks and reads back whole. */
  g_assert_cmpuint (written, >, 2 * 64 * 1024);
  {
    collected_t c;

    collected_init (&c);
    g_assert_cmpint (read_text (text, len, &c, NULL, NULL), ==, 0);
    g_assert_cmpuint (c.samples->len, ==, 1);
    g_assert_cmpuint (sample_at (&c, 0)->n_procs, ==, n);
    g_assert_cmpint (sample_at (&c, 0)->procs[n - 1].pid, ==, (int32_t) n);
    collected_clear (&c);
  }
  free (text);
  g_free (snap.procs);
}

static void
test_event_json (void)
{
  ms_event_t e = { 0 };
  char *text = NULL;
  size_t len;
  FILE *f = open_memstream (&text, &len);

  e.time_s = 61.5;
  e.pid = 42;
  e.starttime = 4242;
  g_strlcpy (e.comm, "bad\xff\"", sizeof e.comm);
  e.tag = MS_TAG_LEAK;
  e.set = true;
  e.rate_kib_s = 8192;
  e.duration_s = 45;
  e.confidence = 0.95;
  e.exhaust_s = NAN;
  e.jump_kib = NAN;
  ms_trace_event_json (f, &e);
  e.tag = MS_TAG_SPIKE;
  e.set = false;
  e.rate_kib_s = e.duration_s = e.confidence = NAN;
  e.jump_kib = 300000;
  ms_trace_event_json (f, &e);
  fclose (f);
  g_assert_cmpstr (text, ==,
                   "{\"time_s\":61.5,\"pid\":42,\"starttime\":4242,\"comm\":\"bad\\u00ff\\\"\","
                   "\"tag\":\"LEAK\",\"event\":\"set\",\"rate_kib_s\":8192,\"duration_s\":45,"
                   "\"confidence\":0.95,\"exhaust_s\":null}\n"
                   "{\"time_s\":61.5,\"pid\":42,\"starttime\":4242,\"comm\":\"bad\\u00ff\\\"\","
                   "\"tag\":\"SPIKE\",\"event\":\"clear\",\"jump_kib\":300000}\n");
  free (text);
}

/* A program whose numeric locale writes "1,5" (the app, in German) still writes and reads traces
 * and events with a '.': a comma would split a number into two fields. */
static void
test_any_locale (void)
{
  char buf[64], *end = NULL;

  /* build-aux/deps generates de_DE.UTF-8 for the tests in German. */
  g_assert_nonnull (setlocale (LC_NUMERIC, "de_DE.UTF-8"));
  g_snprintf (buf, sizeof buf, "%.1f", 1.5);
  g_assert_cmpstr (buf, ==, "1,5");

  g_assert_cmpint (ms_c_format_double (buf, sizeof buf, 'f', 3, -12.25), ==, 7);
  g_assert_cmpstr (buf, ==, "-12.250");
  g_assert_cmpint (ms_c_format_double (buf, sizeof buf, 'g', 17, 0.5), ==, 3);
  g_assert_cmpstr (buf, ==, "0.5");
  g_assert_cmpfloat (ms_c_strtod ("61.5,rest", &end), ==, 61.5);
  g_assert_cmpstr (end, ==, ",rest");
  g_assert_cmpfloat (ms_c_strtod ("7", &end), ==, 7);
  g_assert_cmpstr (end, ==, "");
  g_assert_cmpfloat (ms_c_strtod ("1.5e3", &end), ==, 1500);
  g_assert_cmpstr (end, ==, "");
  g_assert_cmpfloat (ms_c_strtod ("2.", &end), ==, 2);
  g_assert_cmpstr (end, ==, "");

  /* The whole round trip and the events' JSON, as in the C locale. */
  test_round_trip ();
  test_event_json ();
  setlocale (LC_NUMERIC, "C");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/round-trip", test_round_trip);
  g_test_add_func ("/trace/malformed", test_malformed);
  g_test_add_func ("/trace/invalid-utf8-comm", test_invalid_utf8_comm_allowed);
  g_test_add_func ("/trace/reordered-unknown-columns", test_reordered_and_unknown_columns);
  g_test_add_func ("/trace/optional-columns-absent", test_optional_columns_absent);
  g_test_add_func ("/trace/stop-and-path-errors", test_stop_and_path_errors);
  g_test_add_func ("/trace/streaming-large", test_streaming_large);
  g_test_add_func ("/trace/buffer-follows-rows", test_buffer_follows_rows);
  g_test_add_func ("/trace/fixtures", test_fixtures);
  g_test_add_func ("/trace/event-json", test_event_json);
  g_test_add_func ("/trace/any-locale", test_any_locale);
  return g_test_run ();
}
