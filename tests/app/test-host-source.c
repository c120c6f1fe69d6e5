/* SPDX-License-Identifier: MIT */
/* The host source against a real memscope-probe stream and a fake probe that writes bad frames:
 * normal stream, requests, a probe killed mid-stream, corrupt, truncated and unframed output, a
 * probe of another protocol version and one that cannot start; baselines restored (1.2). */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memscope-host-source.h"
#include "memscope-seams-private.h"
#include "ms-test.h"

#define WAIT_S 15

typedef struct
{
  MemscopeHostSource *source;
  GPtrArray *snapshots; /* MemscopeSnapshot * */
} Fixture;

static void
snapshot_cb (MemscopeHostSource *source,
             MemscopeSnapshot   *snapshot,
             Fixture            *fx)
{
  g_ptr_array_add (fx->snapshots, memscope_snapshot_ref (snapshot));
}

static void
fixture_init (Fixture            *fx,
              const char * const *argv)
{
  memset (fx, 0, sizeof *fx);
  fx->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) memscope_snapshot_unref);
  fx->source = memscope_host_source_new_for_argv (argv);
  g_signal_connect (fx->source, "snapshot", G_CALLBACK (snapshot_cb), fx);
  memscope_host_source_set_interval_ms (fx->source, 200);
  memscope_host_source_start (fx->source);
}

static void
fixture_clear (Fixture *fx)
{
  g_clear_object (&fx->source);
  g_ptr_array_unref (fx->snapshots);
}

typedef gboolean (*Condition) (Fixture *fx, gpointer data);

static gboolean
wait_for (Fixture   *fx,
          Condition  condition,
          gpointer   data)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!condition (fx, data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

static gboolean
has_snapshots_cb (Fixture *fx,
                  gpointer data)
{
  return fx->snapshots->len >= GPOINTER_TO_UINT (data);
}

static gboolean
in_state_cb (Fixture *fx,
             gpointer data)
{
  return memscope_host_source_get_state (fx->source) == (MemscopeHostState) GPOINTER_TO_UINT (data);
}

static char *
probe_path (void)
{
  const char *probe = g_getenv ("MS_PROBE");

  g_assert_nonnull (probe);
  return g_strdup (probe);
}

static const ms_proc_t *
find_proc (MemscopeSnapshot *snapshot,
           gint32            pid)
{
  for (gsize i = 0; i < snapshot->base.n_procs; i++)
    if (snapshot->base.procs[i].pid == pid)
      return &snapshot->base.procs[i];
  return NULL;
}

/* A fixture proc tree: the snapshot carries what the sampler reads, grouping key included. */
static void
test_normal_stream (void)
{
  g_autofree char *probe = probe_path ();
  g_autofree char *root = ms_test_data_path ("app/proc-v2");
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  const char *argv[] = { probe, "stream", "--proc-root", root, "--passwd", passwd, NULL };
  Fixture fx;
  MemscopeSnapshot *first, *second;
  const ms_proc_t *firefox;

  fixture_init (&fx, argv);
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_STARTING);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (2)));
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_RUNNING);
  g_assert_null (memscope_host_source_get_error (fx.source));
  g_assert_true (g_str_has_prefix (memscope_host_source_get_peer (fx.source), "memscope-probe "));
  g_assert_cmpuint (memscope_host_source_get_n_bad_frames (fx.source), ==, 0);

  first = g_ptr_array_index (fx.snapshots, 0);
  second = g_ptr_array_index (fx.snapshots, 1);
  g_assert_cmpuint (second->serial, >, first->serial);
  g_assert_cmpint (first->base.mem.mem_total_kib, >, 0);
  g_assert_cmpuint (first->base.n_procs, >, 10);
  firefox = find_proc (second, 200);
  g_assert_nonnull (firefox);
  g_assert_cmpstr (firefox->comm, ==, "firefox");
  g_assert_cmpstr (firefox->group, !=, "");
  g_assert_cmpint (firefox->rss_kib, >, 0);
  /* 1.1: the tree's counter reads 0, a reading like any other. */
  g_assert_true (first->base.oom_counter.valid);
  g_assert_cmpuint (first->base.oom_counter.count, ==, 0);

  /* Requests are accepted without an error frame. */
  memscope_host_source_reset_baseline (fx.source, 0, 0);
  memscope_host_source_set_pss_priority (fx.source, 200, firefox->starttime);
  memscope_host_source_set_interval_ms (fx.source, 150);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (4)));
  g_assert_null (memscope_host_source_get_problem (fx.source));

  memscope_host_source_stop (fx.source);
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_STOPPED);
  g_assert_cmpuint (memscope_host_source_get_probe_pid (fx.source), ==, 0);
  fixture_clear (&fx);
}

