/* SPDX-License-Identifier: MIT */
/* memscope-probe record: samples every process at an interval into a trace CSV, tags events live. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detector.h"
#include "probe.h"
#include "sampler.h"
#include "trace.h"

#define MIN_INTERVAL_S 0.25
#define MAX_INTERVAL_S 60.0

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe record [--interval S] [--count N | --duration S] [--pss]\n"
           "                             [--events FILE] TRACE|-\n"
           "\n"
           "Samples every process at a fixed interval and appends each sample to TRACE as CSV\n"
           "(- for standard output): a machine row (pid 0, comm [machine]) and one row per\n"
           "process.  Each sample is flushed as it is written, so a killed recorder loses at\n"
           "most the sample in flight.  SIGINT (Ctrl-C) or SIGTERM finishes the current sample\n"
           "and ends the recording cleanly.  `memscope-probe replay` and `blame` read the trace.\n"
           "\n"
           "Options:\n"
           "  --interval S       seconds between samples, 0.25 to 60 (default 1)\n"
           "  --count N          stop after N samples\n"
           "  --duration S       stop after S seconds (samples at 0, S included)\n"
           "  --pss              read PSS of every process each sample (slow: about a\n"
           "                     microsecond per MiB of each process's memory); without it PSS\n"
           "                     is read for a few processes per sample and left empty otherwise\n"
           "  --events FILE      also run the leak detector and write its tag events to FILE\n"
           "                     as JSON lines (the format of `replay --json`), flushed as they\n"
           "                     happen; - for standard output when TRACE is a file\n"
           "  -h, --help         show this help\n");
}

/* Sleeps until the monotonic clock reads `when_s`; returns early when a stop is requested. */
typedef struct
{
  FILE *out;
  const char *path;
  bool failed;
  int error;
} events_t;

static void
on_event (const ms_event_t *event, void *user)
{
  events_t *ev = user;

  if (ev->failed)
    return;
  ms_trace_event_json (ev->out, event);
  if (fflush (ev->out) != 0 || ferror (ev->out))
    {
      ev->failed = true;
      ev->error = errno ? errno : EIO;
    }
}

