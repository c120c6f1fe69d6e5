/* SPDX-License-Identifier: MIT */
/* memscope-probe replay: the leak detector over a recorded trace, printing its tag events. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detector.h"
#include "json.h"
#include "probe.h"
#include "trace.h"

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: memscope-probe replay [--json] TRACE\n"
           "\n"
           "Runs the leak detector over a trace written by `memscope-probe record` (or any CSV\n"
           "with its required columns) and prints every LEAK, SPIKE and ZOMBIE tag as it is set\n"
           "and cleared, at the trace's time.  TRACE may be - for standard input.\n"
           "\n"
           "Options:\n"
           "  --json             one JSON object per event and line: time_s, pid, starttime,\n"
           "                     comm, tag, event (set|clear), and where they apply rate_kib_s,\n"
           "                     duration_s, confidence, exhaust_s (null when unknown), jump_kib,\n"
           "                     and on clear events reason (stopped|exited|reset)\n"
           "  -h, --help         show this help\n"
           "\n"
           "A malformed trace stops the replay at the bad line: the events before it are printed,\n"
           "the error (naming the line) goes to standard error, and the exit status is 1.\n");
}

typedef struct
{
  ms_detector_t *detector;
  bool json;
  uint64_t samples;
  uint64_t events;
  double first_s, last_s;
} replay_t;

static void
print_event_row (const ms_event_t *e)
{
  char a[32], b[48];

  printf ("%10.1f %7" PRId32 "  ", e->time_s, e->pid);
  ms_probe_print_name (e->comm, 16);
  printf (" %-6s %-5s  ", ms_trace_tag_name (e->tag), e->set ? "set" : "clear");
  if (!e->set)
    {
      if (e->reason == MS_CLEAR_EXITED)
        fputs (e->tag == MS_TAG_ZOMBIE ? "reaped" : "exited", stdout);
      else if (e->reason == MS_CLEAR_STOPPED)
        fputs (e->tag == MS_TAG_LEAK ? "stopped growing"
               : e->tag == MS_TAG_SPIKE ? "the jump is over" : "no longer a zombie", stdout);
      else if (e->reason == MS_CLEAR_RESET)
        fputs ("detector settings changed", stdout);
      else
        fputs ("tag cleared", stdout);
    }
  else if (e->tag == MS_TAG_LEAK)
    {
      printf ("growing %s/s", ms_probe_size (isfinite (e->rate_kib_s) ? llround (e->rate_kib_s) : 0,
                                             a, sizeof a));
      if (isfinite (e->duration_s))
        {
          ms_format_duration (e->duration_s, b, sizeof b);
          printf (" for %s", b);
        }
      if (isfinite (e->confidence))
        printf (", confidence %.2f", e->confidence);
      if (isfinite (e->exhaust_s))
        {
          ms_format_duration (e->exhaust_s, b, sizeof b);
          printf ("; available memory runs out in %s at this rate", b);
        }
    }
  else if (e->tag == MS_TAG_SPIKE)
    {
      if (isfinite (e->jump_kib))
        printf ("jumped by %s within seconds", ms_probe_size (llround (e->jump_kib), a, sizeof a));
      else
        fputs ("sudden jump", stdout);
    }
  else if (e->tag == MS_TAG_ZOMBIE)
    fputs ("exited but not reaped by its parent (state Z)", stdout);
  putchar ('\n');
}

static void
on_event (const ms_event_t *event, void *user)
{
  replay_t *r = user;

  if (r->json)
    ms_trace_event_json (stdout, event);
  else
    {
      /* The header waits for the first event, so a trace that cannot be read prints nothing. */
      if (r->events == 0)
        printf ("%10s %7s  %-16s %-6s %-5s  %s\n", "TIME_S", "PID", "COMM", "TAG", "EVENT", "WHY");
      print_event_row (event);
    }
  r->events++;
}

static int
on_sample (ms_snapshot_t *snap, void *user)
{
  replay_t *r = user;

  if (r->samples == 0)
    r->first_s = snap->time_s;
  r->last_s = snap->time_s;
  r->samples++;
  ms_detector_feed (r->detector, snap, on_event, r);
  return 0;
}

int
ms_cmd_replay (int argc, char **argv)
{
  static const struct option options[] = {
    { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  ms_detector_params_t params;
  replay_t r = { 0 };
  char err[600];
  int c, rc;

  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":h", options, NULL)) != -1)
    switch (c)
      {
      case 'j': r.json = true; break;
      case 'h': usage (stdout); return 0;
      default:
        ms_probe_error ("replay", "unknown option \"%s\"; see memscope-probe replay --help",
                        argv[optind - 1]);
        return 2;
      }
  if (optind >= argc)
    {
      ms_probe_error ("replay", "which trace? see memscope-probe replay --help");
      return 2;
    }
  if (optind + 1 < argc)
    {
      ms_probe_error ("replay", "unexpected argument \"%s\"", argv[optind + 1]);
      return 2;
    }

  ms_detector_params_init (&params, 0.5);
  r.detector = ms_detector_new (&params);
  if (r.detector == NULL)
    {
      ms_probe_error ("replay", "out of memory");
      return 1;
    }
  rc = ms_trace_read_path (argv[optind], on_sample, &r, err, sizeof err);
  ms_detector_free (r.detector);
  if (!r.json && rc >= 0)
    {
      if (r.samples == 0)
        printf ("(the trace has no samples)\n");
      else
        printf ("%" PRIu64 " event%s in %" PRIu64 " samples from %.1f s to %.1f s\n", r.events,
                r.events == 1 ? "" : "s", r.samples, r.first_s, r.last_s);
    }
  /* What was read before a bad line is printed before the error about it. */
  if (fflush (stdout) != 0)
    {
      ms_probe_error ("replay", "cannot write the output");
      return 1;
    }
  if (rc < 0)
    {
      ms_probe_error ("replay", "%s", err);
      return 1;
    }
  return 0;
}