typedef struct
{
  gboolean done;
  GError *error;
  ms_smaps_groups_t *groups;
  gboolean ok;
} Reply;

static gboolean
reply_done_cb (Fixture *fx,
               gpointer data)
{
  return ((Reply *) data)->done;
}

static void
smaps_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Reply *reply = data;

  reply->groups = memscope_host_source_read_smaps_groups_finish (MEMSCOPE_HOST_SOURCE (object),
                                                                 result, &reply->error);
  reply->done = TRUE;
}

static void
signal_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  Reply *reply = data;

  reply->ok = memscope_host_source_send_signal_finish (MEMSCOPE_HOST_SOURCE (object), result,
                                                       &reply->error);
  reply->done = TRUE;
}

static void
reply_clear (Reply *reply)
{
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->groups, memscope_host_smaps_groups_free);
  memset (reply, 0, sizeof *reply);
}

/* The real /proc: grouped smaps of this test and signals to a child, through the probe. */
static void
test_requests (void)
{
  g_autofree char *probe = probe_path ();
  const char *argv[] = { probe, "stream", NULL };
  const char *sleeper_argv[] = { "sleep", "60", NULL };
  Fixture fx;
  Reply reply = { 0 };
  GPid sleeper;
  guint64 sleeper_start;
  int status = 0;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (1)));

  memscope_host_source_read_smaps_groups (fx.source, getpid (), ms_test_starttime_of (getpid ()), NULL,
                                          smaps_done_cb, &reply);
  g_assert_true (wait_for (&fx, reply_done_cb, &reply));
  g_assert_no_error (reply.error);
  g_assert_nonnull (reply.groups);
  g_assert_cmpuint (reply.groups->n_groups, >, 2);
  g_assert_cmpint (reply.groups->total.rss_kib, >, 0);
  reply_clear (&reply);

  /* A wrong starttime is another process: refused, not signalled. */
  g_assert_true (g_spawn_async (NULL, (char **) sleeper_argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &sleeper, NULL));
  sleeper_start = ms_test_starttime_of (sleeper);
  memscope_host_source_send_signal (fx.source, sleeper, sleeper_start + 1, SIGTERM, NULL,
                                    signal_done_cb, &reply);
  g_assert_true (wait_for (&fx, reply_done_cb, &reply));
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (reply.ok);
  g_assert_cmpint (waitpid (sleeper, &status, WNOHANG), ==, 0);
  reply_clear (&reply);

  memscope_host_source_send_signal (fx.source, sleeper, sleeper_start, SIGTERM, NULL,
                                    signal_done_cb, &reply);
  g_assert_true (wait_for (&fx, reply_done_cb, &reply));
  g_assert_no_error (reply.error);
  g_assert_true (reply.ok);
  g_assert_cmpint (waitpid (sleeper, &status, 0), ==, sleeper);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
  reply_clear (&reply);

  /* Signals the protocol does not carry are refused before anything is sent. */
  memscope_host_source_send_signal (fx.source, getpid (), ms_test_starttime_of (getpid ()), SIGUSR1,
                                    NULL, signal_done_cb, &reply);
  g_assert_true (wait_for (&fx, reply_done_cb, &reply));
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  reply_clear (&reply);

  fixture_clear (&fx);
}

