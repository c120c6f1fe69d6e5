/* SPDX-License-Identifier: MIT */
/* Benchmark (prints, not a test): opening a long recording, its time and peak memory. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <sys/resource.h>

#include "memscope-recording-private.h"

/* Usage: bench-recording [TRACE]
 * Without TRACE, writes a 6-hour trace of 500 processes at 1 s into a temporary directory with
 * tests/probe/mstest.py's write_big_trace (MS_PROBE_TESTS names that directory; meson sets it
 * with `meson devenv` or run it as `MS_PROBE_TESTS=tests/probe bench-recording`). */
int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MemscopeRecording) rec = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  struct rusage before, after;
  gint64 start_us, end_us;
  GStatBuf st;

  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      const char *tests = g_getenv ("MS_PROBE_TESTS");
      g_autofree char *script = NULL;
      int status = 0;

      if (tests == NULL)
        {
          g_printerr ("bench-recording: give a TRACE, or set MS_PROBE_TESTS to tests/probe\n");
          return 2;
        }
      tmpdir = g_dir_make_tmp ("ms-bench-XXXXXX", &error);
      if (tmpdir == NULL)
        {
          g_printerr ("bench-recording: %s\n", error->message);
          return 1;
        }
      path = g_build_filename (tmpdir, "six-hours.csv", NULL);
      script = g_strdup_printf ("import sys; sys.path.insert(0, %s); import mstest; "
                                "mstest.write_big_trace(%s, 6 * 3600, 500)",
                                g_shell_quote (tests), g_shell_quote (path));
      g_print ("writing %s ...\n", path);
      {
        const char *pargv[] = { "python3", "-c", script, NULL };

        if (!g_spawn_sync (NULL, (char **) pargv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                           NULL, &status, &error)
            || !g_spawn_check_wait_status (status, &error))
          {
            g_printerr ("bench-recording: cannot write the trace: %s\n", error->message);
            return 1;
          }
      }
    }

  if (g_stat (path, &st) != 0)
    {
      g_printerr ("bench-recording: %s: cannot open\n", path);
      return 1;
    }
  getrusage (RUSAGE_SELF, &before);
  start_us = g_get_monotonic_time ();
  rec = memscope_recording_load (path, NULL, &error);
  end_us = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &after);
  if (rec == NULL)
    {
      g_printerr ("bench-recording: %s\n", error->message);
      return 1;
    }

  g_print ("file:            %.1f MiB\n", st.st_size / 1048576.0);
  g_print ("samples:         %u (%.1f h)\n", memscope_recording_get_n_samples (rec),
           (memscope_recording_get_last_s (rec) - memscope_recording_get_first_s (rec)) / 3600.0);
  g_print ("processes:       %zu\n", memscope_recording_get_snapshot (rec)->base.n_procs);
  g_print ("events:          %u\n", memscope_recording_get_events (rec)->len);
  g_print ("load time:       %.2f s wall, %.2f s CPU (goal: < 10 s)\n",
           (end_us - start_us) / 1e6,
           (after.ru_utime.tv_sec - before.ru_utime.tv_sec)
             + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6
             + (after.ru_stime.tv_sec - before.ru_stime.tv_sec)
             + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6);
  g_print ("peak resident:   %.1f MiB (goal: < 300 MiB)\n", after.ru_maxrss / 1024.0);
  g_print ("recording holds: %.1f MiB\n", memscope_recording_get_memory_bytes (rec) / 1048576.0);
  if (memscope_recording_get_error (rec) != NULL)
    g_print ("error:           %s\n", memscope_recording_get_error (rec));

  if (tmpdir != NULL)
    {
      g_unlink (path);
      g_rmdir (tmpdir);
    }
  return 0;
}
