/* SPDX-License-Identifier: MIT */
/* memscope-probe: the memscope engine without a window. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "probe.h"
#include "sampler.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} command_t;

static const command_t commands[] = {
  { "snapshot", ms_cmd_snapshot, "every process, sampled twice 0.5 s apart" },
  { "record", ms_cmd_record, "write a trace of samples (CSV) and, optionally, tag events" },
  { "replay", ms_cmd_replay, "run the leak detector over a trace and print its tag events" },
  { "blame", ms_cmd_blame, "rank processes by footprint growth between two times of a trace" },
  { "bench", ms_cmd_bench, "measure the cost of a sampling tick" },
  { "stream", ms_cmd_stream, "the window's binary channel to this host (Flatpak)" },
  { "serve", ms_cmd_serve, "export machine, group and leak metrics for Prometheus" },
};

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe COMMAND [OPTIONS]\n"
           "\n"
           "Reads process memory from /proc without a window.  Every command takes --help.\n"
           "\n"
           "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf (out, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\n"
                "Options:\n"
                "  -h, --help     show this help\n"
                "  --version      show the version\n");
}

double
ms_probe_monotonic_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

double
ms_probe_realtime_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

volatile sig_atomic_t ms_probe_stop_requested;

static void
on_stop_signal (int sig)
{
  (void) sig;
  ms_probe_stop_requested = 1;
}

void
ms_probe_catch_stop (ms_probe_signals_t *saved)
{
  struct sigaction sa;

  ms_probe_stop_requested = 0;
  memset (&sa, 0, sizeof sa);
  sigemptyset (&sa.sa_mask);
  sa.sa_handler = on_stop_signal;
  sigaction (SIGINT, &sa, &saved->int_action);
  sigaction (SIGTERM, &sa, &saved->term_action);
  sa.sa_handler = SIG_IGN;
  sigaction (SIGPIPE, &sa, &saved->pipe_action);
}

void
ms_probe_restore_signals (const ms_probe_signals_t *saved)
{
  sigaction (SIGINT, &saved->int_action, NULL);
  sigaction (SIGTERM, &saved->term_action, NULL);
  sigaction (SIGPIPE, &saved->pipe_action, NULL);
}

double
ms_probe_next_tick (double start_s, double interval_s, long *slot)
{
  double now_s = ms_probe_monotonic_s ();

  (*slot)++;
  if (start_s + interval_s * (double) *slot < now_s)
    *slot = (long) ceil ((now_s - start_s) / interval_s);
  return start_s + interval_s * (double) *slot;
}

void
ms_probe_sleep_until (double when_s)
{
  struct timespec ts;

  ts.tv_sec = (time_t) when_s;
  ts.tv_nsec = (long) ((when_s - (double) ts.tv_sec) * 1e9);
  if (ts.tv_nsec >= 1000000000L)
    ts.tv_nsec = 999999999L;
  while (!ms_probe_stop_requested)
    {
      int rc = clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

      if (rc == 0 || rc != EINTR)
        break;
    }
}

void
ms_probe_error (const char *cmd, const char *fmt, ...)
{
  va_list ap;

  fprintf (stderr, "memscope-probe %s: ", cmd);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

bool
ms_probe_parse_double (const char *what, const char *text, double *out)
{
  char *end = NULL;
  double v;

  errno = 0;
  v = strtod (text, &end);
  if (text[0] == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite (v))
    {
      fprintf (stderr, "memscope-probe: %s must be a number, not \"%s\"\n", what, text);
      return false;
    }
  *out = v;
  return true;
}

bool
ms_probe_parse_count (const char *what, const char *text, long *out)
{
  char *end = NULL;
  long v;

  errno = 0;
  v = strtol (text, &end, 10);
  if (text[0] == '\0' || end == NULL || *end != '\0' || errno != 0 || v < 0)
    {
      fprintf (stderr, "memscope-probe: %s must be a whole number of 0 or more, not \"%s\"\n",
               what, text);
      return false;
    }
  *out = v;
  return true;
}

const char *
ms_probe_size (int64_t kib, char *buf, size_t len)
{
  static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
  double v = (double) (kib < 0 ? -kib : kib);
  size_t unit = 0;

  while (v >= 1024.0 && unit + 1 < sizeof units / sizeof units[0])
    {
      v /= 1024.0;
      unit++;
    }
  if (unit == 0)
    snprintf (buf, len, "%s%.0f %s", kib < 0 ? "-" : "", v, units[unit]);
  else
    snprintf (buf, len, "%s%.1f %s", kib < 0 ? "-" : "", v, units[unit]);
  return buf;
}

void
ms_probe_print_name (const char *comm, int width)
{
  const unsigned char *p = (const unsigned char *) comm;
  size_t n = strlen (comm);
  int shown = 0;

  while (n > 0 && (width <= 0 || shown < width))
    {
      int len = *p < 0x20 || *p == 0x7f ? 0 : ms_utf8_sequence_length (p, n);

      if (len == 0)
        {
          shown += printf ("\\x%02x", *p);
          p++, n--;
          continue;
        }
      fwrite (p, 1, (size_t) len, stdout);
      shown++;
      p += len, n -= (size_t) len;
    }
  for (; shown < width; shown++)
    putchar (' ');
}

int
main (int argc, char **argv)
{
  ms_sampler_raise_fd_limit ();
  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("memscope-probe %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "memscope-probe: unknown command \"%s\"; see memscope-probe --help\n", argv[1]);
  return 2;
}
