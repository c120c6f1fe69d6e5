/* SPDX-License-Identifier: MIT */
/* Tests of the timeline, blame list, recordings and exports, in a real window under Xvfb. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "blame.h"
#include "memscope-alerts.h"
#include "memscope-application.h"
#include "memscope-blame-list.h"
#include "memscope-export.h"
#include "memscope-history-private.h"
#include "memscope-process-model.h"
#include "memscope-recording-window.h"
#include "memscope-recording-private.h"
#include "memscope-seams-private.h"
#include "memscope-timeline-pane.h"
#include "memscope-timeline.h"
#include "memscope-window.h"
#include "ms-gui-test.h"
#include "ms-test.h"
#include "oom.h"
#include "store.h"
#include "trace.h"

#define WINDOW_TITLE "memscope-timeline-test"

static char *tmpdir;
static GtkWidget *window;
static MemscopeTimeline *timeline;
static MemscopeBlameList *blame_list;

/* --- Helpers ------------------------------------------------------------------------------------ */

/* Presses button 1 at (x0, y0) in the test window, moves to (x1, y1) in steps and releases. */
static void
xdotool_mouse_drag (int x0,
                    int y0,
                    int x1,
                    int y1)
{
  g_autofree char *command =
    g_strdup_printf ("xdotool search --sync --onlyvisible --name ^" WINDOW_TITLE "$ "
                     "mousemove --window %%1 --sync %d %d mousedown 1 sleep 0.1 "
                     "mousemove --window %%1 --sync %d %d sleep 0.1 "
                     "mousemove --window %%1 --sync %d %d sleep 0.1 mouseup 1",
                     x0, y0, (x0 + x1) / 2, (y0 + y1) / 2, x1, y1);

  ms_gui_run_command (command);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* A synthetic machine over `n` one-second samples: a grower, a steady one, one that exits at 60 s,
 * one that starts at 30 s, a shrinker, a recycled pid, and machine growth that no process explains
 * (1 MiB/s). */
static void
fill_sample (ms_snapshot_t *snap,
             ms_proc_t     *procs,
             int            t)
{
  size_t n = 0;

  memset (snap, 0, sizeof *snap);
  snap->time_s = t;
  snap->mem.mem_total_kib = 8 * 1024 * 1024;
  snap->mem.swap_total_kib = 1024 * 1024;
  snap->mem.swap_free_kib = 1024 * 1024 - t * 10;
  snap->pressure.valid = TRUE;
  snap->pressure.some_avg10 = (t % 30) * 1.5;
  snap->pressure.full_avg10 = 0.5;

#define ADD(PID, START, NAME, RSS, SWAP)                                                          \
  do                                                                                             \
    {                                                                                            \
      ms_proc_t *p = &procs[n++];                                                                \
      memset (p, 0, sizeof *p);                                                                  \
      p->pid = (PID);                                                                            \
      p->ppid = 1;                                                                               \
      p->starttime = (START);                                                                    \
      g_strlcpy (p->comm, (NAME), sizeof p->comm);                                               \
      g_strlcpy (p->user, "tester", sizeof p->user);                                             \
      g_snprintf (p->group, sizeof p->group, "name:%s", (NAME));                                 \
      p->state = 'S';                                                                            \
      p->rss_kib = (RSS);                                                                        \
      p->anon_kib = (RSS) / 2;                                                                   \
      p->swap_kib = (SWAP);                                                                      \
      p->pss_kib = (PID) % 2 ? (RSS) - 10 : MS_UNKNOWN_KIB;                                      \
      p->footprint_kib = (RSS) + (SWAP);                                                         \
      p->cpu_pct = 1.25;                                                                         \
    }                                                                                            \
  while (0)

  ADD (101, 1001, "grower", 20000 + 100 * t, 0);
  ADD (102, 1002, "steady", 5000, 0);
  if (t <= 60)
    ADD (103, 1003, "quitter", 7000, 100);
  if (t >= 30)
    ADD (104, 1004, "late \"one\", x", 2000 + 50 * (t - 30), 0);
  ADD (105, 1005, "shrinker", 10000 - 20 * t, 10 * t);
  if (t <= 50)
    ADD (106, 1, "recycled", 3000, 0);
  else
    ADD (106, 2, "recycled", 4000, 0);
#undef ADD

  {
    gint64 sum = 0;

    for (size_t i = 0; i < n; i++)
      sum += procs[i].footprint_kib;
    /* Used memory: the processes, 1 GiB of kernel and caches, and 1 MiB/s of tmpfs growth. */
    snap->mem.mem_available_kib = snap->mem.mem_total_kib - (sum - t * 10) - 1024 * 1024
                                  - 1024 * t;
  }
  snap->n_procs = n;
  snap->procs = procs;
}

#define N_SAMPLES 120

/* The same machine, but the grower holds still for its first 40 s and then grows 200 KiB/s: a leak
 * after a steady stretch, which the detector can tell within the trace (growth from a process's
 * first sample counts only after two minutes). */
static gboolean steady_grower;

static char *
write_generated_trace (const char *name)
{
  char *path = tmp_path (name);
  FILE *out = g_fopen (path, "wb");
  ms_trace_writer_t *w;
  ms_snapshot_t snap;
  ms_proc_t procs[16];

  g_assert_nonnull (out);
  w = ms_trace_writer_new (out);
  g_assert_nonnull (w);
  for (int t = 0; t < N_SAMPLES; t++)
    {
      fill_sample (&snap, procs, t);
      if (steady_grower)
        procs[0].rss_kib = procs[0].footprint_kib = 20000 + 200 * MAX (0, t - 40);
      g_assert_cmpint (ms_trace_writer_sample (w, &snap, t), ==, 0);
    }
  ms_trace_writer_free (w);
  fclose (out);
  return path;
}

static gboolean computed;

static void
computed_cb (void)
{
  computed = TRUE;
}

static void
compute_and_wait (const char *path,
                  double      from_s,
                  double      to_s,
                  gboolean    store)
{
  computed = FALSE;
  if (store)
    memscope_blame_list_compute_store (blame_list, path, from_s, to_s);
  else
    memscope_blame_list_compute_trace (blame_list, path, from_s, to_s);
  g_assert_true (memscope_blame_list_get_busy (blame_list));
  ms_gui_wait_until (ms_gui_flag_is_set, &computed, 20000, "blame");
  g_assert_false (memscope_blame_list_get_busy (blame_list));
}

static gint64
json_int (const char *line,
          const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  const char *at = strstr (line, needle);

  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

static gboolean
json_bool (const char *line,
           const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":true", key);

  return strstr (line, needle) != NULL;
}

/* Runs `memscope-probe blame --json --aggregate` and checks the list shows the same rows in the
 * same order, with the same shares. */
static void
check_against_probe (const char *trace,
                     double      from_s,
                     double      to_s)
{
  const char *probe = g_getenv ("MS_PROBE");
  g_autofree char *from = g_strdup_printf ("%g", from_s);
  g_autofree char *to = g_strdup_printf ("%g", to_s);
  const char *argv[] = { probe, "blame", "--json", "--aggregate", trace, "--from", from, "--to",
                         to, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GListModel *model = memscope_blame_list_get_model (blame_list);
  guint n_lines = 0;
  int status;

  g_assert_nonnull (probe);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  compute_and_wait (trace, from_s, to_s, FALSE);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (MemscopeBlameItem) item = NULL;

      if (lines[i][0] == '\0')
        continue;
      item = g_list_model_get_item (model, n_lines);
      g_assert_nonnull (item);
      if (strstr (lines[i], "unattributed_kib") != NULL)
        {
          g_assert_true (memscope_blame_item_get_unattributed (item));
          g_assert_cmpint (memscope_blame_item_get_delta_kib (item), ==,
                           json_int (lines[i], "unattributed_kib"));
          g_assert_cmpint (memscope_blame_item_get_share_pct (item), ==,
                           json_int (lines[i], "unattributed_share_pct"));
        }
      else
        {
          g_assert_false (memscope_blame_item_get_unattributed (item));
          g_assert_cmpint (memscope_blame_item_get_count (item), ==, json_int (lines[i], "count"));
          if (memscope_blame_item_get_count (item) == 1)
            {
              g_assert_cmpint (memscope_blame_item_get_pid (item), ==, json_int (lines[i], "pid"));
              g_assert_cmpint ((gint64) memscope_blame_item_get_starttime (item), ==,
                               json_int (lines[i], "starttime"));
            }
          g_assert_cmpint (memscope_blame_item_get_share_pct (item), ==,
                           json_int (lines[i], "share_pct"));
          g_assert_cmpint (memscope_blame_item_get_start_kib (item), ==,
                           json_int (lines[i], "start_kib"));
          g_assert_cmpint (memscope_blame_item_get_end_kib (item), ==,
                           json_int (lines[i], "end_kib"));
          g_assert_cmpint (memscope_blame_item_get_delta_kib (item), ==,
                           json_int (lines[i], "delta_kib"));
          g_assert_cmpint (memscope_blame_item_get_started_inside (item), ==,
                           json_bool (lines[i], "started_inside"));
          g_assert_cmpint (memscope_blame_item_get_exited_inside (item), ==,
                           json_bool (lines[i], "exited_inside"));
        }
      n_lines++;
    }
  g_assert_cmpuint (n_lines, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_lines);
}

/* --- Tests ---------------------------------------------------------------------------------- */

static void
test_blame_matches_probe (void)
{
  g_autofree char *trace = write_generated_trace ("generated.csv");
  double windows[][2] = { { 10, 20 }, { 25.5, 70 }, { 0, 119 }, { 50, 51 }, { 59.5, 60.2 } };
  GListModel *model = memscope_blame_list_get_model (blame_list);

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    check_against_probe (trace, windows[i][0], windows[i][1]);

  /* The last window shown is [59.5, 60.2]: nothing changes but the tmpfs growth, so the
   * unattributed row carries the whole machine growth. */
  compute_and_wait (trace, 10, 20, FALSE);
  {
    g_autoptr (MemscopeBlameItem) first = g_list_model_get_item (model, 0);
    g_autoptr (MemscopeBlameItem) rest =
      g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);
    gint64 machine = 0, gross = 0;

    /* grower: +100 KiB/s over 10 s, a share of the gross change (every row's as a size) */
    g_assert_cmpstr (memscope_blame_item_get_comm (first), ==, "grower");
    g_assert_cmpint (memscope_blame_item_get_delta_kib (first), ==, 1000);
    g_assert_true (memscope_blame_list_get_machine_delta (blame_list, &machine));
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr (MemscopeBlameItem) item = g_list_model_get_item (model, i);

        gross += ABS (memscope_blame_item_get_delta_kib (item));
      }
    g_assert_cmpfloat_with_epsilon (memscope_blame_item_get_share (first),
                                    1000.0 / (double) gross, 1e-9);
    g_assert_true (memscope_blame_item_get_unattributed (rest));
    g_assert_cmpint (memscope_blame_item_get_delta_kib (rest), ==, 10240);
    g_assert_true (g_str_has_prefix (memscope_blame_list_get_summary (blame_list),
                                     "From 0:00:10 to 0:00:20, memory in use changed by +10.9"));
  }

  /* A window before the trace gives the core's sentence, not rows. */
  compute_and_wait (trace, -50, -10, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (g_str_has_prefix (memscope_blame_list_get_summary (blame_list),
                                   "The selected stretch starts before the first sample"));
  g_unlink (trace);
}