/* Killed mid-stream: the failure is reported, a pending request fails, the probe comes back. */
static void
test_killed (void)
{
  g_autofree char *probe = probe_path ();
  const char *argv[] = { probe, "stream", NULL };
  Fixture fx;
  Reply reply = { 0 };
  guint pid, n_before;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (1)));
  pid = memscope_host_source_get_probe_pid (fx.source);
  g_assert_cmpuint (pid, >, 0);

  g_assert_cmpint (kill ((pid_t) pid, SIGKILL), ==, 0);
  /* Dead before the request leaves: the request must fail, not hang. */
  g_usleep (100 * 1000);
  memscope_host_source_read_smaps_groups (fx.source, getpid (), ms_test_starttime_of (getpid ()), NULL,
                                          smaps_done_cb, &reply);
  g_assert_true (wait_for (&fx, in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_FAILED)));
  g_assert_true (reply.done);
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  reply_clear (&reply);
  g_assert_nonnull (strstr (memscope_host_source_get_error (fx.source), "signal 9"));
  g_assert_cmpuint (memscope_host_source_get_retry_delay_s (fx.source), ==, 1);
  g_assert_cmpuint (memscope_host_source_get_n_starts (fx.source), ==, 1);

  n_before = fx.snapshots->len;
  g_assert_true (wait_for (&fx, in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_RUNNING)));
  g_assert_cmpuint (memscope_host_source_get_n_starts (fx.source), ==, 2);
  g_assert_null (memscope_host_source_get_error (fx.source));
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (n_before + 1)));
  g_assert_cmpuint (memscope_host_source_get_probe_pid (fx.source), !=, pid);
  fixture_clear (&fx);
}

static char *
fake_probe_path (void)
{
  const char *fake = g_getenv ("MS_FAKE_PROBE");

  g_assert_nonnull (fake);
  return g_strdup (fake);
}

/* A frame that cannot be decoded is skipped and named; the stream goes on. */
static void
test_corrupt (void)
{
  g_autofree char *fake = fake_probe_path ();
  const char *argv[] = { fake, "corrupt", NULL };
  Fixture fx;
  MemscopeSnapshot *second;
  const ms_proc_t *beta;
  const char *problem;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (2)));
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_RUNNING);
  g_assert_cmpuint (memscope_host_source_get_n_bad_frames (fx.source), ==, 1);
  problem = memscope_host_source_get_problem (fx.source);
  g_assert_nonnull (problem);
  g_assert_true (g_str_has_prefix (problem, "frame 4 (snapshot)"));
  g_assert_cmpuint (fx.snapshots->len, ==, 2);
  g_assert_nonnull (find_proc (g_ptr_array_index (fx.snapshots, 0), 4242));

  /* The probe's tags pass through as it sent them; its events frame is read and set aside
   * (not a bad frame): tags, events and words are made on the sampler's worker, from its own
   * detector, in the user's language. */
  second = g_ptr_array_index (fx.snapshots, 1);
  beta = find_proc (second, 4343);
  g_assert_nonnull (beta);
  g_assert_cmpuint (beta->tags, ==, MS_TAG_LEAK);
  g_assert_null (memscope_snapshot_get_explanation (second, 0));
  g_assert_null (second->events);
  fixture_clear (&fx);
}

/* Replies come from the probe, not from this side's /proc: a made-up group for a pid that does
 * not exist here, and the host's refusal of a signal. */
static void
test_replies_from_probe (void)
{
  g_autofree char *fake = fake_probe_path ();
  const char *argv[] = { fake, "answers", NULL };
  Fixture fx;
  Reply reply = { 0 };

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (1)));
  memscope_host_source_read_smaps_groups (fx.source, 999999, 77, NULL, smaps_done_cb, &reply);
  g_assert_true (wait_for (&fx, reply_done_cb, &reply));
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.groups->n_groups, ==, 1);
  g_assert_cmpstr (reply.groups->groups[0].name, ==, "[heap]");
  g_assert_cmpint (reply.groups->groups[0].rss_kib, ==, 4242);
  reply_clear (&reply);

  memscope_host_source_send_signal (fx.source, 999999, 77, SIGKILL, NULL, signal_done_cb, &reply);
  g_assert_true (wait_for (&fx, reply_done_cb, &reply));
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  reply_clear (&reply);
  fixture_clear (&fx);
}

/* Cut off mid-frame: what came before is kept and the cut is named. */
static void
test_truncated (void)
{
  g_autofree char *fake = fake_probe_path ();
  const char *argv[] = { fake, "truncated", NULL };
  Fixture fx;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_FAILED)));
  g_assert_cmpuint (fx.snapshots->len, ==, 1);
  g_assert_nonnull (strstr (memscope_host_source_get_error (fx.source),
                            "frame 4: the stream ended after 100 of its 500 bytes"));
  g_assert_cmpuint (memscope_host_source_get_retry_delay_s (fx.source), ==, 1);
  fixture_clear (&fx);
}