int
ms_cmd_record (int argc, char **argv)
{
  static const struct option options[] = {
    { "interval", required_argument, NULL, 'i' },
    { "count", required_argument, NULL, 'c' },
    { "duration", required_argument, NULL, 'd' },
    { "pss", no_argument, NULL, 'P' },
    { "events", required_argument, NULL, 'e' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  double interval_s = 1, duration_s = -1;
  long count = -1;
  const char *events_path = NULL, *trace_path;
  ms_sampler_opts_t opts;
  ms_sampler_t *sampler = NULL;
  ms_trace_writer_t *writer = NULL;
  ms_detector_t *detector = NULL;
  FILE *out = NULL;
  events_t ev = { 0 };
  ms_probe_signals_t saved_signals;
  char err[512];
  double start_s;
  long taken = 0, slot = 0;
  int status = 1;
  int c;

  ms_sampler_opts_init (&opts);
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":h", options, NULL)) != -1)
    switch (c)
      {
      case 'i':
        if (!ms_probe_parse_double ("--interval", optarg, &interval_s))
          return 2;
        if (interval_s < MIN_INTERVAL_S || interval_s > MAX_INTERVAL_S)
          {
            ms_probe_error ("record", "--interval must be between %g and %g seconds, not %s",
                            MIN_INTERVAL_S, MAX_INTERVAL_S, optarg);
            return 2;
          }
        break;
      case 'c':
        if (!ms_probe_parse_count ("--count", optarg, &count))
          return 2;
        if (count < 1)
          {
            ms_probe_error ("record", "--count must be 1 or more");
            return 2;
          }
        break;
      case 'd':
        if (!ms_probe_parse_double ("--duration", optarg, &duration_s))
          return 2;
        if (duration_s < 0)
          {
            ms_probe_error ("record", "--duration must not be negative");
            return 2;
          }
        break;
      case 'P': opts.pss_all = true; break;
      case 'e': events_path = optarg; break;
      case 'h': usage (stdout); return 0;
      case ':':
        ms_probe_error ("record", "%s needs a value", argv[optind - 1]);
        return 2;
      default:
        ms_probe_error ("record", "unknown option \"%s\"; see memscope-probe record --help",
                        argv[optind - 1]);
        return 2;
      }
  if (optind >= argc)
    {
      ms_probe_error ("record", "where to? give a TRACE file, or - for standard output");
      return 2;
    }
  if (optind + 1 < argc)
    {
      ms_probe_error ("record", "unexpected argument \"%s\"", argv[optind + 1]);
      return 2;
    }
  if (count >= 0 && duration_s >= 0)
    {
      ms_probe_error ("record", "give --count or --duration, not both");
      return 2;
    }
  trace_path = argv[optind];
  if (events_path != NULL && strcmp (events_path, "-") == 0 && strcmp (trace_path, "-") == 0)
    {
      ms_probe_error ("record", "the trace and the events cannot both go to standard output");
      return 2;
    }

  if (strcmp (trace_path, "-") == 0)
    out = stdout;
  else if ((out = fopen (trace_path, "w")) == NULL)
    {
      ms_probe_error ("record", "cannot write \"%s\": %s", trace_path, strerror (errno));
      return 1;
    }
  if (events_path != NULL)
    {
      ev.path = events_path;
      if (strcmp (events_path, "-") == 0)
        ev.out = stdout;
      else if ((ev.out = fopen (events_path, "w")) == NULL)
        {
          ms_probe_error ("record", "cannot write \"%s\": %s", events_path, strerror (errno));
          goto done;
        }
    }

  sampler = ms_sampler_new (&opts, err, sizeof err);
  if (sampler == NULL)
    {
      ms_probe_error ("record", "%s", err);
      goto done;
    }
  if (ev.out != NULL)
    {
      ms_detector_params_t params;

      ms_detector_params_init (&params, 0.5);
      detector = ms_detector_new (&params);
      if (detector == NULL)
        {
          ms_probe_error ("record", "out of memory");
          goto done;
        }
    }
  writer = ms_trace_writer_new (out);
  if (writer == NULL)
    {
      ms_probe_error ("record", "cannot write \"%s\": %s", trace_path, strerror (errno));
      goto done;
    }

  /* The signal ends the sleep between samples at once. */
  ms_probe_catch_stop (&saved_signals);

  status = 0;
  start_s = ms_probe_monotonic_s ();
  for (;;)
    {
      ms_snapshot_t *snap = NULL;
      /* The trace stores milliseconds; the detector gets the same clock, so replaying the trace
       * gives the events this run gives. */
      double t_s = ms_trace_round_time (ms_probe_monotonic_s () - start_s);
      double next_s;

      if (ms_sampler_tick_at (sampler, t_s, ms_probe_realtime_s (), &snap) != 0)
        {
          ms_probe_error ("record", "cannot list the processes in %s", opts.proc_root);
          status = 1;
          break;
        }
      if (ms_trace_writer_sample (writer, snap, t_s) != 0)
        {
          ms_probe_error ("record", "writing \"%s\" failed: %s", trace_path, strerror (errno));
          status = 1;
          break;
        }
      if (detector != NULL)
        {
          ms_detector_feed (detector, snap, on_event, &ev);
          if (ev.failed)
            {
              ms_probe_error ("record", "writing \"%s\" failed: %s", ev.path, strerror (ev.error));
              status = 1;
              break;
            }
        }
      taken++;
      if (ms_probe_stop_requested || (count > 0 && taken >= count))
        break;
      next_s = ms_probe_next_tick (start_s, interval_s, &slot);
      if (duration_s >= 0 && next_s - start_s > duration_s + 1e-6)
        break;
      ms_probe_sleep_until (next_s);
      if (ms_probe_stop_requested)
        break;
    }

  ms_probe_restore_signals (&saved_signals);

done:
  ms_trace_writer_free (writer);
  ms_detector_free (detector);
  ms_sampler_free (sampler);
  if (ev.out != NULL && ev.out != stdout && fclose (ev.out) != 0 && status == 0)
    {
      ms_probe_error ("record", "writing \"%s\" failed: %s", events_path, strerror (errno));
      status = 1;
    }
  if (out != NULL && out != stdout && fclose (out) != 0 && status == 0)
    {
      ms_probe_error ("record", "writing \"%s\" failed: %s", trace_path, strerror (errno));
      status = 1;
    }
  if (out == stdout && fflush (stdout) != 0 && status == 0)
    status = 1;
  return status;
}
