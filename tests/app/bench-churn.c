/* SPDX-License-Identifier: MIT */
/* A benchmark, not a test: what a process that arrives and leaves costs the window's main thread,
 * through the model, sorter, filter, list view and the frame that follows, run under Xvfb. */

#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memscope-application.h"
#include "memscope-sampler-thread.h"
#include "memscope-snapshot.h"
#include "memscope-window.h"

#define WARM_UP 5
#define N_TICKS 40
/* Processes started per tick (1 s); each lives about 1.5 s, so is seen in two ticks. */
#define CHURN_PER_TICK 10

typedef struct
{
  MemscopeWindow *window;
  MemscopeSamplerThread *sampler;
  MemscopeHistory *history;
  ms_proc_t *procs;
  guint n_fillers;
  guint64 serial;
  gboolean painted;
} Bench;

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
fill_proc (ms_proc_t *p,
           gint32     pid,
           guint      tick,
           gint64     rss_kib,
           gboolean   fresh)
{
  memset (p, 0, sizeof *p);
  p->pid = pid;
  p->ppid = 1;
  p->starttime = 1000 + (guint64) pid;
  p->state = 'S';
  p->uid = 1000;
  p->threads = 1;
  g_snprintf (p->comm, sizeof p->comm, "proc-%d", pid);
  g_snprintf (p->user, sizeof p->user, "alice");
  g_snprintf (p->group, sizeof p->group, "name:proc-%d", pid % 40);
  g_snprintf (p->cmdline, sizeof p->cmdline, "/usr/bin/proc-%d --option value", pid);
  /* Some values move every tick, as real ones do. */
  p->rss_kib = rss_kib + (gint64) ((tick * 7 + (guint) pid) % 13) * 4;
  p->pss_kib = p->rss_kib / 2;
  p->pss_age_s = 1;
  p->footprint_kib = p->rss_kib;
  p->baseline_kib = rss_kib;
  p->delta_kib = p->footprint_kib - p->baseline_kib;
  p->cpu_pct = fresh ? -1.0 : (double) ((tick + (guint) pid) % 5) / 10.0;
  p->start_unix = 1.7e9 + pid;
}

static void
after_paint_cb (Bench *bench)
{
  bench->painted = TRUE;
}

/* One tick: a snapshot through the window, then the frame it asks for.  Returns the main thread's
 * CPU time for both. */
static double
tick (Bench    *bench,
      guint     t,
      gboolean  churn,
      gint64    churn_rss_kib)
{
  ms_snapshot_t snap = { 0 };
  g_autoptr(MemscopeSnapshot) copy = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));
  guint n = 0;
  double start_ms;

  for (guint i = 0; i < bench->n_fillers; i++)
    fill_proc (&bench->procs[n++], (gint32) (100 + i), t, 2000 + i * 37, FALSE);
  if (churn)
    {
      /* The ten born last tick (seen a second time) and the ten born in this one. */
      for (guint born = t > 0 ? t - 1 : t; born <= t; born++)
        for (guint k = 0; k < CHURN_PER_TICK; k++)
          fill_proc (&bench->procs[n++], (gint32) (100000 + born * CHURN_PER_TICK + k), t,
                     churn_rss_kib, born == t);
    }
  snap.time_s = t;
  snap.interval_s = 1;
  snap.mem.mem_total_kib = 8 << 20;
  snap.mem.mem_available_kib = 4 << 20;
  snap.n_procs = n;
  snap.procs = bench->procs;
  copy = memscope_snapshot_new_copy (&snap, ++bench->serial);

  start_ms = thread_cpu_ms ();
  bench->painted = FALSE;
  g_signal_emit_by_name (bench->sampler, "snapshot", copy);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (!bench->painted)
    g_main_context_iteration (NULL, TRUE);
  return thread_cpu_ms () - start_ms;
}

static double
run (Bench    *bench,
     guint    *t,
     gboolean  churn,
     gint64    churn_rss_kib)
{
  double total_ms = 0;

  for (guint i = 0; i < WARM_UP; i++)
    tick (bench, (*t)++, churn, churn_rss_kib);
  for (guint i = 0; i < N_TICKS; i++)
    total_ms += tick (bench, (*t)++, churn, churn_rss_kib);
  return total_ms / N_TICKS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MemscopeApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };
  guint sizes[] = { 300, 2000 };

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  app = memscope_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);
  /* A sampler that never starts: the benchmark is its only source of snapshots. */
  bench.sampler = memscope_sampler_thread_new ();
  /* In memory: the window's timeline costs its share, the disk nothing on the main thread. */
  bench.history = memscope_history_new (bench.sampler, NULL);
  bench.window = memscope_window_new (GTK_APPLICATION (app), bench.sampler, bench.history);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (bench.window));
  while (gtk_widget_get_frame_clock (GTK_WIDGET (bench.window)) == NULL
         || !gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect_swapped (gtk_widget_get_frame_clock (GTK_WIDGET (bench.window)), "after-paint",
                            G_CALLBACK (after_paint_cb), &bench);

  g_print ("main-thread CPU per 1 s tick (snapshot applied, then its frame), mean of %d ticks\n",
           N_TICKS);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint t = 1;
      double steady_ms, small_ms, large_ms;

      bench.n_fillers = sizes[s];
      bench.procs = g_new0 (ms_proc_t, sizes[s] + 2 * CHURN_PER_TICK);
      steady_ms = run (&bench, &t, FALSE, 0);
      /* Short-lived small processes sort below the fold; big ones (a compiler) to the top. */
      small_ms = run (&bench, &t, TRUE, 900);
      large_ms = run (&bench, &t, TRUE, 4 << 20);
      g_print ("%5u processes: steady %.2f ms; +%d arriving and %d leaving per tick: "
               "%.2f ms (%.3f ms per process) below the fold, %.2f ms (%.3f ms per process) "
               "at the top\n",
               sizes[s], steady_ms, CHURN_PER_TICK, CHURN_PER_TICK,
               small_ms, (small_ms - steady_ms) / CHURN_PER_TICK,
               large_ms, (large_ms - steady_ms) / CHURN_PER_TICK);
      /* Everyone leaves before the next size. */
      bench.n_fillers = 0;
      tick (&bench, t++, FALSE, 0);
      g_free (bench.procs);
    }

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_object_unref (bench.history);
  g_object_unref (bench.sampler);
  return EXIT_SUCCESS;
}
