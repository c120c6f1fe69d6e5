/* SPDX-License-Identifier: MIT */
/* leak-sim: a process whose memory grows on purpose, in known patterns, to try memscope on. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

typedef enum
{
  PATTERN_LINEAR,
  PATTERN_STEPS,
  PATTERN_SAWTOOTH,
  PATTERN_SPIKE,
} pattern_t;

#define MIB (1024.0 * 1024.0)
#define TICK_S 0.05         /* how often the held size follows the pattern */
#define SAWTOOTH_SPAN_MIB 64 /* the garbage collector frees back to the start every 64 MiB */
#define STEP_PERIOD_S 10
#define SPIKE_AFTER_S 5

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t report_requested;

static void
on_stop (int sig)
{
  (void) sig;
  stop_requested = 1;
}

static void
on_report (int sig)
{
  (void) sig;
  report_requested = 1;
}

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: leak-sim --name NAME --start MIB [OPTIONS]\n"
           "\n"
           "Holds MIB mebibytes of touched memory, then grows in a chosen pattern, so a memory\n"
           "monitor has something to find.  It leaks on purpose.\n"
           "\n"
           "Options:\n"
           "  --name NAME        process name (comm) to take; any bytes, cut to 15 by the kernel\n"
           "  --start MIB        memory to hold before printing the ready line\n"
           "  --rate MIB_PER_S   growth rate (default 1; 0 stays flat)\n"
           "  --pattern P        linear    grow steadily at the rate (default)\n"
           "                     steps     a step of rate*10 MiB every 10 s\n"
           "                     sawtooth  grow at the rate to start+64 MiB, free back to start,\n"
           "                               again and again (a garbage collector)\n"
           "                     spike     after 5 s jump once by max(rate*20, 256) MiB, then hold\n"
           "  --steady S         hold the start size flat for S seconds first, then follow the\n"
           "                     pattern (default 0; a leak from birth looks like a warm-up)\n"
           "  --max MIB          never hold more than this (default 4096)\n"
           "  --duration S       exit after S seconds (default: run until stopped)\n"
           "  -h, --help         show this help\n"
           "\n"
           "Output (stdout, flushed):\n"
           "  ready PID          once the start size is touched\n"
           "  touched KIB        on SIGUSR1: memory touched and still held, in KiB\n"
           "\n"
           "SIGTERM or SIGINT end it cleanly (exit 0); bad options exit 2.\n"
           "\n"
           "Example: leak-sim --name leaky --start 200 --steady 30 --rate 8 --duration 90\n");
}

static bool
parse_number (const char *opt, const char *text, double *out)
{
  char *end = NULL;
  double v;

  errno = 0;
  v = strtod (text, &end);
  if (text[0] == '\0' || *end != '\0' || errno != 0 || !(v >= 0 && v < 1e15))
    {
      fprintf (stderr, "leak-sim: %s needs a number of 0 or more, not \"%s\"\n", opt, text);
      return false;
    }
  *out = v;
  return true;
}

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Small stand-ins for libm, which leak-sim does not link; all arguments are >= 0. */
static double
floor_pos (double x)
{
  return (double) (long long) x;
}

static double
max_of (double a, double b)
{
  return a > b ? a : b;
}

/* How much the pattern holds `t` seconds after the ready line, before the --max cap. */
static double
target_mib (pattern_t pattern, double start_mib, double rate_mib_s, double t)
{
  switch (pattern)
    {
    case PATTERN_STEPS:
      return start_mib + rate_mib_s * STEP_PERIOD_S * floor_pos (t / STEP_PERIOD_S);
    case PATTERN_SAWTOOTH:
      {
        double grown = rate_mib_s * t;

        return start_mib + grown - SAWTOOTH_SPAN_MIB * floor_pos (grown / SAWTOOTH_SPAN_MIB);
      }
    case PATTERN_SPIKE:
      return t < SPIKE_AFTER_S ? start_mib : start_mib + max_of (rate_mib_s * 20, 256);
    case PATTERN_LINEAR:
    default:
      return start_mib + rate_mib_s * t;
    }
}

