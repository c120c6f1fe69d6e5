/* SPDX-License-Identifier: MIT */
/* serve's exposition writer and parsers: escaping, the model's bounds, both formats, --listen and
 * Accept. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "metrics.h"
#include "ms-test.h"
#include "serve-parse.h"

static char *
escaped (const char *s)
{
  ms_text_t t = { 0 };

  ms_text_label_value (&t, s);
  g_assert_false (t.failed);
  return t.data ? t.data : g_strdup ("");
}

static void
test_label_escaping (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "bash", "bash" },
    { "a\"b\\c{}", "a\\\"b\\\\c{}" },
    { "new\nline", "new\\nline" },
    { "tab\tcr\r", "tab\tcr\r" },                 /* valid UTF-8, legal in a label value */
    { "caf\xc3\xa9", "caf\xc3\xa9" },
    { "bad\xff\xfe", "bad\xc3\xbf\xc3\xbe" },     /* invalid bytes as the same code points */
    { "cut\xe2\x82", "cut\xc3\xa2\xc2\x82" },
    { "},{=\"", "},{=\\\"" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *out = escaped (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
      g_assert_null (strchr (out, '\n'));
      free (out);
    }
}

static void
test_listen_parse (void)
{
  static const struct
  {
    const char *in;
    gboolean ok;
    const char *formatted;
  } cases[] = {
    { "127.0.0.1:9999", TRUE, "127.0.0.1:9999" },
    { "127.0.0.1", TRUE, "127.0.0.1:10164" },
    { "localhost:0", TRUE, "127.0.0.1:0" },
    { "0.0.0.0:65535", TRUE, "0.0.0.0:65535" },
    { "[::1]:8080", TRUE, "[::1]:8080" },
    { "[::]", TRUE, "[::]:10164" },
    { "[fe80::1%eth0]:80", FALSE, NULL },
    { "::1:80", FALSE, NULL },
    { "[::1", FALSE, NULL },
    { "[::1]x", FALSE, NULL },
    { "127.0.0.1:65536", FALSE, NULL },
    { "127.0.0.1:-1", FALSE, NULL },
    { "127.0.0.1:", FALSE, NULL },
    { "127.0.0.1:80x", FALSE, NULL },
    { "127.0.0.1:000080", FALSE, NULL },
    { ":9000", FALSE, NULL },
    { "example.org:80", FALSE, NULL },
    { "256.1.1.1:80", FALSE, NULL },
    { "", FALSE, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ms_listen_t l;
      char err[256] = "", buf[80];
      bool ok = ms_listen_parse (cases[i].in, &l, err, sizeof err);

      g_test_message ("listen \"%s\": %s", cases[i].in, ok ? "ok" : err);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          ms_listen_format (&l, buf, sizeof buf);
          g_assert_cmpstr (buf, ==, cases[i].formatted);
        }
      else
        g_assert_cmpuint (strlen (err), >, 0);
    }
}

