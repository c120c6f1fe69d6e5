/* SPDX-License-Identifier: MIT */
/* memscope-probe bench: what a sampling tick costs, next to top refreshing the same processes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "detector.h"
#include "probe.h"
#include "sampler.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe bench [--ticks N] [--spawn N]\n"
           "\n"
           "Measures the cost of a sampling tick over the processes running now: wall and CPU\n"
           "time per tick and per process, and the detector's share.  Ticks run back to back\n"
           "but count as a second apart, so slower refreshes come round as at the default\n"
           "interval.  When top is installed it is\n"
           "run as `top -b` refreshing the same processes as many times, and its CPU time is\n"
           "printed beside memscope's.  Figures only: nothing passes or fails.\n"
           "\n"
           "Options:\n"
           "  --ticks N    ticks to measure (default 20), after two warm-up ticks\n"
           "  --spawn N    first start N idle child processes, to measure a busier machine\n"
           "               (they are ended before the command returns)\n"
           "  -h, --help   show this help\n");
}

static double
clock_ms (clockid_t id)
{
  struct timespec ts;

  clock_gettime (id, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static double
rusage_ms (const struct rusage *ru)
{
  return (double) (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3
         + (double) (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* Runs `top -b` for `refreshes` refreshes and returns its CPU time in ms, or a negative value
 * when top is not there. */
static double
measure_top (long refreshes)
{
  char count[32];
  pid_t pid;
  int status;
  struct rusage ru;

  snprintf (count, sizeof count, "%ld", refreshes);
  pid = fork ();
  if (pid < 0)
    return -1.0;
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_WRONLY);

      if (devnull >= 0)
        {
          dup2 (devnull, STDOUT_FILENO);
          dup2 (devnull, STDERR_FILENO);
        }
      execlp ("top", "top", "-b", "-d", "0.1", "-n", count, "-w", "512", (char *) NULL);
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &ru) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return -1.0;
  return rusage_ms (&ru);
}

static pid_t *
spawn_idle (long n)
{
  pid_t *children = calloc ((size_t) n + 1, sizeof *children);

  if (children == NULL)
    return NULL;
  for (long i = 0; i < n; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        {
          fprintf (stderr, "memscope-probe bench: could start only %ld of %ld processes: %s\n", i,
                   n, strerror (errno));
          break;
        }
      if (pid == 0)
        {
          for (;;)
            pause ();
        }
      children[i] = pid;
    }
  return children;
}

static void
end_children (pid_t *children)
{
  if (children == NULL)
    return;
  for (pid_t *c = children; *c > 0; c++)
    kill (*c, SIGKILL);
  for (pid_t *c = children; *c > 0; c++)
    waitpid (*c, NULL, 0);
  free (children);
}

typedef struct
{
  long ticks;
  size_t procs;   /* summed over the measured ticks */
  double wall_ms; /* sampling only */
  double cpu_ms;
  double detect_ms;
  size_t kept_fds;
  size_t pss_reads; /* summed over the measured ticks */
  uint64_t kept_reads, opened_reads;
} run_t;

/* Two warm-up ticks, then `ticks` measured ones.  The sampler's clock advances a second per
 * tick, so status refreshes and the PSS budget come round as often as at the default interval. */
static bool
run_ticks (size_t pss_budget, size_t pss_budget_max, long ticks, run_t *run)
{
  ms_sampler_opts_t opts;
  ms_sampler_t *sampler;
  ms_detector_params_t params;
  ms_detector_t *detector;
  ms_snapshot_t *snap = NULL;
  char err[512];

  memset (run, 0, sizeof *run);
  run->ticks = ticks;
  ms_sampler_opts_init (&opts);
  opts.pss_budget = pss_budget;
  opts.pss_budget_max = pss_budget_max;
  sampler = ms_sampler_new (&opts, err, sizeof err);
  if (sampler == NULL)
    {
      ms_probe_error ("bench", "%s", err);
      return false;
    }
  ms_detector_params_init (&params, 0.5);
  detector = ms_detector_new (&params);
  for (long i = -2; i < ticks; i++)
    {
      double w0 = clock_ms (CLOCK_MONOTONIC), c0 = clock_ms (CLOCK_PROCESS_CPUTIME_ID), w1, c1;

      if (ms_sampler_tick_at (sampler, (double) (i + 3), (double) time (NULL), &snap) != 0)
        {
          ms_probe_error ("bench", "the tick failed");
          break;
        }
      w1 = clock_ms (CLOCK_MONOTONIC);
      c1 = clock_ms (CLOCK_PROCESS_CPUTIME_ID);
      if (detector != NULL)
        ms_detector_feed (detector, snap, NULL, NULL);
      if (i < 0)
        continue;
      run->wall_ms += w1 - w0;
      run->cpu_ms += c1 - c0;
      run->detect_ms += clock_ms (CLOCK_PROCESS_CPUTIME_ID) - c1;
      run->procs += snap->n_procs;
      run->pss_reads += ms_sampler_pss_reads_last (sampler);
    }
  run->kept_fds = ms_sampler_open_fds (sampler);
  ms_sampler_io_stats (sampler, &run->kept_reads, &run->opened_reads);
  ms_detector_free (detector);
  ms_sampler_free (sampler);
  return run->procs > 0;
}