static gboolean activated;
static gint32 activated_pid;

static void
activated_cb (MemscopeBlameList *list,
              gint32             pid,
              guint64            starttime)
{
  activated = TRUE;
  activated_pid = pid;
}

/* The same samples in the rolling store (wall-clock times) and a trace give the same blame. */
static void
test_blame_over_store (void)
{
  g_autofree char *dir = tmp_path ("state");
  g_autofree char *trace = write_generated_trace ("store-twin.csv");
  char err[512];
  ms_store_t *store = ms_store_open (dir, NULL, err, sizeof err);
  const double t0 = 1750000000.0;
  GListModel *model = memscope_blame_list_get_model (blame_list);
  g_autoptr (GPtrArray) from_trace = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_nonnull (store);
  for (int t = 0; t < N_SAMPLES; t++)
    {
      ms_snapshot_t snap;
      ms_proc_t procs[16];

      fill_sample (&snap, procs, t);
      snap.time_unix = t0 + t;
      g_assert_cmpint (ms_store_add (store, &snap, err, sizeof err), ==, 0);
    }
  ms_store_close (store);

  compute_and_wait (trace, 20, 80, FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (from_trace, g_list_model_get_item (model, i));
  compute_and_wait (dir, t0 + 20, t0 + 80, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, from_trace->len);
  for (guint i = 0; i < from_trace->len; i++)
    {
      g_autoptr (MemscopeBlameItem) item = g_list_model_get_item (model, i);
      MemscopeBlameItem *twin = g_ptr_array_index (from_trace, i);

      g_assert_cmpint (memscope_blame_item_get_pid (item), ==, memscope_blame_item_get_pid (twin));
      g_assert_cmpint (memscope_blame_item_get_delta_kib (item), ==,
                       memscope_blame_item_get_delta_kib (twin));
    }

  /* Activating a process row reports its identity; the unattributed row does not. */
  activated = FALSE;
  g_signal_connect (blame_list, "process-activated", G_CALLBACK (activated_cb), NULL);
  {
    GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (blame_list));
    GtkWidget *view = NULL;
    GListModel *shown;
    guint grower_at = G_MAXUINT, rest_at = G_MAXUINT;

    /* box > header, scroller > column view */
    for (GtkWidget *w = gtk_widget_get_first_child (child); w != NULL; w = gtk_widget_get_next_sibling (w))
      if (GTK_IS_SCROLLED_WINDOW (w))
        view = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (w));
    g_assert_true (GTK_IS_COLUMN_VIEW (view));
    /* The view shows the rows by the size of their change: find them there. */
    shown = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
    for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
      {
        g_autoptr (MemscopeBlameItem) item = g_list_model_get_item (shown, i);

        if (memscope_blame_item_get_unattributed (item))
          rest_at = i;
        else if (memscope_blame_item_get_pid (item) == 101)
          grower_at = i;
      }
    g_signal_emit_by_name (view, "activate", grower_at);
    g_assert_true (activated);
    g_assert_cmpint (activated_pid, ==, 101);
    activated = FALSE;
    g_signal_emit_by_name (view, "activate", rest_at);
    g_assert_false (activated);
  }
  g_signal_handlers_disconnect_by_func (blame_list, activated_cb, NULL);
  g_unlink (trace);
}

static void
write_text (const char *path,
            const char *text,
            gssize      len)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);
}

typedef struct
{
  const char *name;
  guint expect_samples;    /* samples kept before the bad line */
  guint64 expect_line;     /* line the error names */
  const char *expect_text; /* part of the message */
} Malformed;

