/* SPDX-License-Identifier: MIT */
/* The history service without a window: the real sampler on a fixture proc tree feeds it, its
 * worker writes the rolling recording and the events log, and a host's history stays apart. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "memscope-history-private.h"
#include "memscope-sampler-thread.h"
#include "memscope-seams-private.h"
#include "ms-test.h"
#include "store.h"

#define ZOMBIE_PID 600   /* tests/data/app/proc-v2: "defunct-child", state Z */
#define WAIT_MS 10000    /* what the history promises: samples and events on disk within 10 s */
#define WATCHDOG_MS 60000

/* Runs the main loop until done (data) holds or deadline_us (monotonic) passes. */
static gboolean
loop_until (gboolean (*done) (gpointer data),
            gpointer  data,
            gint64    deadline_us)
{
  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline_us)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
  return TRUE;
}

static int
count_sample_cb (ms_snapshot_t *snap,
                 void          *user)
{
  (*(guint *) user)++;
  return 0;
}

static guint
n_stored_samples (const char *dir)
{
  guint n = 0;
  char err[512];

  ms_store_read (dir, 0, INFINITY, count_sample_cb, &n, NULL, err, sizeof err);
  return n;
}

static int
find_zombie_cb (const ms_store_event_t *ev,
                void                   *user)
{
  if (ev->event.pid == ZOMBIE_PID && ev->event.tag == MS_TAG_ZOMBIE && ev->event.set)
    {
      *(gboolean *) user = TRUE;
      return 1;
    }
  return 0;
}

static gboolean
zombie_logged (const char *dir)
{
  gboolean found = FALSE;

  ms_store_read_events (dir, 0, find_zombie_cb, &found, NULL);
  return found;
}

static gboolean
any_segment_in (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".csv") || g_str_has_prefix (name, "events"))
      return TRUE;
  return FALSE;
}

typedef struct
{
  char *dir;
  MemscopeHistory *history;
  gint64 zombie_tag_us; /* when a snapshot first carried the ZOMBIE tag, 0 before */
  const char *want_error; /* error_changed: this error, "" for any, NULL for none */
} Run;

static void
snapshot_cb (MemscopeSamplerThread *sampler,
             MemscopeSnapshot      *snapshot,
             Run                   *run)
{
  for (gsize i = 0; i < snapshot->base.n_procs && run->zombie_tag_us == 0; i++)
    if (snapshot->base.procs[i].pid == ZOMBIE_PID
        && (snapshot->base.procs[i].tags & MS_TAG_ZOMBIE))
      run->zombie_tag_us = g_get_monotonic_time ();
}

static gboolean
samples_on_disk (gpointer data)
{
  Run *run = data;

  return n_stored_samples (run->dir) > 0;
}

static gboolean
zombie_tagged (gpointer data)
{
  return ((Run *) data)->zombie_tag_us != 0;
}

static gboolean
zombie_on_disk (gpointer data)
{
  return zombie_logged (((Run *) data)->dir);
}

static gboolean
history_loaded (gpointer data)
{
  return memscope_history_get_loaded (((Run *) data)->history);
}

/* No window anywhere: from a fresh directory, samples reach the disk within 10 s, and the ZOMBIE
 * the detector finds in the fixture (an unreaped child) is in the events log within 10 s of its
 * tag and in the history's events in memory. */