static void
print_run (const char *what, const run_t *run)
{
  printf ("  %s\n", what);
  printf ("    per tick:      wall %8.3f ms   cpu %8.3f ms\n", run->wall_ms / (double) run->ticks,
          run->cpu_ms / (double) run->ticks);
  printf ("    per process:   wall %8.2f us   cpu %8.2f us\n",
          run->wall_ms * 1e3 / (double) run->procs, run->cpu_ms * 1e3 / (double) run->procs);
  if (run->pss_reads > 0)
    printf ("    PSS reads:     %8.1f per tick\n", (double) run->pss_reads / (double) run->ticks);
}

int
ms_cmd_bench (int argc, char **argv)
{
  static const struct option options[] = {
    { "ticks", required_argument, NULL, 't' },
    { "spawn", required_argument, NULL, 's' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  long ticks = 20, spawn = 0;
  ms_sampler_opts_t defaults;
  pid_t *children = NULL;
  run_t plain, fixed, full;
  double top_ms, procs_per_tick;
  int c;

  optind = 1;
  while ((c = getopt_long (argc, argv, "h", options, NULL)) != -1)
    switch (c)
      {
      case 't':
        if (!ms_probe_parse_count ("--ticks", optarg, &ticks) || ticks < 1)
          return 2;
        break;
      case 's':
        if (!ms_probe_parse_count ("--spawn", optarg, &spawn))
          return 2;
        break;
      case 'h': usage (stdout); return 0;
      default: usage (stderr); return 2;
      }
  if (optind < argc)
    {
      ms_probe_error ("bench", "unexpected argument \"%s\"", argv[optind]);
      return 2;
    }

  if (spawn > 0)
    children = spawn_idle (spawn);
  ms_sampler_opts_init (&defaults);
  if (!run_ticks (0, 0, ticks, &plain)
      || !run_ticks (defaults.pss_budget, defaults.pss_budget, ticks, &fixed)
      || !run_ticks (defaults.pss_budget, defaults.pss_budget_max, ticks, &full))
    {
      end_children (children);
      return 1;
    }
  procs_per_tick = (double) full.procs / (double) ticks;
  printf ("memscope-probe bench: %ld ticks over %.0f processes (%zu descriptors kept open)\n",
          ticks, procs_per_tick, full.kept_fds);
  print_run ("sampling without PSS (what top reads too):", &plain);
  print_run ("sampling with a fixed PSS budget (no scaling with the process count):", &fixed);
  print_run ("sampling with the PSS budget (the default: scales with the process count):", &full);
  printf ("  detector per process:    cpu %8.3f us\n", full.detect_ms * 1e3 / (double) full.procs);
  printf ("  file reads: %llu re-read on kept descriptors, %llu opened\n",
          (unsigned long long) full.kept_reads, (unsigned long long) full.opened_reads);

  top_ms = measure_top (ticks);
  if (top_ms >= 0)
    {
      double top_tick = top_ms / (double) ticks;

      printf ("  top -b, %ld refreshes:     cpu %8.3f ms per refresh, %.2f us per process\n", ticks,
              top_tick, top_tick * 1e3 / procs_per_tick);
      printf ("  memscope's tick without PSS costs %.2f of top's refresh (cpu), with PSS %.2f\n",
              (plain.cpu_ms / (double) ticks) / top_tick, (full.cpu_ms / (double) ticks) / top_tick);
    }
  else
    printf ("  top is not installed (or failed): no comparison\n");
  end_children (children);
  return 0;
}