static void
test_malformed (void)
{
  g_autofree char *good = write_generated_trace ("good.csv");
  g_autofree char *data = NULL;
  gsize len = 0;
  /* Each of the first 30 samples of the generated trace is 6 lines (the machine row and 5
   * processes). */
  Malformed cases[] = {
    { "truncated.csv", 12, 0, NULL },
    { "missing-columns.csv", 0, 1, "rss_kib" },
    { "garbage.csv", 3, 23, NULL },
    { "backwards.csv", 4, 26, NULL },
  };

  g_assert_true (g_file_get_contents (good, &data, &len, NULL));

  /* Truncated: cut in the middle of the 4th row of the 13th sample. */
  {
    g_autofree char *path = tmp_path (cases[0].name);
    const char *p = data;

    for (int i = 0; i < 1 + 6 * 12 + 3; i++)
      p = strchr (p, '\n') + 1;
    write_text (path, data, (p - data) + 10);
    cases[0].expect_line = 1 + 6 * 12 + 3 + 1;
  }
  /* Missing columns: a header without rss_kib. */
  {
    g_autofree char *path = tmp_path (cases[1].name);

    write_text (path, "time_s,pid,starttime,comm,state,pss_kib,swap_kib\n0,1,1,a,S,,0\n", -1);
  }
  /* Garbage bytes from line 23 on (inside the 4th sample). */
  {
    g_autofree char *path = tmp_path (cases[2].name);
    const char *p = data;
    GString *s;

    for (int i = 0; i < 22; i++)
      p = strchr (p, '\n') + 1;
    s = g_string_new_len (data, p - data);
    g_string_append_len (s, "\x01\xff\xfe,\x80zz\x00\x13garbage\n1,2,3\n", 20);
    write_text (path, s->str, (gssize) s->len);
    g_string_free (s, TRUE);
  }
  /* Times going backwards: after 4 samples, a row from time 1. */
  {
    g_autofree char *path = tmp_path (cases[3].name);
    const char *p = data;
    GString *s;

    for (int i = 0; i < 1 + 6 * 4; i++)
      p = strchr (p, '\n') + 1;
    s = g_string_new_len (data, p - data);
    g_string_append (s, "1.000,0,0,[machine],,100,,0,,,,,,,,,200,100,0,,\n");
    write_text (path, s->str, (gssize) s->len);
    g_string_free (s, TRUE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tmp_path (cases[i].name);
      g_autofree char *where = g_strdup_printf ("%s:%" G_GUINT64_FORMAT ":", path,
                                                cases[i].expect_line);
      g_autoptr (GError) error = NULL;
      g_autoptr (MemscopeRecording) rec = memscope_recording_load (path, NULL, &error);

      g_test_message ("%s", cases[i].name);
      if (cases[i].expect_samples == 0)
        {
          g_assert_null (rec);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_assert_true (g_str_has_prefix (error->message, where));
          if (cases[i].expect_text != NULL)
            g_assert_nonnull (strstr (error->message, cases[i].expect_text));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (rec);
          g_test_message ("  %s", memscope_recording_get_error (rec));
          g_assert_nonnull (memscope_recording_get_error (rec));
          g_assert_true (g_str_has_prefix (memscope_recording_get_error (rec), where));
          g_assert_cmpuint (memscope_recording_get_error_line (rec), ==, cases[i].expect_line);
          /* What was read before stays viewable. */
          g_assert_cmpuint (memscope_recording_get_n_samples (rec), ==, cases[i].expect_samples);
          g_assert_cmpuint (memscope_recording_get_snapshot (rec)->base.n_procs, >=, 5);
        }

      /* Blame reading up to the bad line says where it stopped. */
      compute_and_wait (path, 0, 1000, FALSE);
      g_assert_nonnull (strstr (memscope_blame_list_get_summary (blame_list), where));
      g_unlink (path);
    }

  /* A file that does not exist. */
  {
    g_autofree char *path = tmp_path ("nothing-here.csv");
    g_autoptr (GError) error = NULL;
    g_autoptr (MemscopeRecording) rec = memscope_recording_load (path, NULL, &error);

    g_assert_null (rec);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  g_unlink (good);
}

static void
test_record_open_round_trip (void)
{
  g_autofree char *path = tmp_path ("recorded.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (MemscopeRecorder) recorder = memscope_recorder_new (path, &error);
  g_autoptr (MemscopeRecording) rec = NULL;
  const MemscopeTimelinePoint *points;
  MemscopeSnapshot *last;
  ms_snapshot_t snap;
  ms_proc_t procs[16];
  guint n_points = 0;
  ms_blame_t *direct = ms_blame_new (20, 90);
  ms_blame_result_t direct_result;
  GListModel *model = memscope_blame_list_get_model (blame_list);

  g_assert_no_error (error);
  g_assert_true (memscope_recorder_get_active (recorder));
  for (int t = 0; t < N_SAMPLES; t++)
    {
      g_autoptr (MemscopeSnapshot) copy = NULL;

      fill_sample (&snap, procs, t);
      snap.time_s = 1000 + t; /* the sampler's clock: the trace counts from the first sample */
      copy = memscope_snapshot_new_copy (&snap, (guint64) t + 1);
      g_assert_true (memscope_recorder_add (recorder, copy, &error));
      g_assert_no_error (error);
      snap.time_s = t;
      ms_blame_feed (direct, &snap);
    }
  g_assert_cmpuint (memscope_recorder_get_n_samples (recorder), ==, N_SAMPLES);
  memscope_recorder_stop (recorder);
  g_assert_false (memscope_recorder_get_active (recorder));

  rec = memscope_recording_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (memscope_recording_get_error (rec));
  g_assert_cmpuint (memscope_recording_get_n_samples (rec), ==, N_SAMPLES);
  g_assert_cmpfloat (memscope_recording_get_first_s (rec), ==, 0);
  g_assert_cmpfloat (memscope_recording_get_last_s (rec), ==, N_SAMPLES - 1);

  /* The machine series: the same used, swap and pressure as recorded. */
  points = memscope_recording_get_points (rec, &n_points);
  g_assert_cmpuint (n_points, ==, N_SAMPLES);
  for (int t = 0; t < N_SAMPLES; t++)
    {
      fill_sample (&snap, procs, t);
      g_assert_cmpfloat (points[t].time_s, ==, t);
      g_assert_cmpint (points[t].used_kib, ==,
                       snap.mem.mem_total_kib - snap.mem.mem_available_kib);
      g_assert_cmpint (points[t].swap_kib, ==, t * 10);
      g_assert_cmpfloat_with_epsilon (points[t].psi_some_avg10, snap.pressure.some_avg10, 0.01);
      g_assert_cmpint (points[t].cache_kib, <, 0); /* traces do not carry it */
    }

  /* The process list: every process seen, with its last values. */
  last = memscope_recording_get_snapshot (rec);
  g_assert_cmpuint (last->base.n_procs, ==, 7); /* 6 live at the end + the recycled pid's first */
  fill_sample (&snap, procs, N_SAMPLES - 1);
  for (size_t i = 0; i < snap.n_procs; i++)
    {
      const ms_proc_t *want = &snap.procs[i];
      const ms_proc_t *got = NULL;

      for (size_t j = 0; j < last->base.n_procs; j++)
        if (last->base.procs[j].pid == want->pid && last->base.procs[j].starttime == want->starttime)
          got = &last->base.procs[j];
      g_assert_nonnull (got);
      g_assert_cmpstr (got->comm, ==, want->comm);
      g_assert_cmpstr (got->user, ==, want->user);
      g_assert_cmpstr (got->group, ==, want->group);
      g_assert_cmpint (got->rss_kib, ==, want->rss_kib);
      g_assert_cmpint (got->swap_kib, ==, want->swap_kib);
      g_assert_cmpint (got->pss_kib, ==, want->pss_kib);
      g_assert_cmpint (got->anon_kib, ==, want->anon_kib);
      g_assert_cmpint (got->footprint_kib, ==, want->footprint_kib);
      g_assert_cmpint (got->ppid, ==, 1);
      g_assert_cmpint (got->state, ==, 'S');
    }
  /* The quitter left at 60 s: kept with its last values, marked exited. */
  for (size_t j = 0; j < last->base.n_procs; j++)
    if (last->base.procs[j].pid == 103)
      {
        g_assert_cmpint (last->base.procs[j].state, ==, 'X');
        g_assert_cmpint (last->base.procs[j].footprint_kib, ==, 7100);
      }
    else if (last->base.procs[j].pid == 101)
      g_assert_cmpint (last->base.procs[j].delta_kib, ==, 100 * (N_SAMPLES - 1));

  /* History of a process: the recorded footprints. */
  {
    ms_history_point_t hist[400];
    gsize n = memscope_recording_get_history (rec, 101, 1001, hist, G_N_ELEMENTS (hist));

    g_assert_cmpuint (n, >=, 100);
    g_assert_cmpint (hist[n - 1].footprint_kib, ==, 20000 + 100 * (N_SAMPLES - 1));
  }

  /* Blame over the recorded file equals blame over the snapshots themselves. */
  g_assert_cmpint (ms_blame_finish (direct, &direct_result), ==, MS_BLAME_OK);
  compute_and_wait (path, 20, 90, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, direct_result.n_rows + 1);
  for (size_t i = 0; i < direct_result.n_rows; i++)
    {
      g_autoptr (MemscopeBlameItem) item = g_list_model_get_item (model, (guint) i);

      g_assert_cmpint (memscope_blame_item_get_pid (item), ==, direct_result.rows[i].pid);
      g_assert_cmpint (memscope_blame_item_get_delta_kib (item), ==,
                       direct_result.rows[i].delta_kib);
    }
  ms_blame_result_clear (&direct_result);
  ms_blame_free (direct);

  /* The list as CSV, through the application's own process model. */
  {
    g_autoptr (MemscopeProcessModel) pm = memscope_process_model_new ();
    g_autofree char *csv_path = tmp_path ("list.csv");
    g_autofree char *csv = NULL;
    g_auto (GStrv) rows = NULL;

    memscope_process_model_apply (pm, last);
    g_assert_true (memscope_export_rows_csv (memscope_process_model_get_processes (pm), csv_path,
                                             &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv, "pid,starttime,name,user,group,rss_kib,"));
    /* The name with a quote and a comma is quoted. */
    g_assert_nonnull (strstr (csv, "104,1004,\"late \"\"one\"\", x\",tester,"));
    g_assert_nonnull (strstr (csv, "101,1001,grower,tester,name:grower,31900,31890,0,11900,"));
    rows = g_strsplit (csv, "\n", -1);
    g_assert_cmpuint (g_strv_length (rows), ==, 1 + 7 + 1);
    g_unlink (csv_path);
  }
  g_unlink (path);
}

static guint n_progress;
static double last_fraction;

static void
progress_cb (double   fraction,
             gpointer data)
{
  g_assert_cmpfloat (fraction, >=, last_fraction);
  g_assert_cmpfloat (fraction, <=, 1.0);
  last_fraction = fraction;
  n_progress++;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GError **error = data;
  g_autoptr (MemscopeRecording) rec = memscope_recording_load_finish (result, error);

  if (rec != NULL)
    g_object_set_data_full (G_OBJECT (timeline), "loaded", g_steal_pointer (&rec), g_object_unref);
  else
    g_object_set_data (G_OBJECT (timeline), "loaded", GINT_TO_POINTER (1));
}

static gboolean
loaded_done_cb (gpointer data)
{
  return g_object_get_data (G_OBJECT (timeline), "loaded") != NULL;
}

/* A bigger file loads asynchronously with progress, and a cancelled load reports the cancel. */
static void
test_load_async_progress_cancel (void)
{
  g_autofree char *path = tmp_path ("big.csv");
  FILE *out = g_fopen (path, "wb");
  ms_trace_writer_t *w = ms_trace_writer_new (out);
  ms_snapshot_t snap;
  ms_proc_t procs[200];
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  MemscopeRecording *rec;

  memset (procs, 0, sizeof procs);
  for (int t = 0; t < 3000; t++)
    {
      fill_sample (&snap, procs, t % 100);
      /* 200 processes per sample */
      for (int i = 7; i < 200; i++)
        {
          procs[i] = procs[0];
          procs[i].pid = 1000 + i;
          procs[i].starttime = 1000 + i;
        }
      snap.n_procs = 200;
      g_assert_cmpint (ms_trace_writer_sample (w, &snap, t), ==, 0);
    }
  ms_trace_writer_free (w);
  fclose (out);

  n_progress = 0;
  last_fraction = 0;
  memscope_recording_load_async (path, NULL, progress_cb, NULL, loaded_cb, &error);
  ms_gui_wait_until (loaded_done_cb, NULL, 120000, "the load");
  g_assert_no_error (error);
  rec = g_object_get_data (G_OBJECT (timeline), "loaded");
  g_assert_true (MEMSCOPE_IS_RECORDING (rec));
  g_assert_cmpuint (memscope_recording_get_n_samples (rec), ==, 3000);
  g_test_message ("progress reports: %u, last %.2f", n_progress, last_fraction);
  g_object_set_data (G_OBJECT (timeline), "loaded", NULL);

  memscope_recording_load_async (path, cancellable, NULL, NULL, loaded_cb, &error);
  g_cancellable_cancel (cancellable);
  ms_gui_wait_until (loaded_done_cb, NULL, 120000, "the cancelled load");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_object_set_data (G_OBJECT (timeline), "loaded", NULL);
  g_unlink (path);
}

static gboolean range_emitted;
static double range_from, range_to;

static void
range_cb (MemscopeTimeline *tl,
          double            from_s,
          double            to_s)
{
  range_emitted = TRUE;
  range_from = from_s;
  range_to = to_s;
}

static gboolean
focused_cb (gpointer data)
{
  return gtk_widget_has_focus (GTK_WIDGET (timeline));
}

static void
test_timeline_keys_and_export (void)
{
  g_autofree char *png = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  const double t0 = 1750000000.0;
  double from, to;

  memscope_timeline_clear (timeline);
  for (int t = 0; t <= 600; t++)
    {
      MemscopeTimelinePoint p = { 0 };

      p.time_s = t0 + t;
      p.total_kib = 8 << 20;
      p.used_kib = (3 << 20) + (t > 400 && t < 450 ? (1 << 20) : 0) + t * 500;
      p.cache_kib = 2 << 20;
      p.swap_kib = t * 100;
      p.psi_some_avg10 = (float) (t > 400 && t < 450 ? 40 : 2);
      memscope_timeline_append (timeline, &p);
    }
  memscope_timeline_set_span_s (timeline, 300);
  g_signal_connect (timeline, "range-selected", G_CALLBACK (range_cb), NULL);

  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  ms_gui_wait_until (focused_cb, NULL, 10000, "focus");
  range_emitted = FALSE;
  /* The cursor starts at the newest point; each Shift+Left widens the range by 5 s (1/60 of the
   * 5-minute view). */
  ms_gui_type_keys (window, "shift+Left shift+Left shift+Left");
  MS_GUI_AWAIT (range_emitted && fabs (range_from - (t0 + 585)) < 1e-6, MS_GUI_WAIT_MS,
                "three Shift+Left to select 15 s");
  g_assert_cmpfloat_with_epsilon (range_to, t0 + 600, 1e-6);
  g_assert_cmpfloat_with_epsilon (range_from, t0 + 585, 1e-6);
  g_assert_true (memscope_timeline_get_selection (timeline, &from, &to));
  g_assert_cmpfloat (from, ==, range_from);

  /* Escape clears. */
  ms_gui_type_keys (window, "Escape");
  MS_GUI_AWAIT (!memscope_timeline_get_selection (timeline, NULL, NULL), MS_GUI_WAIT_MS,
                "Esc to clear the selection");

  /* A drag with the mouse, through the X server: from a third to two thirds of the plot (right
   * of the size labels). */
  {
    graphene_point_t origin;
    double span = 300, t_end = t0 + 600;
    int x0 = (int) round (memscope_timeline_get_x_for_time (timeline, t_end - span * 2 / 3));
    int x1 = (int) round (memscope_timeline_get_x_for_time (timeline, t_end - span / 3));

    g_assert_cmpint (x0, >, 0);
    g_assert_cmpint (x1, >, x0);
    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (timeline), window,
                                             &GRAPHENE_POINT_INIT (0, 0), &origin));
    range_emitted = FALSE;
    xdotool_mouse_drag ((int) origin.x + x0, (int) origin.y + 60,
                        (int) origin.x + x1, (int) origin.y + 60);
    /* Only the release reports the range. */
    MS_GUI_AWAIT (range_emitted, MS_GUI_WAIT_MS, "the drag to select a range");
    g_test_message ("drag selected %.1f .. %.1f", range_from - t0, range_to - t0);
    /* A pixel or two of slack: the window frame may shift the pointer a little. */
    g_assert_cmpfloat (fabs (range_from - (t_end - span * 2 / 3)), <, 3);
    g_assert_cmpfloat (fabs (range_to - (t_end - span / 3)), <, 3);
  }

  /* The programmatic selection emits the same signal, ordered. */
  range_emitted = FALSE;
  memscope_timeline_select (timeline, t0 + 450, t0 + 390);
  g_assert_true (range_emitted);
  g_assert_cmpfloat (range_from, ==, t0 + 390);
  g_assert_cmpfloat (range_to, ==, t0 + 450);
  /* A range that starts before the first point starts at it. */
  memscope_timeline_select (timeline, t0 - 1000, t0 + 10);
  g_assert_cmpfloat (range_from, ==, t0);
  g_assert_cmpfloat (range_to, ==, t0 + 10);
  memscope_timeline_select (timeline, t0 + 450, t0 + 390);

  /* The export renders what is on screen, not a blank image. */
  ms_gui_pump (10, 200);
  png = g_build_filename (g_getenv ("MS_BUILDDIR") ? g_getenv ("MS_BUILDDIR") : tmpdir,
                          "timeline-export.png", NULL);
  g_assert_true (memscope_export_widget_png (GTK_WIDGET (timeline), png, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (GTK_WIDGET (timeline)));
  {
    int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
    g_autofree guchar *px = g_malloc ((gsize) w * h * 4);
    guint64 differ = 0;
    guint32 corner;

    gdk_texture_download (texture, px, (gsize) w * 4);
    memcpy (&corner, px, 4);
    for (gsize i = 0; i < (gsize) w * h; i++)
      {
        guint32 v;

        memcpy (&v, px + i * 4, 4);
        differ += v != corner;
      }
    g_assert_cmpuint (differ, >, (guint64) w * h / 10);
  }
  g_signal_handlers_disconnect_by_func (timeline, range_cb, NULL);
}

/* A two-hour recording keeps every point of its last hour and one per minute before it, the
 * busiest: a one-second peak in the first hour is still there. */
static void
test_recording_points_bounded (void)
{
  g_autofree char *path = tmp_path ("two-hours.csv");
  FILE *out = g_fopen (path, "wb");
  ms_trace_writer_t *w = ms_trace_writer_new (out);
  g_autoptr (MemscopeRecording) rec = NULL;
  const MemscopeTimelinePoint *points;
  guint n = 0;
  gboolean peak = FALSE;

  for (int t = 0; t < 7200; t++)
    {
      ms_snapshot_t snap;
      ms_proc_t procs[16];

      fill_sample (&snap, procs, t % N_SAMPLES);
      if (t == 1234)
        snap.mem.mem_available_kib -= 4 << 20;
      snap.n_procs = 1;
      g_assert_cmpint (ms_trace_writer_sample (w, &snap, t), ==, 0);
    }
  ms_trace_writer_free (w);
  fclose (out);

  rec = memscope_recording_load (path, NULL, NULL);
  g_assert_nonnull (rec);
  g_assert_cmpuint (memscope_recording_get_n_samples (rec), ==, 7200);
  points = memscope_recording_get_points (rec, &n);
  g_assert_cmpuint (n, >=, 3600 + 59);
  g_assert_cmpuint (n, <=, 3600 + 61 + 60);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_assert_cmpfloat (points[i].time_s, >, points[i - 1].time_s);
      peak |= points[i].time_s == 1234;
    }
  g_assert_true (peak);
  g_assert_cmpfloat (points[n - 1].time_s, ==, 7199);
  g_unlink (path);
}

/* A week of points at 1 s stays at about an hour of them plus one per older minute. */
static void
test_timeline_bounded (void)
{
  g_autoptr (GtkWidget) tl = g_object_ref_sink (memscope_timeline_new ());
  MemscopeTimelinePoint p = { 0 }, q;
  guint n;

  for (int t = 0; t < 6 * 3600; t++)
    {
      p.time_s = t;
      p.used_kib = 1000 + (t == 5000 ? 900000 : 0);
      memscope_timeline_append (MEMSCOPE_TIMELINE (tl), &p);
    }
  n = memscope_timeline_get_n_points (MEMSCOPE_TIMELINE (tl));
  g_assert_cmpuint (n, <=, 3600 + 60 + 5 * 60 + 2);
  g_assert_cmpuint (n, >=, 3600);
  /* The one-second peak in an old minute is what that minute keeps. */
  {
    gboolean peak = FALSE;

    for (guint i = 0; memscope_timeline_get_point (MEMSCOPE_TIMELINE (tl), i, &q); i++)
      peak |= q.time_s == 5000 && q.used_kib == 901000;
    g_assert_true (peak);
  }
}

static gboolean
pane_loaded_cb (gpointer data)
{
  return memscope_timeline_pane_get_history_loaded (data);
}

/* A restart: what an earlier run stored (samples of the last 10 minutes, events of the last
 * hours) is on the new pane's timeline and in its events; new snapshots go to the store, the
 * events log and a "Record to…" recording. */
static void
test_pane_restart_and_record (void)
{
  g_autofree char *dir = tmp_path ("pane-state");
  g_autofree char *rec_path = tmp_path ("pane-recording.csv");
  g_autoptr (MemscopeSamplerThread) sampler = memscope_sampler_thread_new ();
  g_autoptr (MemscopeHistory) history = NULL;
  double now = (double) g_get_real_time () / 1e6;
  char err[512];
  ms_store_t *store = ms_store_open (dir, NULL, err, sizeof err);
  ms_event_t old_event = { 0 };
  GtkWidget *pane_window;
  MemscopeTimelinePane *pane;
  GArray *events;
  ms_snapshot_t snap;
  ms_proc_t procs[16];
  g_autoptr (GError) error = NULL;
  g_autoptr (MemscopeRecording) rec = NULL;
  guint n_before;
  ms_oom_tracker_t oom;

  ms_oom_tracker_init (&oom);
  g_assert_nonnull (store);
  for (int t = 0; t < 600; t += 2)
    {
      fill_sample (&snap, procs, t % N_SAMPLES);
      snap.time_unix = now - 600 + t;
      g_assert_cmpint (ms_store_add (store, &snap, err, sizeof err), ==, 0);
    }
  old_event.pid = 4242;
  old_event.starttime = 7;
  g_strlcpy (old_event.comm, "old-leaker", sizeof old_event.comm);
  old_event.tag = MS_TAG_LEAK;
  old_event.set = TRUE;
  old_event.rate_kib_s = old_event.duration_s = old_event.confidence = NAN;
  old_event.exhaust_s = old_event.jump_kib = NAN;
  g_assert_cmpint (ms_store_add_event (store, &old_event, now - 5 * 3600), ==, 0);
  /* Too old for the window of the last day. */
  g_assert_cmpint (ms_store_add_event (store, &old_event, now - 30 * 3600), ==, 0);
  ms_store_close (store);

  history = memscope_history_new (sampler, dir);
  pane = MEMSCOPE_TIMELINE_PANE (memscope_timeline_pane_new (history));
  pane_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (pane_window), 800, 500);
  gtk_window_set_child (GTK_WINDOW (pane_window), GTK_WIDGET (pane));
  gtk_window_present (GTK_WINDOW (pane_window));
  ms_gui_wait_until (pane_loaded_cb, pane, 20000, "the stored history");

  n_before = memscope_timeline_get_n_points (memscope_timeline_pane_get_timeline (pane));
  g_assert_cmpuint (n_before, ==, 300);
  events = memscope_timeline_pane_get_events (pane);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (g_array_index (events, ms_store_event_t, 0).event.comm, ==, "old-leaker");

  /* Live snapshots: the detector's events of a LEAK tag set, then cleared, are two events in
   * the log. */
  g_assert_true (memscope_timeline_pane_start_recording (pane, rec_path, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (MemscopeSnapshot) copy = NULL;

      fill_sample (&snap, procs, 100 + i);
      snap.time_s = 5000 + i;
      snap.time_unix = now + 1 + i;
      if (i == 1)
        procs[0].tags = MS_TAG_LEAK;
      /* The kernel ended two processes before the 3rd. */
      snap.oom_counter.valid = TRUE;
      snap.oom_counter.count = i == 2 ? 12 : 10;
      ms_oom_derive (&oom, &snap);
      copy = memscope_snapshot_new_copy (&snap, (guint64) i + 1);
      if (i > 0)
        {
          ms_event_t leak = { 0 };

          leak.time_s = snap.time_s;
          leak.pid = procs[0].pid;
          leak.starttime = procs[0].starttime;
          g_strlcpy (leak.comm, procs[0].comm, sizeof leak.comm);
          leak.tag = MS_TAG_LEAK;
          leak.set = i == 1;
          leak.rate_kib_s = leak.duration_s = leak.confidence = leak.exhaust_s = NAN;
          leak.jump_kib = NAN;
          copy->events = g_array_new (FALSE, FALSE, sizeof (ms_event_t));
          g_array_append_val (copy->events, leak);
        }
      g_signal_emit_by_name (sampler, "snapshot", copy);
    }
  /* A tick that carries the detector's own event: logged with its figures, once. */
  {
    g_autoptr (MemscopeSnapshot) copy = NULL;
    ms_event_t spike = { 0 };

    fill_sample (&snap, procs, 103);
    snap.time_s = 5003;
    snap.time_unix = now + 4;
    snap.oom_counter.valid = TRUE;
    snap.oom_counter.count = 12;
    ms_oom_derive (&oom, &snap);
    procs[1].tags = MS_TAG_SPIKE;
    copy = memscope_snapshot_new_copy (&snap, 4);
    spike.time_s = 5003;
    spike.pid = procs[1].pid;
    spike.starttime = procs[1].starttime;
    g_strlcpy (spike.comm, procs[1].comm, sizeof spike.comm);
    spike.tag = MS_TAG_SPIKE;
    spike.set = TRUE;
    spike.rate_kib_s = spike.duration_s = spike.confidence = spike.exhaust_s = NAN;
    spike.jump_kib = 65536;
    copy->events = g_array_new (FALSE, FALSE, sizeof (ms_event_t));
    g_array_append_val (copy->events, spike);
    g_signal_emit_by_name (sampler, "snapshot", copy);
  }
  g_assert_null (memscope_timeline_pane_get_saved_folder (pane));
  memscope_timeline_pane_stop_recording (pane);
  /* Stop says where the file went, with a button to its folder. */
  {
    g_autofree char *shown = g_filename_display_name (rec_path);
    g_autofree char *want = g_strdup_printf ("Saved to %s", shown);
    g_autofree char *folder = g_path_get_dirname (rec_path);

    g_assert_cmpstr (memscope_timeline_pane_get_status (pane), ==, want);
    g_assert_cmpstr (memscope_timeline_pane_get_saved_folder (pane), ==, folder);
    g_assert_true (gtk_widget_get_visible (memscope_timeline_pane_get_open_folder_button (pane)));
  }
  /* The worker writes; the recording is complete once it has caught up. */
  memscope_history_flush (history);
  g_assert_cmpuint (memscope_timeline_get_n_points (memscope_timeline_pane_get_timeline (pane)), ==,
                    n_before + 4);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpint (g_array_index (events, ms_store_event_t, 4).event.tag, ==, MS_TAG_SPIKE);
  g_assert_cmpfloat (g_array_index (events, ms_store_event_t, 4).event.time_s, ==, now + 4);
  g_assert_cmpfloat (g_array_index (events, ms_store_event_t, 4).event.jump_kib, ==, 65536);
  g_assert_true (g_array_index (events, ms_store_event_t, 1).event.set);
  g_assert_cmpstr (g_array_index (events, ms_store_event_t, 1).event.comm, ==, "grower");
  g_assert_false (g_array_index (events, ms_store_event_t, 2).event.set);
  g_assert_cmpint (g_array_index (events, ms_store_event_t, 3).event.tag, ==, MS_STORE_TAG_OOM);
  g_assert_cmpuint (g_array_index (events, ms_store_event_t, 3).oom_kills, ==, 2);
  /* The events that set something are marked on the timeline: the old LEAK, the new one, OOM,
   * the SPIKE. */
  g_assert_cmpuint (memscope_timeline_get_n_marks (memscope_timeline_pane_get_timeline (pane)), ==, 4);

  rec = memscope_recording_load (rec_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memscope_recording_get_n_samples (rec), ==, 4);
  g_assert_cmpfloat (memscope_recording_get_last_s (rec), ==, 3);

  /* Selecting a range on the live timeline blames over the store. */
  computed = FALSE;
  {
    MemscopeBlameList *list = memscope_timeline_pane_get_blame_list (pane);
    gulong id = g_signal_connect (list, "computed", G_CALLBACK (computed_cb), NULL);

    memscope_timeline_select (memscope_timeline_pane_get_timeline (pane), now - 500, now - 400);
    ms_gui_wait_until (ms_gui_flag_is_set, &computed, 20000, "blame over the store");
    g_assert_cmpuint (g_list_model_get_n_items (memscope_blame_list_get_model (list)), >, 3);
    g_signal_handler_disconnect (list, id);
  }
  ms_gui_pump (10, 400);
  {
    g_autofree char *png = g_build_filename (g_getenv ("MS_BUILDDIR") ? g_getenv ("MS_BUILDDIR")
                                                                      : tmpdir,
                                             "timeline-pane.png", NULL);

    g_assert_true (memscope_export_widget_png (GTK_WIDGET (pane), png, NULL));
  }
  gtk_window_destroy (GTK_WINDOW (pane_window));
  /* The end of the run: the history's worker writes what it was handed and closes the store. */
  g_clear_object (&history);

  /* A second start finds this run's events and samples too. */
  {
    g_autoptr (MemscopeSamplerThread) sampler2 = memscope_sampler_thread_new ();
    g_autoptr (MemscopeHistory) history2 = memscope_history_new (sampler2, dir);
    GtkWidget *pane2 = g_object_ref_sink (memscope_timeline_pane_new (history2));

    ms_gui_wait_until (pane_loaded_cb, pane2, 20000, "the stored history again");
    g_assert_cmpuint (memscope_timeline_get_n_points (
                        memscope_timeline_pane_get_timeline (MEMSCOPE_TIMELINE_PANE (pane2))),
                      ==, n_before + 4);
    g_assert_cmpuint (memscope_timeline_pane_get_events (MEMSCOPE_TIMELINE_PANE (pane2))->len,
                      ==, 5);
    g_object_unref (pane2);
  }
  g_unlink (rec_path);
}

static int
count_samples_cb (ms_snapshot_t *snap,
                  void          *user)
{
  (*(guint *) user)++;
  g_assert_cmpuint (snap->n_procs, >, 0);
  return 0;
}

static gboolean
points_at_least_cb (gpointer data)
{
  MemscopeTimelinePane *pane = data;

  return memscope_timeline_get_n_points (memscope_timeline_pane_get_timeline (pane)) >= 3;
}

/* The real sampler on a fixture proc tree: its ticks reach the timeline and the store. */
static void
test_pane_live_sampler (void)
{
  g_autofree char *dir = tmp_path ("live-state");
  g_autofree char *proc = ms_test_data_path ("app/proc-v2");
  g_autoptr (MemscopeSamplerThread) sampler = NULL;
  g_autoptr (MemscopeHistory) history = NULL;
  g_autoptr (GtkWidget) pane = NULL;
  guint n_stored = 0;
  char err[512];

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", proc);
  sampler = memscope_sampler_thread_new ();
  memscope_sampler_thread_set_interval_ms (sampler, 200);
  history = memscope_history_new (sampler, dir);
  pane = g_object_ref_sink (memscope_timeline_pane_new (history));
  ms_gui_wait_until (pane_loaded_cb, pane, 20000, "an empty history");
  memscope_sampler_thread_start (sampler);
  ms_gui_wait_until (points_at_least_cb, pane, 20000, "three ticks on the timeline");
  g_object_run_dispose (G_OBJECT (sampler));
  g_clear_object (&pane);
  g_clear_object (&history);

  g_assert_cmpint (ms_store_read (dir, 0, INFINITY, count_samples_cb, &n_stored, NULL, err,
                                  sizeof err), ==, 0);
  /* The fine tier keeps one sample per second: at least the first tick is there. */
  g_assert_cmpuint (n_stored, >=, 1);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
}

/* What the consumers of one sampler made of its OOM-kill counter. */
typedef struct
{
  guint n_snapshots;
  guint n_alerts;      /* OOM alerts */
  guint64 alert_kills;
  guint n_pane_events; /* OOM events in the pane's list */
  guint64 pane_kills;
  guint n_marks;       /* marks on the timeline */
  guint n_logged;      /* OOM events in the events log */
  guint want_snapshots;
} OomSeen;

static void
oom_snapshot_cb (MemscopeSamplerThread *sampler,
                 MemscopeSnapshot      *snapshot,
                 OomSeen               *seen)
{
  seen->n_snapshots++;
}

static void
oom_feed_alerts_cb (MemscopeSamplerThread *sampler,
                    MemscopeSnapshot      *snapshot,
                    MemscopeAlerts        *alerts)
{
  memscope_alerts_feed (alerts, &snapshot->base,
                        snapshot->events != NULL
                        ? (const ms_event_t *) (gpointer) snapshot->events->data : NULL,
                        snapshot->events != NULL ? snapshot->events->len : 0);
}

static void
oom_alert_cb (MemscopeAlerts *alerts,
              MemscopeAlert  *alert,
              OomSeen        *seen)
{
  if (alert->kind != MEMSCOPE_ALERT_OOM_KILL)
    return;
  seen->n_alerts++;
  seen->alert_kills += alert->n_oom_kills;
}

static int
oom_logged_cb (const ms_store_event_t *ev,
               void                   *user)
{
  OomSeen *seen = user;

  seen->n_logged += ev->event.tag == MS_STORE_TAG_OOM;
  return 0;
}

static gboolean
oom_snapshots_cb (gpointer data)
{
  OomSeen *seen = data;

  return seen->n_snapshots >= seen->want_snapshots;
}

/* Runs the application's sampler thread on a proc tree whose vmstat holds each of `vmstat` in
 * turn (rewritten in place, as the kernel's file changes under the kept descriptor), with a
 * history, a timeline pane and the alerts on its snapshots: what the store, the timeline and
 * the alerts made of the kills its worker derived. */
static OomSeen
oom_through_worker (const char *name,
                    const char *const *vmstat,
                    guint       n)
{
  g_autofree char *dir = tmp_path (name);
  g_autofree char *root = g_dir_make_tmp ("ms-oom-proc-XXXXXX", NULL);
  g_autofree char *meminfo = g_build_filename (root, "meminfo", NULL);
  g_autofree char *vmstat_path = g_build_filename (root, "vmstat", NULL);
  g_autoptr (MemscopeSamplerThread) sampler = NULL;
  g_autoptr (MemscopeAlerts) alerts = memscope_alerts_new ();
  g_autoptr (MemscopeHistory) history = NULL;
  g_autoptr (GtkWidget) pane = NULL;
  OomSeen seen = { 0 };
  GArray *events;

  g_assert_nonnull (root);
  g_assert_true (g_file_set_contents (meminfo, "MemTotal: 8000000 kB\nMemAvailable: 4000000 kB\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (vmstat_path, vmstat[0], -1, NULL));
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", root);
  sampler = memscope_sampler_thread_new ();
  /* Ticks come from here, one per reading. */
  memscope_sampler_thread_set_interval_ms (sampler, 60000);
  history = memscope_history_new (sampler, dir);
  pane = g_object_ref_sink (memscope_timeline_pane_new (history));
  ms_gui_wait_until (pane_loaded_cb, pane, 20000, "an empty history");
  g_signal_connect (sampler, "snapshot", G_CALLBACK (oom_snapshot_cb), &seen);
  g_signal_connect (sampler, "snapshot", G_CALLBACK (oom_feed_alerts_cb), alerts);
  g_signal_connect (alerts, "alert", G_CALLBACK (oom_alert_cb), &seen);
  memscope_sampler_thread_start (sampler);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        {
          FILE *f = fopen (vmstat_path, "r+");

          g_assert_nonnull (f);
          g_assert_cmpint (ftruncate (fileno (f), 0), ==, 0);
          fputs (vmstat[i], f);
          fclose (f);
          g_assert_true (memscope_sampler_thread_tick_now (sampler));
        }
      seen.want_snapshots = i + 1;
      ms_gui_wait_until (oom_snapshots_cb, &seen, 20000, "a snapshot of the reading");
    }
  g_assert_null (memscope_sampler_thread_get_error (sampler));

  seen.n_marks = memscope_timeline_get_n_marks (
    memscope_timeline_pane_get_timeline (MEMSCOPE_TIMELINE_PANE (pane)));
  events = memscope_timeline_pane_get_events (MEMSCOPE_TIMELINE_PANE (pane));
  for (guint i = 0; i < events->len; i++)
    if (g_array_index (events, ms_store_event_t, i).event.tag == MS_STORE_TAG_OOM)
      {
        seen.n_pane_events++;
        seen.pane_kills += g_array_index (events, ms_store_event_t, i).oom_kills;
      }
  g_object_run_dispose (G_OBJECT (sampler));
  g_clear_object (&pane);
  /* Its last writes are done once it is gone. */
  g_clear_object (&history);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  g_assert_cmpint (ms_store_read_events (dir, 0, oom_logged_cb, &seen, NULL), ==, 0);
  g_unlink (vmstat_path);
  g_unlink (meminfo);
  g_rmdir (root);
  return seen;
}

/* The first kill since boot (valid readings 0, 0, 1) is one alert, one logged event and one
 * mark; a counter first readable at 5 raises nothing until it rises; one that cannot be read
 * raises nothing.  All from the one derivation on the sampler's worker. */
static void
test_oom_through_worker (void)
{
  static const char *const first_kill[] = { "nr_free_pages 1\noom_kill 0\n", "oom_kill 0\n",
                                            "oom_kill 1\n" };
  static const char *const late[] = { "nr_free_pages 1\n", "oom_kill 5\n", "oom_kill 5\n" };
  static const char *const late_rises[] = { "nr_free_pages 1\n", "oom_kill 5\n", "oom_kill 5\n",
                                            "oom_kill 6\n" };
  static const char *const unreadable[] = { "oom_kill x\n", "", "oom_kill 12abc\n",
                                            "oom_kill\n" };
  OomSeen seen;

  seen = oom_through_worker ("oom-first", first_kill, G_N_ELEMENTS (first_kill));
  g_assert_cmpuint (seen.n_alerts, ==, 1);
  g_assert_cmpuint (seen.alert_kills, ==, 1);
  g_assert_cmpuint (seen.n_pane_events, ==, 1);
  g_assert_cmpuint (seen.pane_kills, ==, 1);
  g_assert_cmpuint (seen.n_marks, ==, 1);
  g_assert_cmpuint (seen.n_logged, ==, 1);

  seen = oom_through_worker ("oom-late", late, G_N_ELEMENTS (late));
  g_assert_cmpuint (seen.n_alerts + seen.n_pane_events + seen.n_marks + seen.n_logged, ==, 0);
  seen = oom_through_worker ("oom-late-rises", late_rises, G_N_ELEMENTS (late_rises));
  g_assert_cmpuint (seen.n_alerts, ==, 1);
  g_assert_cmpuint (seen.alert_kills, ==, 1);
  g_assert_cmpuint (seen.n_pane_events, ==, 1);
  g_assert_cmpuint (seen.n_marks, ==, 1);
  g_assert_cmpuint (seen.n_logged, ==, 1);

  seen = oom_through_worker ("oom-unreadable", unreadable, G_N_ELEMENTS (unreadable));
  g_assert_cmpuint (seen.n_snapshots, ==, G_N_ELEMENTS (unreadable));
  g_assert_cmpuint (seen.n_alerts + seen.n_pane_events + seen.n_marks + seen.n_logged, ==, 0);
}

static GListModel *
members_cb (gpointer item,
            gpointer data)
{
  MemscopeProcessRow *row = item;

  if (!memscope_process_row_get_is_group (row))
    return NULL;
  return g_object_ref (G_LIST_MODEL (memscope_process_row_get_members (row)));
}

/* The window's list is a tree of rows: the export unwraps them, groups included. */
static void
test_export_tree_rows (void)
{
  g_autofree char *path = write_generated_trace ("tree.csv");
  g_autofree char *csv_path = tmp_path ("tree-list.csv");
  g_autoptr (MemscopeRecording) rec = memscope_recording_load (path, NULL, NULL);
  g_autoptr (MemscopeProcessModel) pm = memscope_process_model_new ();
  g_autoptr (GtkTreeListModel) tree = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_groups = 0;

  g_assert_nonnull (rec);
  /* The recording's processes, with the second in the first's group: a group of two at least,
   * and processes alone in theirs (plain rows). */
  {
    MemscopeSnapshot *recorded = memscope_recording_get_snapshot (rec);
    ms_snapshot_t copy = recorded->base;
    g_autofree ms_proc_t *procs = g_memdup2 (copy.procs, copy.n_procs * sizeof *procs);
    g_autoptr (MemscopeSnapshot) grouped = NULL;

    g_assert_cmpuint (copy.n_procs, >=, 3);
    g_strlcpy (procs[1].group, procs[0].group, sizeof procs[1].group);
    copy.procs = procs;
    grouped = memscope_snapshot_new_copy (&copy, recorded->serial + 1);
    memscope_process_model_apply (pm, grouped);
  }
  memscope_process_model_set_grouping (pm, TRUE);
  tree = gtk_tree_list_model_new (g_object_ref (memscope_process_model_get_groups (pm)), FALSE,
                                  FALSE, members_cb, NULL, NULL);
  g_assert_true (memscope_export_rows_csv (G_LIST_MODEL (tree), csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  /* A header, one line per top-level row (a group's pid empty, a plain row's given), the final
   * newline. */
  g_assert_cmpuint (g_strv_length (lines), ==,
                    1 + g_list_model_get_n_items (memscope_process_model_get_groups (pm)) + 1);
  for (guint i = 0; i < g_list_model_get_n_items (memscope_process_model_get_groups (pm)); i++)
    {
      g_autoptr (MemscopeProcessRow) row =
        g_list_model_get_item (memscope_process_model_get_groups (pm), i);

      if (memscope_process_row_get_is_group (row))
        {
          g_assert_true (g_str_has_prefix (lines[1 + i], ",,"));
          n_groups++;
        }
      else
        g_assert_false (g_str_has_prefix (lines[1 + i], ","));
    }
  g_assert_cmpuint (n_groups, >=, 1);
  g_assert_cmpuint (n_groups, <, g_list_model_get_n_items (memscope_process_model_get_groups (pm)));
  g_unlink (csv_path);
  g_unlink (path);
}

static gboolean
pane_points_cb (gpointer data)
{
  return memscope_timeline_get_n_points (memscope_timeline_pane_get_timeline (data)) >= 4;
}

/* Whether a visible label at or below widget reads text. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* In the application's window: the pane is there, its actions are the window's, and activating
 * a blamed process inspects it in the window's panel. */
static void
test_in_window (void)
{
  g_autofree char *dir = tmp_path ("window-state");
  g_autofree char *proc = ms_test_data_path ("app/proc-v2");
  g_autoptr (MemscopeApplication) app = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) accels = NULL;
  MemscopeWindow *win;
  MemscopeTimelinePane *pane;
  MemscopeBlameList *list;
  MemscopeTimelinePoint first, last;
  GtkWidget *view = NULL;
  gulong id;

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", dir);
  settings = g_settings_new (MEMSCOPE_SCHEMA_ID);
  g_settings_set_uint (settings, "refresh-interval-ms", 500);
  app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  win = MEMSCOPE_WINDOW (memscope_application_get_window (app));
  g_assert_nonnull (win);
  /* The shortcuts reach the application even though the window gets it after construction. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-timeline");
  g_assert_cmpstr (accels[0], ==, "<Control>t");
  pane = MEMSCOPE_TIMELINE_PANE (ms_gui_find_widget (GTK_WIDGET (win),
                                                     MEMSCOPE_TYPE_TIMELINE_PANE));
  g_assert_nonnull (pane);
  /* The window shows the application's history, which writes to the state directory. */
  g_assert_true (memscope_timeline_pane_get_history (pane) == memscope_application_get_history (app));
  g_assert_cmpstr (memscope_history_get_dir (memscope_timeline_pane_get_history (pane)), ==, dir);
  /* The window gives the pane the list it exports and the graph "Export Trend Graph" draws. */
  {
    g_autoptr (GListModel) listed = NULL;
    g_autoptr (GtkWidget) graph = NULL;

    g_object_get (pane, "process-list", &listed, "trend-graph", &graph, NULL);
    g_assert_true (listed == G_LIST_MODEL (memscope_window_get_selection (win)));
    g_assert_true (MEMSCOPE_IS_TREND_GRAPH (graph));
  }
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (win), "record-to"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (win), "open-recording"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (win), "export-list"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (win), "stop-recording"));
  ms_gui_wait_until (pane_loaded_cb, pane, 20000, "the window's history");
  ms_gui_wait_until (pane_points_cb, pane, 30000, "four ticks in the window's timeline");

  /* Blame over the first and last points held: the fixture's processes are all there. */
  list = memscope_timeline_pane_get_blame_list (pane);
  computed = FALSE;
  id = g_signal_connect (list, "computed", G_CALLBACK (computed_cb), NULL);
  g_assert_true (memscope_timeline_get_point (memscope_timeline_pane_get_timeline (pane), 0, &first));
  g_assert_true (memscope_timeline_get_point (memscope_timeline_pane_get_timeline (pane),
                                              memscope_timeline_get_n_points (
                                                memscope_timeline_pane_get_timeline (pane)) - 1,
                                              &last));
  memscope_timeline_select (memscope_timeline_pane_get_timeline (pane), first.time_s, last.time_s);
  ms_gui_wait_until (ms_gui_flag_is_set, &computed, 20000, "blame in the window");
  g_signal_handler_disconnect (list, id);
  g_test_message ("%s", memscope_blame_list_get_summary (list));
  g_assert_cmpuint (g_list_model_get_n_items (memscope_blame_list_get_model (list)), >, 2);

  /* Activating the first row inspects that process in the window. */
  view = ms_gui_find_widget (GTK_WIDGET (list), GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (view);
  {
    g_autoptr (MemscopeBlameItem) item = g_list_model_get_item (memscope_blame_list_get_model (list), 0);
    MemscopeProcessRow *inspected;

    g_signal_emit_by_name (view, "activate", 0);
    inspected = memscope_window_get_inspected_row (win);
    g_assert_nonnull (inspected);
    g_assert_cmpint (memscope_process_row_get_pid (inspected), ==, memscope_blame_item_get_pid (item));

    /* Filtered out of the list: not inspected (the pane says why). */
    gtk_widget_activate_action (GTK_WIDGET (win), "win.close-panel", NULL);
    gtk_editable_set_text (memscope_window_get_search_entry (win), "no process is called this");
    MS_GUI_AWAIT (g_list_model_get_n_items (G_LIST_MODEL (memscope_window_get_selection (win))) == 0,
                  MS_GUI_WAIT_MS, "the search to hide every process");
    g_signal_emit_by_name (view, "activate", 0);
    g_assert_null (memscope_window_get_inspected_row (win));
    g_assert_true (shows_label (GTK_WIDGET (pane),
                                "That process has exited or is filtered out of the list"));
    gtk_editable_set_text (memscope_window_get_search_entry (win), "");
  }

  gtk_window_destroy (GTK_WINDOW (win));
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", NULL);
}

static gboolean
window_loaded_cb (gpointer data)
{
  return !memscope_recording_window_get_loading (data);
}

/* A recording of one sample: nothing to draw, and the timeline says why (not that samples are
 * being collected); Escape, typed for real, closes the window. */
static void
test_recording_window_short_and_escape (void)
{
  g_autofree char *path = tmp_path ("one-sample.csv");
  MemscopeRecordingWindow *win;
  gboolean destroyed = FALSE;

  {
    FILE *out = g_fopen (path, "wb");
    ms_trace_writer_t *w;
    ms_snapshot_t snap;
    ms_proc_t procs[16];

    g_assert_nonnull (out);
    w = ms_trace_writer_new (out);
    fill_sample (&snap, procs, 0);
    g_assert_cmpint (ms_trace_writer_sample (w, &snap, 0), ==, 0);
    ms_trace_writer_free (w);
    fclose (out);
  }
  win = memscope_recording_window_new (NULL, path);
  g_signal_connect (win, "destroy", G_CALLBACK (ms_gui_set_flag_cb), &destroyed);
  gtk_window_present (GTK_WINDOW (win));
  ms_gui_wait_until (window_loaded_cb, win, 30000, "the one-sample recording");
  g_assert_null (memscope_recording_window_get_error_text (win));
  g_assert_cmpuint (memscope_timeline_get_n_points (memscope_recording_window_get_timeline (win)),
                    ==, 1);
  g_assert_cmpstr (memscope_timeline_get_empty_text (memscope_recording_window_get_timeline (win)),
                   ==, "Too few samples in this recording to draw");
  g_assert_cmpstr (memscope_timeline_get_empty_text (memscope_recording_window_get_history (win)),
                   ==, "Choose a process to see its recorded history");

  ms_gui_type_keys (GTK_WIDGET (win), "Escape");
  ms_gui_wait_for_flag (&destroyed, 20000, "Escape to close the recording window");

  /* Also with the keyboard in its process list, and over the main window it belongs to. */
  {
    GtkWidget *parent = gtk_window_new ();
    GtkWidget *list;

    gtk_window_present (GTK_WINDOW (parent));
    win = memscope_recording_window_new (NULL, path);
    gtk_window_set_transient_for (GTK_WINDOW (win), GTK_WINDOW (parent));
    destroyed = FALSE;
    g_signal_connect (win, "destroy", G_CALLBACK (ms_gui_set_flag_cb), &destroyed);
    gtk_window_present (GTK_WINDOW (win));
    ms_gui_wait_until (window_loaded_cb, win, 30000, "the recording again");
    list = ms_gui_find_widget (GTK_WIDGET (win), GTK_TYPE_COLUMN_VIEW);
    g_assert_nonnull (list);
    gtk_widget_grab_focus (list);
    ms_gui_type_keys (GTK_WIDGET (win), "Down Escape");
    ms_gui_wait_for_flag (&destroyed, 20000, "Escape in the list to close the window");
    gtk_window_destroy (GTK_WINDOW (parent));
  }
  g_unlink (path);
}

/* Record to offers a name of its own for each recording: the time it starts, to the second. */
static void
test_recording_names (void)
{
  g_autoptr (GDateTime) a = g_date_time_new_local (2026, 12, 6, 14, 30, 5);
  g_autoptr (GDateTime) b = g_date_time_add_seconds (a, 1);
  g_autofree char *name_a = memscope_timeline_pane_dup_recording_name (a);
  g_autofree char *name_b = memscope_timeline_pane_dup_recording_name (b);

  g_assert_cmpstr (name_a, ==, "memscope-recording-2026-12-06-143005.csv");
  g_assert_cmpstr (name_b, ==, "memscope-recording-2026-12-06-143006.csv");
}

static void
test_recording_window (void)
{
  g_autofree char *path = NULL;
  g_autofree char *bad = tmp_path ("window-bad.csv");
  MemscopeRecordingWindow *win;
  g_autofree char *png = NULL;

  steady_grower = TRUE;
  path = write_generated_trace ("window.csv");
  steady_grower = FALSE;
  win = memscope_recording_window_new (NULL, path);
  /* A file is read, not collected: the timeline says so until it is drawn. */
  g_assert_cmpstr (memscope_timeline_get_empty_text (memscope_recording_window_get_timeline (win)),
                   ==, "Reading the recording…");

  gtk_window_present (GTK_WINDOW (win));
  ms_gui_wait_until (window_loaded_cb, win, 30000, "the recording window");
  g_assert_nonnull (memscope_recording_window_get_recording (win));
  g_assert_null (memscope_recording_window_get_error_text (win));
  g_assert_cmpuint (memscope_timeline_get_n_points (memscope_recording_window_get_timeline (win)),
                    ==, N_SAMPLES);
  g_assert_cmpuint (g_list_model_get_n_items (memscope_recording_window_get_processes (win)), ==, 7);
  /* Largest growth first: the grower. */
  {
    g_autoptr (MemscopeProcessRow) first =
      g_list_model_get_item (memscope_recording_window_get_processes (win), 0);

    g_assert_cmpint (memscope_process_row_get_pid (first), ==, 101);
  }
  /* The detector's LEAK on the grower is marked on the timeline. */
  g_assert_cmpuint (memscope_timeline_get_n_marks (memscope_recording_window_get_timeline (win)),
                    ==, 1);
  g_assert_true (memscope_recording_window_show_history (win, 101, 1001));
  g_assert_cmpuint (memscope_timeline_get_n_points (memscope_recording_window_get_history (win)),
                    >=, 100);
  computed = FALSE;
  {
    MemscopeBlameList *list = memscope_recording_window_get_blame_list (win);
    gulong id = g_signal_connect (list, "computed", G_CALLBACK (computed_cb), NULL);

    memscope_timeline_select (memscope_recording_window_get_timeline (win), 10, 20);
    ms_gui_wait_until (ms_gui_flag_is_set, &computed, 20000, "blame in the recording window");
    g_assert_cmpuint (g_list_model_get_n_items (memscope_blame_list_get_model (list)), ==, 5 + 1);
    g_signal_handler_disconnect (list, id);
  }
  ms_gui_pump (10, 300);
  png = g_build_filename (g_getenv ("MS_BUILDDIR") ? g_getenv ("MS_BUILDDIR") : tmpdir,
                          "recording-window.png", NULL);
  g_assert_true (memscope_export_widget_png (gtk_window_get_child (GTK_WINDOW (win)), png, NULL));
  gtk_window_destroy (GTK_WINDOW (win));

  /* A bad file: the banner names the line and the rest stays viewable. */
  {
    g_autofree char *data = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    write_text (bad, data, (gssize) (len - 5));
  }
  win = memscope_recording_window_new (NULL, bad);
  gtk_window_present (GTK_WINDOW (win));
  ms_gui_wait_until (window_loaded_cb, win, 30000, "the bad recording");
  g_assert_nonnull (memscope_recording_window_get_error_text (win));
  g_assert_nonnull (strstr (memscope_recording_window_get_error_text (win), "window-bad.csv:"));
  g_assert_cmpuint (memscope_timeline_get_n_points (memscope_recording_window_get_timeline (win)),
                    ==, N_SAMPLES - 1);
  gtk_window_destroy (GTK_WINDOW (win));

  /* A file that is not there: the banner says so, nothing crashes. */
  {
    g_autofree char *missing = tmp_path ("missing.csv");

    win = memscope_recording_window_new (NULL, missing);
    ms_gui_wait_until (window_loaded_cb, win, 30000, "the missing recording");
    g_assert_nonnull (strstr (memscope_recording_window_get_error_text (win), "cannot open"));
    g_assert_cmpstr (memscope_timeline_get_empty_text (memscope_recording_window_get_timeline (win)),
                     ==, "Nothing to show: the recording could not be read");
    gtk_window_destroy (GTK_WINDOW (win));
  }
  g_unlink (bad);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  GtkWidget *box;
  int rc;

  ms_gui_allow_list_scroll_warning ();
  gtk_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("ms-timeline-XXXXXX", &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), WINDOW_TITLE);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  timeline = MEMSCOPE_TIMELINE (memscope_timeline_new ());
  gtk_widget_set_size_request (GTK_WIDGET (timeline), -1, 200);
  blame_list = MEMSCOPE_BLAME_LIST (memscope_blame_list_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (blame_list), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (timeline));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (blame_list));
  gtk_window_set_child (GTK_WINDOW (window), box);
  g_signal_connect (blame_list, "computed", G_CALLBACK (computed_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/timeline/blame-matches-probe", test_blame_matches_probe);
  g_test_add_func ("/timeline/blame-over-store", test_blame_over_store);
  g_test_add_func ("/timeline/malformed", test_malformed);
  g_test_add_func ("/timeline/record-open-round-trip", test_record_open_round_trip);
  g_test_add_func ("/timeline/load-async-progress-cancel", test_load_async_progress_cancel);
  g_test_add_func ("/timeline/keys-and-export", test_timeline_keys_and_export);
  g_test_add_func ("/timeline/bounded", test_timeline_bounded);
  g_test_add_func ("/timeline/recording-points-bounded", test_recording_points_bounded);
  g_test_add_func ("/timeline/pane-restart-and-record", test_pane_restart_and_record);
  g_test_add_func ("/timeline/recording-window", test_recording_window);
  g_test_add_func ("/timeline/recording-window-short-and-escape",
                   test_recording_window_short_and_escape);
  g_test_add_func ("/timeline/recording-names", test_recording_names);
  g_test_add_func ("/timeline/pane-live-sampler", test_pane_live_sampler);
  g_test_add_func ("/timeline/oom-through-worker", test_oom_through_worker);
  g_test_add_func ("/timeline/export-tree-rows", test_export_tree_rows);
  g_test_add_func ("/timeline/in-window", test_in_window);
  rc = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint k = 0; k < 8; k++)
  {
    const char *names[] = { "state", "pane-state", "live-state", "window-state", "oom-first",
                            "oom-late", "oom-late-rises", "oom-unreadable" };
    g_autofree char *state = tmp_path (names[k]);
    g_autoptr (GDir) d = g_dir_open (state, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (state, name, NULL);

        g_unlink (p);
      }
    g_rmdir (state);
  }
  g_rmdir (tmpdir);
  return rc;
}