static void
test_fresh_dir_records (void)
{
  g_autofree char *proc = ms_test_data_path ("app/proc-v2");
  g_autofree char *base = g_dir_make_tmp ("memscope-history-XXXXXX", NULL);
  g_autoptr (MemscopeSamplerThread) sampler = NULL;
  Run run = { 0 };
  gint64 start_us;
  GArray *events, *points;
  gboolean in_memory = FALSE;

  g_assert_nonnull (base);
  /* Not there yet: the history makes it. */
  run.dir = g_build_filename (base, "state", "memscope", NULL);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", proc);
  sampler = memscope_sampler_thread_new ();
  memscope_sampler_thread_set_interval_ms (sampler, 250);
  g_signal_connect (sampler, "snapshot", G_CALLBACK (snapshot_cb), &run);
  run.history = memscope_history_new (sampler, run.dir);
  g_assert_cmpstr (memscope_history_get_dir (run.history), ==, run.dir);
  start_us = g_get_monotonic_time ();
  memscope_sampler_thread_start (sampler);

  g_assert_true (loop_until (samples_on_disk, &run, start_us + WAIT_MS * 1000));
  g_assert_true (loop_until (history_loaded, &run, start_us + WAIT_MS * 1000));
  g_assert_null (memscope_history_get_error (run.history));
  g_assert_true (loop_until (zombie_tagged, &run, start_us + WATCHDOG_MS * 1000));
  g_assert_true (loop_until (zombie_on_disk, &run, run.zombie_tag_us + WAIT_MS * 1000));

  events = memscope_history_get_events (run.history);
  for (guint i = 0; i < events->len; i++)
    {
      const ms_store_event_t *ev = &g_array_index (events, ms_store_event_t, i);

      in_memory |= ev->event.pid == ZOMBIE_PID && ev->event.tag == MS_TAG_ZOMBIE;
    }
  g_assert_true (in_memory);
  points = memscope_history_get_points (run.history);
  g_assert_cmpuint (points->len, >=, 2);
  /* On the wall clock, as the store keeps them. */
  g_assert_cmpfloat (fabs (g_array_index (points, MemscopeTimelinePoint, points->len - 1).time_s
                           - (double) g_get_real_time () / 1e6), <, 60);

  g_object_run_dispose (G_OBJECT (sampler));
  g_clear_object (&run.history);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_SYS_ROOT", NULL);
  ms_test_remove_tree (base);
  g_free (run.dir);
}

/* A second run reads back what the first wrote: the points of the last hour and the events. */
static void
test_next_run_reads_back (void)
{
  g_autofree char *base = g_dir_make_tmp ("memscope-history-XXXXXX", NULL);
  g_autoptr (MemscopeSnapshot) snapshot = NULL;
  ms_snapshot_t snap = { 0 };
  ms_proc_t proc = { 0 };
  Run run = { 0 };
  double now = (double) g_get_real_time () / 1e6;
  GArray *events;

  run.dir = g_build_filename (base, "memscope", NULL);
  run.history = memscope_history_new (NULL, run.dir);
  /* A tick before the read-back is in: kept, after what earlier runs left. */
  proc.pid = 77;
  proc.starttime = 5;
  g_strlcpy (proc.comm, "grower", sizeof proc.comm);
  snap.procs = &proc;
  snap.n_procs = 1;
  snap.mem.mem_total_kib = 1 << 20;
  snap.mem.mem_available_kib = 1 << 19;
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (MemscopeSnapshot) copy = NULL;

      snap.time_s = i;
      snap.time_unix = now - 10 + i;
      proc.tags = i == 1 ? MS_TAG_LEAK : 0;
      copy = memscope_snapshot_new_copy (&snap, (guint64) i + 1);
      if (i > 0)
        {
          /* The detector's events, as the sampler's worker attaches them. */
          ms_event_t ev = { 0 };

          ev.time_s = i;
          ev.pid = proc.pid;
          ev.starttime = proc.starttime;
          g_strlcpy (ev.comm, proc.comm, sizeof ev.comm);
          ev.tag = MS_TAG_LEAK;
          ev.set = i == 1;
          ev.rate_kib_s = ev.duration_s = ev.confidence = ev.exhaust_s = ev.jump_kib = NAN;
          copy->events = g_array_new (FALSE, FALSE, sizeof (ms_event_t));
          g_array_append_val (copy->events, ev);
        }
      memscope_history_add (run.history, copy);
    }
  /* LEAK set and cleared: the snapshots' events, logged as they came. */
  g_assert_cmpuint (memscope_history_get_events (run.history)->len, ==, 2);
  g_assert_true (loop_until (history_loaded, &run, g_get_monotonic_time () + WAIT_MS * 1000));
  g_assert_cmpuint (memscope_history_get_points (run.history)->len, ==, 3);
  g_clear_object (&run.history);

  run.history = memscope_history_new (NULL, run.dir);
  g_assert_true (loop_until (history_loaded, &run, g_get_monotonic_time () + WAIT_MS * 1000));
  g_assert_cmpuint (memscope_history_get_points (run.history)->len, ==, 3);
  /* The store keeps milliseconds. */
  g_assert_cmpfloat_with_epsilon (g_array_index (memscope_history_get_points (run.history),
                                                 MemscopeTimelinePoint, 0).time_s, now - 10, 0.002);
  events = memscope_history_get_events (run.history);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (g_array_index (events, ms_store_event_t, 0).event.comm, ==, "grower");
  g_assert_true (g_array_index (events, ms_store_event_t, 0).event.set);
  g_assert_false (g_array_index (events, ms_store_event_t, 1).event.set);
  g_clear_object (&run.history);
  ms_test_remove_tree (base);
  g_free (run.dir);
}