static void
test_negotiate (void)
{
  static const struct
  {
    const char *accept;
    ms_expo_format_t want;
  } cases[] = {
    { NULL, MS_EXPO_TEXT },
    { "", MS_EXPO_TEXT },
    { "*/*", MS_EXPO_TEXT },
    { "text/plain", MS_EXPO_TEXT },
    /* What Prometheus 2.42 sends. */
    { "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", MS_EXPO_OPENMETRICS },
    { "application/openmetrics-text; version=1.0.0", MS_EXPO_OPENMETRICS },
    { "Application/OpenMetrics-Text", MS_EXPO_OPENMETRICS },
    { "text/plain;q=0.9, application/openmetrics-text;q=0.8", MS_EXPO_TEXT },
    { "application/openmetrics-text;q=0, text/plain;q=0.1", MS_EXPO_TEXT },
    { "application/openmetrics-text;q=0.5, */*", MS_EXPO_TEXT },
    { "application/openmetrics-text;q=2", MS_EXPO_TEXT },       /* malformed weight */
    { "application/openmetrics-text;q=abc", MS_EXPO_TEXT },
    { ",,,;;;q=,", MS_EXPO_TEXT },
    { "application/json", MS_EXPO_TEXT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ms_expo_negotiate (cases[i].accept), ==, cases[i].want);
}

/* A snapshot of a few processes: two in one group, one tagged LEAK that is small. */
static ms_snapshot_t *
make_snapshot (void)
{
  ms_snapshot_t *snap = g_new0 (ms_snapshot_t, 1);
  static const struct
  {
    int32_t pid;
    const char *comm, *group;
    int64_t rss_kib, swap_kib, pss_kib;
    uint32_t tags;
    bool kernel;
  } procs[] = {
    { 10, "big", "tree:/usr/bin/big:10", 400000, 0, 300000, 0, false },
    { 11, "big-helper", "tree:/usr/bin/big:10", 100000, 50, MS_UNKNOWN_KIB, 0, false },
    { 20, "a\"b\\c{}", "name:a\"b\\c{}", 200000, 10, 150000, 0, false },
    { 30, "tiny\nleak", "tree:/opt/leak:30", 1000, 0, 900, MS_TAG_LEAK, false },
    { 40, "mid", "tree:/usr/bin/mid:40", 50000, 0, 40000, 0, false },
    { 2, "kthreadd", "kernel", 0, 0, MS_UNKNOWN_KIB, 0, true },
  };

  snap->time_unix = 1700000000.5;
  snap->mem.mem_total_kib = 16 << 20;
  snap->mem.mem_available_kib = 8 << 20;
  snap->mem.swap_total_kib = 1 << 20;
  snap->mem.swap_free_kib = 1 << 19;
  snap->pressure.valid = true;
  snap->pressure.some_avg10 = 12.5;
  snap->oom_counter.valid = true;
  snap->oom_counter.count = 3;
  snap->n_procs = G_N_ELEMENTS (procs);
  snap->procs = g_new0 (ms_proc_t, snap->n_procs);
  for (gsize i = 0; i < snap->n_procs; i++)
    {
      ms_proc_t *p = &snap->procs[i];

      p->pid = procs[i].pid;
      p->starttime = 100 + (uint64_t) i;
      g_strlcpy (p->comm, procs[i].comm, sizeof p->comm);
      g_strlcpy (p->name, procs[i].comm, sizeof p->name);
      g_strlcpy (p->group, procs[i].group, sizeof p->group);
      p->rss_kib = procs[i].rss_kib;
      p->swap_kib = procs[i].swap_kib;
      p->pss_kib = procs[i].pss_kib;
      p->footprint_kib = ms_footprint_kib (p->rss_kib, p->swap_kib);
      p->tags = procs[i].tags;
      p->kernel_thread = procs[i].kernel;
    }
  return snap;
}

static void
free_snapshot (ms_snapshot_t *snap)
{
  g_free (snap->procs);
  g_free (snap);
}

static char *
render (const ms_metrics_t *m, ms_expo_format_t format)
{
  ms_text_t t = { 0 };

  ms_metrics_write (m, format, &t);
  g_assert_false (t.failed);
  g_assert_true (g_utf8_validate (t.data, (gssize) t.len, NULL));
  return t.data;
}

static void
test_model_bounds (void)
{
  ms_snapshot_t *snap = make_snapshot ();
  ms_metrics_limits_t limits = { 2, 1 };
  ms_metrics_t *m = ms_metrics_build (snap, NULL, &limits, 7, 0.01);

  g_assert_nonnull (m);
  /* Top 2 by footprint (big, a"b\c{}) plus the tagged one, sorted by pid. */
  g_assert_cmpuint (m->n_procs, ==, 3);
  g_assert_cmpint (m->procs[0].pid, ==, 10);
  g_assert_cmpint (m->procs[1].pid, ==, 20);
  g_assert_cmpint (m->procs[2].pid, ==, 30);
  /* The largest group, and the one holding the tagged process. */
  g_assert_cmpuint (m->groups_total, ==, 5);
  g_assert_cmpuint (m->n_groups, ==, 2);
  g_assert_cmpstr (m->groups[0].key, ==, "tree:/opt/leak:30");
  g_assert_cmpstr (m->groups[1].key, ==, "tree:/usr/bin/big:10");
  g_assert_cmpint (m->groups[1].rss_kib, ==, 500000);
  g_assert_cmpint (m->groups[1].swap_kib, ==, 50);
  g_assert_cmpuint (m->groups[1].processes, ==, 2);
  /* One member's PSS is unknown: no sum that would pass for the whole group's. */
  g_assert_cmpint (m->groups[1].pss_kib, ==, MS_UNKNOWN_KIB);
  g_assert_cmpint (m->groups[0].pss_kib, ==, 900);
  ms_metrics_free (m);

  /* No limits at all: every process but the kernel thread, every group. */
  limits.top_procs = limits.top_groups = 1000;
  m = ms_metrics_build (snap, NULL, &limits, 7, 0.01);
  g_assert_cmpuint (m->n_procs, ==, 5);
  g_assert_cmpuint (m->n_groups, ==, 5);
  ms_metrics_free (m);

  /* Zero: only the tagged one. */
  limits.top_procs = limits.top_groups = 0;
  m = ms_metrics_build (snap, NULL, &limits, 7, 0.01);
  g_assert_cmpuint (m->n_procs, ==, 1);
  g_assert_cmpint (m->procs[0].pid, ==, 30);
  g_assert_cmpuint (m->n_groups, ==, 1);
  ms_metrics_free (m);
  free_snapshot (snap);
}

static void
test_text_format (void)
{
  ms_snapshot_t *snap = make_snapshot ();
  ms_metrics_limits_t limits = { 10, 10 };
  ms_metrics_t *m = ms_metrics_build (snap, NULL, &limits, 7, 0.25);
  char *text;

  /* LEAK figures as the detector would give them. */
  m->procs[3].leak_known = true;
  g_assert_cmpint (m->procs[3].pid, ==, 30);
  m->procs[3].leak_rate_kib_s = 8192;
  m->procs[3].leak_duration_s = 60;
  m->procs[3].leak_confidence = 0.75;
  m->procs[3].leak_exhaust_s = NAN; /* unknown: no series */
  text = render (m, MS_EXPO_TEXT);

  g_assert_nonnull (strstr (text, "# TYPE memscope_oom_kills_total counter\n"
                                  "memscope_oom_kills_total 3\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_memory_total_bytes 17179869184\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_memory_pressure_ratio{kind=\"some\",window=\"10s\"} 0.125\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_samples_total 7\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_group_resident_bytes{group=\"name:a\\\"b\\\\c{}\","
                                  "name=\"a\\\"b\\\\c{}\"} 204800000\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_group_processes{group=\"tree:/usr/bin/big:10\","
                                  "name=\"big\"} 2\n"));
  g_assert_null (strstr (text, "memscope_group_pss_bytes{group=\"tree:/usr/bin/big:10\""));
  /* A tree goes by its topmost process's name, not its executable's file. */
  g_assert_nonnull (strstr (text, "\nmemscope_group_processes{group=\"tree:/opt/leak:30\","
                                  "name=\"tiny\\nleak\"} 1\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_process_state{pid=\"30\",comm=\"tiny\\nleak\","
                                  "group=\"tree:/opt/leak:30\",state=\"leak\"} 1\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_process_state{pid=\"10\",comm=\"big\","
                                  "group=\"tree:/usr/bin/big:10\",state=\"leak\"} 0\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_process_leak_rate_bytes_per_second{pid=\"30\","
                                  "comm=\"tiny\\nleak\",group=\"tree:/opt/leak:30\"} 8388608\n"));
  g_assert_nonnull (strstr (text, "\nmemscope_process_leak_confidence_ratio{pid=\"30\""));
  g_assert_null (strstr (text, "\nmemscope_process_leak_exhaustion_seconds{"));
  g_assert_null (strstr (text, "kthreadd"));
  g_assert_null (strstr (text, "# EOF"));
  g_assert_null (strstr (text, "# UNIT"));
  /* Every sample line: a name, maybe labels, one value; no raw newline inside. */
  {
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    for (gsize i = 0; lines[i] != NULL; i++)
      {
        const char *line = lines[i];

        if (*line == '\0' || *line == '#')
          continue;
        g_assert_true (g_str_has_prefix (line, "memscope_"));
        g_assert_nonnull (strrchr (line, ' '));
      }
  }
  free (text);
  ms_metrics_free (m);
  free_snapshot (snap);
}

static void
test_openmetrics_format (void)
{
  ms_snapshot_t *snap = make_snapshot ();
  ms_metrics_limits_t limits = { 10, 10 };
  ms_metrics_t *m;
  char *text;

  /* oom_kill not in vmstat (or unreadable this tick). */
  snap->oom_counter.valid = false;
  m = ms_metrics_build (snap, NULL, &limits, 7, 0.25);
  text = render (m, MS_EXPO_OPENMETRICS);

  g_assert_true (g_str_has_suffix (text, "\n# EOF\n"));
  g_assert_nonnull (strstr (text, "# TYPE memscope_samples counter\n# HELP memscope_samples "));
  g_assert_nonnull (strstr (text, "\nmemscope_samples_total 7\n"));
  g_assert_nonnull (strstr (text, "# TYPE memscope_build info\n"));
  g_assert_nonnull (strstr (text, "# TYPE memscope_memory_total_bytes gauge\n"
                                  "# UNIT memscope_memory_total_bytes bytes\n"));
  g_assert_nonnull (strstr (text, "# UNIT memscope_sample_duration_seconds seconds\n"));
  /* oom_kill not in vmstat: no counter that would pass for zero kills. */
  g_assert_null (strstr (text, "memscope_oom_kills"));
  /* No leak figures known: no leak families. */
  g_assert_null (strstr (text, "memscope_process_leak_"));
  g_assert_cmpstr (ms_expo_content_type (MS_EXPO_OPENMETRICS), ==,
                   "application/openmetrics-text; version=1.0.0; charset=utf-8");
  free (text);
  ms_metrics_free (m);
  free_snapshot (snap);
}

static void
test_empty_snapshot (void)
{
  ms_snapshot_t snap = { 0 };
  ms_metrics_limits_t limits = { 5, 20 };
  ms_metrics_t *m = ms_metrics_build (&snap, NULL, &limits, 1, 0);
  char *text;

  g_assert_nonnull (m);
  g_assert_cmpuint (m->n_procs, ==, 0);
  g_assert_cmpuint (m->n_groups, ==, 0);
  text = render (m, MS_EXPO_TEXT);
  g_assert_nonnull (strstr (text, "\nmemscope_processes 0\n"));
  free (text);
  ms_metrics_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/label-escaping", test_label_escaping);
  g_test_add_func ("/metrics/listen-parse", test_listen_parse);
  g_test_add_func ("/metrics/negotiate", test_negotiate);
  g_test_add_func ("/metrics/model-bounds", test_model_bounds);
  g_test_add_func ("/metrics/text-format", test_text_format);
  g_test_add_func ("/metrics/openmetrics-format", test_openmetrics_format);
  g_test_add_func ("/metrics/empty-snapshot", test_empty_snapshot);
  return g_test_run ();
}