/* A length of 0: the framing is lost, the probe is ended and the failure says why. */
static void
test_framing_lost (void)
{
  g_autofree char *fake = fake_probe_path ();
  const char *argv[] = { fake, "framing", NULL };
  Fixture fx;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_FAILED)));
  g_assert_cmpuint (fx.snapshots->len, ==, 1);
  g_assert_nonnull (strstr (memscope_host_source_get_error (fx.source),
                            "cannot be followed any more: frame 4"));
  fixture_clear (&fx);
}

/* A probe of protocol 1.0 (the real one told to speak it): its snapshots, one byte shorter, are
 * understood; its counter of 0 means what 1.0 said (unknown); requests are answered. */
static void
test_probe_1_0 (void)
{
  g_autofree char *probe = probe_path ();
  g_autofree char *root = ms_test_data_path ("app/proc-v2");
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  const char *argv[] = { probe, "stream", "--announce-version", "1.0", "--proc-root", root,
                         "--passwd", passwd, NULL };
  Fixture fx;
  MemscopeSnapshot *snapshot;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (2)));
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_RUNNING);
  g_assert_null (memscope_host_source_get_error (fx.source));
  g_assert_cmpuint (memscope_host_source_get_n_bad_frames (fx.source), ==, 0);
  snapshot = g_ptr_array_index (fx.snapshots, 1);
  g_assert_nonnull (find_proc (snapshot, 200));
  g_assert_cmpstr (find_proc (snapshot, 200)->comm, ==, "firefox");
  g_assert_false (snapshot->base.oom_counter.valid);

  memscope_host_source_set_interval_ms (fx.source, 150);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (4)));
  g_assert_null (memscope_host_source_get_problem (fx.source));
  g_assert_cmpuint (memscope_host_source_get_n_bad_frames (fx.source), ==, 0);
  fixture_clear (&fx);
}

static gboolean
latest_delta_cb (Fixture *fx,
                 gpointer data)
{
  const ms_proc_t *proc;

  if (fx->snapshots->len == 0)
    return FALSE;
  proc = find_proc (g_ptr_array_index (fx->snapshots, fx->snapshots->len - 1), 200);
  return proc != NULL && proc->delta_kib == GPOINTER_TO_INT (data);
}

/* Protocol 1.2: baselines go back to the probe in one request and its snapshots carry them; a
 * probe speaking 1.1 is not sent one (the window then offers no undo). */
static void
test_restore_baselines (void)
{
  g_autofree char *probe = probe_path ();
  g_autofree char *root = ms_test_data_path ("app/proc-v2");
  g_autofree char *passwd = ms_test_data_path ("app/passwd");
  const char *argv[] = { probe, "stream", "--proc-root", root, "--passwd", passwd, NULL };
  const char *argv_11[] = { probe, "stream", "--announce-version", "1.1", "--proc-root", root,
                            "--passwd", passwd, NULL };
  Fixture fx;
  const ms_proc_t *firefox;
  ms_baseline_t baseline;
  guint n;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (1)));
  g_assert_true (memscope_host_source_can_restore_baselines (fx.source));
  firefox = find_proc (g_ptr_array_index (fx.snapshots, 0), 200);
  g_assert_nonnull (firefox);
  g_assert_cmpint (firefox->delta_kib, ==, 0);
  baseline = (ms_baseline_t) { 200, firefox->starttime, firefox->footprint_kib - 1000 };
  g_assert_true (memscope_host_source_restore_baselines (fx.source, &baseline, 1));
  g_assert_true (wait_for (&fx, latest_delta_cb, GINT_TO_POINTER (1000)));
  memscope_host_source_reset_baseline (fx.source, 0, 0);
  g_assert_true (wait_for (&fx, latest_delta_cb, GINT_TO_POINTER (0)));
  g_assert_cmpuint (memscope_host_source_get_n_bad_frames (fx.source), ==, 0);
  fixture_clear (&fx);

  fixture_init (&fx, argv_11);
  g_assert_false (memscope_host_source_can_restore_baselines (fx.source)); /* not started yet */
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (1)));
  g_assert_false (memscope_host_source_can_restore_baselines (fx.source));
  g_assert_false (memscope_host_source_restore_baselines (fx.source, &baseline, 1));
  n = fx.snapshots->len;
  g_assert_true (wait_for (&fx, has_snapshots_cb, GUINT_TO_POINTER (n + 2)));
  g_assert_true (latest_delta_cb (&fx, GINT_TO_POINTER (0)));
  g_assert_null (memscope_host_source_get_problem (fx.source));
  g_assert_cmpuint (memscope_host_source_get_n_bad_frames (fx.source), ==, 0);
  fixture_clear (&fx);
}