/* With no directory the history lives in memory: loaded at once, its points kept. */
static void
test_memory_only (void)
{
  Run run = { 0 };
  ms_snapshot_t snap = { 0 };
  g_autoptr (MemscopeSnapshot) copy = NULL;

  run.history = memscope_history_new (NULL, NULL);
  g_assert_null (memscope_history_get_dir (run.history));
  g_assert_true (loop_until (history_loaded, &run, g_get_monotonic_time () + WAIT_MS * 1000));
  snap.time_unix = (double) g_get_real_time () / 1e6;
  copy = memscope_snapshot_new_copy (&snap, 1);
  memscope_history_add (run.history, copy);
  memscope_history_flush (run.history);
  g_assert_cmpuint (memscope_history_get_points (run.history)->len, ==, 1);
  g_clear_object (&run.history);
}

static gboolean
host_samples_on_disk (gpointer data)
{
  return n_stored_samples (data) > 0;
}

/* Sampling the host through a probe (as inside a Flatpak): its history goes to the state
 * directory's "host" subdirectory, and nothing of it to the state directory itself. */
static void
test_host_apart (void)
{
  const char *probe = g_getenv ("MS_PROBE");
  g_autofree char *proc = ms_test_data_path ("app/proc-v2");
  g_autofree char *base = g_dir_make_tmp ("memscope-history-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (base, "memscope", NULL);
  g_autofree char *host_dir = g_build_filename (state, "host", NULL);
  g_autofree char *dir = NULL;
  g_autoptr (MemscopeSamplerThread) sampler = NULL;
  g_autoptr (MemscopeHistory) history = NULL;
  g_autofree char *saved_state = g_strdup (g_getenv ("MEMSCOPE_STATE_DIR"));

  g_assert_nonnull (probe);
  /* The host source hands the fixture to the probe it starts. */
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", probe);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", proc);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", state);
  sampler = memscope_sampler_thread_new ();
  memscope_sampler_thread_set_interval_ms (sampler, 250);
  memscope_sampler_thread_start (sampler);
  g_assert_nonnull (memscope_sampler_thread_get_host_source (sampler));
  dir = memscope_history_dir_for (sampler);
  g_assert_cmpstr (dir, ==, host_dir);
  history = memscope_history_new (sampler, dir);
  g_assert_true (loop_until (host_samples_on_disk, host_dir,
                             g_get_monotonic_time () + WATCHDOG_MS * 1000));
  g_assert_false (any_segment_in (state));

  g_object_run_dispose (G_OBJECT (sampler));
  g_clear_object (&history);
  g_assert_false (any_segment_in (state));
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", NULL);
  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  memscope_seams_set ("MEMSCOPE_STATE_DIR", saved_state);
  ms_test_remove_tree (base);
}

