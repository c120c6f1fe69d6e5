/* SPDX-License-Identifier: MIT */
/* The sampler's requests about one process with no host source: signals and smaps read here,
 * failing with the same GIOErrorEnum codes the host source uses. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "memscope-sampler-thread.h"
#include "memscope-seams-private.h"
#include "ms-test.h"

static GError *
send_signal (MemscopeSamplerThread *sampler,
             gint32                 pid,
             guint64                starttime,
             int                    sig)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gboolean ok;

  memscope_sampler_thread_send_signal (sampler, pid, starttime, sig, NULL,
                                       ms_test_async_done_cb, &result);
  ms_test_await (&result, 10);
  ok = memscope_sampler_thread_send_signal_finish (sampler, result, &error);
  g_assert_true (ok == (error == NULL));
  return error;
}

static ms_smaps_groups_t *
read_smaps (MemscopeSamplerThread *sampler,
            gint32                 pid,
            guint64                starttime,
            GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  memscope_sampler_thread_read_smaps_groups (sampler, pid, starttime, NULL,
                                             ms_test_async_done_cb, &result);
  ms_test_await (&result, 10);
  return memscope_sampler_thread_read_smaps_groups_finish (sampler, result, error);
}

static void
test_signal_local (void)
{
  g_autoptr(MemscopeSamplerThread) sampler = memscope_sampler_thread_new ();
  g_autoptr(GError) error = NULL;
  pid_t child;
  guint64 starttime;
  int status = 0;

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
  g_assert_null (memscope_sampler_thread_get_host_source (sampler));
  g_assert_null (memscope_sampler_thread_get_remote (sampler));

  child = ms_test_spawn_sleeper ();
  starttime = ms_test_starttime_of (child);

  /* The pid with another start time is another process: not signalled. */
  error = send_signal (sampler, child, starttime + 1, SIGKILL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (kill (child, 0), ==, 0);

  error = send_signal (sampler, child, starttime, SIGKILL);
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* Gone: the same error as from a probe. */
  error = send_signal (sampler, child, starttime, SIGCONT);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_smaps_local (void)
{
  g_autoptr(MemscopeSamplerThread) sampler = memscope_sampler_thread_new ();
  g_autofree char *fixtures = ms_test_data_path ("smaps/proc");
  g_autoptr(GError) error = NULL;
  ms_smaps_groups_t *groups;

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", fixtures);

  groups = read_smaps (sampler, 4242, 123456, &error);
  g_assert_no_error (error);
  g_assert_nonnull (groups);
  g_assert_cmpuint (groups->n_mappings, >, 0);
  g_assert_cmpuint (groups->total.rss_kib, >, 0);
  memscope_host_smaps_groups_free (groups);

  /* Another user's process. */
  groups = read_smaps (sampler, 4243, 777, &error);
  g_assert_null (groups);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The pid now used by another process, and a pid with no process. */
  groups = read_smaps (sampler, 4242, 999, &error);
  g_assert_null (groups);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  groups = read_smaps (sampler, 5555, 1, &error);
  g_assert_null (groups);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  memscope_seams_set ("MEMSCOPE_PROC_ROOT", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sampler-requests/signal-local", test_signal_local);
  g_test_add_func ("/sampler-requests/smaps-local", test_smaps_local);

  return g_test_run ();
}