/* Another major version: nothing is decoded, and restarting the same probe is not attempted. */
static void
test_other_version (void)
{
  g_autofree char *probe = probe_path ();
  const char *argv[] = { probe, "stream", "--announce-version", "9.0", NULL };
  Fixture fx;
  gint64 until;

  fixture_init (&fx, argv);
  g_assert_true (wait_for (&fx, in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_FAILED)));
  g_assert_nonnull (strstr (memscope_host_source_get_error (fx.source), "9.0"));
  g_assert_nonnull (strstr (memscope_host_source_get_error (fx.source), "protocol version"));
  g_assert_cmpuint (memscope_host_source_get_retry_delay_s (fx.source), ==, 0);
  until = g_get_monotonic_time () + 1500 * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpuint (fx.snapshots->len, ==, 0);
  g_assert_cmpuint (memscope_host_source_get_n_starts (fx.source), ==, 1);

  /* Retry is still offered: the user may have installed a matching probe meanwhile. */
  memscope_host_source_retry (fx.source);
  g_assert_cmpuint (memscope_host_source_get_n_starts (fx.source), ==, 2);
  g_assert_true (wait_for (&fx, in_state_cb, GUINT_TO_POINTER (MEMSCOPE_HOST_STATE_FAILED)));
  fixture_clear (&fx);
}

static gboolean
started_twice_cb (Fixture *fx,
                  gpointer data)
{
  return memscope_host_source_get_n_starts (fx->source) >= 2;
}

/* A probe that cannot be run: said plainly, retried with a growing delay. */
static void
test_cannot_start (void)
{
  g_autofree char *missing = ms_test_data_path ("no-such-dir/memscope-probe");
  const char *argv[] = { missing, "stream", NULL };
  Fixture fx;

  fixture_init (&fx, argv);
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_FAILED);
  g_assert_true (g_str_has_prefix (memscope_host_source_get_error (fx.source),
                                   "Cannot start the host probe: "));
  g_assert_cmpuint (memscope_host_source_get_retry_delay_s (fx.source), ==, 1);
  g_assert_true (wait_for (&fx, started_twice_cb, NULL));
  g_assert_cmpint (memscope_host_source_get_state (fx.source), ==, MEMSCOPE_HOST_STATE_FAILED);
  g_assert_cmpuint (memscope_host_source_get_retry_delay_s (fx.source), ==, 2);
  fixture_clear (&fx);
}

/* The environment picks the host command; without it the sandbox test decides. */
static void
test_wanted (void)
{
  g_autofree char *probe = probe_path ();
  g_autoptr(MemscopeHostSource) source = NULL;
  g_autoptr(GError) error = NULL;

  memscope_seams_set ("MEMSCOPE_HOST_PROBE", probe);
  g_assert_true (memscope_host_source_wanted ());
  source = memscope_host_source_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  g_assert_null (memscope_host_source_get_remote (source));
  memscope_seams_set ("MEMSCOPE_HOST_PROBE", NULL);
  g_assert_true (memscope_host_source_wanted () == g_file_test ("/.flatpak-info",
                                                                 G_FILE_TEST_EXISTS));
  g_clear_object (&source);
}

int
main (int argc, char **argv)
{
  ms_test_ignore_sigpipe ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/host-source/normal-stream", test_normal_stream);
  g_test_add_func ("/host-source/requests", test_requests);
  g_test_add_func ("/host-source/killed", test_killed);
  g_test_add_func ("/host-source/corrupt", test_corrupt);
  g_test_add_func ("/host-source/replies-from-probe", test_replies_from_probe);
  g_test_add_func ("/host-source/truncated", test_truncated);
  g_test_add_func ("/host-source/framing-lost", test_framing_lost);
  g_test_add_func ("/host-source/other-version", test_other_version);
  g_test_add_func ("/host-source/probe-1.0", test_probe_1_0);
  g_test_add_func ("/host-source/restore-baselines", test_restore_baselines);
  g_test_add_func ("/host-source/cannot-start", test_cannot_start);
  g_test_add_func ("/host-source/wanted", test_wanted);

  return g_test_run ();
}