/* Without a probe the sampled machine is this one: the state directory itself. */
static void
test_local_dir (void)
{
  g_autoptr (MemscopeSamplerThread) sampler = memscope_sampler_thread_new ();
  g_autofree char *dir = memscope_history_dir_for (sampler);
  g_autofree char *state = memscope_state_dir ();

  g_assert_cmpstr (dir, ==, state);
  g_assert_cmpstr (state, ==, g_getenv ("MEMSCOPE_STATE_DIR"));
}

static gboolean
error_changed (gpointer data)
{
  Run *run = data;
  const char *error = memscope_history_get_error (run->history);

  if (run->want_error != NULL && run->want_error[0] == '\0')
    return error != NULL;
  return g_strcmp0 (error, run->want_error) == 0;
}

/* A sample that cannot be stored (here its segment's names are taken by directories) is said
 * through the history's error, as a message rather than a warning (which would end this test:
 * warnings are fatal here), and the error goes once a later sample is stored. */
static void
test_store_failure_said (void)
{
  g_autofree char *base = g_dir_make_tmp ("memscope-history-XXXXXX", NULL);
  ms_snapshot_t snap = { 0 };
  Run run = { 0 };
  /* Ten seconds into the last minute: both samples in one minute of the coarse tier, which
   * writes a minute's sample only when the next minute begins. */
  double t = floor ((double) g_get_real_time () / 60e6) * 60 - 50;
  const char *tiers[] = { "fine-", "coarse-" };

  run.dir = g_build_filename (base, "memscope", NULL);
  g_assert_cmpint (g_mkdir_with_parents (run.dir, 0700), ==, 0);
  /* Both names the store tries for a segment starting at t (t and, taken, t + 1 ms). */
  for (guint i = 0; i < G_N_ELEMENTS (tiers) * 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s%015" G_GINT64_FORMAT ".csv", tiers[i / 2],
                                               (gint64) (t * 1000) + i % 2);
      g_autofree char *taken = g_build_filename (run.dir, name, NULL);

      g_assert_cmpint (g_mkdir (taken, 0700), ==, 0);
    }
  run.history = memscope_history_new (NULL, run.dir);
  g_assert_true (loop_until (history_loaded, &run, g_get_monotonic_time () + WAIT_MS * 1000));
  g_assert_null (memscope_history_get_error (run.history));
  snap.mem.mem_total_kib = 1 << 20;
  snap.mem.mem_available_kib = 1 << 19;
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (MemscopeSnapshot) copy = NULL;

      snap.time_s = i;
      snap.time_unix = t + i;
      copy = memscope_snapshot_new_copy (&snap, (guint64) i + 1);
      memscope_history_add (run.history, copy);
      memscope_history_flush (run.history);
      run.want_error = i == 0 ? "" : NULL;
      if (!loop_until (error_changed, &run, g_get_monotonic_time () + WAIT_MS * 1000))
        g_error ("after sample %d the history's error is %s", i,
                 memscope_history_get_error (run.history));
      if (i == 0)
        g_test_message ("said: %s", memscope_history_get_error (run.history));
    }
  g_assert_cmpuint (n_stored_samples (run.dir), ==, 1);
  g_clear_object (&run.history);
  ms_test_remove_tree (base);
  g_free (run.dir);
}

int
main (int   argc,
      char *argv[])
{
  ms_test_ignore_sigpipe ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history/fresh-dir-records", test_fresh_dir_records);
  g_test_add_func ("/history/next-run-reads-back", test_next_run_reads_back);
  g_test_add_func ("/history/memory-only", test_memory_only);
  g_test_add_func ("/history/host-apart", test_host_apart);
  g_test_add_func ("/history/local-dir", test_local_dir);
  g_test_add_func ("/history/store-failure-said", test_store_failure_said);

  return g_test_run ();
}