int
main (int argc, char **argv)
{
  const char *name = NULL;
  double start_mib = -1, rate_mib_s = 1, max_mib = 4096, duration_s = -1, steady_s = 0;
  pattern_t pattern = PATTERN_LINEAR;
  size_t page = (size_t) sysconf (_SC_PAGESIZE);
  size_t reserved, held = 0; /* bytes: the reservation, and what is touched now */
  unsigned char *region;
  struct sigaction sa;
  double t0;

  for (int i = 1; i < argc; i++)
    {
      const char *opt = argv[i];
      const char *value = NULL;

      if (strcmp (opt, "-h") == 0 || strcmp (opt, "--help") == 0)
        {
          usage (stdout);
          return 0;
        }
      if (strncmp (opt, "--", 2) == 0 && strchr (opt, '=') != NULL)
        {
          fprintf (stderr, "leak-sim: write \"%.*s VALUE\" rather than with '='\n",
                   (int) (strchr (opt, '=') - opt), opt);
          return 2;
        }
      if (strcmp (opt, "--name") != 0 && strcmp (opt, "--start") != 0
          && strcmp (opt, "--rate") != 0 && strcmp (opt, "--pattern") != 0
          && strcmp (opt, "--max") != 0 && strcmp (opt, "--duration") != 0
          && strcmp (opt, "--steady") != 0)
        {
          fprintf (stderr, "leak-sim: unknown option \"%s\"; see leak-sim --help\n", opt);
          return 2;
        }
      if (i + 1 >= argc)
        {
          fprintf (stderr, "leak-sim: %s needs a value\n", opt);
          return 2;
        }
      value = argv[++i];
      if (strcmp (opt, "--name") == 0)
        name = value;
      else if (strcmp (opt, "--start") == 0)
        {
          if (!parse_number (opt, value, &start_mib))
            return 2;
        }
      else if (strcmp (opt, "--rate") == 0)
        {
          if (!parse_number (opt, value, &rate_mib_s))
            return 2;
        }
      else if (strcmp (opt, "--max") == 0)
        {
          if (!parse_number (opt, value, &max_mib))
            return 2;
        }
      else if (strcmp (opt, "--duration") == 0)
        {
          if (!parse_number (opt, value, &duration_s))
            return 2;
        }
      else if (strcmp (opt, "--steady") == 0)
        {
          if (!parse_number (opt, value, &steady_s))
            return 2;
        }
      else if (strcmp (value, "linear") == 0)
        pattern = PATTERN_LINEAR;
      else if (strcmp (value, "steps") == 0)
        pattern = PATTERN_STEPS;
      else if (strcmp (value, "sawtooth") == 0)
        pattern = PATTERN_SAWTOOTH;
      else if (strcmp (value, "spike") == 0)
        pattern = PATTERN_SPIKE;
      else
        {
          fprintf (stderr, "leak-sim: --pattern is linear, steps, sawtooth or spike, not \"%s\"\n",
                   value);
          return 2;
        }
    }
  if (name == NULL || start_mib < 0)
    {
      fprintf (stderr, "leak-sim: --name and --start are required; see leak-sim --help\n");
      return 2;
    }
  if (name[0] == '\0')
    {
      fprintf (stderr, "leak-sim: --name must not be empty\n");
      return 2;
    }
  if (start_mib > max_mib)
    {
      fprintf (stderr, "leak-sim: --start (%g MiB) is above --max (%g MiB)\n", start_mib, max_mib);
      return 2;
    }
  if (max_mib > 1024.0 * 1024.0)
    {
      fprintf (stderr, "leak-sim: --max above 1 TiB is not supported\n");
      return 2;
    }

  if (prctl (PR_SET_NAME, (unsigned long) name, 0, 0, 0) != 0)
    perror ("leak-sim: prctl(PR_SET_NAME)");

  memset (&sa, 0, sizeof sa);
  sigemptyset (&sa.sa_mask);
  /* No SA_RESTART: a signal cuts the sleep short so the reaction is immediate. */
  sa.sa_handler = on_stop;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  sa.sa_handler = on_report;
  sigaction (SIGUSR1, &sa, NULL);

  /* One reservation for the whole cap: growth touches pages in it, a "free" gives them back
   * with MADV_DONTNEED, and nothing is committed before it is touched. */
  reserved = ((size_t) (max_mib * MIB) + page - 1) / page * page;
  if (reserved == 0)
    reserved = page;
  region = mmap (NULL, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (region == MAP_FAILED)
    {
      fprintf (stderr, "leak-sim: cannot reserve %g MiB: %s\n", max_mib, strerror (errno));
      return 1;
    }

  t0 = -1;
  for (;;)
    {
      double t = t0 < 0 ? 0 : now_s () - t0;
      double want_mib = t < steady_s ? start_mib
                                     : target_mib (pattern, start_mib, rate_mib_s, t - steady_s);
      size_t want;

      if (want_mib > max_mib)
        want_mib = max_mib;
      want = (size_t) (want_mib * MIB) / page * page;

      if (want > reserved)
        want = reserved;
      /* Touch every new page so resident memory follows what is held. */
      for (; held < want; held += page)
        {
          region[held] = 1;
          if ((held & ((1u << 24) - 1)) == 0 && stop_requested)
            break;
        }
      if (want < held)
        {
          madvise (region + want, held - want, MADV_DONTNEED);
          held = want;
        }
      if (t0 < 0)
        {
          printf ("ready %ld\n", (long) getpid ());
          fflush (stdout);
          t0 = now_s ();
        }
      if (report_requested)
        {
          report_requested = 0;
          printf ("touched %zu\n", held / 1024);
          fflush (stdout);
        }
      if (stop_requested)
        break;
      if (duration_s >= 0 && now_s () - t0 >= duration_s)
        break;
      {
        struct timespec ts = { 0, (long) (TICK_S * 1e9) };

        nanosleep (&ts, NULL);
      }
    }
  munmap (region, reserved);
  return 0;
}
